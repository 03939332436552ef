//! What the folder pane's context menu does: a new folder or subfolder, renaming one, and
//! deleting one (its mail goes to Trash, after a question that says how much). Each is a job
//! on the store's single writer; a store error stays in the dialog, which stays open.

use super::{AppState, JobDone};
use crate::store::{AccountId, FolderId, ListView, now};

/// What the folder dialog does when the user says OK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderEdit {
    /// A new folder of `account` (`None`: Local) under `parent` (`None`: top level).
    New {
        /// Whose folder it is (`None`: Local).
        account: Option<AccountId>,
        /// The folder it goes in (`None`: top level).
        parent: Option<FolderId>,
    },
    /// A new name for the folder.
    Rename(FolderId),
    /// Deleting the folder and those under it; their mail goes to Trash.
    Delete(FolderId),
    /// Saving this search under the name typed.
    SaveSearch {
        /// The search, as typed.
        query: String,
    },
}

/// The folder dialog while it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderDialog {
    /// What OK does.
    pub edit: FolderEdit,
    /// The name typed (unused when deleting).
    pub name: String,
    /// The store's answer when it refused, as its sentence.
    pub error: Option<String>,
    /// The job is on the writer.
    pub busy: bool,
}

impl FolderDialog {
    /// Whether the dialog asks for a name (every edit but deleting).
    pub fn wants_name(&self) -> bool {
        !matches!(self.edit, FolderEdit::Delete(_))
    }
}

impl AppState {
    /// Opens the folder dialog for `edit`; renaming starts with the folder's name.
    pub fn open_folder_dialog(&mut self, edit: FolderEdit) {
        let name = match &edit {
            FolderEdit::Rename(id) => self
                .folders
                .iter()
                .find(|f| f.id == *id)
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        self.folder_dialog = Some(FolderDialog {
            edit,
            name,
            error: None,
            busy: false,
        });
    }

    /// The folder dialog, while it is open.
    pub fn folder_dialog(&self) -> Option<&FolderDialog> {
        self.folder_dialog.as_ref()
    }

    /// The name field of the folder dialog.
    pub fn folder_dialog_name(&mut self) -> Option<&mut String> {
        self.folder_dialog.as_mut().map(|d| &mut d.name)
    }

    /// The question before deleting a folder, with how many messages go to Trash.
    pub fn folder_delete_question(&self, id: FolderId) -> String {
        let name = self
            .folders
            .iter()
            .find(|f| f.id == id)
            .map(super::format::folder_name)
            .unwrap_or_default();
        let count = super::folders::subtree_total(&self.folders, id);
        crate::tr!("folder-delete-question", name = name, count = count)
    }

    /// Closes the folder dialog without doing anything.
    pub fn cancel_folder_dialog(&mut self) {
        self.folder_dialog = None;
    }

    /// OK: queues the edit on the writer; the dialog closes when the store took it.
    pub fn confirm_folder_dialog(&mut self) {
        let Some(dialog) = self.folder_dialog.as_mut() else {
            return;
        };
        if dialog.busy {
            return;
        }
        let name = dialog.name.trim().to_owned();
        if dialog.wants_name() && name.is_empty() {
            dialog.error = Some(match dialog.edit {
                FolderEdit::SaveSearch { .. } => crate::tr!("search-save-no-name"),
                _ => crate::tr!("folder-name-empty"),
            });
            return;
        }
        dialog.busy = true;
        dialog.error = None;
        match dialog.edit.clone() {
            FolderEdit::New { account, parent } => self.job(
                move |w| w.create_folder(account, parent, &name).map(drop),
                JobDone::FolderEdit,
            ),
            FolderEdit::Rename(id) => {
                self.job(move |w| w.rename_folder(id, &name), JobDone::FolderEdit)
            }
            FolderEdit::SaveSearch { query } => self.job(
                move |w| w.save_search(&name, &query).map(drop),
                JobDone::FolderEdit,
            ),
            FolderEdit::Delete(id) => {
                if self.list.view() == ListView::Folder(id) {
                    self.select_view(ListView::AllInboxes);
                }
                let at = now();
                self.job(
                    move |w| w.delete_folder(id, at).map(drop),
                    JobDone::FolderEdit,
                )
            }
        }
    }

    /// The writer's answer to the folder dialog: closes it, or shows why not.
    pub(super) fn on_folder_edit_done(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => self.folder_dialog = None,
            Err(err) => {
                if let Some(dialog) = self.folder_dialog.as_mut() {
                    dialog.busy = false;
                    dialog.error = Some(err);
                } else {
                    self.notice(err, true);
                }
            }
        }
    }
}

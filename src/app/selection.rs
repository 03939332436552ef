//! What the user does with the selected messages: select with Ctrl and Shift, mark read or
//! unread, flag, move to Trash and back, delete for ever (after a confirmation), download
//! the rest. Every change is a job on the store's single writer.

use std::collections::HashMap;

use super::{AppState, JobDone};
use crate::store::{FolderId, FolderKind, ListView, MessageId, MessageRow, now};

/// A question the window must ask before it acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Deleting messages from Trash for good.
    DeleteForever(Vec<MessageId>),
    /// Emptying a Trash folder of its `count` messages; `server`: its account deletes on the
    /// server what is deleted here.
    EmptyTrash {
        /// The Trash.
        folder: FolderId,
        /// How many messages it holds.
        count: u64,
        /// The server's copies go too.
        server: bool,
    },
}

impl Confirm {
    /// The question, in words.
    pub fn question(&self) -> String {
        match self {
            Self::DeleteForever(ids) => crate::tr!("confirm-delete-forever", count = ids.len()),
            Self::EmptyTrash { count, server, .. } => crate::tr!(
                "confirm-empty-trash",
                count = *count,
                server = if *server { "yes" } else { "no" }
            ),
        }
    }

    /// The label of the button that says yes.
    pub fn action(&self) -> String {
        match self {
            Self::DeleteForever(_) => crate::tr!("list-delete-forever"),
            Self::EmptyTrash { .. } => crate::tr!("folder-empty-trash-yes"),
        }
    }
}

fn flagged(result: Result<(), String>) -> JobDone {
    JobDone::Action(crate::tr!("notice-flag-failed"), result)
}

fn marked(result: Result<(), String>) -> JobDone {
    JobDone::Action(crate::tr!("notice-mark-failed"), result)
}

fn marked_all(result: Result<u64, String>) -> JobDone {
    JobDone::Action(crate::tr!("notice-mark-failed"), result.map(drop))
}

fn emptied(result: Result<u64, String>) -> JobDone {
    JobDone::Action(crate::tr!("notice-delete-failed"), result.map(drop))
}

fn junked(result: Result<u64, String>) -> JobDone {
    JobDone::Action(crate::tr!("notice-junk-failed"), result.map(drop))
}

fn deleted(result: Result<(), String>) -> JobDone {
    JobDone::Action(crate::tr!("notice-delete-failed"), result)
}

impl AppState {
    /// Every selected message (the opened one and those added with Ctrl or Shift).
    pub fn selection(&self) -> Vec<MessageId> {
        self.list.selection()
    }

    /// How many messages are selected (without listing them: a selection may hold 100,000).
    pub fn selection_len(&self) -> usize {
        self.list.selection_len()
    }

    /// Whether a row is drawn as selected.
    pub fn is_selected(&self, id: MessageId) -> bool {
        self.list.is_selected(id)
    }

    /// Shows the selected message (Enter, or "Open"), reading it again if that failed.
    pub fn open_selected(&mut self) {
        let Some(id) = self.list.selected() else {
            return;
        };
        if self.opened_id() != Some(id)
            && let Some(row) = self.cached_row(id)
        {
            self.open_row(row);
        }
    }

    /// Ctrl-click: adds the row to the selection, or takes it out.
    pub fn toggle_row(&mut self, index: usize, row: MessageRow) {
        if let Some(row) = self.list.toggle(&row, index) {
            self.open_row(row);
        } else if self.list.selection_len() == 0 {
            self.opened = super::Opened::Nothing;
        }
    }

    /// Shift-click: selects from the last clicked row to this one.
    pub fn range_to_row(&mut self, index: usize) {
        let shown = self.list.select_range(&self.reader, index);
        self.selected_range(shown);
    }

    /// Shift with an arrow key: grows or shrinks the selection.
    pub fn extend_selection(&mut self, delta: isize) {
        let shown = self.list.extend_selection(&self.reader, delta);
        self.selected_range(shown);
    }

    /// Ctrl+A: selects every message of the list.
    pub fn select_all(&mut self) {
        let shown = self.list.select_all(&self.reader);
        self.selected_range(shown);
    }

    /// Opens the row a range selection shows, and has the range read off this thread when
    /// its rows are not at hand.
    fn selected_range(&mut self, shown: Result<Option<MessageRow>, crate::store::StoreError>) {
        match shown {
            Ok(Some(row)) => self.open_row(row),
            Ok(None) => {}
            Err(err) => self.store_failed(&err),
        }
        if let Some(request) = self.list.take_range_request() {
            self.loader.range(request);
        }
    }

    /// A right-click on a row outside the selection selects that row alone first, as other
    /// mail readers do.
    pub fn context_row(&mut self, index: usize, row: MessageRow) {
        if !self.list.is_selected(row.id) {
            self.click_row(index, row);
        }
    }

    /// Marks the selection read or unread.
    pub fn mark_selected(&mut self, seen: bool) {
        let ids = self.selection();
        if ids.is_empty() {
            return;
        }
        self.list.patch(&ids, |r| r.seen = seen);
        self.job(move |w| w.set_seen(&ids, seen), marked);
    }

    /// "Empty Trash…": asks first, saying how many and whether the server's copies go too.
    pub fn ask_empty_trash(&mut self, folder: FolderId) {
        let Some(trash) = self
            .folders
            .iter()
            .find(|f| f.id == folder && f.kind == FolderKind::Trash)
        else {
            return;
        };
        if trash.total == 0 {
            return;
        }
        let server = trash.account_id.is_some_and(|id| {
            self.accounts
                .iter()
                .any(|a| a.id == id && a.settings.delete_when_deleted_locally)
        });
        self.confirm = Some(Confirm::EmptyTrash {
            folder,
            count: trash.total,
            server,
        });
    }

    /// "Mark all as read" on a folder, or (`None`) on what the list shows: its folder, or
    /// every account's Inbox. The rows on screen turn read at once; the store follows.
    pub fn mark_all_read(&mut self, folder: Option<FolderId>) {
        if folder.is_none()
            && let ListView::Saved(_) | ListView::Conversation(_) = self.list.view()
        {
            // A saved search or a conversation: what it lists.
            let ids = self.list.listed_ids();
            self.list.patch(&ids, |r| r.seen = true);
            self.job(move |w| w.set_seen(&ids, true).map(|()| 0), marked_all);
            return;
        }
        let folders: Vec<FolderId> = match (folder, self.list.view()) {
            (Some(folder), _) | (None, ListView::Folder(folder)) => vec![folder],
            (None, ListView::AllInboxes | ListView::Saved(_) | ListView::Conversation(_)) => self
                .folders
                .iter()
                .filter(|f| f.kind == FolderKind::Inbox)
                .map(|f| f.id)
                .collect(),
        };
        let shown: Vec<MessageId> = self
            .list
            .cached_by_id()
            .values()
            .filter(|r| folders.contains(&r.folder_id))
            .map(|r| r.id)
            .collect();
        self.list.patch(&shown, |r| r.seen = true);
        self.job(move |w| w.mark_folders_read(&folders), marked_all);
    }

    /// Flags the selection, or unflags it when every selected message is flagged.
    pub fn toggle_flag_selected(&mut self) {
        let ids = self.selection();
        if ids.is_empty() {
            return;
        }
        let all_flagged = self.selected_rows_all(&ids, |r| r.flagged);
        self.set_flag(ids, !all_flagged);
    }

    /// Flags or unflags one message (a click on its star).
    pub fn toggle_flag(&mut self, row: &MessageRow) {
        self.set_flag(vec![row.id], !row.flagged);
    }

    fn set_flag(&mut self, ids: Vec<MessageId>, flag: bool) {
        self.list.patch(&ids, |r| r.flagged = flag);
        if let super::Opened::Ready(message) = &mut self.opened
            && ids.contains(&message.row.id)
        {
            message.row.flagged = flag;
        }
        self.job(move |w| w.set_flagged(&ids, flag), flagged);
    }

    /// Moves the selection to Trash; in a Trash, asks whether to delete it for ever.
    pub fn delete_selected(&mut self) {
        if self.in_trash() {
            let ids = self.selection();
            if !ids.is_empty() {
                self.confirm = Some(Confirm::DeleteForever(ids));
            }
        } else {
            self.trash_selected();
        }
    }

    /// Moves the selected messages to Trash (nothing happens in a Trash).
    pub fn trash_selected(&mut self) {
        let ids = self.selection();
        if ids.is_empty() || self.in_trash() {
            return;
        }
        let at = now();
        self.job(move |w| w.move_to_trash(&ids, at), JobDone::Trashed);
    }

    /// "Mark as junk" (`junk` true) or "Not junk": teaches the filter and moves the
    /// selection to its account's Junk, or out of it to the Inbox. Never deletes.
    pub fn mark_junk_selected(&mut self, junk: bool) {
        let ids = self.selection();
        if ids.is_empty() || self.in_trash() {
            return;
        }
        self.job(move |w| w.mark_junk(&ids, junk), junked);
    }

    /// Key J: "Not junk" in a Junk folder, "Mark as junk" anywhere else.
    pub fn toggle_junk_selected(&mut self) {
        let junk = !self.in_junk();
        self.mark_junk_selected(junk);
    }

    /// Moves the selected messages out of Trash, back where they came from.
    pub fn restore_selected(&mut self) {
        let ids = self.selection();
        if ids.is_empty() {
            return;
        }
        self.job(move |w| w.restore(&ids), JobDone::Restored);
    }

    /// The question waiting for an answer, if any.
    pub fn confirmation(&self) -> Option<&Confirm> {
        self.confirm.as_ref()
    }

    /// Answers the question: `yes` acts, anything else forgets it.
    pub fn answer_confirmation(&mut self, yes: bool) {
        let Some(confirm) = self.confirm.take() else {
            return;
        };
        if !yes {
            return;
        }
        match confirm {
            Confirm::DeleteForever(ids) => {
                self.job(move |w| w.delete_forever(&ids), deleted);
            }
            Confirm::EmptyTrash { folder, .. } => {
                self.job(move |w| w.empty_trash(folder), emptied);
            }
        }
    }

    /// Downloads the rest of every selected message stored as headers only.
    pub fn download_rest_selected(&mut self) {
        let rows = self.cached_rows();
        let partial: Vec<MessageId> = self
            .selection()
            .into_iter()
            .filter(|id| rows.get(id).is_some_and(|r| r.partial))
            .collect();
        drop(rows);
        for id in partial {
            self.download_rest(id);
        }
    }

    /// Whether any selected message is stored as headers only.
    pub fn selection_has_partial(&self) -> bool {
        let rows = self.cached_rows();
        self.selection()
            .iter()
            .any(|id| rows.get(id).is_some_and(|r| r.partial))
    }

    /// The rows as last read, by id: the list's cache and the opened message. A selection
    /// may hold 20,000 messages, which must not each search the cache on the UI thread.
    fn cached_rows(&self) -> HashMap<MessageId, &MessageRow> {
        let mut rows = self.list.cached_by_id();
        let opened = match &self.opened {
            super::Opened::Ready(m) => Some(&m.row),
            super::Opened::Loading(row) => Some(&**row),
            _ => None,
        };
        if let Some(row) = opened {
            rows.entry(row.id).or_insert(row);
        }
        rows
    }

    /// True when every message of `ids` has a row as last read that passes `test`.
    fn selected_rows_all(&self, ids: &[MessageId], test: impl Fn(&MessageRow) -> bool) -> bool {
        let rows = self.cached_rows();
        ids.iter().all(|id| rows.get(id).is_some_and(|r| test(r)))
    }

    /// A selected message's row as last read (the list keeps the rows near the screen).
    fn cached_row(&self, id: MessageId) -> Option<MessageRow> {
        self.list.cached(id).or_else(|| match &self.opened {
            super::Opened::Ready(m) if m.row.id == id => Some(m.row.clone()),
            super::Opened::Loading(row) if row.id == id => Some((**row).clone()),
            _ => None,
        })
    }
}

//! Export and import from the window: which messages, where to (a file dialog on its own
//! thread, or a path field where no dialog can be shown), and the job itself on a
//! `poplar-export` or `poplar-import` thread with progress, Cancel and a summary at the end.
//! The formats and the file writing are [`crate::export`]'s, shared with the command line.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use super::AppState;
use super::dialogs::{self, DialogAnswer, DialogRequest, FileType};
use crate::export::{Destination, Format, Progress, Source, TransferError, eml_stem};
use crate::store::{AccountId, Ingest, MessageId, Reader, now};
use crate::tr;

/// What a chosen path is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Export these messages in this format; a file or a folder was asked for.
    Export {
        /// The messages.
        source: Source,
        /// The format.
        format: Format,
        /// A folder was asked for (else a file).
        folder: bool,
    },
    /// Import the chosen files.
    Import,
}

/// A path typed by hand, where no file dialog can be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: Purpose,
    /// The question ("Save as", "Export to folder", …).
    pub title: String,
    /// The path as typed (for import, several separated by new lines).
    pub text: String,
}

/// A running export or import.
#[derive(Debug)]
pub struct Transfer {
    /// An import (else an export).
    import: bool,
    /// How far it is; its Cancel.
    pub progress: Arc<Progress>,
    answer: Receiver<Result<String, TransferError>>,
    /// For files opened from outside (a double-clicked .eml): the first message imported,
    /// or found already here, to show when the import is done.
    reveal: Option<Arc<Mutex<Option<MessageId>>>>,
}

impl Transfer {
    /// Whether it is an import (else an export).
    pub fn importing(&self) -> bool {
        self.import
    }
}

/// The window's export and import state.
#[derive(Debug, Default)]
pub struct Transfers {
    dialog: Option<(Purpose, DialogRequest, Receiver<DialogAnswer>)>,
    /// The path field shown instead of a dialog.
    pub prompt: Option<PathPrompt>,
    running: Option<Transfer>,
}

fn types(format: Format) -> Vec<FileType> {
    match format {
        Format::Eml => vec![FileType::new(&tr!("filetype-eml"), &["eml"])],
        Format::Mbox => vec![FileType::new(&tr!("filetype-mbox"), &["mbox"])],
    }
}

impl AppState {
    /// Exports the selected messages as .eml: one asks for a file name, several for a
    /// folder.
    pub fn export_selected(&mut self) {
        let ids = self.selection();
        match ids.as_slice() {
            [] => {}
            [id] => {
                let name = self
                    .list
                    .cached(*id)
                    .map(|row| eml_stem(&row))
                    .unwrap_or_else(|| tr!("export-file-stem"));
                self.ask_path(
                    Purpose::Export {
                        source: Source::Ids(ids),
                        format: Format::Eml,
                        folder: false,
                    },
                    DialogRequest::SaveFile {
                        title: tr!("export-one-title"),
                        suggested_name: format!("{name}.eml"),
                        types: types(Format::Eml),
                    },
                );
            }
            _ => {
                let title = tr!("export-many-title", count = ids.len());
                self.ask_path(
                    Purpose::Export {
                        source: Source::Ids(ids),
                        format: Format::Eml,
                        folder: true,
                    },
                    DialogRequest::PickFolder { title },
                );
            }
        }
    }

    /// Exports what the list shows (a folder, all inboxes, or a search's hits).
    pub fn export_list(&mut self, format: Format) {
        let source = if self.list.searching() {
            Source::Ids(self.list.listed_ids())
        } else {
            Source::View(self.list.view())
        };
        let name = if self.list.searching() {
            tr!("export-search-name", query = self.list.query())
        } else {
            self.view_title()
        };
        self.export_source(source, format, &name);
    }

    /// Exports every folder of an account.
    pub fn export_account(&mut self, account: AccountId, format: Format) {
        let name = self.account_name(account);
        self.export_source(Source::Account(account), format, &name);
    }

    /// Exports every message in the store.
    pub fn export_all(&mut self, format: Format) {
        self.export_source(Source::All, format, &tr!("export-all-name"));
    }

    fn export_source(&mut self, source: Source, format: Format, name: &str) {
        let request = match format {
            Format::Mbox => DialogRequest::SaveFile {
                title: tr!("export-mbox-title", name = name),
                suggested_name: format!(
                    "{}.mbox",
                    crate::export::sanitize_file_name(name, &tr!("export-fallback-stem"))
                ),
                types: types(Format::Mbox),
            },
            Format::Eml => DialogRequest::PickFolder {
                title: tr!("export-eml-title", name = name),
            },
        };
        let folder = matches!(request, DialogRequest::PickFolder { .. });
        self.ask_path(
            Purpose::Export {
                source,
                format,
                folder,
            },
            request,
        );
    }

    /// Asks for .eml or mbox files to import (File → Import).
    pub fn import_files(&mut self) {
        self.ask_path(
            Purpose::Import,
            DialogRequest::PickFiles {
                title: tr!("import-title"),
                types: vec![
                    FileType::new(&tr!("filetype-mail"), &["eml", "mbox", "mbx"]),
                    FileType::new(&tr!("filetype-all"), &["*"]),
                ],
            },
        );
    }

    /// Imports these files (dropped on the window) into the local Imported folder.
    pub fn import_paths(&mut self, files: Vec<PathBuf>) {
        self.import(files, false);
    }

    /// Imports files opened from outside the window (a double-clicked .eml or mbox, handed
    /// over by a second start) into Imported, then shows the first of them there.
    pub fn open_files(&mut self, files: Vec<PathBuf>) {
        self.import(files, true);
    }

    fn import(&mut self, files: Vec<PathBuf>, reveal: bool) {
        if files.is_empty() || self.transfer_busy() {
            return;
        }
        let first: Arc<Mutex<Option<MessageId>>> = Arc::default();
        let found = Arc::clone(&first);
        let progress = Arc::new(Progress::default());
        let store = self.engine.store().clone();
        let job = Arc::clone(&progress);
        let Some(answer) = self.spawn_transfer("poplar-import", move || {
            let (mut added, mut known) = (0, 0);
            crate::export::import_files(&files, &job, |raws| {
                let at = now();
                let batch: Vec<_> = raws
                    .into_iter()
                    .map(|raw| crate::export::prepare_imported(raw, at))
                    .collect();
                let results = store
                    .run_blocking(move |w| w.import(batch))
                    .map_err(|err| TransferError(err.to_string()))?
                    .map_err(|err| TransferError(err.to_string()))?;
                let stored = results
                    .iter()
                    .filter(|r| matches!(r, Ingest::Stored(_)))
                    .count();
                if let Ok(mut first) = found.lock()
                    && first.is_none()
                {
                    *first = results.iter().find_map(|r| match r {
                        Ingest::Stored(id) | Ingest::Linked(id) => Some(*id),
                        Ingest::Known => None,
                    });
                }
                added += stored;
                known += results.len() - stored;
                Ok(())
            })?;
            let summary = match known {
                0 => tr!("import-done", added = added),
                _ => tr!("import-done-known", added = added, known = known),
            };
            Ok(if job.cancelled() {
                tr!("import-cancelled", summary = summary)
            } else {
                summary
            })
        }) else {
            return;
        };
        self.transfers.running = Some(Transfer {
            import: true,
            progress,
            answer,
            reveal: reveal.then_some(first),
        });
    }

    /// The running export or import.
    pub fn transfer(&self) -> Option<&Transfer> {
        self.transfers.running.as_ref()
    }

    /// Cancels the running export or import (an import keeps the batches already stored).
    pub fn cancel_transfer(&self) {
        if let Some(t) = &self.transfers.running {
            t.progress.cancel();
        }
    }

    /// The path field shown where no file dialog exists.
    pub fn path_prompt(&mut self) -> Option<&mut PathPrompt> {
        self.transfers.prompt.as_mut()
    }

    /// Answers the path field: `Some` with what was typed, `None` for Cancel.
    pub fn answer_path_prompt(&mut self, ok: bool) {
        let Some(prompt) = self.transfers.prompt.take() else {
            return;
        };
        if !ok {
            return;
        }
        let paths: Vec<PathBuf> = prompt
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect();
        if paths.is_empty() {
            self.notice(tr!("notice-no-path"), true);
            return;
        }
        self.chosen(prompt.purpose, paths);
    }

    fn transfer_busy(&mut self) -> bool {
        if self.transfers.running.is_some() {
            self.notice(tr!("notice-transfer-busy"), false);
            return true;
        }
        false
    }

    fn ask_path(&mut self, purpose: Purpose, request: DialogRequest) {
        if self.transfer_busy() || self.transfers.dialog.is_some() {
            return;
        }
        if self.dialogs.available() {
            let answer = dialogs::ask(&self.dialogs, request.clone(), &self.waker);
            self.transfers.dialog = Some((purpose, request, answer));
        } else {
            self.prompt_for_path(purpose, request);
        }
    }

    fn prompt_for_path(&mut self, purpose: Purpose, request: DialogRequest) {
        let (title, text) = match request {
            DialogRequest::SaveFile {
                title,
                suggested_name,
                ..
            } => {
                let path = dialogs::home().join(suggested_name);
                (title, path.display().to_string())
            }
            DialogRequest::PickFolder { title } | DialogRequest::PickFiles { title, .. } => {
                (title, String::new())
            }
        };
        self.transfers.prompt = Some(PathPrompt {
            purpose,
            title,
            text,
        });
    }

    /// Each frame: a dialog's answer, and a finished job's summary.
    pub(super) fn poll_transfers(&mut self) {
        if let Some((_, _, answer)) = &self.transfers.dialog {
            match answer.try_recv() {
                Ok(answer) => {
                    if let Some((purpose, request, _)) = self.transfers.dialog.take() {
                        match answer {
                            DialogAnswer::Chosen(paths) => self.chosen(purpose, paths),
                            // Not a person's "cancel": no dialog could be shown.
                            DialogAnswer::Cancelled if !self.dialogs.available() => {
                                self.prompt_for_path(purpose, request);
                            }
                            DialogAnswer::Cancelled => {}
                        }
                    }
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.transfers.dialog = None,
            }
        }
        let Some(running) = &self.transfers.running else {
            return;
        };
        let result = match running.answer.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(TransferError(if running.importing() {
                tr!("import-stopped")
            } else {
                tr!("export-stopped")
            })),
        };
        // Files opened from outside: `Some(first message)`, or `Some(None)` when none was
        // stored (all known already, or unreadable).
        let reveal: Option<Option<MessageId>> = self
            .transfers
            .running
            .take()
            .and_then(|t| t.reveal)
            .map(|first| first.lock().ok().and_then(|first| *first));
        let failed = result.is_err();
        match result {
            Ok(summary) => self.notice(summary, false),
            Err(err) => self.notice(err.to_string(), true),
        }
        // An import changed the store under the list: read it again.
        self.change_counter = None;
        if let (false, Some(first)) = (failed, reveal) {
            self.change_counter = self.reader.change_counter().ok();
            self.refresh();
            if let Some(id) = first {
                self.reveal_message(id);
            } else if let Some(folder) = self
                .folders()
                .iter()
                .find(|f| f.kind == crate::store::FolderKind::Imported)
            {
                let view = crate::store::ListView::Folder(folder.id);
                self.select_view(view);
            }
        }
    }

    fn chosen(&mut self, purpose: Purpose, paths: Vec<PathBuf>) {
        match purpose {
            Purpose::Import => self.import_paths(paths),
            Purpose::Export {
                source,
                format,
                folder,
            } => {
                let Some(path) = paths.into_iter().next() else {
                    return;
                };
                let to = if folder {
                    Destination::Folder(path)
                } else {
                    Destination::File(path)
                };
                self.start_export(source, format, to);
            }
        }
    }

    fn start_export(&mut self, source: Source, format: Format, to: Destination) {
        if self.transfer_busy() {
            return;
        }
        let progress = Arc::new(Progress::default());
        let job = Arc::clone(&progress);
        let store_path = self.store_path.clone();
        let Some(answer) = self.spawn_transfer("poplar-export", move || {
            let reader = Reader::open(&store_path)?;
            let rows = source.rows(&reader)?;
            let summary = crate::export::export(&reader, &rows, format, &to, &job)?;
            Ok(summary.describe())
        }) else {
            return;
        };
        self.transfers.running = Some(Transfer {
            import: false,
            progress,
            answer,
            reveal: None,
        });
    }

    fn spawn_transfer(
        &mut self,
        name: &str,
        work: impl FnOnce() -> Result<String, TransferError> + Send + 'static,
    ) -> Option<Receiver<Result<String, TransferError>>> {
        let (tx, rx) = channel();
        let waker = Arc::clone(&self.waker);
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let _ = tx.send(work());
                waker();
            });
        match spawned {
            Ok(_) => Some(rx),
            Err(err) => {
                self.notice(tr!("notice-job-failed", error = err.to_string()), true);
                None
            }
        }
    }
}

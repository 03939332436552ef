//! Saving the open message's attachments: "Save" asks where to put one file (a save dialog
//! suggesting its sanitised name), "Save all" asks for a folder and writes every file there
//! under a name no existing file has (`name (2).pdf`).
//!
//! Neither the dialog nor the writing happens on the UI thread: the dialog runs on a thread of
//! its own ([`dialogs::ask`]) and the files are written on a `poplar-save` thread, each to a
//! temporary name, synced, then renamed ([`write_new`]), so a full disk or a read-only folder
//! gives an error notice and leaves no half-written file. Where no dialog can be shown, the
//! view asks for the path in a text field instead ([`AttachmentPrompt`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::dialogs::{self, DialogAnswer, DialogRequest};
use super::{AppState, Opened};
use crate::export::{unused_name, write_new};
use crate::mail::view::Attachment;
use crate::store::MessageId;

/// What is being saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveTarget {
    /// One attachment, to a file.
    One(Attachment),
    /// Every attachment, into a folder.
    All(Vec<Attachment>),
    /// The open message, set as a PDF, to a file.
    Pdf(Box<super::print::PrintJob>),
}

/// The path field shown where no file dialog can be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentPrompt {
    /// What the path is for.
    pub target: SaveTarget,
    /// The path as typed: a file for one attachment (a folder works too), a folder for all.
    pub text: String,
    /// The message whose attachments these are: the field closes when another is opened.
    message: Option<MessageId>,
}

/// The window's attachment saving: a dialog waiting for its answer, writes in flight, the
/// path field.
#[derive(Debug, Default)]
pub struct AttachmentSaves {
    dialog: Option<(SaveTarget, Receiver<DialogAnswer>)>,
    writes: Vec<Receiver<Result<String, String>>>,
    prompt: Option<AttachmentPrompt>,
}

/// Writes the files on their own thread; the answer (a line for the status bar, or the
/// error) arrives on the returned channel and `waker` wakes the window.
fn spawn_write(
    target: SaveTarget,
    path: PathBuf,
    overwrite: bool,
    waker: super::Waker,
) -> Receiver<Result<String, String>> {
    let (tx, rx) = channel();
    let work = move || {
        let result = match target {
            SaveTarget::One(attachment) => {
                let path = file_path(path, &attachment.name, overwrite);
                write_new(&path, &attachment.bytes)
                    .map(|()| {
                        crate::tr!(
                            "attachment-saved",
                            name = attachment.name.as_str(),
                            path = path.display().to_string()
                        )
                    })
                    .map_err(|err| {
                        crate::tr!(
                            "attachment-save-failed",
                            name = attachment.name.as_str(),
                            error = err.to_string()
                        )
                    })
            }
            SaveTarget::All(attachments) => save_all(&attachments, &path),
            SaveTarget::Pdf(job) => {
                let path = file_path(path, &job.file_name(), overwrite);
                let printed = job.pdf();
                write_new(&path, &printed.pdf)
                    .map(|()| {
                        crate::tr!(
                            "pdf-saved",
                            subject = job.subject(),
                            path = path.display().to_string()
                        ) + &super::print::missing_note(&printed)
                    })
                    .map_err(|err| crate::tr!("pdf-save-failed", error = err.to_string()))
            }
        };
        let _ = tx.send(result);
        waker();
    };
    let spawned = std::thread::Builder::new()
        .name("poplar-save".into())
        .spawn(work);
    if let Err(err) = spawned {
        let (failed, rx) = channel();
        let _ = failed.send(Err(crate::tr!(
            "attachment-start-failed",
            error = err.to_string()
        )));
        return rx;
    }
    rx
}

/// Where one file goes: a dialog asked before replacing a file; a typed path never replaces
/// one, and a typed folder gets the file under its own `name`.
fn file_path(path: PathBuf, name: &str, overwrite: bool) -> PathBuf {
    if path.is_dir() {
        unused_name(&path, name)
    } else if !overwrite && path.exists() {
        let dir = path.parent().unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned());
        unused_name(dir, &name)
    } else {
        path
    }
}

/// Writes every attachment into `dir`; stops at the first error (the files written before
/// it stay, whole).
fn save_all(attachments: &[Attachment], dir: &Path) -> Result<String, String> {
    if !dir.is_dir() {
        return Err(crate::tr!(
            "attachments-not-a-folder",
            path = dir.display().to_string()
        ));
    }
    for attachment in attachments {
        let path = unused_name(dir, &attachment.name);
        write_new(&path, &attachment.bytes).map_err(|err| {
            crate::tr!(
                "attachment-save-failed",
                name = attachment.name.as_str(),
                error = err.to_string()
            )
        })?;
    }
    Ok(crate::tr!(
        "attachments-saved",
        count = attachments.len(),
        path = dir.display().to_string()
    ))
}

impl AttachmentSaves {
    /// Waits for a write (or an opening) done on another thread; its answer is a notice.
    pub(super) fn push_write(&mut self, answer: Receiver<Result<String, String>>) {
        self.writes.push(answer);
    }
}

impl AppState {
    pub(super) fn open_attachments(&self) -> &[Attachment] {
        match &self.opened {
            Opened::Ready(message) => &message.attachments,
            _ => &[],
        }
    }

    /// Whether a dialog is open or files are being written.
    pub fn saving_attachments(&self) -> bool {
        self.attachment_saves.dialog.is_some() || !self.attachment_saves.writes.is_empty()
    }

    /// Saves the open message's attachment at `index`: asks where (a save dialog with its
    /// name), then writes it.
    pub fn save_attachment(&mut self, index: usize) {
        let Some(attachment) = self.open_attachments().get(index).cloned() else {
            return;
        };
        let request = DialogRequest::SaveFile {
            title: crate::tr!("attachment-dialog-title"),
            suggested_name: attachment.name.clone(),
            types: Vec::new(),
        };
        self.ask_where(SaveTarget::One(attachment), request);
    }

    /// Saves every attachment of the open message into a folder the user picks.
    pub fn save_all_attachments(&mut self) {
        let attachments = self.open_attachments().to_vec();
        if attachments.is_empty() {
            return;
        }
        let request = DialogRequest::PickFolder {
            title: crate::tr!("attachments-dialog-title"),
        };
        self.ask_where(SaveTarget::All(attachments), request);
    }

    pub(super) fn ask_where(&mut self, target: SaveTarget, request: DialogRequest) {
        if self.attachment_saves.dialog.is_some() {
            return;
        }
        if self.dialogs.available() {
            let answer = dialogs::ask(&self.dialogs, request, &self.waker);
            self.attachment_saves.dialog = Some((target, answer));
            return;
        }
        self.prompt_for_attachment_path(target);
    }

    fn prompt_for_attachment_path(&mut self, target: SaveTarget) {
        let home = dialogs::home();
        let text = match &target {
            SaveTarget::One(attachment) => home.join(&attachment.name),
            SaveTarget::All(_) => home,
            SaveTarget::Pdf(job) => home.join(job.file_name()),
        };
        self.attachment_saves.prompt = Some(AttachmentPrompt {
            target,
            text: text.display().to_string(),
            message: self.opened_id(),
        });
    }

    /// The path field, while it is shown (no file dialog on this system).
    pub fn attachment_prompt(&mut self) -> Option<&mut AttachmentPrompt> {
        self.attachment_saves.prompt.as_mut()
    }

    /// Answers the path field: saves to what was typed (`ok`), or closes it.
    pub fn answer_attachment_prompt(&mut self, ok: bool) {
        let Some(prompt) = self.attachment_saves.prompt.take() else {
            return;
        };
        if !ok {
            return;
        }
        let path = PathBuf::from(prompt.text.trim());
        if path.as_os_str().is_empty() {
            self.notice(crate::tr!("notice-no-path"), true);
            return;
        }
        let write = spawn_write(prompt.target, path, false, self.waker.clone());
        self.attachment_saves.writes.push(write);
    }

    /// Each frame: a dialog's answer starts the writing; a finished write gives a notice.
    pub(super) fn poll_attachments(&mut self) {
        let opened = self.opened_id();
        if self
            .attachment_saves
            .prompt
            .as_ref()
            .is_some_and(|prompt| prompt.message != opened)
        {
            self.attachment_saves.prompt = None;
        }
        let answer = match &self.attachment_saves.dialog {
            Some((_, answer)) => answer.try_recv(),
            None => Err(TryRecvError::Empty),
        };
        if !matches!(answer, Err(TryRecvError::Empty))
            && let Some((target, _)) = self.attachment_saves.dialog.take()
        {
            match answer {
                Ok(DialogAnswer::Chosen(paths)) => {
                    if let Some(path) = paths.into_iter().next() {
                        let write = spawn_write(target, path, true, self.waker.clone());
                        self.attachment_saves.writes.push(write);
                    }
                }
                // Not a person's "cancel": no dialog could be shown (see SystemDialogs).
                Ok(DialogAnswer::Cancelled) if !self.dialogs.available() => {
                    self.prompt_for_attachment_path(target);
                }
                Ok(DialogAnswer::Cancelled) | Err(_) => {}
            }
        }
        self.poll_writes();
    }

    fn poll_writes(&mut self) {
        let mut finished = Vec::new();
        self.attachment_saves
            .writes
            .retain(|write| match write.try_recv() {
                Ok(result) => {
                    finished.push(result);
                    false
                }
                Err(TryRecvError::Empty) => true,
                Err(TryRecvError::Disconnected) => false,
            });
        for result in finished {
            match result {
                Ok(line) => self.notice(line, false),
                Err(err) => self.notice(err, true),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn attachment(name: &str, bytes: &[u8]) -> Attachment {
        Attachment {
            name: name.into(),
            mime: "application/octet-stream".into(),
            bytes: Arc::from(bytes),
        }
    }

    #[test]
    fn save_all_never_overwrites_and_numbers_duplicates() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.txt"), b"old").expect("write");
        let files = [
            attachment("a.txt", b"one"),
            attachment("a.txt", b"two"),
            attachment("README", b"three"),
            attachment("README", b"four"),
        ];
        let line = save_all(&files, dir.path()).expect("saved");
        assert!(line.starts_with("Saved 4 attachments"), "{line}");
        let read = |name: &str| std::fs::read(dir.path().join(name)).expect(name);
        assert_eq!(read("a.txt"), b"old");
        assert_eq!(read("a (2).txt"), b"one");
        assert_eq!(read("a (3).txt"), b"two");
        assert_eq!(read("README"), b"three");
        assert_eq!(read("README (2)"), b"four");
    }

    #[test]
    fn a_failed_save_says_why_and_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("no such folder");
        let err = save_all(&[attachment("a.bin", b"x")], &missing).expect_err("no folder");
        assert!(err.contains("is not a folder"), "{err}");
        let waker: super::super::Waker = Arc::new(|| {});
        let answer = spawn_write(
            SaveTarget::One(attachment("a.bin", b"x")),
            missing.join("a.bin"),
            true,
            waker,
        );
        let err = answer.recv().expect("answer").expect_err("cannot write");
        assert!(err.starts_with("Cannot save a.bin: "), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
    }
}

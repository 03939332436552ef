//! File dialogs behind a trait, so that tests never open a real one and the window never
//! waits for one.
//!
//! The methods block until the user answers, so the window calls them on a thread of their
//! own ([`ask`]) and picks the answer up from a channel in a later frame. [`SystemDialogs`]
//! goes through rfd (the XDG desktop portal on Linux, else zenity; the native dialogs on
//! Windows and macOS). Where none of those exist, [`FileDialogs::available`] says so (also
//! after a dialog came back at once, unseen) and the window asks for a path in a text field
//! instead.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use super::Waker;

/// A file type offered in a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileType {
    /// Its name, as shown ("Email message").
    pub name: String,
    /// Its extensions, without the dot.
    pub extensions: Vec<String>,
}

impl FileType {
    /// A file type.
    pub fn new(name: &str, extensions: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            extensions: extensions.iter().map(|e| (*e).to_owned()).collect(),
        }
    }
}

/// What a dialog asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogRequest {
    /// Where to save one file.
    SaveFile {
        /// The dialog's title.
        title: String,
        /// The name suggested (already sanitised).
        suggested_name: String,
        /// The file types offered.
        types: Vec<FileType>,
    },
    /// A folder to write into.
    PickFolder {
        /// The dialog's title.
        title: String,
    },
    /// Files to open.
    PickFiles {
        /// The dialog's title.
        title: String,
        /// The file types offered.
        types: Vec<FileType>,
    },
}

/// What the user answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogAnswer {
    /// The chosen path or paths (one for [`DialogRequest::SaveFile`] and
    /// [`DialogRequest::PickFolder`]).
    Chosen(Vec<PathBuf>),
    /// The dialog was closed without a choice.
    Cancelled,
}

/// Opens file dialogs. Implementations may block: callers run them off the UI thread.
pub trait FileDialogs: Send + Sync {
    /// Whether a dialog can be shown at all; when not, the window asks for a path in a
    /// text field instead.
    fn available(&self) -> bool;

    /// Shows the dialog and waits for the answer.
    fn ask(&self, request: &DialogRequest) -> DialogAnswer;
}

/// The platform's dialogs, through rfd.
#[derive(Debug, Default)]
pub struct SystemDialogs {
    /// A dialog came back "cancelled" faster than anyone can click: nothing was shown.
    failed: AtomicBool,
}

/// An answer faster than this was not a person's.
const TOO_FAST: Duration = Duration::from_millis(250);

impl FileDialogs for SystemDialogs {
    fn available(&self) -> bool {
        if cfg!(any(target_os = "windows", target_os = "macos")) {
            return true;
        }
        // rfd talks to the desktop portal over the session bus and falls back to zenity;
        // with neither, it answers every dialog with "cancelled" at once.
        !self.failed.load(Ordering::Relaxed)
            && (std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || on_path("zenity"))
    }

    fn ask(&self, request: &DialogRequest) -> DialogAnswer {
        let started = Instant::now();
        let answer = self.ask_rfd(request);
        if answer == DialogAnswer::Cancelled && started.elapsed() < TOO_FAST {
            tracing::warn!("no file dialog could be shown; the window asks for paths instead");
            self.failed.store(true, Ordering::Relaxed);
        }
        answer
    }
}

impl SystemDialogs {
    fn ask_rfd(&self, request: &DialogRequest) -> DialogAnswer {
        let with_types = |mut dialog: rfd::FileDialog, types: &[FileType]| {
            for t in types {
                dialog = dialog.add_filter(&t.name, &t.extensions);
            }
            dialog
        };
        let chosen = match request {
            DialogRequest::SaveFile {
                title,
                suggested_name,
                types,
            } => with_types(rfd::FileDialog::new().set_title(title), types)
                .set_file_name(suggested_name)
                .save_file()
                .map(|p| vec![p]),
            DialogRequest::PickFolder { title } => rfd::FileDialog::new()
                .set_title(title)
                .pick_folder()
                .map(|p| vec![p]),
            DialogRequest::PickFiles { title, types } => {
                with_types(rfd::FileDialog::new().set_title(title), types).pick_files()
            }
        };
        match chosen {
            Some(paths) if !paths.is_empty() => DialogAnswer::Chosen(paths),
            _ => DialogAnswer::Cancelled,
        }
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Answers every dialog from a script, for tests: the answers are taken in order, and
/// each request is recorded.
#[derive(Debug, Default)]
pub struct ScriptedDialogs {
    answers: std::sync::Mutex<std::collections::VecDeque<DialogAnswer>>,
    asked: std::sync::Mutex<Vec<DialogRequest>>,
    unavailable: bool,
}

impl ScriptedDialogs {
    /// Dialogs that give these answers, in order (then "cancelled").
    pub fn new(answers: impl IntoIterator<Item = DialogAnswer>) -> Self {
        Self {
            answers: std::sync::Mutex::new(answers.into_iter().collect()),
            ..Self::default()
        }
    }

    /// Dialogs that cannot be shown (no desktop portal).
    pub fn unavailable() -> Self {
        Self {
            unavailable: true,
            ..Self::default()
        }
    }

    /// What was asked so far.
    pub fn asked(&self) -> Vec<DialogRequest> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

impl FileDialogs for ScriptedDialogs {
    fn available(&self) -> bool {
        !self.unavailable
    }

    fn ask(&self, request: &DialogRequest) -> DialogAnswer {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(request.clone());
        }
        self.answers
            .lock()
            .ok()
            .and_then(|mut a| a.pop_front())
            .unwrap_or(DialogAnswer::Cancelled)
    }
}

/// Shows a dialog on a thread of its own; the answer arrives on the returned channel, and
/// `waker` wakes the window when it does.
pub fn ask(
    dialogs: &Arc<dyn FileDialogs>,
    request: DialogRequest,
    waker: &Waker,
) -> Receiver<DialogAnswer> {
    let (tx, rx) = channel();
    let dialogs = Arc::clone(dialogs);
    let waker = Arc::clone(waker);
    let spawned = std::thread::Builder::new()
        .name("poplar-dialog".into())
        .spawn(move || {
            let answer = dialogs.ask(&request);
            let _ = tx.send(answer);
            waker();
        });
    if let Err(err) = spawned {
        tracing::warn!("cannot start a thread for the file dialog: {err}");
    }
    rx
}

/// Where a path field (shown instead of a dialog) starts: the home folder, or nothing.
pub fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripted_dialogs_answer_in_order_then_cancel_and_record_requests() {
        let dialogs: Arc<dyn FileDialogs> =
            Arc::new(ScriptedDialogs::new([DialogAnswer::Chosen(vec![
                PathBuf::from("/tmp/a.eml"),
            ])]));
        let waker: Waker = Arc::new(|| {});
        let request = DialogRequest::PickFolder {
            title: "Export".into(),
        };
        let first = ask(&dialogs, request.clone(), &waker).recv();
        assert_eq!(
            first,
            Ok(DialogAnswer::Chosen(vec![PathBuf::from("/tmp/a.eml")]))
        );
        let second = ask(&dialogs, request, &waker).recv();
        assert_eq!(second, Ok(DialogAnswer::Cancelled));
    }
}

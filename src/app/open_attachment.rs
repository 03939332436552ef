//! "Open" for an attachment: the system's default program shows it, Poplar never runs it.
//!
//! The file is written to a private folder first (`$XDG_RUNTIME_DIR/poplar/attachments`, a
//! per-user folder cleared at logout; without one, `opened-attachments` beside the store),
//! under a name no file there has, readable and writable by the user only and never
//! executable, then handed to the desktop's opener (`xdg-open`). A file of a type that runs
//! code when opened (a `.desktop` launcher, a script, a program, a Java archive, a Windows
//! batch file, …) is not opened: it is saved where the user chooses, with a sentence saying
//! why.

use std::path::{Path, PathBuf};
use std::sync::mpsc::channel;

use super::AppState;
use crate::export::{unused_name, write_new};

/// Endings of files that run code when opened, compared ignoring case.
const RUNS_CODE: [&str; 44] = [
    "desktop", "sh", "bash", "zsh", "ksh", "csh", "fish", "command", "run", "bin", "appimage",
    "py", "pyw", "pl", "rb", "php", "lua", "jar", "jnlp", "class", "exe", "com", "bat", "cmd",
    "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "msi", "msp", "scr", "pif",
    "cpl", "lnk", "reg", "inf", "deb", "rpm", "apk",
];

/// Types that run code, whatever the name says.
const RUNS_CODE_TYPES: [&str; 8] = [
    "application/x-desktop",
    "application/x-sh",
    "application/x-shellscript",
    "application/x-executable",
    "application/x-msdownload",
    "application/x-msdos-program",
    "application/java-archive",
    "application/x-ms-installer",
];

/// Whether opening a file of this name and type would run code.
pub fn runs_code(name: &str, mime: &str) -> bool {
    let name = name.trim_end_matches(['.', ' ']);
    let ending = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let mime = mime.split(';').next().unwrap_or_default().trim();
    ending.is_some_and(|e| RUNS_CODE.contains(&e.as_str()))
        || RUNS_CODE_TYPES.iter().any(|t| t.eq_ignore_ascii_case(mime))
}

/// The private folder opened attachments go to, made (owner only) if missing.
pub(super) fn private_dir(store_path: &Path) -> std::io::Result<PathBuf> {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(runtime) if Path::new(&runtime).is_dir() => {
            PathBuf::from(runtime).join("poplar/attachments")
        }
        _ => store_path
            .parent()
            .unwrap_or(Path::new("."))
            .join("opened-attachments"),
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;
    // Absolute, as the system's opener takes it (a relative data directory would not be).
    Ok(std::path::absolute(&dir).unwrap_or(dir))
}

/// Writes `bytes` as `name` into `dir` (user read and write only) and returns its path.
pub(super) fn write_private(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let path = unused_name(dir, name);
    write_new(&path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(path)
}

impl AppState {
    /// Opens the open message's attachment at `index` with the system's default program, or
    /// (a type that runs code) says why not and offers to save it.
    pub fn open_attachment(&mut self, index: usize) {
        let Some(attachment) = self.open_attachments().get(index).cloned() else {
            return;
        };
        if runs_code(&attachment.name, &attachment.mime) {
            self.notice(
                crate::tr!("attachment-runs-code", name = attachment.name.as_str()),
                true,
            );
            self.save_attachment(index);
            return;
        }
        let store_path = self.store_path.clone();
        let browser = std::sync::Arc::clone(&self.browser);
        let waker = std::sync::Arc::clone(&self.waker);
        let (tx, rx) = channel();
        let work = move || {
            let name = attachment.name.as_str();
            let result = private_dir(&store_path)
                .and_then(|dir| write_private(&dir, name, &attachment.bytes))
                .map_err(|err| {
                    crate::tr!(
                        "attachment-open-failed",
                        name = name,
                        error = err.to_string()
                    )
                })
                .and_then(|path| {
                    browser
                        .open_file(&path)
                        .map(|()| crate::tr!("attachment-opened", name = name))
                        .map_err(|error| {
                            crate::tr!("attachment-open-failed", name = name, error = error)
                        })
                });
            let _ = tx.send(result);
            waker();
        };
        match std::thread::Builder::new()
            .name("poplar-open".into())
            .spawn(work)
        {
            Ok(_) => self.attachment_saves.push_write(rx),
            Err(err) => self.notice(
                crate::tr!("attachment-start-failed", error = err.to_string()),
                true,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_that_run_code_are_known_by_their_ending_or_their_type() {
        for name in [
            "start.desktop",
            "install.SH",
            "invoice.pdf.exe",
            "tool.jar",
            "run.bat",
            "Rechnung.pdf.scr",
            "trailing.exe. ",
        ] {
            assert!(runs_code(name, "application/octet-stream"), "{name}");
        }
        assert!(runs_code("harmless.txt", "application/x-desktop"));
        assert!(runs_code("x", "application/x-sh; charset=utf-8"));
        for name in [
            "report.pdf",
            "photo.JPG",
            "notes.txt",
            "archive.zip",
            "noending",
        ] {
            assert!(!runs_code(name, "application/pdf"), "{name}");
        }
    }

    #[test]
    fn an_opened_file_is_private_and_never_executable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = write_private(dir.path(), "a.pdf", b"%PDF").expect("write");
        let second = write_private(dir.path(), "a.pdf", b"%PDF-2").expect("write");
        assert_ne!(first, second, "an existing file is never replaced");
        assert_eq!(std::fs::read(&first).expect("read"), b"%PDF");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&second)
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}

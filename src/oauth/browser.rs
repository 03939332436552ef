//! Opening the sign-in page: the [`Browser`] trait and the desktop's own browser.

use std::process::{Command, Stdio};

/// Something that shows a URL to the user: the system's browser, or a test's script.
pub trait Browser {
    /// Opens `url` and returns at once (the page's outcome comes back through the redirect).
    /// `Err` says why it could not be opened.
    fn open(&self, url: &str) -> Result<(), String>;

    /// Opens a file Poplar wrote itself (an attachment, a PDF to print) with the desktop's
    /// program for its type. By default handed to [`Browser::open`] as its path (what test
    /// recorders want); the system's opener takes only an absolute path to a regular file.
    fn open_file(&self, path: &std::path::Path) -> Result<(), String> {
        self.open(&path.to_string_lossy())
    }
}

/// The desktop's default browser, through its opener: `xdg-open` on Linux and the BSDs,
/// `open` on macOS, `rundll32 url.dll,FileProtocolHandler` on Windows. The program is
/// started directly, never through a shell, and not waited for (a thread reaps it).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemBrowser;

impl SystemBrowser {
    /// The opener's program and the arguments before the URL, for this system.
    fn opener() -> (&'static str, &'static [&'static str]) {
        if cfg!(target_os = "macos") {
            ("open", &[])
        } else if cfg!(windows) {
            ("rundll32", &["url.dll,FileProtocolHandler"])
        } else {
            ("xdg-open", &[])
        }
    }
}

impl Browser for SystemBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        // Only a web address or a mailto: URL (Reply hands over to the user's mail program):
        // nothing an opener could read as an option or a file.
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("mailto:"))
            || url.chars().any(char::is_control)
        {
            return Err(format!("not a web address: {url}"));
        }
        Self::start(std::ffi::OsStr::new(url))
    }

    fn open_file(&self, path: &std::path::Path) -> Result<(), String> {
        // Absolute (never read as an option), a regular file (never a folder or a device),
        // and no control characters in its name.
        let shown = path.display().to_string();
        if !path.is_absolute()
            || !path.is_file()
            || path.to_string_lossy().chars().any(char::is_control)
        {
            return Err(format!("not a file Poplar can open: {shown}"));
        }
        Self::start(path.as_os_str())
    }
}

impl SystemBrowser {
    /// Starts the opener on `target` and returns; a thread reaps it.
    fn start(target: &std::ffi::OsStr) -> Result<(), String> {
        let (program, args) = Self::opener();
        let mut child = Command::new(program)
            .args(args)
            .arg(target)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("{program}: {err}"))?;
        // Some openers stay until the browser exits; the wait must not hold up the caller.
        let reaper = std::thread::Builder::new()
            .name("poplar-browser".into())
            .spawn(move || {
                let _ = child.wait();
            });
        if let Err(err) = reaper {
            tracing::debug!(target: "poplar::oauth", "no thread to reap {program}: {err}");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_handed_to_the_opener() {
        for url in [
            "--help",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://a\n-b",
        ] {
            assert!(SystemBrowser.open(url).is_err(), "{url}");
        }
    }

    #[test]
    fn only_absolute_paths_of_regular_files_are_opened_as_files() {
        let dir = std::env::temp_dir();
        for path in [
            std::path::Path::new("--help"),
            std::path::Path::new("relative.pdf"),
            dir.as_path(),
            std::path::Path::new("/no/such/file.pdf"),
            std::path::Path::new("/dev/null"),
        ] {
            assert!(SystemBrowser.open_file(path).is_err(), "{}", path.display());
        }
    }
}

//! Opening the sign-in page: the [`Browser`] trait and the desktop's own browser.

use std::process::{Command, Stdio};

/// Something that shows a URL to the user: the system's browser, or a test's script.
pub trait Browser {
    /// Opens `url` and returns at once (the page's outcome comes back through the redirect).
    /// `Err` says why it could not be opened.
    fn open(&self, url: &str) -> Result<(), String>;
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
        let (program, args) = Self::opener();
        let mut child = Command::new(program)
            .args(args)
            .arg(url)
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
}

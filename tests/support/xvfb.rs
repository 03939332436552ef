//! A private X server (Xvfb) for tests that start the real app in a window.
//!
//! Where Xvfb is not installed these tests say they were skipped and why; with
//! `POPLAR_REQUIRE_DESKTOP=1` (as in CI) a missing Xvfb fails them.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

/// A running Xvfb; stopped when dropped.
pub struct Xvfb {
    child: Child,
    /// The display, for `DISPLAY`.
    pub display: String,
}

impl Xvfb {
    /// Starts one on a free display, or returns why not.
    pub fn start() -> Result<Self, String> {
        // -displayfd: Xvfb picks a free display and prints its number once it accepts
        // connections, so there is neither a race nor a guess.
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("Xvfb: {err}"))?;
        let stdout = child.stdout.take().ok_or("Xvfb has no stdout")?;
        let mut number = String::new();
        BufReader::new(stdout)
            .read_line(&mut number)
            .map_err(|err| format!("Xvfb: {err}"))?;
        let number = number.trim();
        if number.is_empty() {
            let _ = child.kill();
            return Err("Xvfb printed no display".into());
        }
        Ok(Self {
            display: format!(":{number}"),
            child,
        })
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

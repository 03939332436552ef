//! The desktop switches: `settings.conf` in the data directory, one `key = value` a line.
//!
//! Accounts and mail live in the store; these few switches live beside it so that the parts
//! which run before (or without) the window can read them: the notifier, the tray, a start
//! from the autostart entry. Unknown keys are kept out of the way (ignored, and dropped on the
//! next save); a value that is not `true` or `false` falls back to the default.

use std::io;
use std::path::{Path, PathBuf};

use crate::i18n::Language;

/// The file's name in the data directory.
pub const SETTINGS_FILE: &str = "settings.conf";

/// The switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DesktopSettings {
    /// A notification when a check brings new mail.
    pub notify_new_mail: bool,
    /// Closing the window leaves Poplar checking in the tray (where there is a tray).
    pub keep_running: bool,
    /// The interface's language as chosen under View → Language; `None`: the system's.
    pub language: Option<Language>,
}

impl Default for DesktopSettings {
    fn default() -> Self {
        Self {
            notify_new_mail: true,
            keep_running: false,
            language: None,
        }
    }
}

impl DesktopSettings {
    /// The settings file of a data directory.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(SETTINGS_FILE)
    }

    /// Reads the file; a missing or unreadable file gives the defaults.
    pub fn load(data_dir: &Path) -> Self {
        match std::fs::read_to_string(Self::path(data_dir)) {
            Ok(text) => Self::parse(&text),
            Err(_) => Self::default(),
        }
    }

    /// Parses the file's text.
    pub fn parse(text: &str) -> Self {
        let mut settings = Self::default();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            if key.trim() == "language" {
                settings.language = Language::from_locale(value);
                continue;
            }
            let value = match value.trim() {
                "true" => true,
                "false" => false,
                _ => continue,
            };
            match key.trim() {
                "notify_new_mail" => settings.notify_new_mail = value,
                "keep_running" => settings.keep_running = value,
                _ => {}
            }
        }
        settings
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        format!(
            "# Poplar's desktop settings (the window's Settings dialog writes this file).\n\
             notify_new_mail = {}\nkeep_running = {}\nlanguage = {}\n",
            self.notify_new_mail,
            self.keep_running,
            self.language.map_or("system", Language::code)
        )
    }

    /// Writes the file: a temporary file renamed over the old one, so a crash leaves either.
    pub fn save(&self, data_dir: &Path) -> io::Result<()> {
        let path = Self::path(data_dir);
        let temp = data_dir.join(format!("{SETTINGS_FILE}.new"));
        std::fs::write(&temp, self.to_text())?;
        std::fs::rename(&temp, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_settings_read_back_and_nonsense_falls_back_to_the_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            DesktopSettings::load(dir.path()),
            DesktopSettings::default()
        );
        let changed = DesktopSettings {
            notify_new_mail: false,
            keep_running: true,
            language: Some(Language::German),
        };
        changed.save(dir.path()).expect("save");
        assert_eq!(DesktopSettings::load(dir.path()), changed);
        let odd = DesktopSettings::parse(
            "keep_running = yes\nnotify_new_mail=false\nwhat = true\nlanguage = klingon",
        );
        assert_eq!(
            odd,
            DesktopSettings {
                notify_new_mail: false,
                keep_running: false,
                language: None,
            }
        );
    }
}

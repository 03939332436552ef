//! "Start Poplar when I log in": an entry in the XDG autostart folder
//! (`$XDG_CONFIG_HOME/autostart`, usually `~/.config/autostart`), which every freedesktop
//! session starts at login. The entry itself is the setting: it is on when the file is there,
//! so removing it through the desktop's own settings turns it off here too.

use std::io;
use std::path::{Path, PathBuf};

use super::APP_ID;

/// The entry's file name.
pub fn file_name() -> String {
    format!("{APP_ID}.desktop")
}

/// The user's autostart folder, where the platform has one.
pub fn user_dir() -> Option<PathBuf> {
    if cfg!(any(windows, target_os = "macos")) {
        return None;
    }
    match std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir).join("autostart")),
        None => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config/autostart")),
    }
}

/// Whether the entry is in `dir`.
pub fn is_enabled(dir: &Path) -> bool {
    dir.join(file_name()).is_file()
}

/// Writes the entry into `dir` (created if missing): it starts `program` in the background
/// over `data_dir`. Returns the entry's path.
pub fn enable(dir: &Path, program: &Path, data_dir: &Path) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(file_name());
    let temp = dir.join(format!(".{}.new", file_name()));
    std::fs::write(&temp, entry(program, data_dir))?;
    std::fs::rename(&temp, &path)?;
    Ok(path)
}

/// Removes the entry from `dir` (nothing to do if it is not there).
pub fn disable(dir: &Path) -> io::Result<()> {
    match std::fs::remove_file(dir.join(file_name())) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

/// The entry's text.
pub fn entry(program: &Path, data_dir: &Path) -> String {
    let exec = [
        quote(&program.to_string_lossy()),
        "--background".to_owned(),
        "--data-dir".to_owned(),
        quote(&data_dir.to_string_lossy()),
    ]
    .join(" ");
    format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=Poplar\n\
         Comment=Checks for new mail in the background\n\
         Comment[de]=Sieht im Hintergrund nach neuer Post\n\
         Exec={exec}\n\
         Icon={APP_ID}\n\
         Terminal=false\n\
         NoDisplay=true\n\
         X-GNOME-Autostart-enabled=true\n"
    )
}

/// One argument of an `Exec` line: quoted when it needs to be (Desktop Entry Specification,
/// "The Exec key"), then escaped as a desktop-file string value.
fn quote(arg: &str) -> String {
    const RESERVED: &[char] = &[
        ' ', '\t', '\n', '"', '\'', '\\', '>', '<', '~', '|', '&', ';', '$', '*', '?', '#', '(',
        ')', '`',
    ];
    let arg = arg.replace('%', "%%");
    let quoted = if arg.contains(RESERVED) || arg.is_empty() {
        let mut out = String::from("\"");
        for c in arg.chars() {
            if matches!(c, '"' | '`' | '$' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    } else {
        arg
    };
    // The value is itself a string with escapes: a backslash is written twice.
    quoted.replace('\\', "\\\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_arguments_with_spaces_quotes_and_percent_signs_are_quoted_and_escaped() {
        assert_eq!(quote("/usr/bin/poplar"), "/usr/bin/poplar");
        assert_eq!(quote("/home/a b/poplar"), "\"/home/a b/poplar\"");
        assert_eq!(quote("/x/\"q\"/$HOME"), "\"/x/\\\\\"q\\\\\"/\\\\$HOME\"");
        assert_eq!(quote("/100%/mail"), "/100%%/mail");
    }

    #[test]
    fn enabling_writes_the_entry_and_disabling_removes_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let autostart = dir.path().join("autostart");
        assert!(!is_enabled(&autostart));
        disable(&autostart).expect("removing a missing entry is fine");
        let path = enable(
            &autostart,
            Path::new("/usr/bin/poplar"),
            Path::new("/home/u/mail"),
        )
        .expect("enable");
        assert!(is_enabled(&autostart));
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("Exec=/usr/bin/poplar --background --data-dir /home/u/mail\n"));
        disable(&autostart).expect("disable");
        assert!(!is_enabled(&autostart));
    }
}

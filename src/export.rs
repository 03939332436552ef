//! Export helpers: safe file names for messages written to disk.

use std::path::{Path, PathBuf};

/// Longest file name written, in bytes, before the extension and any " (n)".
const MAX_NAME_BYTES: usize = 120;

/// Windows' reserved device names, refused as a file name's stem on every platform so an
/// export can be copied anywhere.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Makes `text` safe as one file name on Linux, macOS and Windows: no path separators,
/// control or bidirectional-override characters, no characters Windows refuses, no leading
/// dots, no trailing dots or spaces, not a reserved device name, at most 120 bytes. Letters of
/// every script are kept. Never empty: `fallback` stands in for nothing usable.
pub fn sanitize_file_name(text: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bad = c.is_control()
            || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}');
        let c = if bad { '_' } else { c };
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    let mut name = out.trim().trim_start_matches(['.', ' ']).to_owned();
    if name.len() > MAX_NAME_BYTES {
        let mut cut = MAX_NAME_BYTES;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    let name = name.trim_end_matches(['.', ' ']).to_owned();
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase();
    if name.is_empty() || name.chars().all(|c| c == '_') && fallback != name {
        return fallback.to_owned();
    }
    if RESERVED.contains(&stem.as_str()) {
        return format!("_{name}");
    }
    name
}

/// A path in `dir` for `stem.ext` that does not exist yet: ` (2)`, ` (3)` … are added.
pub fn unused_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let first = dir.join(format!("{stem}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}).{ext}")))
        .find(|path| !path.exists())
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_subjects_become_safe_names() {
        assert_eq!(
            sanitize_file_name("../../etc/passwd", "x"),
            "_.._etc_passwd"
        );
        assert_eq!(sanitize_file_name("CON", "x"), "_CON");
        assert_eq!(sanitize_file_name("nul.txt", "x"), "_nul.txt");
        assert_eq!(sanitize_file_name("a\0b\r\nc", "x"), "a_b__c");
        assert_eq!(
            sanitize_file_name("evil\u{202E}gpj.exe", "x"),
            "evil_gpj.exe"
        );
        assert_eq!(sanitize_file_name("...hidden", "x"), "hidden");
        assert_eq!(sanitize_file_name("trailing. . ", "x"), "trailing");
        assert_eq!(sanitize_file_name("", "message"), "message");
        assert_eq!(sanitize_file_name("///", "message"), "message");
        assert_eq!(sanitize_file_name("Grüße aus 東京", "x"), "Grüße aus 東京");
        let long = sanitize_file_name(&"ä".repeat(300), "x");
        assert!(long.len() <= MAX_NAME_BYTES && long.chars().all(|c| c == 'ä'));
    }

    #[test]
    fn existing_files_are_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = unused_path(dir.path(), "a", "eml");
        std::fs::write(&first, b"1").expect("write");
        let second = unused_path(dir.path(), "a", "eml");
        assert_eq!(
            second.file_name().and_then(|n| n.to_str()),
            Some("a (2).eml")
        );
    }
}

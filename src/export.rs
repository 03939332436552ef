//! Export and import formats: safe file names for .eml files, and mboxrd.

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

/// The separator line written before each message of an mbox.
const MBOX_FROM: &[u8] = b"From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n";

/// Appends one message to an mboxrd stream: a `From ` line, the message with every line that
/// starts with `>`s and `From ` given one more `>`, and a blank line. The bytes otherwise stay
/// as they are (CRLF included), so [`split_mbox`] gives back exactly the message, as long as it
/// ends with a line break (every message downloaded over POP3 does); one that does not comes
/// back with an LF, since mbox cannot say whether the last line had one.
pub fn append_mboxrd(out: &mut Vec<u8>, message: &[u8]) {
    out.extend_from_slice(MBOX_FROM);
    for line in message.split_inclusive(|&b| b == b'\n') {
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if line[quotes..].starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line);
    }
    if !message.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
}

/// True when `bytes` look like an mbox (they start with a `From ` line).
pub fn is_mbox(bytes: &[u8]) -> bool {
    bytes.starts_with(b"From ")
}

/// Splits an mboxrd (or plain mboxo) stream into its messages, undoing the `>From` quoting
/// of mboxrd and removing the blank line that ends each message.
pub fn split_mbox(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut messages = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b"From ") {
            if let Some(message) = current.take() {
                messages.push(finish_mbox_message(message));
            }
            current = Some(Vec::new());
            continue;
        }
        let Some(message) = current.as_mut() else {
            continue;
        };
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if quotes > 0 && line[quotes..].starts_with(b"From ") {
            message.extend_from_slice(&line[1..]);
        } else {
            message.extend_from_slice(line);
        }
    }
    if let Some(message) = current {
        messages.push(finish_mbox_message(message));
    }
    messages
}

fn finish_mbox_message(mut message: Vec<u8>) -> Vec<u8> {
    // The separator's blank line: "\n" after a message that ends with a line break.
    if message.ends_with(b"\n\n") || message.ends_with(b"\r\n\n") {
        message.pop();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mboxrd_round_trips_byte_exact_with_from_lines_and_crlf() {
        let messages: Vec<Vec<u8>> = vec![
            b"Subject: one\r\n\r\nFrom here on\r\n>From quoted\r\n>>From twice\r\n\r\n".to_vec(),
            b"Subject: two\n\nplain LF body\nFrom the end\n".to_vec(),
            b"Subject: three\r\n\r\n\r\n".to_vec(),
        ];
        let mut mbox = Vec::new();
        for message in &messages {
            append_mboxrd(&mut mbox, message);
        }
        assert!(is_mbox(&mbox));
        let text = String::from_utf8_lossy(&mbox);
        assert!(
            text.contains("\n>From here on")
                && text.contains("\n>>From quoted")
                && text.contains("\n>>>From twice")
        );
        assert_eq!(split_mbox(&mbox), messages);
    }

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

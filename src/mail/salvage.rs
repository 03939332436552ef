//! The fallback for input the parser rejects (no header at all) or panics on.
//!
//! It reads the header block line by line, with no MIME and no decoding beyond lossy UTF-8,
//! and keeps only what cannot mislead: the subject and the Message-ID. Everything else stays
//! empty; the raw bytes are still in the store for anyone who wants to look.

use super::Summary;
use super::text::fold;

/// The most header bytes read: enough for any real header block.
const HEADER_MAX_BYTES: usize = 256 * 1024;

/// A summary scraped from the raw header lines of `raw`.
pub fn from_headers(raw: &[u8]) -> Summary {
    let head = &raw[..raw.len().min(HEADER_MAX_BYTES)];
    let mut summary = Summary::default();
    for (name, value) in header_fields(head) {
        if name.eq_ignore_ascii_case(b"subject") && summary.subject.is_empty() {
            summary.subject = fold(&String::from_utf8_lossy(&value));
        } else if name.eq_ignore_ascii_case(b"message-id") && summary.message_id.is_none() {
            let id = fold(&String::from_utf8_lossy(&value));
            let id = id.trim_start_matches('<').trim_end_matches('>');
            if !id.is_empty() && !id.contains(char::REPLACEMENT_CHARACTER) {
                summary.message_id = Some(id.to_string());
            }
        }
    }
    summary
}

/// The header fields before the first empty line, unfolded (RFC 5322 §2.2.3). Lines that are
/// neither a field nor a continuation end the block.
fn header_fields(head: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut fields: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for line in head.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            match fields.last_mut() {
                Some((_, value)) => value.extend_from_slice(line),
                None => break,
            }
            continue;
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            break;
        };
        let name = &line[..colon];
        let is_field_name = !name.is_empty() && name.iter().all(|b| b.is_ascii_graphic());
        if !is_field_name {
            break;
        }
        fields.push((name.to_vec(), line[colon + 1..].to_vec()));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrapes_subject_and_message_id() {
        let raw = b"X-Junk: 1\r\nSubject: Hello\r\n  folded\r\nMessage-ID: <a@b>\r\n\r\nBody";
        let summary = from_headers(raw);
        assert_eq!(summary.subject, "Hello folded");
        assert_eq!(summary.message_id.as_deref(), Some("a@b"));
        assert!(summary.body_text.is_empty());
    }

    #[test]
    fn stops_at_the_first_line_that_is_not_a_field() {
        let summary = from_headers(b"not a header\nSubject: late\n");
        assert_eq!(summary, Summary::default());
    }

    #[test]
    fn garbage_gives_an_empty_summary() {
        assert_eq!(from_headers(b"\0\0\xff"), Summary::default());
        assert_eq!(from_headers(b""), Summary::default());
    }
}

//! String helpers shared by the summary code: folding, previews, cutting at a char boundary.

use super::html::is_invisible;

/// Folds white space to single spaces and drops invisible and control characters: the form
/// of a subject or a display name on one line. Leading and trailing white space goes too.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if ch.is_whitespace() {
            space = true;
        } else if !is_invisible(ch) {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}

/// The first `max_chars` visible characters of `text`, white space collapsed to single spaces.
/// Reads only as much of `text` as it needs.
pub fn preview(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(max_chars.min(text.len()));
    let mut count = 0;
    let mut space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            space = true;
            continue;
        }
        if is_invisible(ch) {
            continue;
        }
        let needed = if space && !out.is_empty() { 2 } else { 1 };
        if count + needed > max_chars {
            break;
        }
        if needed == 2 {
            out.push(' ');
        }
        out.push(ch);
        count += needed;
        space = false;
    }
    out
}

/// Normalizes body text for the index: CRLF and lone CR become LF, control and zero-width
/// characters other than LF and tab are dropped, trailing white space goes.
///
/// Bodies are long and almost everything in them is kept, so it scans bytes and copies what
/// it keeps a run at a time: a run ends only at a byte of [`STARTS_DROPPED_OR_CR`].
pub fn clean_body(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // The start of the run of kept text not yet copied to `out`.
    let mut run = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if !STARTS_DROPPED_OR_CR[usize::from(byte)] {
            at += 1;
            continue;
        }
        // Such a byte is never inside a char, so `at` is a char boundary.
        let ch = text[at..].chars().next().unwrap_or_default();
        let next = at + ch.len_utf8();
        if ch == '\r' {
            out.push_str(&text[run..at]);
            if bytes.get(next) != Some(&b'\n') {
                out.push('\n');
            }
        } else if is_invisible(ch) {
            out.push_str(&text[run..at]);
        } else {
            at = next;
            continue;
        }
        at = next;
        run = at;
    }
    out.push_str(&text[run..]);
    let end = out.trim_end().len();
    out.truncate(end);
    out
}

/// The bytes that can start a char that [`clean_body`] drops or changes: CR and the other
/// ASCII controls but LF and tab, and the UTF-8 lead bytes of the ranges that hold the
/// invisible characters of [`is_invisible`] (U+0080 to U+00BF for the C1 controls and the
/// soft hyphen, U+0340 to U+037F for U+034F, U+2000 to U+2FFF, U+F000 to U+FFFF). Every other
/// byte, continuation bytes included, is copied as it is. A unit test checks every char.
const STARTS_DROPPED_OR_CR: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = matches!(byte, 0x00..=0x08 | 0x0b..=0x1f | 0x7f | 0xc2 | 0xcd | 0xe2 | 0xef);
        byte += 1;
    }
    table
};

/// What Windows-1252 bytes 0x80 to 0x9F stand for (the rest of 0x00-0xFF is Latin-1). The
/// five unassigned bytes map to the C1 controls, as in the WHATWG encoding standard.
pub(crate) const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// `text` encoded as Windows-1252, or `None` when a character has no byte there.
pub fn windows_1252_bytes(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|ch| match u32::from(ch) {
            code @ (0..=0x7f | 0xa0..=0xff) => u8::try_from(code).ok(),
            _ => WINDOWS_1252_HIGH
                .iter()
                .position(|&high| high == ch)
                .and_then(|at| u8::try_from(0x80 + at).ok()),
        })
        .collect()
}

/// Cuts `s` to at most `max_bytes`, at a char boundary.
pub fn truncate_at_char_boundary(s: &mut String, max_bytes: usize) {
    if s.len() <= max_bytes {
        return;
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_collapses_and_trims() {
        assert_eq!(
            fold("  Re:\r\n\t hello \u{0}world\u{200b} "),
            "Re: hello world"
        );
        assert_eq!(fold(""), "");
    }

    #[test]
    fn preview_counts_chars_not_bytes() {
        assert_eq!(preview("日本語のテキスト", 3), "日本語");
        assert_eq!(preview("a  b\n\nc", 10), "a b c");
        assert_eq!(preview("ab cd", 3), "ab");
        assert_eq!(preview("ab cd", 4), "ab c");
        assert_eq!(preview("   ", 4), "");
    }

    /// The first version of [`clean_body`]: what the fast one must equal.
    fn clean_body_reference(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            match ch {
                '\r' => {
                    if chars.peek() != Some(&'\n') {
                        out.push('\n');
                    }
                }
                '\n' | '\t' => out.push(ch),
                _ if is_invisible(ch) => {}
                _ => out.push(ch),
            }
        }
        out.trim_end().to_string()
    }

    proptest::proptest! {
        #[test]
        fn clean_body_matches_the_reference(
            text in "([a-zé \t\r\n\u{0}-\u{1f}\u{7f}-\u{a0}\u{ad}\u{200b}-\u{200f}\u{feff}\u{2028}\u{3000}日]|(?s).){0,80}",
        ) {
            proptest::prop_assert_eq!(clean_body(&text), clean_body_reference(&text));
        }
    }

    #[test]
    fn every_dropped_char_starts_with_a_marked_byte() {
        for ch in ('\0'..='\u{10ffff}')
            .filter(|&ch| ch == '\r' || is_invisible(ch) && !matches!(ch, '\n' | '\t'))
        {
            let mut utf8 = [0; 4];
            let first = ch.encode_utf8(&mut utf8).as_bytes()[0];
            assert!(STARTS_DROPPED_OR_CR[usize::from(first)], "{ch:?}");
        }
    }

    #[test]
    fn clean_body_normalizes_line_ends() {
        assert_eq!(clean_body("a\r\nb\rc\nd\u{0}\t \r\n"), "a\nb\nc\nd");
    }

    #[test]
    fn windows_1252_round_trips() {
        assert_eq!(
            windows_1252_bytes("aé€ÿ"),
            Some(vec![b'a', 0xe9, 0x80, 0xff])
        );
        assert_eq!(windows_1252_bytes("日"), None);
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        let mut s = "aé".to_string();
        truncate_at_char_boundary(&mut s, 2);
        assert_eq!(s, "a");
        let mut s = "abc".to_string();
        truncate_at_char_boundary(&mut s, 5);
        assert_eq!(s, "abc");
    }
}

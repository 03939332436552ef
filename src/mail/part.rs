//! How a body part is read, shared by the summary's text and the message view: which parts
//! are markup and which plain text, and their text as the sender meant it.

use std::borrow::Cow;

use mail_parser::{MessagePart, MimeHeaders, PartType};

use super::text::windows_1252_bytes;

/// A body part's text and how to read it.
pub enum BodyText<'t> {
    /// HTML, or text/enriched (RFC 1896) and its ancestor text/richtext: tags around text,
    /// read as HTML (the converters drop the tags and keep the words).
    Markup(Cow<'t, str>),
    /// Plain text.
    Plain(Cow<'t, str>),
}

/// The text of a text or HTML part; `None` for any other part.
pub fn text_of<'t>(part: &'t MessagePart<'_>) -> Option<BodyText<'t>> {
    match &part.body {
        PartType::Html(html) => Some(BodyText::Markup(as_meant(part, html))),
        PartType::Text(text) if is_markup(part) => Some(BodyText::Markup(as_meant(part, text))),
        PartType::Text(text) => Some(BodyText::Plain(as_meant(part, text))),
        _ => None,
    }
}

fn is_markup(part: &MessagePart<'_>) -> bool {
    part.content_type()
        .and_then(|ct| ct.subtype())
        .is_some_and(|sub| {
            sub.eq_ignore_ascii_case("enriched") || sub.eq_ignore_ascii_case("richtext")
        })
}

/// A part's text, read as UTF-8 when it is labelled US-ASCII but is not: mailers that write
/// UTF-8 under a `us-ascii` label are common, and the parser (rightly, per WHATWG) reads
/// US-ASCII as Windows-1252, which turns "é" into "Ã©". The bytes are recovered exactly by
/// encoding the text back to Windows-1252; if they are valid UTF-8, that is what was meant.
fn as_meant<'t>(part: &MessagePart<'_>, text: &'t str) -> Cow<'t, str> {
    let labelled_ascii = part
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .is_some_and(|charset| {
            ["us-ascii", "ascii", "ansi_x3.4-1968"]
                .iter()
                .any(|label| charset.trim().eq_ignore_ascii_case(label))
        });
    if !labelled_ascii || text.is_ascii() {
        return Cow::Borrowed(text);
    }
    match windows_1252_bytes(text).map(String::from_utf8) {
        Some(Ok(utf8)) => Cow::Owned(utf8),
        _ => Cow::Borrowed(text),
    }
}

/// Content types of the parts of a report (RFC 6522) that are text for people to read:
/// why a message bounced, that it was read, what the original's header was.
const REPORT_TYPES: [(&str, &str); 5] = [
    ("message", "delivery-status"),
    ("message", "global-delivery-status"),
    ("message", "disposition-notification"),
    ("message", "feedback-report"),
    ("text", "rfc822-headers"),
];

/// What a reader shows of a part when the message's body gives no text; `None` for a part
/// with nothing to show that way. Asked of every part in message order, it gives: text
/// parts marked as attachments (as Thunderbird shows them, inline), the readable parts of a
/// report (a bounce's delivery status, a read receipt), and parts whose Content-Type is
/// malformed, which RFC 2045 §5.2 says to read as US-ASCII text/plain. Containers and
/// attached messages are left to their own handling.
pub fn fallback_text<'t>(part: &'t MessagePart<'_>) -> Option<BodyText<'t>> {
    let content_type = part.content_type();
    let ctype = content_type.map_or("text", |ct| ct.ctype());
    let subtype = content_type.and_then(|ct| ct.subtype());
    match &part.body {
        PartType::Multipart(_) | PartType::Message(_) => None,
        PartType::Text(_) | PartType::Html(_) => text_of(part),
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => {
            let report = subtype.is_some_and(|sub| {
                REPORT_TYPES
                    .iter()
                    .any(|(t, s)| ctype.eq_ignore_ascii_case(t) && sub.eq_ignore_ascii_case(s))
            });
            // A type without a subtype ("garbage", "text") is no valid type at all.
            let malformed = subtype.is_none_or(|sub| sub.trim().is_empty());
            let binary = bytes.contains(&0);
            ((report || malformed) && !binary)
                .then(|| BodyText::Plain(String::from_utf8_lossy(bytes)))
        }
    }
}

/// The text after a header block that never ended with an empty line: from the first line
/// that is neither a header field (`Name: value`) nor a folded continuation of one. `None`
/// when every line up to the first empty one is a field (the body, if any, was found).
pub fn headerless_tail(raw: &[u8]) -> Option<String> {
    let mut offset = 0;
    for line in raw.split_inclusive(|b| *b == b'\n') {
        let bare = line.strip_suffix(b"\n").unwrap_or(line);
        let bare = bare.strip_suffix(b"\r").unwrap_or(bare);
        if bare.is_empty() {
            return None;
        }
        let folded = bare[0] == b' ' || bare[0] == b'\t';
        let field = bare
            .iter()
            .position(|b| *b == b':')
            .is_some_and(|colon| colon > 0 && bare[..colon].iter().all(|b| b.is_ascii_graphic()));
        if !folded && !field {
            if offset == 0 {
                return None;
            }
            let tail = String::from_utf8_lossy(&raw[offset..]).into_owned();
            return (!tail.trim().is_empty()).then_some(tail);
        }
        offset += line.len();
    }
    None
}

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

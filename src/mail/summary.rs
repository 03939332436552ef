//! From a message parsed by `mail-parser` to a [`Summary`].
//!
//! mail-parser does the MIME work (boundaries, transfer encodings, charsets, RFC 2047 and
//! RFC 2231); this file decides what the reader sees: which header occurrence wins, which
//! dates are believable, what counts as an attachment, where the text comes from.

use std::borrow::Cow;
use std::sync::LazyLock;

use mail_parser::decoders::charsets::DecoderFnc;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::parsers::MessageStream;
use mail_parser::{
    Address, DateTime, Header, HeaderName, HeaderValue, Message, MessageParser, MessagePart,
    MimeHeaders, PartType,
};

use super::html::html_to_text;
use super::part::{BodyText, fallback_text, text_of};
use super::text::{clean_body, fold, preview, truncate_at_char_boundary};
use super::{BODY_TEXT_MAX_BYTES, FIELD_MAX_BYTES, PREVIEW_CHARS, Summary};

/// How deep attached messages are followed for attachments and text. mail-parser itself
/// builds nested `message/rfc822` parts on the heap, so this bounds only our own walk.
const MAX_MESSAGE_DEPTH: usize = 8;

/// How many MIME parts are looked at, in all, for the attachment flag.
const MAX_PARTS_VISITED: usize = 10_000;

/// The parser for summaries: it parses only the header fields that the summary or the MIME
/// structure reads, and skips the rest.
///
/// mail-parser's default parses every field it knows, and real mail carries many it never
/// needs here: a dozen `Received` fields (whose tokenizer showed in profiles of sync), DKIM
/// signatures, `List-*` fields parsed as addresses, `References` as ids. Skipped fields are
/// still listed in the message's headers, with their name, offsets and an empty value.
///
/// A field skipped must end where its own parser would have ended it, or the fields after it
/// would be split differently. The parsers for text, addresses, ids, lists and `Received`
/// all end a field at the first line break not followed by white space, as skipping does
/// (encoded words that run past one are read again as text). The date parser does not: after
/// a zone letter it takes two more bytes, line break or not. So every date field keeps it.
/// The tests `summary_parser_splits_*_as_the_default_one` compare the two parsers. Built once:
/// each `MessageParser` holds a hash map.
static PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        // The summary's own fields (see `header_fields`).
        .header_address(HeaderName::From)
        .header_address(HeaderName::To)
        .header_address(HeaderName::Cc)
        .header_text(HeaderName::Subject)
        .header_date(HeaderName::Date)
        .header_id(HeaderName::MessageId)
        // Not read, but parsed for where the date parser ends it (see above).
        .header_date(HeaderName::ResentDate)
        // What the parser reads to split and decode parts, and what the summary reads of
        // them (content types, charsets, dispositions and file names).
        .header_content_type(HeaderName::ContentType)
        .header_content_type(HeaderName::ContentDisposition)
        .header_text(HeaderName::ContentTransferEncoding)
        .default_header_ignore()
});

/// Parses `raw` and summarizes it; `None` when the parser finds no header at all.
pub fn from_parser(raw: &[u8]) -> Option<Summary> {
    let message = PARSER.parse(raw)?;
    let mut summary = header_fields(&message);
    summary.body_text = body_text(&message);
    if summary.body_text.trim().is_empty()
        && let Some(tail) = super::part::headerless_tail(raw)
    {
        // A header block that never ended: what follows it is the text.
        summary.body_text = clean_body(&tail);
        truncate_at_char_boundary(&mut summary.body_text, BODY_TEXT_MAX_BYTES);
    }
    summary.preview = preview(&summary.body_text, PREVIEW_CHARS);
    summary.has_attachments = has_attachments(&message);
    dismantle(message);
    Some(summary)
}

/// Parses only the header block of `raw` and summarizes that: the fallback when the full
/// parse panics in the body (mail-parser has `debug_assert!`s that real 1996 Netscape mail
/// trips; see tests/fixtures/mail/mimekit__content-length.mbox.01.eml).
pub fn from_header_block(raw: &[u8]) -> Option<Summary> {
    let message = PARSER.parse_headers(raw)?;
    Some(header_fields(&message))
}

/// The fields that come from the top-level header: sender, recipients, subject, date, id.
fn header_fields(message: &Message<'_>) -> Summary {
    let charset = fallback_charset(message);
    let (from_name, from_addr) = sender(message, charset);
    Summary {
        from_name: cap(from_name),
        from_addr: cap(from_addr),
        to: cap(address_list(message, HeaderName::To, charset)),
        cc: cap(address_list(message, HeaderName::Cc, charset)),
        subject: cap(subject(message, charset)),
        date: date(message),
        message_id: message_id(message),
        ..Summary::default()
    }
}

/// Drops a message without recursion.
///
/// Attached messages nest as values (`PartType::Message` inside a part of a `Message`), so
/// the compiler's drop glue recurses once per level; a sender who nests 20,000
/// `message/rfc822` parts (600 KB of headers) overflows a thread's stack with it. Moving each
/// nested message out onto a heap stack first keeps every drop one level deep.
pub(crate) fn dismantle(message: Message<'_>) {
    let mut pending = vec![message];
    while let Some(mut message) = pending.pop() {
        for part in &mut message.parts {
            if let PartType::Message(inner) = std::mem::take(&mut part.body) {
                pending.push(inner);
            }
        }
    }
}

/// Cuts a one-line field to [`FIELD_MAX_BYTES`], marking the cut with "…": a To field of
/// 2,700 encoded words (mimekit's stack-overflow test) is no use in a message list.
fn cap(mut field: String) -> String {
    if field.len() > FIELD_MAX_BYTES {
        truncate_at_char_boundary(&mut field, FIELD_MAX_BYTES - '…'.len_utf8());
        field.push('…');
    }
    field
}

/// The top-level values of one header field, in message order.
///
/// mail-parser's own accessors take the *last* occurrence; a reader shows the first, as
/// RFC 5322 §3.6 allows only one and the first is the one the author's client wrote (later
/// copies are usually added on the way).
///
/// A value whose raw bytes are not UTF-8 is parsed again from those bytes decoded in the
/// message's charset (see [`fallback_charset`]): RFC 5322 headers are ASCII, but old and
/// East Asian mailers write raw Latin-1, Shift_JIS or KOI8-R, which the parser would turn into
/// U+FFFD.
fn values<'m>(
    message: &'m Message<'m>,
    name: HeaderName<'static>,
    charset: Option<DecoderFnc>,
) -> Vec<Cow<'m, HeaderValue<'m>>> {
    let Some(root) = message.parts.first() else {
        return Vec::new();
    };
    root.headers
        .iter()
        .filter(|header| header.name == name)
        .map(|header| match reparse_8bit(message, header, charset) {
            Some(value) => Cow::Owned(value),
            None => Cow::Borrowed(&header.value),
        })
        .collect()
}

/// The header's value parsed again from its raw bytes in `charset`, when those bytes are
/// not UTF-8; `None` when the parser's value stands.
fn reparse_8bit(
    message: &Message<'_>,
    header: &Header<'_>,
    charset: Option<DecoderFnc>,
) -> Option<HeaderValue<'static>> {
    let decode = charset?;
    let raw = message
        .raw_message
        .get(header.offset_start as usize..header.offset_end as usize)?;
    if std::str::from_utf8(raw).is_ok() {
        return None;
    }
    let mut decoded = decode(raw);
    if !decoded.ends_with('\n') {
        // The field parsers stop at the line end that a header value always has.
        decoded.push('\n');
    }
    let mut stream = MessageStream::new(decoded.as_bytes());
    let value = match header.name {
        HeaderName::Subject => stream.parse_unstructured(),
        HeaderName::From | HeaderName::To | HeaderName::Cc => stream.parse_address(),
        _ => return None,
    };
    Some(value.into_owned())
}

/// The charset for raw 8-bit header bytes: the one the message declares for its root or, failing
/// that, for its first part that names one; Windows-1252 when none does (or when the one
/// declared is UTF-8, which those bytes are not). This is how Thunderbird reads such headers.
fn fallback_charset(message: &Message<'_>) -> Option<DecoderFnc> {
    let declared = message.parts.iter().find_map(|part| {
        part.content_type()
            .and_then(|ct| ct.attribute("charset"))
            .filter(|charset| !charset.trim().is_empty())
    });
    declared
        .filter(|charset| {
            !charset.eq_ignore_ascii_case("utf-8") && !charset.eq_ignore_ascii_case("utf8")
        })
        .and_then(|charset| charset_decoder(charset.trim().as_bytes()))
        .or_else(|| charset_decoder(b"windows-1252"))
}

fn sender(message: &Message<'_>, charset: Option<DecoderFnc>) -> (String, String) {
    let values = values(message, HeaderName::From, charset);
    let first = values
        .iter()
        .filter_map(|value| value.as_address())
        .flat_map(Address::iter)
        .find(|addr| addr.name.is_some() || addr.address.is_some());
    let Some(addr) = first else {
        return (String::new(), String::new());
    };
    let address = addr.address().map(clean_address).unwrap_or_default();
    let mut name = addr.name().map(fold).unwrap_or_default();
    if name.eq_ignore_ascii_case(&address) {
        name.clear();
    }
    (name, lower_domain(&address))
}

/// `Local@Example.COM` becomes `Local@example.com`: domains are case-insensitive, local parts
/// in principle are not (RFC 5321 §2.4).
fn lower_domain(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", domain.to_lowercase()),
        None => address.to_string(),
    }
}

/// An address as shown: folded, without an obsolete source route (`@relay:user@host`,
/// RFC 5322 §4.4).
fn clean_address(address: &str) -> String {
    let address = fold(address);
    match address
        .strip_prefix('@')
        .and_then(|rest| rest.split_once(':'))
    {
        Some((_route, mailbox)) if !mailbox.is_empty() => mailbox.to_string(),
        _ => address,
    }
}

/// All occurrences of an address field as one display list: `Name <addr>, addr2`.
fn address_list(
    message: &Message<'_>,
    name: HeaderName<'static>,
    charset: Option<DecoderFnc>,
) -> String {
    let mut items: Vec<String> = Vec::new();
    for value in values(message, name, charset) {
        match value.as_ref() {
            HeaderValue::Address(Address::List(list)) => {
                items.extend(list.iter().filter_map(|a| display(a.name(), a.address())));
            }
            HeaderValue::Address(Address::Group(groups)) => {
                for group in groups {
                    let members: Vec<String> = group
                        .addresses
                        .iter()
                        .filter_map(|a| display(a.name(), a.address()))
                        .collect();
                    match (group.name.as_deref().map(fold), members.is_empty()) {
                        // "undisclosed-recipients:;" says something; keep it.
                        (Some(label), true) if !label.is_empty() => {
                            items.push(format!("{label}:;"))
                        }
                        _ => items.extend(members),
                    }
                }
            }
            // Unparsable as addresses: show the text rather than nothing.
            HeaderValue::Text(text) => {
                let text = fold(text);
                if !text.is_empty() {
                    items.push(text);
                }
            }
            _ => {}
        }
    }
    items.join(", ")
}

/// One address for display: `Name <addr>`, or whichever of the two exists.
fn display(name: Option<&str>, address: Option<&str>) -> Option<String> {
    let name = name.map(fold).unwrap_or_default();
    let address = address.map(clean_address).unwrap_or_default();
    match (name.is_empty(), address.is_empty()) {
        (true, true) => None,
        (true, false) => Some(address),
        (false, true) => Some(name),
        (false, false) if name.eq_ignore_ascii_case(&address) => Some(address),
        (false, false) => {
            // A name with a comma would read as two recipients in the list: quote it.
            if name.contains([',', ';', '<', '>', '"']) {
                let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
                Some(format!("\"{escaped}\" <{address}>"))
            } else {
                Some(format!("{name} <{address}>"))
            }
        }
    }
}

fn subject(message: &Message<'_>, charset: Option<DecoderFnc>) -> String {
    values(message, HeaderName::Subject, charset)
        .iter()
        .find_map(|value| match value.as_ref() {
            HeaderValue::Text(text) => Some(fold(text)),
            HeaderValue::TextList(list) => Some(fold(&list.join(", "))),
            _ => None,
        })
        .unwrap_or_default()
}

/// The first Date field that parses to a believable time.
fn date(message: &Message<'_>) -> Option<i64> {
    message
        .header_values(HeaderName::Date)
        .filter_map(HeaderValue::as_datetime)
        .find_map(unix_seconds)
}

/// Unix seconds for a parsed date, or `None` when a field is out of range: mail-parser
/// returns whatever numbers it found, so "Feb 31", hour 25 or year 0 arrive here.
pub(crate) fn unix_seconds(date: &DateTime) -> Option<i64> {
    let days_in_month = match date.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(date.year) => 29,
        2 => 28,
        _ => return None,
    };
    let valid = (1970..=9999).contains(&date.year)
        && (1..=days_in_month).contains(&date.day)
        && date.hour <= 23
        && date.minute <= 59
        // RFC 5322 §3.3 allows a leap second.
        && date.second <= 60
        && date.tz_hour <= 23
        && date.tz_minute <= 59;
    valid.then(|| date.to_timestamp())
}

fn is_leap_year(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn message_id(message: &Message<'_>) -> Option<String> {
    message
        .header_values(HeaderName::MessageId)
        .find_map(|value| match value {
            HeaderValue::Text(text) => Some(text.as_ref()),
            HeaderValue::TextList(list) => list.first().map(|t| t.as_ref()),
            _ => None,
        })
        .map(|id| {
            let id = fold(id);
            let id = id.strip_prefix('<').unwrap_or(&id);
            let id = id.strip_suffix('>').unwrap_or(id);
            id.to_string()
        })
        .filter(|id| !id.is_empty())
}

/// Where a part sits: what kind of multipart holds it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parent {
    /// The root of a message (top-level or attached).
    Root,
    Related,
    Signed,
    Other,
}

/// Whether any part of the message, or of a message attached to it, is an attachment.
fn has_attachments(message: &Message<'_>) -> bool {
    // An explicit stack: nesting comes from the sender and must not reach our call stack.
    let mut stack: Vec<(&Message<'_>, u32, Parent, usize)> = vec![(message, 0, Parent::Root, 0)];
    let mut visited = 0;
    while let Some((msg, part_id, parent, depth)) = stack.pop() {
        visited += 1;
        if visited > MAX_PARTS_VISITED {
            break;
        }
        let Some(part) = msg.parts.get(part_id as usize) else {
            continue;
        };
        match &part.body {
            PartType::Multipart(children) => {
                let kind = match part.content_type().and_then(|ct| ct.subtype()) {
                    Some(sub) if sub.eq_ignore_ascii_case("related") => Parent::Related,
                    Some(sub) if sub.eq_ignore_ascii_case("signed") => Parent::Signed,
                    _ => Parent::Other,
                };
                for &child in children.iter().rev() {
                    // A part listing itself or an ancestor would loop; ids only grow.
                    if child > part_id {
                        stack.push((msg, child, kind, depth));
                    }
                }
            }
            PartType::Message(inner) => {
                if is_attachment(part, parent) {
                    return true;
                }
                if depth < MAX_MESSAGE_DEPTH {
                    stack.push((inner, 0, Parent::Root, depth + 1));
                }
            }
            _ => {
                if is_attachment(part, parent) {
                    return true;
                }
            }
        }
    }
    false
}

/// The attachment rule. Explicit `Content-Disposition: attachment` counts; so does a part
/// with a file name that is not body text, even when marked inline, because Apple Mail marks
/// every photo and PDF it sends inline. What does not count: parts of `multipart/related`
/// (the images an HTML body shows), and the signature of `multipart/signed`.
fn is_attachment(part: &MessagePart<'_>, parent: Parent) -> bool {
    let content_type = part.content_type();
    let ctype = content_type.map(|ct| ct.ctype()).unwrap_or("text");
    let subtype = content_type.and_then(|ct| ct.subtype()).unwrap_or("plain");
    let is_signature = parent == Parent::Signed
        && ctype.eq_ignore_ascii_case("application")
        && matches!(
            subtype.to_ascii_lowercase().as_str(),
            "pgp-signature" | "pkcs7-signature" | "x-pkcs7-signature"
        );
    if is_signature {
        // The signature of multipart/signed is part of the message, not something sent.
        return false;
    }
    if part
        .content_disposition()
        .is_some_and(|d| d.is_attachment())
    {
        return true;
    }
    let is_body_text = ctype.eq_ignore_ascii_case("text")
        && (subtype.eq_ignore_ascii_case("plain") || subtype.eq_ignore_ascii_case("html"));
    if is_body_text || parent == Parent::Related {
        return false;
    }
    part.attachment_name()
        .is_some_and(|name| !name.trim().is_empty())
}

/// The index text: the message's own text parts, then those of attached messages, cleaned
/// and cut to [`BODY_TEXT_MAX_BYTES`].
fn body_text(message: &Message<'_>) -> String {
    let mut out = String::new();
    let mut stack: Vec<(&Message<'_>, usize)> = vec![(message, 0)];
    while let Some((msg, depth)) = stack.pop() {
        if out.len() > BODY_TEXT_MAX_BYTES {
            break;
        }
        let own = own_text(msg);
        if out.is_empty() {
            // The first text is taken as it is, not copied.
            out = own;
        } else if !own.is_empty() {
            out.push_str("\n\n");
            out.push_str(&own);
        }
        if depth < MAX_MESSAGE_DEPTH {
            let attached = msg.parts.iter().filter_map(|part| match &part.body {
                PartType::Message(inner) => Some((inner, depth + 1)),
                _ => None,
            });
            let attached: Vec<_> = attached.collect();
            stack.extend(attached.into_iter().rev());
        }
    }
    truncate_at_char_boundary(&mut out, BODY_TEXT_MAX_BYTES);
    out
}

/// A message's own body text: its text/plain parts (HTML converted where an alternative has
/// no plain part, as mail-parser's `text_body` lists it); the HTML parts when that is blank;
/// failing both, whatever readable text is left (see [`leftover_text`]), and then the text
/// a reader shows of a message without body text (see [`fallback_text`]).
fn own_text(message: &Message<'_>) -> String {
    let text = join_parts(message, &message.text_body);
    if !text.trim().is_empty() {
        return text;
    }
    let html = join_parts(message, &message.html_body);
    if !html.trim().is_empty() {
        return html;
    }
    let leftover = join_parts(message, &leftover_text(message));
    if !leftover.trim().is_empty() {
        return leftover;
    }
    let every: Vec<u32> = (0..message.parts.len())
        .filter_map(|id| u32::try_from(id).ok())
        .collect();
    join_with(message, &every, fallback_text)
}

/// Text parts that are no attachment but that mail-parser left out of its body lists: a
/// text/plain part whose boundary never came, a multipart whose framing failed and which
/// came back as text, an HTML part listed behind an image in `multipart/related`, a
/// `text/enriched` body. For broken mail, the only text a reader would see.
fn leftover_text(message: &Message<'_>) -> Vec<u32> {
    let ids = message.parts.iter().enumerate().filter_map(|(id, part)| {
        if part
            .content_disposition()
            .is_some_and(|d| d.is_attachment())
        {
            return None;
        }
        let content_type = part.content_type();
        let ctype = content_type.map(|ct| ct.ctype()).unwrap_or("text");
        let subtype = content_type.and_then(|ct| ct.subtype()).unwrap_or("plain");
        let readable = match &part.body {
            PartType::Html(_) => true,
            PartType::Text(_) if ctype.eq_ignore_ascii_case("multipart") => true,
            PartType::Text(_) => {
                ctype.eq_ignore_ascii_case("text")
                    && ["plain", "enriched", "richtext"]
                        .iter()
                        .any(|known| subtype.eq_ignore_ascii_case(known))
            }
            _ => false,
        };
        readable.then_some(id)
    });
    ids.filter_map(|id| u32::try_from(id).ok()).collect()
}

fn join_parts(message: &Message<'_>, ids: &[u32]) -> String {
    join_with(message, ids, text_of)
}

/// The text of the parts `ids`, each read by `read`, cleaned and joined.
fn join_with<'m>(
    message: &'m Message<'_>,
    ids: &[u32],
    read: impl for<'p> Fn(&'p MessagePart<'m>) -> Option<BodyText<'p>>,
) -> String {
    let mut out = String::new();
    for &id in ids {
        if out.len() > BODY_TEXT_MAX_BYTES {
            break;
        }
        let Some(part) = message.parts.get(id as usize) else {
            continue;
        };
        let text = match read(part) {
            Some(BodyText::Markup(markup)) => clean_body(&html_to_text(&markup)),
            Some(BodyText::Plain(text)) => clean_body(&text),
            None => continue,
        };
        if text.trim().is_empty() {
            continue;
        }
        if out.is_empty() && !text.starts_with('\n') {
            // The first part's text is taken as it is, not copied.
            out = text;
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(text.trim_start_matches('\n'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields that [`PARSER`] parses; it skips the rest.
    const KEPT: [HeaderName<'static>; 10] = [
        HeaderName::From,
        HeaderName::To,
        HeaderName::Cc,
        HeaderName::Subject,
        HeaderName::Date,
        HeaderName::MessageId,
        HeaderName::ContentType,
        HeaderName::ContentDisposition,
        HeaderName::ContentTransferEncoding,
        HeaderName::ResentDate,
    ];

    /// The default parser's message with the values of the fields [`PARSER`] skips emptied:
    /// what [`PARSER`] must give.
    fn blank_skipped(message: &mut Message<'_>) {
        for part in &mut message.parts {
            for header in &mut part.headers {
                if !KEPT.contains(&header.name) {
                    header.value = HeaderValue::Empty;
                }
            }
            if let PartType::Message(inner) = &mut part.body {
                blank_skipped(inner);
            }
        }
    }

    fn assert_same_parse(raw: &[u8]) {
        let mut expected = MessageParser::default().parse(raw);
        if let Some(message) = &mut expected {
            blank_skipped(message);
        }
        assert_eq!(
            PARSER.parse(raw),
            expected,
            "{:?}",
            String::from_utf8_lossy(raw)
        );
    }

    #[test]
    fn summary_parser_splits_fields_as_the_default_one() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).expect("fixtures") {
            let path = entry.expect("fixture").path();
            if path.extension().is_some_and(|ext| ext == "eml") {
                let raw = std::fs::read(&path).expect("fixture");
                // The fixture that makes the parser panic is summarized by the fallback.
                if std::panic::catch_unwind(|| MessageParser::default().parse(&raw)).is_ok() {
                    assert_same_parse(&raw);
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked} fixtures");
    }

    proptest::proptest! {
        /// Fields that the default parser reads as addresses, ids, Received, lists or text,
        /// with quotes, comments, encoded words and stray line breaks, before a body.
        #[test]
        fn summary_parser_splits_hostile_fields_as_the_default_one(
            fields in proptest::collection::vec(
                (
                    "(Received|References|In-Reply-To|Return-Path|List-Id|List-Post|Keywords|\
                     Comments|Content-Language|Content-ID|Resent-Date|Resent-To|Sender|\
                     Reply-To|Bcc|MIME-Version|X-Other|From|To|Subject|Date|Message-ID|\
                     Content-Type|Content-Transfer-Encoding)",
                    "[a-zA-Z0-9<>()\"\\\\,;:@=?.é_ \t\r\n-]{0,40}",
                ),
                0..12,
            ),
            body in "[a-z\n]{0,20}",
        ) {
            let mut raw = String::new();
            for (name, value) in fields {
                raw.push_str(&format!("{name}:{value}\n"));
            }
            raw.push('\n');
            raw.push_str(&body);
            assert_same_parse(raw.as_bytes());
        }
    }
}

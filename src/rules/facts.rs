//! [`MessageFacts`]: what a rule sees of a message, and how it is read from the raw bytes.

use std::sync::LazyLock;

use mail_parser::{Address, HeaderName, HeaderValue, MessageParser};

use crate::mail::{PARSE_MAX_BYTES, Summary, summarize};
use crate::store::AccountId;

/// The most header fields kept: far more than real mail has (a dozen `Received`, a few
/// signatures), few enough that a message of 100,000 one-line fields costs little.
const MAX_HEADERS: usize = 1000;

/// The longest header value kept, in bytes (cut at a char boundary): room for a long
/// `Autocrypt` or DKIM field, not for a megabyte one.
const HEADER_VALUE_MAX_BYTES: usize = 16 * 1024;

/// The header parser: address parsing for From, To and Cc (for the recipients' names and
/// addresses), RFC 2047 decoding as unstructured text for every other field. With one parser
/// for nearly all fields, every field ends at the first line break not followed by white
/// space (see the note on `PARSER` in `mail/summary.rs` about the date parser, which is not
/// used here). Built once: it holds a hash map.
static PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .header_address(HeaderName::From)
        .header_address(HeaderName::To)
        .header_address(HeaderName::Cc)
        .default_header_text()
});

/// A display name and an address, either of which may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name, decoded; empty when there is none.
    pub name: String,
    /// The address; empty when there is none.
    pub address: String,
}

/// What a rule sees of one message. Strings are decoded UTF-8 as the message has them; rules
/// fold them when they compare (see [`fold`](super::fold)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageFacts {
    /// The account the message was downloaded for.
    pub account: AccountId,
    /// The sender, as the message list shows it.
    pub from: Mailbox,
    /// The To recipients, then the Cc ones, members of groups included.
    pub recipients: Vec<Mailbox>,
    /// The subject, decoded, as the message list shows it.
    pub subject: String,
    /// Every header field of the message, in order, repeated ones repeated: the name as the
    /// message spells it (or mail-parser's spelling of a name it knows), the value decoded
    /// (RFC 2047) and unfolded. At most [`MAX_HEADERS`] fields.
    pub headers: Vec<(String, String)>,
    /// The size of the raw message in bytes.
    pub size: u64,
    /// Whether it has an attachment, by the message list's rule
    /// ([`Summary::has_attachments`]).
    pub has_attachment: bool,
}

impl MessageFacts {
    /// The facts of the raw message `raw`, downloaded for `account`. It never panics, whatever
    /// the bytes: what cannot be read is left empty (an input with no header at all gives
    /// facts with only the size and the account).
    pub fn from_raw(raw: &[u8], account: AccountId) -> Self {
        Self::from_summary(&summarize(raw), raw, account)
    }

    /// The facts of `raw`, whose [`Summary`] the caller has already made (the ingest path
    /// does): the sender, subject and attachment flag come from it, so a rule sees them as
    /// the message list shows them; the recipients and header fields are read from `raw`.
    pub fn from_summary(summary: &Summary, raw: &[u8], account: AccountId) -> Self {
        let (recipients, headers) = read_headers(raw);
        Self {
            account,
            from: Mailbox {
                name: summary.from_name.clone(),
                address: summary.from_addr.clone(),
            },
            recipients,
            subject: summary.subject.clone(),
            headers,
            size: u64::try_from(raw.len()).unwrap_or(u64::MAX),
            has_attachment: summary.has_attachments,
        }
    }

    /// The values of every header field named `name` (in any case), in order.
    pub fn header_values<'f>(&'f self, name: &'f str) -> impl Iterator<Item = &'f str> + 'f {
        self.headers
            .iter()
            .filter(move |(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The recipients and the header fields of `raw`; both empty when the parser finds no
/// header or panics (mail-parser promises not to, but one message must not end a sync).
fn read_headers(raw: &[u8]) -> (Vec<Mailbox>, Vec<(String, String)>) {
    let raw = &raw[..raw.len().min(PARSE_MAX_BYTES)];
    let parsed = std::panic::catch_unwind(|| {
        let Some(message) = PARSER.parse_headers(raw) else {
            return (Vec::new(), Vec::new());
        };
        let Some(root) = message.parts.first() else {
            return (Vec::new(), Vec::new());
        };
        let mut recipients = Vec::new();
        let mut headers = Vec::new();
        for header in root.headers.iter().take(MAX_HEADERS) {
            if matches!(header.name, HeaderName::To | HeaderName::Cc)
                && let HeaderValue::Address(address) = &header.value
            {
                recipients.extend(mailboxes(address));
            }
            let mut value = value_text(&header.value);
            cut(&mut value, HEADER_VALUE_MAX_BYTES);
            headers.push((header.name.as_str().to_string(), value));
        }
        (recipients, headers)
    });
    parsed.unwrap_or_else(|_| {
        tracing::warn!(
            target: "poplar::rules",
            bytes = raw.len(),
            "the header parser panicked; rules see no recipients and no header fields"
        );
        (Vec::new(), Vec::new())
    })
}

/// The mailboxes of an address field, members of groups included; entries with neither a
/// name nor an address are left out.
fn mailboxes<'a>(address: &'a Address<'_>) -> impl Iterator<Item = Mailbox> + 'a {
    address
        .iter()
        .map(|addr| Mailbox {
            name: addr.name().unwrap_or_default().trim().to_string(),
            address: addr.address().unwrap_or_default().trim().to_string(),
        })
        .filter(|mailbox| !mailbox.name.is_empty() || !mailbox.address.is_empty())
}

/// A header value as one line of text: text as it is, lists joined with ", ", addresses as
/// `Name <address>` joined with ", ".
fn value_text(value: &HeaderValue<'_>) -> String {
    match value {
        HeaderValue::Text(text) => text.trim().to_string(),
        HeaderValue::TextList(list) => list.join(", "),
        HeaderValue::Address(address) => mailboxes(address)
            .map(|mailbox| display(&mailbox))
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// `Name <address>`, or whichever of the two there is.
pub(super) fn display(mailbox: &Mailbox) -> String {
    match (mailbox.name.is_empty(), mailbox.address.is_empty()) {
        (false, false) => format!("{} <{}>", mailbox.name, mailbox.address),
        (true, _) => mailbox.address.clone(),
        (false, true) => mailbox.name.clone(),
    }
}

/// Cuts `text` to at most `max` bytes, at a char boundary.
fn cut(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

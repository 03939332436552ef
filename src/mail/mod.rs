//! Message understanding: what the store keeps about a message besides its raw bytes.
//!
//! Pure functions, no I/O. The store calls [`summarize`] once per message at ingest and keeps
//! the [`Summary`] beside the raw bytes (which it never changes); the full-text index gets
//! [`Summary::body_text`].
//!
//! - `summary`: the parsed message (through the `mail-parser` crate) to a [`Summary`]:
//!   decoded addresses and subject, the date as Unix seconds, attachment detection, the text.
//! - `salvage`: the last fallback, for input the parser rejects or panics on.
//! - `html`: [`html_to_text`], the converter that gives HTML-only mail its preview and
//!   index text.
//! - [`rich`]: a body as a document of blocks and spans (HTML and text/plain, flowed,
//!   quotes, links, `cid:` images) for the message view; [`view`]: which parts of a message
//!   the view shows, and its attachments, decoded.
//! - `part`: how a body part is read (markup or plain text, and its text as the sender
//!   meant it), for the summary's text and the view alike.
//! - `text`: small string helpers: white-space folding, the preview, cutting at a char
//!   boundary.
//!
//! - `fields`: [`header_fields`], a few named fields by a plain scan of the header block;
//!   [`threading`]: the Message-IDs a message answers, which link it into a conversation.
//!
//! `summarize` never panics and never hangs, whatever the bytes: mail comes from strangers.

mod fields;
mod html;
pub mod mailto;
mod part;
pub mod rich;
mod salvage;
mod summary;
mod text;
pub mod threading;
pub mod view;
mod words;

pub use fields::header_fields;
pub use html::html_to_text;
pub use words::distinct_words;

/// The longest preview, in characters.
pub const PREVIEW_CHARS: usize = 160;

/// The most body text kept for the full-text index, in bytes (cut at a char boundary).
pub const BODY_TEXT_MAX_BYTES: usize = 256 * 1024;

/// The longest one-line field (name, address, To, Cc, subject), in bytes; a longer one is cut
/// at a char boundary and ends with "…".
pub const FIELD_MAX_BYTES: usize = 4096;

/// The most bytes of a message that are parsed. A longer message is summarized from its
/// first 64 MiB: headers and text come first in any sane message, and the parser's memory
/// stays bounded.
pub const PARSE_MAX_BYTES: usize = 64 * 1024 * 1024;

/// What the store keeps about a message besides its raw bytes.
///
/// Every string is decoded to UTF-8 and free of control characters, except `body_text`,
/// which keeps its line breaks and tabs. Fields the message lacks are empty (or `None`).
/// One-line fields are at most [`FIELD_MAX_BYTES`] long.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The sender's display name, decoded (RFC 2047); empty when the From field has none.
    pub from_name: String,
    /// The sender's address with its domain lower-cased; empty when there is none.
    pub from_addr: String,
    /// The To recipients as a display list: `Name <addr>, addr2`, decoded.
    pub to: String,
    /// The Cc recipients, in the same form as `to`.
    pub cc: String,
    /// The subject, decoded, with white space folded to single spaces; may be empty.
    pub subject: String,
    /// The Date field as Unix seconds (UTC); `None` when it is missing, unparsable, or out of
    /// range (before 1970 or after 9999).
    pub date: Option<i64>,
    /// The Message-ID without its angle brackets.
    pub message_id: Option<String>,
    /// Whether any part (of the message or of a message attached to it) is an attachment: a
    /// part with `Content-Disposition: attachment`, or a part with a file name that is not
    /// text/plain or text/html (even one marked inline: Apple Mail marks every photo so).
    /// Images of `multipart/related` and the signature of `multipart/signed` do not count.
    pub has_attachments: bool,
    /// The first [`PREVIEW_CHARS`] characters of the body text, white space collapsed to
    /// single spaces.
    pub preview: String,
    /// The text for the full-text index: the text/plain parts, or the HTML parts converted to
    /// text where there is no plain part, then the text of attached messages; at most
    /// [`BODY_TEXT_MAX_BYTES`].
    pub body_text: String,
}

/// Summarizes a raw RFC 5322 message: decoded header fields, attachment flag, preview and
/// index text.
///
/// It never panics and never hangs. Malformed mail gets whatever can be salvaged: if the
/// parser panics, the header block is parsed alone (no body text, no attachment flag), and
/// failing that the subject and Message-ID are scraped from the raw lines. Input with no
/// header at all gets an empty summary. Messages longer than
/// [`PARSE_MAX_BYTES`] are summarized from their beginning.
pub fn summarize(raw: &[u8]) -> Summary {
    let raw = &raw[..raw.len().min(PARSE_MAX_BYTES)];
    // mail-parser promises not to panic, but a panic here would abort a whole sync; the
    // closure only reads `raw`, so nothing is left half-changed if it unwinds.
    match std::panic::catch_unwind(|| summary::from_parser(raw)) {
        Ok(Some(summary)) => summary,
        Ok(None) => salvage::from_headers(raw),
        Err(_) => {
            tracing::warn!(
                target: "poplar::mail",
                bytes = raw.len(),
                "the message parser panicked; summarizing the header only"
            );
            // The header block alone, parsed; failing that, scraped line by line.
            match std::panic::catch_unwind(|| summary::from_header_block(raw)) {
                Ok(Some(summary)) => summary,
                _ => std::panic::catch_unwind(|| salvage::from_headers(raw)).unwrap_or_default(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test mail written with LF line ends, sent with CRLF.
    pub(super) fn crlf(text: &str) -> Vec<u8> {
        text.replace('\n', "\r\n").into_bytes()
    }

    /// A message with `header` lines and a `multipart/{kind}` body of `parts` (each its
    /// header lines, a blank line and its body), with CRLF line ends.
    pub(super) fn multipart(header: &str, kind: &str, parts: &[&str]) -> Vec<u8> {
        let mut text = format!("{header}Content-Type: multipart/{kind}; boundary=b\n\n");
        for part in parts {
            text.push_str(&format!("--b\n{part}\n"));
        }
        text.push_str("--b--\n");
        crlf(&text)
    }

    #[test]
    fn decodes_rfc2047_subject_and_from() {
        let raw = crlf(
            "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@Vm1.Ulg.AC.BE>\n\
             To: Keld <keld@example.com>, =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>\n\
             Cc: \"Doe, Jane\" <jane@example.com>\n\
             Subject: =?utf-8?q?Caf=C3=A9?=\n  =?utf-8?q?_cr=C3=A8me?=\n\
             Date: Tue, 1 Jul 2003 10:52:37 +0200\n\
             Message-ID: <abc@example.com>\n\
             \n\
             Hello\n  there.\n",
        );
        let summary = summarize(&raw);
        assert_eq!(summary.subject, "Café crème");
        assert_eq!(summary.from_name, "André Pirard");
        assert_eq!(summary.from_addr, "PIRARD@vm1.ulg.ac.be");
        assert_eq!(
            summary.to,
            "Keld <keld@example.com>, 山田 <yamada@example.jp>"
        );
        assert_eq!(summary.cc, "\"Doe, Jane\" <jane@example.com>");
        assert_eq!(summary.date, Some(1_057_049_557));
        assert_eq!(summary.message_id.as_deref(), Some("abc@example.com"));
        assert_eq!(summary.preview, "Hello there.");
        assert_eq!(summary.body_text, "Hello\n  there.");
        assert!(!summary.has_attachments);
    }

    #[test]
    fn missing_or_impossible_date_is_none() {
        let summary = summarize(b"Subject: no date\n\nbody\n");
        assert_eq!(summary.subject, "no date");
        assert_eq!(summary.date, None);
        for bad in [
            "Date: yesterday",
            "Date: Mon, 1 Jan 1900 00:00:00 +0000",
            "Date: Mon, 31 Feb 2020 10:00:00 +0000",
            "Date: Mon, 1 Jan 2020 25:00:00 +0000",
            "Date:",
        ] {
            let raw = format!("Subject: s\n{bad}\n\nbody\n");
            assert_eq!(summarize(raw.as_bytes()).date, None, "{bad}");
        }
    }

    #[test]
    fn first_date_field_wins_and_zones_are_applied() {
        let raw =
            b"Date: Thu, 1 Jan 1970 01:00:00 +0100\nDate: Fri, 2 Jan 1970 00:00:00 +0000\n\nx\n";
        assert_eq!(summarize(raw).date, Some(0));
    }

    #[test]
    fn html_only_mail_gets_a_text_preview() {
        let raw = crlf(
            "From: news@example.com\n\
             Subject: News\n\
             Content-Type: text/html; charset=utf-8\n\
             \n\
             <html><head><style>p{}</style></head><body><p>Big&nbsp;news &amp; more</p>\
             <p>Second</p></body></html>\n",
        );
        let summary = summarize(&raw);
        assert_eq!(summary.preview, "Big news & more Second");
        assert_eq!(summary.body_text, "Big news & more\n\nSecond");
        assert_eq!(summary.from_name, "");
        assert_eq!(summary.from_addr, "news@example.com");
    }

    #[test]
    fn alternative_prefers_the_plain_part() {
        let raw = multipart(
            "Subject: alt\n",
            "alternative",
            &[
                "Content-Type: text/plain\n\nplain words",
                "Content-Type: text/html\n\n<p>html words</p>",
            ],
        );
        let summary = summarize(&raw);
        assert_eq!(summary.body_text, "plain words");
        assert!(!summary.has_attachments);
    }

    fn mixed(second_part_headers: &str) -> Vec<u8> {
        multipart(
            "Subject: att\n",
            "mixed",
            &[
                "Content-Type: text/plain\n\nsee attached",
                &format!("{second_part_headers}\n\nAAAA"),
            ],
        )
    }

    #[test]
    fn detects_attachments() {
        let attached = mixed(
            "Content-Type: application/pdf; name=\"=?utf-8?q?r=C3=A9sum=C3=A9.pdf?=\"\n\
             Content-Transfer-Encoding: base64\n\
             Content-Disposition: attachment",
        );
        assert!(summarize(&attached).has_attachments);
        let named = mixed("Content-Type: application/pdf; name=report.pdf");
        assert!(summarize(&named).has_attachments);
        let text_attachment = mixed("Content-Type: text/plain\nContent-Disposition: attachment");
        assert!(summarize(&text_attachment).has_attachments);
        // Apple Mail sends photos inline; a named image in multipart/mixed is an attachment.
        let inline_photo =
            mixed("Content-Type: image/jpeg; name=IMG_1.jpg\nContent-Disposition: inline");
        assert!(summarize(&inline_photo).has_attachments);
        let nameless_inline = mixed("Content-Type: image/png\nContent-Disposition: inline");
        assert!(!summarize(&nameless_inline).has_attachments);
        let nameless = mixed("Content-Type: application/octet-stream");
        assert!(!summarize(&nameless).has_attachments);
    }

    #[test]
    fn related_images_and_signatures_are_not_attachments() {
        let related = multipart(
            "",
            "related",
            &[
                "Content-Type: text/html\n\n<img src=\"cid:x\">hi",
                "Content-Type: image/png; name=logo.png\n\
                 Content-ID: <x>\n\
                 Content-Transfer-Encoding: base64\n\
                 \n\
                 AAAA",
            ],
        );
        let summary = summarize(&related);
        assert!(!summary.has_attachments);
        assert_eq!(summary.preview, "hi");
        let signed = multipart(
            "",
            "signed; protocol=\"application/pgp-signature\"",
            &[
                "Content-Type: text/plain\n\nsigned text",
                "Content-Type: application/pgp-signature; name=signature.asc\n\
                 Content-Disposition: attachment; filename=signature.asc\n\
                 \n\
                 -----BEGIN PGP SIGNATURE-----",
            ],
        );
        assert!(!summarize(&signed).has_attachments);
    }

    #[test]
    fn raw_8bit_headers_are_read_in_the_message_charset() {
        let mut latin1 = b"Subject: Ver\xe3o\nFrom: Jo\xe3o <j@example.com>\n\nbody\n".to_vec();
        assert_eq!(
            summarize(&latin1).subject,
            "Verão",
            "Windows-1252 without a charset"
        );
        assert_eq!(summarize(&latin1).from_name, "João");
        // Shift_JIS bytes for "テスト", with the charset named only by the body.
        latin1.clear();
        latin1.extend_from_slice(b"Subject: \x83\x65\x83\x58\x83\x67\n");
        latin1.extend_from_slice(b"Content-Type: text/plain; charset=Shift_JIS\n\nbody\n");
        assert_eq!(summarize(&latin1).subject, "テスト");
    }

    #[test]
    fn utf8_under_a_us_ascii_label_is_read_as_utf8() {
        let raw = "Content-Type: text/plain; charset=us-ascii\n\nEnvoyé\n".as_bytes();
        assert_eq!(summarize(raw).body_text, "Envoyé");
    }

    #[test]
    fn broken_framing_still_gives_text() {
        let raw = b"Content-Type: multipart/alternative; boundary=never\n\nJust text.\n";
        assert_eq!(summarize(raw).preview, "Just text.");
    }

    #[test]
    fn huge_fields_are_capped() {
        let to: Vec<String> = (0..2000).map(|i| format!("user{i}@example.com")).collect();
        let raw = format!("To: {}\nSubject: s\n\nbody\n", to.join(", "));
        let summary = summarize(raw.as_bytes());
        assert!(summary.to.len() <= FIELD_MAX_BYTES);
        assert!(summary.to.ends_with('…'));
    }

    #[test]
    fn garbage_and_empty_input_give_an_empty_summary() {
        assert_eq!(summarize(b"\0\0\xff"), Summary::default());
        assert_eq!(summarize(b""), Summary::default());
        assert_eq!(summarize(b"\r\n\r\n"), Summary::default());
    }

    #[test]
    fn body_text_is_capped_at_a_char_boundary() {
        let mut raw = b"Subject: big\nContent-Type: text/plain; charset=utf-8\n\n".to_vec();
        for _ in 0..200_000 {
            raw.extend_from_slice("é".as_bytes());
        }
        raw.push(b'x');
        let summary = summarize(&raw);
        assert!(summary.body_text.len() <= BODY_TEXT_MAX_BYTES);
        assert!(summary.body_text.len() > BODY_TEXT_MAX_BYTES - 4);
        assert_eq!(summary.preview.chars().count(), PREVIEW_CHARS);
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_hangs() {
        let depth = 20_000;
        let mut multipart = String::from("Subject: deep\n");
        for level in 0..depth {
            multipart.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=b{level}\n\n--b{level}\n"
            ));
        }
        multipart.push_str("Content-Type: text/plain\n\ninnermost\n");
        let summary = summarize(multipart.as_bytes());
        assert_eq!(summary.subject, "deep");

        let mut messages = String::from("Subject: outer\n");
        for _ in 0..depth {
            messages.push_str("Content-Type: message/rfc822\n\nSubject: inner\n");
        }
        messages.push_str("\ninnermost\n");
        let summary = summarize(messages.as_bytes());
        assert_eq!(summary.subject, "outer");
        // The window's view of the same message: built and dropped without overflowing.
        assert!(view::message_view(messages.as_bytes()).is_some());
        assert!(view::message_view(multipart.as_bytes()).is_some());
    }
}

//! What the message view shows of a raw message: its body as a [`RichDoc`] and its
//! attachments with their decoded bytes.
//!
//! HTML is preferred where a message has it (mail-parser's `html_body`: the HTML of an
//! alternative, the text parts otherwise); `cid:` images are looked up among the message's own
//! parts and decoded here, so the window only uploads pixels. Parts shown inline that way are
//! not listed again as attachments. Attached messages (`message/rfc822`) are listed as
//! attachments and their text is shown below the body, a few levels deep at most.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

use super::PARSE_MAX_BYTES;
use super::part::{BodyText, fallback_text, text_of};
use super::rich::{
    Block, MAX_IMAGE_BYTES, MAX_IMAGES, Pixels, RichDoc, Span, Style, decode_image, from_html,
    from_plain,
};

/// How deep attached messages are shown below the body.
const MAX_ATTACHED_DEPTH: usize = 3;

/// The most attachments listed (a message of 10,000 tiny parts lists the first ones).
const MAX_ATTACHMENTS: usize = 500;

/// The message view's content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageView {
    /// The body.
    pub doc: RichDoc,
    /// The attachments, in message order.
    pub attachments: Vec<Attachment>,
}

/// An attachment, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its file name as the message gives it (decoded, not yet safe to use as a path), or a
    /// name made from its type when it has none (`attachment.pdf`, `message.eml`).
    pub name: String,
    /// Its media type, lower case (`application/pdf`).
    pub mime: String,
    /// Its content, transfer encoding undone: exactly the file that was attached.
    pub bytes: Arc<[u8]>,
}

/// Reads what the message view shows; `None` when the parser finds no message at all or
/// panics (the caller shows the summary's text instead).
pub fn message_view(raw: &[u8]) -> Option<MessageView> {
    let raw = &raw[..raw.len().min(PARSE_MAX_BYTES)];
    // The closure only reads `raw`: nothing is left half-changed if it unwinds.
    std::panic::catch_unwind(|| {
        let message = MessageParser::default().parse(raw)?;
        let mut view = view_of(&message);
        if view.doc.is_empty()
            && let Some(tail) = super::part::headerless_tail(raw)
        {
            // A header block that never ended: what follows it is the text.
            view.doc = from_plain(&tail, false, false);
        }
        // Dropped level by level: 20,000 nested attached messages would overflow the stack
        // in the compiler's drop glue, which no catch_unwind can catch.
        super::summary::dismantle(message);
        Some(view)
    })
    .ok()
    .flatten()
}

fn view_of(message: &Message<'_>) -> MessageView {
    let mut view = MessageView::default();
    add_message(&mut view, message, 0);
    view
}

/// Adds a message's body and attachments to `view`, then those of the messages attached to
/// it (down to [`MAX_ATTACHED_DEPTH`]).
fn add_message(view: &mut MessageView, message: &Message<'_>, depth: usize) {
    // Content-ID to part, built once: a message may refer to its images many times.
    let by_cid: HashMap<&str, usize> = message
        .parts
        .iter()
        .enumerate()
        .filter_map(|(index, part)| {
            Some((part.content_id()?.trim().trim_matches(['<', '>']), index))
        })
        .collect();
    let mut decoded: HashMap<usize, Option<Arc<Pixels>>> = HashMap::new();
    let mut decoded_bytes = 0;
    let mut lookup = |cid: &str| -> Option<Arc<Pixels>> {
        let index = *by_cid.get(cid)?;
        let part = message.parts.get(index)?;
        if let Some(known) = decoded.get(&index) {
            return known.clone();
        }
        // Past the message's picture budget nothing more is decoded (rich.rs would not
        // show it anyway).
        if decoded_bytes > MAX_IMAGE_BYTES || decoded.len() > MAX_IMAGES {
            return None;
        }
        let pixels = is_image(part)
            .then(|| decode_image(part.contents()).map(Arc::new))
            .flatten();
        decoded_bytes += pixels.as_ref().map_or(0, |p| p.rgba.len());
        decoded.insert(index, pixels.clone());
        pixels
    };
    let html_parts = message.html_body.iter().any(|id| {
        matches!(
            message.parts.get(*id as usize).map(|p| &p.body),
            Some(PartType::Html(_))
        )
    });
    let ids = if html_parts {
        &message.html_body
    } else {
        &message.text_body
    };
    for &id in ids {
        let Some(part) = message.parts.get(id as usize) else {
            continue;
        };
        let doc = match text_of(part) {
            Some(BodyText::Markup(markup)) => from_html(&markup, &mut lookup),
            Some(BodyText::Plain(text)) => {
                let param = |name: &str| {
                    part.content_type()
                        .and_then(|ct| ct.attribute(name))
                        .map(|v| v.trim().to_ascii_lowercase())
                };
                let flowed = param("format").is_some_and(|f| f == "flowed");
                let delsp = param("delsp").is_some_and(|d| d == "yes");
                from_plain(&text, flowed, delsp)
            }
            None => continue,
        };
        if !doc.is_empty() && !view.doc.is_empty() {
            view.doc.blocks.push(Block::Rule);
        }
        view.doc.append(doc);
    }
    // No body text: the text a reader shows instead (text attachments inline, a bounce's
    // delivery status, a part whose type is malformed read as plain text).
    if view.doc.is_empty() {
        for part in &message.parts {
            let doc = match fallback_text(part) {
                Some(BodyText::Markup(markup)) => from_html(&markup, &mut lookup),
                Some(BodyText::Plain(text)) => from_plain(&text, false, false),
                None => continue,
            };
            if !doc.is_empty() && !view.doc.is_empty() {
                view.doc.blocks.push(Block::Rule);
            }
            view.doc.append(doc);
        }
    }
    // Images shown in the body are part of it, not attachments.
    let shown: HashSet<usize> = decoded
        .into_iter()
        .filter_map(|(index, pixels)| pixels.map(|_| index))
        .collect();
    let mut attached = Vec::new();
    for &id in &message.attachments {
        if shown.contains(&(id as usize)) || view.attachments.len() >= MAX_ATTACHMENTS {
            continue;
        }
        let Some(part) = message.parts.get(id as usize) else {
            continue;
        };
        if let PartType::Message(inner) = &part.body {
            attached.push(inner);
        }
        if let Some(attachment) = attachment(message, part) {
            view.attachments.push(attachment);
        }
    }
    if depth < MAX_ATTACHED_DEPTH {
        for inner in attached {
            let subject = inner.subject().unwrap_or("(no subject)");
            view.doc.blocks.push(Block::Rule);
            view.doc.blocks.push(Block::Paragraph(vec![Span {
                text: format!("Attached message: {subject}"),
                style: Style {
                    bold: true,
                    ..Style::default()
                },
                link: None,
            }]));
            let mut inner_view = MessageView::default();
            add_message(&mut inner_view, inner, depth + 1);
            view.doc.append(inner_view.doc);
        }
    }
}

fn is_image(part: &MessagePart<'_>) -> bool {
    part.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("image")
            && ct.subtype().is_some_and(|sub| {
                ["png", "jpeg", "jpg", "pjpeg", "gif"]
                    .iter()
                    .any(|known| sub.eq_ignore_ascii_case(known))
            })
    })
}

/// An attachment part, decoded; `None` for a multipart container.
fn attachment(message: &Message<'_>, part: &MessagePart<'_>) -> Option<Attachment> {
    let mime = match part.content_type() {
        Some(ct) => match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub).to_ascii_lowercase(),
            None => ct.ctype().to_ascii_lowercase(),
        },
        None => "text/plain".to_owned(),
    };
    let bytes: Arc<[u8]> = match &part.body {
        PartType::Multipart(_) => return None,
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => Arc::from(bytes.as_ref()),
        PartType::Message(inner) => Arc::from(inner.raw_message()),
        // The parser turned text into UTF-8; the file attached is the bytes before that.
        PartType::Text(_) | PartType::Html(_) => Arc::from(transfer_decoded(message, part)),
    };
    let name = part
        .attachment_name()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| match &part.body {
            PartType::Message(inner) => format!(
                "{}.eml",
                inner
                    .subject()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .unwrap_or("message")
            ),
            _ => format!("attachment.{}", extension(&mime)),
        });
    Some(Attachment { name, mime, bytes })
}

/// A part's body with only its Content-Transfer-Encoding undone (no charset conversion).
fn transfer_decoded(message: &Message<'_>, part: &MessagePart<'_>) -> Vec<u8> {
    let raw = message
        .raw_message()
        .get(part.raw_body_offset() as usize..part.raw_end_offset() as usize)
        .unwrap_or_default();
    let encoding = part
        .content_transfer_encoding()
        .map(|e| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let decoded = match encoding.as_str() {
        "base64" => base64_decode(raw),
        "quoted-printable" => quoted_printable_decode(raw),
        _ => None,
    };
    decoded.unwrap_or_else(|| raw.to_vec())
}

/// A file extension for a media type, for attachments without a name.
fn extension(mime: &str) -> &str {
    match mime {
        "text/plain" => "txt",
        "text/html" => "html",
        "text/calendar" => "ics",
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "application/zip" => "zip",
        "message/rfc822" => "eml",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::tests::{crlf, multipart};

    fn png() -> Vec<u8> {
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(2, 2, image::Rgba([0, 128, 255, 255]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        png
    }

    fn b64(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn html_with_a_cid_image_and_an_attachment() {
        let pdf = b"%PDF-1.4\n\x00\x01\x02binary\xff".to_vec();
        let raw = crlf(&format!(
            "Subject: news\n\
             Content-Type: multipart/mixed; boundary=m\n\
             \n\
             --m\n\
             Content-Type: multipart/related; boundary=r\n\
             \n\
             --r\n\
             Content-Type: text/html; charset=utf-8\n\
             \n\
             <p>Hi <b>there</b></p><img src=\"cid:logo@x\" alt=\"Logo\"><img src=\"http://t.example/p.gif\">\n\
             --r\n\
             Content-Type: image/png\n\
             Content-ID: <logo@x>\n\
             Content-Transfer-Encoding: base64\n\
             \n\
             {}\n\
             --r--\n\
             --m\n\
             Content-Type: application/pdf; name=\"=?utf-8?q?r=C3=A9sum=C3=A9.pdf?=\"\n\
             Content-Disposition: attachment\n\
             Content-Transfer-Encoding: base64\n\
             \n\
             {}\n\
             --m\n\
             Content-Type: text/plain; charset=iso-8859-1\n\
             Content-Disposition: attachment; filename=notes.txt\n\
             Content-Transfer-Encoding: quoted-printable\n\
             \n\
             caf=E9\n\
             --m--\n",
            b64(&png()),
            b64(&pdf)
        ));
        let view = message_view(&raw).expect("parsed");
        assert_eq!(view.doc.remote_images, 1);
        assert!(
            matches!(&view.doc.blocks[1], Block::Image(img) if img.alt == "Logo" && img.pixels.width == 2)
        );
        let names: Vec<&str> = view.attachments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            ["résumé.pdf", "notes.txt"],
            "the inline logo is not listed"
        );
        assert_eq!(&*view.attachments[0].bytes, pdf.as_slice());
        assert_eq!(view.attachments[0].mime, "application/pdf");
        assert_eq!(
            &*view.attachments[1].bytes, b"caf\xe9",
            "the original charset's bytes"
        );
    }

    #[test]
    fn alternative_shows_the_html_and_flowed_plain_is_joined() {
        let raw = multipart(
            "",
            "alternative",
            &[
                "Content-Type: text/plain\n\nplain",
                "Content-Type: text/html\n\n<h1>rich</h1>",
            ],
        );
        let view = message_view(&raw).expect("parsed");
        assert_eq!(view.doc.plain_text(), "rich\n");
        let flowed = crlf(
            "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\
             \n\
             one \n\
             line\n",
        );
        assert_eq!(
            message_view(&flowed).expect("parsed").doc.plain_text(),
            "oneline\n"
        );
    }

    #[test]
    fn utf8_labelled_us_ascii_reads_as_utf8() {
        let raw = "Content-Type: text/plain; charset=us-ascii\n\nEnvoyé\n".as_bytes();
        assert_eq!(
            message_view(raw).expect("parsed").doc.plain_text(),
            "Envoyé\n"
        );
    }

    #[test]
    fn attached_messages_are_listed_and_shown() {
        let raw = multipart(
            "Subject: fwd\n",
            "mixed",
            &[
                "Content-Type: text/plain\n\nsee below",
                "Content-Type: message/rfc822\n\nSubject: Original\n\ninner words",
            ],
        );
        let view = message_view(&raw).expect("parsed");
        assert_eq!(view.attachments.len(), 1);
        assert_eq!(view.attachments[0].name, "Original.eml");
        assert!(view.attachments[0].bytes.starts_with(b"Subject: Original"));
        let text = view.doc.plain_text();
        assert!(
            text.contains("see below")
                && text.contains("Attached message: Original")
                && text.contains("inner words"),
            "{text}"
        );
    }

    #[test]
    fn every_fixture_message_gives_a_view_without_panic() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail");
        let mut seen = 0;
        // What some real-world messages show: (inline pictures, remote images, attachments).
        let mut shown = HashMap::new();
        for entry in std::fs::read_dir(&dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "eml") {
                let raw = std::fs::read(&path).expect("read");
                // The parser itself may panic on some (see summarize); our part must not, so
                // it runs outside `catch_unwind`.
                let parsed = std::panic::catch_unwind(|| MessageParser::default().parse(&raw[..]));
                if let Ok(Some(message)) = parsed {
                    let view = view_of(&message);
                    assert!(view.attachments.len() <= MAX_ATTACHMENTS);
                    let pictures = view.doc.blocks.iter();
                    let pictures = pictures.filter(|b| matches!(b, Block::Image(_))).count();
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                    shown.insert(
                        name.unwrap_or_default(),
                        (pictures, view.doc.remote_images, view.attachments.len()),
                    );
                    seen += 1;
                }
            }
        }
        assert!(seen >= 250, "{seen} fixtures parsed");
        let of = |name: &str| shown.get(name).copied();
        // Two cid: pictures in multipart/related, two real attachments beside them.
        assert_eq!(of("nodemailer__nodemailer.eml"), Some((2, 0, 2)));
        assert_eq!(of("mimekit__content-length.mbox.05.eml"), Some((4, 0, 0)));
        // An HTML newsletter whose 35 images are all on a server: counted, none loaded.
        assert_eq!(
            of("rubymail__error_emails-content_transfer_encoding_with_8bits.eml"),
            Some((0, 35, 0))
        );
    }
}

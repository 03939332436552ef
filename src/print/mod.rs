//! Printing: a message set on A4 pages as a PDF, which the desktop's print dialog prints
//! (`crate::desktop::print`), which is saved where the user chooses, or which
//! `poplar export --format pdf` writes.
//!
//! The page shows what the window shows: the subject, From, To, Cc and Date, the body as the
//! message view has it (paragraphs, headings, lists, quotes, tables, the message's own
//! images; never anything from the network), and the attachments' names and sizes. Text is
//! set in the fonts egui bundles, embedded in the file, so a PDF reads the same everywhere.
//! Pure: no I/O, no egui, no failure (a character no bundled font has is printed as "?").

mod fonts;
mod layout;
mod pdf;

use crate::mail::rich::RichDoc;
use crate::tr;

/// What is printed of a message; the caller formats the addresses and date.
pub struct Printable<'a> {
    /// The subject (the page's title).
    pub subject: &'a str,
    /// The sender, as the header pane shows it.
    pub from: &'a str,
    /// The recipients; an empty field is left out.
    pub to: &'a str,
    /// The copy recipients.
    pub cc: &'a str,
    /// The date, formatted.
    pub date: &'a str,
    /// The body.
    pub doc: &'a RichDoc,
    /// Name and size in bytes.
    pub attachments: Vec<(String, u64)>,
}

/// A printed message.
#[derive(Debug)]
pub struct Printed {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// Its pages.
    pub pages: usize,
    /// Characters no bundled font has, printed as "?".
    pub missing: usize,
}

/// Sets `message` as a PDF.
pub fn pdf_of(message: &Printable<'_>) -> Printed {
    let Some(faces) = fonts::Faces::bundled() else {
        // Only a broken build lacks its bundled fonts: an empty page says so rather than a
        // panic.
        return Printed {
            pdf: Vec::new(),
            pages: 0,
            missing: 0,
        };
    };
    let subject = if message.subject.trim().is_empty() {
        tr!("print-no-subject")
    } else {
        message.subject.to_owned()
    };
    let header = layout::Header {
        subject: &subject,
        fields: vec![
            (tr!("header-from"), message.from.to_owned()),
            (tr!("header-to"), message.to.to_owned()),
            (tr!("header-cc"), message.cc.to_owned()),
            (tr!("header-date"), message.date.to_owned()),
        ],
    };
    let attachments: Vec<(String, String)> = message
        .attachments
        .iter()
        .map(|(name, size)| (name.clone(), crate::app::format::size(*size)))
        .collect();
    let mut blocks = message.doc.blocks.clone();
    if message.doc.truncated {
        blocks.push(crate::mail::rich::Block::Paragraph(vec![
            crate::mail::rich::Span {
                text: tr!("view-cut"),
                style: crate::mail::rich::Style {
                    italic: true,
                    ..Default::default()
                },
                link: None,
            },
        ]));
    }
    let title = tr!("print-attachments", count = attachments.len());
    let page = |n: usize, of: usize| tr!("print-page", page = n, pages = of);
    let doc = layout::lay_out(&faces, &header, &blocks, &attachments, &title, &page);
    Printed {
        pdf: pdf::write(&doc, &faces, &subject),
        pages: doc.pages.len(),
        missing: doc.missing,
    }
}

/// The file name a message's PDF is offered under: its subject, made safe, and `.pdf`.
pub fn file_name(subject: &str) -> String {
    let fallback = tr!("print-no-subject");
    format!(
        "{}.pdf",
        crate::export::sanitize_file_name(subject, &fallback)
    )
}

/// Sets a stored message as a PDF, as the window shows it: the body from the message view
/// (the summary's text where the parser finds no message), the sender and date formatted
/// as in the header pane.
pub fn pdf_of_stored(message: &crate::store::StoredMessage) -> Printed {
    use crate::app::format;
    let row = &message.row;
    let view = crate::mail::view::message_view(&message.raw);
    let (doc, attachments) = match view {
        Some(view) if !view.doc.is_empty() => (view.doc, view.attachments),
        other => {
            let attachments = other.map(|v| v.attachments).unwrap_or_default();
            let mut text = crate::mail::summarize(&message.raw).body_text;
            if text.trim().is_empty()
                && let Some(sentence) = crate::app::loader::only_attachments(&attachments)
            {
                text = sentence;
            }
            (
                crate::mail::rich::from_plain(&text, false, false),
                attachments,
            )
        }
    };
    let from = format::sender_full(&row.from_name, &row.from_addr);
    let date = row.date.map(format::full_date).unwrap_or_default();
    pdf_of(&Printable {
        subject: &row.subject,
        from: &from,
        to: &message.to_list,
        cc: &message.cc_list,
        date: &date,
        doc: &doc,
        attachments: attachments
            .iter()
            .map(|a| (a.name.clone(), a.bytes.len() as u64))
            .collect(),
    })
}

/// Writes each of `ids` as a PDF into `dir` (made if missing), named as its .eml export
/// would be; each file appears whole or not at all. Returns how many were written.
pub fn write_pdfs(
    reader: &crate::store::Reader,
    rows: &[crate::store::MessageRow],
    dir: &std::path::Path,
) -> Result<usize, crate::export::TransferError> {
    use crate::export::{TransferError, eml_stem, unused_path, write_new};
    std::fs::create_dir_all(dir)
        .map_err(|err| TransferError(format!("cannot create {}: {err}", dir.display())))?;
    let mut written = 0;
    for row in rows {
        let Some(message) = reader.message(row.id)? else {
            continue;
        };
        let printed = pdf_of_stored(&message);
        let path = unused_path(dir, &eml_stem(row), "pdf");
        write_new(&path, &printed.pdf)
            .map_err(|err| TransferError(format!("cannot write {}: {err}", path.display())))?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(body: &str) -> Printed {
        crate::i18n::set_language(crate::i18n::Language::English);
        let doc = crate::mail::rich::from_plain(body, false, false);
        pdf_of(&Printable {
            subject: "Grüße",
            from: "Anna <anna@example.org>",
            to: "b@example.org",
            cc: "",
            date: "Tuesday, 5 March 2024, 10:15",
            doc: &doc,
            attachments: vec![("a.pdf".into(), 2048)],
        })
    }

    fn count(haystack: &[u8], needle: &[u8]) -> usize {
        haystack
            .windows(needle.len())
            .filter(|w| *w == needle)
            .count()
    }

    #[test]
    fn a_pdf_has_one_page_object_a_page_and_embeds_only_the_fonts_it_uses() {
        let short = printed("Hallo.");
        assert!(short.pdf.starts_with(b"%PDF-1.7"));
        assert!(short.pdf.trim_ascii_end().ends_with(b"%%EOF"));
        assert_eq!(short.pages, 1);
        assert_eq!(count(&short.pdf, b"/Type /Page\n"), 1);
        assert_eq!(count(&short.pdf, b"/FontFile2"), 1, "the text face only");
        assert_eq!(
            count(&short.pdf, b"/ToUnicode"),
            1,
            "its text can be copied"
        );
        let long = printed(&"Zeile\n".repeat(200));
        assert!(long.pages > 1);
        assert_eq!(count(&long.pdf, b"/Type /Page\n"), long.pages);
        let emoji = printed("Prost 🍺");
        assert_eq!(count(&emoji.pdf, b"/FontFile2"), 2, "text and emoji faces");
        assert_eq!(emoji.missing, 0);
    }

    #[test]
    fn the_file_name_is_the_subject_made_safe() {
        crate::i18n::set_language(crate::i18n::Language::English);
        assert_eq!(file_name("Re: a/b"), "Re_ a_b.pdf");
        assert_eq!(file_name("  "), "(no subject).pdf");
    }
}

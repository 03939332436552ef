//! Printing sets a message as a PDF that a viewer reads back as the window shows it: the
//! header, the body (German letters, lists, tables, quotes), the attachments' names, page
//! numbers, long text over several pages and never off the paper, the message's own images
//! and never a remote one. Read back with poppler (`poplar export --format pdf`).

#[path = "support/cli.rs"]
mod cli;
#[path = "support/pdf.rs"]
mod pdf;

use cli::ok;

/// A 40×20 red PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAACgAAAAUCAYAAAD/Rn+7AAAAM0lEQVR4nO3OMREAAAjEMJS8fym4AhVcGTpkT3UynxUdMGiQDhg0SAcMGqQDBg3SAYPXFtGaSbtfwmrAAAAAAElFTkSuQmCC";

/// Imports `raw` into a new store and prints it; the PDF's bytes.
fn printed(raw: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tempdir");
    let eml = dir.path().join("m.eml");
    std::fs::write(&eml, raw.replace('\n', "\r\n")).expect("eml");
    ok(dir.path(), &["import", eml.to_str().expect("path")]);
    let out = dir.path().join("out");
    ok(
        dir.path(),
        &[
            "export",
            "--format",
            "pdf",
            "--to",
            out.to_str().expect("path"),
        ],
    );
    let files: Vec<_> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        files[0].extension().and_then(|e| e.to_str()),
        Some("pdf"),
        "{files:?}"
    );
    std::fs::read(&files[0]).expect("the pdf")
}

/// The words of `text`, white space ignored (pdftotext breaks lines where the page does).
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_printed_message_reads_back_with_its_header_body_attachments_and_page_number() {
    if !pdf::poppler_or_skip("a_printed_message_reads_back") {
        return;
    }
    let raw = "From: =?UTF-8?Q?Anna_M=C3=BCller?= <anna@example.org>\n\
To: reader@example.de\nCc: team@example.de\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\n\
Date: Tue, 05 Mar 2024 09:15:00 +0000\nMessage-ID: <print-1@x>\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\
Content-Type: text/html; charset=utf-8\n\n\
<p>Liebe Grüße, <b>schöne</b> Straße!</p><ul><li>Äpfel</li><li>Öl</li></ul>\
<table><tr><td>Zeile eins</td><td>42 €</td></tr></table>\
<blockquote>Zitat vom Montag</blockquote><p><a href=\"https://example.org/x\">der Link</a></p>\n\
--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"Rechnung.pdf\"\n\
Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n";
    let pdf = printed(raw);
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let text = squeezed(&pdf::text(&pdf));
    for expected in [
        "Grüße aus Köln",
        "From",
        "Anna Müller <anna@example.org>",
        "To reader@example.de",
        "Cc team@example.de",
        "Liebe Grüße, schöne Straße!",
        "• Äpfel",
        "• Öl",
        "Zeile eins",
        "42 €",
        "Zitat vom Montag",
        "der Link",
        "Attachment",
        "Rechnung.pdf",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert_eq!(pdf::pages(&pdf), 1);
}

#[test]
fn a_long_message_runs_over_pages_and_no_line_leaves_the_paper() {
    if !pdf::poppler_or_skip("a_long_message_runs_over_pages") {
        return;
    }
    let mut body = String::new();
    for n in 1..=300 {
        body.push_str(&format!(
            "Line {n}: the quick brown fox jumps over the lazy dog, and then once more.\n"
        ));
    }
    let long_word = "x".repeat(3000);
    body.push_str(&long_word);
    body.push('\n');
    let raw = format!(
        "From: a@example.org\nTo: b@example.org\nSubject: Long\n\
Date: Tue, 05 Mar 2024 09:15:00 +0000\n\n{body}"
    );
    let pdf = printed(&raw);
    let pages = pdf::pages(&pdf);
    assert!(pages >= 5, "{pages} pages");
    let text = pdf::text(&pdf);
    assert!(text.contains(&format!("Page 2 of {pages}")), "{text}");
    assert!(
        text.contains("Line 300: the quick brown fox"),
        "the last line is there"
    );
    let xs: String = text.chars().filter(|c| *c == 'x').collect();
    assert!(
        xs.len() >= long_word.len(),
        "a word wider than the page is broken, not cut: {} of {}",
        xs.len(),
        long_word.len()
    );
    let (right, width) = pdf::rightmost_word(&pdf);
    assert!(
        right <= width - 50.0,
        "every word within the margin: right edge {right} of {width}"
    );
}

#[test]
fn the_messages_own_image_is_printed_and_a_remote_one_never() {
    if !pdf::poppler_or_skip("the_messages_own_image_is_printed") {
        return;
    }
    let raw = format!(
        "From: a@example.org\nTo: b@example.org\nSubject: Picture\n\
Date: Tue, 05 Mar 2024 09:15:00 +0000\nMIME-Version: 1.0\n\
Content-Type: multipart/related; boundary=\"r\"\n\n--r\n\
Content-Type: text/html; charset=utf-8\n\n\
<p>Ours:</p><img src=\"cid:dot@x\" alt=\"dot\"><p>Theirs:</p>\
<img src=\"https://tracker.example.com/pixel.png\" alt=\"tracker\">\n--r\n\
Content-Type: image/png\nContent-ID: <dot@x>\nContent-Transfer-Encoding: base64\n\n{PNG}\n--r--\n"
    );
    let pdf = printed(&raw);
    assert_eq!(
        pdf::images(&pdf),
        vec![(40, 20)],
        "only the message's own image"
    );
    let text = squeezed(&pdf::text(&pdf));
    assert!(text.contains("Ours:") && text.contains("Theirs:"), "{text}");
}

#[test]
fn every_fixture_prints_to_a_pdf_that_poppler_reads_without_complaint() {
    if !pdf::poppler_or_skip("every_fixture_prints") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail");
    let mut files: Vec<String> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    // One import a file: a fixture that is no message at all is refused, not fatal.
    for file in &files {
        let _ = cli::poplar(dir.path(), &["import", file]);
    }
    let listed = ok(dir.path(), &["list", "--folder", "all", "--json"]);
    let count = listed.matches("\"id\":").count();
    assert!(count > 200, "{count} fixtures imported");
    let out = dir.path().join("out");
    ok(
        dir.path(),
        &[
            "export",
            "--format",
            "pdf",
            "--to",
            out.to_str().expect("path"),
        ],
    );
    let pdfs: Vec<_> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(pdfs.len(), count, "one PDF a message");
    for path in pdfs {
        let bytes = std::fs::read(&path).expect("pdf");
        let pages = pdf::pages(&bytes);
        assert!(pages >= 1, "{}", path.display());
    }
}

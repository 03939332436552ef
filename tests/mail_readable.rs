//! Every message shows something readable: each fixture in `tests/fixtures/mail/` (real mail
//! from other projects' test suites, and the cases written for Poplar) run through the
//! message view as the window builds it. Where a message has text, the view is not empty;
//! where it has only attachments, the view says so; nothing panics. Then each broken case
//! with what it must show.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use poplar::app::loader::OpenMessage;
use poplar::mail::summarize;
use poplar::store::{MessageRow, StoredMessage};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail")
}

/// The window's view of a raw message, as the view thread builds it from the store.
fn open(raw: &[u8]) -> OpenMessage {
    let summary = summarize(raw);
    let row = MessageRow {
        id: 1,
        account_id: None,
        folder_id: 1,
        from_name: summary.from_name.clone(),
        from_addr: summary.from_addr.clone(),
        subject: summary.subject.clone(),
        date: summary.date,
        sort_date: summary.date.unwrap_or(0),
        size: raw.len() as u64,
        seen: false,
        flagged: false,
        has_attachments: summary.has_attachments,
        partial: false,
        preview: summary.preview.clone(),
        thread: -1,
    };
    OpenMessage::from_stored(&StoredMessage {
        row,
        to_list: summary.to.clone(),
        cc_list: summary.cc.clone(),
        message_id: summary.message_id.clone(),
        sha256: [0; 32],
        uidl: None,
        server: None,
        fetched_at: 0,
        tls_version: None,
        deleted_at: None,
        junk_reason: None,
        raw: raw.to_vec(),
    })
}

fn shown(name: &str) -> String {
    let raw = std::fs::read(fixture_dir().join(name)).expect("the fixture");
    open(&raw).doc.plain_text()
}

#[test]
fn every_fixture_shows_its_text_or_says_it_has_only_attachments() {
    poplar::i18n::set_language(poplar::i18n::Language::English);
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("the fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml"))
        .collect();
    names.sort();
    assert!(names.len() >= 280, "{} fixtures", names.len());
    let mut empty = Vec::new();
    for name in &names {
        let raw = std::fs::read(fixture_dir().join(name)).expect("read");
        let view = catch_unwind(AssertUnwindSafe(|| open(&raw)))
            .unwrap_or_else(|_| panic!("{name}: the view panicked"));
        let text = view.doc.plain_text();
        let has_text = !summarize(&raw).body_text.trim().is_empty();
        if has_text && text.trim().is_empty() {
            empty.push(format!("{name}: has text, the view shows none"));
        }
        if !view.attachments.is_empty() && text.trim().is_empty() {
            empty.push(format!("{name}: attachments, and not said so"));
        }
    }
    assert!(empty.is_empty(), "{empty:#?}");
}

#[test]
fn a_text_part_marked_attachment_is_shown_when_there_is_no_other_text() {
    assert!(shown("poplar__text-attachment-only.eml").contains("The build failed at step 3."));
}

#[test]
fn a_malformed_content_type_is_read_as_plain_text() {
    assert!(shown("poplar__bad-content-type.eml").contains("Plain words under a broken type."));
    // mimekit's "Content-Type: text" without a subtype.
    assert!(shown("mimekit__messages-missing-subtype.eml").contains("blah blah blah"));
}

#[test]
fn with_repeated_fields_the_first_is_taken_and_the_body_shown() {
    let raw = std::fs::read(fixture_dir().join("poplar__two-content-types.eml")).expect("read");
    let view = open(&raw);
    assert_eq!(view.row.subject, "First subject");
    assert!(view.doc.plain_text().contains("The body after two types."));
}

#[test]
fn a_bounce_says_why_it_bounced_and_a_read_receipt_is_readable() {
    let status = shown("poplar__bounce-status-only.eml");
    assert!(status.contains("550 5.1.1 User unknown"), "{status}");
    assert!(status.contains("nobody@example.org"), "{status}");
    assert!(shown("poplar__bounce.eml").contains("could not be delivered"));
    let mdn = shown("poplar__mdn.eml");
    assert!(mdn.contains("displayed"), "{mdn}");
    // A real bounce from mimekit's suite: its delivery status first.
    assert!(shown("mimekit__messages-delivery-status.eml").contains("Action: failed"));
}

#[test]
fn html_in_big5_is_shown_as_text() {
    assert!(shown("poplar__big5-html.eml").contains("你好，世界"));
}

#[test]
fn a_message_with_only_attachments_says_so_and_a_header_that_never_ends_shows_what_follows() {
    poplar::i18n::set_language(poplar::i18n::Language::English);
    assert_eq!(
        shown("poplar__attachments-only.eml").trim(),
        "No text. 2 attachments: a.pdf, b.zip"
    );
    let tail = shown("poplar__no-blank-line.eml");
    assert!(tail.contains("This line follows the header"), "{tail}");
}

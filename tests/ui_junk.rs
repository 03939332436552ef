//! "Mark as junk" and "Not junk" in the window (issue 16), through egui_kittest: Shift+J
//! (Thunderbird's J; plain j moves down here) and the list's context menu move the message
//! to its account's Junk and back, and teach the filter once per mark.

#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::store::{FolderKind, ListView, MessageRow, Reader, Sort};
use ui::{click, seeded_store, step_until};

fn stored(reader: &Reader, kind: FolderKind) -> Vec<MessageRow> {
    let mut rows = Vec::new();
    for folder in reader.folders().expect("folders") {
        if folder.kind == kind && folder.account_id.is_some() {
            let view = ListView::Folder(folder.id);
            rows.extend(reader.page(view, Sort::default(), 0, 100).expect("page"));
        }
    }
    rows
}

fn subjects(reader: &Reader, kind: FolderKind) -> Vec<String> {
    stored(reader, kind)
        .into_iter()
        .map(|r| r.subject)
        .collect()
}

fn trained(store: &std::path::Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(store).expect("open");
    conn.query_row("SELECT junk, ham FROM junk_totals", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .expect("totals")
}

#[test]
fn shift_j_marks_a_message_as_junk_and_not_junk_brings_it_back() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = seeded_store(dir.path(), true);
    let reader = Reader::open(&store).expect("reader");
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);

    harness
        .get_all_by_label("Quarterly invoice")
        .next()
        .expect("listed")
        .click();
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::J);
    step_until(&mut harness, "the message went to Junk", |_| {
        subjects(&reader, FolderKind::Junk) == ["Quarterly invoice"]
    });
    assert_eq!(trained(&store), (1, 0), "one junk mark learned");
    assert!(!subjects(&reader, FolderKind::Inbox).contains(&"Quarterly invoice".to_owned()));

    // In Junk, the context menu offers "Not junk".
    click(&mut harness, "Junk");
    harness.run_steps(3);
    let row = harness
        .get_all_by_label("Quarterly invoice")
        .next()
        .expect("listed in Junk");
    row.click();
    harness.run_steps(2);
    harness
        .get_all_by_label("Quarterly invoice")
        .next()
        .expect("listed in Junk")
        .click_secondary();
    harness.run_steps(2);
    assert!(harness.query_by_label("Mark as junk").is_none());
    click(&mut harness, "Not junk");
    step_until(&mut harness, "the message is back in the Inbox", |_| {
        subjects(&reader, FolderKind::Junk).is_empty()
            && subjects(&reader, FolderKind::Inbox).contains(&"Quarterly invoice".to_owned())
    });
    assert_eq!(
        trained(&store),
        (0, 1),
        "the changed mind is untrained first"
    );
}

#[test]
fn a_message_the_provider_marked_as_spam_says_so_above_it_in_junk() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let spam = format!(
        "X-Spam-Flag: YES\r\n{}",
        String::from_utf8(ui::raw(
            "Lucky <win@prize.example>",
            "You have won",
            "Thu, 03 Dec 2026 02:00:00 +0100",
            "Click here."
        ))
        .expect("utf-8")
    );
    let store = ui::store_with_mail(dir.path(), [("s1".to_owned(), spam.into_bytes())]);
    let reader = Reader::open(&store).expect("reader");
    assert_eq!(subjects(&reader, FolderKind::Junk), ["You have won"]);
    let mut harness = ui::harness(store, Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    click(&mut harness, "Junk, 1 unread");
    harness.run_steps(3);
    harness
        .get_all_by_label("You have won")
        .next()
        .expect("listed in Junk")
        .click();
    step_until(&mut harness, "the note is shown", |h| {
        ui::shows_text(
            h,
            "Your provider marked this message as spam (X-Spam-Flag: YES).",
        )
    });
}

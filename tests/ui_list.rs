//! The message list's actions through egui_kittest, by accessible labels: selecting several
//! messages with Ctrl, Shift and Shift+↓, the context menu (mark unread, flag), the flag star,
//! and deleting for ever from Trash only after a confirmation.

#[path = "support/ui.rs"]
mod ui;

use std::path::Path;
use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::store::{FolderKind, ListView, MessageRow, Reader, Sort};
use poplar::ui::PoplarApp;
use ui::{raw, seeded_store, step_until, store_with_mail};

fn start(dir: &Path) -> (Harness<'static, PoplarApp>, Reader) {
    let store = seeded_store(dir, true);
    let reader = Reader::open(&store).expect("reader");
    let mut harness = ui::harness(store, Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    (harness, reader)
}

/// Every stored message of a folder kind, by subject.
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

fn row<'a>(rows: &'a [MessageRow], subject: &str) -> &'a MessageRow {
    rows.iter()
        .find(|r| r.subject == subject)
        .expect("the message is stored")
}

/// The list's cell for a subject (the message view may show the subject too, after it).
fn listed<'t>(harness: &'t Harness<'_, PoplarApp>, subject: &'t str) -> egui_kittest::Node<'t> {
    harness
        .get_all_by_label(subject)
        .next()
        .expect("the subject is listed")
}

fn selected(harness: &Harness<'_, PoplarApp>) -> usize {
    harness
        .state()
        .state()
        .map(|s| s.selection().len())
        .unwrap_or(0)
}

#[test]
fn ctrl_and_shift_clicks_select_several_messages_and_shift_down_extends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut harness, _reader) = start(dir.path());
    // Newest first: Holiday photos, Lunch on Friday, Quarterly invoice.
    listed(&harness, "Holiday photos").click();
    harness.run_steps(2);
    assert_eq!(selected(&harness), 1);
    listed(&harness, "Quarterly invoice").click_modifiers(Modifiers::SHIFT);
    harness.run_steps(2);
    assert_eq!(selected(&harness), 3);
    assert!(harness.query_by_label("3 selected").is_some());
    listed(&harness, "Lunch on Friday").click_modifiers(Modifiers::COMMAND);
    harness.run_steps(2);
    assert_eq!(selected(&harness), 2, "Ctrl takes a message out again");
    // A plain click selects one message alone again; Shift+↓ then grows the selection.
    listed(&harness, "Holiday photos").click();
    harness.run_steps(2);
    assert_eq!(selected(&harness), 1);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    harness.run_steps(2);
    assert_eq!(selected(&harness), 2);
}

#[test]
fn the_context_menu_marks_unread_and_the_star_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut harness, reader) = start(dir.path());
    listed(&harness, "Lunch on Friday").click();
    step_until(&mut harness, "opening marks it read", |_| {
        row(&stored(&reader, FolderKind::Inbox), "Lunch on Friday").seen
    });
    listed(&harness, "Lunch on Friday").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Mark as unread").click();
    step_until(&mut harness, "it is unread again", |_| {
        !row(&stored(&reader, FolderKind::Inbox), "Lunch on Friday").seen
    });

    // Each row's star: "Flag" until flagged, then "Remove flag".
    assert_eq!(harness.query_all_by_label("Flag").count(), 3);
    harness
        .get_all_by_label("Flag")
        .next()
        .expect("a star")
        .click();
    step_until(&mut harness, "the newest message is flagged", |_| {
        row(&stored(&reader, FolderKind::Inbox), "Holiday photos").flagged
    });
    assert!(harness.query_by_label("Remove flag").is_some());
    // S flags the selection too.
    listed(&harness, "Quarterly invoice").click();
    harness.run_steps(2);
    harness.key_press(Key::S);
    step_until(&mut harness, "S flags the selected message", |_| {
        row(&stored(&reader, FolderKind::Inbox), "Quarterly invoice").flagged
    });
}

#[test]
fn deleting_from_trash_asks_first_and_cancel_keeps_the_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut harness, reader) = start(dir.path());
    listed(&harness, "Quarterly invoice").click();
    harness.run_steps(2);
    harness.key_press(Key::Delete);
    step_until(&mut harness, "it is in Trash", |_| {
        stored(&reader, FolderKind::Trash).len() == 1
    });
    harness
        .get_by(|n| {
            n.label()
                .is_some_and(|l| l == "Trash" || l.starts_with("Trash, "))
        })
        .click();
    harness.run_steps(3);
    listed(&harness, "Quarterly invoice").click();
    harness.run_steps(2);

    harness.key_press(Key::Delete);
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label("Delete this message for ever? It cannot be restored.")
            .is_some()
    );
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Delete for ever").is_none());
    assert_eq!(
        stored(&reader, FolderKind::Trash).len(),
        1,
        "nothing deleted"
    );

    harness.get_by_label("✖ Delete for ever").click();
    harness.run_steps(2);
    harness.get_by_label("Delete for ever").click();
    step_until(&mut harness, "it is gone for good", |_| {
        stored(&reader, FolderKind::Trash).is_empty()
    });
    assert_eq!(stored(&reader, FolderKind::Inbox).len(), 2);
}

#[test]
fn ctrl_a_selects_every_message_reading_rows_off_the_ui_thread() {
    // More rows than the list caches: the range is read on the view thread.
    let dir = tempfile::tempdir().expect("tempdir");
    let mail = (0..2_500).map(|i| {
        let date = format!("Fri, 01 Mar 2024 {:02}:{:02}:00 +0000", i / 60 % 24, i % 60);
        let body = format!("message {i}");
        (
            format!("u{i}"),
            raw("A <a@example.de>", &format!("Note {i}"), &date, &body),
        )
    });
    let store = store_with_mail(dir.path(), mail);
    let mut harness = ui::harness(store, Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    harness
        .get_all_by_label_contains("Note ")
        .next()
        .expect("a row")
        .click();
    harness.run_steps(2);
    let shown = harness
        .state()
        .state()
        .ok()
        .and_then(|s| s.list().selected());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    step_until(&mut harness, "every message is selected", |h| {
        selected(h) == 2_500
    });
    assert!(harness.query_by_label("2500 selected").is_some());
    let after = harness
        .state()
        .state()
        .ok()
        .and_then(|s| s.list().selected());
    assert_eq!(after, shown, "the message shown stays shown");
    // A plain click selects one message again.
    harness
        .get_all_by_label_contains("Note ")
        .next()
        .expect("a row")
        .click();
    harness.run_steps(3);
    assert_eq!(selected(&harness), 1);
}

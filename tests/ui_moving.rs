//! Filing mail by hand in the window (issue 16), through egui_kittest by accessible labels:
//! the folder pane's context menu makes, renames and deletes folders (deleting says how many
//! messages go to Trash); the list's "Move to" and "Copy to" menus, the M picker that
//! filters as you type, and dragging rows onto the folder pane move and copy mail, with the
//! counts following.

#[path = "support/ui.rs"]
mod ui;

use std::path::Path;
use std::sync::Arc;

use egui::{Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::store::{Folder, FolderId, FolderKind, ListView, Reader, Sort, Writer};
use poplar::ui::PoplarApp;
use ui::{click, replace, seeded_store, shows_text, step_until, type_into};

fn folders(store: &Path) -> Vec<Folder> {
    Reader::open(store)
        .expect("reader")
        .folders()
        .expect("folders")
}

fn folder_named(store: &Path, name: &str) -> Option<Folder> {
    folders(store).into_iter().find(|f| f.name == name)
}

fn inbox(store: &Path) -> Folder {
    folders(store)
        .into_iter()
        .find(|f| f.kind == FolderKind::Inbox && f.account_id.is_some())
        .expect("the account's inbox")
}

fn subjects_in(store: &Path, folder: FolderId) -> Vec<String> {
    let reader = Reader::open(store).expect("reader");
    let mut subjects: Vec<String> = reader
        .page(ListView::Folder(folder), Sort::default(), 0, 100)
        .expect("page")
        .into_iter()
        .map(|r| r.subject)
        .collect();
    subjects.sort();
    subjects
}

/// A store with the seeded account's three messages and a folder "Work" under its Inbox.
fn store_with_work(dir: &Path) -> (std::path::PathBuf, FolderId) {
    let store = seeded_store(dir, true);
    let inbox = inbox(&store);
    let work = Writer::open(&store)
        .expect("writer")
        .create_folder(inbox.account_id, Some(inbox.id), "Work")
        .expect("create Work");
    (store, work)
}

fn select(harness: &mut Harness<'_, PoplarApp>, subject: &str) {
    // The list comes before the message view, which shows the subject too.
    harness
        .get_all_by_label(subject)
        .next()
        .expect("the subject is listed")
        .click();
    harness.run_steps(2);
}

fn right_click(harness: &mut Harness<'_, PoplarApp>, label: &str) {
    harness
        .get_all_by_label(label)
        .next()
        .expect("shown")
        .click_secondary();
    harness.run_steps(2);
}

#[test]
fn the_folder_pane_menu_makes_renames_and_deletes_a_folder_and_its_mail_goes_to_trash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = seeded_store(dir.path(), true);
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);

    // New folder… on the account's Inbox; an empty name is refused in the dialog.
    right_click(&mut harness, "Inbox, 3 unread");
    click(&mut harness, "New folder…");
    click(&mut harness, "OK");
    assert!(shows_text(&harness, "The folder needs a name."));
    type_into(&mut harness, "Folder name", "Receipts");
    click(&mut harness, "OK");
    step_until(&mut harness, "Receipts is in the pane", |h| {
        h.query_by_label("Receipts").is_some() && h.query_by_label("Folder name").is_none()
    });
    let receipts = folder_named(&store, "Receipts").expect("stored");
    assert_eq!(receipts.parent, None, "a top-level folder of the account");
    assert_eq!(receipts.account_id, inbox(&store).account_id);

    // A second folder of the same name is the store's refusal, shown in the dialog.
    right_click(&mut harness, "Inbox, 3 unread");
    click(&mut harness, "New folder…");
    type_into(&mut harness, "Folder name", "receipts");
    click(&mut harness, "OK");
    step_until(&mut harness, "the refusal is shown", |h| {
        h.query_by_label("Folder name").is_some() && shows_text(h, "already")
    });
    click(&mut harness, "Cancel");
    assert_eq!(
        folders(&store)
            .iter()
            .filter(|f| f.name.eq_ignore_ascii_case("receipts"))
            .count(),
        1
    );

    // Rename… and New subfolder…
    right_click(&mut harness, "Receipts");
    click(&mut harness, "Rename…");
    replace(&mut harness, "Folder name", "Bills");
    harness.key_press(Key::Enter);
    step_until(&mut harness, "renamed", |h| {
        h.query_by_label("Bills").is_some()
    });
    right_click(&mut harness, "Bills");
    click(&mut harness, "New subfolder…");
    type_into(&mut harness, "Folder name", "Paid");
    click(&mut harness, "OK");
    step_until(&mut harness, "the subfolder is shown", |h| {
        h.query_by_label("Paid").is_some()
    });
    let bills = folder_named(&store, "Bills").expect("renamed in the store");
    assert_eq!(
        folder_named(&store, "Paid").map(|f| f.parent),
        Some(Some(bills.id))
    );

    // Two messages in the subfolder: deleting Bills says so, and they go to Trash.
    // Two messages into the subfolder, through the list's menu.
    select(&mut harness, "Quarterly invoice");
    harness
        .get_all_by_label("Lunch on Friday")
        .next()
        .expect("listed")
        .click_modifiers(Modifiers::COMMAND);
    harness.run_steps(2);
    right_click(&mut harness, "Lunch on Friday");
    click(&mut harness, "Move to");
    click(&mut harness, "Test › Bills › Paid");
    step_until(&mut harness, "the messages are in Paid", |_| {
        folder_named(&store, "Paid").map(|f| f.total) == Some(2)
    });
    right_click(&mut harness, "Bills");
    click(&mut harness, "Delete…");
    assert!(shows_text(
        &harness,
        "Delete the folder Bills? Its 2 messages go to Trash."
    ));
    click(&mut harness, "OK");
    step_until(&mut harness, "Bills is gone", |h| {
        h.query_by_label("Bills").is_none() && h.query_by_label("Paid").is_none()
    });
    let trash = folders(&store)
        .into_iter()
        .find(|f| f.kind == FolderKind::Trash && f.account_id.is_some())
        .expect("trash");
    assert_eq!(trash.total, 2, "the mail is in Trash");
    assert!(folder_named(&store, "Paid").is_none());
    // Inbox, Trash and Junk offer no rename or delete.
    let trash_label = if trash.unread > 0 {
        format!("Trash, {} unread", trash.unread)
    } else {
        "Trash".to_owned()
    };
    right_click(&mut harness, &trash_label);
    assert!(harness.query_by_label("Rename…").is_none());
    assert!(harness.query_by_label("Delete…").is_none());
}

#[test]
fn move_to_and_copy_to_file_the_selection_and_the_recent_folder_comes_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, work) = store_with_work(dir.path());
    let inbox_id = inbox(&store).id;
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);

    click(&mut harness, "Inbox, 3 unread");
    select(&mut harness, "Quarterly invoice");
    right_click(&mut harness, "Quarterly invoice");
    click(&mut harness, "Move to");
    assert!(
        harness.query_by_label("Test › Inbox").is_none(),
        "the folder the list shows is no target"
    );
    click(&mut harness, "Test › Inbox › Work");
    step_until(&mut harness, "the message is in Work", |_| {
        subjects_in(&store, work) == ["Quarterly invoice"]
    });
    // Opened, the message was read: Work counts it as read, the Inbox holds two.
    step_until(&mut harness, "the counts follow", |_| {
        let work = folders(&store).into_iter().find(|f| f.id == work);
        work.map(|f| (f.total, f.unread)) == Some((1, 0)) && inbox(&store).total == 2
    });
    assert!(harness.query_by_label("Work").is_some());
    assert!(shows_text(&harness, "Moved a message to Work"));

    // Copy to: Work is first, under "Recently used" (and again in its tree).
    select(&mut harness, "Lunch on Friday");
    right_click(&mut harness, "Lunch on Friday");
    click(&mut harness, "Copy to");
    assert!(harness.query_by_label("Recently used").is_some());
    assert!(
        harness.query_by_label("Test › Trash").is_none(),
        "nothing is copied into Trash"
    );
    harness
        .get_all_by_label("Test › Inbox › Work")
        .next()
        .expect("Work under Recently used")
        .click();
    step_until(&mut harness, "the copy is in Work", |_| {
        subjects_in(&store, work) == ["Lunch on Friday", "Quarterly invoice"]
    });
    assert!(subjects_in(&store, inbox_id).contains(&"Lunch on Friday".to_owned()));
    let work_folder = folders(&store)
        .into_iter()
        .find(|f| f.id == work)
        .expect("Work");
    assert_eq!(work_folder.total, 2);
    assert_eq!(inbox(&store).total, 2, "a copy leaves the Inbox as it was");
}

#[test]
fn m_opens_a_picker_that_filters_as_you_type_and_enter_moves_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, work) = store_with_work(dir.path());
    let inbox = inbox(&store);
    Writer::open(&store)
        .expect("writer")
        .create_folder(inbox.account_id, Some(inbox.id), "Wörterbuch")
        .expect("create Wörterbuch");
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);

    select(&mut harness, "Holiday photos");
    harness.key_press(Key::M);
    harness.run_steps(2);
    assert!(shows_text(&harness, "Move to folder"));
    harness.get_by_label("Folder").type_text("zzz");
    harness.run_steps(2);
    assert!(shows_text(&harness, "No folder matches."));
    replace(&mut harness, "Folder", "wor");
    // Accent-folded: "wor" finds Wörterbuch as well as Work.
    assert!(
        harness
            .query_by_label("Test › Inbox › Wörterbuch")
            .is_some()
    );
    assert!(harness.query_by_label("Test › Inbox › Work").is_some());
    assert!(harness.query_by_label("Test › Trash").is_none());
    replace(&mut harness, "Folder", "work");
    assert!(
        harness
            .query_by_label("Test › Inbox › Wörterbuch")
            .is_none()
    );
    harness.key_press(Key::Enter);
    step_until(&mut harness, "the message is in Work", |_| {
        subjects_in(&store, work) == ["Holiday photos"]
    });
    assert!(!shows_text(&harness, "Move to folder"), "the picker closed");

    // Shift+M copies; Esc closes without doing anything.
    select(&mut harness, "Lunch on Friday");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::M);
    harness.run_steps(2);
    assert!(shows_text(&harness, "Copy to folder"));
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(!shows_text(&harness, "Copy to folder"));
    assert_eq!(subjects_in(&store, work), ["Holiday photos"]);
}

/// Presses the primary button at `from`, moves in steps to `to` and lets go there, holding
/// `modifiers` throughout.
fn drag(harness: &mut Harness<'_, PoplarApp>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    };
    harness.event(egui::Event::ModifiersChanged(modifiers));
    harness.event(egui::Event::PointerMoved(from));
    harness.run_steps(1);
    harness.event(button(from, true));
    harness.run_steps(1);
    for step in 1..=8 {
        harness.event(egui::Event::PointerMoved(
            from + (to - from) * (step as f32 / 8.0),
        ));
        harness.run_steps(1);
    }
    harness.event(button(to, false));
    harness.run_steps(1);
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.run_steps(2);
}

#[test]
fn dragging_rows_onto_a_folder_moves_them_and_with_ctrl_copies_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, work) = store_with_work(dir.path());
    let inbox_id = inbox(&store).id;
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);

    let row = |h: &Harness<'_, PoplarApp>, subject: &str| {
        h.get_all_by_label(subject)
            .next()
            .expect("listed")
            .rect()
            .center()
    };
    let from = row(&harness, "Quarterly invoice");
    let to = harness.get_by_label("Work").rect().center();
    drag(&mut harness, from, to, Modifiers::NONE);
    step_until(&mut harness, "the dragged message is in Work", |_| {
        subjects_in(&store, work) == ["Quarterly invoice"]
    });
    assert!(!subjects_in(&store, inbox_id).contains(&"Quarterly invoice".to_owned()));

    let from = row(&harness, "Lunch on Friday");
    // The pane's line, not the status line that says "Moved a message to Work".
    let to = harness
        .get_all_by_label_contains("Work")
        .find(|n| {
            use egui_kittest::kittest::NodeT as _;
            n.accesskit_node()
                .label()
                .is_some_and(|l| l == "Work" || l.starts_with("Work, "))
        })
        .expect("Work in the folder pane")
        .rect()
        .center();
    drag(&mut harness, from, to, Modifiers::COMMAND);
    step_until(&mut harness, "the copy is in Work", |_| {
        subjects_in(&store, work) == ["Lunch on Friday", "Quarterly invoice"]
    });
    assert!(
        subjects_in(&store, inbox_id).contains(&"Lunch on Friday".to_owned()),
        "Ctrl copies: the original stays"
    );
}

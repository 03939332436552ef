//! The folder pane as a tree through egui_kittest, by accessible labels: the user's folders
//! nested under their parent, indented, with their counts, and collapsed and expanded.

#[path = "support/ui.rs"]
mod ui;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::store::{FolderId, FolderKind, ListView, Reader, Sort, Writer};
use ui::{click, seeded_store, shows_text};

/// The seeded store (three unread messages in the account's Inbox) with Inbox/Work and
/// Inbox/Work/Clients, and the newest message moved into Clients.
fn store_with_clients(dir: &Path) -> (PathBuf, FolderId) {
    let store = seeded_store(dir, true);
    let mut writer = Writer::open(&store).expect("writer");
    let reader = Reader::open(&store).expect("reader");
    let folders = reader.folders().expect("folders");
    let inbox = folders
        .iter()
        .find(|f| f.kind == FolderKind::Inbox && f.account_id.is_some())
        .expect("the account's inbox");
    let work = writer
        .create_folder(inbox.account_id, Some(inbox.id), "Work")
        .expect("create Work");
    let clients = writer
        .create_folder(inbox.account_id, Some(work), "Clients")
        .expect("create Clients");
    let page = reader
        .page(ListView::Folder(inbox.id), Sort::default(), 0, 1)
        .expect("page");
    let ids: Vec<_> = page.iter().map(|r| r.id).collect();
    assert_eq!(writer.move_messages(&ids, clients).expect("move"), 1);
    (store, clients)
}

#[test]
fn nested_folders_show_indented_under_their_parent_with_counts_and_collapse() {
    ui::english();
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, clients) = store_with_clients(dir.path());
    let reader = Reader::open(&store).expect("reader");
    let folders = reader.folders().expect("folders");
    let stored = folders.iter().find(|f| f.id == clients).expect("Clients");
    assert_eq!((stored.total, stored.unread), (1, 1));

    let mut harness = ui::harness(store, Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    let work_left = harness.get_by_label("Work").rect().min.x;
    let clients_left = harness.get_by_label("Clients, 1 unread").rect().min.x;
    assert!(
        clients_left > work_left,
        "Clients ({clients_left}) is indented under Work ({work_left})"
    );
    let inbox_left = harness.get_by_label("Inbox, 2 unread").rect().min.x;
    assert!(work_left > inbox_left, "Work is indented under Inbox");

    click(&mut harness, "Hide the folders in Work");
    harness.run_steps(2);
    assert!(
        !shows_text(&harness, "Clients"),
        "collapsed, Clients is hidden"
    );
    assert!(harness.query_by_label("Work").is_some());
    click(&mut harness, "Show the folders in Work");
    harness.run_steps(2);
    assert!(harness.query_by_label("Clients, 1 unread").is_some());
    assert_eq!(
        harness
            .state()
            .state()
            .map(|s| s.folder_tree.is_collapsed(clients)),
        Ok(false)
    );
}

/// Every folder's (total, unread) as the store keeps them, and as a recount of its rows.
fn counts(store: &Path, folder: FolderId) -> ((u64, u64), (u64, u64)) {
    let reader = Reader::open(store).expect("reader");
    let kept = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.id == folder)
        .map(|f| (f.total, f.unread))
        .expect("the folder");
    let rows = reader
        .page(ListView::Folder(folder), Sort::default(), 0, 1000)
        .expect("page");
    let unread = rows.iter().filter(|r| !r.seen).count() as u64;
    (kept, (rows.len() as u64, unread))
}

#[test]
fn shift_c_marks_the_view_read_and_the_pane_menu_marks_one_folder_read() {
    ui::english();
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, clients) = store_with_clients(dir.path());
    let inbox = Reader::open(&store)
        .expect("reader")
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.kind == FolderKind::Inbox && f.account_id.is_some())
        .expect("inbox")
        .id;
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);

    // All inboxes: Shift+C marks the Inbox read, not the folder below it.
    harness.key_press_modifiers(Modifiers::SHIFT, Key::C);
    ui::step_until(&mut harness, "the Inbox is read", |h| {
        h.query_by_label("Inbox").is_some()
    });
    assert_eq!(counts(&store, inbox), ((2, 0), (2, 0)));
    assert_eq!(counts(&store, clients), ((1, 1), (1, 1)));

    harness.get_by_label("Clients, 1 unread").click_secondary();
    harness.run_steps(2);
    click(&mut harness, "Mark all as read");
    ui::step_until(&mut harness, "Clients is read", |h| {
        h.query_by_label("Clients").is_some()
    });
    assert_eq!(counts(&store, clients), ((1, 0), (1, 0)));
}

#[test]
fn empty_trash_asks_with_the_count_then_deletes_its_mail_for_good_and_marks_the_ledger() {
    ui::english();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = seeded_store(dir.path(), true);
    let (trash, inbox) = {
        let reader = Reader::open(&store).expect("reader");
        let folders = reader.folders().expect("folders");
        let of_account = |kind| {
            folders
                .iter()
                .find(|f| f.kind == kind && f.account_id.is_some())
                .expect("the account's folder")
                .id
        };
        (of_account(FolderKind::Trash), of_account(FolderKind::Inbox))
    };
    let ids: Vec<_> = Reader::open(&store)
        .expect("reader")
        .page(ListView::Folder(inbox), Sort::default(), 0, 2)
        .expect("page")
        .iter()
        .map(|r| r.id)
        .collect();
    Writer::open(&store)
        .expect("writer")
        .move_to_trash(&ids, 1)
        .expect("trash");
    // Only a Trash can be emptied, whatever asks.
    assert!(
        Writer::open(&store)
            .expect("writer")
            .empty_trash(inbox)
            .is_err()
    );

    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    harness.get_by_label("Trash, 2 unread").click_secondary();
    harness.run_steps(2);
    click(&mut harness, "Empty Trash…");
    harness.run_steps(2);
    assert!(
        shows_text(&harness, "Delete the 2 messages in this Trash for ever?"),
        "the question says how many"
    );
    assert!(
        !shows_text(&harness, "on the server too"),
        "this account keeps them there"
    );
    click(&mut harness, "Empty Trash");
    ui::step_until(&mut harness, "Trash is empty", |_| {
        counts(&store, trash) == ((0, 0), (0, 0))
    });
    assert_eq!(
        counts(&store, inbox),
        ((1, 1), (1, 1)),
        "the Inbox keeps the rest"
    );
    let reader = Reader::open(&store).expect("reader");
    let account = reader.accounts().expect("accounts")[0].id;
    let gone = reader
        .ledger(account)
        .expect("ledger")
        .iter()
        .filter(|e| e.deleted_locally)
        .count();
    assert_eq!(gone, 2, "the server policy sees both as deleted here");
}

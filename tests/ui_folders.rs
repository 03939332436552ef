//! The folder pane as a tree through egui_kittest, by accessible labels: the user's folders
//! nested under their parent, indented, with their counts, and collapsed and expanded.

#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::store::{FolderKind, ListView, Reader, Sort, Writer};
use ui::{click, seeded_store, shows_text};

#[test]
fn nested_folders_show_indented_under_their_parent_with_counts_and_collapse() {
    ui::english();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = seeded_store(dir.path(), true);
    let clients = {
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
        clients
    };
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

//! The user's own folders in the store (issue 16): creating, renaming, nesting and deleting
//! them with their errors, moving and copying mail with the counts right, and the server
//! policies following a message wherever it is filed.

#[path = "support/store_kit.rs"]
mod store_kit;

use store_kit::{assert_counts_match_a_recount, folder, settings, store_path};

use poplar::store::{
    FolderKind, Incoming, Ingest, ListView, MessageId, StoreErrorKind, Writer, prepare,
};

fn ingest(writer: &mut Writer, account: i64, count: usize) -> Vec<MessageId> {
    let batch = (0..count)
        .map(|n| {
            prepare(Incoming {
                uidl: format!("u{n}"),
                raw: format!("From: a@x.de\r\nSubject: mail {n}\r\n\r\nbody {n}\r\n").into_bytes(),
                partial: false,
                fetched_at: 1,
                server: "pop.example.de".into(),
                tls_version: None,
            })
        })
        .collect();
    writer
        .ingest(account, batch)
        .expect("ingest")
        .into_iter()
        .map(|i| match i {
            Ingest::Stored(id) => id,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn folders_are_created_renamed_nested_and_refused_with_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let b = writer.add_account(&settings("B"), 1).expect("account");
    let reader = writer.reader().expect("reader");
    assert!(
        folder(&reader, Some(a), FolderKind::Junk) > 0,
        "a new account has a Junk"
    );

    let work = writer
        .create_folder(Some(a), None, " Work ")
        .expect("create");
    let local = writer
        .create_folder(None, None, "Work")
        .expect("same name under Local");
    let bills = writer
        .create_folder(Some(a), Some(work), "Bills")
        .expect("nested");
    let inbox = folder(&reader, Some(a), FolderKind::Inbox);
    writer
        .create_folder(Some(a), Some(inbox), "Lists")
        .expect("inside the Inbox");

    let invalid = |result: Result<i64, poplar::store::StoreError>, words: &str| {
        let err = result.expect_err(words);
        assert_eq!(err.kind(), StoreErrorKind::Invalid, "{err}");
        assert!(err.detail().contains(words), "{err}");
    };
    invalid(writer.create_folder(Some(a), None, "  "), "needs a name");
    invalid(
        writer.create_folder(Some(a), None, "WORK"),
        "already a folder named \"Work\"",
    );
    invalid(
        writer.create_folder(Some(b), Some(work), "X"),
        "belongs to another account",
    );
    invalid(
        writer.create_folder(None, Some(work), "X"),
        "belongs to another account",
    );
    let trash = folder(&reader, Some(a), FolderKind::Trash);
    invalid(
        writer.create_folder(Some(a), Some(trash), "X"),
        "cannot be made inside",
    );
    let three = writer
        .create_folder(Some(a), Some(bills), "2024")
        .expect("level 3");
    let four = writer
        .create_folder(Some(a), Some(three), "Q1")
        .expect("level 4");
    invalid(
        writer.create_folder(Some(a), Some(four), "Jan"),
        "at most 4 levels",
    );

    // Rename: the same rules among siblings; the fixed folders keep their names.
    writer.rename_folder(work, "Job").expect("rename");
    writer
        .rename_folder(work, "job")
        .expect("a change of case only");
    let err = writer.rename_folder(inbox, "Mine").expect_err("inbox");
    assert_eq!(err.kind(), StoreErrorKind::Invalid, "{err}");
    let other = writer
        .create_folder(Some(a), None, "Other")
        .expect("create");
    let err = writer.rename_folder(other, "JOB").expect_err("taken");
    assert!(err.detail().contains("already a folder named"), "{err}");

    // Move: no cycles, not too deep, not to another account.
    let err = writer.move_folder(work, Some(four)).expect_err("cycle");
    assert!(err.detail().contains("inside itself"), "{err}");
    let err = writer.move_folder(work, Some(other)).expect_err("too deep");
    assert!(err.detail().contains("at most 4 levels"), "{err}");
    let err = writer.move_folder(other, Some(local)).expect_err("account");
    assert!(err.detail().contains("another account"), "{err}");
    writer.move_folder(three, None).expect("to the top");
    writer
        .move_folder(three, Some(other))
        .expect("inside Other");

    // The reader's folders carry their parents, sorted by account, kind, then name.
    let folders = reader.folders().expect("folders");
    let of_a: Vec<(FolderKind, &str, Option<i64>)> = folders
        .iter()
        .filter(|f| f.account_id == Some(a))
        .map(|f| (f.kind, f.name.as_str(), f.parent))
        .collect();
    assert_eq!(
        of_a,
        [
            (FolderKind::Inbox, "Inbox", None),
            (FolderKind::Trash, "Trash", None),
            (FolderKind::User, "2024", Some(other)),
            (FolderKind::User, "Bills", Some(work)),
            (FolderKind::User, "job", None),
            (FolderKind::User, "Lists", Some(inbox)),
            (FolderKind::User, "Other", None),
            (FolderKind::User, "Q1", Some(three)),
            (FolderKind::Junk, "Junk", None),
        ]
    );
}

#[test]
fn moves_copies_and_deleting_a_folder_keep_the_counts_right() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let ids = ingest(&mut writer, a, 10);
    let reader = writer.reader().expect("reader");
    let work = writer.create_folder(Some(a), None, "Work").expect("create");
    let sub = writer
        .create_folder(Some(a), Some(work), "Sub")
        .expect("create");
    let junk = folder(&reader, Some(a), FolderKind::Junk);

    writer.set_seen(&ids[..2], true).expect("seen");
    assert_eq!(writer.move_messages(&ids[..4], work).expect("move"), 4);
    assert_eq!(
        writer.move_messages(&ids[..4], work).expect("again"),
        0,
        "already there"
    );
    assert_eq!(writer.move_messages(&ids[4..6], sub).expect("move"), 2);
    assert_eq!(writer.move_messages(&ids[6..7], junk).expect("junk"), 1);
    assert_counts_match_a_recount(&path);
    assert_eq!(
        reader.count(ListView::AllInboxes).expect("count"),
        3,
        "junk is not an inbox"
    );

    let copies = writer.copy_messages(&ids[7..9], work).expect("copy");
    assert_eq!(copies.len(), 2);
    assert_eq!(
        reader.raw(copies[0]).expect("raw"),
        reader.raw(ids[7]).expect("raw")
    );
    assert_eq!(
        reader
            .search("mail 7", Some(ListView::Folder(work)), 10)
            .expect("search")
            .len(),
        1,
        "the copy is in the search index"
    );
    assert_counts_match_a_recount(&path);

    let trash = folder(&reader, Some(a), FolderKind::Trash);
    let err = writer.move_messages(&ids[..1], trash).expect_err("trash");
    assert_eq!(err.kind(), StoreErrorKind::Invalid, "{err}");

    // Deleting a folder: its mail and its subfolder's go to Trash, counted first.
    assert_eq!(reader.folder_message_count(work).expect("count"), 8);
    writer.move_to_trash(&ids[..1], 2).expect("trash one");
    assert_eq!(writer.delete_folder(work, 3).expect("delete"), 7);
    assert_counts_match_a_recount(&path);
    let folders = reader.folders().expect("folders");
    assert!(!folders.iter().any(|f| f.id == work || f.id == sub));
    assert_eq!(
        folders.iter().find(|f| f.id == trash).expect("trash").total,
        8
    );
    // Restored mail of a deleted folder comes back to the Inbox.
    writer.restore(&ids[..5]).expect("restore");
    assert_counts_match_a_recount(&path);
    let inbox = folder(&reader, Some(a), FolderKind::Inbox);
    assert!(
        reader
            .rows(&ids[..5])
            .expect("rows")
            .iter()
            .all(|r| r.folder_id == inbox)
    );
    let err = writer.delete_folder(inbox, 4).expect_err("inbox");
    assert_eq!(err.kind(), StoreErrorKind::Invalid, "{err}");
}

#[test]
fn a_moved_message_deleted_for_good_still_marks_its_uidl_for_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let ids = ingest(&mut writer, a, 2);
    let work = writer
        .create_folder(None, None, "Local work")
        .expect("create");
    writer
        .move_messages(&ids, work)
        .expect("move to a local folder");
    let entry = |writer: &Writer, uidl: &str| writer.ledger_map(a).expect("ledger")[uidl].clone();
    assert_eq!(
        entry(&writer, "u0").message_id,
        Some(ids[0]),
        "a move keeps the link"
    );
    writer.delete_forever(&ids[..1]).expect("delete");
    let gone = entry(&writer, "u0");
    assert!(gone.deleted_locally, "the server learns of it: {gone:?}");
    assert_eq!(gone.message_id, None);

    // A copy makes no second link; the server's message goes with the last copy.
    let copies = writer.copy_messages(&ids[1..], work).expect("copy");
    writer
        .delete_forever(&ids[1..])
        .expect("delete the original");
    let kept = entry(&writer, "u1");
    assert!(!kept.deleted_locally, "a copy is still here: {kept:?}");
    assert_eq!(
        kept.message_id,
        Some(copies[0]),
        "the ledger follows the copy"
    );
    writer.delete_forever(&copies).expect("delete the copy");
    assert!(
        entry(&writer, "u1").deleted_locally,
        "now the last copy is gone"
    );
}

#[test]
fn moving_100000_messages_in_one_call_finishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let (a, inbox) = {
        let mut writer = Writer::open(&path).expect("open");
        let a = writer.add_account(&settings("A"), 1).expect("account");
        let inbox = folder(
            &writer.reader().expect("reader"),
            Some(a),
            FolderKind::Inbox,
        );
        (a, inbox)
    };
    // 100,000 rows written straight into the store: ingesting them through the parser would
    // take minutes in a debug build and is measured by the benches.
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(&format!(
            "BEGIN;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
             INSERT INTO messages (account_id, folder_id, box, sha256, size, from_name, from_addr, to_list, \
               cc_list, subject, sort_date, sender_key, subject_key, has_attachments, preview, fetched_at, seen) \
             SELECT {a}, {inbox}, 1, x'00', 5, 'A', 'a@x', '', '', 'm' || i, i, 'a', 'm', 0, '', 1, i % 3 = 0 FROM n;
             UPDATE folders SET total = 100000, unread = (SELECT count(*) FROM messages WHERE seen = 0) \
               WHERE id = {inbox};
             COMMIT;"
        ))
        .expect("bulk rows");
    }
    let mut writer = Writer::open(&path).expect("open");
    let ids: Vec<MessageId> = (1..=100_000).collect();
    let target = writer
        .create_folder(Some(a), None, "Archive")
        .expect("create");
    let started = std::time::Instant::now();
    let moved = writer.move_messages(&ids, target).expect("move");
    eprintln!("moving 100,000 messages took {:?}", started.elapsed());
    assert_eq!(moved, 100_000);
    assert_counts_match_a_recount(&path);
}

#[test]
fn removing_an_account_but_keeping_its_mail_keeps_its_folders_and_junk_inside_its_inbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("open");
    let a = writer.add_account(&settings("Work"), 1).expect("account");
    let b = writer.add_account(&settings("Home"), 1).expect("account");
    let reader = writer.reader().expect("reader");
    let ids = ingest(&mut writer, a, 3);
    ingest(&mut writer, b, 1);
    let projects = writer
        .create_folder(Some(a), None, "Projects")
        .expect("create");
    let old = writer
        .create_folder(Some(a), Some(projects), "2019")
        .expect("nested");
    // A local folder of the same name must not clash with the account's.
    writer.create_folder(None, None, "Projects").expect("local");
    writer.move_messages(&ids[..1], old).expect("move");
    let junk_a = folder(&reader, Some(a), FolderKind::Junk);
    writer.move_messages(&ids[1..2], junk_a).expect("to junk");

    writer.remove_account_keep_mail(a, 5).expect("remove");

    let folders = reader.folders().expect("folders");
    let kept_inbox = folders
        .iter()
        .find(|f| f.account_id.is_none() && f.kind == FolderKind::Inbox && f.name == "Work")
        .expect("the kept Inbox named after the account");
    let by_name = |name: &str| {
        folders
            .iter()
            .find(|f| f.name == name && f.parent == Some(kept_inbox.id))
            .unwrap_or_else(|| panic!("{name} inside the kept Inbox: {folders:#?}"))
    };
    let projects_kept = by_name("Projects");
    assert_eq!(projects_kept.id, projects);
    assert_eq!(projects_kept.account_id, None);
    let nested = folders.iter().find(|f| f.id == old).expect("nested kept");
    assert_eq!(
        (nested.parent, nested.total),
        (Some(projects), 1),
        "the subfolder and its mail stay where they were"
    );
    let junk_kept = by_name("Junk");
    assert_eq!(
        (junk_kept.kind, junk_kept.total),
        (FolderKind::User, 1),
        "Junk with mail becomes an ordinary folder"
    );
    assert_eq!(kept_inbox.total, 1, "the rest stays in the Inbox");
    assert!(
        folders
            .iter()
            .any(|f| f.account_id == Some(b) && f.kind == FolderKind::Junk),
        "the other account keeps its Junk"
    );
    assert_eq!(
        folders
            .iter()
            .filter(|f| f.kind == FolderKind::Junk)
            .count(),
        1,
        "no local Junk appears: {folders:#?}"
    );
    // An account with an empty Junk leaves no empty folder behind.
    writer.remove_account_keep_mail(b, 6).expect("remove");
    let folders = reader.folders().expect("folders");
    let home = folders
        .iter()
        .find(|f| f.kind == FolderKind::Inbox && f.name == "Home")
        .expect("Home kept");
    assert!(
        !folders.iter().any(|f| f.parent == Some(home.id)),
        "an empty Junk goes: {folders:#?}"
    );
    drop(writer);
    assert_counts_match_a_recount(&path);
}

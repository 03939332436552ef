//! Opening the store: migrations from every earlier version with mail in it, refusal of
//! foreign, newer and damaged files, a second process, checkpoints, and hostile file systems
//! (a full disk, a read-only one).

use std::path::{Path, PathBuf};

use poplar::store::schema::{APPLICATION_ID, latest};
use poplar::store::{FolderKind, ListView, Reader, StoreErrorKind, Writer, prepare};

#[path = "support/store_kit.rs"]
mod store_kit;

use store_kit::*;

#[test]
fn a_store_migrates_from_every_earlier_schema_version_keeping_its_mail() {
    for version in 0..latest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = store_path(&dir);
        {
            let conn = old_store(&path, version);
            if version >= 1 {
                // Mail written by a version-1 Poplar, in version 1's own columns.
                conn.execute_batch(
                    "INSERT INTO accounts (name, email, host, port, security, username, auth, check_on_start, \
                       interval_minutes, server_policy, delete_when_deleted_locally, first_sync, created_at) \
                     VALUES ('Old', 'old@example.de', 'pop.example.de', 995, 'tls', 'old', 'auto', 1, 10, 'keep', 0, 'all', 1);
                     INSERT INTO folders (account_id, kind, name) VALUES (1, 1, 'Inbox'), (1, 2, 'Trash');
                     INSERT INTO messages (account_id, folder_id, box, sha256, size, from_name, from_addr, to_list, \
                       cc_list, subject, sort_date, sender_key, subject_key, has_attachments, preview, fetched_at) \
                     VALUES (1, 3, 1, x'00', 5, 'A', 'a@x', '', '', 'kept', 1, 'a', 'kept', 0, '', 1);
                     INSERT INTO message_raw (message_id, raw) VALUES (1, x'6B65707421');",
                )
                .expect("old data");
                if version >= 6 {
                    // From version 6 every account has its Junk folder.
                    conn.execute_batch(
                        "INSERT INTO folders (account_id, kind, name) VALUES (1, 5, 'Junk')",
                    )
                    .expect("old junk folder");
                }
                if version >= 3 {
                    // From version 3 the writer counts new mail itself, not a trigger.
                    conn.execute_batch(
                        "UPDATE folders SET total = total + 1, unread = unread + 1 WHERE id = 3",
                    )
                    .expect("old counts");
                }
            }
        }
        let writer =
            Writer::open(&path).unwrap_or_else(|err| panic!("migrating from {version}: {err}"));
        let reader = writer.reader().expect("reader");
        let conn = rusqlite::Connection::open(&path).expect("open");
        let now: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(now, latest(), "from version {version}");
        if version >= 1 {
            assert_eq!(
                reader.raw(1).expect("raw"),
                Some(b"kept!".to_vec()),
                "mail survives migration from {version}"
            );
            // The counts carry over, and new mail is counted once (v3 counts it in the
            // writer instead of a trigger).
            let mut writer = writer;
            let inbox_counts = || {
                let folders = reader.folders().expect("folders");
                let inbox = folders
                    .iter()
                    .find(|f| f.account_id == Some(1) && f.kind == FolderKind::Inbox)
                    .expect("the old inbox");
                (inbox.total, inbox.unread)
            };
            assert_eq!(
                inbox_counts(),
                (1, 1),
                "counts after migrating from {version}"
            );
            let new = mail("a@x.de", "new after migration", None, "hello");
            ingest(&mut writer, 1, &[("new-uidl", new)], 2);
            assert_eq!(
                inbox_counts(),
                (2, 2),
                "counts of new mail after migrating from {version}"
            );
            assert_eq!(reader.count(ListView::AllInboxes).expect("count"), 2);
            // Mail from before v7 waits for v7's search index (the writer moves it there when
            // idle); new mail is searchable at once, and the move ends.
            assert_eq!(
                writer.reindex_pending().expect("pending"),
                version < 7,
                "from {version}"
            );
            assert_eq!(
                reader.search("hello", None, 5).expect("search").len(),
                1,
                "new mail is found after migrating from {version}"
            );
            let mut slices = 0;
            while !writer.reindex_search(1).expect("reindex").done {
                slices += 1;
                assert!(slices < 10, "re-indexing ends, from {version}");
            }
            assert!(
                !writer.reindex_pending().expect("pending"),
                "from {version}"
            );
            // The old mail has no conversation yet (a number of its own) until the writer
            // reads its header again when idle; the new mail has one at once.
            assert!(writer.threads_pending().expect("pending"), "from {version}");
            assert!(
                reader.rows(&[1]).expect("rows")[0].thread < 0,
                "from {version}"
            );
            assert!(
                reader.rows(&[2]).expect("rows")[0].thread > 0,
                "from {version}"
            );
            let mut slices = 0;
            while !writer.thread_backlog(1).expect("threads").done {
                slices += 1;
                assert!(slices < 10, "threading ends, from {version}");
            }
            assert!(
                !writer.threads_pending().expect("pending"),
                "from {version}"
            );
            assert!(
                reader.rows(&[1]).expect("rows")[0].thread > 0,
                "from {version}"
            );
            // The old account reads with the sign-in columns of v5 empty.
            let accounts = reader.accounts().expect("accounts");
            assert_eq!(accounts.len(), 1, "from version {version}");
            assert_eq!(accounts[0].settings.name, "Old");
            assert_eq!(accounts[0].settings.oauth, None);
            assert_eq!(accounts[0].auth_learned, None);
            // v6 rebuilt the folders table: every id, name and reference is kept, the
            // account gained a Junk, and the count triggers work as before.
            let folders = reader.folders().expect("folders");
            let ids: Vec<_> = folders
                .iter()
                .map(|f| (f.id, f.account_id, f.kind, f.name.as_str(), f.parent))
                .collect();
            assert_eq!(
                ids,
                [
                    (3, Some(1), FolderKind::Inbox, "Inbox", None),
                    (4, Some(1), FolderKind::Trash, "Trash", None),
                    (5, Some(1), FolderKind::Junk, "Junk", None),
                    (2, None, FolderKind::Trash, "Trash", None),
                    (1, None, FolderKind::Imported, "Imported", None),
                ],
                "folders after migrating from {version}"
            );
            assert_eq!(reader.rows(&[1]).expect("rows")[0].folder_id, 3);
            writer.move_to_trash(&[1], 3).expect("trash");
            let counts = |kind: FolderKind| {
                let folders = reader.folders().expect("folders");
                let f = folders
                    .iter()
                    .find(|f| f.account_id == Some(1) && f.kind == kind)
                    .expect("folder");
                (f.total, f.unread)
            };
            assert_eq!(counts(FolderKind::Inbox), (1, 1), "from {version}");
            assert_eq!(counts(FolderKind::Trash), (1, 1), "from {version}");
            writer.delete_forever(&[1]).expect("delete");
            assert_eq!(counts(FolderKind::Trash), (0, 0), "from {version}");
            let broken: i64 = conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .expect("fk check");
            assert_eq!(broken, 0, "references after migrating from {version}");
            let triggers: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN \
                     ('messages_count_delete', 'messages_count_update')",
                    [],
                    |r| r.get(0),
                )
                .expect("triggers");
            assert_eq!(triggers, 2, "from {version}");
        }
    }
}

#[test]
fn a_store_from_a_newer_poplar_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE future (x)")
            .expect("table");
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .expect("id");
        conn.pragma_update(None, "user_version", latest() + 1)
            .expect("version");
    }
    let before = file_bytes(&path);
    let err = Writer::open(&path).expect_err("too new");
    assert_eq!(err.kind(), StoreErrorKind::TooNew);
    assert!(err.to_string().contains("newer Poplar"), "{err}");
    assert_eq!(
        Reader::open(&path).expect_err("too new").kind(),
        StoreErrorKind::TooNew
    );
    assert_eq!(file_bytes(&path), before, "not one byte changed");
    assert!(
        !dir.path().join("poplar.sqlite3-wal").exists(),
        "no WAL was started"
    );
}

#[test]
fn foreign_files_are_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, b"Dear diary, today I wrote a mail reader.\n").expect("write");
    let other_db = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&other_db)
        .expect("open")
        .execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Anna');")
        .expect("other app's data");
    for path in [&text, &other_db] {
        let before = file_bytes(path);
        let err = Writer::open(path).expect_err("foreign");
        assert_eq!(err.kind(), StoreErrorKind::NotAStore, "{}", path.display());
        assert!(err.to_string().contains("not a Poplar store"), "{err}");
        assert_eq!(file_bytes(path), before, "{} untouched", path.display());
    }
}

#[test]
fn a_truncated_store_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    {
        let mut writer = Writer::open(&path).expect("open");
        let account = writer.add_account(&settings("A"), 1).expect("account");
        let items: Vec<(String, Vec<u8>)> = (0..50)
            .map(|i| {
                (
                    format!("u{i}"),
                    mail("a@x.de", &format!("s{i}"), None, &"x".repeat(4000)),
                )
            })
            .collect();
        let items: Vec<(&str, Vec<u8>)> =
            items.iter().map(|(u, r)| (u.as_str(), r.clone())).collect();
        ingest(&mut writer, account, &items, 1);
    }
    // Checkpoint everything into the main file, then cut it in half.
    rusqlite::Connection::open(&path)
        .expect("open")
        .pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .expect("checkpoint");
    let bytes = file_bytes(&path);
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncate");
    let err = Writer::open(&path).expect_err("truncated");
    assert_eq!(err.kind(), StoreErrorKind::Corrupt);
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn a_second_writer_is_told_another_poplar_uses_the_store_while_readers_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("first writer");
    let account = writer.add_account(&settings("A"), 1).expect("account");
    let err = Writer::open(&path).expect_err("second writer");
    assert_eq!(err.kind(), StoreErrorKind::InUse);
    assert!(err.to_string().contains("another Poplar"), "{err}");
    let reader = Reader::open(&path).expect("a reader works alongside");
    let before = reader.change_counter().expect("counter");
    ingest(
        &mut writer,
        account,
        &[("u1", mail("a@x.de", "hi", None, "body"))],
        5,
    );
    assert_ne!(
        reader.change_counter().expect("counter"),
        before,
        "the change counter moved"
    );
    assert_eq!(reader.count(ListView::AllInboxes).expect("count"), 1);
    drop(writer);
    Writer::open(&path).expect("the lock is released with the writer");
}

#[test]
fn commits_are_checkpointed_in_the_background_and_the_wal_goes_with_the_writer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    let mut writer = Writer::open(&path).expect("writer");
    let account = writer.add_account(&settings("A"), 1).expect("account");
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let before = size(&path);
    let items: Vec<(String, Vec<u8>)> = (0..40)
        .map(|n| {
            let body = format!("message {n} ").repeat(400);
            (
                format!("u{n}"),
                mail("a@x.de", &format!("s{n}"), None, &body),
            )
        })
        .collect();
    let items: Vec<(&str, Vec<u8>)> = items.iter().map(|(u, r)| (u.as_str(), r.clone())).collect();
    ingest(&mut writer, account, &items, 5);
    // Far below SQLite's own checkpoint threshold: only the checkpoint thread copies these
    // pages into the database file while the writer is still open.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while size(&path) < before + 100_000 {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing was checkpointed: the file stayed at {} bytes",
            size(&path)
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(size(&wal) > 0, "the writer still has its WAL");
    drop(writer);
    assert!(
        !wal.exists(),
        "the last connection to close removes the WAL"
    );
    let reader = Reader::open(&path).expect("reader");
    assert_eq!(reader.count(ListView::AllInboxes).expect("count"), 40);
}

// ----- hostile conditions --------------------------------------------------------------------

/// A small tmpfs of our own, for real ENOSPC and read-only file systems. Needs root (CI has
/// it); elsewhere the tests that use it say they were skipped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(test: &str, size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().expect("tempdir");
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped {test}: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Self { dir })
    }

    fn remount_read_only(&self) {
        let status = std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.dir.path())
            .status()
            .expect("mount");
        assert!(status.success(), "remount read-only");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_fails_the_batch_cleanly_and_keeps_the_last_commit() {
    let Some(disk) = SmallDisk::mount(
        "a_full_disk_fails_the_batch_cleanly_and_keeps_the_last_commit",
        "2m",
    ) else {
        return;
    };
    let path = disk.dir.path().join("poplar.sqlite3");
    let mut writer = Writer::open(&path).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    ingest(
        &mut writer,
        a,
        &[("first", mail("a@x", "committed", None, "safe"))],
        1,
    );
    let big: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| {
            (
                format!("big{i}"),
                mail(
                    "a@x",
                    &format!("big {i}"),
                    None,
                    &format!("{i}").repeat(100_000),
                ),
            )
        })
        .collect();
    let batch = big
        .iter()
        .map(|(u, raw)| prepare(incoming(u, raw, 2)))
        .collect();
    let err = writer.ingest(a, batch).expect_err("disk full");
    assert_eq!(err.kind(), StoreErrorKind::DiskFull, "{err}");
    assert!(err.to_string().contains("disk is full"), "{err}");
    drop(writer);
    let writer = Writer::open(&path).expect("reopens after the failure");
    let reader = writer.reader().expect("reader");
    assert_eq!(
        reader.count(ListView::AllInboxes).expect("count"),
        1,
        "nothing half-written"
    );
    assert_eq!(
        reader.search("committed", None, 5).expect("search").len(),
        1,
        "the last commit is intact"
    );
    assert_eq!(writer.ledger_map(a).expect("ledger").len(), 1);
}

#[test]
fn a_read_only_store_gives_a_clear_error_and_is_not_changed() {
    let Some(disk) = SmallDisk::mount(
        "a_read_only_store_gives_a_clear_error_and_is_not_changed",
        "4m",
    ) else {
        return;
    };
    let path = disk.dir.path().join("poplar.sqlite3");
    {
        let mut writer = Writer::open(&path).expect("open");
        let a = writer.add_account(&settings("A"), 1).expect("account");
        ingest(
            &mut writer,
            a,
            &[("u1", mail("a@x", "ro", None, "body"))],
            1,
        );
    }
    let before = file_bytes(&path);
    disk.remount_read_only();
    let err = Writer::open(&path).expect_err("read-only");
    assert_eq!(err.kind(), StoreErrorKind::ReadOnly, "{err}");
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn a_store_with_a_reference_to_a_missing_folder_from_earlier_damage_still_upgrades() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    {
        let conn = old_store(&path, 5);
        // A Trash message remembering a folder that is gone: damage a migration must not
        // be blamed for, and must not lock the owner out of their mail over.
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO accounts (name, email, host, port, security, username, auth, check_on_start, \
               interval_minutes, server_policy, delete_when_deleted_locally, first_sync, created_at) \
             VALUES ('Old', 'old@example.de', 'pop.example.de', 995, 'tls', 'old', 'auto', 1, 10, 'keep', 0, 'all', 1);
             INSERT INTO folders (account_id, kind, name) VALUES (1, 1, 'Inbox'), (1, 2, 'Trash');
             INSERT INTO messages (account_id, folder_id, box, sha256, size, from_name, from_addr, to_list, \
               cc_list, subject, sort_date, sender_key, subject_key, has_attachments, preview, fetched_at, \
               origin_folder_id) \
             VALUES (1, 4, 2, x'00', 5, 'A', 'a@x', '', '', 'kept', 1, 'a', 'kept', 0, '', 1, 99);
             INSERT INTO message_raw (message_id, raw) VALUES (1, x'6B65707421');
             UPDATE folders SET total = 1, unread = 1 WHERE id = 4;",
        )
        .expect("old data");
    }
    let writer = Writer::open(&path).expect("the damaged store still upgrades");
    let reader = writer.reader().expect("reader");
    assert_eq!(reader.raw(1).expect("raw"), Some(b"kept!".to_vec()));
    let conn = rusqlite::Connection::open(&path).expect("open");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(version, latest());
}

//! What the store's tests share: a store path, an account's settings, and messages made and
//! ingested as a sync would.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::path::{Path, PathBuf};

use poplar::account::AccountSettings;
use poplar::store::schema::{APPLICATION_ID, MIGRATIONS};
use poplar::store::{FolderKind, Incoming, Ingest, Reader, Writer, prepare};
use sha2::Digest as _;

pub fn store_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("poplar.sqlite3")
}

pub fn settings(name: &str) -> AccountSettings {
    AccountSettings::new(name, format!("{name}@example.de"), "pop.example.de", name)
}

pub fn incoming(uidl: &str, raw: &[u8], fetched_at: i64) -> Incoming {
    Incoming {
        uidl: uidl.into(),
        raw: raw.to_vec(),
        partial: false,
        fetched_at,
        server: "pop.example.de".into(),
        tls_version: None,
    }
}

pub fn mail(from: &str, subject: &str, date: Option<&str>, body: &str) -> Vec<u8> {
    let mut out = format!("From: {from}\r\nTo: reader@example.de\r\nSubject: {subject}\r\n");
    if let Some(date) = date {
        out.push_str(&format!("Date: {date}\r\n"));
    }
    out.push_str(&format!(
        "Message-ID: <{}@test>\r\n\r\n{body}\r\n",
        sha_hex(subject.as_bytes())
    ));
    out.into_bytes()
}

pub fn sha_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn ingest(
    writer: &mut Writer,
    account: i64,
    items: &[(&str, Vec<u8>)],
    fetched_at: i64,
) -> Vec<Ingest> {
    let batch = items
        .iter()
        .map(|(uidl, raw)| prepare(incoming(uidl, raw, fetched_at)))
        .collect();
    writer.ingest(account, batch).expect("ingest")
}

pub fn inbox(reader: &Reader, account: i64) -> i64 {
    reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.account_id == Some(account) && f.kind == FolderKind::Inbox)
        .expect("inbox")
        .id
}

pub fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

/// The id of `account`'s folder of `kind` (`None`: the local one).
pub fn folder(reader: &Reader, account: Option<i64>, kind: FolderKind) -> i64 {
    reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.account_id == account && f.kind == kind)
        .expect("folder")
        .id
}

/// Every folder's kept counts equal a recount of its messages.
pub fn assert_counts_match_a_recount(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).expect("open");
    let wrong: Vec<(i64, i64, i64, i64, i64)> = conn
        .prepare(
            "SELECT f.id, f.total, f.unread, \
             (SELECT count(*) FROM messages m WHERE m.folder_id = f.id), \
             (SELECT count(*) FROM messages m WHERE m.folder_id = f.id AND m.seen = 0) \
             FROM folders f",
        )
        .expect("prepare")
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query")
        .collect::<Result<Vec<_>, _>>()
        .expect("rows")
        .into_iter()
        .filter(|(_, total, unread, real_total, real_unread)| {
            total != real_total || unread != real_unread
        })
        .collect();
    assert!(wrong.is_empty(), "folders with wrong counts: {wrong:?}");
    let mismatched_box: i64 = conn
        .query_row(
            "SELECT count(*) FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.box != f.kind",
            [],
            |r| r.get(0),
        )
        .expect("box");
    assert_eq!(
        mismatched_box, 0,
        "every message's box is its folder's kind"
    );
}

/// Why a message was filed as junk, as the store keeps it.
pub fn junk_reason(path: &Path, id: i64) -> Option<String> {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row(
        "SELECT junk_reason FROM messages WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .expect("reason")
}

/// A store at schema `version`, as that version of Poplar left it (empty).
pub fn old_store(path: &Path, version: i64) -> rusqlite::Connection {
    let mut conn = rusqlite::Connection::open(path).expect("open");
    for (index, sql) in MIGRATIONS.iter().enumerate().take(version as usize) {
        let tx = conn.transaction().expect("tx");
        tx.execute_batch(sql).expect("old migration");
        tx.pragma_update(None, "user_version", index as i64 + 1)
            .expect("version");
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .expect("app id");
        tx.commit().expect("commit");
    }
    conn
}

/// Takes a store back from schema v8 to v7 (conversations gone), as a v7 Poplar left it.
pub const UNDO_V8: &str = "DROP INDEX messages_thread; ALTER TABLE messages DROP COLUMN thread_id; \
     DROP TABLE thread_keys; DROP TABLE thread_next; DROP TABLE thread_backfill;";

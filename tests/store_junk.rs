//! The learning junk filter in the store (issue 16): trained only by the user's marks, once
//! per mark, untrained when the user changes their mind, and deciding on arrival only once
//! it has seen enough of both kinds; junk is only ever moved.

use poplar::junk::JunkSettings;
use poplar::store::{FolderKind, Ingest, Reader, Writer, prepare};

#[path = "support/store_kit.rs"]
mod store_kit;

use store_kit::*;

fn spam(n: usize) -> Vec<u8> {
    format!(
        "From: Gewinn <winner{n}@lottery-prize.example>\r\nSubject: Sie haben gewonnen {n}\r\n\r\n\
         Gratis Casino Bonus Millionen gewonnen sofort klicken Jackpot Gewinnspiel Preis {n}\r\n"
    )
    .into_bytes()
}

fn ham(n: usize) -> Vec<u8> {
    format!(
        "From: Kollegin <anna@firma.example>\r\nSubject: Protokoll der Sitzung {n}\r\n\r\n\
         Anbei das Protokoll der Besprechung, Termine und Aufgaben fürs Projekt, Gruß Anna {n}\r\n"
    )
    .into_bytes()
}

fn store(writer: &mut Writer, account: i64, uidl: &str, raw: Vec<u8>) -> i64 {
    match writer
        .ingest(account, vec![prepare(incoming(uidl, &raw, 1))])
        .expect("ingest")[0]
    {
        Ingest::Stored(id) => id,
        other => panic!("{other:?}"),
    }
}

fn totals(path: &std::path::Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row("SELECT junk, ham FROM junk_totals", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .expect("totals")
}

fn folder_of(reader: &Reader, id: i64) -> i64 {
    reader.rows(&[id]).expect("rows")[0].folder_id
}

#[test]
fn the_filter_learns_from_the_users_marks_and_then_files_what_the_provider_missed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let reader = writer.reader().expect("reader");
    let inbox = folder(&reader, Some(a), FolderKind::Inbox);
    let junk = folder(&reader, Some(a), FolderKind::Junk);

    // Untrained, nothing is decided: spam arrives in the Inbox.
    let spams: Vec<i64> = (0..10)
        .map(|n| store(&mut writer, a, &format!("s{n}"), spam(n)))
        .collect();
    let hams: Vec<i64> = (0..10)
        .map(|n| store(&mut writer, a, &format!("h{n}"), ham(n)))
        .collect();
    assert!(spams.iter().all(|id| folder_of(&reader, *id) == inbox));

    assert_eq!(
        writer.mark_junk(&spams, true).expect("mark"),
        10,
        "all moved"
    );
    assert!(spams.iter().all(|id| folder_of(&reader, *id) == junk));
    assert_eq!(
        writer.mark_junk(&hams, false).expect("mark"),
        0,
        "already in the Inbox"
    );
    assert_eq!(totals(&path), (10, 10));
    // Marking again trains nothing twice.
    writer.mark_junk(&spams, true).expect("again");
    assert_eq!(totals(&path), (10, 10));

    // Trained on both kinds, it files new spam as junk and says how sure it is.
    let new_spam = store(&mut writer, a, "s-new", spam(99));
    assert_eq!(folder_of(&reader, new_spam), junk);
    let why = junk_reason(&path, new_spam).expect("a reason");
    let percent: u8 = why
        .strip_prefix("learned:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{why}"));
    assert!(percent >= 90, "{why}");
    let new_ham = store(&mut writer, a, "h-new", ham(99));
    assert_eq!(folder_of(&reader, new_ham), inbox);

    // "Not junk": back to the Inbox, and the mark moves from junk to good.
    assert_eq!(writer.mark_junk(&[new_spam], false).expect("not junk"), 1);
    assert_eq!(folder_of(&reader, new_spam), inbox);
    assert_eq!(junk_reason(&path, new_spam), None);
    assert_eq!(totals(&path), (10, 11));
    writer.mark_junk(&[spams[0]], false).expect("changed mind");
    assert_eq!(totals(&path), (9, 12), "the old mark is untrained first");

    // Nothing was ever deleted.
    let conn = rusqlite::Connection::open(&path).expect("open");
    let messages: i64 = conn
        .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
        .expect("count");
    assert_eq!(messages, 22);
}

#[test]
fn with_learning_off_a_trained_filter_moves_nothing_on_arrival() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("open");
    let mut quiet = settings("A");
    quiet.junk = JunkSettings {
        learning: false,
        ..JunkSettings::default()
    };
    let a = writer.add_account(&quiet, 1).expect("account");
    let reader = writer.reader().expect("reader");
    let spams: Vec<i64> = (0..10)
        .map(|n| store(&mut writer, a, &format!("s{n}"), spam(n)))
        .collect();
    let hams: Vec<i64> = (0..10)
        .map(|n| store(&mut writer, a, &format!("h{n}"), ham(n)))
        .collect();
    writer.mark_junk(&spams, true).expect("mark");
    writer.mark_junk(&hams, false).expect("mark");
    let new_spam = store(&mut writer, a, "s-new", spam(99));
    assert_eq!(
        folder_of(&reader, new_spam),
        folder(&reader, Some(a), FolderKind::Inbox)
    );
}

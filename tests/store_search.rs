//! Search against the store: the operators narrow the hits, phrases and fields use the
//! positional index, every hit comes in the order of the view without a search, and a store
//! from before that index is searched while it is re-indexed and fully afterwards.

use std::path::Path;
use std::time::{Duration, Instant};

use poplar::store::{
    FolderKind, ListView, Reader, SavedSearch, SavedView, Sort, SortKey, Writer, prepare,
};
use poplar::sync::store_thread::StoreHandle;
use proptest::prelude::*;

#[path = "support/store_kit.rs"]
mod store_kit;

use store_kit::*;

fn with_attachment(from: &str, subject: &str, date: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: reader@example.de\r\nSubject: {subject}\r\nDate: {date}\r\n\
         Message-ID: <{}@test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\n{body}\r\n\
         --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"r.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n",
        sha_hex(subject.as_bytes())
    )
    .into_bytes()
}

/// Two accounts; mail over three months, one with an attachment, one read, one flagged,
/// one in Trash. Returns the writer, its reader and the accounts.
fn mailbox(path: &Path) -> (Writer, Reader, i64, i64) {
    let mut writer = Writer::open(path).expect("open");
    let gmx = writer.add_account(&settings("GMX"), 1).expect("account");
    let work = writer.add_account(&settings("Work"), 1).expect("account");
    ingest(
        &mut writer,
        gmx,
        &[
            (
                "g1",
                mail(
                    "Jürgen Müller <juergen@mueller.de>",
                    "Quarterly report",
                    Some("Fri, 2 Feb 2024 10:00:00 +0100"),
                    "The quarterly report is attached.",
                ),
            ),
            (
                "g2",
                with_attachment(
                    "Anna <anna@example.org>",
                    "Rechnung März",
                    "Fri, 15 Mar 2024 09:00:00 +0100",
                    "Ihre Rechnung für März",
                ),
            ),
            (
                "g3",
                mail(
                    "news@shop.example",
                    "Report of the quarter",
                    Some("Mon, 1 Apr 2024 08:00:00 +0200"),
                    "A report for this quarter, not the quarterly one. Müller says hello.",
                ),
            ),
        ],
        10,
    );
    ingest(
        &mut writer,
        work,
        &[
            (
                "w1",
                mail(
                    "Boss <boss@work.example>",
                    "Meeting",
                    Some("Thu, 29 Feb 2024 23:30:00 +0100"),
                    "About the quarterly report from Müller",
                ),
            ),
            (
                "w2",
                mail(
                    "Boss <boss@work.example>",
                    "Old news",
                    Some("Mon, 1 Jan 2024 12:00:00 +0100"),
                    "Nothing to see",
                ),
            ),
        ],
        10,
    );
    let reader = writer.reader().expect("reader");
    (writer, reader, gmx, work)
}

fn subjects(reader: &Reader, query: &str, scope: Option<ListView>) -> Vec<String> {
    let ids = reader
        .search_ids(query, scope, Sort::default())
        .expect("store")
        .unwrap_or_else(|err| panic!("{query:?}: {err}"));
    reader
        .rows(&ids)
        .expect("rows")
        .into_iter()
        .map(|r| r.subject)
        .collect()
}

fn id_of(reader: &Reader, subject: &str) -> i64 {
    reader
        .search(&format!("subject:\"{subject}\""), None, 1)
        .expect("search")[0]
        .id
}

#[test]
fn each_operator_narrows_the_hits_to_what_it_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut writer, reader, _gmx, _work) = mailbox(&store_path(&dir));
    let find = |query: &str| subjects(&reader, query, None);
    // Words anywhere, accents folded, newest first.
    assert_eq!(
        find("muller"),
        ["Report of the quarter", "Meeting", "Quarterly report"]
    );
    // A field.
    assert_eq!(find("from:muller"), ["Quarterly report"]);
    assert_eq!(find("from:boss@work.example"), ["Meeting", "Old news"]);
    assert_eq!(find("to:reader").len(), 5);
    assert_eq!(
        find("subject:report"),
        ["Report of the quarter", "Quarterly report"]
    );
    assert_eq!(find("body:hello"), ["Report of the quarter"]);
    // A phrase: the words next to each other, in order.
    assert_eq!(
        find("\"quarterly report\""),
        ["Meeting", "Quarterly report"],
        "not \"report for this quarter\""
    );
    assert_eq!(find("subject:\"quarterly report\""), ["Quarterly report"]);
    // Excluding.
    assert_eq!(find("report -from:shop"), ["Meeting", "Quarterly report"]);
    assert_eq!(find("-report"), ["Rechnung März", "Old news"]);
    assert_eq!(
        find("-\"quarterly report\" -rechnung"),
        ["Report of the quarter", "Old news"]
    );
    // Columns.
    assert_eq!(find("has:attachment"), ["Rechnung März"]);
    assert_eq!(find("-has:attachment report").len(), 3);
    // Dates, in the user's time zone (the zone the tests run in; a day is a day in any).
    assert_eq!(find("date:2024-03"), ["Rechnung März"]);
    assert_eq!(
        find("after:2024-03-01 before:2024-04-01"),
        ["Rechnung März"]
    );
    assert_eq!(find("before:2024-02"), ["Old news"]);
    assert_eq!(find("date:2024").len(), 5);
    assert_eq!(find("date:2023"), Vec::<String>::new());
    assert_eq!(find("-date:2024-03").len(), 4);
    // Accounts, by name or address.
    assert_eq!(find("account:work"), ["Meeting", "Old news"]);
    assert_eq!(find("account:gmx@example.de -account:Work").len(), 3);
    // State, and folders.
    let invoice = id_of(&reader, "Rechnung März");
    let meeting = id_of(&reader, "Meeting");
    let old = id_of(&reader, "Old news");
    writer.set_seen(&[invoice, meeting], true).expect("seen");
    writer.set_flagged(&[meeting], true).expect("flag");
    writer.move_to_trash(&[old], 20).expect("trash");
    assert_eq!(find("is:read"), ["Rechnung März", "Meeting"]);
    assert_eq!(find("is:unread").len(), 3);
    assert_eq!(find("is:flagged"), ["Meeting"]);
    assert_eq!(find("is:unflagged is:read"), ["Rechnung März"]);
    assert_eq!(find("folder:trash"), ["Old news"]);
    assert_eq!(find("in:Papierkorb"), ["Old news"]);
    assert_eq!(find("-in:trash boss"), ["Meeting"]);
    // Everything at once.
    assert_eq!(
        find(
            "from:boss \"quarterly report\" is:flagged after:2024-02-15 account:Work -has:attachment"
        ),
        ["Meeting"]
    );
    // A search scoped to a view.
    let trash = folder(&reader, Some(2), FolderKind::Trash);
    assert_eq!(
        subjects(&reader, "boss", Some(ListView::Folder(trash))),
        ["Old news"]
    );
    assert_eq!(
        subjects(&reader, "boss", Some(ListView::AllInboxes)),
        ["Meeting"]
    );
}

#[test]
fn names_that_mean_nothing_are_told_not_searched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_writer, reader, _, _) = mailbox(&store_path(&dir));
    for (query, says) in [
        ("folder:Nowhere", "no folder called \"Nowhere\""),
        ("account:nobody", "no account called \"nobody\""),
        ("after:31.2.2024", "not a date"),
    ] {
        let err = reader
            .search_ids(query, None, Sort::default())
            .expect("store")
            .expect_err(query);
        assert!(err.to_string().contains(says), "{query}: {err}");
    }
    // Nothing asked: nothing found (the window shows the whole view instead).
    assert_eq!(subjects(&reader, "  - @ ", None), Vec::<String>::new());
}

#[test]
fn every_hit_comes_in_the_order_of_the_view_without_a_search() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_writer, reader, _, _) = mailbox(&store_path(&dir));
    for key in [
        SortKey::Date,
        SortKey::Sender,
        SortKey::Subject,
        SortKey::Size,
    ] {
        for descending in [false, true] {
            let sort = Sort { key, descending };
            let view = ListView::AllInboxes;
            let order: Vec<i64> = reader
                .page(view, sort, 0, 100)
                .expect("page")
                .into_iter()
                .map(|r| r.id)
                .collect();
            let hits = reader
                .search_ids("report", Some(view), sort)
                .expect("store")
                .expect("search");
            let expected: Vec<i64> = order
                .iter()
                .copied()
                .filter(|id| hits.contains(id))
                .collect();
            assert_eq!(hits, expected, "{sort:?}");
            assert_eq!(hits.len(), 3, "every hit, {sort:?}");
        }
    }
}

#[test]
fn a_store_from_before_the_positional_index_is_searched_while_it_moves_and_fully_after() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    // Mail written by a version-6 Poplar: its words in the old index only.
    {
        let (writer, reader, _, _) = mailbox(&path);
        drop(reader);
        drop(writer);
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(UNDO_V8).expect("back to v7");
        conn.execute_batch(
            "DROP TABLE message_text; DROP TABLE search_reindex; DROP TABLE saved_searches;
             PRAGMA user_version = 6;",
        )
        .expect("back to v6");
    }
    // Fill the old index as v6 did: words once each, no positions.
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        let rows: Vec<(i64, Vec<u8>)> = conn
            .prepare("SELECT message_id, raw FROM message_raw ORDER BY message_id")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        for (id, raw) in rows {
            let p = prepare(incoming("x", &raw, 1));
            let s = &p.summary;
            conn.execute(
                "INSERT INTO message_fts (rowid, sender, recipients, subject, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    id,
                    format!("{} {}", s.from_name, s.from_addr),
                    format!("{} {}", s.to, s.cc),
                    s.subject,
                    p.index_body
                ],
            )
            .expect("old index");
        }
    }
    let mut writer = Writer::open(&path).expect("migrate");
    let reader = writer.reader().expect("reader");
    assert!(writer.reindex_pending().expect("pending"));
    let find = |query: &str| subjects(&reader, query, None);
    // Before any move, words are found; a phrase is its words, a field any field.
    assert_eq!(find("muller").len(), 3);
    assert_eq!(
        find("\"quarterly report\"").len(),
        3,
        "words only in the old index"
    );
    // New mail goes to the new index at once.
    ingest(
        &mut writer,
        1,
        &[(
            "g4",
            mail("new@example.de", "Fresh quarterly report", None, "new"),
        )],
        30,
    );
    assert_eq!(find("\"fresh quarterly\"").len(), 1);
    // Part way: the newest two moved.
    let step = writer.reindex_search(2).expect("reindex");
    assert_eq!((step.moved, step.done), (2, false));
    assert_eq!(find("muller").len(), 3, "found in either index");
    // A message still below the line deleted for good leaves the old index too.
    let old = id_of(&reader, "Old news");
    writer.move_to_trash(&[old], 40).expect("trash");
    writer.delete_forever(&[old]).expect("delete");
    assert_eq!(find("boss"), ["Meeting"]);
    // The writer's thread finishes the move on its own while it has no work.
    let (handle, thread) = StoreHandle::spawn(writer).expect("writer thread");
    let conn = rusqlite::Connection::open(&path).expect("open");
    let below = || -> i64 {
        conn.query_row("SELECT below FROM search_reindex", [], |r| r.get(0))
            .expect("below")
    };
    let started = Instant::now();
    while below() != 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "re-indexing ends"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // And it still takes jobs.
    assert!(
        !handle
            .run_blocking(|w| w.reindex_pending())
            .expect("job")
            .expect("pending")
    );
    handle.close();
    thread.join().expect("thread ends");
    // Now phrases and fields hold for all the mail.
    assert_eq!(
        find("\"quarterly report\"").len(),
        3,
        "Meeting, Quarterly report, Fresh"
    );
    assert_eq!(find("from:muller"), ["Quarterly report"]);
    assert_eq!(find("muller").len(), 3);
    let left: i64 = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("SELECT count(*) FROM message_fts_docsize", [], |r| r.get(0))
        .expect("the old index's sizes");
    assert_eq!(left, 0, "the old index is emptied");
    assert_counts_match_a_recount(&path);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_search_text_runs_or_says_why_and_never_fails_the_store(input in "\\PC{0,40}") {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut writer = Writer::open(&store_path(&dir)).expect("open");
        let a = writer.add_account(&settings("A"), 1).expect("account");
        ingest(&mut writer, a, &[("u", mail("a@b.de", "Grüße", None, "x ÿ ß 漢字"))], 1);
        let reader = writer.reader().expect("reader");
        prop_assert!(reader.search_ids(&input, None, Sort::default()).is_ok());
    }
}

#[test]
fn saved_searches_are_kept_by_name_and_look_past_trash_and_junk_only_when_told() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut writer, reader, _, _) = mailbox(&store_path(&dir));
    let id = writer.save_search("Boss", "from:boss").expect("saved");
    assert_eq!(
        reader.saved_searches().expect("saved"),
        [SavedSearch {
            id,
            name: "Boss".into(),
            query: "from:boss".into()
        }]
    );
    for (name, query, says) in [
        ("boss", "x", "already a saved search called"),
        ("  ", "x", "Give the search a name"),
        ("Dates", "before:2024-99", "is not a date"),
        ("Nothing", " - ", "Type a search first"),
    ] {
        let err = writer.save_search(name, query).expect_err(name);
        assert!(err.to_string().contains(says), "{name}: {err}");
    }
    let long = "x".repeat(101);
    assert!(writer.save_search(&long, "a").is_err());
    let saved = Some(ListView::Saved(SavedView::Own(id)));
    let old = id_of(&reader, "Old news");
    writer.move_to_trash(&[old], 20).expect("trash");
    // A saved view leaves out Trash and Junk, unless the search names a folder.
    assert_eq!(subjects(&reader, "from:boss", saved), ["Meeting"]);
    assert_eq!(subjects(&reader, "from:boss in:trash", saved), ["Old news"]);
    assert_eq!(
        reader
            .count(ListView::Saved(SavedView::Unread))
            .expect("count"),
        4
    );
    writer.remove_saved_search(id).expect("removed");
    assert!(reader.saved_searches().expect("saved").is_empty());
    // The mail it found stays.
    assert_eq!(subjects(&reader, "from:boss", None).len(), 2);
}

//! The mail store's contents: byte-exact round trips, the UIDL ledger, duplicates, sorting,
//! search, Trash and folder counts, and removed accounts. Opening and migrating the store is
//! `store_open.rs`.

use std::path::{Path, PathBuf};

use poplar::account::OAuthSettings;
use poplar::pop3::AuthMethod;
use poplar::store::{
    FolderKind, Ingest, ListView, Reader, ServerState, Sort, SortKey, StoreErrorKind, Writer,
    prepare,
};
use sha2::Digest as _;

#[path = "support/store_kit.rs"]
mod store_kit;

use store_kit::*;

// ----- migrations and refusals ---------------------------------------------------------------

#[test]
fn the_search_index_merges_its_segments_32_at_a_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    drop(Writer::open(&path).expect("open"));
    let conn = rusqlite::Connection::open(&path).expect("open");
    for index in ["message_fts", "message_text"] {
        let setting = |key: &str| -> i64 {
            conn.query_row(
                &format!("SELECT v FROM {index}_config WHERE k = ?1"),
                [key],
                |row| row.get(0),
            )
            .expect(key)
        };
        assert_eq!(setting("automerge"), 32, "{index}");
        assert_eq!(setting("crisismerge"), 64, "{index}");
    }
}

fn account_by_id(reader: &Reader, id: i64) -> poplar::store::Account {
    reader
        .accounts()
        .expect("accounts")
        .into_iter()
        .find(|a| a.id == id)
        .expect("the account")
}

#[test]
fn an_accounts_oauth_provider_and_learned_method_are_kept_but_no_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("open");
    let mut custom = settings("Custom");
    custom.auth = AuthMethod::OAuth2;
    custom.oauth = Some(OAuthSettings {
        provider: "custom".into(),
        client_id: Some("my-client".into()),
        authorize_url: Some("https://id.example.de/authorize".into()),
        token_url: Some("https://id.example.de/token".into()),
        scopes: Some("pop offline".into()),
        revocation_url: Some("https://id.example.de/revoke".into()),
    });
    let id = writer.add_account(&custom, 1).expect("add");
    let plain = writer.add_account(&settings("Plain"), 1).expect("add");
    writer
        .record_auth_learned(plain, AuthMethod::CramMd5)
        .expect("learn");
    let reader = writer.reader().expect("reader");
    let account = account_by_id(&reader, id);
    assert_eq!(account.settings, custom);
    assert_eq!(account.auth_learned, None);
    let account = account_by_id(&reader, plain);
    assert_eq!(account.settings.oauth, None);
    assert_eq!(account.auth_learned, Some(AuthMethod::CramMd5));

    // A provider switched off again (back to a password) leaves no OAuth columns behind.
    let mut back = custom.clone();
    back.auth = AuthMethod::Automatic;
    back.oauth = None;
    writer.update_account(id, &back).expect("update");
    let account = account_by_id(&reader, id);
    assert_eq!(account.settings.oauth, None);
}

// ----- ingest, round trips, duplicates ---------------------------------------------------------

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_fixture_round_trips_byte_exact_with_a_summary() {
    let files = fixtures();
    assert!(files.len() >= 100, "only {} fixtures", files.len());
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let account = writer.add_account(&settings("A"), 1).expect("account");
    let raws: Vec<Vec<u8>> = files.iter().map(|path| file_bytes(path)).collect();
    let batch = raws
        .iter()
        .enumerate()
        .map(|(i, raw)| prepare(incoming(&format!("uidl-{i}"), raw, 1_700_000_000)))
        .collect();
    let results = writer.ingest(account, batch).expect("ingest");
    let reader = writer.reader().expect("reader");
    let mut stored = 0;
    for ((path, raw), result) in files.iter().zip(&raws).zip(results) {
        let id = match result {
            Ingest::Stored(id) => {
                stored += 1;
                id
            }
            // Some test suites carry the same message twice; it is linked, and still exact.
            Ingest::Linked(id) => id,
            Ingest::Known => panic!("{}: new UIDL reported as known", path.display()),
        };
        let message = reader.message(id).expect("read").expect("exists");
        assert!(message.raw == *raw, "{}: bytes differ", path.display());
        assert_eq!(message.row.size, raw.len() as u64);
        assert_eq!(message.sha256, <[u8; 32]>::from(sha2::Sha256::digest(raw)));
    }
    // The fixtures a provider marked as spam went to Junk, which is not among the inboxes.
    let junk = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.kind == FolderKind::Junk)
        .expect("junk")
        .total;
    assert!(junk > 0, "the spam-marked fixtures are filed as junk");
    assert_eq!(
        reader.count(ListView::AllInboxes).expect("count") + junk,
        stored
    );
}

#[test]
fn a_known_uidl_is_skipped_and_known_content_under_a_new_uidl_is_linked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let b = writer.add_account(&settings("B"), 1).expect("account");
    let first = mail(
        "anna@example.de",
        "Hello",
        Some("Mon, 2 Jun 2025 10:00:00 +0200"),
        "Hi!",
    );
    let results = ingest(&mut writer, a, &[("u1", first.clone())], 10);
    let Ingest::Stored(id) = results[0] else {
        panic!("{results:?}")
    };
    // The same UIDL again (an interrupted sync resuming): nothing changes.
    assert_eq!(
        ingest(&mut writer, a, &[("u1", first.clone())], 11),
        vec![Ingest::Known]
    );
    // The same bytes under a new UIDL (server migration): linked, not stored twice.
    assert_eq!(
        ingest(&mut writer, a, &[("u2", first.clone())], 12),
        vec![Ingest::Linked(id)]
    );
    // Same Message-ID, Date and size but other bytes (a header re-folded): linked too.
    let mut refolded = first.clone();
    let pos = refolded.iter().position(|&b| b == b'H').expect("H");
    refolded[pos] = b'h';
    assert_eq!(
        ingest(&mut writer, a, &[("u3", refolded)], 13),
        vec![Ingest::Linked(id)]
    );
    // Another account keeps its own copy.
    assert!(matches!(
        ingest(&mut writer, b, &[("u1", first)], 14)[0],
        Ingest::Stored(_)
    ));
    let reader = writer.reader().expect("reader");
    assert_eq!(reader.count(ListView::AllInboxes).expect("count"), 2);
    let ledger = reader.ledger(a).expect("ledger");
    assert_eq!(ledger.len(), 3);
    assert_eq!(ledger.iter().filter(|e| e.duplicate).count(), 2);
    assert!(
        ledger
            .iter()
            .all(|e| e.message_id == Some(id) && e.state == ServerState::Present)
    );
}

#[test]
fn uidls_seen_without_download_are_not_stored_but_can_be_fetched_later() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    assert_eq!(
        writer
            .record_seen(a, &["old1".into(), "old2".into()], 100)
            .expect("seen"),
        2
    );
    assert_eq!(
        writer.record_seen(a, &["old1".into()], 200).expect("seen"),
        0
    );
    let ledger = writer.ledger_map(a).expect("ledger");
    assert_eq!(ledger["old1"].first_seen, 100);
    assert_eq!(ledger["old1"].message_id, None);
    let got = ingest(
        &mut writer,
        a,
        &[("old2", mail("x@y", "wanted", None, "b"))],
        300,
    );
    assert!(
        matches!(got[0], Ingest::Stored(_)),
        "a seen UIDL can still be downloaded on purpose"
    );
    assert_eq!(
        writer.ledger_map(a).expect("ledger")["old2"].first_seen,
        100,
        "first seen is kept"
    );
}

#[test]
fn deleting_for_good_keeps_the_uidl_so_it_is_never_downloaded_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let raw = mail("a@x.de", "bye", None, "b");
    let Ingest::Stored(id) = ingest(&mut writer, a, &[("u1", raw.clone())], 1)[0] else {
        panic!()
    };
    writer.delete_forever(&[id]).expect("delete");
    let reader = writer.reader().expect("reader");
    assert_eq!(reader.message(id).expect("read"), None);
    let entry = &reader.ledger(a).expect("ledger")[0];
    assert!(entry.deleted_locally && entry.message_id.is_none());
    assert_eq!(
        ingest(&mut writer, a, &[("u1", raw)], 2),
        vec![Ingest::Known]
    );
    assert!(
        reader.search("bye", None, 10).expect("search").is_empty(),
        "gone from the index too"
    );
}

#[test]
fn server_states_follow_the_deletion_protocol() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    ingest(
        &mut writer,
        a,
        &[
            ("u1", mail("a@x", "1", None, "b")),
            ("u2", mail("a@x", "2", None, "b")),
        ],
        1,
    );
    writer
        .set_server_state(a, &["u1".into()], ServerState::DeletionPending)
        .expect("pending");
    assert_eq!(
        writer.ledger_map(a).expect("ledger")["u1"].state,
        ServerState::DeletionPending
    );
    writer
        .set_server_state(a, &["u1".into()], ServerState::Deleted)
        .expect("deleted");
    let ledger = writer.ledger_map(a).expect("ledger");
    assert_eq!(ledger["u1"].state, ServerState::Deleted);
    assert_eq!(ledger["u2"].state, ServerState::Present);
    assert!(ledger["u1"].message_id.is_some(), "the local copy stays");
}

#[test]
fn a_partial_message_is_replaced_in_place_by_the_whole_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let whole = mail(
        "a@x.de",
        "Big one",
        Some("Tue, 3 Jun 2025 09:00:00 +0000"),
        &"attachment data\r\n".repeat(100),
    );
    let headers = whole[..whole
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("blank")
        + 4]
        .to_vec();
    let mut partial = incoming("u1", &headers, 5);
    partial.partial = true;
    let Ingest::Stored(id) = writer.ingest(a, vec![prepare(partial)]).expect("ingest")[0] else {
        panic!()
    };
    writer.set_flagged(&[id], true).expect("flag");
    let reader = writer.reader().expect("reader");
    assert!(
        reader
            .message(id)
            .expect("read")
            .expect("exists")
            .row
            .partial
    );
    let mut rest = incoming("u1", &whole, 6);
    rest.tls_version = Some("TLS 1.3".into());
    writer.replace_partial(id, prepare(rest)).expect("replace");
    let message = reader.message(id).expect("read").expect("exists");
    assert!(!message.row.partial && message.row.flagged);
    assert_eq!(message.raw, whole);
    // The provenance is the whole message's download.
    assert_eq!(
        (message.fetched_at, message.tls_version.as_deref()),
        (6, Some("TLS 1.3"))
    );
    assert_eq!(
        reader.search("attachment", None, 5).expect("search").len(),
        1,
        "the body is indexed now"
    );
}

// ----- lists, folders, search -------------------------------------------------------------------

#[test]
fn pages_sort_by_each_key_in_both_directions_and_date_less_mail_sorts_by_arrival() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    ingest(
        &mut writer,
        a,
        &[(
            "u1",
            mail(
                "Zoe <z@x.de>",
                "Re: apples",
                Some("Wed, 1 Jan 2025 00:00:00 +0000"),
                "1",
            ),
        )],
        1_800_000_000,
    );
    ingest(
        &mut writer,
        a,
        &[(
            "u2",
            mail(
                "adam@x.de",
                "bananas",
                Some("Thu, 1 Jan 2026 00:00:00 +0000"),
                &"2".repeat(500),
            ),
        )],
        1_800_000_000,
    );
    // No Date header: it sorts by when it arrived (2027), so it is the newest.
    ingest(
        &mut writer,
        a,
        &[("u3", mail("Mia <m@x.de>", "cherries", None, "3"))],
        1_800_000_000,
    );
    let reader = writer.reader().expect("reader");
    let view = ListView::Folder(inbox(&reader, a));
    let subjects = |key, descending| -> Vec<String> {
        reader
            .page(view, Sort { key, descending }, 0, 10)
            .expect("page")
            .into_iter()
            .map(|r| r.subject)
            .collect()
    };
    assert_eq!(
        subjects(SortKey::Date, true),
        ["cherries", "bananas", "Re: apples"]
    );
    assert_eq!(
        subjects(SortKey::Date, false),
        ["Re: apples", "bananas", "cherries"]
    );
    assert_eq!(
        subjects(SortKey::Sender, false),
        ["bananas", "cherries", "Re: apples"]
    );
    assert_eq!(
        subjects(SortKey::Subject, false),
        ["Re: apples", "bananas", "cherries"]
    );
    assert_eq!(subjects(SortKey::Size, true)[0], "bananas");
    let window = reader.page(view, Sort::default(), 1, 1).expect("page");
    assert_eq!(window.len(), 1);
    assert_eq!(window[0].subject, "bananas");
    assert_eq!(
        reader
            .page(ListView::AllInboxes, Sort::default(), 0, 10)
            .expect("page")
            .len(),
        3
    );
}

#[test]
fn trash_restore_and_folder_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let results = ingest(
        &mut writer,
        a,
        &[
            ("u1", mail("a@x", "one", None, "1")),
            ("u2", mail("a@x", "two", None, "2")),
        ],
        1,
    );
    let ids: Vec<i64> = results
        .iter()
        .map(|r| match r {
            Ingest::Stored(id) => *id,
            other => panic!("{other:?}"),
        })
        .collect();
    let reader = writer.reader().expect("reader");
    let counts = |kind: FolderKind| {
        let folder = reader
            .folders()
            .expect("folders")
            .into_iter()
            .find(|f| f.account_id == Some(a) && f.kind == kind)
            .expect("folder");
        (folder.total, folder.unread)
    };
    assert_eq!(counts(FolderKind::Inbox), (2, 2));
    writer.set_seen(&[ids[0]], true).expect("seen");
    assert_eq!(counts(FolderKind::Inbox), (2, 1));
    writer.move_to_trash(&[ids[1]], 50).expect("trash");
    assert_eq!(counts(FolderKind::Inbox), (1, 0));
    assert_eq!(counts(FolderKind::Trash), (1, 1));
    assert_eq!(reader.count(ListView::AllInboxes).expect("count"), 1);
    writer.restore(&[ids[1]]).expect("restore");
    assert_eq!(counts(FolderKind::Inbox), (2, 1));
    assert_eq!(counts(FolderKind::Trash), (0, 0));
    let message = reader.message(ids[1]).expect("read").expect("exists");
    assert_eq!(message.deleted_at, None);
}

#[test]
fn removing_an_account_keeps_its_mail_unless_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let b = writer.add_account(&settings("B"), 1).expect("account");
    ingest(
        &mut writer,
        a,
        &[("u1", mail("a@x", "keep me", None, "1"))],
        1,
    );
    ingest(
        &mut writer,
        b,
        &[("u1", mail("b@x", "drop me", None, "1"))],
        1,
    );
    writer
        .remove_account(a, false, 5)
        .expect("remove keeping mail");
    writer.remove_account(b, true, 5).expect("remove with mail");
    let reader = writer.reader().expect("reader");
    assert!(reader.accounts().expect("accounts").is_empty());
    assert_eq!(
        reader.search("keep", None, 5).expect("search").len(),
        1,
        "kept mail stays readable"
    );
    assert!(reader.search("drop", None, 5).expect("search").is_empty());
    assert_eq!(
        writer.add_account(&settings("A"), 6).map(|_| ()),
        Ok(()),
        "the name is free again"
    );
    assert_eq!(
        writer
            .add_account(&settings("A"), 6)
            .expect_err("duplicate")
            .kind(),
        StoreErrorKind::Invalid
    );
}

#[test]
fn search_folds_accents_matches_prefixes_and_senders_and_ranks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    ingest(
        &mut writer,
        a,
        &[
            (
                "u1",
                mail(
                    "=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@mueller.de>",
                    "Grüße aus München",
                    None,
                    "Bis bald",
                ),
            ),
            (
                "u2",
                mail(
                    "news@shop.example",
                    "Angebote",
                    None,
                    "Käse und Brötchen im Angebot, Angebot!",
                ),
            ),
            (
                "u3",
                mail(
                    "anna@example.org",
                    "Protokoll",
                    None,
                    "Das Protokoll der Sitzung mit Herrn Muller",
                ),
            ),
        ],
        1,
    );
    let reader = writer.reader().expect("reader");
    let subjects = |q: &str| -> Vec<String> {
        reader
            .search(q, None, 10)
            .expect("search")
            .into_iter()
            .map(|r| r.subject)
            .collect()
    };
    let muller = subjects("muller");
    assert_eq!(muller.len(), 2, "{muller:?}");
    assert!(muller.contains(&"Grüße aus München".to_owned()));
    assert_eq!(
        subjects("munch"),
        ["Grüße aus München"],
        "prefix and accent folded"
    );
    assert_eq!(subjects("kase"), ["Angebote"]);
    assert_eq!(
        subjects("juergen@mueller"),
        ["Grüße aus München"],
        "by sender address"
    );
    assert_eq!(subjects("anna"), ["Protokoll"]);
    assert!(
        subjects("\"AND OR NOT*").is_empty(),
        "FTS syntax in the input is taken literally"
    );
    assert!(subjects("   ").is_empty());
    let view = ListView::Folder(inbox(&reader, a));
    assert_eq!(
        reader
            .search("angebot", Some(view), 10)
            .expect("search")
            .len(),
        1
    );
}

#[test]
fn removing_an_account_can_keep_its_mail_as_a_local_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let ids: Vec<i64> = ingest(
        &mut writer,
        a,
        &[
            ("u1", mail("a@x", "kept inbox", None, "1")),
            ("u2", mail("a@x", "kept trash", None, "2")),
        ],
        1,
    )
    .into_iter()
    .map(|i| match i {
        Ingest::Stored(id) => id,
        other => panic!("{other:?}"),
    })
    .collect();
    writer.move_to_trash(&ids[1..], 2).expect("trash");
    writer
        .remove_account_keep_mail(a, 5)
        .expect("remove keeping mail");
    let reader = writer.reader().expect("reader");
    assert!(reader.accounts().expect("accounts").is_empty());
    let folders = reader.folders().expect("folders");
    let kept = folders
        .iter()
        .find(|f| f.name == "A")
        .expect("a local folder named after the account");
    assert_eq!(
        (kept.account_id, kept.kind, kept.total),
        (None, FolderKind::Inbox, 1)
    );
    let trash = folders
        .iter()
        .find(|f| f.account_id.is_none() && f.kind == FolderKind::Trash)
        .expect("the local Trash");
    assert_eq!(trash.total, 1, "its Trash joined the local Trash");
    assert_eq!(
        folders
            .iter()
            .filter(|f| f.kind == FolderKind::Trash)
            .count(),
        1,
        "no Trash of the removed account is left"
    );
    // Kept mail behaves like local mail: it can be trashed and restored.
    writer.move_to_trash(&ids[..1], 6).expect("trash kept mail");
    writer.restore(&ids).expect("restore both");
    let reader = writer.reader().expect("reader");
    let kept = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.name == "A")
        .expect("still there");
    assert_eq!(kept.total, 2, "both came back to the kept folder");
}

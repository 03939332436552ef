//! `poplar rule add|list|remove|run` (issue 16): rules made on the command line file the
//! mail already here when run, and the next mail as it arrives; bad input gets a sentence.

use poplar::store::{FolderKind, Ingest, Reader, STORE_FILE, Writer, prepare};

#[path = "support/cli.rs"]
mod cli;
#[path = "support/store_kit.rs"]
mod store_kit;

use cli::*;
use store_kit::*;

fn raw(subject: &str) -> Vec<u8> {
    format!("From: Stadtwerke <info@stadtwerke.example>\r\nSubject: {subject}\r\n\r\nText\r\n")
        .into_bytes()
}

#[test]
fn a_rule_added_on_the_command_line_files_old_mail_when_run_and_new_mail_as_it_arrives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(STORE_FILE);
    let (account, invoices) = {
        let mut writer = Writer::open(&path).expect("open");
        let account = writer.add_account(&settings("GMX"), 1).expect("account");
        let invoices = writer
            .create_folder(Some(account), None, "Rechnungen")
            .expect("folder");
        let batch = vec![
            prepare(incoming("u1", &raw("Ihre Rechnung für März"), 1)),
            prepare(incoming("u2", &raw("Hallo"), 1)),
        ];
        writer.ingest(account, batch).expect("ingest");
        (account, invoices)
    };

    assert!(ok(dir.path(), &["rule", "list"]).contains("no rules"));
    let added = ok(
        dir.path(),
        &[
            "rule",
            "add",
            "Rechnungen",
            "--if",
            "subject contains RECHNUNG",
            "--if",
            "from contains stadtwerke",
            "--move-to",
            "GMX/Rechnungen",
            "--mark-read",
        ],
    );
    assert!(
        added.contains("added the rule Rechnungen (number 1)"),
        "{added}"
    );
    let listed = ok(dir.path(), &["rule", "list"]);
    assert!(
        listed.contains(
            "1\ton\tRechnungen\tif subject contains \"RECHNUNG\" and from contains \"stadtwerke\": \
             move to Rechnungen, mark read"
        ),
        "{listed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir.path(), &["rule", "list", "--json"])).expect("json");
    assert_eq!(json[0]["name"], "Rechnungen");
    assert_eq!(json[0]["enabled"], true);
    assert_eq!(json[0]["rule"]["actions"][0]["move_to"], invoices);

    let ran = ok(dir.path(), &["rule", "run"]);
    assert!(
        ran.contains("2 messages looked at, 1 matched, 1 moved"),
        "{ran}"
    );
    let reader = Reader::open(&path).expect("reader");
    let folders = reader.folders().expect("folders");
    let counts = |id: i64| {
        let f = folders.iter().find(|f| f.id == id).expect("folder");
        (f.total, f.unread)
    };
    assert_eq!(counts(invoices), (1, 0), "moved and read");
    let own = ok(dir.path(), &["list", "--folder", "own"]);
    assert!(own.contains("Ihre Rechnung für März"), "{own}");
    assert!(!own.contains("Hallo"), "{own}");
    assert!(
        !ok(dir.path(), &["list"]).contains("Rechnung"),
        "no longer in the Inbox"
    );
    assert!(
        ok(dir.path(), &["list", "--folder", "junk"])
            .trim()
            .is_empty()
    );
    assert_eq!(
        counts(folder(&reader, Some(account), FolderKind::Inbox)),
        (1, 1)
    );

    // The next invoice is filed as it arrives.
    {
        let mut writer = Writer::open(&path).expect("open");
        let result = writer
            .ingest(
                account,
                vec![prepare(incoming("u3", &raw("Rechnung April"), 2))],
            )
            .expect("ingest");
        let Ingest::Stored(id) = result[0] else {
            panic!("{result:?}");
        };
        assert_eq!(reader.rows(&[id]).expect("rows")[0].folder_id, invoices);
    }

    let removed = ok(dir.path(), &["rule", "remove", "1"]);
    assert!(removed.contains("removed the rule Rechnungen"), "{removed}");
    assert!(reader.rules().expect("rules").is_empty());
}

#[test]
fn bad_rules_on_the_command_line_are_refused_with_a_sentence() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let mut writer = Writer::open(&dir.path().join(STORE_FILE)).expect("open");
        let a = writer.add_account(&settings("A"), 1).expect("account");
        let b = writer.add_account(&settings("B"), 1).expect("account");
        writer
            .create_folder(Some(a), None, "Listen")
            .expect("folder");
        writer
            .create_folder(Some(b), None, "Listen")
            .expect("folder");
    }
    let err = refused(
        dir.path(),
        &["rule", "add", "x", "--if", "subjekt hat foo", "--flag"],
    );
    assert!(err.contains("is not a condition"), "{err}");
    let err = refused(
        dir.path(),
        &[
            "rule",
            "add",
            "x",
            "--if",
            "subject contains foo",
            "--move-to",
            "Nirgends",
        ],
    );
    assert!(err.contains("there is no folder \"Nirgends\""), "{err}");
    let err = refused(
        dir.path(),
        &[
            "rule",
            "add",
            "x",
            "--if",
            "subject contains foo",
            "--move-to",
            "Listen",
        ],
    );
    assert!(err.contains("2 folders are named \"Listen\""), "{err}");
    let err = refused(
        dir.path(),
        &["rule", "add", "x", "--if", "subject contains", "--flag"],
    );
    assert!(
        err.contains("\"x\""),
        "an empty value names the rule: {err}"
    );
    let err = refused(
        dir.path(),
        &["rule", "add", "x", "--if", "size greater lots", "--flag"],
    );
    assert!(err.contains("\"x\""), "{err}");
    let err = refused(dir.path(), &["rule", "remove", "7"]);
    assert!(err.contains("there is no rule \"7\""), "{err}");
    // With the parent given, the name is clear.
    let added = ok(
        dir.path(),
        &[
            "rule",
            "add",
            "Listen B",
            "--if",
            "header:List-Id contains poplar",
            "--move-to",
            "B/Listen",
        ],
    );
    assert!(added.contains("number 1"), "{added}");
}

#[test]
fn folders_are_made_listed_renamed_and_removed_on_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(STORE_FILE);
    let account = {
        let mut writer = Writer::open(&path).expect("open");
        let account = writer.add_account(&settings("GMX"), 1).expect("account");
        writer
            .ingest(account, vec![prepare(incoming("u1", &raw("Rechnung"), 1))])
            .expect("ingest");
        account
    };
    ok(dir.path(), &["folder", "add", "Ablage", "--account", "GMX"]);
    let made = ok(dir.path(), &["folder", "add", "2026", "--parent", "Ablage"]);
    assert!(made.contains("made the folder 2026"), "{made}");
    let listed = ok(dir.path(), &["folder", "list"]);
    assert!(listed.contains("\tGMX\tAblage/2026\t0\t0\n"), "{listed}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir.path(), &["folder", "list", "--json"])).expect("json");
    let nested = json
        .as_array()
        .expect("array")
        .iter()
        .find(|f| f["path"] == "Ablage/2026")
        .expect("nested folder")
        .clone();
    assert_eq!(nested["kind"], "folder");
    assert_eq!(nested["account"], account);
    let err = refused(dir.path(), &["folder", "add", "ablage", "--account", "GMX"]);
    assert!(err.contains("already a folder named"), "{err}");
    let err = refused(dir.path(), &["folder", "rename", "GMX/Inbox", "Post"]);
    assert!(err.contains("not one of your own folders"), "{err}");

    ok(
        dir.path(),
        &["folder", "rename", "Ablage/2026", "Jahr 2026"],
    );
    ok(
        dir.path(),
        &[
            "rule",
            "add",
            "Ablage",
            "--if",
            "subject contains rechnung",
            "--move-to",
            "Jahr 2026",
        ],
    );
    ok(dir.path(), &["rule", "run"]);
    let gone = ok(dir.path(), &["folder", "remove", "Ablage"]);
    assert!(
        gone.contains("deleted the folder Ablage; its message went to Trash"),
        "{gone}"
    );
    let reader = Reader::open(&path).expect("reader");
    let trash = folder(&reader, Some(account), FolderKind::Trash);
    let folders = reader.folders().expect("folders");
    assert_eq!(
        folders.iter().find(|f| f.id == trash).expect("trash").total,
        1
    );
    let listed = ok(dir.path(), &["rule", "list"]);
    assert!(
        listed.contains("switched off: its folder was deleted"),
        "{listed}"
    );
}

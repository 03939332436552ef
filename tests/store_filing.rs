//! Filing on arrival (issue 16): the rules and the providers' spam marks decide where a new
//! message is stored, in the same transaction as the message, with the counts right; a
//! batch stored again (a killed sync resuming) files nothing twice.

use poplar::junk::JunkSettings;
use poplar::rules::{Action, Condition, Field, Op, Rule, Scope};
use poplar::store::{FolderKind, Ingest, Reader, RuleNotice, Writer, prepare};

#[path = "support/store_kit.rs"]
mod store_kit;

use store_kit::*;

fn rule(name: &str, field: Field, value: &str, actions: Vec<Action>) -> Rule {
    Rule {
        name: name.into(),
        enabled: true,
        scope: Scope::AllAccounts,
        match_all: true,
        conditions: vec![Condition {
            field,
            op: Op::Contains,
            value: value.into(),
        }],
        actions,
        stop: false,
    }
}

fn message(subject: &str, extra_header: &str) -> Vec<u8> {
    format!(
        "From: Anna <anna@example.de>\r\nTo: me@example.de\r\nSubject: {subject}\r\n{extra_header}\r\nbody of {subject}\r\n"
    )
    .into_bytes()
}

fn folder_of_message(reader: &Reader, id: i64) -> i64 {
    reader.rows(&[id]).expect("rows")[0].folder_id
}

fn stored_ids(results: &[Ingest]) -> Vec<i64> {
    results
        .iter()
        .map(|r| match r {
            Ingest::Stored(id) => *id,
            other => panic!("expected stored, got {other:?}"),
        })
        .collect()
}

#[test]
fn rules_and_spam_marks_file_new_mail_in_the_commit_that_stores_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let reader = writer.reader().expect("reader");
    let invoices = writer
        .create_folder(Some(a), None, "Rechnungen")
        .expect("folder");
    writer
        .add_rule(&rule(
            "Rechnungen",
            Field::Subject,
            "rechnung",
            vec![Action::MoveTo(invoices), Action::MarkRead],
        ))
        .expect("rule");
    writer
        .add_rule(&rule("Anna", Field::From, "ANNA", vec![Action::Flag]))
        .expect("rule");
    writer
        .add_rule(&rule(
            "Gewinnspiel",
            Field::Subject,
            "gewinnspiel",
            vec![Action::MoveToTrash],
        ))
        .expect("rule");

    let batch = [
        ("u1", message("Ihre Rechnung Nr. 5", "")),
        ("u2", message("Hallo", "")),
        ("u3", message("Billig Uhren", "X-Spam-Flag: YES\r\n")),
        ("u4", message("Gewinnspiel", "")),
        // The user's rule has the last word over the provider's mark.
        ("u5", message("Rechnung, angeblich", "X-Spam-Flag: YES\r\n")),
        (
            "u6",
            message("Newsletter", "X-UI-Filterresults: junk:10;V03:K0\r\n"),
        ),
    ];
    let items: Vec<_> = batch
        .iter()
        .map(|(u, raw)| prepare(incoming(u, raw, 7)))
        .collect();
    let ids = stored_ids(&writer.ingest(a, items).expect("ingest"));
    let inbox = folder(&reader, Some(a), FolderKind::Inbox);
    let junk = folder(&reader, Some(a), FolderKind::Junk);
    let trash = folder(&reader, Some(a), FolderKind::Trash);
    let places: Vec<i64> = ids
        .iter()
        .map(|id| folder_of_message(&reader, *id))
        .collect();
    assert_eq!(places, [invoices, inbox, junk, trash, invoices, junk]);
    let rows = reader.rows(&ids).expect("rows");
    assert!(rows[0].seen, "marked read by the rule");
    // Every message is from Anna, but a move ends the processing: what the first rule filed
    // is not flagged by the second.
    let flagged: Vec<bool> = rows.iter().map(|r| r.flagged).collect();
    assert_eq!(flagged, [false, true, true, true, false, true]);
    assert_eq!(
        junk_reason(&path, ids[2]).as_deref(),
        Some("X-Spam-Flag: YES")
    );
    assert_eq!(junk_reason(&path, ids[4]), None);
    // Mail filed in Trash by a rule is restored to the Inbox.
    writer.restore(&ids[3..4]).expect("restore");
    assert_eq!(folder_of_message(&reader, ids[3]), inbox);
    assert_counts_match_a_recount(&path);

    // A killed sync resuming stores the same batch again: nothing is filed twice.
    let again: Vec<_> = batch
        .iter()
        .map(|(u, raw)| prepare(incoming(u, raw, 8)))
        .collect();
    let results = writer.ingest(a, again).expect("ingest again");
    assert!(results.iter().all(|r| *r == Ingest::Known), "{results:?}");
    let folders = reader.folders().expect("folders");
    let total = |id: i64| folders.iter().find(|f| f.id == id).expect("folder").total;
    assert_eq!((total(invoices), total(junk)), (2, 2));
    assert_counts_match_a_recount(&path);
}

#[test]
fn an_account_with_its_junk_filter_off_keeps_marked_mail_in_the_inbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("open");
    let mut off = settings("A");
    off.junk = JunkSettings::off();
    let a = writer.add_account(&off, 1).expect("account");
    let reader = writer.reader().expect("reader");
    assert_eq!(
        reader.accounts().expect("accounts")[0].settings.junk,
        JunkSettings::off()
    );
    let ids = stored_ids(
        &writer
            .ingest(
                a,
                vec![prepare(incoming(
                    "u1",
                    &message("Billig", "X-Spam-Flag: YES\r\n"),
                    1,
                ))],
            )
            .expect("ingest"),
    );
    assert_eq!(
        folder_of_message(&reader, ids[0]),
        folder(&reader, Some(a), FolderKind::Inbox)
    );
}

#[test]
fn deleting_a_rules_folder_switches_the_rule_off_with_a_notice_and_mail_stays_in_the_inbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("open");
    let a = writer.add_account(&settings("A"), 1).expect("account");
    let reader = writer.reader().expect("reader");
    let lists = writer.create_folder(None, None, "Listen").expect("folder");
    let id = writer
        .add_rule(&rule(
            "Listen",
            Field::Header("List-Id".into()),
            "poplar",
            vec![Action::MoveTo(lists)],
        ))
        .expect("rule");
    writer.delete_folder(lists, 3).expect("delete");
    let rules = reader.rules().expect("rules");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].id, id);
    assert_eq!(rules[0].notice, Some(RuleNotice::FolderGone));
    assert!(!rules[0].rule.as_ref().expect("readable").enabled);
    let ids = stored_ids(
        &writer
            .ingest(
                a,
                vec![prepare(incoming(
                    "u1",
                    &message("Digest", "List-Id: <poplar.example.de>\r\n"),
                    1,
                ))],
            )
            .expect("ingest"),
    );
    assert_eq!(
        folder_of_message(&reader, ids[0]),
        folder(&reader, Some(a), FolderKind::Inbox)
    );

    // Bad rules are refused with the reason.
    let err = writer
        .add_rule(&rule(
            "Weg",
            Field::Subject,
            "x",
            vec![Action::MoveTo(lists)],
        ))
        .expect_err("a folder that is gone");
    assert!(err.to_string().contains("does not exist"), "{err}");
    let err = writer
        .add_rule(&rule("Leer", Field::Subject, "", vec![Action::Flag]))
        .expect_err("an empty condition");
    assert!(err.to_string().contains("Leer"), "{err}");
}

#[test]
fn rules_are_kept_in_order_and_can_be_moved_replaced_and_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let reader = writer.reader().expect("reader");
    let names = |reader: &Reader| -> Vec<String> {
        reader
            .rules()
            .expect("rules")
            .into_iter()
            .map(|r| r.rule.expect("readable").name)
            .collect()
    };
    let one = writer
        .add_rule(&rule("one", Field::Subject, "a", vec![Action::Flag]))
        .expect("add");
    let two = writer
        .add_rule(&rule("two", Field::Subject, "b", vec![Action::Flag]))
        .expect("add");
    writer
        .add_rule(&rule("three", Field::Subject, "c", vec![Action::Flag]))
        .expect("add");
    writer.move_rule(two, 0).expect("move");
    assert_eq!(names(&reader), ["two", "one", "three"]);
    writer.move_rule(two, 99).expect("move to the end");
    assert_eq!(names(&reader), ["one", "three", "two"]);
    writer
        .replace_rule(
            one,
            &rule("uno", Field::Subject, "a", vec![Action::MarkRead]),
        )
        .expect("replace");
    writer.remove_rule(two).expect("remove");
    assert_eq!(names(&reader), ["uno", "three"]);
    assert!(writer.remove_rule(two).is_err(), "removing twice says so");
}

//! The rules dialog (issue 16) through egui_kittest, by accessible labels: a rule written in
//! the editor with its live preview ("would match 1 of 3 messages"), saved, and run over the
//! Inbox ("Run rules now"); bad rules refused in the dialog's words; rules reordered,
//! switched off, edited and deleted; a rule whose folder was deleted says so; and "Run rules
//! on these messages" from the list's menu.

#[path = "support/ui.rs"]
mod ui;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::rules::{Action, Condition, Field, Op, Rule, Scope};
use poplar::store::{FolderId, FolderKind, ListView, Reader, Sort, Writer};
use poplar::ui::PoplarApp;
use ui::{click, replace, seeded_store, shows_text, step_until, type_into};

/// A store with the seeded account's three messages and a folder "Work" under its Inbox.
fn store_with_work(dir: &Path) -> (PathBuf, FolderId) {
    let store = seeded_store(dir, true);
    let reader = Reader::open(&store).expect("reader");
    let inbox = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.kind == FolderKind::Inbox && f.account_id.is_some())
        .expect("inbox");
    let work = Writer::open(&store)
        .expect("writer")
        .create_folder(inbox.account_id, Some(inbox.id), "Work")
        .expect("create Work");
    (store, work)
}

fn subjects_in(store: &Path, folder: FolderId) -> Vec<String> {
    let reader = Reader::open(store).expect("reader");
    let mut subjects: Vec<String> = reader
        .page(ListView::Folder(folder), Sort::default(), 0, 100)
        .expect("page")
        .into_iter()
        .map(|r| r.subject)
        .collect();
    subjects.sort();
    subjects
}

fn stored_rules(store: &Path) -> Vec<Rule> {
    Reader::open(store)
        .expect("reader")
        .rules()
        .expect("rules")
        .into_iter()
        .filter_map(|r| r.rule)
        .collect()
}

/// Clicks the last widget of that label (a combo box comes after the words before it).
fn click_last(harness: &mut Harness<'_, PoplarApp>, label: &str) {
    harness
        .get_all_by_label(label)
        .last()
        .expect("shown")
        .hover();
    harness.run_steps(2);
    harness
        .get_all_by_label(label)
        .last()
        .expect("shown")
        .click();
    harness.run_steps(2);
}

/// "New rule…", and the editor settled (its fields are where they are drawn).
fn new_rule(harness: &mut Harness<'_, PoplarApp>) {
    click(harness, "New rule…");
    step_until(harness, "the editor is open", |h| {
        h.query_by_label("Rule name").is_some()
    });
    harness.run_steps(3);
}

fn open_rules(harness: &mut Harness<'_, PoplarApp>) {
    click(harness, "File");
    click(harness, "Rules…");
    step_until(harness, "the rules dialog is open", |h| {
        h.query_by_label("New rule…").is_some()
    });
}

fn rule(name: &str, subject: &str, actions: Vec<Action>) -> Rule {
    Rule {
        name: name.to_owned(),
        enabled: true,
        scope: Scope::AllAccounts,
        match_all: true,
        conditions: vec![Condition {
            field: Field::Subject,
            op: Op::Contains,
            value: subject.to_owned(),
        }],
        actions,
        stop: false,
    }
}

#[test]
fn a_rule_written_in_the_dialog_previews_its_matches_saves_and_runs_over_the_inbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, work) = store_with_work(dir.path());
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    open_rules(&mut harness);
    assert!(shows_text(&harness, "No rules yet."));

    new_rule(&mut harness);
    assert!(
        shows_text(&harness, "Give the rule a name."),
        "the preview says what is missing"
    );
    type_into(&mut harness, "Rule name", "Invoices");
    assert!(shows_text(&harness, "Condition 1 is empty"));
    type_into(&mut harness, "Value 1", "INVOICE");
    assert!(shows_text(&harness, "The rule does nothing yet"));
    click_last(&mut harness, "Move it to");
    click(&mut harness, "Test › Inbox › Work");
    // Case-insensitive, as search: "INVOICE" finds "Quarterly invoice".
    step_until(&mut harness, "the preview counted", |h| {
        shows_text(h, "Would match 1 of 3 messages in the inboxes")
    });
    type_into(&mut harness, "Value 1", "zzz");
    step_until(&mut harness, "the preview counted again", |h| {
        shows_text(h, "Would match 0 of 3 messages")
    });
    replace(&mut harness, "Value 1", "invoice");
    step_until(&mut harness, "the preview is back", |h| {
        shows_text(h, "Would match 1 of 3 messages")
    });
    click(&mut harness, "Save");
    step_until(&mut harness, "the rule is listed", |h| {
        h.query_by_label("Use the rule Invoices").is_some()
    });
    assert!(shows_text(
        &harness,
        "Subject contains \u{201c}invoice\u{201d}: move to Work"
    ));
    assert_eq!(
        stored_rules(&store),
        [rule("Invoices", "invoice", vec![Action::MoveTo(work)])]
    );
    assert!(
        subjects_in(&store, work).is_empty(),
        "saving a rule moves nothing"
    );

    click(&mut harness, "Run rules now");
    step_until(&mut harness, "the rule filed the invoice", |_| {
        subjects_in(&store, work) == ["Quarterly invoice"]
    });
    step_until(&mut harness, "the status says what the rules did", |h| {
        shows_text(h, "Rules looked at 3 messages: 1 matched, 1 moved")
    });
}

#[test]
fn bad_rules_are_refused_and_rules_reorder_switch_off_edit_and_delete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = seeded_store(dir.path(), true);
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    open_rules(&mut harness);

    // An unnamed rule is refused on Save, and the editor stays open.
    new_rule(&mut harness);
    type_into(&mut harness, "Value 1", "lunch");
    click(&mut harness, "Mark it as read");
    click(&mut harness, "Save");
    harness.run_steps(3);
    assert!(shows_text(&harness, "Give the rule a name."));
    assert!(stored_rules(&store).is_empty());
    type_into(&mut harness, "Rule name", "A");
    click(&mut harness, "Save");
    step_until(&mut harness, "A is listed", |h| {
        h.query_by_label("Use the rule A").is_some()
    });

    // A header condition with a bad name is refused in words.
    new_rule(&mut harness);
    type_into(&mut harness, "Rule name", "B");
    click(&mut harness, "Field 1");
    click(&mut harness, "Header field");
    type_into(&mut harness, "Header name 1", "List Id");
    type_into(&mut harness, "Value 1", "news");
    click(&mut harness, "Flag it");
    click(&mut harness, "Save");
    harness.run_steps(3);
    assert!(shows_text(&harness, "\"List Id\" is not a header name"));
    replace(&mut harness, "Header name 1", "List-Id");
    click(&mut harness, "Save");
    step_until(&mut harness, "B is listed", |h| {
        h.query_by_label("Use the rule B").is_some()
    });
    let names =
        |store: &Path| -> Vec<String> { stored_rules(store).into_iter().map(|r| r.name).collect() };
    assert_eq!(names(&store), ["A", "B"]);
    assert_eq!(
        stored_rules(&store)[1].conditions[0].field,
        Field::Header("List-Id".into())
    );

    click(&mut harness, "Move B up");
    step_until(&mut harness, "B runs first", |_| {
        names(&store) == ["B", "A"]
    });
    click(&mut harness, "Use the rule A");
    step_until(&mut harness, "A is off", |_| {
        stored_rules(&store)
            .iter()
            .any(|r| r.name == "A" && !r.enabled)
    });
    click(&mut harness, "Edit the rule A");
    assert_eq!(
        harness.get_by_label("Rule name").value().as_deref(),
        Some("A")
    );
    replace(&mut harness, "Rule name", "Lunch");
    click(&mut harness, "Save");
    step_until(&mut harness, "renamed in place", |_| {
        names(&store) == ["B", "Lunch"]
    });
    click(&mut harness, "Delete the rule B");
    step_until(&mut harness, "B is gone", |_| names(&store) == ["Lunch"]);
    assert!(harness.query_by_label("Use the rule B").is_none());
    click(&mut harness, "Close");
    assert!(harness.query_by_label("New rule…").is_none());
}

#[test]
fn a_rule_whose_folder_was_deleted_is_switched_off_with_a_notice_in_the_dialog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, work) = store_with_work(dir.path());
    {
        let mut writer = Writer::open(&store).expect("writer");
        writer
            .add_rule(&rule("Work mail", "invoice", vec![Action::MoveTo(work)]))
            .expect("add");
        writer.delete_folder(work, 0).expect("delete Work");
    }
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    open_rules(&mut harness);
    assert!(shows_text(
        &harness,
        "Switched off: the folder it filed mail in was deleted."
    ));
    let use_it = harness.get_by_label("Use the rule Work mail");
    assert_eq!(
        {
            use egui_kittest::kittest::NodeT as _;
            use_it.accesskit_node().toggled()
        },
        Some(egui::accesskit::Toggled::False)
    );
}

#[test]
fn run_rules_on_these_messages_files_only_the_selection() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, work) = store_with_work(dir.path());
    // Every message matches ("i" is in every subject); only the selected one is filed.
    Writer::open(&store)
        .expect("writer")
        .add_rule(&rule("Everything", "i", vec![Action::MoveTo(work)]))
        .expect("add");
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    harness
        .get_all_by_label("Lunch on Friday")
        .next()
        .expect("listed")
        .click();
    harness.run_steps(2);
    harness
        .get_all_by_label("Lunch on Friday")
        .next()
        .expect("listed")
        .click_secondary();
    harness.run_steps(2);
    click(&mut harness, "Run rules on these messages");
    step_until(&mut harness, "the selected message is in Work", |_| {
        subjects_in(&store, work) == ["Lunch on Friday"]
    });
    step_until(&mut harness, "the status says so", |h| {
        shows_text(h, "Rules looked at one message: 1 matched, 1 moved")
    });
}

//! Searching in the window (egui_kittest, by accessible labels): operators and phrases
//! typed into the search field narrow the list, the hits come in the list's order and follow
//! a click on a column, and a search that cannot run says why in place of a count.

#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::ui::PoplarApp;
use ui::{click, raw, replace, shows_text, step_until, store_with_mail};

const MAIL: [(&str, &str, &str, &str, &str); 5] = [
    (
        "m1",
        "Anna <anna@example.org>",
        "Lunch on Friday",
        "Fri, 01 Mar 2024 12:00:00 +0000",
        "Shall we have lunch?",
    ),
    (
        "m2",
        "Anna <anna@example.org>",
        "Quarterly report",
        "Mon, 04 Mar 2024 09:00:00 +0000",
        "The quarterly report is ready.",
    ),
    (
        "m3",
        "Bob <bob@example.org>",
        "Thanks",
        "Tue, 05 Mar 2024 09:00:00 +0000",
        "Thanks for the quarterly report, Anna.",
    ),
    (
        "m4",
        "Anna <anna@example.org>",
        "Zoo tickets",
        "Sat, 10 Feb 2024 09:00:00 +0000",
        "And the school report card.",
    ),
    (
        "m5",
        "Shop <news@shop.example>",
        "Report of the quarter",
        "Wed, 06 Mar 2024 09:00:00 +0000",
        "A report for this quarter.",
    ),
];

fn start(dir: &std::path::Path) -> Harness<'static, PoplarApp> {
    let mail = MAIL.iter().map(|(uidl, from, subject, date, body)| {
        ((*uidl).to_owned(), raw(from, subject, date, body))
    });
    let store = store_with_mail(dir, mail);
    let mut harness = ui::harness(store, Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    harness
}

/// The subjects of the list's rows, top to bottom.
fn listed(harness: &Harness<'_, PoplarApp>) -> Vec<String> {
    ui::shown_in_order(harness, MAIL.iter().map(|(_, _, subject, _, _)| *subject))
}

fn search(harness: &mut Harness<'_, PoplarApp>, text: &str, found: &str) {
    replace(harness, "Search", text);
    let found = found.to_owned();
    step_until(harness, &found.clone(), move |h| shows_text(h, &found));
}

#[test]
fn operators_and_phrases_narrow_the_list_in_its_own_order() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = start(dir.path());
    assert_eq!(listed(&harness).len(), 5);

    // A phrase: the words next to each other ("report for this quarter" is not one).
    search(&mut harness, "\"quarterly report\"", "2 found");
    assert_eq!(listed(&harness), ["Thanks", "Quarterly report"]);

    // A field and a word, newest first as the list is sorted.
    search(&mut harness, "from:anna report", "2 found");
    assert_eq!(listed(&harness), ["Quarterly report", "Zoo tickets"]);

    // The hits follow a click on a column, as the view does.
    harness
        .get_all_by_label("Subject")
        .next()
        .expect("the subject column")
        .click();
    step_until(&mut harness, "the hits sorted by subject", |h| {
        listed(h) == ["Quarterly report", "Zoo tickets"]
    });
    harness
        .get_all_by_label("Subject ⏶")
        .next()
        .expect("sorted A to Z")
        .click();
    step_until(&mut harness, "the hits sorted Z to A", |h| {
        listed(h) == ["Zoo tickets", "Quarterly report"]
    });

    // Exclusions, dates and state.
    search(&mut harness, "-report", "1 found");
    assert_eq!(listed(&harness), ["Lunch on Friday"]);
    search(&mut harness, "date:2024-02", "1 found");
    assert_eq!(listed(&harness), ["Zoo tickets"]);
    search(&mut harness, "is:unread after:2024-03-05", "2 found");

    // A search that cannot run says why, and lists nothing.
    search(&mut harness, "before:2024-13-01", "is not a date");
    assert!(listed(&harness).is_empty());
    search(
        &mut harness,
        "folder:Nowhere",
        "There is no folder called “Nowhere”.",
    );

    // Emptying the field shows the whole view again.
    harness.get_by_label("Search").click();
    harness.run_steps(1);
    harness.key_press(egui::Key::Escape);
    step_until(&mut harness, "every message again", |h| {
        listed(h).len() == 5
    });
}

#[test]
fn a_search_saved_under_a_name_joins_the_folder_pane_and_unread_keeps_the_open_message() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = start(dir.path());

    // Nothing flagged yet: the saved view says so.
    click(&mut harness, "🔍 Flagged");
    step_until(&mut harness, "an empty saved view", |h| {
        shows_text(h, "This search finds nothing yet.")
    });

    // "Unread" lists every unread message; the one opened there is marked read and stays
    // until another is chosen.
    click(&mut harness, "🔍 Unread, 5 unread");
    step_until(&mut harness, "five unread", |h| shows_text(h, "5 found"));
    harness
        .get_all_by_label("Thanks")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "one fewer unread", |h| {
        h.query_by_label("🔍 Unread, 4 unread").is_some()
    });
    harness.run_steps(5);
    assert_eq!(listed(&harness).len(), 5, "the open message stays listed");
    click(&mut harness, "All inboxes, 4 unread");
    click(&mut harness, "🔍 Unread, 4 unread");
    step_until(&mut harness, "four unread", |h| listed(h).len() == 4);
    assert!(!listed(&harness).contains(&"Thanks".to_owned()));

    // Saving what is typed: the name starts as the search, and it joins the pane.
    click(&mut harness, "All inboxes, 4 unread");
    search(&mut harness, "from:anna report", "2 found");
    click(&mut harness, "Save search…");
    replace(&mut harness, "Name of the search", "Anna's reports");
    click(&mut harness, "OK");
    step_until(&mut harness, "the saved search in the pane", |h| {
        h.query_by_label("🔍 Anna's reports").is_some()
    });
    // Chosen there, it lists its mail with nothing typed; typing narrows it further.
    harness.get_by_label("Search").click();
    harness.run_steps(1);
    harness.key_press(egui::Key::Escape);
    click(&mut harness, "🔍 Anna's reports");
    step_until(&mut harness, "its two messages", |h| {
        listed(h) == ["Quarterly report", "Zoo tickets"]
    });
    search(&mut harness, "zoo", "1 found");
    assert_eq!(listed(&harness), ["Zoo tickets"]);

    // A second one with the same name is refused in the dialog.
    click(&mut harness, "Save search…");
    replace(&mut harness, "Name of the search", "anna's REPORTS");
    click(&mut harness, "OK");
    step_until(&mut harness, "the refusal", |h| {
        shows_text(h, "There is already a saved search called")
    });
    click(&mut harness, "Cancel");

    // Removed from its menu, it leaves the pane and the list goes back to All inboxes.
    harness.get_by_label("🔍 Anna's reports").click_secondary();
    harness.run_steps(2);
    click(&mut harness, "Remove saved search");
    step_until(&mut harness, "the saved search gone", |h| {
        h.query_by_label("🔍 Anna's reports").is_none() && shows_text(h, "All inboxes")
    });
}

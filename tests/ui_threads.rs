//! Conversations in the window (egui_kittest, by accessible labels): View → Group by
//! conversation lists each conversation once at its newest message with its counts, its
//! triangle (or → and ←) opens and closes it, a closed conversation's row stands for all its
//! messages, and "Show the conversation" lists one conversation.

#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::ui::PoplarApp;
use ui::{click, shows_text, step_until, store_with_mail};

/// Subject, Message-ID, References, day of March 2024.
const MAIL: [(&str, &str, &str, u32); 5] = [
    ("Plan", "a@x", "", 1),
    ("Lunch", "l@x", "", 2),
    ("Re: Plan", "b@x", "<a@x>", 3),
    ("Other", "o@x", "", 4),
    ("Re: Re: Plan", "c@x", "<a@x> <b@x>", 5),
];

fn raw(subject: &str, id: &str, references: &str, day: u32) -> Vec<u8> {
    let mut out = format!(
        "From: Anna <anna@example.org>\r\nTo: reader@example.de\r\nSubject: {subject}\r\n\
         Date: {day:02} Mar 2024 10:00:00 +0000\r\nMessage-ID: <{id}>\r\n"
    );
    if !references.is_empty() {
        out.push_str(&format!("References: {references}\r\n"));
    }
    out.push_str(&format!("\r\nAbout {subject}.\r\n"));
    out.into_bytes()
}

fn start(dir: &std::path::Path) -> Harness<'static, PoplarApp> {
    let mail = MAIL
        .iter()
        .map(|(subject, id, refs, day)| (id.to_string(), raw(subject, id, refs, *day)));
    let store = store_with_mail(dir, mail);
    let mut harness = ui::harness(store, Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    harness
}

/// The subjects of the list's rows, top to bottom.
fn listed(harness: &Harness<'_, PoplarApp>) -> Vec<String> {
    ui::shown_in_order(harness, MAIL.iter().map(|(subject, ..)| *subject))
}

fn group(harness: &mut Harness<'_, PoplarApp>) {
    click(harness, "View");
    click(harness, "Group by conversation");
}

#[test]
fn grouped_by_conversation_each_is_one_row_that_opens_and_closes() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = start(dir.path());
    assert_eq!(
        listed(&harness),
        ["Re: Re: Plan", "Other", "Re: Plan", "Lunch", "Plan"]
    );

    group(&mut harness);
    step_until(&mut harness, "one row per conversation", |h| {
        listed(h) == ["Re: Re: Plan", "Other", "Lunch"]
    });
    assert!(
        shows_text(&harness, "3 new"),
        "the unread count of the closed one"
    );
    assert!(shows_text(&harness, "5 messages in 3 conversations"));
    click(&mut harness, "Open the conversation (3 messages, 3 unread)");
    step_until(&mut harness, "its messages below it", |h| {
        listed(h) == ["Re: Re: Plan", "Re: Plan", "Plan", "Other", "Lunch"]
    });

    // Reading one inside, then ← closes it over its row; → opens it again.
    harness
        .get_all_by_label("Re: Plan")
        .next()
        .expect("listed")
        .click();
    harness.run_steps(3);
    harness.key_press(egui::Key::ArrowLeft);
    step_until(&mut harness, "closed again", |h| {
        listed(h) == ["Re: Re: Plan", "Other", "Lunch"]
    });
    // Its row is shown in place of the message read (and so read too).
    step_until(&mut harness, "two of three read", |h| {
        h.query_by_label("Open the conversation (3 messages, 1 unread)")
            .is_some()
    });
    assert!(shows_text(&harness, "About Re: Re: Plan."));
    harness.key_press(egui::Key::ArrowRight);
    step_until(&mut harness, "open again", |h| listed(h).len() == 5);
    harness.key_press(egui::Key::ArrowLeft);
    step_until(&mut harness, "closed", |h| listed(h).len() == 3);

    // A closed conversation's row stands for all its messages: Delete moves the three.
    harness
        .get_all_by_label("Re: Re: Plan")
        .next()
        .expect("listed")
        .click();
    harness.run_steps(3);
    harness.key_press(egui::Key::Delete);
    step_until(&mut harness, "the conversation in Trash", |h| {
        listed(h) == ["Other", "Lunch"]
    });
    // All three went (the one of them unread with them); the next row opened.
    step_until(&mut harness, "the three in Trash", |h| {
        h.query_by_label("Trash, 1 unread").is_some()
    });
    assert!(shows_text(&harness, "About Other."));

    // Off again: every message is a row.
    group(&mut harness);
    step_until(&mut harness, "every message", |h| {
        listed(h) == ["Other", "Lunch"]
    });
    assert!(!shows_text(&harness, "Open the conversation"));
}

#[test]
fn show_the_conversation_lists_one_conversation_with_the_message_still_open() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = start(dir.path());
    harness
        .get_all_by_label("Plan")
        .next()
        .expect("listed")
        .click();
    harness.run_steps(3);
    harness
        .get_all_by_label("Plan")
        .next()
        .expect("listed")
        .click_secondary();
    harness.run_steps(2);
    click(&mut harness, "Show the conversation");
    step_until(&mut harness, "the conversation's messages", |h| {
        listed(h) == ["Re: Re: Plan", "Re: Plan", "Plan"]
    });
    assert!(shows_text(&harness, "Conversation: Plan"));
    assert!(
        shows_text(&harness, "About Plan."),
        "the message stays open"
    );
    // Back to the inbox from the folder pane.
    click(&mut harness, "All inboxes, 4 unread");
    step_until(&mut harness, "the inbox again", |h| listed(h).len() == 5);
    // From the message view: a message alone is a conversation of one.
    harness
        .get_all_by_label("Other")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "Other open", |h| {
        shows_text(h, "About Other.")
    });
    click(&mut harness, "💬 Conversation");
    step_until(&mut harness, "its conversation", |h| {
        listed(h) == ["Other"] && shows_text(h, "Conversation: Other")
    });
}

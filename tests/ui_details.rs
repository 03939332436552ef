//! A message's details in the window (egui_kittest): folded under the header, they say which
//! account it came from, the server and its UIDL there, and when it was downloaded; the
//! sender's address can be copied.

#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use ui::{click, raw, shows_text, step_until, store_with_mail};

#[test]
fn the_details_of_a_message_say_where_and_when_it_was_downloaded() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let mail = [(
        "UIDL-0042".to_owned(),
        raw(
            "Anna <anna@example.org>",
            "Where from",
            "Fri, 01 Mar 2024 12:00:00 +0000",
            "Hello.",
        ),
    )];
    let store = store_with_mail(dir.path(), mail);
    let mut harness = ui::harness(store, Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    harness
        .get_all_by_label("Where from")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the message open", |h| {
        shows_text(h, "Hello.")
    });
    assert!(!shows_text(&harness, "UIDL-0042"), "folded at first");
    click(&mut harness, "Details");
    step_until(&mut harness, "the details", |h| shows_text(h, "UIDL-0042"));
    for label in [
        "Account",
        "Server",
        "Downloaded",
        "Connection",
        "Message-ID",
    ] {
        assert!(shows_text(&harness, label), "{label}");
    }
    assert!(shows_text(&harness, "pop.invalid"), "the server");
    assert!(shows_text(&harness, "Where.from@test"), "its Message-ID");

    // The sender's address goes to the clipboard.
    harness.get_by_label("Copy address").hover();
    harness.run_steps(2);
    harness.get_by_label("Copy address").click();
    let mut copied = Vec::new();
    for _ in 0..3 {
        harness.step();
        copied.extend(
            harness
                .output()
                .platform_output
                .commands
                .iter()
                .filter_map(|c| match c {
                    egui::OutputCommand::CopyText(text) => Some(text.clone()),
                    _ => None,
                }),
        );
    }
    assert_eq!(copied, ["anna@example.org"]);
}

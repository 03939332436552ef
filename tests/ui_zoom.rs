//! The message text's size (egui_kittest): Ctrl + and View → Larger text make the body
//! larger and only the body, Ctrl − smaller, Ctrl 0 normal again; the size stays when
//! another message is opened.

#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::ui::PoplarApp;
use ui::{click, raw, shows_text, step_until, store_with_mail};

fn height(harness: &Harness<'_, PoplarApp>, label: &str) -> f32 {
    harness
        .query_all_by_label_contains(label)
        .next()
        .unwrap_or_else(|| panic!("{label} shown"))
        .rect()
        .height()
}

fn press(harness: &mut Harness<'_, PoplarApp>, key: Key) {
    harness.key_press_modifiers(Modifiers::COMMAND, key);
    harness.run_steps(3);
}

#[test]
fn ctrl_plus_and_minus_size_the_message_text_and_only_it() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let mail = [
        (
            "u1".to_owned(),
            raw(
                "Anna <anna@example.org>",
                "First",
                "Fri, 01 Mar 2024 12:00:00 +0000",
                "Body one.",
            ),
        ),
        (
            "u2".to_owned(),
            raw(
                "Bob <bob@example.org>",
                "Second",
                "Sat, 02 Mar 2024 12:00:00 +0000",
                "Body two.",
            ),
        ),
    ];
    let store = store_with_mail(dir.path(), mail);
    let mut harness = ui::harness(store, Arc::new(ScriptedDialogs::default()));
    harness.run_steps(3);
    harness
        .get_all_by_label("First")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the message", |h| shows_text(h, "Body one."));
    let body = height(&harness, "Body one.");
    let row = height(&harness, "Second");

    press(&mut harness, Key::Plus);
    press(&mut harness, Key::Plus);
    let larger = height(&harness, "Body one.");
    assert!(larger > body * 1.15, "{larger} after two steps from {body}");
    assert_eq!(height(&harness, "Second"), row, "the list keeps its size");

    // It stays for the next message.
    harness
        .get_all_by_label("Second")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the other message", |h| {
        shows_text(h, "Body two.")
    });
    assert!((height(&harness, "Body two.") - larger).abs() < 0.5);

    press(&mut harness, Key::Minus);
    let smaller = height(&harness, "Body two.");
    assert!(smaller < larger && smaller > body, "{smaller}");
    press(&mut harness, Key::Num0);
    assert!(
        (height(&harness, "Body two.") - body).abs() < 0.5,
        "normal again"
    );

    // The View menu does the same.
    click(&mut harness, "View");
    harness
        .query_all_by_label_contains("Larger text")
        .next()
        .expect("the menu entry")
        .click();
    harness.run_steps(3);
    assert!(height(&harness, "Body two.") > body);
}

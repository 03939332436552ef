//! Keys (egui_kittest): F1 and Help → Keyboard shortcuts list every key, Alt+↓ and Alt+↑
//! walk the folder pane, U marks the selected message unread and read again.

#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::store::{ListView, SavedView};
use poplar::ui::PoplarApp;
use ui::{click, seeded_store, shows_text, step_until};

fn start(dir: &std::path::Path) -> Harness<'static, PoplarApp> {
    let mut harness = ui::harness(
        seeded_store(dir, true),
        Arc::new(ScriptedDialogs::default()),
    );
    harness.run_steps(3);
    harness
}

fn view(harness: &Harness<'_, PoplarApp>) -> ListView {
    harness.state().state().expect("started").list().view()
}

#[test]
fn f1_and_the_help_menu_list_every_key() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = start(dir.path());
    assert!(!shows_text(&harness, "Next or previous folder"));
    harness.key_press(Key::F1);
    harness.run_steps(3);
    for what in [
        "Next or previous folder",
        "Open or close a conversation",
        "Mark as read, or unread when it is read",
        "Larger message text",
        "Move to a folder (the quick picker)",
    ] {
        assert!(shows_text(&harness, what), "{what}");
    }
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(
        !shows_text(&harness, "Next or previous folder"),
        "Escape closes it"
    );
    click(&mut harness, "Help");
    harness
        .query_all_by_label_contains("Keyboard shortcuts")
        .next()
        .expect("the menu entry")
        .click();
    harness.run_steps(3);
    assert!(shows_text(&harness, "Check mail"));
}

#[test]
fn alt_arrows_walk_the_folder_pane_and_u_toggles_read() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = start(dir.path());
    assert_eq!(view(&harness), ListView::AllInboxes);
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    harness.run_steps(3);
    assert_eq!(view(&harness), ListView::Saved(SavedView::Unread));
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    harness.run_steps(3);
    let inbox = view(&harness);
    assert!(
        matches!(inbox, ListView::Folder(_)),
        "{inbox:?}: the account's Inbox"
    );
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    harness.run_steps(3);
    assert_eq!(view(&harness), ListView::Saved(SavedView::Flagged));
    // At the top it stays.
    for _ in 0..5 {
        harness.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
        harness.run_steps(1);
    }
    assert_eq!(view(&harness), ListView::AllInboxes);

    // Opening marks read; U unread again, U read again.
    harness
        .get_all_by_label("Lunch on Friday")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "read", |h| {
        h.query_by_label("All inboxes, 2 unread").is_some()
    });
    harness.key_press(Key::U);
    step_until(&mut harness, "unread again", |h| {
        h.query_by_label("All inboxes, 3 unread").is_some()
    });
    harness.key_press(Key::U);
    step_until(&mut harness, "read again", |h| {
        h.query_by_label("All inboxes, 2 unread").is_some()
    });
}

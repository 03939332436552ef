//! Help → Keyboard shortcuts (and F1): every key the window takes, in a window of its own.

use egui::{Grid, RichText};

use crate::tr;

/// The keys, each with the Fluent id of what it does, in the order the page lists them.
pub(super) const KEYS: [(&str, &str); 21] = [
    ("↓ / j, ↑ / k", "keys-move"),
    ("Page Down, Page Up", "keys-page"),
    ("Shift + ↓ / ↑", "keys-extend"),
    ("Ctrl + A", "keys-select-all"),
    ("Enter", "keys-open"),
    ("Alt + ↓ / ↑", "keys-folder"),
    ("→ / ←", "keys-conversation"),
    ("U", "keys-read"),
    ("Shift + C", "keys-all-read"),
    ("S", "keys-flag"),
    ("Shift + J", "keys-junk"),
    ("M", "keys-move-to"),
    ("Shift + M", "keys-copy-to"),
    ("Delete", "keys-delete"),
    ("F5 / Ctrl + R", "keys-check"),
    ("Ctrl + F", "keys-search"),
    ("Escape", "keys-clear-search"),
    ("Ctrl + +", "keys-zoom-in"),
    ("Ctrl + −", "keys-zoom-out"),
    ("Ctrl + 0", "keys-zoom-reset"),
    ("F1", "keys-help"),
];

/// Draws the page while `open`; its close button and Escape close it.
pub(super) fn show(ctx: &egui::Context, open: &mut bool) {
    if !*open {
        return;
    }
    if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        *open = false;
        return;
    }
    egui::Window::new(tr!("keys-title"))
        .open(open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            Grid::new("keyboard-shortcuts")
                .num_columns(2)
                .spacing([16.0, 4.0])
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in KEYS {
                        ui.label(RichText::new(keys).monospace().strong());
                        ui.label(crate::i18n::message(what, None));
                        ui.end_row();
                    }
                });
        });
}

//! Help → Keyboard shortcuts (and F1): every key the window takes, in a window of its own.

use egui::{Grid, RichText};

use crate::tr;

/// The keys, named as the user's keyboard calls them, and what each does, in the order the
/// page lists them.
fn keys() -> [(String, String); 22] {
    [
        (tr!("key-move"), tr!("keys-move")),
        (tr!("key-page"), tr!("keys-page")),
        (tr!("key-extend"), tr!("keys-extend")),
        (tr!("key-select-all"), tr!("keys-select-all")),
        (tr!("key-open"), tr!("keys-open")),
        (tr!("key-folder"), tr!("keys-folder")),
        (tr!("key-conversation"), tr!("keys-conversation")),
        (tr!("key-read"), tr!("keys-read")),
        (tr!("key-all-read"), tr!("keys-all-read")),
        (tr!("key-flag"), tr!("keys-flag")),
        (tr!("key-junk"), tr!("keys-junk")),
        (tr!("key-move-to"), tr!("keys-move-to")),
        (tr!("key-copy-to"), tr!("keys-copy-to")),
        (tr!("key-delete"), tr!("keys-delete")),
        (tr!("key-check"), tr!("keys-check")),
        (tr!("key-search"), tr!("keys-search")),
        (tr!("key-clear-search"), tr!("keys-clear-search")),
        (tr!("key-zoom-in"), tr!("keys-zoom-in")),
        (tr!("key-zoom-out"), tr!("keys-zoom-out")),
        (tr!("key-zoom-reset"), tr!("keys-zoom-reset")),
        (tr!("key-print"), tr!("keys-print")),
        (tr!("key-help"), tr!("keys-help")),
    ]
}

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
                    for (keys, what) in keys() {
                        ui.label(RichText::new(keys).monospace().strong());
                        ui.label(what);
                        ui.end_row();
                    }
                });
        });
}

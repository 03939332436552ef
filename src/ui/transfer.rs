//! Export and import in the window: the menu entries, the progress with Cancel in the status
//! bar, the path field where no file dialog exists, and files dropped on the window.

use egui::{Button, ProgressBar, RichText, TextEdit, Ui};

use crate::app::AppState;
use crate::export::Format;
use crate::tr;

/// The File menu's export and import entries.
pub(super) fn menu_items(ui: &mut Ui, state: &mut AppState) {
    if ui.button(tr!("menu-import")).clicked() {
        state.import_files();
        ui.close();
    }
    ui.separator();
    let selected = state.selection_len() > 0;
    if ui
        .add_enabled(selected, Button::new(tr!("menu-export-selected")))
        .clicked()
    {
        state.export_selected();
        ui.close();
    }
    if ui.button(tr!("menu-export-list-mbox")).clicked() {
        state.export_list(Format::Mbox);
        ui.close();
    }
    if ui.button(tr!("menu-export-list-eml")).clicked() {
        state.export_list(Format::Eml);
        ui.close();
    }
    if ui.button(tr!("menu-export-all-mbox")).clicked() {
        state.export_all(Format::Mbox);
        ui.close();
    }
}

/// The running export or import, in the status bar: progress and Cancel.
pub(super) fn status(ui: &mut Ui, state: &AppState) {
    let Some(transfer) = state.transfer() else {
        return;
    };
    let (done, total) = transfer.progress.get();
    ui.add(egui::Spinner::new().size(12.0));
    if total > 0 {
        ui.label(if transfer.importing() {
            tr!("transfer-importing", done = done, total = total)
        } else {
            tr!("transfer-exporting", done = done, total = total)
        });
        let fraction = done as f32 / total as f32;
        ui.add(ProgressBar::new(fraction).desired_width(120.0));
    } else {
        // An import does not know how many messages its files hold until it has read them.
        ui.label(tr!("transfer-importing-so-far", done = done));
    }
    if ui.button(tr!("confirm-cancel")).clicked() {
        state.cancel_transfer();
    }
    // Progress comes from another thread: look again soon.
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(100));
}

/// The path field shown instead of a file dialog (no desktop portal).
pub(super) fn path_prompt(ctx: &egui::Context, state: &mut AppState) {
    let Some(prompt) = state.path_prompt() else {
        return;
    };
    let mut answer = None;
    let title = prompt.title.clone();
    let import = prompt.purpose == crate::app::transfer::Purpose::Import;
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.label(RichText::new(tr!("path-no-dialog")).weak());
            if import {
                ui.label(tr!("path-one-per-line"));
            }
            let field = if import {
                TextEdit::multiline(&mut prompt.text).desired_rows(3)
            } else {
                TextEdit::singleline(&mut prompt.text)
            };
            let field = ui
                .add(field.desired_width(420.0))
                .accessible_name(tr!("path-field"));
            // Enter in a one-line field is OK; Escape is Cancel.
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) && !import {
                answer = Some(true);
            }
            if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                answer = Some(false);
            }
            ui.horizontal(|ui| {
                if ui.button(tr!("path-ok")).clicked() {
                    answer = Some(true);
                }
                if ui.button(tr!("confirm-cancel")).clicked() {
                    answer = Some(false);
                }
            });
        });
    if let Some(ok) = answer {
        state.answer_path_prompt(ok);
    }
}

/// Files dropped on the window are imported; while they hover, the window says so.
pub(super) fn dropped_files(ctx: &egui::Context, state: &mut AppState) {
    let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
    if hovering {
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop"),
        ));
        let screen = ctx.content_rect();
        painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
        painter.text(
            screen.center(),
            egui::Align2::CENTER_CENTER,
            tr!("drop-to-import"),
            egui::FontId::proportional(22.0),
            egui::Color32::WHITE,
        );
    }
    let dropped: Vec<_> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .collect()
    });
    if !dropped.is_empty() {
        state.import_paths(dropped);
    }
}

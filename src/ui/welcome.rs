//! The first run (no account, no mail): what Poplar is, and "Add account" (which opens the
//! accounts dialog on a new account). Also the screen shown when the store cannot be opened.

use egui::{Button, Label, RichText, Ui};

use crate::app::{AppState, StartError};
use crate::tr;

/// True when the welcome screen replaces the three panes.
pub(super) fn first_run(state: &AppState) -> bool {
    state.accounts().is_empty() && state.folders().iter().all(|f| f.total == 0)
}

pub(super) fn show(ui: &mut Ui, state: &mut AppState) {
    let mut add = false;
    egui::CentralPanel::default().show(ui, |ui| {
        // A centred column, its paragraphs wrapped and aligned left.
        let width = ui.available_width().min(540.0);
        ui.add_space((ui.available_height() * 0.16).max(20.0));
        ui.horizontal(|ui| {
            ui.add_space((ui.available_width() - width) / 2.0);
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.label(RichText::new(tr!("welcome-title")).size(30.0).strong());
                ui.add_space(14.0);
                for paragraph in [
                    tr!("welcome-what"),
                    tr!("welcome-promise"),
                    tr!("welcome-passwords"),
                ] {
                    ui.add(Label::new(RichText::new(paragraph).size(15.0)).wrap());
                    ui.add_space(8.0);
                }
                ui.add_space(12.0);
                add = ui
                    .add(Button::new(
                        RichText::new(tr!("welcome-add-account")).size(17.0),
                    ))
                    .clicked();
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    ui.label(RichText::new(tr!("welcome-terminal")).weak());
                    ui.label(
                        RichText::new("poplar account add --help") // untranslated: a command
                            .monospace()
                            .weak(),
                    );
                });
            });
        });
    });
    if add {
        state.open_account_form();
    }
}

/// Shown instead of the window's content when the store could not be opened.
pub(super) fn start_error(ui: &mut Ui, err: &StartError) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.label(RichText::new(tr!("start-error-title")).size(22.0).strong());
            ui.add_space(10.0);
            ui.colored_label(ui.visuals().error_fg_color, err.to_string());
            ui.add_space(10.0);
            ui.label(tr!("start-error-hint"));
        });
    });
}

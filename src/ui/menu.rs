//! The menu bar: File (accounts, settings, import, export, quit) and View (theme).

use egui::Ui;

use crate::app::AppState;

pub(super) fn show(ui: &mut Ui, state: &mut AppState, settings: &mut bool) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui.button("Accounts…").clicked() {
                state.open_accounts_dialog();
                ui.close();
            }
            if ui.button("Settings…").clicked() {
                *settings = true;
                ui.close();
            }
            ui.separator();
            super::transfer::menu_items(ui, state);
            ui.separator();
            if ui.button("Quit").clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        ui.menu_button("View", |ui| {
            ui.label("Theme");
            egui::widgets::global_theme_preference_buttons(ui);
        });
    });
}

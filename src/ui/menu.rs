//! The menu bar: File (accounts, rules, settings, print, save as PDF, import, export, quit) and View (group by
//! conversation, text size, theme, language) and Help (keyboard shortcuts).

use egui::Ui;

use crate::app::AppState;
use crate::i18n::Language;
use crate::tr;

/// What the menu asked of the window beyond the state.
#[derive(Debug, Default)]
pub(super) struct MenuAsks {
    /// Open the Settings dialog.
    pub settings: bool,
    /// The language chosen under View → Language: `Some(None)` for the system's.
    pub language: Option<Option<Language>>,
    /// Group by conversation was switched (remembered with the window).
    pub grouped: Option<bool>,
    /// The message text's size was changed.
    pub zoom: Option<super::zoom::Zoom>,
    /// Open Help → Keyboard shortcuts.
    pub shortcuts: bool,
}

pub(super) fn show(ui: &mut Ui, state: &mut AppState, chosen: Option<Language>) -> MenuAsks {
    let mut asks = MenuAsks::default();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(tr!("menu-file"), |ui| {
            if ui.button(tr!("menu-accounts")).clicked() {
                state.open_accounts_dialog();
                ui.close();
            }
            if ui.button(tr!("menu-rules")).clicked() {
                state.open_rules_dialog();
                ui.close();
            }
            if ui.button(tr!("menu-settings")).clicked() {
                asks.settings = true;
                ui.close();
            }
            ui.separator();
            let open = matches!(state.opened(), crate::app::Opened::Ready(_));
            if ui
                .add_enabled(
                    open,
                    egui::Button::new(tr!("menu-print")).shortcut_text(tr!("key-print")),
                )
                .on_hover_text(tr!("print-hint"))
                .clicked()
            {
                state.print_message();
                ui.close();
            }
            if ui
                .add_enabled(open, egui::Button::new(tr!("menu-save-pdf")))
                .on_hover_text(tr!("save-pdf-hint"))
                .clicked()
            {
                state.save_message_pdf();
                ui.close();
            }
            ui.separator();
            super::transfer::menu_items(ui, state);
            ui.separator();
            if ui.button(tr!("menu-quit")).clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        ui.menu_button(tr!("menu-view"), |ui| {
            let mut grouped = state.grouped();
            if ui
                .checkbox(&mut grouped, tr!("menu-group-conversations"))
                .on_hover_text(tr!("menu-group-conversations-hint"))
                .changed()
            {
                state.set_grouped(grouped);
                asks.grouped = Some(grouped);
                ui.close();
            }
            ui.separator();
            for (change, label, keys) in [
                (
                    super::zoom::Zoom::In,
                    tr!("menu-zoom-in"),
                    tr!("key-zoom-in"),
                ),
                (
                    super::zoom::Zoom::Out,
                    tr!("menu-zoom-out"),
                    tr!("key-zoom-out"),
                ),
                (
                    super::zoom::Zoom::Reset,
                    tr!("menu-zoom-reset"),
                    tr!("key-zoom-reset"),
                ),
            ] {
                if ui
                    .add(egui::Button::new(label).shortcut_text(keys))
                    .clicked()
                {
                    asks.zoom = Some(change);
                }
            }
            ui.separator();
            ui.label(tr!("menu-theme"));
            egui::widgets::global_theme_preference_buttons(ui);
            ui.separator();
            ui.label(tr!("menu-language"));
            let system = crate::i18n::system_language();
            let label = tr!("menu-language-system", language = system.native_name());
            if ui.radio(chosen.is_none(), label).clicked() {
                asks.language = Some(None);
                ui.close();
            }
            for language in Language::ALL {
                if ui
                    .radio(chosen == Some(language), language.native_name())
                    .clicked()
                {
                    asks.language = Some(Some(language));
                    ui.close();
                }
            }
        });
        ui.menu_button(tr!("menu-help"), |ui| {
            if ui
                .add(egui::Button::new(tr!("menu-keys")).shortcut_text(tr!("key-help")))
                .clicked()
            {
                asks.shortcuts = true;
                ui.close();
            }
        });
    });
    asks
}

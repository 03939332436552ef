//! Drawing the ways mail moves into a folder: the "Move to" and "Copy to" submenus of the
//! list's context menu, the quick picker (M, Shift+M), and what a drag of messages looks
//! like on its way to the folder pane. What happens is `app/moving.rs`'s.

use egui::{Key, RichText, Ui};

use crate::app::AppState;
use crate::store::{FolderId, MessageId};
use crate::tr;

/// What a drag from the message list carries: the messages to move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DraggedMessages(pub Vec<MessageId>);

/// The inside of a "Move to" or "Copy to" submenu: the recently used folders, then every
/// folder in its tree under its account's name. Returns the chosen folder.
pub(super) fn target_menu(ui: &mut Ui, state: &AppState, copy: bool) -> Option<FolderId> {
    let mut chosen = None;
    let recent = state.recent_targets(copy);
    let targets = state.move_targets(copy);
    egui::ScrollArea::vertical()
        .max_height(420.0)
        .show(ui, |ui| {
            if !recent.is_empty() {
                ui.label(RichText::new(tr!("menu-recent")).weak());
                for target in &recent {
                    if ui
                        .button(&target.path)
                        .on_hover_text(&target.path)
                        .clicked()
                    {
                        chosen = Some(target.id);
                    }
                }
                ui.separator();
            }
            let mut owner: Option<&str> = None;
            for target in &targets {
                if owner != Some(target.owner.as_str()) {
                    if owner.is_some() {
                        ui.add_space(4.0);
                    }
                    ui.label(RichText::new(&target.owner).weak());
                    owner = Some(target.owner.as_str());
                }
                let indent = "    ".repeat(target.depth);
                if ui
                    .button(format!("{indent}{}", target.name))
                    .accessible_name(target.path.clone())
                    .clicked()
                {
                    chosen = Some(target.id);
                }
            }
        });
    chosen
}

/// The quick folder picker: a filter field and the folders that match; Enter takes the
/// highlighted one, arrows move the highlight, Esc closes.
pub(super) fn picker(ctx: &egui::Context, state: &mut AppState) {
    let Some(picker) = state.picker() else {
        return;
    };
    let title = if picker.copy {
        tr!("picker-copy")
    } else {
        tr!("picker-move")
    };
    let highlighted = picker.highlighted;
    let before = picker.filter.clone();
    let matches = state.picker_matches();
    let (enter, up, down) = ctx.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, Key::Enter),
            i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
            i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
        )
    });
    let mut chosen: Option<FolderId> = None;
    let mut cancel = false;
    let modal = egui::Modal::new(egui::Id::unique("folder-picker")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.label(RichText::new(title).strong());
        ui.add_space(6.0);
        if let Some(filter) = state.picker_filter() {
            let field = ui.add(
                egui::TextEdit::singleline(filter)
                    .hint_text(tr!("picker-filter-hint"))
                    .desired_width(400.0),
            );
            field.clone().accessible_name(tr!("picker-filter"));
            field.request_focus();
        }
        ui.add_space(6.0);
        // A fixed height: the dialog does not jump about as the matches change.
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .max_height(320.0)
            .show(ui, |ui| {
                if matches.is_empty() {
                    ui.label(RichText::new(tr!("picker-none")).weak());
                }
                for (at, target) in matches.iter().enumerate() {
                    let line = ui.selectable_label(at == highlighted, &target.path);
                    if at == highlighted && (up || down) {
                        line.scroll_to_me(None);
                    }
                    if line.clicked() {
                        chosen = Some(target.id);
                    }
                }
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(tr!("picker-keys")).weak().small());
            if ui.button(tr!("confirm-cancel")).clicked() {
                cancel = true;
            }
        });
    });
    if modal.should_close() && chosen.is_none() {
        cancel = true;
    }
    if cancel {
        state.close_picker();
        return;
    }
    if chosen.is_some() || (enter && !matches.is_empty()) {
        state.pick(chosen);
        return;
    }
    if state.picker().is_some_and(|p| p.filter != before) {
        state.picker_filter_changed();
    }
    match (up, down) {
        (true, false) => state.picker_step(-1),
        (false, true) => state.picker_step(1),
        _ => {}
    }
}

/// While messages are dragged: how many, next to the pointer.
pub(super) fn drag_label(ctx: &egui::Context) {
    let Some(dragged) = egui::DragAndDrop::payload::<DraggedMessages>(ctx) else {
        return;
    };
    let Some(at) = ctx.pointer_latest_pos() else {
        return;
    };
    egui::Area::new(egui::Id::unique("dragged-messages"))
        .order(egui::Order::Tooltip)
        .fixed_pos(at + egui::vec2(14.0, 10.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(tr!("drag-messages", count = dragged.0.len()));
            });
        });
}

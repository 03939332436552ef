//! The rules dialog: the rules in their order, each switched on or off, moved up or down,
//! edited or deleted; the editor of one rule with its live preview; "Run rules now". What
//! the buttons do is `app/rules_dialog.rs`'s.

use egui::{Button, RichText, Ui};

use crate::app::AppState;
use crate::app::rule_draft::{FieldChoice, MoveChoice, RuleDraft, op_label};
use crate::app::rules_dialog::Preview;
use crate::store::{AccountId, RuleId, RuleNotice};
use crate::tr;

/// What a click in the list asked.
enum ListAction {
    Enable(RuleId, bool),
    Move(RuleId, isize),
    Edit(RuleId),
    Remove(RuleId),
    New,
    Run,
    Close,
}

/// The dialog, while it is open.
pub(super) fn show(ctx: &egui::Context, state: &mut AppState) {
    if state.rules_dialog().is_none() {
        return;
    }
    state.refresh_rule_preview();
    let editing = state.rules_dialog().is_some_and(|d| d.editing.is_some());
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("rules-dialog")).show(ctx, |ui| {
        // One size for the list and the editor: the dialog does not jump when switching.
        ui.set_width(640.0);
        ui.set_min_height(540.0);
        if editing {
            editor(ui, state);
        } else {
            close = list(ui, state);
        }
    });
    if close || (modal.should_close() && !editing) {
        state.close_rules_dialog();
    } else if modal.should_close() {
        state.cancel_rule_edit();
    }
}

/// The list of rules; true when the dialog should close.
fn list(ui: &mut Ui, state: &mut AppState) -> bool {
    let Some(dialog) = state.rules_dialog() else {
        return true;
    };
    let mut action = None;
    ui.label(RichText::new(tr!("rules-title")).strong().size(16.0));
    ui.label(RichText::new(tr!("rules-explained")).weak());
    ui.add_space(8.0);
    let count = dialog.rules.len();
    egui::ScrollArea::vertical()
        .max_height(380.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if count == 0 {
                ui.label(tr!("rules-none"));
            }
            for (at, stored) in dialog.rules.iter().enumerate() {
                ui.horizontal(|ui| {
                    let Some(rule) = &stored.rule else {
                        ui.label(RichText::new(tr!("cli-rule-unreadable")).weak());
                        if ui.button(tr!("rules-delete")).clicked() {
                            action = Some(ListAction::Remove(stored.id));
                        }
                        return;
                    };
                    let mut on = rule.enabled;
                    let name = rule.name.as_str();
                    if ui
                        .checkbox(&mut on, RichText::new(name).strong())
                        .accessible_name(tr!("rules-use", name = name))
                        .changed()
                    {
                        action = Some(ListAction::Enable(stored.id, on));
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .button(tr!("rules-delete"))
                            .accessible_name(tr!("rules-delete-one", name = name))
                            .clicked()
                        {
                            action = Some(ListAction::Remove(stored.id));
                        }
                        if ui
                            .button(tr!("rules-edit"))
                            .accessible_name(tr!("rules-edit-one", name = name))
                            .clicked()
                        {
                            action = Some(ListAction::Edit(stored.id));
                        }
                        let down = ui
                            .add_enabled(at + 1 < count, Button::new("⏷"))
                            .accessible_name(tr!("rules-down", name = name));
                        if down.clicked() {
                            action = Some(ListAction::Move(stored.id, 1));
                        }
                        let up = ui
                            .add_enabled(at > 0, Button::new("⏶"))
                            .accessible_name(tr!("rules-up", name = name));
                        if up.clicked() {
                            action = Some(ListAction::Move(stored.id, -1));
                        }
                    });
                });
                if let Some(rule) = &stored.rule {
                    ui.indent(stored.id, |ui| {
                        ui.label(RichText::new(state.rule_summary(rule)).weak());
                        if stored.notice == Some(RuleNotice::FolderGone) {
                            ui.label(
                                RichText::new(tr!("rules-notice-folder-gone"))
                                    .color(ui.visuals().warn_fg_color),
                            );
                        }
                    });
                }
                ui.add_space(4.0);
            }
        });
    if let Some(error) = &dialog.error {
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button(tr!("rules-new")).clicked() {
            action = Some(ListAction::New);
        }
        let run = ui
            .add_enabled(count > 0, Button::new(tr!("rules-run-now")))
            .on_hover_text(tr!("rules-run-now-hint", place = state.view_title()));
        if run.clicked() {
            action = Some(ListAction::Run);
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(tr!("rules-close")).clicked() {
                action = Some(ListAction::Close);
            }
        });
    });
    match action {
        Some(ListAction::Enable(id, on)) => state.set_rule_enabled(id, on),
        Some(ListAction::Move(id, delta)) => state.move_rule(id, delta),
        Some(ListAction::Edit(id)) => state.edit_rule(id),
        Some(ListAction::Remove(id)) => state.remove_rule(id),
        Some(ListAction::New) => state.new_rule(),
        Some(ListAction::Run) => state.run_rules_on_view(),
        Some(ListAction::Close) => return true,
        None => {}
    }
    false
}

/// The editor of one rule, with its preview.
fn editor(ui: &mut Ui, state: &mut AppState) {
    let accounts: Vec<(AccountId, String)> = state
        .accounts()
        .iter()
        .map(|a| (a.id, a.settings.name.clone()))
        .collect();
    let targets = state.rule_targets();
    let preview = state.rules_dialog().and_then(|d| d.preview.clone());
    let error = state.rules_dialog().and_then(|d| d.error.clone());
    let place = state.rule_preview_place();
    let Some(draft) = state.rule_draft() else {
        return;
    };
    let title = if draft.id.is_some() {
        tr!("rules-edit-title")
    } else {
        tr!("rules-new-title")
    };
    ui.label(RichText::new(title).strong().size(16.0));
    ui.add_space(6.0);
    egui::Grid::new("rule-head")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label(tr!("rule-name-label"));
            ui.add(egui::TextEdit::singleline(&mut draft.name).desired_width(360.0))
                .accessible_name(tr!("rule-name"));
            ui.end_row();
            ui.label(tr!("rule-applies-to"));
            ui.vertical(|ui| {
                ui.radio_value(&mut draft.all_accounts, true, tr!("rule-all-accounts"));
                ui.radio_value(&mut draft.all_accounts, false, tr!("rule-these-accounts"));
                if !draft.all_accounts {
                    for (id, name) in &accounts {
                        let mut on = draft.accounts.contains(id);
                        if ui.checkbox(&mut on, name).changed() {
                            draft.accounts.retain(|a| a != id);
                            if on {
                                draft.accounts.push(*id);
                            }
                        }
                    }
                }
            });
            ui.end_row();
        });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.radio_value(&mut draft.match_all, true, tr!("rule-match-all"));
        ui.radio_value(&mut draft.match_all, false, tr!("rule-match-any"));
    });
    conditions(ui, draft, &accounts);
    ui.add_space(8.0);
    ui.label(RichText::new(tr!("rule-then")).strong());
    ui.horizontal(|ui| {
        ui.label(tr!("rule-move"));
        let shown = match draft.move_to {
            MoveChoice::Stay => tr!("rule-stay"),
            MoveChoice::Trash => tr!("rule-action-trash"),
            MoveChoice::Folder(id) => targets
                .iter()
                .find(|t| t.id == id)
                .map(|t| t.path.clone())
                .unwrap_or_else(|| tr!("rule-error-folder-gone")),
        };
        egui::ComboBox::from_id_salt("rule-move-to")
            .selected_text(shown)
            .width(380.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut draft.move_to, MoveChoice::Stay, tr!("rule-stay"));
                ui.selectable_value(
                    &mut draft.move_to,
                    MoveChoice::Trash,
                    tr!("rule-action-trash"),
                );
                for target in &targets {
                    ui.selectable_value(
                        &mut draft.move_to,
                        MoveChoice::Folder(target.id),
                        &target.path,
                    );
                }
            })
            .response
            .accessible_name(tr!("rule-move"));
    });
    ui.checkbox(&mut draft.mark_read, tr!("rule-action-read"));
    ui.checkbox(&mut draft.flag, tr!("rule-action-flag"));
    ui.checkbox(&mut draft.stop, tr!("rule-stop"));
    ui.checkbox(&mut draft.enabled, tr!("rule-enabled"));
    ui.add_space(8.0);
    match preview {
        Some(Preview::Counting) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr!("rule-preview-counting"));
            });
        }
        Some(Preview::Counted(counted)) => {
            ui.label(
                RichText::new(tr!(
                    "rule-preview",
                    matched = counted.matched,
                    examined = counted.examined,
                    place = place
                ))
                .strong(),
            );
        }
        Some(Preview::Invalid(why)) => {
            ui.label(RichText::new(why).weak());
        }
        Some(Preview::Failed(why)) => {
            ui.label(RichText::new(why).color(ui.visuals().error_fg_color));
        }
        None => {}
    }
    if let Some(error) = error {
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    ui.add_space(8.0);
    let mut save = false;
    let mut cancel = false;
    ui.horizontal(|ui| {
        save = ui.button(tr!("rule-save")).clicked();
        cancel = ui.button(tr!("confirm-cancel")).clicked();
    });
    if save {
        state.save_rule();
    } else if cancel {
        state.cancel_rule_edit();
    }
}

/// The conditions, one line each: field, (header name,) operator, value, remove.
fn conditions(ui: &mut Ui, draft: &mut RuleDraft, accounts: &[(AccountId, String)]) {
    let mut remove = None;
    let count = draft.conditions.len();
    for (at, condition) in draft.conditions.iter_mut().enumerate() {
        let number = at + 1;
        ui.horizontal(|ui| {
            let mut field = condition.field;
            egui::ComboBox::from_id_salt(("rule-field", at))
                .selected_text(field.label())
                .width(130.0)
                .show_ui(ui, |ui| {
                    for choice in FieldChoice::ALL {
                        ui.selectable_value(&mut field, choice, choice.label());
                    }
                })
                .response
                .accessible_name(tr!("rule-field", number = number));
            if field != condition.field {
                condition.set_field(field);
            }
            if condition.field == FieldChoice::Header {
                ui.add(
                    egui::TextEdit::singleline(&mut condition.header)
                        .hint_text(tr!("rule-header-hint"))
                        .desired_width(110.0),
                )
                .accessible_name(tr!("rule-header-name", number = number));
            }
            let field = condition.field;
            egui::ComboBox::from_id_salt(("rule-op", at))
                .selected_text(op_label(field, condition.op))
                .width(130.0)
                .show_ui(ui, |ui| {
                    for op in field.ops() {
                        ui.selectable_value(&mut condition.op, *op, op_label(field, *op));
                    }
                })
                .response
                .accessible_name(tr!("rule-op", number = number));
            match field {
                FieldChoice::HasAttachment => {}
                FieldChoice::Account => {
                    let shown = accounts
                        .iter()
                        .find(|(id, _)| id.to_string() == condition.value)
                        .map(|(_, name)| name.clone())
                        .unwrap_or_else(|| tr!("rule-choose-account"));
                    egui::ComboBox::from_id_salt(("rule-account", at))
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            for (id, name) in accounts {
                                ui.selectable_value(&mut condition.value, id.to_string(), name);
                            }
                        })
                        .response
                        .accessible_name(tr!("rule-account", number = number));
                }
                FieldChoice::Size => {
                    ui.add(egui::TextEdit::singleline(&mut condition.value).desired_width(70.0))
                        .accessible_name(tr!("rule-value", number = number));
                    ui.label("KB");
                }
                _ => {
                    ui.add(egui::TextEdit::singleline(&mut condition.value).desired_width(200.0))
                        .accessible_name(tr!("rule-value", number = number));
                }
            }
            let minus = ui
                .add_enabled(count > 1, Button::new("✖").small())
                .accessible_name(tr!("rule-remove-condition", number = number));
            if minus.clicked() {
                remove = Some(at);
            }
        });
    }
    if let Some(at) = remove {
        draft.conditions.remove(at);
    }
    if ui.button(tr!("rule-add-condition")).clicked() {
        draft.conditions.push(Default::default());
    }
}

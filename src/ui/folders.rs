//! The folder pane: "All inboxes", each account's folders as a tree (Inbox, Trash, Junk and
//! the user's own, nested under their parent) with the account's state, and the local folders.

use egui::{Button, RichText, Ui};

use crate::app::folder_actions::FolderEdit;
use crate::app::folders::{FolderLine, FolderTree};
use crate::app::{AccountStatus, AppState, format};
use crate::store::{
    AccountId, FolderId, FolderKind, ListView, MessageId, SavedSearchId, SavedView, now,
};
use crate::tr;

pub(super) fn show(ui: &mut Ui, state: &mut AppState) {
    let mut chosen: Option<ListView> = None;
    let mut retry = None;
    let mut settings = None;
    let mut add_account = false;
    let mut export: Option<(crate::store::AccountId, crate::export::Format)> = None;
    let current = state.list().view();
    let mut edit: Option<FolderEdit> = None;
    // What a folder's line asked, and of which folder.
    let mut asked: Option<(FolderId, RowAction)> = None;
    let mut remove_saved: Option<SavedSearchId> = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(6.0);
            if folder_button(
                ui,
                &tr!("folder-all-inboxes"),
                state.unread_in_inboxes(),
                current == ListView::AllInboxes,
                0.0,
            )
            .clicked()
            {
                chosen = Some(ListView::AllInboxes);
            }
            if let Some(view) = saved_searches(ui, state, current, &mut remove_saved) {
                chosen = Some(view);
            }
            for account in state.accounts() {
                ui.add_space(10.0);
                ui.label(RichText::new(&account.settings.name).strong())
                    .on_hover_text(format!(
                        "{} – {}:{}",
                        account.settings.email, account.settings.host, account.settings.port
                    ))
                    .context_menu(|ui| {
                        for (label, format) in [
                            (tr!("account-export-mbox"), crate::export::Format::Mbox),
                            (tr!("account-export-eml"), crate::export::Format::Eml),
                        ] {
                            if ui.button(label).clicked() {
                                export = Some((account.id, format));
                                ui.close();
                            }
                        }
                    });
                match account_status(ui, account.id, &state.status(account.id)) {
                    Some(StatusAction::Retry) => retry = Some(account.id),
                    Some(StatusAction::Settings) => settings = Some(account.id),
                    None => {}
                }
                for line in state
                    .folder_tree
                    .pane_lines(state.folders(), Some(account.id))
                {
                    if let Some(action) = folder_row(ui, &line, &state.folder_tree, current) {
                        asked = Some((line.folder.id, action));
                    }
                }
            }
            let local: Vec<FolderLine> = state.folder_tree.pane_lines(state.folders(), None);
            if !local.is_empty() {
                ui.add_space(10.0);
                ui.label(RichText::new(tr!("folder-local")).strong())
                    .context_menu(|ui| {
                        if ui.button(tr!("folder-new")).clicked() {
                            edit = Some(FolderEdit::New {
                                account: None,
                                parent: None,
                            });
                            ui.close();
                        }
                    });
                for line in local {
                    if let Some(action) = folder_row(ui, &line, &state.folder_tree, current) {
                        asked = Some((line.folder.id, action));
                    }
                }
            }
            ui.add_space(10.0);
            add_account = ui.button(tr!("folder-add-account")).clicked();
        });
    if let Some(edit) = edit {
        state.open_folder_dialog(edit);
    }
    if let Some(id) = remove_saved {
        state.remove_saved_search(id);
    }
    match asked {
        Some((folder, RowAction::Open)) => chosen = Some(ListView::Folder(folder)),
        Some((folder, RowAction::Toggle)) => state.folder_tree.toggle(folder),
        Some((_, RowAction::Edit(e))) => state.open_folder_dialog(e),
        Some((folder, RowAction::Drop(ids, copy))) => state.move_to(ids, folder, copy),
        Some((folder, RowAction::RunRules)) => state.run_rules_on_folder(folder),
        Some((folder, RowAction::MarkAllRead)) => state.mark_all_read(Some(folder)),
        Some((folder, RowAction::EmptyTrash)) => state.ask_empty_trash(folder),
        None => {}
    }
    if add_account {
        state.open_account_form();
    }
    if let Some((account, format)) = export {
        state.export_account(account, format);
    }
    if let Some(view) = chosen
        && view != current
    {
        state.select_view(view);
    }
    if let Some(account) = retry {
        state.check_now(Some(account));
    }
    if let Some(account) = settings {
        state.open_accounts_dialog();
        state.edit_account(account);
    }
}

fn folder_row(
    ui: &mut Ui,
    line: &FolderLine,
    tree: &FolderTree,
    current: ListView,
) -> Option<RowAction> {
    let folder = line.folder;
    let name = format::folder_name(folder);
    let mut action = None;
    ui.horizontal(|ui| {
        ui.add_space(12.0 + 14.0 * line.depth as f32);
        if line.has_children {
            let collapsed = tree.is_collapsed(folder.id);
            let (arrow, label) = if collapsed {
                ("+", tr!("folder-expand", name = name.as_str()))
            } else {
                ("-", tr!("folder-collapse", name = name.as_str()))
            };
            let toggle = ui.add(Button::new(arrow).frame(false).small());
            if toggle.accessible_name(label).clicked() {
                action = Some(RowAction::Toggle);
            }
        }
        let button = folder_button(
            ui,
            &name,
            folder.unread,
            current == ListView::Folder(folder.id),
            0.0,
        );
        if button.clicked() {
            action = Some(RowAction::Open);
        }
        if let Some((ids, copy)) = drop_target(ui, &button) {
            action = Some(RowAction::Drop(ids, copy));
        }
        button.context_menu(|ui| {
            for (label, edit) in folder_menu(folder) {
                if ui.button(label).clicked() {
                    action = Some(RowAction::Edit(edit));
                    ui.close();
                }
            }
            if folder.kind == FolderKind::Trash
                && ui
                    .add_enabled(folder.total > 0, Button::new(tr!("folder-empty-trash")))
                    .clicked()
            {
                action = Some(RowAction::EmptyTrash);
                ui.close();
            }
            if ui
                .add_enabled(folder.unread > 0, Button::new(tr!("folder-mark-all-read")))
                .clicked()
            {
                action = Some(RowAction::MarkAllRead);
                ui.close();
            }
            if folder.kind != FolderKind::Trash && ui.button(tr!("folder-run-rules")).clicked() {
                action = Some(RowAction::RunRules);
                ui.close();
            }
        });
    });
    action
}

/// The context menu of a folder: a new top-level folder on an account's Inbox, a
/// subfolder, renaming and deleting on the user's own.
fn folder_menu(folder: &crate::store::Folder) -> Vec<(String, FolderEdit)> {
    match folder.kind {
        FolderKind::Inbox if folder.account_id.is_some() => vec![(
            tr!("folder-new"),
            FolderEdit::New {
                account: folder.account_id,
                parent: None,
            },
        )],
        FolderKind::User => vec![
            (
                tr!("folder-new-subfolder"),
                FolderEdit::New {
                    account: folder.account_id,
                    parent: Some(folder.id),
                },
            ),
            (tr!("folder-rename"), FolderEdit::Rename(folder.id)),
            (tr!("folder-delete"), FolderEdit::Delete(folder.id)),
        ],
        _ => Vec::new(),
    }
}

/// The folder dialog: a name and OK/Cancel, or the question before deleting; the store's
/// refusal shown inside it.
pub(super) fn dialog(ctx: &egui::Context, state: &mut AppState) {
    let Some(dialog) = state.folder_dialog() else {
        return;
    };
    let title = match &dialog.edit {
        FolderEdit::New { parent: None, .. } => tr!("folder-new"),
        FolderEdit::New { .. } => tr!("folder-new-subfolder"),
        FolderEdit::Rename(_) => tr!("folder-rename"),
        FolderEdit::Delete(_) => tr!("folder-delete"),
        FolderEdit::SaveSearch { .. } => tr!("search-save-title"),
    };
    let (hint, label) = match &dialog.edit {
        FolderEdit::SaveSearch { .. } => (tr!("search-save-name-hint"), tr!("search-save-name")),
        _ => (tr!("folder-name-hint"), tr!("folder-name")),
    };
    let question = match &dialog.edit {
        FolderEdit::Delete(id) => Some(state.folder_delete_question(*id)),
        _ => None,
    };
    // Saving a search: the search itself, above the name it gets.
    let saving = match &dialog.edit {
        FolderEdit::SaveSearch { query } => Some(query.clone()),
        _ => None,
    };
    let error = dialog.error.clone();
    let busy = dialog.busy;
    let mut ok = false;
    let mut cancel = false;
    let modal = egui::Modal::new(egui::Id::unique("folder-dialog")).show(ctx, |ui| {
        ui.set_max_width(360.0);
        ui.label(RichText::new(title).strong());
        ui.add_space(8.0);
        if let Some(query) = saving {
            ui.label(RichText::new(query).monospace().weak());
            ui.add_space(4.0);
        }
        if let Some(question) = question {
            ui.label(question);
        } else if let Some(name) = state.folder_dialog_name() {
            let field = ui.add(egui::TextEdit::singleline(name).hint_text(hint.clone()));
            let field = field.accessible_name(label.clone());
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                ok = true;
            }
            field.request_focus();
        }
        if let Some(error) = error {
            ui.add_space(6.0);
            ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
        }
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!busy, Button::new(tr!("folder-ok")))
                .clicked()
            {
                ok = true;
            }
            if ui.button(tr!("confirm-cancel")).clicked() {
                cancel = true;
            }
        });
    });
    if modal.should_close() && !ok {
        cancel = true;
    }
    if ok {
        state.confirm_folder_dialog();
    } else if cancel {
        state.cancel_folder_dialog();
    }
}

/// What a click on a folder's line asked.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RowAction {
    Open,
    Toggle,
    Edit(FolderEdit),
    /// Messages dropped on the folder: move them (true: copy, Ctrl held).
    Drop(Vec<MessageId>, bool),
    /// "Run rules now" over the folder.
    RunRules,
    /// "Mark all as read" in the folder.
    MarkAllRead,
    /// "Empty Trash…" (asks first).
    EmptyTrash,
}

/// A drag of messages held over a folder outlines it; released there, it moves them (with
/// Ctrl held, copies them).
fn drop_target(ui: &Ui, button: &egui::Response) -> Option<(Vec<MessageId>, bool)> {
    if button
        .dnd_hover_payload::<super::moving::DraggedMessages>()
        .is_some()
    {
        ui.painter().rect_stroke(
            button.rect,
            3.0,
            ui.visuals().selection.stroke,
            egui::StrokeKind::Inside,
        );
    }
    let dropped = button.dnd_release_payload::<super::moving::DraggedMessages>()?;
    let copy = ui.input(|i| i.modifiers.command);
    Some((dropped.0.clone(), copy))
}

/// The saved searches under "All inboxes": Unread (with its count) and Flagged, then the
/// user's own, each removable from its menu. Returns the one clicked.
fn saved_searches(
    ui: &mut Ui,
    state: &AppState,
    current: ListView,
    remove: &mut Option<SavedSearchId>,
) -> Option<ListView> {
    let mut chosen = None;
    let unread: u64 = state
        .folders()
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FolderKind::Inbox | FolderKind::Imported | FolderKind::User
            )
        })
        .map(|f| f.unread)
        .sum();
    for (view, count) in [(SavedView::Unread, unread), (SavedView::Flagged, 0)] {
        let view = ListView::Saved(view);
        let name = match view {
            ListView::Saved(saved) => state.saved_name(saved),
            _ => continue,
        };
        if folder_button(ui, &format!("🔍 {name}"), count, current == view, 0.0).clicked() {
            chosen = Some(view);
        }
    }
    for saved in state.saved_searches() {
        let view = ListView::Saved(SavedView::Own(saved.id));
        let button = folder_button(ui, &format!("🔍 {}", saved.name), 0, current == view, 0.0)
            .on_hover_text(&saved.query);
        if button.clicked() {
            chosen = Some(view);
        }
        button.context_menu(|ui| {
            if ui.button(tr!("saved-remove")).clicked() {
                *remove = Some(saved.id);
                ui.close();
            }
        });
    }
    chosen
}

/// A full-width selectable folder line with its unread count on the right.
fn folder_button(
    ui: &mut Ui,
    name: &str,
    unread: u64,
    selected: bool,
    indent: f32,
) -> egui::Response {
    ui.horizontal(|ui| {
        ui.add_space(indent);
        let text = if unread > 0 {
            super::fonts::bold(name)
        } else {
            RichText::new(name)
        };
        // The count on the right (empty when none) also keeps the name on the left.
        let count = if unread > 0 {
            super::fonts::bold(unread.to_string())
        } else {
            RichText::new("")
        };
        let button = Button::selectable(selected, text)
            .right_text(count)
            .min_size(egui::vec2(ui.available_width(), 0.0));
        let accessible = if unread > 0 {
            tr!("folder-unread", name = name, count = unread)
        } else {
            name.to_owned()
        };
        ui.add(button).accessible_name(accessible)
    })
    .inner
}

/// The account's state under its name; what its buttons asked.
fn account_status(ui: &mut Ui, id: AccountId, status: &AccountStatus) -> Option<StatusAction> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.add_space(12.0);
        match status {
            AccountStatus::Checking { progress } => {
                ui.add(egui::Spinner::new().size(12.0));
                let text = match progress {
                    Some(p) if p.messages_total > 0 => tr!(
                        "account-checking-progress",
                        done = p.messages_done,
                        total = p.messages_total
                    ),
                    _ => tr!("account-checking"),
                };
                ui.label(RichText::new(text).small());
            }
            AccountStatus::Idle { last_check } => {
                let text = match last_check {
                    Some(at) => tr!("account-checked", time = format::check_time(*at, now())),
                    None => tr!("account-not-checked"),
                };
                ui.label(RichText::new(text).small().weak());
            }
            AccountStatus::Failed {
                error, retry_at, ..
            } => {
                let mut tip = error.clone();
                if let Some(at) = retry_at {
                    tip.push_str("\n\n");
                    tip.push_str(&tr!(
                        "account-retry-at",
                        time = format::check_time(*at, now())
                    ));
                }
                ui.label(
                    RichText::new(format!("⚠ {}", tr!("account-check-failed")))
                        .small()
                        .color(ui.visuals().error_fg_color),
                )
                .on_hover_text(tip);
            }
        }
    });
    if let AccountStatus::Failed {
        trouble: Some(trouble),
        ..
    } = status
    {
        // What happened and what to do, in words; the server's reply is one click away.
        ui.horizontal(|ui| {
            ui.add_space(12.0);
            ui.vertical(|ui| {
                ui.add(
                    egui::Label::new(
                        RichText::new(&trouble.headline).color(ui.visuals().error_fg_color),
                    )
                    .wrap(),
                );
                egui::CollapsingHeader::new(RichText::new(tr!("trouble-details")).small())
                    .id_salt(("trouble-details", id))
                    .show(ui, |ui| {
                        ui.add(
                            egui::Label::new(RichText::new(&trouble.details).small().monospace())
                                .wrap()
                                .selectable(true),
                        );
                    });
            });
        });
    }
    if let AccountStatus::Failed { trouble, .. } = status {
        // On a line of their own: the pane may be narrow. What helps comes first.
        let edit_first = trouble
            .as_ref()
            .is_some_and(|t| t.fix == crate::app::trouble::Fix::EditAccount);
        let order = if edit_first {
            [StatusAction::Settings, StatusAction::Retry]
        } else {
            [StatusAction::Retry, StatusAction::Settings]
        };
        ui.horizontal(|ui| {
            ui.add_space(12.0);
            for button in order {
                let clicked = match button {
                    StatusAction::Retry => ui.small_button(tr!("account-retry")).clicked(),
                    StatusAction::Settings => ui
                        .small_button(tr!("trouble-edit-account"))
                        .on_hover_text(tr!("account-settings-hint"))
                        .clicked(),
                };
                if clicked {
                    action = Some(button);
                }
            }
        });
    }
    action
}

/// What the buttons under an account's name ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusAction {
    Retry,
    Settings,
}

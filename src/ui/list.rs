//! The message list: the search field, the view's name and actions, and a virtualised
//! table that asks the state only for the rows on screen.

use egui::{Align, Button, Layout, RichText, Sense, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use crate::app::threads::ThreadMark;
use crate::app::{AppState, format};
use crate::store::{FolderId, MessageRow, SortKey, now};
use crate::tr;

pub(super) fn show(
    ui: &mut Ui,
    state: &mut AppState,
    search: &mut String,
    focus_search: &mut bool,
) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let field = ui.add(
            TextEdit::singleline(search)
                .hint_text(format!("🔍 {}", tr!("list-search-hint")))
                .desired_width(ui.available_width() - 150.0),
        );
        let field = field
            .accessible_name(tr!("list-search"))
            .on_hover_text(tr!("list-search-help"));
        if std::mem::take(focus_search) {
            field.request_focus();
        }
        if (field.has_focus() || field.lost_focus())
            && ui.input(|i| i.key_pressed(egui::Key::Escape))
        {
            search.clear();
        }
        if ui
            .add_enabled(state.can_save_search(), Button::new("💾"))
            .on_hover_text(tr!("list-save-search-hint"))
            .on_disabled_hover_text(tr!("list-save-search-hint"))
            .accessible_name(tr!("list-save-search"))
            .clicked()
        {
            state.ask_save_search();
        }
        if ui
            .button(format!("⟳ {}", tr!("list-check-mail")))
            .on_hover_text(tr!("list-check-mail-hint"))
            .clicked()
        {
            state.check_now(None);
        }
    });
    // The list follows the field as it is typed.
    if search.as_str() != state.list().query() {
        state.set_query(search);
    }

    ui.horizontal(|ui| {
        let count = state.list().len();
        let what = if state.list().searching() {
            tr!("list-found", count = count)
        } else if let Some((messages, threads)) = state.list().conversation_counts() {
            tr!("list-count-grouped", count = messages, threads = threads)
        } else {
            tr!("list-count", count = count)
        };
        ui.label(RichText::new(state.view_title()).heading());
        if state.list().search_problem().is_none() {
            ui.label(RichText::new(what).weak());
        }
        if state.list().search_waiting() {
            ui.add(egui::Spinner::new().size(12.0));
            ui.label(RichText::new(tr!("list-searching")).weak());
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let selected = state.selection_len();
            if state.in_trash() {
                if ui
                    .add_enabled(
                        selected > 0,
                        Button::new(format!("✖ {}", tr!("list-delete-forever"))),
                    )
                    .on_hover_text(tr!("list-delete-forever-hint"))
                    .clicked()
                {
                    state.delete_selected();
                }
                if ui
                    .add_enabled(
                        selected > 0,
                        Button::new(format!("↩ {}", tr!("list-restore"))),
                    )
                    .on_hover_text(tr!("list-restore-hint"))
                    .clicked()
                {
                    state.restore_selected();
                }
            } else if ui
                .add_enabled(
                    selected > 0,
                    Button::new(format!("🗑 {}", tr!("list-delete"))),
                )
                .on_hover_text(tr!("list-delete-hint"))
                .clicked()
            {
                state.trash_selected();
            }
            if selected > 1 {
                ui.label(RichText::new(tr!("list-selected", count = selected)).weak());
            }
        });
    });
    // Why the search cannot run, on a line of its own (it may wrap).
    if let Some(problem) = state.list().search_problem() {
        ui.add(
            egui::Label::new(RichText::new(problem.sentence()).color(ui.visuals().warn_fg_color))
                .wrap(),
        );
    }
    ui.separator();

    if state.list().search_problem().is_some() {
        return;
    }
    if state.list().is_empty() {
        ui.add_space(20.0);
        ui.vertical_centered(|ui| {
            let typed = state.list().query().trim();
            let text = if state.list().searching() && typed.is_empty() {
                // A saved search, nothing typed.
                tr!("list-saved-finds-nothing")
            } else if state.list().searching() {
                tr!("list-nothing-matches", query = typed)
            } else {
                tr!("list-empty")
            };
            ui.label(RichText::new(text).weak());
        });
        return;
    }
    table(ui, state);
}

fn table(ui: &mut Ui, state: &mut AppState) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    let sort = state.list().sort();
    let scroll_to = state.take_scroll_request();
    let today = now();
    let in_trash = state.in_trash();
    let in_junk = state.in_junk();
    let modifiers = ui.input(|i| i.modifiers);
    let mut action: Option<(RowAction, usize, MessageRow)> = None;
    let mut menu: Option<MenuAction> = None;
    let mut sort_by: Option<SortKey> = None;

    let mut builder = TableBuilder::new(ui)
        .id_salt("messages")
        .striped(true)
        .resizable(true)
        // Click to select, drag to move onto the folder pane.
        .sense(Sense::click_and_drag())
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::exact(18.0))
        .column(Column::exact(18.0))
        .column(Column::initial(150.0).at_least(60.0).clip(true))
        .column(Column::remainder().at_least(120.0).clip(true))
        .column(Column::initial(74.0).at_least(50.0))
        .column(Column::initial(58.0).at_least(40.0))
        .auto_shrink([false, false]);
    if let Some(index) = scroll_to {
        builder = builder.scroll_to_row(index, None);
    }
    builder
        .header(row_height, |mut header| {
            header.col(|ui| {
                ui.label("★").on_hover_text(tr!("list-flagged"));
            });
            header.col(|ui| {
                ui.label("📎").on_hover_text(tr!("list-has-attachments"));
            });
            for (key, name, hint) in [
                (SortKey::Sender, tr!("column-sender"), tr!("sort-by-sender")),
                (
                    SortKey::Subject,
                    tr!("column-subject"),
                    tr!("sort-by-subject"),
                ),
                (SortKey::Date, tr!("column-date"), tr!("sort-by-date")),
                (SortKey::Size, tr!("column-size"), tr!("sort-by-size")),
            ] {
                header.col(|ui| {
                    let arrow = match (sort.key == key, sort.descending) {
                        (false, _) => "",
                        (true, true) => " ⏷",
                        (true, false) => " ⏶",
                    };
                    let label = RichText::new(format!("{name}{arrow}")).strong();
                    if ui
                        .add(Button::new(label).frame(false))
                        .on_hover_text(hint)
                        .clicked()
                    {
                        sort_by = Some(key);
                    }
                });
            }
        })
        .body(|body| {
            let total = state.list().len();
            body.rows(row_height, total, |mut row| {
                let index = row.index();
                let Some(message) = state.row(index) else {
                    return;
                };
                row.set_selected(state.is_selected(message.id));
                let thread = state.thread_mark(index);
                // A closed conversation with unread mail is bold as a whole.
                let unread = !message.seen
                    || thread.is_some_and(|t| !t.expanded && !t.reply && t.unread > 0);
                // Unread mail in bold, as in every mail reader.
                let strong = |text: String| {
                    if !unread {
                        RichText::new(text)
                    } else {
                        super::fonts::bold(text)
                    }
                };
                row.col(|ui| {
                    let (star, color, hint) = if message.flagged {
                        (
                            "★",
                            egui::Color32::from_rgb(230, 160, 0),
                            tr!("list-unflag"),
                        )
                    } else {
                        ("☆", ui.visuals().weak_text_color(), tr!("list-flag"))
                    };
                    let star = Button::new(RichText::new(star).color(color)).frame(false);
                    if ui
                        .add(star)
                        .accessible_name(hint.clone())
                        .on_hover_text(hint)
                        .clicked()
                    {
                        action = Some((RowAction::Flag, index, message.clone()));
                    }
                });
                row.col(|ui| {
                    if message.has_attachments {
                        ui.label("📎");
                    }
                });
                row.col(|ui| {
                    ui.add(
                        egui::Label::new(strong(format::sender(
                            &message.from_name,
                            &message.from_addr,
                        )))
                        .truncate()
                        .selectable(false),
                    )
                    .on_hover_text(&message.from_addr);
                });
                row.col(|ui| {
                    if let Some(mark) = thread
                        && let Some(open) = thread_toggle(ui, mark)
                    {
                        action = Some((RowAction::Expand(open), index, message.clone()));
                    }
                    if message.partial {
                        ui.label(RichText::new("⬇").weak())
                            .on_hover_text(tr!("list-partial-hint"));
                    }
                    ui.add(
                        egui::Label::new(strong(format::subject(&message.subject)))
                            .truncate()
                            .selectable(false),
                    );
                });
                row.col(|ui| {
                    let date = message.date.unwrap_or(message.sort_date);
                    ui.add(
                        egui::Label::new(strong(format::list_date(date, today))).selectable(false),
                    )
                    .on_hover_text(format::full_date(date));
                });
                row.col(|ui| {
                    ui.add(
                        egui::Label::new(RichText::new(format::size(message.size)).weak())
                            .selectable(false),
                    );
                });
                let response = row.response();
                if response.clicked() {
                    let kind = if modifiers.command {
                        RowAction::Toggle
                    } else if modifiers.shift {
                        RowAction::Range
                    } else {
                        RowAction::Click
                    };
                    action = Some((kind, index, message.clone()));
                }
                if response.secondary_clicked() {
                    action = Some((RowAction::Context, index, message.clone()));
                }
                if response.drag_started() {
                    // A selected row drags the selection; another row drags itself.
                    let ids = if state.is_selected(message.id) {
                        state.selection()
                    } else {
                        vec![message.id]
                    };
                    egui::DragAndDrop::set_payload(
                        &response.ctx,
                        super::moving::DraggedMessages(ids),
                    );
                }
                response.context_menu(|ui| {
                    let flags = MenuFlags {
                        in_trash,
                        in_junk,
                        partial: message.partial,
                    };
                    if ui.button(tr!("menu-show-conversation")).clicked() {
                        action = Some((RowAction::Conversation, index, message.clone()));
                        ui.close();
                    }
                    ui.separator();
                    if let Some(chosen) = context_menu(ui, state, flags) {
                        menu = Some(chosen);
                        ui.close();
                    }
                });
            });
        });

    if let Some(key) = sort_by {
        state.sort_by(key);
    }
    if let Some((kind, index, row)) = action {
        match kind {
            RowAction::Click => state.click_row(index, row),
            RowAction::Toggle => state.toggle_row(index, row),
            RowAction::Range => state.range_to_row(index),
            RowAction::Context => state.context_row(index, row),
            RowAction::Flag => state.toggle_flag(&row),
            RowAction::Expand(open) => state.expand_thread(&row, open),
            RowAction::Conversation => state.show_conversation(&row),
        }
    }
    if let Some(chosen) = menu {
        match chosen {
            MenuAction::Open => state.open_selected(),
            MenuAction::MarkRead => state.mark_selected(true),
            MenuAction::MarkUnread => state.mark_selected(false),
            MenuAction::Flag => state.toggle_flag_selected(),
            MenuAction::Junk => state.mark_junk_selected(true),
            MenuAction::NotJunk => state.mark_junk_selected(false),
            MenuAction::Delete => state.delete_selected(),
            MenuAction::Restore => state.restore_selected(),
            MenuAction::Export => state.export_selected(),
            MenuAction::DownloadRest => state.download_rest_selected(),
            MenuAction::MoveTo(folder) => state.move_selected_to(folder),
            MenuAction::CopyTo(folder) => state.copy_selected_to(folder),
            MenuAction::RunRules => state.run_rules_on_selection(),
        }
    }
}

/// What a click on a row asks.
#[derive(Debug, Clone, Copy)]
enum RowAction {
    Click,
    Toggle,
    Range,
    Context,
    Flag,
    /// Its conversation's triangle: open (true) or close.
    Expand(bool),
    /// "Show the conversation" in its menu.
    Conversation,
}

/// What the context menu asks.
#[derive(Debug, Clone, Copy)]
enum MenuAction {
    Open,
    MarkRead,
    MarkUnread,
    Flag,
    Junk,
    NotJunk,
    Delete,
    Restore,
    Export,
    DownloadRest,
    MoveTo(FolderId),
    CopyTo(FolderId),
    RunRules,
}

/// What the context menu offers depends on where the list is and what was clicked.
#[derive(Debug, Clone, Copy)]
struct MenuFlags {
    in_trash: bool,
    in_junk: bool,
    partial: bool,
}

/// The context menu of the selected rows; returns the chosen entry.
fn context_menu(ui: &mut Ui, state: &AppState, flags: MenuFlags) -> Option<MenuAction> {
    let MenuFlags {
        in_trash,
        in_junk,
        partial,
    } = flags;
    let mut chosen = None;
    let item = |ui: &mut Ui, label: &str, what: MenuAction, chosen: &mut Option<MenuAction>| {
        if ui.button(label).clicked() {
            *chosen = Some(what);
        }
    };
    item(ui, &tr!("menu-open"), MenuAction::Open, &mut chosen);
    ui.separator();
    item(
        ui,
        &tr!("menu-mark-read"),
        MenuAction::MarkRead,
        &mut chosen,
    );
    item(
        ui,
        &tr!("menu-mark-unread"),
        MenuAction::MarkUnread,
        &mut chosen,
    );
    item(ui, &tr!("menu-flag"), MenuAction::Flag, &mut chosen);
    if in_junk {
        item(ui, &tr!("menu-not-junk"), MenuAction::NotJunk, &mut chosen);
    } else if !in_trash {
        item(ui, &tr!("menu-junk"), MenuAction::Junk, &mut chosen);
    }
    ui.separator();
    ui.menu_button(tr!("menu-move-to"), |ui| {
        if let Some(folder) = super::moving::target_menu(ui, state, false) {
            chosen = Some(MenuAction::MoveTo(folder));
        }
    });
    ui.menu_button(tr!("menu-copy-to"), |ui| {
        if let Some(folder) = super::moving::target_menu(ui, state, true) {
            chosen = Some(MenuAction::CopyTo(folder));
        }
    });
    if in_trash {
        item(ui, &tr!("menu-restore"), MenuAction::Restore, &mut chosen);
        item(
            ui,
            &tr!("menu-delete-forever"),
            MenuAction::Delete,
            &mut chosen,
        );
    } else {
        item(
            ui,
            &tr!("menu-move-to-trash"),
            MenuAction::Delete,
            &mut chosen,
        );
    }
    item(
        ui,
        &tr!("menu-run-rules"),
        MenuAction::RunRules,
        &mut chosen,
    );
    ui.separator();
    item(ui, &tr!("menu-export"), MenuAction::Export, &mut chosen);
    if partial {
        item(
            ui,
            &tr!("menu-download-rest"),
            MenuAction::DownloadRest,
            &mut chosen,
        );
    }
    chosen
}

/// A conversation's place at the start of its subject: on its own row, a triangle with
/// how many messages it has (and, closed, how many are new), which opens or closes it; on
/// the rows of an open one, an indent. Returns what a click on the triangle asks.
fn thread_toggle(ui: &mut Ui, mark: ThreadMark) -> Option<bool> {
    if mark.reply {
        ui.add_space(14.0);
        ui.label(RichText::new("–").weak());
        return None;
    }
    if mark.size < 2 {
        // Room for a triangle, so subjects line up.
        ui.add_space(34.0);
        return None;
    }
    let (arrow, hint) = if mark.expanded {
        ("⏷", tr!("list-thread-close"))
    } else {
        (
            "⏵",
            tr!("list-thread-open", count = mark.size, unread = mark.unread),
        )
    };
    let clicked = ui
        .add(
            Button::new(RichText::new(format!("{arrow} {}", mark.size)))
                .frame(false)
                .min_size(egui::vec2(30.0, 0.0)),
        )
        .accessible_name(hint.clone())
        .on_hover_text(hint)
        .clicked();
    if !mark.expanded && mark.unread > 0 {
        ui.label(
            RichText::new(tr!("list-thread-unread", count = mark.unread))
                .small()
                .color(ui.visuals().hyperlink_color),
        );
    }
    clicked.then_some(!mark.expanded)
}

/// The question before deleting for good, as a modal window.
pub(super) fn confirmation(ctx: &egui::Context, state: &mut AppState) {
    let Some(confirm) = state.confirmation() else {
        return;
    };
    let question = confirm.question();
    let action = confirm.action();
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
        ui.set_max_width(360.0);
        ui.label(RichText::new(question).strong());
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            let yes = Button::new(RichText::new(action).color(ui.visuals().error_fg_color));
            if ui.add(yes).clicked() {
                answer = Some(true);
            }
            if ui.button(tr!("confirm-cancel")).clicked() {
                answer = Some(false);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    if let Some(yes) = answer {
        state.answer_confirmation(yes);
    }
}

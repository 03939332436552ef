//! The message list: the search field, the view's name and actions, and a virtualised
//! table that asks the state only for the rows on screen.

use egui::{Align, Button, Layout, RichText, Sense, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use crate::app::{AppState, format};
use crate::store::{MessageRow, SortKey, now};

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
                .hint_text("🔍 Search (Ctrl+F)")
                .desired_width(ui.available_width() - 110.0),
        );
        let field = field.accessible_name("Search");
        if std::mem::take(focus_search) {
            field.request_focus();
        }
        if (field.has_focus() || field.lost_focus())
            && ui.input(|i| i.key_pressed(egui::Key::Escape))
        {
            search.clear();
        }
        if ui
            .button("⟳ Check mail")
            .on_hover_text("Check every account now (F5)")
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
            match count {
                0 => "nothing found".to_owned(),
                1 => "1 found".to_owned(),
                n => format!("{n} found"),
            }
        } else {
            match count {
                1 => "1 message".to_owned(),
                n => format!("{n} messages"),
            }
        };
        ui.label(RichText::new(state.view_title()).heading());
        ui.label(RichText::new(what).weak());
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let selected = state.list().selected().is_some();
            if state.in_trash() {
                if ui
                    .add_enabled(selected, Button::new("↩ Restore"))
                    .on_hover_text("Move the message back where it came from")
                    .clicked()
                {
                    state.restore_selected();
                }
            } else if ui
                .add_enabled(selected, Button::new("🗑 Delete"))
                .on_hover_text("Move the message to Trash (Delete)")
                .clicked()
            {
                state.trash_selected();
            }
        });
    });
    ui.separator();

    if state.list().is_empty() {
        ui.add_space(20.0);
        ui.vertical_centered(|ui| {
            let text = if state.list().searching() {
                format!("Nothing matches “{}”.", state.list().query())
            } else {
                "No messages here.".to_owned()
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
    let selected = state.list().selected();
    let scroll_to = state.take_scroll_request();
    let today = now();
    let mut clicked: Option<(usize, MessageRow)> = None;
    let mut sort_by: Option<SortKey> = None;

    let mut builder = TableBuilder::new(ui)
        .id_salt("messages")
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
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
                ui.label("★").on_hover_text("Flagged");
            });
            header.col(|ui| {
                ui.label("📎").on_hover_text("Has attachments");
            });
            for (key, name) in [
                (SortKey::Sender, "Sender"),
                (SortKey::Subject, "Subject"),
                (SortKey::Date, "Date"),
                (SortKey::Size, "Size"),
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
                        .on_hover_text(format!("Sort by {}", name.to_lowercase()))
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
                row.set_selected(selected == Some(message.id));
                let strong = |text: String| {
                    let rich = RichText::new(text);
                    if message.seen { rich } else { rich.strong() }
                };
                row.col(|ui| {
                    if message.flagged {
                        ui.label(RichText::new("★").color(egui::Color32::from_rgb(230, 160, 0)));
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
                    if message.partial {
                        ui.label(RichText::new("⬇").weak()).on_hover_text(
                            "Only the headers are here; the rest is still on the server",
                        );
                    }
                    ui.add(
                        egui::Label::new(strong(format::subject(&message.subject).to_owned()))
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
                if row.response().clicked() {
                    clicked = Some((index, message));
                }
            });
        });

    if let Some(key) = sort_by {
        state.sort_by(key);
    }
    if let Some((index, row)) = clicked {
        state.click_row(index, row);
    }
}

//! The message view: the header block, actions, and the body as text (or the raw source).
//!
//! The body is plain text: text/plain, or HTML turned into text by the mail layer. Nothing
//! in a message can make the window load anything: no image loaders are installed, and text
//! is only ever drawn as text.

use egui::{Button, Grid, Label, RichText, ScrollArea, Ui};

use crate::app::{AppState, OpenMessage, Opened, format};
use crate::store::MessageRow;

enum Action {
    Trash,
    Restore,
    DownloadRest(i64),
}

pub(super) fn show(ui: &mut Ui, state: &mut AppState) {
    let mut action = None;
    let in_trash = state.in_trash();
    let mut show_source = state.show_source;
    match state.opened() {
        Opened::Nothing => {
            ui.add_space(40.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new("Select a message to read it.").weak());
                ui.label(
                    RichText::new("Up/Down or j/k move, Delete moves to Trash.")
                        .weak()
                        .small(),
                );
            });
        }
        Opened::Failed(error) => {
            ui.add_space(20.0);
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        Opened::Loading(row) => {
            header(ui, row, None);
            ui.separator();
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Opening…");
            });
        }
        Opened::Ready(message) => {
            header(ui, &message.row, Some(message));
            ui.horizontal(|ui| {
                if in_trash {
                    if ui.button("↩ Restore").clicked() {
                        action = Some(Action::Restore);
                    }
                } else if ui
                    .button("🗑 Delete")
                    .on_hover_text("Move to Trash (Delete)")
                    .clicked()
                {
                    action = Some(Action::Trash);
                }
                ui.toggle_value(&mut show_source, "View source")
                    .on_hover_text("The message exactly as downloaded");
                if message.row.partial
                    && ui
                        .add(Button::new("⬇ Download the rest"))
                        .on_hover_text("Only the headers were downloaded (size limit)")
                        .clicked()
                {
                    action = Some(Action::DownloadRest(message.row.id));
                }
            });
            ui.separator();
            body(ui, message, show_source);
        }
    }
    state.show_source = show_source;
    match action {
        Some(Action::Trash) => state.trash_selected(),
        Some(Action::Restore) => state.restore_selected(),
        Some(Action::DownloadRest(id)) => state.download_rest(id),
        None => {}
    }
}

fn header(ui: &mut Ui, row: &MessageRow, message: Option<&OpenMessage>) {
    ui.add_space(6.0);
    ui.add(Label::new(RichText::new(format::subject(&row.subject)).heading()).wrap());
    ui.add_space(4.0);
    Grid::new("message-header")
        .num_columns(2)
        .spacing([10.0, 3.0])
        .show(ui, |ui| {
            let field = |ui: &mut Ui, name: &str, value: &str| {
                if value.is_empty() {
                    return;
                }
                ui.label(RichText::new(name).weak());
                ui.add(Label::new(value).wrap());
                ui.end_row();
            };
            let from = format::sender_full(&row.from_name, &row.from_addr);
            field(ui, "From", &from);
            if let Some(message) = message {
                field(ui, "To", &message.to);
                field(ui, "Cc", &message.cc);
                field(ui, "Date", &message.date);
            } else if let Some(date) = row.date {
                field(ui, "Date", &format::full_date(date));
            }
        });
    ui.add_space(4.0);
}

fn body(ui: &mut Ui, message: &OpenMessage, show_source: bool) {
    // The source keeps its lines (scrolling sideways); the body wraps.
    let area = if show_source {
        ScrollArea::both()
    } else {
        ScrollArea::vertical()
    };
    area.id_salt(("message-body", message.row.id, show_source))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if show_source {
                ui.add(Label::new(RichText::new(&message.source).monospace()).extend());
                if message.source_truncated {
                    ui.label(
                        RichText::new("(The source is cut here; export the message to see all.)")
                            .weak(),
                    );
                }
                return;
            }
            if message.row.partial {
                ui.label(
                    RichText::new(
                        "Only the beginning of this message is here; \
                         “Download the rest” fetches the whole message.",
                    )
                    .italics()
                    .weak(),
                );
                ui.add_space(6.0);
            }
            if message.body.trim().is_empty() {
                ui.label(RichText::new("(This message has no text.)").weak());
            } else {
                ui.add(Label::new(&message.body).wrap());
            }
        });
}

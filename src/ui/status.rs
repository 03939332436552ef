//! The status bar: a progress bar per account that is checking, the last result, and
//! notices (errors stay until dismissed).

use egui::{Align, Layout, ProgressBar, RichText, Ui};

use crate::app::{AccountStatus, AppState, format};
use crate::tr;

pub(super) fn show(ui: &mut Ui, state: &mut AppState) {
    let mut dismiss = None;
    let mut open_details = false;
    ui.horizontal(|ui| {
        ui.set_min_height(24.0);
        let mut checking = false;
        for account in state.accounts() {
            if let AccountStatus::Checking { progress } = state.status(account.id) {
                checking = true;
                ui.add(egui::Spinner::new().size(12.0));
                match progress {
                    Some(p) if p.messages_total > 0 => {
                        let fraction = if p.bytes_total > 0 {
                            p.bytes_done as f32 / p.bytes_total as f32
                        } else {
                            p.messages_done as f32 / p.messages_total as f32
                        };
                        ui.label(tr!(
                            "status-progress",
                            account = account.settings.name.as_str(),
                            done = p.messages_done,
                            total = p.messages_total,
                            bytes_done = format::size(p.bytes_done),
                            bytes_total = format::size(p.bytes_total),
                        ));
                        ui.add(ProgressBar::new(fraction).desired_width(120.0));
                    }
                    _ => {
                        ui.label(tr!(
                            "status-checking",
                            account = account.settings.name.as_str()
                        ));
                    }
                }
            }
        }
        super::transfer::status(ui, state);
        if !checking && let Some(result) = state.last_result() {
            ui.label(RichText::new(result).weak());
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let notices = state.notices();
            if notices.is_empty() {
                ui.label(RichText::new(tr!("status-keys")).weak().small());
            }
            if let Some(notice) = notices.last() {
                if ui
                    .small_button("✖")
                    .on_hover_text(tr!("notice-dismiss"))
                    .clicked()
                {
                    dismiss = Some(notices.len() - 1);
                }
                let color = if notice.error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                let more = if notices.len() > 1 {
                    format!(" {}", tr!("status-more", count = notices.len() - 1))
                } else {
                    String::new()
                };
                let text = RichText::new(format!("{}{more}", notice.text)).color(color);
                let link = egui::Button::new(text).frame(false).truncate();
                if ui.add(link).on_hover_text(tr!("status-details")).clicked() {
                    open_details = true;
                }
            }
        });
    });
    if let Some(index) = dismiss {
        state.dismiss_notice(index);
    }
    let id = egui::Id::unique("notices-open");
    let mut open = ui.ctx().data(|d| d.get_temp::<bool>(id)).unwrap_or(false) || open_details;
    if state.notices().is_empty() {
        open = false;
    }
    if open {
        details(ui.ctx(), state, &mut open);
    }
    ui.ctx().data_mut(|d| d.insert_temp(id, open));
}

/// Every notice in full, newest first, each with its own "Dismiss".
fn details(ctx: &egui::Context, state: &mut AppState, open: &mut bool) {
    let mut dismiss = None;
    let mut clear = false;
    egui::Window::new(tr!("notices-title"))
        .open(open)
        .default_width(520.0)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for (index, notice) in state.notices().iter().enumerate().rev() {
                        ui.horizontal(|ui| {
                            if ui.small_button(tr!("notice-dismiss")).clicked() {
                                dismiss = Some(index);
                            }
                            let color = if notice.error {
                                ui.visuals().error_fg_color
                            } else {
                                ui.visuals().text_color()
                            };
                            ui.add(
                                egui::Label::new(RichText::new(&notice.text).color(color)).wrap(),
                            );
                        });
                        ui.separator();
                    }
                });
            clear = ui.button(tr!("notice-dismiss-all")).clicked();
        });
    if let Some(index) = dismiss {
        state.dismiss_notice(index);
    }
    if clear {
        while !state.notices().is_empty() {
            state.dismiss_notice(0);
        }
    }
}

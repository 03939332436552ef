//! The status bar: a progress bar per account that is checking, the last result, and
//! notices (errors stay until dismissed).

use egui::{Align, Layout, ProgressBar, RichText, Ui};

use crate::app::{AccountStatus, AppState, format};

pub(super) fn show(ui: &mut Ui, state: &mut AppState) {
    let mut dismiss = None;
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
                        ui.label(format!(
                            "{}: {} of {} messages, {} of {}",
                            account.settings.name,
                            p.messages_done,
                            p.messages_total,
                            format::size(p.bytes_done),
                            format::size(p.bytes_total)
                        ));
                        ui.add(ProgressBar::new(fraction).desired_width(120.0));
                    }
                    _ => {
                        ui.label(format!("{}: checking…", account.settings.name));
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
                ui.label(
                    RichText::new("F5 checks mail · Ctrl+F searches · Delete moves to Trash")
                        .weak()
                        .small(),
                );
            }
            if let Some(notice) = notices.last() {
                if ui.small_button("✖").on_hover_text("Dismiss").clicked() {
                    dismiss = Some(notices.len() - 1);
                }
                let color = if notice.error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                let mut label = ui.label(RichText::new(&notice.text).color(color));
                if notices.len() > 1 {
                    let all: Vec<&str> = notices.iter().map(|n| n.text.as_str()).collect();
                    label = label.on_hover_text(all.join("\n"));
                }
                let _ = label;
            }
        });
    });
    if let Some(index) = dismiss {
        state.dismiss_notice(index);
    }
}

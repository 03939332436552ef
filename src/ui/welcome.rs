//! The first run (no account, no mail): what Poplar is, and "Add account". Also the
//! minimal "Add account" form (the full accounts dialog is issue 6) and the screen shown
//! when the store cannot be opened.

use egui::{Button, Grid, Id, Key, Label, Modal, RichText, TextEdit, Ui};

use crate::app::{AccountForm, AppState, PasswordChoice, StartError};
use crate::pop3::Security;

/// True when the welcome screen replaces the three panes.
pub(super) fn first_run(state: &AppState) -> bool {
    state.accounts().is_empty() && state.folders().iter().all(|f| f.total == 0)
}

pub(super) fn show(ui: &mut Ui, state: &mut AppState) {
    let mut add = false;
    egui::CentralPanel::default().show(ui, |ui| {
        // A centred column, its paragraphs wrapped and aligned left.
        let width = ui.available_width().min(540.0);
        ui.add_space((ui.available_height() * 0.16).max(20.0));
        ui.horizontal(|ui| {
            ui.add_space((ui.available_width() - width) / 2.0);
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.label(RichText::new("Welcome to Poplar").size(30.0).strong());
                ui.add_space(14.0);
                for paragraph in [
                    "Poplar downloads your mail from POP3 servers (GMX, WEB.DE, T-Online, your \
                     provider or your own) and keeps it on this computer, readable offline.",
                    "No message is ever lost or stored twice. Mail is deleted on the server \
                     only if you say so, and only once it is safely stored here.",
                    "Passwords stay in your system's keyring, never in a file.",
                ] {
                    ui.add(Label::new(RichText::new(paragraph).size(15.0)).wrap());
                    ui.add_space(8.0);
                }
                ui.add_space(12.0);
                add = ui
                    .add(Button::new(RichText::new("Add account").size(17.0)))
                    .clicked();
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    ui.label(RichText::new("From a terminal:").weak());
                    ui.label(
                        RichText::new("poplar account add --help")
                            .monospace()
                            .weak(),
                    );
                });
            });
        });
    });
    if add {
        state.open_account_form();
    }
}

/// Shown instead of the window's content when the store could not be opened.
pub(super) fn start_error(ui: &mut Ui, err: &StartError) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.label(
                RichText::new("Poplar cannot open its mail store")
                    .size(22.0)
                    .strong(),
            );
            ui.add_space(10.0);
            ui.colored_label(ui.visuals().error_fg_color, err.to_string());
            ui.add_space(10.0);
            ui.label(
                "Nothing was changed. If another Poplar is running, close it and start \
                 this one again.",
            );
        });
    });
}

/// A labelled single-line field in the form's grid.
fn field(
    ui: &mut Ui,
    name: &str,
    value: &mut String,
    hint: &str,
    password: bool,
) -> egui::Response {
    let label = ui.label(name);
    let response = ui
        .add(
            TextEdit::singleline(value)
                .hint_text(hint)
                .password(password)
                .desired_width(260.0),
        )
        .labelled_by(label.id);
    ui.end_row();
    response
}

/// The "Add account" form, while it is open.
pub(super) fn account_form(ctx: &egui::Context, state: &mut AppState) {
    let Some(form) = state.form.as_mut() else {
        return;
    };
    let mut submit = false;
    let mut cancel = false;
    Modal::new(Id::unique("add-account")).show(ctx, |ui| {
        ui.set_width(400.0);
        ui.heading("Add account");
        ui.add_space(8.0);
        form_fields(ui, form);
        if let Some(error) = &form.error {
            ui.add_space(6.0);
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            submit = ui.add_enabled(!form.busy, Button::new("Add")).clicked();
            cancel = ui.button("Cancel").clicked();
            if form.busy {
                ui.spinner();
            }
        });
    });
    // Escape cancels; a click beside the form does not (it would lose what was typed).
    if ctx.input(|i| i.key_pressed(Key::Escape)) {
        cancel = true;
    }
    if submit || ctx.input(|i| i.key_pressed(Key::Enter)) && !form.busy {
        state.submit_account_form();
    } else if cancel {
        state.form = None;
    }
}

fn form_fields(ui: &mut Ui, form: &mut AccountForm) {
    Grid::new("account-form")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let name = field(ui, "Name", &mut form.name, "e.g. GMX", false);
            // The form opens ready to type.
            if ui.memory(|m| m.focused().is_none()) && form.name.is_empty() {
                name.request_focus();
            }
            if field(ui, "Email", &mut form.email, "anna@example.de", false).lost_focus() {
                form.email_changed();
            }
            field(ui, "Server", &mut form.host, "pop.example.de", false);
            ui.label("Security");
            ui.horizontal(|ui| {
                for (security, name) in [
                    (Security::Tls, "TLS"),
                    (Security::StartTls, "STARTTLS"),
                    (Security::None, "None"),
                ] {
                    if ui.radio(form.security == security, name).clicked() {
                        form.set_security(security);
                    }
                }
            });
            ui.end_row();
            field(ui, "Port", &mut form.port, "995", false);
            field(
                ui,
                "User name",
                &mut form.user,
                "often the email address",
                false,
            );
            ui.label("Password from");
            ui.horizontal(|ui| {
                ui.radio_value(
                    &mut form.password_choice,
                    PasswordChoice::Keyring,
                    "Keyring",
                );
                ui.radio_value(
                    &mut form.password_choice,
                    PasswordChoice::Command,
                    "Command",
                );
            });
            ui.end_row();
            match form.password_choice {
                PasswordChoice::Keyring => {
                    field(
                        ui,
                        "Password",
                        &mut form.password,
                        "kept in the keyring",
                        true,
                    );
                }
                PasswordChoice::Command => {
                    field(
                        ui,
                        "Command",
                        &mut form.password_command,
                        "e.g. pass show mail/gmx",
                        false,
                    );
                }
            }
        });
    if form.security == Security::None {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Without TLS, the password and your mail cross the network readable by anyone.",
        );
    }
}

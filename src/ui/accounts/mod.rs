//! The accounts dialog: the list of accounts with Add, Edit and Remove; the editor with
//! presets, checks as you type, the connection test and certificate trust; and the question
//! whether to keep a removed account's mail. The logic is `app/accounts.rs`.

use egui::{
    Button, Color32, ComboBox, Context, Grid, Id, Key, Label, Modal, RichText, ScrollArea,
    TextEdit, Ui,
};

use crate::app::{
    AccountForm, AppState, Editor, Field, FirstSyncChoice, KeyringState, LeaveChoice,
    PasswordChoice, Removal, TestState,
};
use crate::pop3::{AuthMethod, Security};
use crate::presets::Lookup;
use crate::store::AccountId;
use crate::tr;

mod oauth;
mod probe;

use probe::{test_ui, trust_section};

/// What the user did this frame; applied to the state after drawing.
#[derive(Default)]
struct Actions {
    close: bool,
    add: bool,
    edit: Option<AccountId>,
    remove: Option<AccountId>,
    select: Option<AccountId>,
    save: bool,
    cancel_edit: bool,
    test: bool,
    cancel_test: bool,
    trust: bool,
    forget_pin: bool,
    confirm_remove: bool,
    cancel_remove: bool,
    sign_in: bool,
    cancel_sign_in: bool,
}

/// Draws the dialog while it is open.
pub(super) fn show(ctx: &Context, state: &mut AppState) {
    if state.accounts_dialog.is_none() {
        return;
    }
    let others: Vec<String> = state
        .other_account_names()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let accounts: Vec<(AccountId, String, String)> = state
        .accounts()
        .iter()
        .map(|a| (a.id, a.settings.name.clone(), a.settings.email.clone()))
        .collect();
    let Some(dialog) = state.accounts_dialog.as_mut() else {
        return;
    };
    let mut actions = Actions::default();
    let max_height = (ctx.content_rect().height() - 200.0).max(240.0);
    // Fixed widths: a modal sizes itself to its content, so content that takes "all the
    // width there is" would grow it frame after frame.
    let width = 900.0_f32.min(ctx.content_rect().width() - 60.0).max(500.0);
    let list_width = 190.0;
    let editor_width = width - list_width - 24.0;
    Modal::new(Id::unique("accounts-dialog")).show(ctx, |ui| {
        ui.set_width(width);
        ui.set_max_height(max_height + 150.0);
        ui.heading(tr!("accounts-title"));
        if let Some(error) = &dialog.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.add_space(6.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(list_width);
                account_list(ui, &accounts, dialog.selected, &mut actions);
            });
            // Not a separator: in a row it takes all the height there is, and the modal
            // would grow with it every frame.
            ui.add_space(16.0);
            ui.vertical(|ui| {
                ui.set_width(editor_width);
                if let Some(removal) = &mut dialog.removal {
                    removal_question(ui, removal, &mut actions);
                } else if let Some(editor) = &mut dialog.editor {
                    ScrollArea::vertical()
                        .max_height(max_height)
                        .auto_shrink([false, true])
                        .show(ui, |ui| {
                            editor_ui(ui, editor, &dialog.keyring, &others, &mut actions)
                        });
                    ui.add_space(6.0);
                    editor_buttons(ui, editor, &others, &mut actions);
                } else {
                    ui.add_space(20.0);
                    ui.label(if accounts.is_empty() {
                        tr!("accounts-none")
                    } else {
                        tr!("accounts-select")
                    });
                }
            });
        });
        ui.add_space(8.0);
        ui.separator();
        ui.horizontal(|ui| {
            if ui.button(tr!("settings-close")).clicked() {
                actions.close = true;
            }
        });
    });
    // Escape leaves the editor first, then the dialog; a click beside it does nothing (it
    // would lose what was typed).
    if ctx.input(|i| i.key_pressed(Key::Escape)) {
        match (&dialog.editor, &dialog.removal) {
            (_, Some(_)) => actions.cancel_remove = true,
            (Some(_), None) => actions.cancel_edit = true,
            (None, None) => actions.close = true,
        }
    }
    apply(state, actions);
}

fn apply(state: &mut AppState, actions: Actions) {
    if let Some(dialog) = state.accounts_dialog.as_mut() {
        if let Some(id) = actions.select {
            dialog.selected = Some(id);
        }
        if actions.cancel_remove {
            dialog.removal = None;
        }
    }
    if actions.add {
        state.add_account();
    }
    if let Some(id) = actions.edit {
        state.edit_account(id);
    }
    if let Some(id) = actions.remove {
        state.ask_remove_account(id);
    }
    if actions.confirm_remove {
        state.confirm_remove_account();
    }
    if actions.cancel_test {
        state.cancel_test();
    }
    if actions.forget_pin {
        state.forget_pin();
    }
    if actions.trust {
        state.trust_tested_certificate();
    }
    if actions.test {
        state.test_connection();
    }
    if actions.cancel_sign_in {
        state.cancel_sign_in();
    }
    if actions.sign_in {
        state.start_sign_in();
    }
    if actions.save {
        state.save_account();
    }
    if actions.cancel_edit {
        state.cancel_edit();
    }
    if actions.close {
        state.close_accounts_dialog();
    }
}

fn account_list(
    ui: &mut Ui,
    accounts: &[(AccountId, String, String)],
    selected: Option<AccountId>,
    actions: &mut Actions,
) {
    ScrollArea::vertical()
        .id_salt("account-list")
        .max_height(300.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (id, name, email) in accounts {
                let response = ui
                    .add(Button::selectable(selected == Some(*id), name.as_str()).truncate())
                    .on_hover_text(email);
                if response.clicked() {
                    actions.select = Some(*id);
                }
                if response.double_clicked() {
                    actions.edit = Some(*id);
                }
            }
        });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        actions.add |= ui.button(tr!("accounts-add")).clicked();
        if ui
            .add_enabled(selected.is_some(), Button::new(tr!("accounts-edit")))
            .clicked()
        {
            actions.edit = selected;
        }
        if ui
            .add_enabled(selected.is_some(), Button::new(tr!("accounts-remove")))
            .clicked()
        {
            actions.remove = selected;
        }
    });
}

fn removal_question(ui: &mut Ui, removal: &mut Removal, actions: &mut Actions) {
    ui.add_space(10.0);
    ui.label(
        RichText::new(tr!("remove-question", name = removal.name.as_str()))
            .strong()
            .size(16.0),
    );
    ui.add_space(8.0);
    ui.checkbox(&mut removal.keep_mail, tr!("remove-keep-mail"));
    if removal.keep_mail {
        ui.label(tr!("remove-kept", name = removal.name.as_str()));
    } else {
        ui.colored_label(ui.visuals().error_fg_color, tr!("remove-deleted"));
    }
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!removal.busy, Button::new(tr!("remove-confirm")))
            .clicked()
        {
            actions.confirm_remove = true;
        }
        if ui.button(tr!("confirm-cancel")).clicked() {
            actions.cancel_remove = true;
        }
        if removal.busy {
            ui.spinner();
        }
    });
}

/// A labelled text field in a 3-column grid (label, field, reason).
fn field(
    ui: &mut Ui,
    name: &str,
    value: &mut String,
    hint: &str,
    width: f32,
    reason: Option<&str>,
) -> egui::Response {
    let label = ui.label(name);
    // Sized, not just a desired width: a grid cell keeps last frame's width, so a field
    // alone in its column would otherwise never grow to it.
    let size = egui::vec2(width, ui.spacing().interact_size.y);
    let response = ui
        .add_sized(size, TextEdit::singleline(value).hint_text(hint))
        .labelled_by(label.id);
    reason_cell(ui, reason);
    ui.end_row();
    response
}

fn reason_cell(ui: &mut Ui, reason: Option<&str>) {
    match reason {
        Some(reason) => {
            ui.add(Label::new(RichText::new(reason).color(ui.visuals().error_fg_color)).wrap());
        }
        None => {
            ui.label("");
        }
    }
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).strong());
    ui.add_space(2.0);
}

fn editor_ui(
    ui: &mut Ui,
    editor: &mut Editor,
    keyring: &KeyringState,
    others: &[String],
    actions: &mut Actions,
) {
    let validation = editor.form.validate(others.iter().map(String::as_str));
    let title = match &editor.original {
        Some(original) => tr!("editor-edit", name = original.name.as_str()),
        None => tr!("editor-new"),
    };
    ui.label(RichText::new(title).size(16.0).strong());
    if let KeyringState::Missing(reason) = keyring {
        // An OAuth account has no password, but its sign-in is kept the same way.
        let text = if editor.form.uses_oauth() {
            tr!("editor-no-keyring-oauth")
        } else {
            tr!("editor-no-keyring")
        };
        ui.add_space(4.0);
        ui.add(Label::new(RichText::new(text).color(ui.visuals().warn_fg_color)).wrap())
            .on_hover_text(reason);
    }
    let form = &mut editor.form;
    let mut changed = false;
    Grid::new("account-email")
        .num_columns(3)
        .spacing([12.0, 6.0])
        .min_col_width(110.0)
        .show(ui, |ui| {
            let email = field(
                ui,
                &tr!("field-email"),
                &mut form.email,
                &tr!("field-email-hint"),
                260.0,
                validation.error(Field::Email),
            );
            if email.changed() {
                form.email_changed();
                changed = true;
            }
            // A new account opens ready to type its address.
            if editor.account.is_none()
                && form.email.is_empty()
                && ui.memory(|m| m.focused().is_none())
            {
                email.request_focus();
            }
        });
    preset_notes(ui, form);
    Grid::new("account-fields")
        .num_columns(3)
        .spacing([12.0, 6.0])
        .min_col_width(110.0)
        .show(ui, |ui| {
            changed |= field(
                ui,
                &tr!("field-name"),
                &mut form.name,
                &tr!("field-name-hint"),
                260.0,
                validation.error(Field::Name),
            )
            .changed();
            changed |= field(
                ui,
                &tr!("field-host"),
                &mut form.host,
                &tr!("field-host-hint"),
                260.0,
                validation.error(Field::Host),
            )
            .changed();
            ui.label(tr!("field-security"));
            ui.horizontal(|ui| {
                for security in [Security::Tls, Security::StartTls, Security::None] {
                    if ui
                        .radio(form.security == security, security_name(security))
                        .clicked()
                        && form.security != security
                    {
                        form.set_security(security);
                        changed = true;
                    }
                }
            });
            if form.security == Security::None {
                ui.add(
                    Label::new(
                        RichText::new(tr!("field-no-encryption"))
                            .color(Color32::from_rgb(0xd0, 0x20, 0x20))
                            .strong(),
                    )
                    .wrap(),
                );
            } else {
                ui.label("");
            }
            ui.end_row();
            changed |= field(
                ui,
                &tr!("field-port"),
                &mut form.port,
                "995",
                80.0,
                validation.error(Field::Port),
            )
            .changed();
            changed |= field(
                ui,
                &tr!("field-user"),
                &mut form.user,
                &tr!("field-user-hint"),
                260.0,
                validation.error(Field::User),
            )
            .changed();
            // An OAuth account has no password: its sign-in is below.
            if !form.uses_oauth() {
                changed |= password_rows(ui, form, keyring, &validation);
            }
            let auth_label = ui.label(tr!("field-auth"));
            let before = form.auth;
            ComboBox::from_id_salt("auth")
                .selected_text(auth_name(form.auth))
                .show_ui(ui, |ui| {
                    for auth in [
                        AuthMethod::Automatic,
                        AuthMethod::ScramSha256,
                        AuthMethod::CramMd5,
                        AuthMethod::UserPass,
                        AuthMethod::Apop,
                        AuthMethod::OAuth2,
                    ] {
                        ui.selectable_value(&mut form.auth, auth, auth_name(auth));
                    }
                })
                .response
                .labelled_by(auth_label.id);
            if before != form.auth {
                form.auth_changed();
                changed = true;
            }
            ui.label("");
            ui.end_row();
        });
    if form.uses_oauth() {
        oauth::sign_in_section(ui, editor, &validation, actions);
    }
    let form = &mut editor.form;
    trust_section(ui, form, &validation, actions);
    if changed && !matches!(editor.test, TestState::Running(_)) {
        // The last test was about other settings.
        editor.test = TestState::Idle;
    }
    section(ui, &tr!("section-test"));
    test_ui(ui, editor, actions);
    schedule_and_policy(ui, &mut editor.form, &validation);
}

/// "Password from" and the password (or its command), in the fields' grid.
fn password_rows(
    ui: &mut Ui,
    form: &mut AccountForm,
    keyring: &KeyringState,
    validation: &crate::app::account_form::Validation,
) -> bool {
    let mut changed = false;
    ui.label(tr!("field-password-from"));
    ui.horizontal(|ui| {
        let missing = matches!(keyring, KeyringState::Missing(_));
        let keyring_button = ui.add_enabled(
            !missing,
            egui::RadioButton::new(
                form.password_choice == PasswordChoice::Keyring,
                tr!("password-keyring"),
            ),
        );
        if keyring_button.clicked() {
            form.password_choice = PasswordChoice::Keyring;
        }
        ui.radio_value(
            &mut form.password_choice,
            PasswordChoice::Session,
            tr!("password-session"),
        );
        ui.radio_value(
            &mut form.password_choice,
            PasswordChoice::Command,
            tr!("password-command"),
        );
    });
    ui.label("");
    ui.end_row();
    match form.password_choice {
        PasswordChoice::Keyring | PasswordChoice::Session => {
            let hint = if form.has_stored_password {
                tr!("password-unchanged")
            } else if form.password_choice == PasswordChoice::Keyring {
                tr!("password-in-keyring")
            } else {
                tr!("password-in-memory")
            };
            let label = ui.label(tr!("field-password"));
            changed |= ui
                .add_sized(
                    egui::vec2(260.0, ui.spacing().interact_size.y),
                    TextEdit::singleline(&mut form.password)
                        .password(true)
                        .hint_text(hint),
                )
                .labelled_by(label.id)
                .changed();
            reason_cell(ui, validation.error(Field::Password));
            ui.end_row();
        }
        PasswordChoice::Command => {
            changed |= field(
                ui,
                &tr!("field-password-command"),
                &mut form.password_command,
                &tr!("field-password-command-hint"),
                260.0,
                validation.error(Field::Command),
            )
            .changed();
        }
    }
    changed
}

/// Save and Cancel, below the scrolling fields so they are always in view.
fn editor_buttons(ui: &mut Ui, editor: &Editor, others: &[String], actions: &mut Actions) {
    let form = &editor.form;
    let validation = form.validate(others.iter().map(String::as_str));
    if let Some(error) = &form.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    ui.horizontal(|ui| {
        let can_save = validation.is_ok() && !form.busy;
        if ui
            .add_enabled(can_save, Button::new(tr!("editor-save")))
            .clicked()
        {
            actions.save = true;
        }
        if ui.button(tr!("confirm-cancel")).clicked() {
            actions.cancel_edit = true;
        }
        if form.busy {
            ui.spinner();
        }
        if !validation.missing.is_empty() {
            ui.label(
                RichText::new(tr!(
                    "editor-still-needed",
                    fields = crate::app::account_form::missing_names(&validation.missing)
                ))
                .weak(),
            );
        } else if !validation.errors.is_empty() {
            ui.colored_label(ui.visuals().error_fg_color, tr!("editor-fix-red"));
        }
    });
}

fn preset_notes(ui: &mut Ui, form: &mut AccountForm) {
    match form.lookup.clone() {
        Lookup::Known(preset) => {
            ui.add_space(4.0);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                match preset.server {
                    Some(server) => ui.label(tr!(
                        "preset-summary",
                        provider = preset.provider,
                        host = server.host,
                        port = server.port,
                        security = security_name(server.security),
                        user = match preset.user_name {
                            crate::presets::UserName::Address => tr!("preset-user-address"),
                            crate::presets::UserName::LocalPart => tr!("preset-user-local"),
                        }
                    )),
                    None => ui.label(RichText::new(preset.provider).strong()),
                };
                for note in preset.notes {
                    let note = crate::i18n::message(note, None);
                    ui.add(
                        Label::new(
                            RichText::new(format!("• {note}")).color(ui.visuals().warn_fg_color),
                        )
                        .wrap(),
                    );
                }
            });
        }
        Lookup::Guesses(guesses) => {
            ui.add_space(4.0);
            ui.horizontal_wrapped(|ui| {
                ui.label(tr!("preset-unknown"));
                for guess in &guesses {
                    if ui.small_button(guess).clicked() {
                        form.use_guess(guess);
                    }
                }
                ui.label(tr!("preset-unknown-test"));
            });
        }
        Lookup::NotAnAddress => {}
    }
}

fn schedule_and_policy(
    ui: &mut Ui,
    form: &mut AccountForm,
    validation: &crate::app::account_form::Validation,
) {
    section(ui, &tr!("section-checking"));
    ui.checkbox(&mut form.check_on_start, tr!("check-on-start"));
    ui.horizontal(|ui| {
        let label = ui.label(tr!("check-every"));
        ui.add(TextEdit::singleline(&mut form.interval).desired_width(40.0))
            .labelled_by(label.id);
        ui.label(tr!("check-minutes"));
        if let Some(reason) = validation.error(Field::Interval) {
            ui.colored_label(ui.visuals().error_fg_color, reason);
        }
    });
    section(ui, &tr!("section-server"));
    ui.radio_value(&mut form.leave, LeaveChoice::Forever, tr!("leave-forever"));
    ui.horizontal(|ui| {
        ui.radio_value(&mut form.leave, LeaveChoice::Days, tr!("leave-days"));
        let days = ui.add_enabled(
            form.leave == LeaveChoice::Days,
            TextEdit::singleline(&mut form.leave_days).desired_width(40.0),
        );
        let label = ui.label(tr!("unit-days"));
        days.labelled_by(label.id);
        if let Some(reason) = validation.error(Field::LeaveDays) {
            ui.colored_label(ui.visuals().error_fg_color, reason);
        }
    });
    ui.radio_value(
        &mut form.leave,
        LeaveChoice::UntilDeletedHere,
        tr!("leave-until-deleted"),
    );
    ui.radio_value(
        &mut form.leave,
        LeaveChoice::DeleteAfterDownload,
        tr!("leave-delete-after"),
    );
    section(ui, &tr!("section-junk"));
    ui.checkbox(&mut form.junk.provider_marks, tr!("junk-provider-marks"));
    junk_marks(ui, form);
    ui.checkbox(&mut form.junk.learning, tr!("junk-learning"));
    section(ui, &tr!("section-downloading"));
    ui.horizontal(|ui| {
        ui.checkbox(&mut form.size_limit_on, tr!("size-limit"));
        let size = ui.add_enabled(
            form.size_limit_on,
            TextEdit::singleline(&mut form.size_limit_kb).desired_width(60.0),
        );
        let label = ui.label("KB"); // untranslated: a unit
        size.labelled_by(label.id);
        if let Some(reason) = validation.error(Field::SizeLimit) {
            ui.colored_label(ui.visuals().error_fg_color, reason);
        }
    });
    ui.horizontal(|ui| {
        ui.label(tr!("first-sync"));
        ui.radio_value(
            &mut form.first_sync,
            FirstSyncChoice::All,
            tr!("first-sync-all"),
        );
        ui.radio_value(
            &mut form.first_sync,
            FirstSyncChoice::NewOnly,
            tr!("first-sync-new"),
        );
        ui.radio_value(
            &mut form.first_sync,
            FirstSyncChoice::LastDays,
            tr!("first-sync-last"),
        );
        let days = ui.add_enabled(
            form.first_sync == FirstSyncChoice::LastDays,
            TextEdit::singleline(&mut form.first_sync_days).desired_width(40.0),
        );
        let label = ui.label(tr!("unit-days"));
        days.labelled_by(label.id);
        if let Some(reason) = validation.error(Field::FirstSyncDays) {
            ui.colored_label(ui.visuals().error_fg_color, reason);
        }
    });
}

fn security_name(security: Security) -> String {
    match security {
        Security::Tls => "SSL/TLS".to_owned(), // untranslated: a protocol's name
        Security::StartTls => "STARTTLS".to_owned(), // untranslated: a protocol's name
        Security::None => tr!("security-none"),
    }
}

fn auth_name(auth: AuthMethod) -> String {
    match auth {
        AuthMethod::Automatic => tr!("auth-automatic"),
        AuthMethod::UserPass => tr!("auth-password"),
        AuthMethod::Plain => "PLAIN".to_owned(), // untranslated: a mechanism's name
        AuthMethod::Login => "LOGIN".to_owned(), // untranslated: a mechanism's name
        AuthMethod::CramMd5 => "CRAM-MD5".to_owned(), // untranslated: a mechanism's name
        AuthMethod::Apop => "APOP".to_owned(),   // untranslated: a mechanism's name
        AuthMethod::XOAuth2 => tr!("auth-xoauth2"),
        AuthMethod::OAuthBearer => tr!("auth-oauthbearer"),
        AuthMethod::ScramSha256 => "SCRAM-SHA-256".to_owned(), // untranslated: a mechanism's name
        AuthMethod::OAuth2 => tr!("auth-oauth2"),
    }
}

/// Which of the providers' spam marks count, each on its own (all by default).
fn junk_marks(ui: &mut Ui, form: &mut AccountForm) {
    egui::CollapsingHeader::new(tr!("junk-which-marks"))
        .id_salt("junk-which-marks")
        .show(ui, |ui| {
            ui.add_enabled_ui(form.junk.provider_marks, |ui| {
                for check in crate::junk::SpamCheck::ALL {
                    let mut on = form.junk.headers.enabled.contains(&check);
                    let label = check_label(check, form.junk.headers.score_threshold);
                    if ui.checkbox(&mut on, label).changed() {
                        if on {
                            form.junk.headers.enabled.insert(check);
                        } else {
                            form.junk.headers.enabled.remove(&check);
                        }
                    }
                }
            });
        });
}

/// A spam mark in the user's words.
fn check_label(check: crate::junk::SpamCheck, threshold: f64) -> String {
    use crate::junk::SpamCheck;
    match check {
        SpamCheck::SpamFlag => tr!("junk-check-spam-flag"),
        SpamCheck::SpamStatus => tr!("junk-check-spam-status"),
        SpamCheck::XSpam => tr!("junk-check-x-spam"),
        SpamCheck::SpamScore => tr!("junk-check-spam-score", threshold = threshold),
        SpamCheck::UnitedInternet => tr!("junk-check-united-internet"),
        SpamCheck::TOnline => tr!("junk-check-t-online"),
        SpamCheck::Microsoft => tr!("junk-check-microsoft"),
    }
}

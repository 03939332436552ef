//! The accounts dialog's OAuth sign-in: "Sign in with Microsoft / Google" (or "Sign in"
//! for another provider) with its state (not signed in, waiting for the browser with the
//! link to open by hand, signed in, or why it failed), and under Advanced the provider, the
//! client id and secret, and another provider's endpoints and scopes. The sign-in itself
//! runs on a thread of its own (`app/signin.rs`); nothing here waits.

use egui::{Button, CollapsingHeader, Color32, Grid, Label, RichText, Ui};

use super::{Actions, field, reason_cell, section};
use crate::account::OAuthSettings;
use crate::app::account_form::Validation;
use crate::app::account_form::oauth::CUSTOM;
use crate::app::signin::failure_text;
use crate::app::{AccountForm, Editor, Field, SignInState};
use crate::sync::grant::Kept;
use crate::tr;

/// The provider's name as people know it, for the sentences.
fn provider_name(form: &AccountForm) -> String {
    match form.oauth_provider() {
        Some("microsoft") => tr!("oauth-provider-microsoft"),
        Some("google") => tr!("oauth-provider-google"),
        _ => tr!("oauth-provider-yours"),
    }
}

fn button_text(form: &AccountForm) -> String {
    match form.oauth_provider() {
        Some("microsoft") => tr!("oauth-sign-in-microsoft"),
        Some("google") => tr!("oauth-sign-in-google"),
        _ => tr!("oauth-sign-in"),
    }
}

fn wrapped(ui: &mut Ui, text: String, color: Color32) {
    ui.add(Label::new(RichText::new(text).color(color)).wrap());
}

pub(super) fn sign_in_section(
    ui: &mut Ui,
    editor: &mut Editor,
    validation: &Validation,
    actions: &mut Actions,
) {
    section(ui, &tr!("section-sign-in"));
    let form = &editor.form;
    let waiting = matches!(editor.sign_in, SignInState::Waiting(_));
    let no_client_id = form.oauth_lacks_client_id();
    let ready = form.sign_in_settings();
    let good = Color32::from_rgb(0x2e, 0x9d, 0x4a);
    let warn = ui.visuals().warn_fg_color;
    let error = ui.visuals().error_fg_color;
    ui.horizontal(|ui| {
        let enabled = !waiting && !no_client_id && ready.is_ok();
        if ui
            .add_enabled(enabled, Button::new(button_text(form)))
            .clicked()
        {
            actions.sign_in = true;
        }
        if waiting {
            ui.spinner();
            if ui.button(tr!("oauth-cancel")).clicked() {
                actions.cancel_sign_in = true;
            }
        }
    });
    // One line of state where the sign-in cannot start yet, so the fields below stay in
    // place while the missing ones are typed.
    let idle = matches!(editor.sign_in, SignInState::Idle);
    if no_client_id {
        let text = if form.oauth_is_custom() {
            tr!("oauth-no-client-id-custom")
        } else {
            tr!("oauth-no-client-id", provider = provider_name(form))
        };
        wrapped(ui, text, warn);
    } else if let (Err(why), true) = (&ready, idle) {
        ui.label(RichText::new(why.as_str()).weak());
    }
    let cannot_start = no_client_id || ready.is_err();
    match &editor.sign_in {
        SignInState::Waiting(run) => {
            ui.label(tr!("oauth-waiting"));
            if let Some(url) = &run.url {
                let intro = match &run.browser_failed {
                    Some(why) => tr!("oauth-browser-failed", reason = why.as_str()),
                    None => tr!("oauth-open-by-hand"),
                };
                wrapped(ui, intro, ui.visuals().text_color());
                ui.add(
                    Label::new(RichText::new(url.as_str()).monospace().small())
                        .selectable(true)
                        .wrap(),
                );
                if ui.small_button(tr!("oauth-copy-link")).clicked() {
                    ui.ctx().copy_text(url.clone());
                }
            }
        }
        SignInState::SignedIn(kept) => {
            if form.has_fitting_grant() {
                let text = match kept {
                    Kept::Keyring => tr!("oauth-signed-in"),
                    Kept::Session => tr!("oauth-signed-in-session"),
                };
                wrapped(ui, format!("✔ {text}"), good);
            }
        }
        SignInState::Failed(failure) => {
            wrapped(ui, failure_text(failure, &provider_name(form)), error);
        }
        SignInState::Idle => {
            if form.has_fitting_grant() {
                wrapped(ui, format!("✔ {}", tr!("oauth-signed-in-before")), good);
            } else if !form.sign_in_outdated() && !cannot_start {
                ui.label(tr!("oauth-not-signed-in"));
            }
        }
    }
    if let Some(reason) = validation.error(Field::SignIn) {
        wrapped(ui, reason.to_owned(), error);
    }
    advanced(ui, &mut editor.form, validation);
}

/// An optional text of the settings as a field (blank is `None`).
fn optional_field(
    ui: &mut Ui,
    name: &str,
    value: &mut Option<String>,
    hint: &str,
    reason: Option<&str>,
) {
    let mut text = value.clone().unwrap_or_default();
    if field(ui, name, &mut text, hint, 300.0, reason).changed() {
        *value = Some(text).filter(|t| !t.trim().is_empty());
    }
}

fn advanced(ui: &mut Ui, form: &mut AccountForm, validation: &Validation) {
    let custom = form.oauth_is_custom();
    // Open while it holds what the sign-in still lacks: a client id, a custom provider's
    // endpoints.
    let lacking = form.oauth_lacks_client_id()
        || (custom
            && form
                .oauth
                .as_ref()
                .is_some_and(|o| o.authorize_url.is_none() || o.token_url.is_none()));
    CollapsingHeader::new(tr!("oauth-advanced"))
        .id_salt("oauth-advanced")
        .default_open(custom)
        .open(lacking.then_some(true))
        .show(ui, |ui| {
            let current = form.oauth_provider().unwrap_or(CUSTOM).to_owned();
            ui.horizontal(|ui| {
                ui.label(tr!("oauth-provider"));
                for (id, name) in [
                    ("microsoft", tr!("oauth-provider-microsoft")),
                    ("google", tr!("oauth-provider-google")),
                    (CUSTOM, tr!("oauth-provider-other")),
                ] {
                    let chosen = if id == CUSTOM { custom } else { current == id };
                    if ui.radio(chosen, name).clicked() && !chosen {
                        form.set_oauth_provider(id);
                    }
                }
            });
            let custom = form.oauth_is_custom();
            let own_id_needed = custom || form.oauth_lacks_client_id();
            let oauth = form.oauth.get_or_insert_with(OAuthSettings::default);
            Grid::new("account-oauth")
                .num_columns(3)
                .spacing([12.0, 6.0])
                .min_col_width(110.0)
                .show(ui, |ui| {
                    let hint = if own_id_needed {
                        tr!("oauth-client-id-hint-custom")
                    } else {
                        tr!("oauth-client-id-hint")
                    };
                    optional_field(
                        ui,
                        &tr!("oauth-client-id"),
                        &mut oauth.client_id,
                        &hint,
                        None,
                    );
                    let label = ui.label(tr!("oauth-client-secret"));
                    ui.add_sized(
                        egui::vec2(300.0, ui.spacing().interact_size.y),
                        egui::TextEdit::singleline(&mut form.oauth_client_secret)
                            .password(true)
                            .hint_text(tr!("oauth-client-secret-hint")),
                    )
                    .labelled_by(label.id);
                    reason_cell(ui, None);
                    ui.end_row();
                    if custom {
                        optional_field(
                            ui,
                            &tr!("oauth-authorize-url"),
                            &mut oauth.authorize_url,
                            &tr!("oauth-authorize-url-hint"),
                            validation.error(Field::AuthorizeUrl),
                        );
                        optional_field(
                            ui,
                            &tr!("oauth-token-url"),
                            &mut oauth.token_url,
                            &tr!("oauth-token-url-hint"),
                            validation.error(Field::TokenUrl),
                        );
                        optional_field(
                            ui,
                            &tr!("oauth-scopes"),
                            &mut oauth.scopes,
                            &tr!("oauth-scopes-hint"),
                            None,
                        );
                    }
                });
        });
}

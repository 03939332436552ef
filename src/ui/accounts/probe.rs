//! The accounts dialog's connection test and certificate trust: the CA file or pinned
//! certificate, "Test connection" with its report (what the server offers, the certificate,
//! what failed and what to do), and trusting a certificate by pinning it.

use egui::{Button, Color32, Grid, Label, RichText, Ui};

use super::{Actions, field, section};
use crate::app::{AccountForm, Editor, Field, TestState, format};
use crate::pop3::Security;
use crate::pop3::certificate::CertificateInfo;
use crate::pop3::transport::fingerprint_hex;
use crate::sync::probe::{ProbeOutcome, ProbeReport};

pub(super) fn trust_section(
    ui: &mut Ui,
    form: &mut AccountForm,
    validation: &crate::app::account_form::Validation,
    actions: &mut Actions,
) {
    if form.security == Security::None {
        return;
    }
    section(ui, "Certificate");
    Grid::new("account-trust")
        .num_columns(3)
        .spacing([12.0, 6.0])
        .min_col_width(110.0)
        .show(ui, |ui| {
            let changed = field(
                ui,
                "Extra CA file",
                &mut form.ca_file,
                "optional, a PEM file",
                260.0,
                validation.error(Field::CaFile),
            )
            .changed();
            if changed {
                form.ca_file_changed();
            }
        });
    match form.pin {
        Some(pin) => {
            ui.horizontal_wrapped(|ui| {
                ui.label("Trusted certificate (pinned): SHA-256");
                ui.label(RichText::new(fingerprint_hex(&pin)).monospace().small());
                if ui.small_button("Forget").clicked() {
                    actions.forget_pin = true;
                }
            });
        }
        None => {
            ui.label(
                RichText::new("Checked against this computer's certificate authorities.").weak(),
            );
        }
    }
}

pub(super) fn test_ui(ui: &mut Ui, editor: &Editor, actions: &mut Actions) {
    let form = &editor.form;
    let testable = form.port_number().is_some() && !form.host.trim().is_empty();
    match &editor.test {
        TestState::Running(_) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!(
                    "Testing {}:{}…",
                    form.host.trim(),
                    form.port.trim()
                ));
                if ui.button("Cancel test").clicked() {
                    actions.cancel_test = true;
                }
            });
        }
        other => {
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(testable, Button::new("Test connection"))
                    .clicked()
                {
                    actions.test = true;
                }
                if matches!(other, TestState::Cancelled) {
                    ui.label("The test was cancelled.");
                }
            });
            if let TestState::Done(report) = other {
                ui.add_space(4.0);
                report_ui(ui, report, actions);
            }
        }
    }
}

fn report_ui(ui: &mut Ui, report: &ProbeReport, actions: &mut Actions) {
    let error = ui.visuals().error_fg_color;
    let warn = ui.visuals().warn_fg_color;
    let good = Color32::from_rgb(0x2e, 0x9d, 0x4a);
    match &report.outcome {
        ProbeOutcome::LoggedIn { messages, bytes } => {
            ui.colored_label(
                good,
                format!(
                    "✔ Connected and logged in: {messages} messages ({}) on the server.",
                    format::size(*bytes)
                ),
            );
        }
        ProbeOutcome::NoPassword { reason } => {
            ui.colored_label(good, format!("✔ Connected to {}.", report.server));
            ui.label(format!("Not logged in: {reason}."));
        }
        ProbeOutcome::Failed {
            headline, detail, ..
        } => {
            ui.add(Label::new(RichText::new(headline).color(error).strong()).wrap());
            ui.add(Label::new(RichText::new(detail).monospace()).wrap());
        }
        ProbeOutcome::Untrusted { reason } => {
            ui.add(
                Label::new(
                    RichText::new(format!(
                        "This computer does not trust the certificate of {}: {reason}.",
                        report.server
                    ))
                    .color(warn)
                    .strong(),
                )
                .wrap(),
            );
            ui.label(
                "If this is your own server or your provider says its certificate is \
                 self-signed, compare the fingerprint below with the one it gives you, then \
                 trust it. Poplar will then accept this exact certificate, and no other, here.",
            );
        }
        ProbeOutcome::PinChanged { pinned } => {
            ui.add(
                Label::new(
                    RichText::new(format!(
                        "⚠ The certificate of {} has CHANGED since you trusted it.",
                        report.server
                    ))
                    .color(error)
                    .strong()
                    .size(16.0),
                )
                .wrap(),
            );
            ui.add(
                Label::new(RichText::new(format!(
                    "Poplar does not connect to this account until you decide. If your provider \
                     did not announce a new certificate, someone may be intercepting the \
                     connection: do not trust it then.\nTrusted until now: {}",
                    fingerprint_hex(pinned)
                )))
                .wrap(),
            );
        }
    }
    Grid::new("test-report")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            if let Some(version) = report.tls_version {
                ui.label("Encryption");
                ui.label(version.name());
                ui.end_row();
            }
            if let Some(certificate) = &report.certificate {
                certificate_rows(ui, certificate);
            }
            if !report.capabilities.is_empty() {
                ui.label("Capabilities");
                ui.add(Label::new(report.capabilities.join(", ")).wrap());
                ui.end_row();
            }
            if let Some(auth) = &report.auth_used {
                ui.label("Logged in with");
                ui.label(auth);
                ui.end_row();
            }
        });
    match &report.outcome {
        ProbeOutcome::Untrusted { .. } => {
            let label = format!("Trust this certificate for {}", report.server);
            actions.trust |= ui.button(label).clicked();
        }
        ProbeOutcome::PinChanged { .. } => {
            ui.horizontal(|ui| {
                if ui
                    .button(format!("Trust the new certificate for {}", report.server))
                    .clicked()
                {
                    actions.trust = true;
                }
                ui.label("or Cancel to keep the old one (and not connect).");
            });
        }
        _ => {}
    }
}

fn certificate_rows(ui: &mut Ui, certificate: &CertificateInfo) {
    for (name, value) in [
        ("Certificate for", certificate.subject.as_str()),
        ("Issued by", certificate.issuer.as_str()),
        ("Valid until", certificate.not_after.as_str()),
    ] {
        ui.label(name);
        ui.add(Label::new(value).wrap());
        ui.end_row();
    }
    ui.label("SHA-256");
    ui.label(RichText::new(certificate.fingerprint()).monospace().small());
    ui.end_row();
}

//! The accounts dialog's connection test and certificate trust: the CA file or pinned
//! certificate, "Test connection" with its report (what the server offers, the certificate,
//! what failed and what to do), and trusting a certificate by pinning it.

use egui::{Button, Color32, Grid, Label, RichText, Ui};

use super::{Actions, field, section};
use crate::app::{AccountForm, Editor, Field, TestState, format};
use crate::pop3::Security;
use crate::pop3::certificate::CertificateInfo;
use crate::pop3::transport::fingerprint_hex;
use crate::sync::probe::{Distrust, ProbeOutcome, ProbeReport};
use crate::tr;

pub(super) fn trust_section(
    ui: &mut Ui,
    form: &mut AccountForm,
    validation: &crate::app::account_form::Validation,
    actions: &mut Actions,
) {
    if form.security == Security::None {
        return;
    }
    section(ui, &tr!("section-certificate"));
    Grid::new("account-trust")
        .num_columns(3)
        .spacing([12.0, 6.0])
        .min_col_width(110.0)
        .show(ui, |ui| {
            let changed = field(
                ui,
                &tr!("field-ca-file"),
                &mut form.ca_file,
                &tr!("field-ca-file-hint"),
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
                ui.label(tr!("pin-trusted"));
                ui.label(RichText::new(fingerprint_hex(&pin)).monospace().small());
                if ui.small_button(tr!("pin-forget")).clicked() {
                    actions.forget_pin = true;
                }
            });
        }
        None => {
            ui.label(RichText::new(tr!("pin-none")).weak());
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
                ui.label(tr!(
                    "test-running",
                    host = form.host.trim(),
                    port = form.port.trim()
                ));
                if ui.button(tr!("test-cancel")).clicked() {
                    actions.cancel_test = true;
                }
            });
        }
        other => {
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(testable, Button::new(tr!("test-start")))
                    .clicked()
                {
                    actions.test = true;
                }
                if matches!(other, TestState::Cancelled) {
                    ui.label(tr!("test-cancelled"));
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
                    "✔ {}",
                    tr!(
                        "test-logged-in",
                        count = *messages,
                        size = format::size(*bytes)
                    )
                ),
            );
        }
        ProbeOutcome::NoPassword { reason } => {
            ui.colored_label(
                good,
                format!(
                    "✔ {}",
                    tr!("test-connected", server = report.server.as_str())
                ),
            );
            ui.label(tr!("test-not-logged-in", reason = reason.as_str()));
        }
        ProbeOutcome::Failed {
            error: failure,
            detail,
            ..
        } => {
            let words = crate::app::trouble::explain_test_in(crate::i18n::language(), failure);
            ui.add(Label::new(RichText::new(words.headline).color(error).strong()).wrap());
            ui.add(Label::new(RichText::new(detail).monospace()).wrap());
        }
        ProbeOutcome::Untrusted { reason, why } => {
            let reason = distrust_words(*why, reason);
            ui.add(
                Label::new(
                    RichText::new(tr!(
                        "test-untrusted",
                        server = report.server.as_str(),
                        reason = reason.as_str()
                    ))
                    .color(warn)
                    .strong(),
                )
                .wrap(),
            );
            ui.label(tr!("test-untrusted-advice"));
        }
        ProbeOutcome::PinChanged { pinned } => {
            ui.add(
                Label::new(
                    RichText::new(format!(
                        "⚠ {}",
                        tr!("test-pin-changed", server = report.server.as_str())
                    ))
                    .color(error)
                    .strong()
                    .size(16.0),
                )
                .wrap(),
            );
            ui.add(
                Label::new(RichText::new(tr!(
                    "test-pin-changed-advice",
                    pinned = fingerprint_hex(pinned)
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
                ui.label(tr!("report-encryption"));
                ui.label(version.name());
                ui.end_row();
            }
            if let Some(certificate) = &report.certificate {
                certificate_rows(ui, certificate);
            }
            if !report.capabilities.is_empty() {
                ui.label(tr!("report-capabilities"));
                ui.add(Label::new(report.capabilities.join(", ")).wrap());
                ui.end_row();
            }
            if let Some(auth) = &report.auth_used {
                ui.label(tr!("report-auth"));
                ui.label(auth);
                ui.end_row();
            }
        });
    match &report.outcome {
        ProbeOutcome::Untrusted { .. } => {
            let label = tr!("trust-this", server = report.server.as_str());
            actions.trust |= ui.button(label).clicked();
        }
        ProbeOutcome::PinChanged { .. } => {
            ui.horizontal(|ui| {
                if ui
                    .button(tr!("trust-new", server = report.server.as_str()))
                    .clicked()
                {
                    actions.trust = true;
                }
                ui.label(tr!("trust-new-or-cancel"));
            });
        }
        _ => {}
    }
}

/// Why the certificate is not trusted, in the user's language where the reason is known.
fn distrust_words(why: Distrust, reason: &str) -> String {
    match why {
        Distrust::SelfSigned => tr!("distrust-self-signed"),
        Distrust::UnknownRoot => tr!("distrust-unknown-root"),
        Distrust::UnknownIssuer => tr!("distrust-unknown-issuer"),
        Distrust::Expired => tr!("distrust-expired"),
        Distrust::NotYetValid => tr!("distrust-not-yet-valid"),
        Distrust::OtherName => tr!("distrust-other-name"),
        Distrust::Other => reason.to_owned(),
    }
}

fn certificate_rows(ui: &mut Ui, certificate: &CertificateInfo) {
    // The pop3 layer has escaped and bounded every field; it leaves the words for an
    // unreadable certificate or an empty field to us.
    let shown = |value: &str, empty: String| {
        if !certificate.readable {
            tr!("cert-unreadable")
        } else if value.is_empty() {
            empty
        } else {
            value.to_owned()
        }
    };
    for (name, value) in [
        (
            tr!("cert-subject"),
            shown(&certificate.subject, tr!("cert-empty")),
        ),
        (
            tr!("cert-issuer"),
            shown(&certificate.issuer, tr!("cert-empty")),
        ),
        (
            tr!("cert-valid-from"),
            certificate
                .validity
                .map(|(from, _)| format::full_date(from))
                .unwrap_or_else(|| shown(&certificate.not_before, tr!("cert-unreadable"))),
        ),
        (
            tr!("cert-valid-until"),
            certificate
                .validity
                .map(|(_, until)| format::full_date(until))
                .unwrap_or_else(|| shown(&certificate.not_after, tr!("cert-unreadable"))),
        ),
    ] {
        ui.label(name);
        ui.add(Label::new(value).wrap());
        ui.end_row();
    }
    ui.label(tr!("cert-alt-names"));
    ui.vertical(|ui| {
        if !certificate.readable {
            ui.label(tr!("cert-unreadable"));
        } else if certificate.alt_names.is_empty() {
            ui.label(tr!("cert-alt-names-none"));
        }
        // One label each, so a name can neither run into the next nor pass for two.
        for name in &certificate.alt_names {
            ui.add(Label::new(name.as_str()).wrap());
        }
        if certificate.more_alt_names > 0 {
            ui.label(tr!(
                "cert-alt-names-more",
                count = certificate.more_alt_names
            ));
        }
    });
    ui.end_row();
    ui.label("SHA-256"); // untranslated: an algorithm's name
    // The line people compare character by character: full size, in two halves of 16
    // bytes, so each half can be read against the provider's at a glance.
    let fingerprint = certificate.fingerprint();
    let (first, second) = fingerprint.split_at(fingerprint.len().min(48));
    ui.label(
        RichText::new(format!(
            "{}\n{}",
            first.trim_end_matches(':'),
            second.trim_start_matches(':')
        ))
        .monospace(),
    );
    ui.end_row();
}

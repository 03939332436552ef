//! "Test connection" and certificate trust against a real Dovecot on loopback, with its own
//! self-signed certificate: directly through the probe, and once through the accounts dialog.
//!
//! Where Dovecot is not installed these tests say they were skipped and why; with
//! `POPLAR_REQUIRE_DOVECOT=1` (as in CI) a missing Dovecot fails them.

#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/ui.rs"]
mod ui;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use dovecot::{Dovecot, Options};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::account::AccountSettings;
use poplar::app::trouble::{Fix, explain_test_in};
use poplar::i18n::Language;
use poplar::pop3::{AuthMethod, ErrorKind, Secret, Security, TlsTrust};
use poplar::store::{ListView, Reader, Writer};
use poplar::sync::probe::{ProbeOutcome, ProbePassword, ProbeRequest, test_connection};
use poplar::sync::{MemorySecrets, Secrets};
use poplar::ui::PoplarApp;
use sha2::Digest as _;
use ui::{click, harness_with, replace, seeded_store, shows_text, step_until, type_into};

fn start(name: &str) -> Option<Dovecot> {
    Dovecot::start_or_skip_with(name, Options::new().fast_stop(true).fast_auth_failures())
}

fn sha(bytes: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(bytes).into()
}

/// A test of `user1` over implicit TLS with `trust` and `password`.
fn request(server: &Dovecot, trust: TlsTrust, password: &str) -> ProbeRequest {
    ProbeRequest {
        host: server.host().into(),
        port: server.tls_port(),
        security: Security::Tls,
        trust,
        user: "user1".into(),
        password: ProbePassword::Given(Secret::new(password)),
        auth: AuthMethod::Automatic,
        timeout: Duration::from_secs(10),
    }
}

/// Closes the dialog, presses F5 and waits until the store holds the one message delivered.
fn close_and_check(harness: &mut Harness<'_, PoplarApp>, store: &Path, what: &str) {
    click(harness, "Close");
    harness.key_press(Key::F5);
    step_until(harness, what, |_| {
        Reader::open(store)
            .and_then(|r| r.count(ListView::AllInboxes))
            .is_ok_and(|n| n == 1)
    });
}

fn pinned(server: &Dovecot) -> TlsTrust {
    TlsTrust {
        ca_file: None,
        pinned_sha256: Some(sha(&server.cert_der())),
    }
}

#[test]
fn the_test_succeeds_through_the_pinned_certificate_and_reports_what_it_found() {
    let Some(server) = start("the_test_succeeds_through_the_pinned_certificate") else {
        return;
    };
    server.deliver("user1", &[b"Subject: one\r\n\r\nbody\r\n".as_slice()]);
    let report = smol::block_on(test_connection(&request(
        &server,
        pinned(&server),
        server.password("user1"),
    )));
    assert!(
        matches!(report.outcome, ProbeOutcome::LoggedIn { messages: 1, bytes } if bytes > 0),
        "{report:?}"
    );
    assert!(report.succeeded());
    assert!(report.tls_version.is_some(), "the TLS version is reported");
    let certificate = report.certificate.as_ref().expect("the certificate");
    assert_eq!(certificate.sha256, sha(&server.cert_der()));
    assert_eq!(certificate.subject, "CN=localhost");
    assert!(certificate.self_signed());
    assert!(report.capabilities.iter().any(|c| c.starts_with("UIDL")));
    assert!(
        report.auth_used.is_some(),
        "the login mechanism is reported"
    );
}

#[test]
fn a_wrong_password_gives_the_authentication_error_with_the_servers_words() {
    let Some(server) = start("a_wrong_password_gives_the_authentication_error") else {
        return;
    };
    let report = smol::block_on(test_connection(&request(
        &server,
        pinned(&server),
        "not-the-password",
    )));
    match &report.outcome {
        ProbeOutcome::Failed {
            kind,
            error,
            detail,
        } => {
            assert_eq!(*kind, ErrorKind::Auth);
            let words = explain_test_in(Language::English, error);
            assert!(
                words.headline.contains("refused the user name or password"),
                "{}",
                words.headline
            );
            assert_eq!(words.fix, Fix::EditAccount);
            let german = explain_test_in(Language::German, error);
            assert!(
                german.headline.contains("Benutzername oder Passwort"),
                "{}",
                german.headline
            );
            assert!(detail.contains("-ERR"), "the server's own reply: {detail}");
            assert!(detail.contains("127.0.0.1"), "names the server: {detail}");
            assert!(!detail.contains("not-the-password"));
        }
        other => panic!("{other:?}"),
    }
    // The connection itself worked: what was learned before the login is still shown.
    assert!(report.certificate.is_some());
    assert!(!report.capabilities.is_empty());
}

#[test]
fn an_untrusted_certificate_is_shown_and_offered_for_trust_over_tls_and_starttls() {
    let Some(server) = start("an_untrusted_certificate_is_shown_and_offered") else {
        return;
    };
    for security in [Security::Tls, Security::StartTls] {
        let mut request = request(&server, TlsTrust::default(), server.password("user1"));
        request.security = security;
        if security == Security::StartTls {
            request.port = server.plain_port();
        }
        let report = smol::block_on(test_connection(&request));
        assert!(
            matches!(report.outcome, ProbeOutcome::Untrusted { .. }),
            "{security:?}: {report:?}"
        );
        let certificate = report.certificate.expect("fetched without trusting it");
        assert_eq!(certificate.sha256, sha(&server.cert_der()), "{security:?}");
        assert_eq!(
            report.auth_used, None,
            "no login over an untrusted connection"
        );
    }
}

#[test]
fn a_changed_pinned_certificate_is_reported_and_nothing_logs_in() {
    let Some(server) = start("a_changed_pinned_certificate_is_reported") else {
        return;
    };
    let trust = TlsTrust {
        ca_file: None,
        pinned_sha256: Some([7; 32]),
    };
    let report = smol::block_on(test_connection(&request(
        &server,
        trust,
        server.password("user1"),
    )));
    assert_eq!(report.outcome, ProbeOutcome::PinChanged { pinned: [7; 32] });
    assert_eq!(
        report.certificate.map(|c| c.sha256),
        Some(sha(&server.cert_der())),
        "the new certificate is shown"
    );
    assert_eq!(report.auth_used, None);
}

#[test]
fn through_the_dialog_an_untrusted_server_is_trusted_tested_and_saved() {
    let Some(server) = start("through_the_dialog_an_untrusted_server_is_trusted") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let mut harness = harness_with(path.clone(), Arc::new(MemorySecrets::new()));
    harness.run_steps(2);
    harness.get_by_label("Add account").click();
    harness.run_steps(3);
    let port = server.tls_port().to_string();
    type_into(&mut harness, "Email address", "user1@example.org");
    type_into(&mut harness, "Account name", "Dovecot");
    type_into(&mut harness, "Incoming server", "127.0.0.1");
    replace(&mut harness, "Port", &port);
    replace(&mut harness, "User name", "user1");
    type_into(&mut harness, "Password", server.password("user1"));
    let trust = format!("Trust this certificate for 127.0.0.1:{port}");
    click(&mut harness, "Test connection");
    step_until(&mut harness, "the certificate is offered for trust", |h| {
        h.query_by_label(&trust).is_some()
    });
    assert!(shows_text(&harness, "does not trust the certificate of"));
    assert!(shows_text(&harness, "CN=localhost"));
    click(&mut harness, &trust);
    step_until(&mut harness, "the test logs in", |h| {
        shows_text(h, "Connected and logged in")
    });
    assert!(shows_text(&harness, "TLS 1."));
    assert!(shows_text(&harness, "Trusted certificate (pinned)"));
    // A wrong password: the authentication error, in plain words and the server's own.
    replace(&mut harness, "Password", "wrong");
    click(&mut harness, "Test connection");
    step_until(&mut harness, "the login is refused", |h| {
        shows_text(h, "refused the user name or password")
    });
    assert!(shows_text(&harness, "-ERR"), "the server's reply is quoted");
    replace(&mut harness, "Password", server.password("user1"));
    click(&mut harness, "Save");
    step_until(&mut harness, "the account is saved", |_| {
        Reader::open(&path)
            .and_then(|r| r.accounts())
            .is_ok_and(|a| a.len() == 1)
    });
    let accounts = Reader::open(&path)
        .expect("reader")
        .accounts()
        .expect("accounts");
    assert_eq!(
        accounts[0].settings.pin_sha256,
        Some(sha(&server.cert_der())),
        "the trusted certificate is pinned for the account"
    );
    assert_eq!(accounts[0].settings.port, server.tls_port());
    // The engine has the new account at once: F5 downloads its mail with the saved password
    // and the pinned certificate.
    server.deliver("user1", &[b"Subject: first\r\n\r\nhello\r\n".as_slice()]);
    close_and_check(&mut harness, &path, "the new account's mail is downloaded");
}

#[test]
fn a_changed_certificate_stops_the_checks_loudly_until_the_dialog_trusts_the_new_one() {
    let Some(server) = start("a_changed_certificate_stops_the_checks_loudly") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let secrets = Arc::new(MemorySecrets::new());
    let mut settings = AccountSettings::new("Home", "user1@example.org", server.host(), "user1");
    settings.port = server.tls_port();
    // Trusted once, and now the server shows another certificate.
    settings.pin_sha256 = Some([7; 32]);
    Writer::open(&path)
        .expect("writer")
        .add_account(&settings, 1)
        .expect("account");
    secrets
        .store_password(&settings, &Secret::new(server.password("user1")))
        .expect("password");
    let mut harness = harness_with(path.clone(), secrets);
    harness.run_steps(2);
    harness.key_press(Key::F5);
    step_until(&mut harness, "the changed certificate is reported", |h| {
        shows_text(
            h,
            "the server's certificate has changed since you trusted it",
        )
    });
    // The dialog shows the new certificate and lets the user decide.
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Accounts…").click();
    harness.run_steps(3);
    click(&mut harness, "Edit");
    click(&mut harness, "Test connection");
    let port = server.tls_port();
    let trust_new = format!("Trust the new certificate for 127.0.0.1:{port}");
    step_until(&mut harness, "the change is shown", |h| {
        h.query_by_label(&trust_new).is_some()
    });
    assert!(shows_text(&harness, "has CHANGED since you trusted it"));
    click(&mut harness, &trust_new);
    step_until(&mut harness, "the test logs in", |h| {
        shows_text(h, "Connected and logged in")
    });
    click(&mut harness, "Save");
    step_until(&mut harness, "the new pin is stored", |_| {
        Reader::open(&path)
            .and_then(|r| r.accounts())
            .is_ok_and(|a| {
                a.first().and_then(|a| a.settings.pin_sha256) == Some(sha(&server.cert_der()))
            })
    });
    // The engine connects again with the new pin.
    server.deliver("user1", &[b"Subject: after\r\n\r\nhello\r\n".as_slice()]);
    close_and_check(&mut harness, &path, "mail arrives through the new pin");
}

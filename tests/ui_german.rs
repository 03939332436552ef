//! The interface in German, end to end through the real window under egui_kittest, found by
//! its German labels: the welcome screen and its "Konto hinzufügen", the menus, the Settings
//! dialog, and switching the language under Ansicht → Sprache (live, and remembered).
//!
//! The language is the process's, so these tests live in a binary of their own: every test
//! here runs in German, every other UI test in English. One switches to English and back,
//! so they take turns ([`SERIAL`]).

#[path = "support/ui.rs"]
mod ui;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use poplar::app::StartOptions;
use poplar::app::dialogs::{DialogAnswer, ScriptedDialogs};
use poplar::desktop::settings::DesktopSettings;
use poplar::i18n::{Language, set_language};
use poplar::store::Reader;
use poplar::sync::MemorySecrets;
use poplar::ui::{DesktopOptions, PoplarApp};
use ui::{click, seeded_store, shows_text};

/// One test at a time: a test that switches the language must not switch it under another.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn german(dir: &Path, with_mail: bool) -> Harness<'static, PoplarApp> {
    german_with(dir, with_mail, Arc::new(ScriptedDialogs::default()))
}

/// As [`german`], with file dialogs that answer as scripted.
fn german_with(
    dir: &Path,
    with_mail: bool,
    dialogs: Arc<ScriptedDialogs>,
) -> Harness<'static, PoplarApp> {
    set_language(Language::German);
    let options = StartOptions {
        store_path: seeded_store(dir, with_mail),
        secrets: Arc::new(MemorySecrets::new()),
        schedule: false,
        dialogs,
    };
    let desktop = DesktopOptions {
        data_dir: Some(dir.to_path_buf()),
        ..DesktopOptions::none()
    };
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| PoplarApp::with_desktop(cc, options, desktop));
    harness.run_steps(3);
    harness
}

#[test]
fn a_first_run_is_welcomed_in_german_and_konto_hinzufuegen_opens_the_german_accounts_dialog() {
    let _turn = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = german(dir.path(), false);
    assert!(harness.query_by_label("Willkommen bei Poplar").is_some());
    assert!(shows_text(&harness, "Keine Nachricht geht verloren"));
    assert!(harness.query_by_label("Welcome to Poplar").is_none());
    click(&mut harness, "Konto hinzufügen");
    harness.run_steps(3);
    // The accounts dialog, in German: its fields, a provider's preset, the policy.
    assert!(harness.query_by_label("Posteingangsserver").is_some());
    assert!(harness.query_by_label("Benutzername").is_some());
    assert!(harness.query_by_label("Incoming server").is_none());
    ui::type_into(&mut harness, "E-Mail-Adresse", "anna@web.de");
    harness.run_steps(3);
    assert!(shows_text(
        &harness,
        "WEB.DE: pop3.web.de, Port 995, SSL/TLS, Benutzername"
    ));
    assert!(shows_text(
        &harness,
        "E-Mails für immer auf dem Server lassen"
    ));
    // The provider's notes, in German.
    assert!(shows_text(
        &harness,
        "WEB.DE erlaubt einen Abruf alle 15 Minuten"
    ));
    // Saving is held back, in German, until the password is there; then the account is
    // stored and the welcome screen gives way.
    assert!(
        harness
            .get_by_label("Speichern")
            .accesskit_node()
            .is_disabled()
    );
    ui::type_into(&mut harness, "Passwort", "geheim");
    click(&mut harness, "Speichern");
    let store = dir.path().join(poplar::store::STORE_FILE);
    ui::step_until(&mut harness, "the account is in the store", |_| {
        Reader::open(&store)
            .and_then(|r| r.accounts())
            .is_ok_and(|a| a.len() == 1)
    });
    let accounts = Reader::open(&store)
        .expect("reader")
        .accounts()
        .expect("accounts");
    assert_eq!(accounts[0].settings.host, "pop3.web.de");
    assert_eq!(accounts[0].settings.name, "WEB.DE");
    ui::step_until(&mut harness, "the welcome screen is gone", |h| {
        h.query_by_label("Willkommen bei Poplar").is_none()
    });
}

#[test]
fn the_menus_and_the_settings_dialog_speak_german_and_their_switches_work() {
    let _turn = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = german(dir.path(), true);
    assert!(shows_text(&harness, "F5 ruft E-Mails ab"));
    click(&mut harness, "Datei");
    assert!(harness.query_by_label("Konten …").is_some());
    click(&mut harness, "Einstellungen …");
    assert!(harness.query_by_label("Einstellungen").is_some());
    click(&mut harness, "Bei neuen E-Mails benachrichtigen");
    assert!(!DesktopSettings::load(dir.path()).notify_new_mail);
    assert!(shows_text(&harness, "Poplar bei der Anmeldung starten"));
    click(&mut harness, "Schließen");
    assert!(
        harness
            .query_by_label("Bei neuen E-Mails benachrichtigen")
            .is_none()
    );
}

#[test]
fn choosing_english_under_ansicht_sprache_switches_at_once_and_is_remembered() {
    let _turn = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = german(dir.path(), true);
    click(&mut harness, "Ansicht");
    assert!(harness.query_by_label("Sprache").is_some());
    click(&mut harness, "English");
    harness.run_steps(3);
    assert!(
        harness.query_by_label("File").is_some(),
        "the menu is English now"
    );
    assert!(harness.query_by_label("Datei").is_none());
    assert_eq!(
        DesktopSettings::load(dir.path()).language,
        Some(Language::English)
    );
    // And back: the choice is kept, in German.
    click(&mut harness, "View");
    click(&mut harness, "Deutsch");
    harness.run_steps(3);
    assert!(harness.query_by_label("Datei").is_some());
    assert_eq!(
        DesktopSettings::load(dir.path()).language,
        Some(Language::German)
    );
}

#[test]
fn a_failed_check_is_explained_in_german_with_konto_bearbeiten() {
    let _turn = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = german(dir.path(), true);
    // The seeded account has no password and its server does not exist: F5 fails.
    harness.key_press(egui::Key::F5);
    ui::step_until(&mut harness, "the check failed", |h| {
        h.query_by_label("⚠ Abruf fehlgeschlagen").is_some()
    });
    assert!(shows_text(
        &harness,
        "Poplar hat kein Passwort für Test: Geben Sie es in den Kontoeinstellungen ein."
    ));
    assert!(shows_text(&harness, "Test: kein Passwort hinterlegt"));
    click(&mut harness, "Konto bearbeiten");
    ui::step_until(&mut harness, "the account's settings are open", |h| {
        h.state().state().is_ok_and(|s| s.accounts_dialog_open())
    });
    assert!(harness.query_by_label("Posteingangsserver").is_some());
}

#[test]
fn searching_reading_and_exporting_work_in_german() {
    let _turn = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("Rechnung.eml");
    let dialogs = Arc::new(ScriptedDialogs::new([DialogAnswer::Chosen(vec![
        out.clone(),
    ])]));
    let mut harness = german_with(dir.path(), true, dialogs);
    // Search: the field is "Suchen", the count says "Treffer".
    ui::type_into(&mut harness, "Suchen", "invoice");
    ui::step_until(&mut harness, "the search found the invoice", |h| {
        shows_text(h, "1 Treffer")
    });
    // Read it: the header's labels and the date in German.
    harness
        .get_all_by_label("Quarterly invoice")
        .next()
        .expect("the hit is listed")
        .click();
    ui::step_until(&mut harness, "the message opened", |h| {
        h.query_by_label("Von").is_some()
    });
    assert!(
        shows_text(&harness, "März 2024"),
        "a German date in the header"
    );
    // Export it through the context menu.
    harness
        .get_all_by_label("Quarterly invoice")
        .next()
        .expect("the row")
        .click_secondary();
    harness.run_steps(3);
    click(&mut harness, "Exportieren …");
    ui::step_until(&mut harness, "the file is written", |_| out.exists());
    ui::step_until(&mut harness, "the summary is shown", |h| {
        shows_text(h, "1 Nachricht nach")
    });
}

#[test]
fn an_outlook_address_offers_the_german_microsoft_sign_in() {
    let _turn = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = german(dir.path(), false);
    click(&mut harness, "Konto hinzufügen");
    harness.run_steps(3);
    ui::type_into(&mut harness, "E-Mail-Adresse", "anna@outlook.de");
    harness.run_steps(3);
    // No password: "Mit Microsoft anmelden" instead, and its state in German.
    assert!(harness.query_by_label("Passwort").is_none());
    let button = harness.get_by_label("Mit Microsoft anmelden");
    let built_with_one = poplar::oauth::provider::MICROSOFT_CLIENT_ID.is_some();
    assert_eq!(button.accesskit_node().is_disabled(), !built_with_one);
    assert_eq!(
        shows_text(
            &harness,
            "Für diese Poplar-Version ist keine Client-ID bei Microsoft registriert."
        ),
        !built_with_one
    );
    assert_eq!(
        shows_text(&harness, "Noch nicht angemeldet."),
        built_with_one
    );
    assert!(harness.query_by_label("Erweitert").is_some());
}

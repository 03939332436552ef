//! The accounts dialog, driven through the real window by egui_kittest and accessible labels:
//! adding an account, presets, checks as you type, a desktop without a keyring, editing, and
//! removing an account while keeping its mail.

#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui::accesskit::Toggled;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use poplar::account::AccountSettings;
use poplar::store::{Account, FolderKind, Reader, Writer};
use poplar::sync::{MemorySecrets, Secrets};
use poplar::ui::PoplarApp;
use ui::{click, harness_with, replace, seeded_store, shows_text, step_until, type_into};

fn accounts(path: &std::path::Path) -> Vec<Account> {
    Reader::open(path)
        .expect("reader")
        .accounts()
        .expect("accounts")
}

fn value(harness: &Harness<'_, PoplarApp>, label: &str) -> String {
    harness.get_by_label(label).value().unwrap_or_default()
}

fn save_enabled(harness: &Harness<'_, PoplarApp>) -> bool {
    !harness.get_by_label("Save").accesskit_node().is_disabled()
}

/// Opens File → Accounts….
fn open_from_menu(harness: &mut Harness<'_, PoplarApp>) {
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Accounts…").click();
    harness.run_steps(3);
    assert!(
        harness.query_by_label("Accounts").is_some(),
        "the dialog is open"
    );
}

#[test]
fn adding_an_account_through_the_dialog_stores_it_with_the_gmx_preset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let secrets = Arc::new(MemorySecrets::new());
    let mut harness = harness_with(path.clone(), secrets.clone());
    harness.run_steps(2);
    harness.get_by_label("Add account").click();
    harness.run_steps(3);
    type_into(&mut harness, "Email address", "anna@gmx.de");
    // The preset filled the server, the name and the user name, and shows GMX's gotcha.
    assert_eq!(value(&harness, "Incoming server"), "pop.gmx.net");
    assert_eq!(value(&harness, "Account name"), "GMX");
    assert_eq!(value(&harness, "User name"), "anna@gmx.de");
    assert_eq!(value(&harness, "Port"), "995");
    assert!(shows_text(&harness, "POP3 must be switched on once"));
    assert!(!save_enabled(&harness), "no password yet");
    type_into(&mut harness, "Password", "s3cret");
    assert!(save_enabled(&harness));
    click(&mut harness, "Save");
    step_until(&mut harness, "the account is in the store", |_| {
        accounts(&path).len() == 1
    });
    let stored = &accounts(&path)[0].settings;
    let mut expected = AccountSettings::new("GMX", "anna@gmx.de", "pop.gmx.net", "anna@gmx.de");
    expected.interval_minutes = 10;
    assert_eq!(stored, &expected);
    assert_eq!(
        secrets.password(stored).expect("kept").expose(),
        "s3cret",
        "the password went to the keyring, not the store"
    );
    step_until(&mut harness, "the welcome screen is gone", |h| {
        h.query_by_label("Welcome to Poplar").is_none()
    });
}

#[test]
fn an_invalid_port_shows_its_reason_and_disables_save() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let mut harness = harness_with(path, Arc::new(MemorySecrets::new()));
    harness.run_steps(2);
    open_from_menu(&mut harness);
    type_into(&mut harness, "Email address", "me@example-isp.de");
    // An unknown domain: the usual guesses are offered; one click takes one.
    harness.get_by_label("pop3.example-isp.de").click();
    harness.run_steps(2);
    assert_eq!(value(&harness, "Incoming server"), "pop3.example-isp.de");
    type_into(&mut harness, "Account name", "Home");
    type_into(&mut harness, "Password", "pw");
    assert!(save_enabled(&harness));
    replace(&mut harness, "Port", "70000");
    assert_eq!(value(&harness, "Port"), "70000");
    assert!(shows_text(
        &harness,
        "The port is a number from 1 to 65535."
    ));
    assert!(!save_enabled(&harness));
    replace(&mut harness, "Port", "1995");
    assert!(!shows_text(&harness, "The port is a number"));
    assert!(save_enabled(&harness));
}

#[test]
fn a_duplicate_name_and_security_none_are_called_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), true);
    let mut harness = harness_with(path, Arc::new(MemorySecrets::new()));
    harness.run_steps(2);
    open_from_menu(&mut harness);
    harness.get_by_label("Add").click();
    harness.run_steps(2);
    type_into(&mut harness, "Email address", "other@example.de");
    replace(&mut harness, "Account name", "Test");
    assert!(shows_text(
        &harness,
        "There is already an account named “Test”."
    ));
    assert!(!save_enabled(&harness));
    click(&mut harness, "None");
    harness.run_steps(2);
    assert!(shows_text(
        &harness,
        "No encryption: your password and your mail"
    ));
    assert_eq!(
        value(&harness, "Port"),
        "110",
        "the port follows the security"
    );
}

#[test]
fn without_a_keyring_the_password_is_kept_for_this_session_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let secrets = Arc::new(MemorySecrets::without_keyring());
    let mut harness = harness_with(path.clone(), secrets.clone());
    harness.run_steps(2);
    harness.get_by_label("Add account").click();
    step_until(&mut harness, "the missing keyring is reported", |h| {
        shows_text(h, "No keyring is running on this desktop")
    });
    assert_eq!(
        harness
            .get_by_label("This session only")
            .accesskit_node()
            .toggled(),
        Some(Toggled::True)
    );
    assert!(
        harness
            .get_by_label("Keyring")
            .accesskit_node()
            .is_disabled()
    );
    type_into(&mut harness, "Email address", "anna@web.de");
    assert_eq!(
        value(&harness, "User name"),
        "anna",
        "WEB.DE: the local part"
    );
    type_into(&mut harness, "Password", "Zq8-session-only");
    click(&mut harness, "Save");
    step_until(&mut harness, "the account is in the store", |_| {
        accounts(&path).len() == 1
    });
    let stored = &accounts(&path)[0].settings;
    assert_eq!(stored.interval_minutes, 15, "WEB.DE's minimum interval");
    assert_eq!(
        secrets.password(stored).expect("remembered").expose(),
        "Zq8-session-only"
    );
    // Never in a file: not in the store, its journal, or anything else in its folder.
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let file = entry.expect("entry").path();
        if let Ok(bytes) = std::fs::read(&file) {
            assert!(
                !bytes.windows(16).any(|w| w == b"Zq8-session-only"),
                "the password is in {}",
                file.display()
            );
        }
    }
}

#[test]
fn editing_an_account_changes_its_settings_and_keeps_its_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), true);
    let secrets = Arc::new(MemorySecrets::new());
    let before = accounts(&path)[0].settings.clone();
    secrets
        .store_password(&before, &poplar::pop3::Secret::new("old-pw"))
        .expect("store");
    let mut harness = harness_with(path.clone(), secrets.clone());
    harness.run_steps(2);
    open_from_menu(&mut harness);
    harness.get_by_label("Edit").click();
    harness.run_steps(3);
    assert_eq!(value(&harness, "Incoming server"), "pop.invalid");
    replace(&mut harness, "Check every", "42");
    replace(&mut harness, "Incoming server", "pop.example.net");
    // The junk filter: the provider's marks stay believed, the learning filter goes off.
    assert!(before.junk.learning && before.junk.provider_marks);
    click(
        &mut harness,
        "Also move mail that resembles what I marked as junk",
    );
    // One provider's mark stops counting; the others stay.
    click(&mut harness, "Which spam marks count");
    assert!(
        harness
            .query_by_label("A spam score of 5 or more (SpamAssassin, rspamd)")
            .is_some()
    );
    click(&mut harness, "GMX and WEB.DE's junk verdict");
    assert!(
        save_enabled(&harness),
        "an empty password keeps the stored one"
    );
    click(&mut harness, "Save");
    step_until(&mut harness, "the change is stored", |_| {
        accounts(&path)[0].settings.interval_minutes == 42
    });
    let after = &accounts(&path)[0].settings;
    assert_eq!(after.host, "pop.example.net");
    assert!(after.junk.provider_marks, "untouched");
    assert!(!after.junk.learning, "switched off in the dialog");
    let checks = &after.junk.headers.enabled;
    assert!(!checks.contains(&poplar::junk::SpamCheck::UnitedInternet));
    assert_eq!(checks.len(), poplar::junk::SpamCheck::ALL.len() - 1);
    assert_eq!(
        secrets.password(after).expect("moved").expose(),
        "old-pw",
        "the password moved to the new server's entry"
    );
    assert!(secrets.password(&before).is_err(), "the old entry is gone");
}

#[test]
fn removing_an_account_keeps_its_mail_by_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), true);
    let mut harness = harness_with(path.clone(), Arc::new(MemorySecrets::new()));
    harness.run_steps(2);
    open_from_menu(&mut harness);
    harness.get_by_label("Remove").click();
    harness.run_steps(2);
    assert!(shows_text(&harness, "Remove the account “Test”?"));
    assert_eq!(
        harness
            .get_by_label("Keep its mail on this computer")
            .accesskit_node()
            .toggled(),
        Some(Toggled::True),
        "keeping is the default"
    );
    click(&mut harness, "Remove account");
    step_until(&mut harness, "the account is gone", |_| {
        accounts(&path).is_empty()
    });
    let reader = Reader::open(&path).expect("reader");
    let folder = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.name == "Test")
        .expect("a local folder named after the account");
    assert_eq!(
        (folder.account_id, folder.kind, folder.total),
        (None, FolderKind::Inbox, 3)
    );
    assert_eq!(
        reader.search("invoice", None, 10).expect("search").len(),
        1,
        "kept mail stays readable"
    );
    harness.get_by_label("Close").click();
    harness.run_steps(3);
    assert!(
        harness.query_by_label("Welcome to Poplar").is_none(),
        "the kept mail is shown, not the first-run screen"
    );
    step_until(&mut harness, "the kept mail is a local folder", |h| {
        h.query_by_label("Test, 3 unread").is_some()
    });
    // The writer agrees, and a new account may take the name again.
    drop(harness);
    let mut writer = Writer::open(&path).expect("writer");
    writer
        .add_account(
            &AccountSettings::new("Test", "t@example.de", "pop.example.de", "t"),
            1,
        )
        .expect("the name is free");
}

#[test]
fn a_running_connection_test_can_be_cancelled() {
    // A server that accepts the connection and then says nothing: the test waits.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = silent.local_addr().expect("addr").port().to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let mut harness = harness_with(path, Arc::new(MemorySecrets::new()));
    harness.run_steps(2);
    harness.get_by_label("Add account").click();
    harness.run_steps(3);
    type_into(&mut harness, "Incoming server", "127.0.0.1");
    replace(&mut harness, "Port", &port);
    click(&mut harness, "Test connection");
    assert!(shows_text(&harness, &format!("Testing 127.0.0.1:{port}")));
    click(&mut harness, "Cancel test");
    assert!(shows_text(&harness, "The test was cancelled."));
    assert!(harness.query_by_label("Test connection").is_some());
    drop(silent);
}

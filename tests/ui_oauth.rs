//! The accounts dialog's OAuth sign-in, through the real window under egui_kittest: a
//! custom provider (a mock authorization server on loopback) signed in with a scripted
//! browser that allows, denies or does nothing; the grant kept in the keyring and never in
//! the store; Cancel; and the Microsoft preset in a build without a client id.

#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/fake_server.rs"]
mod fake_server;
#[path = "support/oauth_browser.rs"]
mod oauth_browser;
#[path = "support/oauth_mock.rs"]
mod oauth_mock;
#[path = "support/ui.rs"]
mod ui;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use oauth_browser::{Behaviour, ScriptedBrowser};
use oauth_mock::MockAuthServer;
use poplar::pop3::AuthMethod;
use poplar::store::{Account, Reader};
use poplar::sync::secrets::oauth_key;
use poplar::sync::{MemorySecrets, Secrets};
use poplar::ui::PoplarApp;
use ui::{click, replace, seeded_store, shows_text, step_until, type_into};

const DENIED: &str = "Access was refused on the provider's page";
const CLIENT_SECRET: &str = "client-s3cret-4711";

fn accounts(path: &Path) -> Vec<Account> {
    Reader::open(path)
        .expect("reader")
        .accounts()
        .expect("accounts")
}

/// The real app over an empty store, with secrets in memory and `browser` for sign-ins.
fn harness(
    store_path: PathBuf,
    secrets: Arc<MemorySecrets>,
    browser: Arc<ScriptedBrowser>,
) -> Harness<'static, PoplarApp> {
    ui::harness_with_browser(store_path, secrets, browser, 1000.0)
}

/// One test's world: an empty store, secrets, a scripted browser, the mock provider and the
/// window over them.
struct Case {
    dir: tempfile::TempDir,
    path: PathBuf,
    secrets: Arc<MemorySecrets>,
    browser: Arc<ScriptedBrowser>,
    mock: MockAuthServer,
    harness: Harness<'static, PoplarApp>,
}

fn case(behaviour: Behaviour, secrets: MemorySecrets) -> Case {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let secrets = Arc::new(secrets);
    let browser = Arc::new(ScriptedBrowser::new(behaviour));
    let mock = MockAuthServer::start();
    let harness = harness(path.clone(), secrets.clone(), browser.clone());
    Case {
        dir,
        path,
        secrets,
        browser,
        mock,
        harness,
    }
}

fn disabled(harness: &Harness<'_, PoplarApp>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().is_disabled()
}

/// Opens a new account for anna@example.org on pop.example.org, with OAuth 2.0 and the
/// mock as a custom provider.
fn custom_oauth_account(harness: &mut Harness<'_, PoplarApp>, mock: &MockAuthServer) {
    custom_oauth_account_on(harness, mock, "pop.example.org");
}

/// As [`custom_oauth_account`], on `host`.
fn custom_oauth_account_on(
    harness: &mut Harness<'_, PoplarApp>,
    mock: &MockAuthServer,
    host: &str,
) {
    click(harness, "Add account");
    fill_custom_oauth(harness, mock, host);
}

/// Fills the open editor as [`custom_oauth_account_on`] does.
fn fill_custom_oauth(harness: &mut Harness<'_, PoplarApp>, mock: &MockAuthServer, host: &str) {
    type_into(harness, "Email address", "anna@example.org");
    type_into(harness, "Incoming server", host);
    assert!(harness.query_by_label("Password").is_some());
    click(harness, "Authentication");
    click(harness, "OAuth 2.0 (sign in with the provider)");
    // No password for an OAuth account; its sign-in instead, with Advanced open for the
    // provider's endpoints.
    assert!(harness.query_by_label("Password").is_none());
    assert!(harness.query_by_label("Sign in").is_some());
    assert!(shows_text(
        harness,
        "Enter the client id your provider gave you"
    ));
    assert!(disabled(harness, "Sign in"), "no client id yet");
    type_into(harness, "Client ID", oauth_mock::CLIENT_ID);
    assert!(disabled(harness, "Sign in"), "no endpoints yet");
    type_into(
        harness,
        "Authorization URL",
        "http://auth.example.org/authorize",
    );
    assert!(shows_text(
        harness,
        "Plain http:// is allowed only to this computer"
    ));
    // (Emptied key by key: under kittest, Ctrl+A does not select in this field.)
    for _ in 0.."http://auth.example.org/authorize".len() {
        harness.key_press(egui::Key::Backspace);
    }
    harness.run_steps(2);
    type_into(harness, "Authorization URL", &mock.url("/authorize"));
    type_into(harness, "Token URL", &mock.url("/token"));
    type_into(harness, "Scopes", &oauth_mock::SCOPES.join(" "));
    assert!(
        !shows_text(harness, "Plain http:// is allowed only"),
        "{:?}",
        harness.get_by_label("Authorization URL").value()
    );
    assert!(shows_text(harness, "Not signed in yet."));
    assert!(!disabled(harness, "Sign in"));
    assert!(disabled(harness, "Save"), "not signed in yet");
}

#[test]
fn a_custom_oauth_account_signs_in_through_the_browser_and_keeps_its_grant_in_the_keyring() {
    let Case {
        dir,
        path,
        secrets,
        browser,
        mock,
        mut harness,
    } = case(Behaviour::Allow, MemorySecrets::new());
    custom_oauth_account(&mut harness, &mock);
    // The mock wants this client's secret; it goes to the keyring with the grant.
    mock.state().client_secret = Some(CLIENT_SECRET.into());
    type_into(&mut harness, "Client secret", CLIENT_SECRET);
    click(&mut harness, "Sign in");
    step_until(&mut harness, "the dialog says signed in", |h| {
        shows_text(h, "Signed in. Poplar keeps the sign-in in the keyring")
    });
    assert_eq!(browser.finished().opened.len(), 1, "one page was opened");
    assert!(!disabled(&harness, "Save"));
    // The grant is kept under the user name and server: another one needs another sign-in.
    type_into(&mut harness, "User name", "x");
    assert!(shows_text(
        &harness,
        "You changed the user name, server, port"
    ));
    assert!(disabled(&harness, "Save"));
    harness.key_press(egui::Key::Backspace);
    harness.run_steps(2);
    assert!(!shows_text(&harness, "You changed the user name"));
    assert!(!disabled(&harness, "Save"));
    click(&mut harness, "Save");
    step_until(&mut harness, "the account is in the store", |_| {
        accounts(&path).len() == 1
    });
    let stored = accounts(&path).remove(0).settings;
    assert_eq!(stored.auth, AuthMethod::OAuth2);
    assert_eq!(stored.host, "pop.example.org");
    assert_eq!(stored.username, "anna@example.org");
    let oauth = stored.oauth.clone().expect("the provider is stored");
    assert_eq!(oauth.provider, "custom");
    assert_eq!(oauth.client_id.as_deref(), Some(oauth_mock::CLIENT_ID));
    assert_eq!(
        oauth.authorize_url.as_deref(),
        Some(mock.url("/authorize").as_str())
    );
    assert_eq!(
        oauth.token_url.as_deref(),
        Some(mock.url("/token").as_str())
    );
    assert_eq!(oauth.scopes.as_deref(), Some("pop offline_access"));
    // The grant is in the keyring, under the saved account's key ...
    let entry = secrets
        .secret(&oauth_key(&stored))
        .expect("keyring")
        .expect("the grant is kept under the account's key");
    let grant: serde_json::Value = serde_json::from_str(entry.expose()).expect("json");
    let access = grant["access_token"].as_str().expect("access token");
    let refresh = grant["refresh_token"].as_str().expect("refresh token");
    assert!(mock.access_record(access).is_some(), "the mock issued it");
    assert_eq!(grant["client_secret"], CLIENT_SECRET);
    assert!(
        secrets.password(&stored).is_err(),
        "and there is no password"
    );
    // ... and not in the store (nor its journal).
    drop(harness);
    for file in std::fs::read_dir(dir.path()).expect("dir") {
        let file = file.expect("entry").path();
        let bytes = std::fs::read(&file).expect("read");
        for token in [access, refresh, CLIENT_SECRET] {
            assert!(
                !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                "{} holds a token",
                file.display()
            );
        }
    }
}

#[test]
fn access_denied_in_the_browser_is_said_plainly_and_nothing_is_kept() {
    let Case {
        dir: _dir,
        path,
        secrets,
        browser: _browser,
        mock,
        mut harness,
    } = case(Behaviour::Deny, MemorySecrets::new());
    custom_oauth_account(&mut harness, &mock);
    click(&mut harness, "Sign in");
    step_until(&mut harness, "the dialog says access was denied", |h| {
        shows_text(h, DENIED)
    });
    assert!(disabled(&harness, "Save"), "not signed in");
    assert!(!disabled(&harness, "Sign in"), "it can be tried again");
    click(&mut harness, "Cancel");
    harness.run_steps(3);
    assert!(accounts(&path).is_empty());
    let mut settings = poplar::account::AccountSettings::new(
        "example.org",
        "anna@example.org",
        "pop.example.org",
        "anna@example.org",
    );
    settings.auth = AuthMethod::OAuth2;
    assert_eq!(
        secrets.secret(&oauth_key(&settings)).expect("keyring"),
        None
    );
}

#[test]
fn cancel_while_waiting_for_the_browser_returns_to_not_signed_in() {
    let Case {
        dir: _dir,
        path: _path,
        secrets: _secrets,
        browser,
        mock,
        mut harness,
    } = case(Behaviour::Nothing, MemorySecrets::new());
    custom_oauth_account(&mut harness, &mock);
    click(&mut harness, "Sign in");
    step_until(&mut harness, "the link to open by hand is shown", |h| {
        h.query_by_label("Copy link").is_some()
    });
    assert!(shows_text(&harness, "Waiting for the browser"));
    let opened = browser.log().opened.clone();
    assert_eq!(opened.len(), 1);
    assert!(
        shows_text(&harness, &mock.url("/authorize")),
        "the URL is shown"
    );
    assert!(disabled(&harness, "Sign in"), "one sign-in at a time");
    click(&mut harness, "Cancel sign-in");
    step_until(&mut harness, "the dialog is back to not signed in", |h| {
        shows_text(h, "Not signed in yet.")
    });
    assert!(harness.query_by_label("Copy link").is_none());
    assert!(harness.query_by_label("Cancel sign-in").is_none());
    assert!(!disabled(&harness, "Sign in"));
}

#[test]
fn the_microsoft_preset_without_a_client_id_says_so_and_cannot_sign_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let browser = Arc::new(ScriptedBrowser::new(Behaviour::Allow));
    let mut harness = harness(path, Arc::new(MemorySecrets::new()), browser.clone());
    click(&mut harness, "Add account");
    type_into(&mut harness, "Email address", "anna@hotmail.de");
    assert!(harness.query_by_label("Password").is_none(), "no password");
    let built_with_one = poplar::oauth::provider::MICROSOFT_CLIENT_ID.is_some();
    assert_eq!(
        disabled(&harness, "Sign in with Microsoft"),
        !built_with_one
    );
    assert_eq!(
        shows_text(
            &harness,
            "This copy of Poplar has no client id registered with Microsoft."
        ),
        !built_with_one
    );
    if !built_with_one {
        // A client id of one's own, under Advanced, makes it possible.
        click(&mut harness, "Advanced");
        type_into(&mut harness, "Client ID", "my-own-client");
        assert!(!disabled(&harness, "Sign in with Microsoft"));
        assert!(!shows_text(&harness, "has no client id registered"));
    }
    // Gmail: Google's.
    ui::replace(&mut harness, "Email address", "anna@gmail.com");
    assert!(harness.query_by_label("Sign in with Google").is_some());
    assert!(browser.log().opened.is_empty(), "no page was opened");
}

#[test]
fn signing_a_stored_account_in_again_keeps_the_grant_under_its_key_and_checks_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(poplar::store::STORE_FILE);
    let mock = MockAuthServer::start();
    let mut settings =
        poplar::account::AccountSettings::new("Mock", "anna@example.org", "pop.invalid", "anna");
    settings.auth = AuthMethod::OAuth2;
    settings.oauth = Some(poplar::account::OAuthSettings {
        provider: "custom".into(),
        client_id: Some(oauth_mock::CLIENT_ID.into()),
        authorize_url: Some(mock.url("/authorize")),
        token_url: Some(mock.url("/token")),
        scopes: Some(oauth_mock::SCOPES.join(" ")),
        revocation_url: None,
    });
    poplar::store::Writer::open(&path)
        .expect("store")
        .add_account(&settings, 0)
        .expect("add");
    let secrets = Arc::new(MemorySecrets::new());
    let browser = Arc::new(ScriptedBrowser::new(Behaviour::Allow));
    let mut harness = harness(path.clone(), secrets.clone(), browser);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Accounts…").click();
    harness.run_steps(3);
    harness.get_by_label("Edit").click();
    harness.run_steps(3);
    // A stored OAuth account: no password, and its sign-in counts as done.
    assert!(harness.query_by_label("Password").is_none());
    assert!(shows_text(&harness, "Signed in earlier."));
    assert!(!disabled(&harness, "Save"));
    click(&mut harness, "Sign in");
    step_until(&mut harness, "the dialog says signed in", |h| {
        shows_text(h, "Signed in. Poplar keeps the sign-in in the keyring")
    });
    let stored = accounts(&path).remove(0).settings;
    assert!(
        secrets
            .secret(&oauth_key(&stored))
            .expect("keyring")
            .is_some(),
        "the grant is where the engine looks for it"
    );
    // The engine was told and checks the account at once (pop.invalid does not exist).
    click(&mut harness, "Cancel");
    click(&mut harness, "Close");
    step_until(&mut harness, "the account was checked", |h| {
        shows_text(h, "Check failed")
    });
}

#[test]
fn a_sign_in_left_unsaved_is_forgotten() {
    let Case {
        dir: _dir,
        path,
        secrets,
        browser: _browser,
        mock,
        mut harness,
    } = case(Behaviour::Allow, MemorySecrets::new());
    custom_oauth_account(&mut harness, &mock);
    click(&mut harness, "Sign in");
    step_until(&mut harness, "the dialog says signed in", |h| {
        shows_text(h, "Signed in. Poplar keeps the sign-in in the keyring")
    });
    let mut settings = poplar::account::AccountSettings::new(
        "example.org",
        "anna@example.org",
        "pop.example.org",
        "anna@example.org",
    );
    settings.auth = AuthMethod::OAuth2;
    let key = oauth_key(&settings);
    assert!(secrets.secret(&key).expect("keyring").is_some());
    click(&mut harness, "Cancel");
    step_until(&mut harness, "the grant is forgotten", |_| {
        secrets.secret(&key).expect("keyring").is_none()
    });
    assert!(accounts(&path).is_empty());
}

#[test]
fn the_connection_test_of_a_signed_in_account_logs_in_with_its_token() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let secrets = Arc::new(MemorySecrets::new());
    let browser = Arc::new(ScriptedBrowser::new(Behaviour::Allow));
    let mock = MockAuthServer::start();
    let auth_lines = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&auth_lines);
    let server = fake_server::FakeServer::start(move |conn| {
        conn.greet();
        while let Some(line) = conn.read_line() {
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("CAPA") {
                conn.multiline_with("+OK Capability list follows", b"SASL XOAUTH2\r\nUIDL\r\n");
            } else if upper == "AUTH XOAUTH2" {
                conn.send_line("+ ");
                let response = conn.read_line().unwrap_or_default();
                seen.lock().expect("lock").push(response);
                conn.ok("logged in");
            } else if let Some(response) = line.strip_prefix("AUTH XOAUTH2 ") {
                seen.lock().expect("lock").push(response.to_owned());
                conn.ok("logged in");
            } else if upper.starts_with("STAT") {
                conn.send_line("+OK 0 0");
            } else if upper.starts_with("QUIT") {
                conn.ok("bye");
                break;
            } else {
                conn.ok("");
            }
        }
    });
    let mut harness = harness(path, secrets.clone(), browser);
    custom_oauth_account_on(&mut harness, &mock, "127.0.0.1");
    click(&mut harness, "None");
    ui::replace(&mut harness, "Port", &server.port().to_string());
    click(&mut harness, "Sign in");
    step_until(&mut harness, "the dialog says signed in", |h| {
        shows_text(h, "Signed in. Poplar keeps the sign-in in the keyring")
    });
    click(&mut harness, "Test connection");
    step_until(&mut harness, "the test logged in", |h| {
        shows_text(h, "Connected and logged in")
    });
    let responses = auth_lines.lock().expect("lock").clone();
    assert_eq!(responses.len(), 1, "{responses:?}");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(responses[0].trim())
        .expect("base64");
    let decoded = String::from_utf8(decoded).expect("utf-8");
    let record = mock
        .access_record(
            decoded
                .split("auth=Bearer ")
                .nth(1)
                .and_then(|rest| rest.split('\x01').next())
                .expect("a bearer token"),
        )
        .expect("the token the mock issued");
    assert_eq!(record.user, "anna@example.org");
}

#[test]
fn without_a_keyring_the_sign_in_is_kept_for_this_session_and_says_so() {
    let Case {
        dir: _dir,
        path: _path,
        secrets: _secrets,
        browser: _browser,
        mock,
        mut harness,
    } = case(Behaviour::Allow, MemorySecrets::without_keyring());
    click(&mut harness, "Add account");
    step_until(&mut harness, "the dialog knows there is no keyring", |h| {
        shows_text(h, "never writes a password to a file")
    });
    fill_custom_oauth(&mut harness, &mock, "pop.example.org");
    assert!(shows_text(
        &harness,
        "Poplar never writes a sign-in to a file"
    ));
    assert!(!shows_text(&harness, "never writes a password to a file"));
    click(&mut harness, "Sign in");
    step_until(
        &mut harness,
        "the dialog says signed in for this session",
        |h| shows_text(h, "Signed in for this session only"),
    );
    assert!(!disabled(&harness, "Save"));
}

/// The whole path for real: signed in from the dialog at the mock provider, the account
/// checks a real Dovecot whose `oauth2` passdb asks the mock about the token, and once the
/// user withdraws the grant at the provider the next check stops and asks to sign in again.
#[test]
fn signed_in_from_the_dialog_the_account_syncs_from_dovecot_until_the_grant_is_withdrawn() {
    let test = "signed_in_from_the_dialog_the_account_syncs_from_dovecot";
    let mock = MockAuthServer::start();
    let Some(server) = dovecot::Dovecot::start_or_skip_with(
        test,
        dovecot::Options::for_oauth(mock.introspection_url(), None)
            .user("anna@example.org", "unused-password"),
    ) else {
        return;
    };
    server.deliver(
        "anna@example.org",
        &[b"Subject: welcome\r\n\r\nhello\r\n".as_slice()],
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded_store(dir.path(), false);
    let secrets = Arc::new(MemorySecrets::new());
    let browser = Arc::new(ScriptedBrowser::new(Behaviour::Allow));
    let mut harness = harness(path.clone(), secrets.clone(), browser);
    custom_oauth_account_on(&mut harness, &mock, "127.0.0.1");
    replace(&mut harness, "Port", &server.tls_port().to_string());
    type_into(
        &mut harness,
        "Extra CA file",
        &server.cert_pem_path().display().to_string(),
    );
    click(&mut harness, "Sign in");
    step_until(&mut harness, "the dialog says signed in", |h| {
        shows_text(h, "Signed in. Poplar keeps the sign-in in the keyring")
    });
    click(&mut harness, "Save");
    step_until(&mut harness, "the account is in the store", |_| {
        accounts(&path).len() == 1
    });
    click(&mut harness, "Close");
    let inbox = |path: &Path| {
        Reader::open(path)
            .and_then(|r| r.count(poplar::store::ListView::AllInboxes))
            .unwrap_or(0)
    };
    harness.key_press(egui::Key::F5);
    step_until(&mut harness, "the mail arrives through the token", |_| {
        inbox(&path) == 1
    });

    // Withdrawn at the provider (and the access token with it): the check refreshes once,
    // hears the grant is gone, and says to sign in again.
    mock.revoke_all();
    server.deliver(
        "anna@example.org",
        &[b"Subject: second\r\n\r\nagain\r\n".as_slice()],
    );
    harness.key_press(egui::Key::F5);
    step_until(&mut harness, "the window asks to sign in again", |h| {
        shows_text(h, "has expired or was withdrawn")
    });
    assert_eq!(inbox(&path), 1, "nothing was fetched without a sign-in");
}

//! OAuth accounts through the sync engine's pass, against a real Dovecot 2.3 whose `oauth2`
//! passdb asks the mock authorization server about every token: sign in, download, an
//! expired token refreshed before login with the rotated refresh token saved, a token the
//! server refuses refreshed once, a revoked grant and a wrong scope that stop and ask the
//! user, and Automatic remembering the method that worked.
//!
//! Where Dovecot is not installed these tests say they were skipped and why; with
//! `POPLAR_REQUIRE_DOVECOT=1` (as in CI) a missing Dovecot fails them.

#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/oauth_browser.rs"]
mod oauth_browser;
#[path = "support/oauth_mock.rs"]
mod oauth_mock;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use dovecot::{Dovecot, Options};
use oauth_browser::{Behaviour, ScriptedBrowser};
use oauth_mock::{CLIENT_ID, MockAuthServer};
use poplar::account::{AccountSettings, OAuthSettings};
use poplar::oauth::{OAuthError, refresh};
use poplar::pop3::{AuthMethod, Secret, Security};
use poplar::store::{AccountId, Writer};
use poplar::sync::grant::{self, Kept};
use poplar::sync::secrets::oauth_key;
use poplar::sync::{
    MemorySecrets, PassContext, PassReport, Secrets, StoreHandle, SyncError, SyncErrorKind,
    SyncOptions, run_pass,
};
use sha2::Digest as _;

fn start(name: &str, mock: &MockAuthServer, scope: Option<&str>) -> Option<Dovecot> {
    Dovecot::start_or_skip_with(name, Options::for_oauth(mock.introspection_url(), scope))
}

/// An account for `user1` that signs in with the mock as a custom provider asking `scopes`.
fn oauth_settings(server: &Dovecot, mock: &MockAuthServer, scopes: &str) -> AccountSettings {
    // The mock signs in as the login hint, which is the account's address.
    let mut s = AccountSettings::new("OAuth", "user1", server.host(), "user1");
    s.port = server.tls_port();
    s.security = Security::Tls;
    s.pin_sha256 = Some(sha2::Sha256::digest(server.cert_der()).into());
    s.check_on_start = false;
    s.auth = AuthMethod::OAuth2;
    s.oauth = Some(OAuthSettings {
        provider: "custom".into(),
        client_id: Some(CLIENT_ID.into()),
        authorize_url: Some(mock.url("/authorize")),
        token_url: Some(mock.url("/token")),
        scopes: Some(scopes.into()),
        revocation_url: None,
    });
    s
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: StoreHandle,
    account: AccountId,
    secrets: Arc<MemorySecrets>,
}

impl Fixture {
    fn new(settings: &AccountSettings) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("poplar.sqlite");
        let mut writer = Writer::open(&path).expect("store");
        let account = writer.add_account(settings, 1).expect("add");
        let (store, _thread) = StoreHandle::spawn(writer).expect("store thread");
        Self {
            _dir: dir,
            path,
            store,
            account,
            secrets: Arc::new(MemorySecrets::new()),
        }
    }

    fn settings(&self) -> AccountSettings {
        self.stored().settings
    }

    fn stored(&self) -> poplar::store::Account {
        let id = self.account;
        self.store
            .run_blocking(move |w| w.account(id))
            .expect("store thread")
            .expect("read")
            .expect("exists")
    }

    fn sign_in(&self, behaviour: Behaviour) -> Result<Kept, grant::SignInError> {
        let browser = ScriptedBrowser::new(behaviour);
        grant::sign_in(
            &*self.secrets,
            &self.settings(),
            None,
            &browser,
            &AtomicBool::new(false),
            Duration::from_secs(20),
            &mut |_| {},
        )
    }

    fn grant(&self) -> grant::StoredGrant {
        grant::load(&*self.secrets, &self.settings())
            .expect("keyring")
            .expect("signed in")
    }

    fn try_pass(&self) -> Result<PassReport, SyncError> {
        let ctx = PassContext {
            account: self.stored(),
            store: self.store.clone(),
            secrets: self.secrets.clone() as Arc<dyn Secrets>,
            clock: Arc::new(|| 1_900_000_000),
            options: SyncOptions {
                connect_timeout: Duration::from_secs(10),
                read_timeout: Duration::from_secs(30),
                ..SyncOptions::default()
            },
            cancel: Arc::new(AtomicBool::new(false)),
            on_progress: Arc::new(|_| {}),
        };
        smol::block_on(run_pass(&ctx))
    }

    /// Ages the kept grant so that its access token is due for a refresh.
    fn expire_access_token(&self) {
        let mut stored = self.grant();
        stored.grant.expires_at = 0;
        grant::save(&*self.secrets, &self.settings(), &stored).expect("save");
    }

    fn refreshes(mock: &MockAuthServer) -> usize {
        mock.state()
            .token_forms
            .iter()
            .filter(|form| {
                form.iter()
                    .any(|(k, v)| k == "grant_type" && v == "refresh_token")
            })
            .count()
    }
}

#[test]
fn an_oauth_account_signs_in_downloads_and_refreshes_an_expired_token_keeping_the_rotated_one() {
    let mock = MockAuthServer::start();
    let name = "an_oauth_account_signs_in_downloads_and_refreshes";
    let Some(server) = start(name, &mock, Some("pop")) else {
        return;
    };
    server.deliver(
        "user1",
        &[
            b"Subject: one\n\nfirst\n".as_slice(),
            b"Subject: two\n\nsecond\n".as_slice(),
        ],
    );
    let fixture = Fixture::new(&oauth_settings(&server, &mock, "pop offline_access"));

    // Not signed in yet: the pass stops and asks, and nothing was sent to the provider.
    let err = fixture.try_pass().expect_err("not signed in");
    assert_eq!(err.kind(), SyncErrorKind::SignIn);
    assert!(err.needs_user() && err.facts().oauth.is_none(), "{err}");

    assert_eq!(
        fixture.sign_in(Behaviour::Allow).expect("sign-in"),
        Kept::Keyring
    );
    let report = fixture
        .try_pass()
        .unwrap_or_else(|err| panic!("{err}\n{}", server.log_tail()));
    assert_eq!(report.downloaded, 2);
    assert_eq!(
        Fixture::refreshes(&mock),
        0,
        "a fresh token is used as it is"
    );

    // An hour later: the token is due, refreshed before the login, and the rotated refresh
    // token is what the keyring holds now.
    let before = fixture.grant();
    fixture.expire_access_token();
    server.deliver("user1", &[b"Subject: three\n\nthird\n".as_slice()]);
    let report = fixture
        .try_pass()
        .unwrap_or_else(|err| panic!("{err}\n{}", server.log_tail()));
    assert_eq!(report.downloaded, 1, "only the new message");
    assert_eq!(Fixture::refreshes(&mock), 1);
    let after = fixture.grant();
    let old_refresh = before.grant.refresh_token.expect("a refresh token");
    let new_refresh = after.grant.refresh_token.clone().expect("a refresh token");
    assert_ne!(old_refresh.expose(), new_refresh.expose(), "rotated");
    assert_ne!(
        before.grant.access_token.expose(),
        after.grant.access_token.expose()
    );
    assert!(after.grant.expires_at > 0);
    // The old refresh token is dead at the provider: had it been kept, the account would be
    // lost.
    let provider = fixture
        .settings()
        .oauth
        .expect("oauth")
        .provider()
        .expect("provider");
    assert!(matches!(
        refresh(&provider, &old_refresh),
        Err(OAuthError::Revoked { .. })
    ));

    // No token ever reaches the store file.
    let bytes = std::fs::read(&fixture.path).expect("store bytes");
    for token in [new_refresh.expose(), after.grant.access_token.expose()] {
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "a token is in the store"
        );
    }
    assert!(
        fixture
            .secrets
            .secret(&oauth_key(&fixture.settings()))
            .expect("kept")
            .is_some()
    );
}

#[test]
fn a_token_the_server_refuses_is_refreshed_once_and_the_pass_goes_on() {
    let mock = MockAuthServer::start();
    let name = "a_token_the_server_refuses_is_refreshed_once";
    let Some(server) = start(name, &mock, None) else {
        return;
    };
    server.deliver("user1", &[b"Subject: one\n\nfirst\n".as_slice()]);
    let fixture = Fixture::new(&oauth_settings(&server, &mock, "pop offline_access"));
    fixture.sign_in(Behaviour::Allow).expect("sign-in");
    // The provider withdrew the access token early (its expiry says an hour to go).
    let mut stored = fixture.grant();
    stored.grant.access_token = Secret::new("withdrawn-token");
    grant::save(&*fixture.secrets, &fixture.settings(), &stored).expect("save");

    let report = fixture
        .try_pass()
        .unwrap_or_else(|err| panic!("{err}\n{}", server.log_tail()));
    assert_eq!(report.downloaded, 1);
    assert_eq!(Fixture::refreshes(&mock), 1, "refreshed once");
    assert_ne!(
        fixture.grant().grant.access_token.expose(),
        "withdrawn-token"
    );
}

#[test]
fn a_revoked_grant_stops_the_account_and_asks_to_sign_in_again() {
    let mock = MockAuthServer::start();
    let name = "a_revoked_grant_stops_the_account_and_asks";
    let Some(server) = start(name, &mock, None) else {
        return;
    };
    server.deliver("user1", &[b"Subject: one\n\nfirst\n".as_slice()]);
    let fixture = Fixture::new(&oauth_settings(&server, &mock, "pop offline_access"));
    fixture.sign_in(Behaviour::Allow).expect("sign-in");
    mock.revoke_all();
    fixture.expire_access_token();

    let err = fixture.try_pass().expect_err("revoked");
    assert_eq!(err.kind(), SyncErrorKind::SignIn);
    assert!(
        matches!(
            err.facts().oauth.as_deref(),
            Some(OAuthError::Revoked { .. })
        ),
        "{err:?}"
    );
    assert!(err.needs_user(), "polling stops until the user signs in");
    let words = poplar::app::trouble::explain_in(poplar::i18n::Language::German, "OAuth", &err);
    assert!(words.headline.contains("neu an"), "{}", words.headline);
    let terminal = poplar::app::trouble::for_terminal(&err.clone().for_account("OAuth"));
    assert!(
        terminal.contains("poplar account login \"OAuth\""),
        "{terminal}"
    );

    // Signing in again makes the account work.
    fixture.sign_in(Behaviour::Allow).expect("sign-in again");
    assert_eq!(fixture.try_pass().expect("works again").downloaded, 1);
}

#[test]
fn a_grant_without_the_scope_the_server_needs_is_refused_and_asks_the_user() {
    let mock = MockAuthServer::start();
    let name = "a_grant_without_the_scope_the_server_needs";
    let Some(server) = start(name, &mock, Some("pop")) else {
        return;
    };
    let fixture = Fixture::new(&oauth_settings(&server, &mock, "calendar offline_access"));
    fixture.sign_in(Behaviour::Allow).expect("sign-in");
    let err = fixture.try_pass().expect_err("wrong scope");
    assert_eq!(
        err.kind(),
        SyncErrorKind::Pop3(poplar::pop3::ErrorKind::Auth),
        "{err}"
    );
    assert!(err.needs_user());
    assert!(
        err.facts().with_token,
        "a token, not a password, was refused"
    );
    let words = poplar::app::trouble::explain_in(poplar::i18n::Language::English, "OAuth", &err);
    assert!(
        words.headline.contains("permission for POP") && !words.headline.contains("password"),
        "{}",
        words.headline
    );
    assert_eq!(
        Fixture::refreshes(&mock),
        1,
        "one refresh after the refusal, then no more"
    );
}

#[test]
fn automatic_remembers_the_method_that_logged_in() {
    let mock = MockAuthServer::start();
    let name = "automatic_remembers_the_method_that_logged_in";
    let Some(server) = start(name, &mock, None) else {
        return;
    };
    let mut settings = AccountSettings::new("Pw", "user1@localhost", server.host(), "user1");
    settings.port = server.tls_port();
    settings.pin_sha256 = Some(sha2::Sha256::digest(server.cert_der()).into());
    settings.password_source =
        poplar::account::PasswordSource::Command(format!("echo {}", server.password("user1")));
    let fixture = Fixture::new(&settings);
    assert_eq!(fixture.stored().auth_learned, None);
    fixture
        .try_pass()
        .unwrap_or_else(|err| panic!("{err}\n{}", server.log_tail()));
    assert_eq!(
        fixture.stored().auth_learned,
        Some(AuthMethod::ScramSha256),
        "the strongest offered method logged in and is remembered"
    );
}

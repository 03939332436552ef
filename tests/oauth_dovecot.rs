//! Tokens from the OAuth sign-in log in to a real Dovecot 2.3, whose `oauth2` passdb asks
//! the mock authorization server about each token (RFC 7662 introspection), through
//! XOAUTH2 and OAUTHBEARER.
//!
//! Where Dovecot is not installed these tests say they were skipped and why; with
//! `POPLAR_REQUIRE_DOVECOT=1` (as in CI) a missing Dovecot fails them.

#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/oauth_browser.rs"]
mod oauth_browser;
#[path = "support/oauth_mock.rs"]
mod oauth_mock;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use dovecot::{Dovecot, Options};
use oauth_browser::{Behaviour, ScriptedBrowser};
use oauth_mock::MockAuthServer;
use poplar::oauth::{Grant, authorize, refresh, revoke};
use poplar::pop3::{
    AuthMethod, Client, ClientConfig, Credentials, Endpoint, Error, ErrorKind, Secret, Security,
    TlsTrust,
};

/// The scope the mock's tokens carry and, where a test asks, Dovecot requires.
const SCOPE: &str = "pop";

fn start(name: &str, mock: &MockAuthServer, scope: Option<&str>) -> Option<Dovecot> {
    Dovecot::start_or_skip_with(name, Options::for_oauth(mock.introspection_url(), scope))
}

fn config(server: &Dovecot) -> ClientConfig {
    let mut endpoint = Endpoint::new(server.host(), Security::Tls).with_port(server.tls_port());
    endpoint.trust = TlsTrust {
        ca_file: Some(server.cert_pem_path().to_path_buf()),
        pinned_sha256: None,
    };
    endpoint.connect_timeout = Duration::from_secs(10);
    endpoint.read_timeout = Duration::from_secs(30);
    ClientConfig::new(endpoint)
}

/// Logs in as `user` with `token` and `method`; on success lists the mailbox and quits.
fn log_in(server: &Dovecot, user: &str, token: &str, method: AuthMethod) -> Result<usize, Error> {
    smol::block_on(async {
        let mut client = Client::connect(&config(server)).await?;
        client
            .login(&Credentials {
                user: user.into(),
                secret: Secret::new(token),
                method,
            })
            .await?;
        let listed = client.listing().await?.len();
        client.quit().await?;
        Ok(listed)
    })
}

fn sign_in(mock: &MockAuthServer, user: &str) -> Grant {
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    authorize(
        &mock.provider(),
        Some(user),
        &browser,
        &AtomicBool::new(false),
        Duration::from_secs(20),
    )
    .expect("signed in")
}

fn assert_refused(result: Result<usize, Error>, server: &Dovecot) {
    match result {
        Err(err) => assert_eq!(err.kind(), ErrorKind::Auth, "{err}\n{}", server.log_tail()),
        Ok(_) => panic!("the login was accepted\n{}", server.log_tail()),
    }
}

#[test]
fn a_token_from_the_sign_in_logs_in_with_xoauth2_and_with_oauthbearer() {
    let mock = MockAuthServer::start();
    let Some(server) = start(
        "a_token_from_the_sign_in_logs_in_with_xoauth2_and_with_oauthbearer",
        &mock,
        None,
    ) else {
        return;
    };
    server.deliver("user1", &[b"Subject: one\n\nbody\n".as_slice()]);
    let grant = sign_in(&mock, "user1");
    let token = grant.access_token.expose();
    for method in [AuthMethod::XOAuth2, AuthMethod::OAuthBearer] {
        let listed = log_in(&server, "user1", token, method)
            .unwrap_or_else(|err| panic!("{method:?}: {err}\n{}", server.log_tail()));
        assert_eq!(listed, 1, "{method:?}");
    }
    let asked = mock.state().introspections.len();
    assert!(
        asked >= 2,
        "Dovecot asked the mock about the token ({asked} times)"
    );
    // The password still works beside OAuth.
    assert_eq!(
        log_in(&server, "user1", "pass1", AuthMethod::Plain).expect("password login"),
        1
    );
    // A refreshed token logs in too.
    let renewed = refresh(&mock.provider(), &grant.refresh_token.expect("rt")).expect("refresh");
    assert!(
        log_in(
            &server,
            "user1",
            renewed.access_token.expose(),
            AuthMethod::XOAuth2
        )
        .is_ok()
    );
}

#[test]
fn a_revoked_or_expired_token_is_refused_as_an_auth_error() {
    let mock = MockAuthServer::start();
    let Some(server) = start(
        "a_revoked_or_expired_token_is_refused_as_an_auth_error",
        &mock,
        None,
    ) else {
        return;
    };
    let grant = sign_in(&mock, "user1");
    let token = grant.access_token.expose();
    assert!(log_in(&server, "user1", token, AuthMethod::XOAuth2).is_ok());
    assert_eq!(
        revoke(&mock.provider(), &grant.refresh_token.expect("rt")),
        Ok(true)
    );
    assert_refused(
        log_in(&server, "user1", token, AuthMethod::XOAuth2),
        &server,
    );
    assert_refused(
        log_in(&server, "user1", token, AuthMethod::OAuthBearer),
        &server,
    );

    let expired = mock.issue_access_token("user1", SCOPE, -60);
    assert_refused(
        log_in(&server, "user1", &expired, AuthMethod::XOAuth2),
        &server,
    );
    assert_refused(
        log_in(&server, "user1", "never-issued", AuthMethod::OAuthBearer),
        &server,
    );
}

#[test]
fn a_token_of_another_user_is_refused() {
    let mock = MockAuthServer::start();
    let Some(server) = start("a_token_of_another_user_is_refused", &mock, None) else {
        return;
    };
    let theirs = mock.issue_access_token("user2", SCOPE, 600);
    assert!(log_in(&server, "user2", &theirs, AuthMethod::XOAuth2).is_ok());
    assert_refused(
        log_in(&server, "user1", &theirs, AuthMethod::XOAuth2),
        &server,
    );
}

#[test]
fn a_token_without_the_required_scope_is_refused() {
    let mock = MockAuthServer::start();
    let Some(server) = start(
        "a_token_without_the_required_scope_is_refused",
        &mock,
        Some(SCOPE),
    ) else {
        return;
    };
    let right = mock.issue_access_token("user1", "pop offline_access", 600);
    assert!(
        log_in(&server, "user1", &right, AuthMethod::XOAuth2).is_ok(),
        "{}",
        server.log_tail()
    );
    let wrong = mock.issue_access_token("user1", "calendar offline_access", 600);
    assert_refused(
        log_in(&server, "user1", &wrong, AuthMethod::XOAuth2),
        &server,
    );
    assert_refused(
        log_in(&server, "user1", &wrong, AuthMethod::OAuthBearer),
        &server,
    );
}

//! The OAuth sign-in, refresh and revocation against a mock authorization server on
//! loopback, with a scripted browser that clicks as a person would. Real sockets, offline.

#[path = "support/oauth_browser.rs"]
mod oauth_browser;
#[path = "support/oauth_mock.rs"]
mod oauth_mock;

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use oauth_browser::{Behaviour, ScriptedBrowser};
use oauth_mock::{MockAuthServer, TokenFailure};
use poplar::oauth::{
    Authorization, Browser, Grant, OAuthError, OAuthProvider, authorize, needs_refresh, refresh,
    revoke, unix_now,
};
use poplar::pop3::Secret;

const WAIT: Duration = Duration::from_secs(20);

fn sign_in(mock: &MockAuthServer, browser: &ScriptedBrowser) -> Result<Grant, OAuthError> {
    authorize(
        &mock.provider(),
        None,
        browser,
        &AtomicBool::new(false),
        WAIT,
    )
}

fn text(id: &str) -> String {
    poplar::i18n::message(id, None)
}

#[test]
fn signing_in_through_the_browser_gives_an_access_and_a_refresh_token() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    let before = unix_now();
    let grant = sign_in(&mock, &browser).expect("signed in");

    let record = mock
        .access_record(grant.access_token.expose())
        .expect("the mock issued this access token");
    assert_eq!(record.user, oauth_mock::DEFAULT_USER);
    assert_eq!(grant.scope.as_deref(), Some("pop offline_access"));
    assert!(
        grant.refresh_token.is_some(),
        "a refresh token came with it"
    );
    assert!((before + 3600..=unix_now() + 3600).contains(&grant.expires_at));
    assert!(!needs_refresh(&grant, unix_now()));

    let state = mock.state();
    assert_eq!(state.pkce_verified, 1, "the mock checked the verifier");
    assert!(state.problems.is_empty(), "{:?}", state.problems);
    let form = &state.token_forms[0];
    let field = |name: &str| {
        form.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(field("grant_type"), Some("authorization_code"));
    assert_eq!(field("code_verifier").map(str::len), Some(43));
    drop(state);

    let log = browser.finished();
    assert!(log.errors.is_empty(), "{:?}", log.errors);
    assert_eq!(log.opened.len(), 1);
    let page = log.page.as_ref().expect("the browser got a page");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&text("oauth-page-signed-in-text")),
        "{}",
        page.body
    );
    let favicon = log.favicon.as_ref().expect("favicon asked");
    assert_eq!(favicon.status, 404, "stray requests are not the redirect");
    let shown = format!("{grant:?}");
    assert!(!shown.contains(grant.access_token.expose()), "{shown}");
}

#[test]
fn the_url_is_known_before_waiting_so_the_command_line_can_print_it() {
    let mock = MockAuthServer::start();
    let pending = Authorization::start(&mock.provider(), Some("user2")).expect("started");
    assert!(pending.url().starts_with(&mock.url("/authorize?")));
    assert!(pending.url().contains("login_hint=user2"));
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    browser.open(pending.url()).expect("opened");
    let grant = pending
        .finish(&AtomicBool::new(false), WAIT)
        .expect("signed in");
    let record = mock
        .access_record(grant.access_token.expose())
        .expect("issued");
    assert_eq!(record.user, "user2", "the login hint reached the provider");
}

#[test]
fn a_code_issued_for_another_challenge_is_refused_by_the_pkce_check() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::OtherChallenge);
    assert!(matches!(
        sign_in(&mock, &browser),
        Err(OAuthError::Revoked { .. })
    ));
    assert_eq!(mock.state().pkce_verified, 0);
    assert_eq!(
        mock.state().problems,
        vec!["token: code_verifier does not match".to_owned()]
    );
    let log = browser.finished();
    let page = log.page.as_ref().expect("a page");
    assert!(
        page.body.contains(&text("oauth-page-failed-heading")),
        "{}",
        page.body
    );
}

#[test]
fn clicking_deny_gives_denied_and_the_browser_is_told() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::Deny);
    assert_eq!(
        sign_in(&mock, &browser).map(|_| ()),
        Err(OAuthError::Denied {
            description: Some("The user declined".into())
        })
    );
    assert!(mock.state().token_forms.is_empty(), "no code was exchanged");
    let log = browser.finished();
    let page = log.page.as_ref().expect("a page");
    assert!(
        page.body.contains(&text("oauth-page-denied-text")),
        "{}",
        page.body
    );
}

#[test]
fn a_redirect_with_a_wrong_state_is_refused() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::WrongState);
    assert_eq!(
        sign_in(&mock, &browser).map(|_| ()),
        Err(OAuthError::StateMismatch)
    );
    assert!(mock.state().token_forms.is_empty(), "the code was not used");
    assert_eq!(
        browser.finished().page.as_ref().map(|p| p.status),
        Some(400)
    );
}

#[test]
fn a_browser_that_never_comes_back_times_out_quickly() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::Nothing);
    let started = Instant::now();
    let result = authorize(
        &mock.provider(),
        None,
        &browser,
        &AtomicBool::new(false),
        Duration::from_millis(300),
    );
    let took = started.elapsed();
    assert_eq!(result.map(|_| ()), Err(OAuthError::TimedOut));
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(browser.log().opened.len(), 1);
}

#[test]
fn cancelling_ends_the_wait_within_200_ms() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::Nothing);
    let cancel = AtomicBool::new(false);
    let (result, late) = thread::scope(|scope| {
        let waiting = scope.spawn(|| authorize(&mock.provider(), None, &browser, &cancel, WAIT));
        thread::sleep(Duration::from_millis(300));
        let set_at = Instant::now();
        cancel.store(true, Ordering::Relaxed);
        let result = waiting.join().expect("no panic");
        (result, set_at.elapsed())
    });
    assert_eq!(result.map(|_| ()), Err(OAuthError::Cancelled));
    assert!(
        late < Duration::from_millis(200),
        "took {late:?} after cancel"
    );
}

#[test]
fn a_refresh_rotates_the_refresh_token_and_the_old_one_is_then_refused() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    let first = sign_in(&mock, &browser).expect("signed in");
    let old = first.refresh_token.clone().expect("refresh token");

    let second = refresh(&mock.provider(), &old).expect("refreshed");
    let new = second.refresh_token.clone().expect("rotated");
    assert_ne!(new, old, "the refresh token was rotated");
    assert_ne!(second.access_token, first.access_token);
    assert!(mock.access_record(second.access_token.expose()).is_some());
    let form = mock.state().token_forms.last().cloned().expect("a request");
    assert!(form.contains(&("grant_type".into(), "refresh_token".into())));
    assert!(form.contains(&("scope".into(), "pop offline_access".into())));

    assert!(matches!(
        refresh(&mock.provider(), &old),
        Err(OAuthError::Revoked { .. })
    ));
    let third = refresh(&mock.provider(), &new).expect("the new one works");
    assert_ne!(third.refresh_token, Some(new));
}

#[test]
fn a_revoked_grant_can_no_longer_be_refreshed() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    let grant = sign_in(&mock, &browser).expect("signed in");
    let refresh_token = grant.refresh_token.expect("refresh token");
    assert_eq!(revoke(&mock.provider(), &refresh_token), Ok(true));
    assert_eq!(
        refresh(&mock.provider(), &refresh_token).map(|_| ()),
        Err(OAuthError::Revoked {
            description: Some("the grant was revoked".into())
        })
    );
    // Revoked at the provider's end (the user removed the app's access).
    let other = Secret::new(mock.issue_refresh_token("user1"));
    mock.revoke_all();
    assert!(matches!(
        refresh(&mock.provider(), &other),
        Err(OAuthError::Revoked { .. })
    ));
    let no_endpoint = OAuthProvider {
        revocation_url: None,
        ..mock.provider()
    };
    assert_eq!(revoke(&no_endpoint, &other), Ok(false));
}

#[test]
fn a_server_error_and_malformed_json_are_typed_errors() {
    let mock = MockAuthServer::start();
    let token = Secret::new(mock.issue_refresh_token("user1"));
    mock.fail_next_token(TokenFailure::Status500);
    assert_eq!(
        refresh(&mock.provider(), &token).map(|_| ()),
        Err(OAuthError::Server {
            status: Some(500),
            error: None,
            description: None
        })
    );
    mock.fail_next_token(TokenFailure::MalformedJson);
    assert!(matches!(
        refresh(&mock.provider(), &token),
        Err(OAuthError::Malformed(_))
    ));
    mock.fail_next_token(TokenFailure::Json(
        400,
        r#"{"error":"invalid_scope","error_description":"no POP for you"}"#.into(),
    ));
    assert_eq!(
        refresh(&mock.provider(), &token).map(|_| ()),
        Err(OAuthError::Server {
            status: Some(400),
            error: Some("invalid_scope".into()),
            description: Some("no POP for you".into())
        })
    );
    // The scripted answers did not use the refresh token up.
    assert!(refresh(&mock.provider(), &token).is_ok());
}

#[test]
fn a_failed_code_exchange_shows_the_browser_that_it_failed() {
    let mock = MockAuthServer::start();
    mock.fail_next_token(TokenFailure::Status500);
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    assert!(matches!(
        sign_in(&mock, &browser),
        Err(OAuthError::Server {
            status: Some(500),
            ..
        })
    ));
    let log = browser.finished();
    let page = log.page.as_ref().expect("a page");
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains(&text("oauth-page-failed-text")),
        "{}",
        page.body
    );
}

#[test]
fn a_client_secret_is_sent_when_the_provider_has_one() {
    let mock = MockAuthServer::start();
    mock.state().client_secret = Some("not-so-secret".into());
    let token = Secret::new(mock.issue_refresh_token("user1"));
    assert!(matches!(
        refresh(&mock.provider(), &token),
        Err(OAuthError::Server {
            status: Some(401),
            ..
        })
    ));
    let provider = mock.provider().with_client_secret("not-so-secret");
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    let grant = authorize(&provider, None, &browser, &AtomicBool::new(false), WAIT)
        .expect("signed in with the secret");
    assert!(refresh(&provider, &grant.refresh_token.expect("rt")).is_ok());
}

#[test]
fn a_short_lived_token_is_due_for_refresh_at_once() {
    let mock = MockAuthServer::start();
    mock.set_token_lifetime(120);
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    let grant = sign_in(&mock, &browser).expect("signed in");
    assert!(grant.expires_at <= unix_now() + 120);
    assert!(needs_refresh(&grant, unix_now()));
}

#[test]
fn plain_http_to_another_computer_is_refused_without_opening_a_browser() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    for (authorize_url, token_url) in [
        (
            mock.url("/authorize"),
            "http://login.example.com/token".to_owned(),
        ),
        (
            "http://login.example.com/authorize".to_owned(),
            mock.url("/token"),
        ),
    ] {
        let provider = OAuthProvider {
            authorize_url,
            token_url,
            ..mock.provider()
        };
        assert!(matches!(
            authorize(&provider, None, &browser, &AtomicBool::new(false), WAIT),
            Err(OAuthError::Insecure { url }) if url.starts_with("http://login.example.com/")
        ));
        if provider.token_url.starts_with("http://login.") {
            assert!(matches!(
                refresh(&provider, &Secret::new("rt")),
                Err(OAuthError::Insecure { .. })
            ));
        }
    }
    assert!(browser.log().opened.is_empty());
    assert!(mock.state().requests.is_empty());
}

#[test]
fn no_client_id_fails_at_once_without_opening_a_browser() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::Allow);
    let provider = OAuthProvider {
        client_id: None,
        ..mock.provider()
    };
    let started = Instant::now();
    assert_eq!(
        authorize(&provider, None, &browser, &AtomicBool::new(false), WAIT).map(|_| ()),
        Err(OAuthError::NoClientId)
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(browser.log().opened.is_empty());
    assert!(mock.state().requests.is_empty());
}

#[test]
fn a_browser_that_cannot_start_is_reported_at_once() {
    let mock = MockAuthServer::start();
    let browser = ScriptedBrowser::new(Behaviour::Broken);
    assert_eq!(
        sign_in(&mock, &browser).map(|_| ()),
        Err(OAuthError::Browser(
            "no browser on this test machine".into()
        ))
    );
}

#[test]
fn an_unreachable_token_endpoint_is_a_network_error() {
    let mock = MockAuthServer::start();
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let provider = OAuthProvider {
        token_url: format!("http://127.0.0.1:{port}/token"),
        ..mock.provider()
    };
    assert!(matches!(
        refresh(&provider, &Secret::new("rt")),
        Err(OAuthError::Network(why)) if why.contains("127.0.0.1")
    ));
}

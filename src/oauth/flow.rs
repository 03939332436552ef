//! The sign-in (authorization code with PKCE through the loopback redirect), the refresh,
//! and the revocation.
//!
//! ```no_run
//! use std::sync::atomic::AtomicBool;
//! use poplar::oauth::{Authorization, OAuthProvider, SystemBrowser, Browser, DEFAULT_SIGN_IN_TIMEOUT};
//!
//! let provider = OAuthProvider::microsoft().with_client_id("…");
//! let pending = Authorization::start(&provider, Some("someone@outlook.com"))?;
//! eprintln!("Open {} to sign in", pending.url());
//! let _ = SystemBrowser.open(pending.url());
//! let grant = pending.finish(&AtomicBool::new(false), DEFAULT_SIGN_IN_TIMEOUT)?;
//! # Ok::<(), poplar::oauth::OAuthError>(())
//! ```

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::browser::Browser;
use super::http::{HttpUrl, post_form};
use super::loopback::{Loopback, POLL, Page};
use super::pkce::{Pkce, new_state};
use super::provider::OAuthProvider;
use super::token::{Grant, read_token_response, unix_now};
use super::{OAuthError, form};
use crate::pop3::Secret;

/// How long a sign-in waits for the browser by default: 10 minutes, time enough for a
/// second factor, a forgotten password and a text message.
pub const DEFAULT_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(600);

/// How long a token endpoint may take to connect, and then to answer.
pub const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// Parameters the authorization URL sets itself, which a provider's extras cannot change.
const OWN_PARAMS: [&str; 8] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "login_hint",
];

/// A sign-in under way: the listener is up and the URL is known, the browser has not come
/// back yet. [`Authorization::url`] is what to open (the command line prints it);
/// [`Authorization::finish`] waits for the redirect and exchanges the code.
#[derive(Debug)]
pub struct Authorization {
    provider: OAuthProvider,
    client_id: String,
    loopback: Loopback,
    pkce: Pkce,
    state: String,
    url: String,
}

impl Authorization {
    /// Checks the provider (a client id, https endpoints), listens on a loopback port, and
    /// makes a PKCE verifier, a `state` and the authorization URL. `login_hint` (the address
    /// being added) spares the user typing it again.
    pub fn start(provider: &OAuthProvider, login_hint: Option<&str>) -> Result<Self, OAuthError> {
        let client_id = provider
            .client_id()
            .ok_or(OAuthError::NoClientId)?
            .to_owned();
        HttpUrl::parse(&provider.authorize_url)?;
        HttpUrl::parse(&provider.token_url)?;
        let loopback = Loopback::bind()?;
        let pkce = Pkce::generate()?;
        let state = new_state()?;
        let url = authorization_url(
            provider,
            &client_id,
            &loopback.redirect_uri(),
            pkce.challenge(),
            &state,
            login_hint,
        );
        tracing::debug!(target: "poplar::oauth", "sign-in with {} started", provider.id);
        Ok(Self {
            provider: provider.clone(),
            client_id,
            loopback,
            pkce,
            state,
            url,
        })
    }

    /// The URL to open in the browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The redirect URI given to the provider: `http://127.0.0.1:<port>/`.
    pub fn redirect_uri(&self) -> String {
        self.loopback.redirect_uri()
    }

    /// Waits up to `timeout` for the browser to come back, then exchanges the code for
    /// tokens, and shows the browser a page saying whether it worked. Setting `cancel` ends
    /// it within about 100 ms ([`OAuthError::Cancelled`]), also during the exchange.
    pub fn finish(self, cancel: &AtomicBool, timeout: Duration) -> Result<Grant, OAuthError> {
        let callback = self.loopback.wait(&self.state, cancel, timeout)?;
        let redirect_uri = self.loopback.redirect_uri();
        let mut fields = vec![
            ("grant_type", "authorization_code"),
            ("code", callback.code().expose()),
            ("redirect_uri", redirect_uri.as_str()),
            ("client_id", self.client_id.as_str()),
            ("code_verifier", self.pkce.verifier().expose()),
        ];
        if let Some(secret) = self.provider.client_secret() {
            fields.push(("client_secret", secret));
        }
        let requested_at = unix_now();
        let result = smol::block_on(until_cancelled(cancel, async {
            let response = post_form(&self.provider.token_url, &fields, TOKEN_TIMEOUT).await?;
            read_token_response(&response, requested_at, None)
        }));
        callback.answer(if result.is_ok() {
            Page::SignedIn
        } else {
            Page::Failed
        });
        match &result {
            Ok(_) => {
                tracing::debug!(target: "poplar::oauth", "signed in with {}", self.provider.id)
            }
            Err(err) => {
                tracing::debug!(target: "poplar::oauth", "sign-in with {} failed: {err}", self.provider.id)
            }
        }
        result
    }
}

/// Signs in: starts an [`Authorization`], opens its URL with `browser`, and waits for it to
/// [`finish`](Authorization::finish). Without a client id it fails with
/// [`OAuthError::NoClientId`] before anything is opened; a browser that cannot be started
/// is [`OAuthError::Browser`]. Blocks: run it on a thread of its own.
pub fn authorize(
    provider: &OAuthProvider,
    login_hint: Option<&str>,
    browser: &dyn Browser,
    cancel: &AtomicBool,
    timeout: Duration,
) -> Result<Grant, OAuthError> {
    let pending = Authorization::start(provider, login_hint)?;
    browser.open(pending.url()).map_err(OAuthError::Browser)?;
    pending.finish(cancel, timeout)
}

/// The authorization URL (RFC 6749 §4.1.1 with RFC 7636's challenge): the provider's
/// endpoint with `response_type=code`, the client id, the redirect URI, the scopes, the
/// state, the S256 challenge, the login hint, then the provider's extra parameters.
pub fn authorization_url(
    provider: &OAuthProvider,
    client_id: &str,
    redirect_uri: &str,
    challenge: &str,
    state: &str,
    login_hint: Option<&str>,
) -> String {
    let scope = provider.scope();
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", scope.as_str()),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ];
    if let Some(hint) = login_hint.map(str::trim).filter(|h| !h.is_empty()) {
        pairs.push(("login_hint", hint));
    }
    for (name, value) in &provider.extra_authorize_params {
        if !OWN_PARAMS.contains(&name.as_str()) {
            pairs.push((name.as_str(), value.as_str()));
        }
    }
    let separator = if provider.authorize_url.contains('?') {
        '&'
    } else {
        '?'
    };
    format!(
        "{}{separator}{}",
        provider.authorize_url,
        form::encode_pairs(pairs)
    )
}

/// Gets a new access token with `refresh_token` (RFC 6749 §6). The grant holds the new
/// refresh token when the provider rotated it (store it: the old one is then refused), else
/// the one given. A refresh token the provider no longer accepts is
/// [`OAuthError::Revoked`]: the user must sign in again. Blocks: run it on a thread of its
/// own (or use [`refresh_async`]).
pub fn refresh(provider: &OAuthProvider, refresh_token: &Secret) -> Result<Grant, OAuthError> {
    smol::block_on(refresh_async(provider, refresh_token))
}

/// [`refresh`] for code on an async executor.
pub async fn refresh_async(
    provider: &OAuthProvider,
    refresh_token: &Secret,
) -> Result<Grant, OAuthError> {
    let client_id = provider.client_id().ok_or(OAuthError::NoClientId)?;
    if refresh_token.expose().is_empty() {
        return Err(OAuthError::Revoked { description: None });
    }
    let scope = provider.scope();
    let mut fields = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose()),
        ("client_id", client_id),
    ];
    if !scope.is_empty() {
        fields.push(("scope", scope.as_str()));
    }
    if let Some(secret) = provider.client_secret() {
        fields.push(("client_secret", secret));
    }
    let requested_at = unix_now();
    let response = post_form(&provider.token_url, &fields, TOKEN_TIMEOUT).await?;
    let grant = read_token_response(&response, requested_at, Some(refresh_token));
    match &grant {
        Ok(_) => tracing::debug!(target: "poplar::oauth", "token refreshed with {}", provider.id),
        Err(err) => {
            tracing::debug!(target: "poplar::oauth", "refresh with {} failed: {err}", provider.id)
        }
    }
    grant
}

/// Tells the provider to revoke `token` (RFC 7009), a refresh token with the grant it
/// belongs to: for when an account is removed. `Ok(false)` when the provider has no
/// revocation endpoint (Microsoft), `Ok(true)` when it answered 200 (which it also does for
/// a token it did not know). Blocks.
pub fn revoke(provider: &OAuthProvider, token: &Secret) -> Result<bool, OAuthError> {
    let Some(url) = &provider.revocation_url else {
        return Ok(false);
    };
    let mut fields = vec![
        ("token", token.expose()),
        ("token_type_hint", "refresh_token"),
    ];
    if let Some(client_id) = provider.client_id() {
        fields.push(("client_id", client_id));
    }
    if let Some(secret) = provider.client_secret() {
        fields.push(("client_secret", secret));
    }
    let response = smol::block_on(post_form(url, &fields, TOKEN_TIMEOUT))?;
    if response.status == 200 {
        return Ok(true);
    }
    // An error answer has the token endpoint's form (RFC 7009 §2.2.1).
    match read_token_response(&response, 0, None) {
        Err(err) => Err(err),
        Ok(_) => Ok(true),
    }
}

/// Runs `work` until it ends or `cancel` is set (looked at every [`POLL`]).
async fn until_cancelled<T>(
    cancel: &AtomicBool,
    work: impl Future<Output = Result<T, OAuthError>>,
) -> Result<T, OAuthError> {
    smol::future::or(work, async {
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(OAuthError::Cancelled);
            }
            smol::Timer::after(POLL).await;
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> OAuthProvider {
        let mut provider = OAuthProvider::custom(
            "test",
            "https://auth.example.com/authorize?tenant=t1",
            "https://auth.example.com/token",
            ["mail", "offline_access"],
        );
        provider.extra_authorize_params = vec![
            ("prompt".into(), "consent".into()),
            ("client_id".into(), "evil".into()),
        ];
        provider
    }

    #[test]
    fn the_authorization_url_carries_the_challenge_state_and_loopback_redirect() {
        let url = authorization_url(
            &provider(),
            "cid",
            "http://127.0.0.1:5555/",
            "CHAL",
            "ST",
            Some(" me@example.com "),
        );
        let (base, query) = url.split_once("?tenant=t1&").expect("the tenant stays");
        assert_eq!(base, "https://auth.example.com/authorize");
        let pairs = form::parse(query).expect("decodes");
        let get = |name| form::get(&pairs, name);
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("client_id"), Some("cid"));
        assert_eq!(get("redirect_uri"), Some("http://127.0.0.1:5555/"));
        assert_eq!(get("scope"), Some("mail offline_access"));
        assert_eq!(get("state"), Some("ST"));
        assert_eq!(get("code_challenge"), Some("CHAL"));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("login_hint"), Some("me@example.com"));
        assert_eq!(get("prompt"), Some("consent"));
        assert_eq!(
            pairs.iter().filter(|(n, _)| n == "client_id").count(),
            1,
            "an extra parameter cannot replace the client id"
        );
    }

    #[test]
    fn no_client_id_stops_the_sign_in_before_anything_listens() {
        let no_id = provider();
        assert!(matches!(
            Authorization::start(&no_id, None),
            Err(OAuthError::NoClientId)
        ));
        assert!(matches!(
            refresh(&no_id, &Secret::new("rt")),
            Err(OAuthError::NoClientId)
        ));
    }

    #[test]
    fn a_plain_http_endpoint_on_another_host_is_refused_before_anything_listens() {
        let mut insecure = provider().with_client_id("cid");
        insecure.token_url = "http://auth.example.com/token".into();
        assert_eq!(
            Authorization::start(&insecure, None).map(|_| ()),
            Err(OAuthError::Insecure {
                url: "http://auth.example.com/token".into()
            })
        );
    }

    #[test]
    fn a_started_sign_in_has_its_own_url_and_redirect() {
        let started = Authorization::start(&provider().with_client_id("cid"), None).expect("ok");
        assert!(
            started
                .url()
                .contains(&form::encode(&started.redirect_uri()))
        );
        assert!(!format!("{started:?}").contains(started.pkce.verifier().expose()));
        let cancel = AtomicBool::new(true);
        assert_eq!(
            started.finish(&cancel, Duration::from_secs(5)).map(|_| ()),
            Err(OAuthError::Cancelled)
        );
    }
}

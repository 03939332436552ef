//! An OAuth account's grant: signed in through the browser, kept in the keyring (never in
//! the store, a config file or a log), refreshed before it expires, and saved again at once
//! when the provider rotates the refresh token.
//!
//! The keyring entry ([`oauth_key`]) holds the grant as a small JSON object, with the
//! client secret the user gave (Google gives one even to desktop programs) so that a refresh
//! can send it.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::SyncError;
use super::secrets::{SecretError, Secrets, oauth_key};
use crate::account::AccountSettings;
use crate::oauth::{Authorization, Browser, Grant, OAuthError, OAuthProvider, unix_now};
use crate::pop3::Secret;

/// A grant as the keyring holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGrant {
    /// The tokens and the access token's expiry.
    pub grant: Grant,
    /// The user's client secret for their own client id, if they gave one.
    pub client_secret: Option<Secret>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

impl StoredGrant {
    fn encode(&self) -> Secret {
        let entry = Entry {
            access_token: self.grant.access_token.expose().to_owned(),
            refresh_token: self
                .grant
                .refresh_token
                .as_ref()
                .map(|t| t.expose().to_owned()),
            expires_at: self.grant.expires_at,
            scope: self.grant.scope.clone(),
            client_secret: self.client_secret.as_ref().map(|s| s.expose().to_owned()),
        };
        // Serializing strings and numbers cannot fail.
        Secret::new(serde_json::to_string(&entry).unwrap_or_default())
    }

    fn decode(secret: &Secret) -> Option<Self> {
        let entry: Entry = serde_json::from_str(secret.expose()).ok()?;
        Some(Self {
            grant: Grant {
                access_token: Secret::new(entry.access_token),
                refresh_token: entry.refresh_token.map(Secret::new),
                expires_at: entry.expires_at,
                scope: entry.scope,
            },
            client_secret: entry.client_secret.map(Secret::new),
        })
    }

    /// The provider to refresh with: the account's, with the kept client secret.
    fn provider_for(&self, account: &AccountSettings) -> Result<OAuthProvider, OAuthError> {
        let provider = provider_of(account)?;
        Ok(match &self.client_secret {
            Some(secret) => provider.with_client_secret(secret.expose()),
            None => provider,
        })
    }
}

/// Where a grant was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// In the keyring: it outlives Poplar.
    Keyring,
    /// There is no keyring: in memory until Poplar quits (the user signs in again then).
    Session,
}

/// The account's provider, from its settings.
pub fn provider_of(account: &AccountSettings) -> Result<OAuthProvider, OAuthError> {
    account
        .oauth
        .as_ref()
        .ok_or_else(|| OAuthError::Malformed("the account has no OAuth provider".into()))?
        .provider()
}

/// Whether the account signs in with a provider Poplar talks to itself (rather than taking
/// an access token from its password source).
pub fn signs_in_itself(account: &AccountSettings) -> bool {
    account.auth.takes_token() && account.oauth.is_some()
}

/// The account's grant from the keyring; `None` when it never signed in (or the entry is not
/// one Poplar can read, which also means "sign in again").
pub fn load(
    secrets: &dyn Secrets,
    account: &AccountSettings,
) -> Result<Option<StoredGrant>, SecretError> {
    Ok(secrets
        .secret(&oauth_key(account))?
        .as_ref()
        .and_then(StoredGrant::decode))
}

/// Keeps the grant: in the keyring, or for this session when there is none.
pub fn save(
    secrets: &dyn Secrets,
    account: &AccountSettings,
    grant: &StoredGrant,
) -> Result<Kept, SecretError> {
    let key = oauth_key(account);
    let encoded = grant.encode();
    match secrets.store_secret(&key, &encoded) {
        Ok(()) => Ok(Kept::Keyring),
        Err(err) if err.no_keyring => {
            secrets.remember_secret_for_session(&key, &encoded)?;
            Ok(Kept::Session)
        }
        Err(err) => Err(err),
    }
}

/// Forgets the account's grant (when the account is removed or signs out).
pub fn forget(secrets: &dyn Secrets, account: &AccountSettings) -> Result<(), SecretError> {
    secrets.forget_secret(&oauth_key(account))
}

/// For a removed account: asks the provider to withdraw the grant where it has a revocation
/// endpoint (RFC 7009; Google has one, Microsoft none), then forgets it in the keyring. The
/// grant is forgotten even when the provider cannot be reached; that error is returned for
/// the caller to mention. Blocks (network): never on the UI or the store's thread.
pub fn revoke_and_forget(
    secrets: &dyn Secrets,
    account: &AccountSettings,
) -> Result<(), RevokeError> {
    let revoked = match load(secrets, account) {
        Ok(Some(stored)) => match &stored.grant.refresh_token {
            Some(token) => stored
                .provider_for(account)
                .and_then(|provider| crate::oauth::revoke(&provider, token))
                .map(drop)
                .map_err(RevokeError::Provider),
            None => Ok(()),
        },
        Ok(None) => Ok(()),
        Err(err) => Err(RevokeError::Keyring(err)),
    };
    forget(secrets, account).map_err(RevokeError::Keyring)?;
    revoked
}

/// Why a removed account's grant could not be withdrawn everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeError {
    /// The provider was not told (it is still listed among the user's apps there).
    Provider(OAuthError),
    /// The keyring entry could not be read or removed.
    Keyring(SecretError),
}

/// What a sign-in reports while it waits for the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInStep {
    /// The address the browser is sent to; show it, so a person can open it by hand.
    Url(String),
    /// The browser could not be started (the launcher's words): open the address by hand.
    BrowserFailed(String),
}

/// Signs the account in: opens the provider's page in `browser`, waits up to `timeout` for
/// the browser to come back (or `cancel`), exchanges the code and keeps the grant in the
/// keyring. `client_secret` is the user's own, for their own client id. Blocks: run it on a
/// thread of its own, never the UI thread.
pub fn sign_in(
    secrets: &dyn Secrets,
    account: &AccountSettings,
    client_secret: Option<Secret>,
    browser: &dyn Browser,
    cancel: &AtomicBool,
    timeout: Duration,
    on_step: &mut dyn FnMut(SignInStep),
) -> Result<Kept, SignInError> {
    let mut provider = provider_of(account)?;
    if let Some(secret) = &client_secret {
        provider = provider.with_client_secret(secret.expose());
    }
    let hint = Some(account.email.as_str()).filter(|e| !e.trim().is_empty());
    let pending = Authorization::start(&provider, hint)?;
    on_step(SignInStep::Url(pending.url().to_owned()));
    if let Err(why) = browser.open(pending.url()) {
        on_step(SignInStep::BrowserFailed(why));
    }
    let grant = pending.finish(cancel, timeout)?;
    if grant.refresh_token.is_none() {
        tracing::warn!(
            target: "poplar::oauth",
            "{} gave no refresh token: {} must sign in again within the hour",
            provider.id,
            account.name
        );
    }
    let stored = StoredGrant {
        grant,
        client_secret,
    };
    Ok(save(secrets, account, &stored)?)
}

/// Why a sign-in did not end with a kept grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    /// The provider or the browser side failed.
    OAuth(OAuthError),
    /// The grant came, but could not be kept.
    Keyring(SecretError),
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::OAuth(err) => err.fmt(f),
            Self::Keyring(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for SignInError {}

impl From<OAuthError> for SignInError {
    fn from(err: OAuthError) -> Self {
        Self::OAuth(err)
    }
}

impl From<SecretError> for SignInError {
    fn from(err: SecretError) -> Self {
        Self::Keyring(err)
    }
}

/// The access token to log in with: the kept one while it is fresh, else (or with
/// `force_refresh`, after the server refused it) a refreshed one, whose grant is saved
/// before it is used so that a rotated refresh token is never lost.
pub async fn access_token(
    secrets: Arc<dyn Secrets>,
    account: &AccountSettings,
    force_refresh: bool,
) -> Result<Secret, SyncError> {
    let for_load = Arc::clone(&secrets);
    let settings = account.clone();
    let stored = smol::unblock(move || load(&*for_load, &settings)).await?;
    let Some(stored) = stored else {
        return Err(SyncError::not_signed_in(&account.name));
    };
    if !force_refresh && !stored.grant.needs_refresh(unix_now()) {
        return Ok(stored.grant.access_token);
    }
    let Some(refresh_token) = stored.grant.refresh_token.clone() else {
        return Err(OAuthError::Revoked { description: None }.into());
    };
    let provider = stored.provider_for(account)?;
    let grant = crate::oauth::refresh_async(&provider, &refresh_token).await?;
    let token = grant.access_token.clone();
    let renewed = StoredGrant {
        grant,
        client_secret: stored.client_secret,
    };
    let settings = account.clone();
    smol::unblock(move || save(&*secrets, &settings, &renewed)).await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::OAuthSettings;
    use crate::sync::MemorySecrets;

    fn account() -> AccountSettings {
        let mut settings = AccountSettings::new("O", "o@example.de", "pop.example.de", "o");
        settings.auth = crate::pop3::AuthMethod::OAuth2;
        settings.oauth = Some(OAuthSettings::preset("microsoft"));
        settings
    }

    fn grant(expires_at: i64) -> StoredGrant {
        StoredGrant {
            grant: Grant {
                access_token: Secret::new("access-1"),
                refresh_token: Some(Secret::new("refresh-1")),
                expires_at,
                scope: Some("pop".into()),
            },
            client_secret: Some(Secret::new("client-secret")),
        }
    }

    #[test]
    fn a_grant_round_trips_through_the_keyring_under_its_own_key() {
        let secrets = MemorySecrets::new();
        let account = account();
        assert_eq!(load(&secrets, &account).expect("load"), None);
        let kept = save(&secrets, &account, &grant(1_000)).expect("save");
        assert_eq!(kept, Kept::Keyring);
        assert_eq!(load(&secrets, &account).expect("load"), Some(grant(1_000)));
        // The password's entry is another one.
        assert!(secrets.password(&account).is_err());
        forget(&secrets, &account).expect("forget");
        assert_eq!(load(&secrets, &account).expect("load"), None);
    }

    #[test]
    fn without_a_keyring_the_grant_is_kept_for_the_session() {
        let secrets = MemorySecrets::without_keyring();
        let kept = save(&secrets, &account(), &grant(1_000)).expect("save");
        assert_eq!(kept, Kept::Session);
        assert!(load(&secrets, &account()).expect("load").is_some());
    }

    #[test]
    fn an_entry_poplar_cannot_read_means_sign_in_again() {
        let secrets = MemorySecrets::new();
        secrets
            .store_secret(&oauth_key(&account()), &Secret::new("not json"))
            .expect("store");
        assert_eq!(load(&secrets, &account()).expect("load"), None);
    }

    #[test]
    fn a_fresh_token_is_used_as_kept_and_a_missing_grant_asks_to_sign_in() {
        let secrets: Arc<dyn Secrets> = Arc::new(MemorySecrets::new());
        let account = account();
        let err = smol::block_on(access_token(Arc::clone(&secrets), &account, false))
            .expect_err("not signed in");
        assert_eq!(err.kind(), crate::sync::SyncErrorKind::SignIn);
        assert!(err.needs_user());
        save(&*secrets, &account, &grant(unix_now() + 3600)).expect("save");
        let token =
            smol::block_on(access_token(Arc::clone(&secrets), &account, false)).expect("fresh");
        assert_eq!(token.expose(), "access-1");
    }

    #[test]
    fn an_expired_grant_without_a_refresh_token_is_revoked() {
        let secrets: Arc<dyn Secrets> = Arc::new(MemorySecrets::new());
        let mut stale = grant(0);
        stale.grant.refresh_token = None;
        save(&*secrets, &account(), &stale).expect("save");
        let err = smol::block_on(access_token(secrets, &account(), false)).expect_err("stale");
        assert!(matches!(
            err.facts().oauth.as_deref(),
            Some(OAuthError::Revoked { .. })
        ));
        assert!(err.needs_user());
    }

    #[test]
    fn a_removed_accounts_grant_is_forgotten_even_when_the_provider_cannot_be_told() {
        // Microsoft has no revocation endpoint: nothing to tell, the entry goes.
        let secrets = MemorySecrets::new();
        save(&secrets, &account(), &grant(1_000)).expect("save");
        revoke_and_forget(&secrets, &account()).expect("forgotten");
        assert_eq!(load(&secrets, &account()).expect("load"), None);

        // A provider that cannot be reached: the error says so, the entry goes anyway.
        let mut custom = account();
        custom.oauth = Some(OAuthSettings {
            provider: "custom".into(),
            client_id: Some("id".into()),
            authorize_url: Some("http://127.0.0.1:9/authorize".into()),
            token_url: Some("http://127.0.0.1:9/token".into()),
            scopes: None,
            revocation_url: Some("http://127.0.0.1:9/revoke".into()),
        });
        save(&secrets, &custom, &grant(1_000)).expect("save");
        let err = revoke_and_forget(&secrets, &custom).expect_err("unreachable");
        assert!(matches!(err, RevokeError::Provider(_)), "{err:?}");
        assert_eq!(load(&secrets, &custom).expect("load"), None);
    }

    #[test]
    fn the_keyring_entry_is_json_and_nothing_prints_a_token() {
        let encoded = grant(5).encode();
        let value: serde_json::Value = serde_json::from_str(encoded.expose()).expect("json");
        assert_eq!(value["refresh_token"], "refresh-1");
        let shown = format!("{:?}", grant(5));
        assert!(
            !shown.contains("access-1") && !shown.contains("refresh-1"),
            "{shown}"
        );
    }
}

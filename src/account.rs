//! Account settings: everything about an account except its password, as plain data.
//!
//! The store persists these, the sync engine acts on them, the command line and the accounts
//! dialog edit them. The password lives only in the OS keyring or comes from a command.

use std::path::PathBuf;

use crate::oauth::{OAuthError, OAuthProvider};
use crate::pop3::{AuthMethod, Security};

/// What happens to messages on the server after Poplar has downloaded them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServerPolicy {
    /// Leave every message on the server for ever.
    #[default]
    Keep,
    /// Delete a message on the server this many days after it was first seen there.
    DeleteAfterDays(u32),
    /// Delete a message on the server as soon as it is safely stored here.
    DeleteAfterDownload,
}

/// What the first check of a new account downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FirstSync {
    /// Every message on the server.
    #[default]
    All,
    /// Nothing already there: only mail arriving from now on.
    NewOnly,
    /// Messages dated within the last this many days.
    LastDays(u32),
}

/// Where the password comes from. It is never stored by Poplar itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PasswordSource {
    /// The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager).
    #[default]
    Keyring,
    /// A command whose standard output is the password (like mpop's `passwordeval`).
    Command(String),
}

/// Which OAuth 2.0 provider signs an account in, and as which registered program. The grant
/// itself (the refresh and access tokens) lives only in the keyring.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OAuthSettings {
    /// `microsoft`, `google` (the presets) or `custom`.
    pub provider: String,
    /// The user's own client id; `None` takes the one this build was made with.
    pub client_id: Option<String>,
    /// A custom provider's authorization endpoint.
    pub authorize_url: Option<String>,
    /// A custom provider's token endpoint.
    pub token_url: Option<String>,
    /// A custom provider's scopes, separated by spaces.
    pub scopes: Option<String>,
    /// A custom provider's revocation endpoint (RFC 7009), told when the account is removed.
    pub revocation_url: Option<String>,
}

/// The text trimmed, or `None` when nothing is left: an optional field as typed.
pub fn nonblank(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl OAuthSettings {
    /// A preset's settings with the build's client id.
    pub fn preset(provider: &str) -> Self {
        Self {
            provider: provider.to_owned(),
            ..Self::default()
        }
    }

    /// The provider these settings describe. A custom one needs both endpoints.
    pub fn provider(&self) -> Result<OAuthProvider, OAuthError> {
        let provider = match OAuthProvider::preset(&self.provider) {
            Some(preset) => preset,
            None => {
                let (Some(authorize), Some(token)) =
                    (nonblank(&self.authorize_url), nonblank(&self.token_url))
                else {
                    return Err(OAuthError::Malformed(
                        "a custom OAuth provider needs its authorization and token endpoints"
                            .into(),
                    ));
                };
                // Plain http only to this computer: codes and tokens must not cross a network
                // unencrypted.
                crate::oauth::http::HttpUrl::parse(&authorize)?;
                crate::oauth::http::HttpUrl::parse(&token)?;
                let scopes = nonblank(&self.scopes).unwrap_or_default();
                let provider = OAuthProvider::custom(
                    self.provider.clone(),
                    authorize,
                    token,
                    scopes.split_whitespace().map(str::to_owned),
                );
                match nonblank(&self.revocation_url) {
                    Some(url) => {
                        crate::oauth::http::HttpUrl::parse(&url)?;
                        provider.with_revocation_url(url)
                    }
                    None => provider,
                }
            }
        };
        Ok(match nonblank(&self.client_id) {
            Some(id) => provider.with_client_id(id),
            None => provider,
        })
    }
}

/// Every setting of an account except the password.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountSettings {
    /// A unique name the user picks, e.g. "GMX".
    pub name: String,
    /// The account's email address.
    pub email: String,
    /// The POP3 server host.
    pub host: String,
    /// The POP3 server port.
    pub port: u16,
    /// TLS, STARTTLS or none.
    pub security: Security,
    /// The user name for login.
    pub username: String,
    /// How to authenticate.
    pub auth: AuthMethod,
    /// An extra CA certificate file to trust.
    pub ca_file: Option<PathBuf>,
    /// A pinned certificate's SHA-256.
    pub pin_sha256: Option<[u8; 32]>,
    /// Check this account when Poplar starts.
    pub check_on_start: bool,
    /// Minutes between automatic checks.
    pub interval_minutes: u32,
    /// What to do with messages on the server.
    pub server_policy: ServerPolicy,
    /// Delete a message on the server when it is deleted here for good.
    pub delete_when_deleted_locally: bool,
    /// Messages larger than this many KiB are fetched as headers only.
    pub size_limit_kb: Option<u32>,
    /// What the first check downloads.
    pub first_sync: FirstSync,
    /// Where the password comes from.
    pub password_source: PasswordSource,
    /// QUIT and reconnect after this many messages, so deletions take effect during a long
    /// first sync.
    pub reconnect_every: Option<u32>,
    /// For OAuth sign-in ([`AuthMethod::takes_token`]): the provider. `None` with a token
    /// method means the password source gives the access token (an outside helper).
    pub oauth: Option<OAuthSettings>,
    /// The junk filter: the provider's spam marks and the filter trained on the user's marks.
    pub junk: crate::junk::JunkSettings,
}

impl AccountSettings {
    /// Settings with Poplar's defaults: implicit TLS on 995, automatic authentication, check on
    /// start and every 10 minutes, keep mail on the server, download everything.
    pub fn new(
        name: impl Into<String>,
        email: impl Into<String>,
        host: impl Into<String>,
        username: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            email: email.into(),
            host: host.into(),
            port: Security::Tls.default_port(),
            security: Security::Tls,
            username: username.into(),
            auth: AuthMethod::Automatic,
            ca_file: None,
            pin_sha256: None,
            check_on_start: true,
            interval_minutes: 10,
            server_policy: ServerPolicy::Keep,
            delete_when_deleted_locally: false,
            size_limit_kb: None,
            first_sync: FirstSync::All,
            password_source: PasswordSource::Keyring,
            reconnect_every: None,
            oauth: None,
            junk: crate::junk::JunkSettings::default(),
        }
    }
}

/// Text names of the enums, as the store and the command line write them.
pub mod names {
    use super::*;

    /// `tls`, `starttls` or `none`.
    pub fn security(security: Security) -> &'static str {
        match security {
            Security::Tls => "tls",
            Security::StartTls => "starttls",
            Security::None => "none",
        }
    }

    /// The inverse of [`security`].
    pub fn parse_security(text: &str) -> Option<Security> {
        match text {
            "tls" => Some(Security::Tls),
            "starttls" => Some(Security::StartTls),
            "none" => Some(Security::None),
            _ => None,
        }
    }

    /// `auto`, `user`, `plain`, `login`, `cram-md5`, `apop`, `xoauth2`, `oauthbearer`,
    /// `scram-sha-256`.
    pub fn auth(auth: AuthMethod) -> &'static str {
        match auth {
            AuthMethod::Automatic => "auto",
            AuthMethod::UserPass => "user",
            AuthMethod::Plain => "plain",
            AuthMethod::Login => "login",
            AuthMethod::CramMd5 => "cram-md5",
            AuthMethod::Apop => "apop",
            AuthMethod::XOAuth2 => "xoauth2",
            AuthMethod::OAuthBearer => "oauthbearer",
            AuthMethod::ScramSha256 => "scram-sha-256",
            AuthMethod::OAuth2 => "oauth2",
        }
    }

    /// The inverse of [`auth`].
    pub fn parse_auth(text: &str) -> Option<AuthMethod> {
        Some(match text {
            "auto" => AuthMethod::Automatic,
            "user" => AuthMethod::UserPass,
            "plain" => AuthMethod::Plain,
            "login" => AuthMethod::Login,
            "cram-md5" => AuthMethod::CramMd5,
            "apop" => AuthMethod::Apop,
            "xoauth2" => AuthMethod::XOAuth2,
            "oauthbearer" => AuthMethod::OAuthBearer,
            "scram-sha-256" => AuthMethod::ScramSha256,
            "oauth2" => AuthMethod::OAuth2,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_enum_name_round_trips() {
        for security in [Security::Tls, Security::StartTls, Security::None] {
            assert_eq!(
                names::parse_security(names::security(security)),
                Some(security)
            );
        }
        for auth in [
            AuthMethod::Automatic,
            AuthMethod::UserPass,
            AuthMethod::Plain,
            AuthMethod::Login,
            AuthMethod::CramMd5,
            AuthMethod::Apop,
            AuthMethod::XOAuth2,
            AuthMethod::OAuthBearer,
            AuthMethod::ScramSha256,
            AuthMethod::OAuth2,
        ] {
            assert_eq!(names::parse_auth(names::auth(auth)), Some(auth));
        }
        assert_eq!(names::parse_auth("kerberos"), None);
    }
}

//! [`OAuthProvider`]: who signs the user in, and as which program.
//!
//! Poplar ships no client id of its own in the source, and never borrows another program's:
//! a build registers its own and passes it in at compile time
//! (`POPLAR_MICROSOFT_CLIENT_ID`, `POPLAR_GOOGLE_CLIENT_ID` and `POPLAR_GOOGLE_CLIENT_SECRET`),
//! and a user can give theirs instead. Without one, a sign-in stops at once with
//! [`OAuthError::NoClientId`](super::OAuthError::NoClientId).

/// The client id for Microsoft accounts this build was made with, if any.
pub const MICROSOFT_CLIENT_ID: Option<&str> = option_env!("POPLAR_MICROSOFT_CLIENT_ID");
/// The client id for Google accounts this build was made with, if any.
pub const GOOGLE_CLIENT_ID: Option<&str> = option_env!("POPLAR_GOOGLE_CLIENT_ID");
/// The "client secret" of that Google desktop client, if any. Google gives desktop clients
/// one but says it is not a secret (anyone can read it from the program).
pub const GOOGLE_CLIENT_SECRET: Option<&str> = option_env!("POPLAR_GOOGLE_CLIENT_SECRET");

/// An OAuth 2.0 authorization server and this program's registration there.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthProvider {
    /// A short stable name: `"microsoft"`, `"google"`, or the caller's for a custom one.
    pub id: String,
    /// The authorization endpoint, opened in the browser (https, or http on loopback).
    pub authorize_url: String,
    /// The token endpoint (https, or http on loopback).
    pub token_url: String,
    /// The RFC 7009 revocation endpoint, where the provider has one.
    pub revocation_url: Option<String>,
    /// The scopes asked for, sent space-separated.
    pub scopes: Vec<String>,
    /// This program's client id there; `None` until a build or the user gives one.
    pub client_id: Option<String>,
    /// A client secret, for providers that give one even to desktop programs (Google).
    pub client_secret: Option<String>,
    /// Further parameters of the authorization URL (Google's `access_type=offline`).
    pub extra_authorize_params: Vec<(String, String)>,
}

impl std::fmt::Debug for OAuthProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthProvider")
            .field("id", &self.id)
            .field("authorize_url", &self.authorize_url)
            .field("token_url", &self.token_url)
            .field("revocation_url", &self.revocation_url)
            .field("scopes", &self.scopes)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "****"),
            )
            .field("extra_authorize_params", &self.extra_authorize_params)
            .finish()
    }
}

impl OAuthProvider {
    /// Microsoft accounts, personal and work or school (the `common` endpoint), with
    /// POP access and a refresh token (`offline_access`). The client id is this build's
    /// `POPLAR_MICROSOFT_CLIENT_ID`, if it had one. Microsoft has no revocation endpoint.
    pub fn microsoft() -> Self {
        Self {
            id: "microsoft".into(),
            authorize_url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize".into(),
            token_url: "https://login.microsoftonline.com/common/oauth2/v2.0/token".into(),
            revocation_url: None,
            scopes: vec![
                "https://outlook.office.com/POP.AccessAsUser.All".into(),
                "offline_access".into(),
            ],
            client_id: MICROSOFT_CLIENT_ID.map(str::to_owned),
            client_secret: None,
            extra_authorize_params: Vec::new(),
        }
    }

    /// Google accounts, with full mail access (the only scope Gmail's POP accepts).
    /// `access_type=offline` and `prompt=consent` make Google send a refresh token every
    /// time. Client id and secret are this build's `POPLAR_GOOGLE_CLIENT_ID` and
    /// `POPLAR_GOOGLE_CLIENT_SECRET`, if it had them.
    pub fn google() -> Self {
        Self {
            id: "google".into(),
            authorize_url: "https://accounts.google.com/o/oauth2/v2/auth".into(),
            token_url: "https://oauth2.googleapis.com/token".into(),
            revocation_url: Some("https://oauth2.googleapis.com/revoke".into()),
            scopes: vec!["https://mail.google.com/".into()],
            client_id: GOOGLE_CLIENT_ID.map(str::to_owned),
            client_secret: GOOGLE_CLIENT_SECRET.map(str::to_owned),
            extra_authorize_params: vec![
                ("access_type".into(), "offline".into()),
                ("prompt".into(), "consent".into()),
            ],
        }
    }

    /// Any other provider: its endpoints and scopes; no client id yet.
    pub fn custom(
        id: impl Into<String>,
        authorize_url: impl Into<String>,
        token_url: impl Into<String>,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            id: id.into(),
            authorize_url: authorize_url.into(),
            token_url: token_url.into(),
            revocation_url: None,
            scopes: scopes.into_iter().map(Into::into).collect(),
            client_id: None,
            client_secret: None,
            extra_authorize_params: Vec::new(),
        }
    }

    /// The preset called `id` (`"microsoft"` or `"google"`).
    pub fn preset(id: &str) -> Option<Self> {
        match id {
            "microsoft" => Some(Self::microsoft()),
            "google" => Some(Self::google()),
            _ => None,
        }
    }

    /// The same provider with the user's client id instead of the build's.
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The same provider with a client secret.
    pub fn with_client_secret(mut self, client_secret: impl Into<String>) -> Self {
        self.client_secret = Some(client_secret.into());
        self
    }

    /// The same provider with a revocation endpoint.
    pub fn with_revocation_url(mut self, url: impl Into<String>) -> Self {
        self.revocation_url = Some(url.into());
        self
    }

    /// The client id, if one is set and not blank.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
    }

    /// The client secret, if one is set and not blank.
    pub fn client_secret(&self) -> Option<&str> {
        self.client_secret
            .as_deref()
            .map(str::trim)
            .filter(|secret| !secret.is_empty())
    }

    /// The scopes as the `scope` parameter has them: separated by spaces.
    pub fn scope(&self) -> String {
        self.scopes.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_presets_name_their_endpoints_and_scopes() {
        let microsoft = OAuthProvider::microsoft();
        assert_eq!(
            microsoft.scope(),
            "https://outlook.office.com/POP.AccessAsUser.All offline_access"
        );
        assert!(microsoft.token_url.ends_with("/common/oauth2/v2.0/token"));
        let google = OAuthProvider::google();
        assert_eq!(google.scope(), "https://mail.google.com/");
        assert!(
            google
                .extra_authorize_params
                .contains(&("access_type".into(), "offline".into()))
        );
        assert_eq!(OAuthProvider::preset("google"), Some(google));
        assert_eq!(OAuthProvider::preset("yahoo"), None);
    }

    #[test]
    fn the_client_id_comes_from_the_build_unless_the_user_gives_one() {
        assert_eq!(
            OAuthProvider::microsoft().client_id(),
            MICROSOFT_CLIENT_ID.filter(|id| !id.trim().is_empty())
        );
        let mine = OAuthProvider::microsoft().with_client_id(" my-id ");
        assert_eq!(mine.client_id(), Some("my-id"));
        assert_eq!(
            OAuthProvider::google().with_client_id("  ").client_id(),
            None
        );
    }

    #[test]
    fn debug_output_hides_the_client_secret() {
        let provider = OAuthProvider::google().with_client_secret("s3cr3t-value");
        let shown = format!("{provider:?}");
        assert!(!shown.contains("s3cr3t-value"));
        assert!(shown.contains("****"));
    }
}

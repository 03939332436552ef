//! The account form's OAuth part: choosing OAuth 2.0 (by hand or from a Microsoft or Google
//! preset), the provider and its endpoints with their checks, the settings a sign-in runs
//! with, and whether the sign-in still fits what the form describes. No egui here.

use super::{AccountForm, Field, Validation, host_problem, number};
use crate::account::{AccountSettings, OAuthSettings, nonblank};
use crate::oauth::http::HttpUrl;
use crate::oauth::{OAuthError, OAuthProvider};
use crate::pop3::AuthMethod;
use crate::pop3::command::check_input;
use crate::sync::secrets::oauth_key;

/// What a grant was given for: the keyring key it is kept under (user name, server and
/// port) and the provider that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedInAs {
    /// [`oauth_key`] of the settings.
    pub key: String,
    /// The provider, as [`normalized`].
    pub provider: OAuthSettings,
}

impl SignedInAs {
    /// What `settings` sign in as, for an account that signs in itself.
    pub fn of(settings: &AccountSettings) -> Option<Self> {
        if !crate::sync::grant::signs_in_itself(settings) {
            return None;
        }
        Some(Self {
            key: oauth_key(settings),
            provider: normalized(settings.oauth.as_ref()?),
        })
    }
}

/// The provider choice of a custom provider.
pub const CUSTOM: &str = "custom";

/// The settings trimmed, blanks as `None`, and a preset's without custom endpoints.
pub fn normalized(oauth: &OAuthSettings) -> OAuthSettings {
    let preset = is_preset(&oauth.provider);
    let custom = |value: &Option<String>| nonblank(value).filter(|_| !preset);
    OAuthSettings {
        provider: match oauth.provider.trim() {
            "" => CUSTOM.to_owned(),
            other => other.to_owned(),
        },
        client_id: nonblank(&oauth.client_id),
        authorize_url: custom(&oauth.authorize_url),
        token_url: custom(&oauth.token_url),
        scopes: custom(&oauth.scopes),
        revocation_url: custom(&oauth.revocation_url),
    }
}

/// Why `url` cannot be an OAuth endpoint: it must be https, or plain http only to this
/// computer (127.0.0.1, ::1 or localhost). The same parser as the sign-in's own
/// ([`HttpUrl::parse`]), so the form never accepts what the sign-in refuses.
pub fn endpoint_problem(url: &str) -> Option<String> {
    let url = url.trim();
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(crate::tr!("oauth-url-invalid"));
    }
    match HttpUrl::parse(url) {
        Ok(_) => None,
        Err(OAuthError::Insecure { .. }) => Some(crate::tr!("oauth-url-insecure")),
        Err(_) => Some(crate::tr!("oauth-url-invalid")),
    }
}

/// Whether `provider` is one of the presets (Microsoft, Google), not a custom provider.
fn is_preset(provider: &str) -> bool {
    OAuthProvider::preset(provider).is_some()
}

impl AccountForm {
    /// True when the account signs in with an OAuth provider Poplar talks to itself (the
    /// dialog shows "Sign in with …" instead of the password).
    pub fn uses_oauth(&self) -> bool {
        self.auth.takes_token() && self.oauth.is_some()
    }

    /// The authentication changed: OAuth 2.0 needs a provider (the preset's, else custom).
    pub fn auth_changed(&mut self) {
        self.auto.oauth = false;
        if self.auth.takes_token() && self.oauth.is_none() {
            let provider = self.preset().and_then(|p| p.oauth).unwrap_or(CUSTOM);
            self.oauth = Some(OAuthSettings::preset(provider));
        }
    }

    /// Chooses the provider (`microsoft`, `google` or [`CUSTOM`]), keeping the client id
    /// and a custom provider's endpoints as typed.
    pub fn set_oauth_provider(&mut self, provider: &str) {
        let oauth = self.oauth.get_or_insert_with(OAuthSettings::default);
        oauth.provider = provider.to_owned();
    }

    /// The provider's id, if the account signs in with one.
    pub fn oauth_provider(&self) -> Option<&str> {
        self.oauth
            .as_ref()
            .filter(|_| self.uses_oauth())
            .map(|o| o.provider.as_str())
    }

    /// True for a provider that is no preset (its endpoints are typed).
    pub fn oauth_is_custom(&self) -> bool {
        self.oauth_provider().is_some_and(|p| !is_preset(p))
    }

    /// A preset's OAuth provider (`None`: the address has none). OAuth 2.0 is chosen only
    /// while the user has not chosen a method; a preset's choice is taken back when the
    /// address no longer has one.
    pub(super) fn preset_oauth(&mut self, provider: Option<&str>) {
        match provider {
            Some(provider) => {
                let untouched = self.auth == AuthMethod::Automatic && self.oauth.is_none();
                if untouched || self.auto.oauth {
                    self.auth = AuthMethod::OAuth2;
                    self.oauth = Some(OAuthSettings::preset(provider));
                    self.auto.oauth = true;
                }
            }
            None if self.auto.oauth => {
                self.auth = AuthMethod::Automatic;
                self.oauth = None;
                self.auto.oauth = false;
            }
            None => {}
        }
    }

    /// True when neither this build nor the form has a client id for the provider: the
    /// sign-in cannot start (the dialog says so and where to enter one).
    pub fn oauth_lacks_client_id(&self) -> bool {
        let Some(oauth) = self.oauth.as_ref().filter(|_| self.uses_oauth()) else {
            return false;
        };
        let oauth = normalized(oauth);
        if oauth.client_id.is_some() {
            return false;
        }
        match crate::oauth::OAuthProvider::preset(&oauth.provider) {
            Some(preset) => preset.client_id().is_none(),
            None => true,
        }
    }

    /// The settings a sign-in runs with: the account as the form describes it now, so that
    /// the grant is kept under the key the saved account will look for. `Err` says what is
    /// still missing (not shown as an error: the fields have their own reasons).
    pub fn sign_in_settings(&self) -> Result<AccountSettings, String> {
        let oauth = self
            .oauth
            .as_ref()
            .filter(|_| self.uses_oauth())
            .map(normalized)
            .ok_or_else(|| crate::tr!("oauth-needs-fields"))?;
        let host = self.host.trim();
        let user = self.user.trim();
        let port = number(&self.port, 1, 65535, "number-port");
        let fields_ok = !host.is_empty()
            && host_problem(host).is_none()
            && !user.is_empty()
            && check_input(user, "user name").is_ok()
            && port.is_ok();
        if !fields_ok {
            return Err(crate::tr!("oauth-needs-fields"));
        }
        if !is_preset(&oauth.provider) {
            let good = |url: &Option<String>| {
                url.as_deref()
                    .is_some_and(|url| endpoint_problem(url).is_none())
            };
            if !good(&oauth.authorize_url) || !good(&oauth.token_url) {
                return Err(crate::tr!("oauth-needs-endpoints"));
            }
        }
        let mut settings = AccountSettings::new(self.name.trim(), self.email.trim(), host, user);
        settings.port = port
            .ok()
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(settings.port);
        settings.security = self.security;
        settings.auth = self.auth;
        settings.oauth = Some(oauth);
        Ok(settings)
    }

    /// What a sign-in now would be for, if the form can sign in.
    pub fn signs_in_as(&self) -> Option<SignedInAs> {
        SignedInAs::of(&self.sign_in_settings().ok()?)
    }

    /// True when a grant for what the form describes is kept (signed in here, or the stored
    /// account's).
    pub fn has_fitting_grant(&self) -> bool {
        let Some(now) = self.signs_in_as() else {
            return false;
        };
        self.signed_in.as_ref() == Some(&now) || self.stored_grant.as_ref() == Some(&now)
    }

    /// True when the user signed in (or the account had) but changed the user name, server,
    /// port or provider since: the grant is kept under the old ones.
    pub fn sign_in_outdated(&self) -> bool {
        (self.signed_in.is_some() || self.stored_grant.is_some()) && !self.has_fitting_grant()
    }

    /// The checks of the OAuth part (instead of the password's).
    pub(super) fn validate_oauth(&self, v: &mut Validation) {
        let Some(oauth) = &self.oauth else {
            return;
        };
        if self.oauth_is_custom() {
            for (url, field, name) in [
                (
                    &oauth.authorize_url,
                    Field::AuthorizeUrl,
                    "authorization URL",
                ),
                (&oauth.token_url, Field::TokenUrl, "token URL"),
            ] {
                match nonblank(url) {
                    None => v.missing.push(name),
                    Some(url) => {
                        if let Some(problem) = endpoint_problem(&url) {
                            v.errors.push((field, problem));
                        }
                    }
                }
            }
        }
        if self.has_fitting_grant() {
            return;
        }
        if self.sign_in_outdated() && self.signs_in_as().is_some() {
            v.errors
                .push((Field::SignIn, crate::tr!("oauth-sign-in-again")));
        } else {
            v.missing.push("sign-in");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom_form() -> AccountForm {
        let mut form = AccountForm {
            name: "Mock".into(),
            email: "anna@example.org".into(),
            host: "pop.example.org".into(),
            user: "anna".into(),
            auth: AuthMethod::OAuth2,
            ..AccountForm::default()
        };
        form.auth_changed();
        let oauth = form.oauth.as_mut().expect("a provider");
        oauth.client_id = Some("client".into());
        oauth.authorize_url = Some("https://auth.example.org/authorize".into());
        oauth.token_url = Some("http://127.0.0.1:8080/token".into());
        form
    }

    #[test]
    fn endpoints_are_https_or_http_to_this_computer() {
        for good in [
            "https://login.example.org/authorize",
            "http://127.0.0.1:4000/token",
            "http://localhost/token",
            "http://[::1]:80/token",
        ] {
            assert_eq!(endpoint_problem(good), None, "{good}");
        }
        for bad in [
            "http://auth.example.org/token",
            "ftp://example.org",
            "example.org/token",
            "https://",
            "https://a b",
        ] {
            assert!(endpoint_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn an_oauth_account_needs_no_password_but_a_sign_in() {
        let mut form = custom_form();
        let v = form.validate([]);
        assert_eq!(v.missing, vec!["sign-in"]);
        assert!(v.errors.is_empty(), "{v:?}");
        form.signed_in = form.signs_in_as();
        assert!(form.validate([]).is_ok());
        let (settings, password) = form.settings().expect("settings");
        assert_eq!(password, None);
        assert_eq!(settings.auth, AuthMethod::OAuth2);
        assert_eq!(
            settings.oauth.as_ref().map(|o| o.provider.as_str()),
            Some(CUSTOM)
        );
        // The client secret is never part of the settings.
        form.oauth_client_secret = "s3cret".into();
        assert!(!format!("{:?}", form.settings()).contains("s3cret"));
        assert!(!format!("{form:?}").contains("s3cret"));
    }

    #[test]
    fn changing_the_user_or_server_after_signing_in_asks_to_sign_in_again() {
        let mut form = custom_form();
        form.signed_in = form.signs_in_as();
        form.user = "bob".into();
        let v = form.validate([]);
        assert!(v.error(Field::SignIn).is_some(), "{v:?}");
        form.user = "anna".into();
        assert!(form.validate([]).is_ok());
        form.set_oauth_provider("microsoft");
        assert!(form.validate([]).error(Field::SignIn).is_some());
    }

    #[test]
    fn a_custom_provider_needs_both_endpoints() {
        let mut form = custom_form();
        form.oauth.as_mut().expect("oauth").token_url = None;
        form.oauth.as_mut().expect("oauth").authorize_url = Some("http://example.org/a".into());
        let v = form.validate([]);
        assert!(v.missing.contains(&"token URL"));
        assert!(v.error(Field::AuthorizeUrl).is_some());
        assert!(form.sign_in_settings().is_err());
    }

    #[test]
    fn microsoft_and_google_addresses_choose_oauth_until_the_user_chooses() {
        let mut form = AccountForm {
            email: "anna@outlook.com".into(),
            ..AccountForm::default()
        };
        form.email_changed();
        assert_eq!(form.auth, AuthMethod::OAuth2);
        assert_eq!(form.oauth_provider(), Some("microsoft"));
        form.email = "anna@gmail.com".into();
        form.email_changed();
        assert_eq!(form.oauth_provider(), Some("google"));
        form.email = "anna@gmx.de".into();
        form.email_changed();
        assert_eq!(form.auth, AuthMethod::Automatic);
        assert!(!form.uses_oauth());
        // A method the user chose stays.
        form.auth = AuthMethod::UserPass;
        form.auth_changed();
        form.email = "anna@outlook.com".into();
        form.email_changed();
        assert_eq!(form.auth, AuthMethod::UserPass);
    }

    #[test]
    fn without_a_client_id_the_sign_in_cannot_start() {
        let mut form = custom_form();
        assert!(!form.oauth_lacks_client_id());
        form.oauth.as_mut().expect("oauth").client_id = Some("  ".into());
        assert!(form.oauth_lacks_client_id());
        form.set_oauth_provider("microsoft");
        assert_eq!(
            form.oauth_lacks_client_id(),
            crate::oauth::provider::MICROSOFT_CLIENT_ID.is_none()
        );
    }
}

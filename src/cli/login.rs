//! Signing in from the command line: the OAuth flags of `poplar account add`, and
//! `poplar account login NAME`, which signs an account in again (or, for an account whose
//! password is in the keyring, takes a new password).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::ValueEnum;

use super::output::note;
use super::{CliError, data_dir, store_path};
use crate::account::{AccountSettings, OAuthSettings, PasswordSource, nonblank};
use crate::desktop::instance;
use crate::oauth::{Browser, DEFAULT_SIGN_IN_TIMEOUT, SystemBrowser};
use crate::pop3::Secret;
use crate::store::Reader;
use crate::sync::grant::{self, Kept, SignInError, SignInStep};
use crate::sync::secrets::run_password_command;
use crate::sync::{KeyringSecrets, Secrets};

/// The OAuth providers as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderArg {
    /// Microsoft accounts (Outlook.com, Hotmail, Live, Microsoft 365).
    Microsoft,
    /// Google accounts (Gmail).
    Google,
    /// Any other provider: give its endpoints with --oauth-authorize-url and --oauth-token-url.
    Custom,
}

/// The flags that choose and configure a provider to sign in with.
#[derive(Debug, clap::Args)]
pub struct OAuthArgs {
    /// Sign in with this provider in the browser (needs --auth oauth2, xoauth2 or
    /// oauthbearer; with --auth oauth2 on Outlook.com or Gmail it is found from the server).
    #[arg(long, value_enum)]
    pub oauth_provider: Option<ProviderArg>,
    /// Your own client id registered with the provider (instead of this build's).
    #[arg(long, value_name = "ID")]
    pub oauth_client_id: Option<String>,
    /// A command whose first line of output is the client secret of your client id, for
    /// providers that give one (Google); kept in the keyring with the sign-in.
    #[arg(long, value_name = "CMD")]
    pub oauth_client_secret_command: Option<String>,
    /// A custom provider's authorization endpoint.
    #[arg(long, value_name = "URL")]
    pub oauth_authorize_url: Option<String>,
    /// A custom provider's token endpoint.
    #[arg(long, value_name = "URL")]
    pub oauth_token_url: Option<String>,
    /// A custom provider's scopes, separated by spaces.
    #[arg(long, value_name = "SCOPES")]
    pub oauth_scopes: Option<String>,
    /// A custom provider's revocation endpoint, told when the account is removed.
    #[arg(long, value_name = "URL")]
    pub oauth_revocation_url: Option<String>,
    #[command(flatten)]
    pub browser: BrowserArgs,
}

/// How the sign-in reaches the browser.
#[derive(Debug, clap::Args)]
pub struct BrowserArgs {
    /// Do not start a browser: only print the address to open (on another computer, say).
    #[arg(long)]
    pub no_browser: bool,
}

/// Arguments of `poplar account login`.
#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// The account's name (or id).
    pub name: String,
    /// A command whose first line of output is the client secret of the account's own
    /// client id, for providers that give one (Google).
    #[arg(long, value_name = "CMD")]
    pub oauth_client_secret_command: Option<String>,
    #[command(flatten)]
    pub browser: BrowserArgs,
}

/// The provider that signs in to a POP3 server Poplar knows, found from its host name.
fn provider_for_host(host: &str) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    if ["outlook.com", "office365.com", "hotmail.com", "live.com"]
        .iter()
        .any(|d| under(d))
    {
        Some("microsoft")
    } else if ["gmail.com", "googlemail.com"].iter().any(|d| under(d)) {
        Some("google")
    } else {
        None
    }
}

/// The account's OAuth settings from the flags; `None` when it takes its token (or
/// password) from its password source. Every refusal names the flag.
pub(super) fn oauth_settings(
    settings: &AccountSettings,
    args: &OAuthArgs,
) -> Result<Option<OAuthSettings>, CliError> {
    let takes_token = settings.auth.takes_token();
    let provider = match (args.oauth_provider, settings.auth) {
        (Some(_), _) if !takes_token => {
            return Err(CliError::new(crate::tr!("cli-oauth-needs-token-auth")));
        }
        (Some(ProviderArg::Microsoft), _) => "microsoft",
        (Some(ProviderArg::Google), _) => "google",
        (Some(ProviderArg::Custom), _) => "custom",
        (None, crate::pop3::AuthMethod::OAuth2) => match provider_for_host(&settings.host) {
            Some(found) => found,
            None => return Err(CliError::new(crate::tr!("cli-oauth-needs-provider"))),
        },
        // XOAUTH2 or OAUTHBEARER with the token from --password-command, as before.
        (None, _) => return Ok(None),
    };
    let oauth = OAuthSettings {
        provider: provider.to_owned(),
        client_id: nonblank(&args.oauth_client_id),
        authorize_url: nonblank(&args.oauth_authorize_url),
        token_url: nonblank(&args.oauth_token_url),
        scopes: nonblank(&args.oauth_scopes),
        revocation_url: nonblank(&args.oauth_revocation_url),
    };
    if provider == "custom" && (oauth.authorize_url.is_none() || oauth.token_url.is_none()) {
        return Err(CliError::new(crate::tr!("cli-oauth-custom-needs")));
    }
    // A URL that cannot work is refused now, before the account exists.
    oauth
        .provider()
        .map_err(|err| CliError::new(crate::app::trouble::sign_in_failed(&err)))?;
    Ok(Some(oauth))
}

/// The client secret from its command, if one was given.
fn client_secret(command: &Option<String>) -> Result<Option<Secret>, CliError> {
    match command.as_deref().map(str::trim) {
        None => Ok(None),
        Some("") => Err(CliError::new(crate::tr!("cli-empty-command"))),
        Some(command) => Ok(Some(run_password_command(command)?)),
    }
}

/// A browser that is never started: the address is only printed.
struct NoBrowser;

impl Browser for NoBrowser {
    fn open(&self, _url: &str) -> Result<(), String> {
        Ok(())
    }
}

/// Signs `settings` in through the browser and keeps the grant in the keyring. Prints the
/// address first (on standard error), so it works without a browser on this computer too.
pub(super) fn sign_in(
    settings: &AccountSettings,
    client_secret_command: &Option<String>,
    browser: &BrowserArgs,
) -> Result<(), CliError> {
    // Without a client id nothing can start: said first, it is the build's or the flags' fault.
    if grant::provider_of(settings)
        .map_err(|err| CliError::new(crate::app::trouble::sign_in_failed(&err)))?
        .client_id()
        .is_none()
    {
        return Err(CliError::new(crate::tr!("cli-oauth-no-client-id")));
    }
    let client_secret = client_secret(client_secret_command)?;
    // Before the browser: a sign-in that cannot be kept is not worth the user's time.
    if let Err(err) = KeyringSecrets.keyring_status() {
        return Err(match err.no_keyring {
            true => CliError::new(crate::tr!("cli-oauth-no-keyring")),
            false => err.into(),
        });
    }
    let opener: &dyn Browser = match browser.no_browser {
        true => &NoBrowser,
        false => &SystemBrowser,
    };
    let minutes = DEFAULT_SIGN_IN_TIMEOUT.as_secs().div_ceil(60);
    let result = grant::sign_in(
        &KeyringSecrets,
        settings,
        client_secret,
        opener,
        // Ctrl-C ends the whole command; nothing is kept until the sign-in finished.
        &AtomicBool::new(false),
        DEFAULT_SIGN_IN_TIMEOUT,
        &mut |step| match step {
            SignInStep::Url(url) => {
                note(&crate::tr!("cli-oauth-open", minutes = minutes));
                note(&format!("  {url}"));
            }
            SignInStep::BrowserFailed(why) => note(&format!(
                "poplar: {}",
                crate::tr!("oauth-failed-browser", reason = why.as_str())
            )),
        },
    );
    match result {
        Ok(Kept::Keyring) => Ok(()),
        // This process ends now: a grant in its memory would be lost at once.
        Ok(Kept::Session) => {
            let _ = grant::forget(&KeyringSecrets, settings);
            Err(CliError::new(crate::tr!("cli-oauth-no-keyring")))
        }
        Err(SignInError::OAuth(crate::oauth::OAuthError::NoClientId)) => {
            Err(CliError::new(crate::tr!("cli-oauth-no-client-id")))
        }
        Err(SignInError::OAuth(err)) => {
            Err(CliError::new(crate::app::trouble::sign_in_failed(&err)))
        }
        Err(SignInError::Keyring(err)) => Err(err.into()),
    }
}

/// Tells the provider to withdraw a removed account's grant, where it has a revocation
/// endpoint, and forgets the grant. Best effort: a failure is reported and the removal goes
/// on.
pub(super) fn revoke(settings: &AccountSettings) {
    let error = match grant::revoke_and_forget(&KeyringSecrets, settings) {
        Ok(()) => return,
        Err(grant::RevokeError::Provider(err)) => crate::tr!(
            "cli-oauth-revoke-failed",
            error = crate::app::trouble::sign_in_failed(&err)
        ),
        Err(grant::RevokeError::Keyring(err)) => {
            crate::tr!("cli-keyring-remove-failed", error = err.to_string())
        }
    };
    note(&format!("poplar: {error}"));
}

/// `poplar account login NAME`.
pub(super) fn login(dir: Option<&PathBuf>, args: &LoginArgs) -> Result<(), CliError> {
    let path = store_path(dir)?;
    let accounts = Reader::open(&path)?.accounts()?;
    let account = super::account::find_account(&accounts, &args.name)?;
    let settings = &account.settings;
    let name = settings.name.as_str();
    if grant::signs_in_itself(settings) {
        sign_in(settings, &args.oauth_client_secret_command, &args.browser)?;
        note(&crate::tr!("cli-oauth-signed-in", name = name));
    } else if settings.password_source == PasswordSource::Keyring {
        let password = super::account::read_password(&format!(
            "{}: ",
            crate::tr!(
                "cli-password-prompt",
                name = name,
                user = settings.username.as_str(),
                host = settings.host.as_str()
            )
        ))?;
        KeyringSecrets.store_password(settings, &password)?;
        note(&crate::tr!("cli-login-password-kept", name = name));
    } else {
        return Err(CliError::new(crate::tr!(
            "cli-login-password-command",
            name = name
        )));
    }
    // An open window stopped checking the account when its sign-in failed: it checks now.
    if let Some(running) = instance::running(&data_dir(dir)?)
        && running.check(Some(account.id)).is_ok()
    {
        note(&format!(
            "poplar: {}",
            crate::tr!("cli-window-checks-account", name = name)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlook_and_gmail_servers_name_their_provider() {
        assert_eq!(
            provider_for_host("outlook.office365.com"),
            Some("microsoft")
        );
        assert_eq!(
            provider_for_host("pop-mail.outlook.com."),
            Some("microsoft")
        );
        assert_eq!(provider_for_host("pop.gmail.com"), Some("google"));
        assert_eq!(provider_for_host("pop.gmx.net"), None);
        assert_eq!(provider_for_host("notoutlook.com"), None);
    }
}

//! `poplar account add|list|remove|login`.

use std::io::{BufRead as _, IsTerminal as _};
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use super::output::{note, print};
use super::{CliError, ServerArgs, store_path};
use crate::account::{AccountSettings, FirstSync, PasswordSource, ServerPolicy, names};
use crate::pop3::command::check_input;
use crate::pop3::{AuthMethod, Secret};
use crate::store::{Account, Reader, StoreErrorKind, Writer, now};
use crate::sync::{KeyringSecrets, Secrets};

/// `poplar account …`
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Add an account. Without --password-command the password is read from the terminal
    /// (or one line of standard input) and kept in the OS keyring.
    Add(Box<AddArgs>),
    /// List the accounts.
    List,
    /// Remove an account; its mail stays readable unless --delete-mail is given.
    Remove(RemoveArgs),
    /// Sign an account in again: in the browser for an account that signs in with its
    /// provider (OAuth), else a new password for the keyring.
    Login(super::login::LoginArgs),
}

/// Authentication as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthArg {
    /// The strongest the server offers.
    Auto,
    /// USER and PASS.
    User,
    /// SASL PLAIN.
    Plain,
    /// SASL LOGIN.
    Login,
    /// SASL CRAM-MD5.
    #[value(name = "cram-md5")]
    CramMd5,
    /// APOP.
    Apop,
    /// SASL SCRAM-SHA-256 (the password never crosses the wire).
    #[value(name = "scram-sha-256")]
    ScramSha256,
    /// SASL XOAUTH2, with an OAuth access token from --password-command.
    Xoauth2,
    /// SASL OAUTHBEARER (RFC 7628), with an OAuth access token from --password-command.
    Oauthbearer,
    /// OAuth 2.0: sign in with the provider in the browser (see --oauth-provider); logs in
    /// by OAUTHBEARER or XOAUTH2, whichever the server offers.
    Oauth2,
}

impl From<AuthArg> for AuthMethod {
    fn from(arg: AuthArg) -> Self {
        match arg {
            AuthArg::Auto => AuthMethod::Automatic,
            AuthArg::User => AuthMethod::UserPass,
            AuthArg::Plain => AuthMethod::Plain,
            AuthArg::Login => AuthMethod::Login,
            AuthArg::CramMd5 => AuthMethod::CramMd5,
            AuthArg::Apop => AuthMethod::Apop,
            AuthArg::ScramSha256 => AuthMethod::ScramSha256,
            AuthArg::Xoauth2 => AuthMethod::XOAuth2,
            AuthArg::Oauthbearer => AuthMethod::OAuthBearer,
            AuthArg::Oauth2 => AuthMethod::OAuth2,
        }
    }
}

/// Arguments of `poplar account add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// A unique name for the account.
    #[arg(long)]
    pub name: String,
    /// The email address.
    #[arg(long)]
    pub email: String,
    /// The server, and how to trust it.
    #[command(flatten)]
    pub server: ServerArgs,
    /// The user name.
    #[arg(long)]
    pub user: String,
    /// Authentication.
    #[arg(long, value_enum, default_value = "auto")]
    pub auth: AuthArg,
    /// A command whose first line of output is the password (nothing goes to the keyring).
    #[arg(long, value_name = "CMD")]
    pub password_command: Option<String>,
    /// Keep mail on the server for ever (the default).
    #[arg(long, conflicts_with_all = ["delete_after_days", "delete_after_download"])]
    pub keep: bool,
    /// Delete mail on the server N days after it was first seen there.
    #[arg(long, value_name = "N", conflicts_with = "delete_after_download")]
    pub delete_after_days: Option<u32>,
    /// Delete mail on the server once it is safely stored here.
    #[arg(long)]
    pub delete_after_download: bool,
    /// Also delete on the server what is deleted here for good.
    #[arg(long)]
    pub delete_when_deleted_locally: bool,
    /// Fetch only headers (and a few lines) of messages larger than N KB.
    #[arg(long, value_name = "N")]
    pub size_limit_kb: Option<u32>,
    /// What the first check downloads: all, new (only mail arriving from now on) or days:N.
    #[arg(long, value_name = "all|new|days:N", default_value = "all", value_parser = parse_first_sync)]
    pub first_sync: FirstSync,
    /// Minutes between automatic checks.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub interval_minutes: u32,
    /// QUIT and reconnect every N messages, so deletions take effect during a long first sync.
    #[arg(long, value_name = "N")]
    pub reconnect_every: Option<u32>,
    /// Do not check this account when Poplar starts.
    #[arg(long)]
    pub no_check_on_start: bool,
    /// Signing in with a provider (OAuth 2.0).
    #[command(flatten)]
    pub oauth: super::login::OAuthArgs,
}

fn parse_first_sync(text: &str) -> Result<FirstSync, String> {
    match text {
        "all" => Ok(FirstSync::All),
        "new" => Ok(FirstSync::NewOnly),
        other => match other.strip_prefix("days:").map(str::parse::<u32>) {
            Some(Ok(days)) if days > 0 => Ok(FirstSync::LastDays(days)),
            _ => Err(crate::tr!("cli-first-sync")),
        },
    }
}

/// Arguments of `poplar account remove`.
#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The account's name (or id).
    pub name: String,
    /// Delete its mail too (by default it stays readable).
    #[arg(long)]
    pub delete_mail: bool,
}

pub(super) fn run(data_dir: Option<&PathBuf>, command: &AccountCommand) -> Result<(), CliError> {
    match command {
        AccountCommand::Add(args) => add(data_dir, args),
        AccountCommand::List => list(data_dir),
        AccountCommand::Remove(args) => remove(data_dir, args),
        AccountCommand::Login(args) => super::login::login(data_dir, args),
    }
}

/// Builds and checks the settings; every refusal names the flag.
fn settings(args: &AddArgs) -> Result<AccountSettings, CliError> {
    let security = args.server.security();
    let mut s = AccountSettings::new(
        args.name.trim(),
        args.email.trim(),
        args.server.host.trim(),
        args.user.as_str(),
    );
    if s.name.is_empty() {
        return Err(CliError::new(crate::tr!("cli-empty-name")));
    }
    if s.host.is_empty() || s.host.contains(|c: char| c.is_whitespace() || c == '/') {
        return Err(CliError::new(crate::tr!(
            "cli-bad-host",
            host = format!("{:?}", args.server.host)
        )));
    }
    check_input(&s.username, "user name").map_err(|err| CliError::new(format!("--user: {err}")))?;
    if s.username.is_empty() {
        return Err(CliError::new(crate::tr!("cli-empty-user")));
    }
    s.security = security;
    s.port = args.server.port();
    if s.port == 0 {
        return Err(CliError::new(crate::tr!("cli-bad-port")));
    }
    s.auth = args.auth.into();
    s.ca_file = args.server.ca_file.clone();
    if let Some(path) = &s.ca_file
        && !path.is_file()
    {
        return Err(CliError::new(crate::tr!(
            "cli-no-ca-file",
            path = path.display().to_string()
        )));
    }
    s.pin_sha256 = args.server.pin()?;
    s.server_policy = match (args.delete_after_days, args.delete_after_download) {
        (Some(days), _) => ServerPolicy::DeleteAfterDays(days),
        (None, true) => ServerPolicy::DeleteAfterDownload,
        (None, false) => ServerPolicy::Keep,
    };
    s.delete_when_deleted_locally = args.delete_when_deleted_locally;
    s.size_limit_kb = args.size_limit_kb;
    s.first_sync = args.first_sync;
    s.interval_minutes = args.interval_minutes.max(1);
    s.reconnect_every = args.reconnect_every;
    s.check_on_start = !args.no_check_on_start;
    s.password_source = match &args.password_command {
        Some(command) if !command.trim().is_empty() => PasswordSource::Command(command.clone()),
        Some(_) => return Err(CliError::new(crate::tr!("cli-empty-command"))),
        None => PasswordSource::Keyring,
    };
    s.oauth = super::login::oauth_settings(&s, &args.oauth)?;
    if s.oauth.is_some() && args.password_command.is_some() {
        return Err(CliError::new(crate::tr!("cli-oauth-and-password-command")));
    }
    Ok(s)
}

pub(super) fn read_password(prompt: &str) -> Result<Secret, CliError> {
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt)?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    if password.is_empty() {
        return Err(CliError::new(crate::tr!("cli-no-password")));
    }
    check_input(&password, "password").map_err(|err| CliError::new(err.to_string()))?;
    Ok(Secret::new(password))
}

fn add(data_dir: Option<&PathBuf>, args: &AddArgs) -> Result<(), CliError> {
    let settings = settings(args)?;
    let path = store_path(data_dir)?;
    let mut writer = Writer::open(&path)?;
    // The keyring entry is named after user, server and port, not the account: a name the
    // store refuses must be refused before a password is asked for and stored over the
    // entry of the account that already has that server.
    if writer
        .accounts()?
        .iter()
        .any(|a| a.settings.name == settings.name)
    {
        return Err(CliError::new(crate::tr!(
            "cli-name-taken",
            name = format!("{:?}", settings.name)
        )));
    }
    if settings.oauth.is_some() {
        // Signed in before the account exists: a failed sign-in leaves nothing behind.
        super::login::sign_in(
            &settings,
            &args.oauth.oauth_client_secret_command,
            &args.oauth.browser,
        )?;
    } else if settings.password_source == PasswordSource::Keyring {
        let password = read_password(&format!(
            "{}: ",
            crate::tr!(
                "cli-password-prompt",
                name = settings.name.as_str(),
                user = settings.username.as_str(),
                host = settings.host.as_str()
            )
        ))?;
        KeyringSecrets.store_password(&settings, &password)?;
    }
    let id = writer.add_account(&settings, now())?;
    note(&crate::tr!(
        "cli-account-added",
        name = settings.name.as_str(),
        id = id
    ));
    Ok(())
}

fn describe(account: &Account) -> String {
    let s = &account.settings;
    let policy = match s.server_policy {
        ServerPolicy::Keep => "keep on server".to_owned(),
        ServerPolicy::DeleteAfterDays(days) => format!("delete after {days} days"),
        ServerPolicy::DeleteAfterDownload => "delete after download".to_owned(),
    };
    let last = match (&account.last_error, account.last_check_at) {
        (Some(error), _) => format!("last check failed: {error}"),
        (None, Some(at)) => format!("last checked {}", super::output::format_date(at)),
        (None, None) => "never checked".to_owned(),
    };
    format!(
        "{}\t{}\t{}\t{}@{}:{} ({}, {})\t{policy}\t{last}\n",
        account.id,
        s.name,
        s.email,
        s.username,
        s.host,
        s.port,
        names::security(s.security),
        names::auth(s.auth),
    )
}

fn list(data_dir: Option<&PathBuf>) -> Result<(), CliError> {
    let path = store_path(data_dir)?;
    let reader = match Reader::open(&path) {
        Ok(reader) => reader,
        Err(err) if err.kind() == StoreErrorKind::Missing => return Ok(()),
        Err(err) => return Err(err.into()),
    };
    let text: String = reader.accounts()?.iter().map(describe).collect();
    print(&text)
}

/// Finds an account by name, or by id.
pub(super) fn find_account(accounts: &[Account], name: &str) -> Result<Account, CliError> {
    accounts
        .iter()
        .find(|a| a.settings.name == name)
        .or_else(|| {
            name.parse::<i64>()
                .ok()
                .and_then(|id| accounts.iter().find(|a| a.id == id))
        })
        .cloned()
        .ok_or_else(|| CliError::new(crate::tr!("cli-no-account", name = format!("{name:?}"))))
}

fn remove(data_dir: Option<&PathBuf>, args: &RemoveArgs) -> Result<(), CliError> {
    let path = store_path(data_dir)?;
    let mut writer = Writer::open(&path)?;
    let account = find_account(&writer.accounts()?, &args.name)?;
    if args.delete_mail {
        writer.remove_account(account.id, true, now())?;
    } else {
        // As the window does: the mail becomes a local folder named after the account.
        writer.remove_account_keep_mail(account.id, now())?;
    }
    if account.settings.oauth.is_some() {
        super::login::revoke(&account.settings);
    }
    if account.settings.password_source == PasswordSource::Keyring
        && account.settings.oauth.is_none()
        && let Err(err) = KeyringSecrets.forget_password(&account.settings)
    {
        note(&format!(
            "poplar: {}",
            crate::tr!("cli-keyring-remove-failed", error = err.to_string())
        ));
    }
    let name = account.settings.name.as_str();
    note(&if args.delete_mail {
        crate::tr!("cli-account-removed-with-mail", name = name)
    } else {
        crate::tr!("cli-account-removed", name = name)
    });
    Ok(())
}

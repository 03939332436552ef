//! The account editor's fields as typed, their checks as you type, the provider presets they
//! fill, and the [`AccountSettings`] and password they turn into. No egui here: the dialog
//! (`ui/accounts.rs`) draws these fields and shows [`Validation`]'s reasons beside them.

use std::path::PathBuf;

use crate::account::{AccountSettings, FirstSync, PasswordSource, ServerPolicy};
use crate::pop3::command::check_input;
use crate::pop3::{AuthMethod, Secret, Security};
use crate::presets::{self, Lookup, Preset};

/// Where the password comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordChoice {
    /// Typed here, kept in the OS keyring.
    #[default]
    Keyring,
    /// Typed here, kept in memory until Poplar quits (for desktops without a keyring).
    Session,
    /// The output of a command.
    Command,
}

/// What happens to mail on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LeaveChoice {
    /// Leave it there for ever.
    #[default]
    Forever,
    /// Delete it there N days after it arrived.
    Days,
    /// Leave it until it is deleted here for good.
    UntilDeletedHere,
    /// Delete it there right after it is safely stored here.
    DeleteAfterDownload,
}

/// What the first check downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FirstSyncChoice {
    /// Everything on the server.
    #[default]
    All,
    /// Only mail arriving from now on.
    NewOnly,
    /// Mail of the last N days.
    LastDays,
}

/// A field of the form, to put a reason beside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Account name.
    Name,
    /// Email address.
    Email,
    /// Incoming server.
    Host,
    /// Port.
    Port,
    /// User name.
    User,
    /// Password.
    Password,
    /// Password command.
    Command,
    /// Check interval.
    Interval,
    /// Days on the server.
    LeaveDays,
    /// Size limit.
    SizeLimit,
    /// Days of the first sync.
    FirstSyncDays,
    /// CA file.
    CaFile,
    /// A custom OAuth provider's authorization endpoint.
    AuthorizeUrl,
    /// A custom OAuth provider's token endpoint.
    TokenUrl,
    /// The OAuth sign-in (it was for other settings).
    SignIn,
}

/// The checks of the form as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Validation {
    /// Reasons beside fields.
    pub errors: Vec<(Field, String)>,
    /// Required fields still empty (named, for a hint beside Save).
    pub missing: Vec<&'static str>,
}

impl Validation {
    /// The reason for a field, if it has one.
    pub fn error(&self, field: Field) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e.as_str())
    }

    /// True when the form can be saved.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty() && self.missing.is_empty()
    }
}

/// Values the form filled by itself (from a preset), so it may replace them again when the
/// address changes, but never what the user typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct AutoFilled {
    name: Option<String>,
    host: Option<String>,
    user: Option<String>,
    /// The preset chose OAuth 2.0 (and its provider).
    oauth: bool,
}

/// The form's fields, as typed. `Debug` never shows the password.
#[derive(Clone, PartialEq)]
pub struct AccountForm {
    /// A unique name for the account.
    pub name: String,
    /// The email address.
    pub email: String,
    /// The POP3 server.
    pub host: String,
    /// The port, as typed.
    pub port: String,
    /// Connection security.
    pub security: Security,
    /// The user name.
    pub user: String,
    /// Keyring, this session, or command.
    pub password_choice: PasswordChoice,
    /// The password (keyring or session choice). Empty when editing: keep the stored one.
    pub password: String,
    /// The password command (command choice).
    pub password_command: String,
    /// How to log in.
    pub auth: AuthMethod,
    /// Check when Poplar starts.
    pub check_on_start: bool,
    /// Minutes between checks, as typed.
    pub interval: String,
    /// What happens to mail on the server.
    pub leave: LeaveChoice,
    /// Days on the server, as typed.
    pub leave_days: String,
    /// With "for N days": also delete there what is deleted here for good.
    pub also_when_deleted_here: bool,
    /// Headers only above a size.
    pub size_limit_on: bool,
    /// The size limit in KB, as typed.
    pub size_limit_kb: String,
    /// What the first check downloads.
    pub first_sync: FirstSyncChoice,
    /// Days of the first sync, as typed.
    pub first_sync_days: String,
    /// An extra CA file, as typed (call [`Self::ca_file_changed`] after changing it).
    pub ca_file: String,
    /// The CA file as last looked up, and whether it named a file then. The checks run every
    /// frame on the UI thread, where a path on a network share must not be looked up each
    /// time.
    ca_file_seen: Option<(String, bool)>,
    /// The pinned certificate's SHA-256.
    pub pin: Option<[u8; 32]>,
    /// Kept from the stored account (set only from the command line).
    pub reconnect_every: Option<u32>,
    /// The junk filter: the provider's spam marks and the learning filter, on or off.
    pub junk: crate::junk::JunkSettings,
    /// The OAuth provider, for an account that signs in with one.
    pub oauth: Option<crate::account::OAuthSettings>,
    /// The user's own client secret, for their own client id: handed to the sign-in, which
    /// keeps it in the keyring with the grant; never part of the stored settings.
    pub oauth_client_secret: String,
    /// What the last sign-in in this editor was for (its keyring key and provider).
    pub signed_in: Option<oauth::SignedInAs>,
    /// What the stored account signs in as (editing): its grant is already kept.
    pub stored_grant: Option<oauth::SignedInAs>,
    /// The account has a stored password (editing): an empty password field keeps it.
    pub has_stored_password: bool,
    /// What the presets know about the address.
    pub lookup: Lookup,
    auto: AutoFilled,
    /// Why the last attempt was refused.
    pub error: Option<String>,
    /// The account is being saved (the form waits for the store).
    pub busy: bool,
}

impl std::fmt::Debug for AccountForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountForm")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password_choice", &self.password_choice)
            .field("password", &"****")
            .field("oauth", &self.oauth)
            .field("oauth_client_secret", &"****")
            .field("pin", &self.pin.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for AccountForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            email: String::new(),
            host: String::new(),
            port: Security::Tls.default_port().to_string(),
            security: Security::Tls,
            user: String::new(),
            password_choice: PasswordChoice::Keyring,
            password: String::new(),
            password_command: String::new(),
            auth: AuthMethod::Automatic,
            check_on_start: true,
            junk: crate::junk::JunkSettings::default(),
            interval: "10".into(),
            leave: LeaveChoice::Forever,
            leave_days: "14".into(),
            also_when_deleted_here: false,
            size_limit_on: false,
            size_limit_kb: "1024".into(),
            first_sync: FirstSyncChoice::All,
            first_sync_days: "30".into(),
            ca_file: String::new(),
            ca_file_seen: None,
            pin: None,
            reconnect_every: None,
            oauth: None,
            oauth_client_secret: String::new(),
            signed_in: None,
            stored_grant: None,
            has_stored_password: false,
            lookup: Lookup::NotAnAddress,
            auto: AutoFilled::default(),
            error: None,
            busy: false,
        }
    }
}

/// Parses a whole number in `range`, or says what is wanted: `message` is the id of the
/// sentence ("The port is a number from 1 to 65535."), with `$min` and `$max`.
fn number(text: &str, min: u32, max: u32, message: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(number_error(min, max, message)),
    }
}

/// The sentence `message` says when a number is not between `min` and `max`.
fn number_error(min: u32, max: u32, message: &str) -> String {
    let mut args = crate::i18n::FluentArgs::new();
    args.set("min", crate::i18n::FluentValue::from(min));
    args.set("max", crate::i18n::FluentValue::from(max));
    crate::i18n::message(message, Some(&args))
}

/// Why `host` is not a server name, if it is not one.
fn host_problem(host: &str) -> Option<String> {
    let host = host.trim();
    if host.is_empty() {
        return None; // Reported as missing.
    }
    if host.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    let bad = host.len() > 253
        || host.starts_with(['.', '-'])
        || host.ends_with(['.', '-'])
        || host.contains("..")
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    bad.then(|| {
        if host.contains("://") || host.contains('/') {
            crate::tr!("host-no-url")
        } else if host.contains(':') {
            crate::tr!("host-no-port")
        } else {
            crate::tr!("host-invalid", host = host)
        }
    })
}

impl AccountForm {
    /// The form for an account as stored (editing). The password field starts empty: left
    /// empty, the stored password stays.
    pub fn from_settings(settings: &AccountSettings) -> Self {
        let (leave, leave_days, also) = match settings.server_policy {
            ServerPolicy::Keep if settings.delete_when_deleted_locally => {
                (LeaveChoice::UntilDeletedHere, "14".into(), false)
            }
            ServerPolicy::Keep => (LeaveChoice::Forever, "14".into(), false),
            ServerPolicy::DeleteAfterDays(days) => (
                LeaveChoice::Days,
                days.to_string(),
                settings.delete_when_deleted_locally,
            ),
            ServerPolicy::DeleteAfterDownload => {
                (LeaveChoice::DeleteAfterDownload, "14".into(), false)
            }
        };
        let (first_sync, first_sync_days) = match settings.first_sync {
            FirstSync::All => (FirstSyncChoice::All, "30".into()),
            FirstSync::NewOnly => (FirstSyncChoice::NewOnly, "30".into()),
            FirstSync::LastDays(days) => (FirstSyncChoice::LastDays, days.to_string()),
        };
        let (password_choice, password_command) = match &settings.password_source {
            PasswordSource::Keyring => (PasswordChoice::Keyring, String::new()),
            PasswordSource::Command(command) => (PasswordChoice::Command, command.clone()),
        };
        let mut form = Self {
            name: settings.name.clone(),
            email: settings.email.clone(),
            host: settings.host.clone(),
            port: settings.port.to_string(),
            security: settings.security,
            user: settings.username.clone(),
            password_choice,
            password: String::new(),
            password_command,
            auth: settings.auth,
            check_on_start: settings.check_on_start,
            junk: settings.junk.clone(),
            interval: settings.interval_minutes.to_string(),
            leave,
            leave_days,
            also_when_deleted_here: also,
            size_limit_on: settings.size_limit_kb.is_some(),
            size_limit_kb: settings.size_limit_kb.unwrap_or(1024).to_string(),
            first_sync,
            first_sync_days,
            ca_file: settings
                .ca_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            ca_file_seen: None,
            pin: settings.pin_sha256,
            reconnect_every: settings.reconnect_every,
            oauth: settings.oauth.clone(),
            oauth_client_secret: String::new(),
            signed_in: None,
            stored_grant: oauth::SignedInAs::of(settings),
            has_stored_password: matches!(settings.password_source, PasswordSource::Keyring)
                && !crate::sync::grant::signs_in_itself(settings),
            lookup: presets::lookup(&settings.email),
            auto: AutoFilled::default(),
            error: None,
            busy: false,
        };
        form.ca_file_changed();
        form
    }

    /// The CA file field changed: looks the file up once, not in every frame's checks.
    pub fn ca_file_changed(&mut self) {
        let path = self.ca_file.trim();
        self.ca_file_seen = Some((path.to_owned(), ca_file_exists(path)));
    }

    /// Changes the security, and the port with it while it still is the old default.
    pub fn set_security(&mut self, security: Security) {
        if self.port.trim() == self.security.default_port().to_string() {
            self.port = security.default_port().to_string();
        }
        self.security = security;
    }

    /// The preset for the address, if it has a known provider.
    pub fn preset(&self) -> Option<&'static Preset> {
        match self.lookup {
            Lookup::Known(preset) => Some(preset),
            _ => None,
        }
    }

    /// The address changed: look its provider up and fill server, port, security, user name
    /// and account name from the preset, where they are empty or were filled by a preset
    /// before. What the user typed is never replaced.
    pub fn email_changed(&mut self) {
        self.lookup = presets::lookup(&self.email);
        let fillable = |value: &str, auto: &Option<String>| {
            value.trim().is_empty() || auto.as_deref() == Some(value)
        };
        match self.lookup.clone() {
            Lookup::Known(preset) => {
                if let Some(server) = preset.server
                    && fillable(&self.host, &self.auto.host)
                {
                    self.host = server.host.to_owned();
                    self.auto.host = Some(self.host.clone());
                    self.security = server.security;
                    self.port = server.port.to_string();
                }
                if fillable(&self.name, &self.auto.name) {
                    self.name = preset.provider.to_owned();
                    self.auto.name = Some(self.name.clone());
                }
                if fillable(&self.user, &self.auto.user) {
                    self.user = preset.user_name.for_email(&self.email);
                    self.auto.user = Some(self.user.clone());
                }
                self.preset_oauth(preset.oauth);
                if let Some(minimum) = preset.min_interval_minutes
                    && self
                        .interval
                        .trim()
                        .parse::<u32>()
                        .is_ok_and(|n| n < minimum)
                {
                    self.interval = minimum.to_string();
                }
            }
            Lookup::Guesses(_) | Lookup::NotAnAddress => {
                self.preset_oauth(None);
                // A preset's server no longer fits the address: take it back.
                if self.auto.host.is_some() && self.auto.host.as_deref() == Some(&self.host) {
                    self.host.clear();
                    self.auto.host = None;
                }
                if fillable(&self.user, &self.auto.user) && self.email.contains('@') {
                    self.user = self.email.trim().to_owned();
                    self.auto.user = Some(self.user.clone());
                }
                // An unknown provider is named after its domain until the user names it.
                let domain = self.email.trim().rsplit_once('@').map(|(_, d)| d.trim());
                if fillable(&self.name, &self.auto.name) {
                    match domain.filter(|d| !d.is_empty()) {
                        Some(domain) => {
                            self.name = domain.to_owned();
                            self.auto.name = Some(self.name.clone());
                        }
                        None if self.auto.name.is_some() => {
                            self.name.clear();
                            self.auto.name = None;
                        }
                        None => {}
                    }
                }
            }
        }
    }

    /// Takes one of the guessed server names for an unknown domain.
    pub fn use_guess(&mut self, host: &str) {
        self.host = host.to_owned();
        self.auto.host = Some(self.host.clone());
    }

    /// The checks, as the user types. `other_names` are the names of the other accounts.
    pub fn validate<'a>(&self, other_names: impl IntoIterator<Item = &'a str>) -> Validation {
        let mut v = Validation::default();
        let name = self.name.trim();
        if name.is_empty() {
            v.missing.push("account name");
        } else if other_names
            .into_iter()
            .any(|other| other.trim().eq_ignore_ascii_case(name))
        {
            v.errors
                .push((Field::Name, crate::tr!("name-taken", name = name)));
        }
        let email = self.email.trim();
        if email.is_empty() {
            v.missing.push("email address");
        } else if !plausible_address(email) {
            v.errors.push((Field::Email, crate::tr!("email-invalid")));
        }
        if self.host.trim().is_empty() {
            v.missing.push("server");
        } else if let Some(problem) = host_problem(&self.host) {
            v.errors.push((Field::Host, problem));
        }
        if let Err(err) = number(&self.port, 1, 65535, "number-port") {
            v.errors.push((Field::Port, err));
        }
        if self.user.trim().is_empty() {
            v.missing.push("user name");
        } else if let Err(err) = check_input(self.user.trim(), "user name") {
            v.errors.push((Field::User, capitalized(&err.to_string())));
        }
        match self.password_choice {
            _ if self.uses_oauth() => self.validate_oauth(&mut v),
            PasswordChoice::Keyring | PasswordChoice::Session => {
                if self.password.is_empty() {
                    if !self.has_stored_password || self.password_choice == PasswordChoice::Session
                    {
                        v.missing.push("password");
                    }
                } else if let Err(err) = check_input(&self.password, "password") {
                    v.errors
                        .push((Field::Password, capitalized(&err.to_string())));
                }
            }
            PasswordChoice::Command => {
                if crate::desktop::in_flatpak() {
                    // The sandbox has none of the user's programs (pass, secret-tool, …).
                    v.errors.push((Field::Command, FLATPAK_COMMAND.to_owned()));
                } else if self.password_command.trim().is_empty() {
                    v.missing.push("password command");
                }
            }
        }
        if let Err(err) = number(&self.interval, 1, 24 * 60, "number-interval") {
            v.errors.push((Field::Interval, err));
        } else if let Some(minimum) = self.min_interval()
            && self
                .interval
                .trim()
                .parse::<u32>()
                .is_ok_and(|n| n < minimum)
        {
            v.errors.push((
                Field::Interval,
                crate::tr!("interval-too-short", minimum = minimum),
            ));
        }
        if self.leave == LeaveChoice::Days
            && let Err(err) = number(&self.leave_days, 1, 3650, "number-days")
        {
            v.errors.push((Field::LeaveDays, err));
        }
        if self.size_limit_on
            && let Err(err) = number(&self.size_limit_kb, 1, 4_000_000, "number-size-limit")
        {
            v.errors.push((Field::SizeLimit, err));
        }
        if self.first_sync == FirstSyncChoice::LastDays
            && let Err(err) = number(&self.first_sync_days, 1, 36500, "number-days")
        {
            v.errors.push((Field::FirstSyncDays, err));
        }
        let ca_file = self.ca_file.trim();
        let exists = match &self.ca_file_seen {
            Some((seen, exists)) if seen == ca_file => *exists,
            _ => ca_file_exists(ca_file),
        };
        if !exists {
            v.errors
                .push((Field::CaFile, crate::tr!("ca-file-missing", path = ca_file)));
        }
        v
    }

    /// The provider's minimum interval (WEB.DE: 15 minutes), by address or server.
    pub fn min_interval(&self) -> Option<u32> {
        self.preset()
            .or_else(|| presets::for_host(&self.host))
            .and_then(|p| p.min_interval_minutes)
    }

    /// The port, if it is valid.
    pub fn port_number(&self) -> Option<u16> {
        number(&self.port, 1, 65535, "")
            .ok()
            .and_then(|p| u16::try_from(p).ok())
    }

    /// The settings the form describes, and the password it was given (if any). Checks only
    /// what [`Self::validate`] does not (call that first for the reasons).
    pub fn settings(&self) -> Result<(AccountSettings, Option<Secret>), String> {
        let validation = self.validate([]);
        if let Some((_, err)) = validation.errors.first() {
            return Err(err.clone());
        }
        if let Some(missing) = validation.missing.first() {
            return Err(crate::tr!(
                "field-missing",
                field = missing_names(&[missing])
            ));
        }
        let mut s = AccountSettings::new(
            self.name.trim(),
            self.email.trim(),
            self.host.trim(),
            self.user.trim(),
        );
        s.port = self
            .port_number()
            .ok_or_else(|| number_error(1, 65535, "number-port"))?;
        s.security = self.security;
        s.auth = self.auth;
        s.check_on_start = self.check_on_start;
        s.junk = self.junk.clone();
        let whole = |text: &str| text.trim().parse::<u32>().map_err(|e| e.to_string());
        s.interval_minutes = whole(&self.interval)?;
        (s.server_policy, s.delete_when_deleted_locally) = match self.leave {
            LeaveChoice::Forever => (ServerPolicy::Keep, false),
            LeaveChoice::Days => (
                ServerPolicy::DeleteAfterDays(whole(&self.leave_days)?),
                self.also_when_deleted_here,
            ),
            LeaveChoice::UntilDeletedHere => (ServerPolicy::Keep, true),
            LeaveChoice::DeleteAfterDownload => (ServerPolicy::DeleteAfterDownload, false),
        };
        s.size_limit_kb = match self.size_limit_on {
            true => Some(whole(&self.size_limit_kb)?),
            false => None,
        };
        s.first_sync = match self.first_sync {
            FirstSyncChoice::All => FirstSync::All,
            FirstSyncChoice::NewOnly => FirstSync::NewOnly,
            FirstSyncChoice::LastDays => FirstSync::LastDays(whole(&self.first_sync_days)?),
        };
        let ca_file = self.ca_file.trim();
        s.ca_file = (!ca_file.is_empty()).then(|| PathBuf::from(ca_file));
        s.pin_sha256 = self.pin;
        s.reconnect_every = self.reconnect_every;
        s.oauth = self
            .oauth
            .as_ref()
            .map(oauth::normalized)
            .filter(|_| self.auth.takes_token());
        let password = match self.password_choice {
            // The grant is the keyring's; there is no password.
            _ if self.uses_oauth() => {
                s.password_source = PasswordSource::Keyring;
                None
            }
            PasswordChoice::Keyring | PasswordChoice::Session => {
                s.password_source = PasswordSource::Keyring;
                (!self.password.is_empty()).then(|| Secret::new(self.password.clone()))
            }
            PasswordChoice::Command => {
                s.password_source = PasswordSource::Command(self.password_command.trim().into());
                None
            }
        };
        Ok((s, password))
    }
}

/// True for no CA file, or a path that names a file.
/// The names of the fields still to fill in, in the interface's language.
pub fn missing_names(missing: &[&str]) -> String {
    missing
        .iter()
        .map(|name| match *name {
            "account name" => crate::tr!("missing-name"), // untranslated: the form's key
            "email address" => crate::tr!("missing-email"), // untranslated: the form's key
            "server" => crate::tr!("missing-host"),       // untranslated: the form's key
            "user name" => crate::tr!("missing-user"),    // untranslated: the form's key
            "password" => crate::tr!("missing-password"), // untranslated: the form's key
            "password command" => crate::tr!("missing-command"), // untranslated: the form's key
            "sign-in" => crate::tr!("missing-sign-in"),   // untranslated: the form's key
            "authorization URL" => crate::tr!("missing-authorize-url"), // untranslated: the form's key
            "token URL" => crate::tr!("missing-token-url"), // untranslated: the form's key
            other => (*other).to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a password command cannot work inside the Flatpak sandbox.
pub const FLATPAK_COMMAND: &str = "Inside the Flatpak sandbox Poplar cannot start programs on \
     your computer, so a password command cannot run: keep the password in the keyring instead.";

fn ca_file_exists(path: &str) -> bool {
    path.is_empty() || std::path::Path::new(path).is_file()
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub mod oauth;
/// `local@domain`, nothing more: a home or office server's domain may have no dot
/// (`anna@homeserver`, `user1@localhost`), which the command line accepts too; only what
/// cannot be an address at all is refused. (Presets are looked up only for dotted domains,
/// see [`presets::domain_of`].)
fn plausible_address(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.contains(|c: char| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests;

//! The sync engine's error: what failed in a pass, with a kind that decides what happens next.

use std::fmt;

use crate::pop3::{self, Cause, ErrorKind as Pop3Kind};
use crate::store::StoreError;

use super::secrets::SecretError;
use crate::oauth::OAuthError;

/// What kind of failure ended a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncErrorKind {
    /// A POP3 failure of this kind (connect, TLS, timeout, auth, in use, …).
    Pop3(Pop3Kind),
    /// The mail store failed (disk full, read-only, …): nothing is deleted on the server.
    Store,
    /// No password could be had (no keyring, a failing password command).
    Password,
    /// The account's settings cannot work with this server (e.g. delete-after-days without UIDL).
    Settings,
    /// The user cancelled the check.
    Cancelled,
    /// An OAuth account has no usable sign-in: never signed in, revoked, or the provider
    /// refused the refresh ([`Facts::oauth`] says which; `None` means not signed in).
    SignIn,
}

/// A failed pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncError {
    kind: SyncErrorKind,
    message: String,
    facts: Facts,
}

/// What the error knows beyond its kind, for the words the user reads: which server, what
/// it replied, and what exactly went wrong where that is known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    /// The server (and port, where the failure was connecting).
    pub server: Option<String>,
    /// The server's own reply, or the underlying failure, as it came.
    pub reply: Option<String>,
    /// What exactly went wrong, where the POP3 layer could tell.
    pub cause: Option<Cause>,
    /// The store's own kind, for a store failure (a full disk says so).
    pub store: Option<crate::store::StoreErrorKind>,
    /// The account's name, set by the engine when the error ends a check.
    pub account: Option<String>,
    /// What the OAuth provider said, for a sign-in failure.
    pub oauth: Option<Box<OAuthError>>,
    /// The secret the server refused was an OAuth access token (fresh from the provider),
    /// not a password.
    pub with_token: bool,
}

impl SyncError {
    /// A new error.
    pub fn new(kind: SyncErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            facts: Facts::default(),
        }
    }

    /// The same error, naming the account whose check it ended.
    pub fn for_account(mut self, name: impl Into<String>) -> Self {
        self.facts.account = Some(name.into());
        self
    }

    /// What it knows beyond the kind.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The kind.
    pub fn kind(&self) -> SyncErrorKind {
        self.kind
    }

    /// What happens next: the one classification that the schedule, the window's button
    /// and the words all follow.
    pub fn next(&self) -> Next {
        match self.kind {
            SyncErrorKind::Pop3(kind) => match (kind, self.facts.cause) {
                (_, Some(Cause::CertificateChanged)) => Next::AskUser,
                (_, Some(Cause::NameNotFound | Cause::Refused)) => Next::RetryButCheckSettings,
                (Pop3Kind::Auth | Pop3Kind::Tls | Pop3Kind::Input, _) => Next::AskUser,
                (Pop3Kind::Permanent, _) => Next::RetryButCheckSettings,
                (Pop3Kind::LoginDelay, _) => Next::RetryAtInterval,
                (Pop3Kind::InUse, _) => Next::RetryWhenFree,
                (
                    Pop3Kind::Connect
                    | Pop3Kind::Timeout
                    | Pop3Kind::Temporary
                    | Pop3Kind::Closed
                    | Pop3Kind::Protocol,
                    _,
                ) => Next::Retry,
            },
            SyncErrorKind::Store => Next::Retry,
            SyncErrorKind::Password | SyncErrorKind::Settings => Next::AskUser,
            SyncErrorKind::Cancelled => Next::NextTurn,
            SyncErrorKind::SignIn => match self.facts.oauth.as_deref() {
                // The provider could not be reached or stumbled: nothing for the user to do.
                Some(OAuthError::Network(_) | OAuthError::System(_)) => Next::Retry,
                Some(OAuthError::Server {
                    status: Some(500..),
                    ..
                }) => Next::Retry,
                _ => Next::AskUser,
            },
        }
    }

    /// True when checking again later may work without the user changing anything.
    pub fn is_recoverable(&self) -> bool {
        matches!(
            self.next(),
            Next::Retry | Next::RetryAtInterval | Next::RetryWhenFree
        )
    }

    /// True when polling should stop until the user changes the account (a refused login).
    pub fn needs_user(&self) -> bool {
        self.next() == Next::AskUser
    }
}

/// What follows a failed check. Decided once, from the error's kind and facts, in
/// [`SyncError::next`]; the engine's schedule and the window's words both read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Next {
    /// Try again after a pause that grows with each failure in a row; nothing has to change
    /// (no network, a timeout, a temporary server problem, a full disk).
    Retry,
    /// Try again at the next regular check: the provider allows only so many logins.
    RetryAtInterval,
    /// Try again in five minutes or more: another program holds the mailbox.
    RetryWhenFree,
    /// Keep trying with the growing pause, but the likely fix is in the account's settings
    /// (a server name that does not resolve, a refused port, `[SYS/PERM]`).
    RetryButCheckSettings,
    /// Stop checking this account until the user changes it (a refused login, a changed or
    /// refused certificate, no password).
    AskUser,
    /// The user cancelled: the next regular check runs as usual.
    NextTurn,
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SyncError {}

impl From<pop3::Error> for SyncError {
    fn from(err: pop3::Error) -> Self {
        let mut message = err.to_string();
        match err.kind() {
            Pop3Kind::InUse => message.push_str(" (another program, perhaps a phone, is fetching this mailbox; Poplar will try again later)"),
            Pop3Kind::LoginDelay => message.push_str(" (the provider allows only so many checks; Poplar will wait)"),
            _ => {}
        }
        let mut error = Self::new(SyncErrorKind::Pop3(err.kind()), message);
        error.facts = Facts {
            server: Some(err.server().to_owned()),
            reply: Some(err.detail().to_owned()),
            cause: err.cause(),
            store: None,
            account: None,
            oauth: None,
            with_token: false,
        };
        error
    }
}

impl From<StoreError> for SyncError {
    fn from(err: StoreError) -> Self {
        let mut error = Self::new(SyncErrorKind::Store, err.to_string());
        error.facts.store = Some(err.kind());
        error
    }
}

impl From<OAuthError> for SyncError {
    fn from(err: OAuthError) -> Self {
        let mut error = Self::new(SyncErrorKind::SignIn, err.to_string());
        error.facts.oauth = Some(Box::new(err));
        error
    }
}

impl SyncError {
    /// The same error, marked as a refusal of an OAuth access token rather than a password.
    pub fn with_token(mut self) -> Self {
        self.facts.with_token = true;
        self
    }

    /// An OAuth account that has no grant in the keyring: it must sign in first.
    pub fn not_signed_in(account: &str) -> Self {
        Self::new(
            SyncErrorKind::SignIn,
            format!("{account} is not signed in with its provider; sign in again"),
        )
    }
}

impl From<SecretError> for SyncError {
    fn from(err: SecretError) -> Self {
        Self::new(SyncErrorKind::Password, err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pop3::response::StatusLine;

    fn from_reply(line: &str) -> SyncError {
        let status = StatusLine::parse(line.as_bytes()).expect("valid");
        SyncError::from(pop3::Error::from_reply(
            &status,
            Pop3Kind::Auth,
            "log in to",
            "pop.example.com",
        ))
    }

    #[test]
    fn one_classification_decides_retry_and_stop_and_ask() {
        let cases = [
            ("-ERR [IN-USE] locked", Next::RetryWhenFree),
            ("-ERR [LOGIN-DELAY] wait", Next::RetryAtInterval),
            ("-ERR [SYS/TEMP] busy", Next::Retry),
            ("-ERR [SYS/PERM] gone", Next::RetryButCheckSettings),
            (
                "-ERR Mailbox is locked by another session",
                Next::RetryWhenFree,
            ),
            ("-ERR [AUTH] invalid password", Next::AskUser),
            ("-ERR invalid password", Next::AskUser),
        ];
        for (line, next) in cases {
            let error = from_reply(line);
            assert_eq!(error.next(), next, "{line}");
            assert_eq!(error.needs_user(), next == Next::AskUser, "{line}");
        }
        let changed = SyncError::from(
            pop3::Error::new(Pop3Kind::Tls, "connect to", "h", "pin")
                .with_cause(Cause::CertificateChanged),
        );
        assert_eq!(changed.next(), Next::AskUser);
        let typo = SyncError::from(
            pop3::Error::new(Pop3Kind::Connect, "connect to", "h", "no such host")
                .with_cause(Cause::NameNotFound),
        );
        assert_eq!(typo.next(), Next::RetryButCheckSettings);
        assert!(!typo.needs_user(), "no network looks the same: keep trying");
        for kind in [
            Pop3Kind::Connect,
            Pop3Kind::Timeout,
            Pop3Kind::Closed,
            Pop3Kind::Protocol,
        ] {
            let error = SyncError::from(pop3::Error::new(kind, "read from", "h", "x"));
            assert_eq!(error.next(), Next::Retry, "{kind:?}");
            assert!(error.is_recoverable(), "{kind:?}");
        }
        assert_eq!(
            SyncError::new(SyncErrorKind::Cancelled, "c").next(),
            Next::NextTurn
        );
        assert_eq!(
            SyncError::new(SyncErrorKind::Password, "p").next(),
            Next::AskUser
        );
        assert_eq!(
            SyncError::new(SyncErrorKind::Store, "s").next(),
            Next::Retry
        );
    }
}

//! The sync engine's error: what failed in a pass, with a kind that decides what happens next.

use std::fmt;

use crate::pop3::{self, Cause, ErrorKind as Pop3Kind};
use crate::store::StoreError;

use super::secrets::SecretError;

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

    /// What it knows beyond the kind.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The kind.
    pub fn kind(&self) -> SyncErrorKind {
        self.kind
    }

    /// True when checking again later may work without the user changing anything.
    pub fn is_recoverable(&self) -> bool {
        match self.kind {
            SyncErrorKind::Pop3(kind) => matches!(
                kind,
                Pop3Kind::Connect
                    | Pop3Kind::Timeout
                    | Pop3Kind::InUse
                    | Pop3Kind::LoginDelay
                    | Pop3Kind::Temporary
                    | Pop3Kind::Closed
                    | Pop3Kind::Protocol
            ),
            SyncErrorKind::Store => true,
            SyncErrorKind::Password | SyncErrorKind::Settings | SyncErrorKind::Cancelled => false,
        }
    }

    /// True when polling should stop until the user changes the account (a refused login).
    pub fn needs_user(&self) -> bool {
        matches!(
            self.kind,
            SyncErrorKind::Pop3(Pop3Kind::Auth | Pop3Kind::Tls | Pop3Kind::Input)
                | SyncErrorKind::Password
                | SyncErrorKind::Settings
        )
    }
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

impl From<SecretError> for SyncError {
    fn from(err: SecretError) -> Self {
        Self::new(SyncErrorKind::Password, err.to_string())
    }
}

//! A failed check in plain words: what happened and what to do, chosen here, at the edge, in
//! the interface's language, from the error's kind and facts (never from its message's
//! words). The server's own reply stays one click away.

use crate::i18n::Language;
use crate::pop3::{Cause, ErrorKind};
use crate::store::StoreErrorKind;
use crate::sync::{SyncError, SyncErrorKind};
use crate::tr_in;

/// What the user can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// Change the account's settings (password, server, certificate).
    EditAccount,
    /// Nothing but wait: Poplar tries again by itself (or Retry now).
    Wait,
}

/// A failure, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trouble {
    /// What happened and what to do, in a sentence or two.
    pub headline: String,
    /// The button that helps.
    pub fix: Fix,
    /// The full message with the server's reply, for those who want it.
    pub details: String,
}

/// Explains why `account`'s check failed, in the interface's language.
pub fn explain(account: &str, error: &SyncError) -> Trouble {
    explain_in(crate::i18n::language(), account, error)
}

/// Explains why `account`'s check failed, in `language`.
pub fn explain_in(language: Language, account: &str, error: &SyncError) -> Trouble {
    let facts = error.facts();
    let server = facts.server.clone().unwrap_or_default();
    let server = server.as_str();
    let (headline, fix) = match (error.kind(), facts.cause) {
        (SyncErrorKind::Pop3(_), Some(Cause::CertificateChanged)) => (
            tr_in!(
                language,
                "trouble-certificate-changed",
                account = account,
                server = server
            ),
            Fix::EditAccount,
        ),
        (SyncErrorKind::Pop3(_), Some(Cause::NameNotFound)) => (
            tr_in!(language, "trouble-name-not-found", server = server),
            Fix::EditAccount,
        ),
        (SyncErrorKind::Pop3(_), Some(Cause::Refused)) => (
            tr_in!(language, "trouble-refused", server = server),
            Fix::EditAccount,
        ),
        (SyncErrorKind::Pop3(kind), None) => match kind {
            ErrorKind::Auth => (
                tr_in!(language, "trouble-auth", account = account),
                Fix::EditAccount,
            ),
            ErrorKind::Tls => (
                tr_in!(language, "trouble-tls", server = server),
                Fix::EditAccount,
            ),
            ErrorKind::Connect => (
                tr_in!(language, "trouble-connect", server = server),
                Fix::Wait,
            ),
            ErrorKind::Timeout => (
                tr_in!(language, "trouble-timeout", server = server),
                Fix::Wait,
            ),
            ErrorKind::InUse => (
                tr_in!(language, "trouble-in-use", account = account),
                Fix::Wait,
            ),
            ErrorKind::LoginDelay => (
                tr_in!(language, "trouble-login-delay", account = account),
                Fix::Wait,
            ),
            ErrorKind::Temporary => (
                tr_in!(language, "trouble-temporary", server = server),
                Fix::Wait,
            ),
            ErrorKind::Permanent => (
                tr_in!(language, "trouble-permanent", server = server),
                Fix::EditAccount,
            ),
            ErrorKind::Protocol | ErrorKind::Closed => (
                tr_in!(language, "trouble-broken", server = server),
                Fix::Wait,
            ),
            ErrorKind::Input => (
                tr_in!(language, "trouble-input", account = account),
                Fix::EditAccount,
            ),
        },
        (SyncErrorKind::Store, _) => match facts.store {
            Some(StoreErrorKind::DiskFull) => (tr_in!(language, "trouble-disk-full"), Fix::Wait),
            Some(StoreErrorKind::ReadOnly) => (tr_in!(language, "trouble-read-only"), Fix::Wait),
            _ => (tr_in!(language, "trouble-store"), Fix::Wait),
        },
        (SyncErrorKind::Password, _) => (
            tr_in!(language, "trouble-password", account = account),
            Fix::EditAccount,
        ),
        (SyncErrorKind::Settings, _) => (
            tr_in!(language, "trouble-settings", account = account),
            Fix::EditAccount,
        ),
        (SyncErrorKind::Cancelled, _) => (tr_in!(language, "trouble-cancelled"), Fix::Wait),
    };
    Trouble {
        headline,
        fix,
        details: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pop3(kind: ErrorKind, cause: Option<Cause>) -> SyncError {
        let mut err = crate::pop3::Error::new(
            kind,
            "log in to",
            "pop.gmx.net",
            "-ERR [AUTH] authentication failed",
        );
        if let Some(cause) = cause {
            err = err.with_cause(cause);
        }
        SyncError::from(err)
    }

    #[test]
    fn every_failure_gets_words_and_a_fix_and_keeps_the_servers_reply() {
        let refused = explain_in(Language::German, "GMX", &pop3(ErrorKind::Auth, None));
        assert_eq!(
            refused.headline,
            "GMX lehnt die Anmeldung ab: Passwort falsch oder POP3 im Web-Mail nicht \
             eingeschaltet."
        );
        assert_eq!(refused.fix, Fix::EditAccount);
        assert!(
            refused
                .details
                .contains("-ERR [AUTH] authentication failed")
        );
        let changed = explain_in(
            Language::German,
            "GMX",
            &pop3(ErrorKind::Tls, Some(Cause::CertificateChanged)),
        );
        assert!(
            changed.headline.contains("Zertifikat"),
            "{}",
            changed.headline
        );
        let busy = explain_in(Language::German, "GMX", &pop3(ErrorKind::InUse, None));
        assert_eq!(busy.fix, Fix::Wait);
        let refused = explain_in(Language::English, "GMX", &pop3(ErrorKind::Auth, None));
        assert!(
            refused.headline.starts_with("GMX refused the login"),
            "{}",
            refused.headline
        );
        let nowhere = explain_in(
            Language::English,
            "GMX",
            &pop3(ErrorKind::Connect, Some(Cause::NameNotFound)),
        );
        assert!(
            nowhere.headline.contains("pop.gmx.net"),
            "{}",
            nowhere.headline
        );
        assert_eq!(nowhere.fix, Fix::EditAccount);
        let full = SyncError::from(crate::store::StoreError::new(
            StoreErrorKind::DiskFull,
            std::path::Path::new("/home/u/.local/share/poplar/poplar.sqlite3"),
            "database or disk is full",
        ));
        assert!(
            explain_in(Language::English, "GMX", &full)
                .headline
                .contains("disk is full")
        );
    }
}

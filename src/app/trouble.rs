//! A failed check in plain words: what happened and what to do, chosen here, at the edge, in
//! the interface's language, from the error's kind and facts (never from its message's
//! words). The server's own reply stays one click away.

use crate::i18n::Language;
use crate::pop3::{Cause, ErrorKind};
use crate::store::StoreErrorKind;
use crate::sync::{Next, SyncError, SyncErrorKind};
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

/// A failed check for a terminal, in the interface's language: what happened and what to
/// do, then the error with the server's reply on a second, indented line.
pub fn for_terminal(error: &SyncError) -> String {
    let account = error.facts().account.as_deref().unwrap_or_default();
    let words = explain(account, error);
    let mut text = format!("{}\n  {}", words.headline, words.details);
    if error.kind() == SyncErrorKind::SignIn && error.needs_user() && !account.is_empty() {
        text.push_str("\n  ");
        text.push_str(&crate::tr!("trouble-sign-in-command", account = account));
    }
    text
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
    let headline = match (error.kind(), facts.cause) {
        (SyncErrorKind::Pop3(_), Some(Cause::CertificateChanged)) => tr_in!(
            language,
            "trouble-certificate-changed",
            account = account,
            server = server
        ),
        (SyncErrorKind::Pop3(_), Some(Cause::NameNotFound)) => {
            tr_in!(language, "trouble-name-not-found", server = host_of(server))
        }
        (SyncErrorKind::Pop3(_), Some(Cause::Refused)) => {
            tr_in!(language, "trouble-refused", server = server)
        }
        (SyncErrorKind::Pop3(kind), None) => match kind {
            ErrorKind::Auth if facts.with_token => {
                tr_in!(language, "trouble-token-refused", account = account)
            }
            ErrorKind::Auth => tr_in!(language, "trouble-auth", account = account),
            ErrorKind::Tls => tr_in!(language, "trouble-tls", server = server),
            ErrorKind::Connect => tr_in!(language, "trouble-connect", server = server),
            ErrorKind::Timeout => tr_in!(language, "trouble-timeout", server = server),
            ErrorKind::InUse => tr_in!(language, "trouble-in-use", account = account),
            ErrorKind::LoginDelay => tr_in!(language, "trouble-login-delay", account = account),
            ErrorKind::Temporary => tr_in!(language, "trouble-temporary", server = server),
            ErrorKind::Permanent => tr_in!(language, "trouble-permanent", server = server),
            ErrorKind::Protocol | ErrorKind::Closed => {
                tr_in!(language, "trouble-broken", server = server)
            }
            ErrorKind::Input => tr_in!(language, "trouble-input", account = account),
        },
        (SyncErrorKind::Store, _) => match facts.store {
            Some(StoreErrorKind::DiskFull) => tr_in!(language, "trouble-disk-full"),
            Some(StoreErrorKind::ReadOnly) => tr_in!(language, "trouble-read-only"),
            _ => tr_in!(language, "trouble-store"),
        },
        (SyncErrorKind::Password, _) => tr_in!(language, "trouble-password", account = account),
        (SyncErrorKind::Settings, _) => tr_in!(language, "trouble-settings", account = account),
        (SyncErrorKind::Cancelled, _) => tr_in!(language, "trouble-cancelled"),
        (SyncErrorKind::SignIn, _) => sign_in_headline(language, account, error),
    };
    Trouble {
        headline,
        fix: fix_for(error.next()),
        details: error.to_string(),
    }
}

/// Why an OAuth account could not sign in, and what to do.
fn sign_in_headline(language: Language, account: &str, error: &SyncError) -> String {
    use crate::oauth::OAuthError;
    match error.facts().oauth.as_deref() {
        None => tr_in!(language, "trouble-sign-in-missing", account = account),
        Some(OAuthError::Revoked { .. }) => {
            tr_in!(language, "trouble-sign-in-revoked", account = account)
        }
        Some(OAuthError::NoClientId) => {
            tr_in!(language, "trouble-sign-in-no-client-id", account = account)
        }
        Some(_) if !error.needs_user() => {
            tr_in!(language, "trouble-sign-in-unreachable", account = account)
        }
        Some(_) => tr_in!(language, "trouble-sign-in-refused", account = account),
    }
}

/// Why a sign-in in the browser did not work, in plain words: the same sentences as the
/// accounts dialog's ([`crate::app::signin::failure_text`]), for the command line.
pub fn sign_in_failed(error: &crate::oauth::OAuthError) -> String {
    crate::app::signin::failure_text(
        &crate::app::signin::SignInFailure::OAuth(error.clone()),
        &crate::tr!("oauth-provider-yours"),
    )
}

/// The button that helps, from the same classification that decides whether Poplar tries
/// again by itself.
pub fn fix_for(next: Next) -> Fix {
    match next {
        Next::AskUser | Next::RetryButCheckSettings => Fix::EditAccount,
        Next::Retry | Next::RetryAtInterval | Next::RetryWhenFree | Next::NextTurn => Fix::Wait,
    }
}

/// `server` without its port: a name that does not resolve is a name, not a port.
fn host_of(server: &str) -> &str {
    match server.rsplit_once(':') {
        Some((host, port))
            if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && !host.is_empty() =>
        {
            host.trim_start_matches('[').trim_end_matches(']')
        }
        _ => server,
    }
}

/// A short name for the status bar ("GMX: Anmeldung abgelehnt").
pub fn short_in(language: Language, error: &SyncError) -> String {
    match (error.kind(), error.facts().cause) {
        (SyncErrorKind::Pop3(_), Some(Cause::CertificateChanged)) => {
            tr_in!(language, "trouble-short-certificate")
        }
        (SyncErrorKind::Pop3(_), Some(Cause::NameNotFound | Cause::Refused)) => {
            tr_in!(language, "trouble-short-unreachable")
        }
        (SyncErrorKind::Pop3(ErrorKind::Auth), _) => tr_in!(language, "trouble-short-auth"),
        (SyncErrorKind::Password, _) => tr_in!(language, "trouble-short-password"),
        (SyncErrorKind::SignIn, _) if error.needs_user() => {
            tr_in!(language, "trouble-short-sign-in")
        }
        (SyncErrorKind::Pop3(ErrorKind::Tls), _) => tr_in!(language, "trouble-short-tls"),
        (SyncErrorKind::Pop3(ErrorKind::Connect | ErrorKind::Timeout), _) => {
            tr_in!(language, "trouble-short-unreachable")
        }
        (SyncErrorKind::Pop3(ErrorKind::InUse), _) => tr_in!(language, "trouble-short-in-use"),
        (SyncErrorKind::Pop3(ErrorKind::LoginDelay), _) => {
            tr_in!(language, "trouble-short-login-delay")
        }
        (SyncErrorKind::Store, _) => tr_in!(language, "trouble-short-store"),
        (SyncErrorKind::Cancelled, _) => tr_in!(language, "trouble-cancelled"),
        _ => tr_in!(language, "trouble-short-failed"),
    }
}

/// Explains why the accounts dialog's connection test failed, in `language`. The test does
/// not try again by itself, so its words say what to check rather than "Poplar tries again".
pub fn explain_test_in(language: Language, error: &SyncError) -> Trouble {
    let facts = error.facts();
    let server = facts.server.clone().unwrap_or_default();
    let server = server.as_str();
    let headline = match (error.kind(), facts.cause) {
        (SyncErrorKind::Pop3(_), Some(Cause::CertificateChanged)) => {
            tr_in!(language, "test-pin-changed", server = server)
        }
        (SyncErrorKind::Pop3(_), Some(Cause::NameNotFound)) => {
            tr_in!(language, "trouble-name-not-found", server = host_of(server))
        }
        (SyncErrorKind::Pop3(_), Some(Cause::Refused)) => {
            tr_in!(language, "trouble-refused", server = server)
        }
        (SyncErrorKind::Pop3(kind), None) => match kind {
            ErrorKind::Connect => tr_in!(language, "test-failed-connect", server = server),
            ErrorKind::Timeout => tr_in!(language, "test-failed-timeout", server = server),
            ErrorKind::Tls => tr_in!(language, "test-failed-tls", server = server),
            ErrorKind::Auth => tr_in!(language, "test-failed-auth"),
            ErrorKind::InUse => tr_in!(language, "test-failed-in-use"),
            ErrorKind::LoginDelay => tr_in!(language, "test-failed-login-delay"),
            ErrorKind::Temporary => tr_in!(language, "test-failed-temporary", server = server),
            ErrorKind::Permanent => tr_in!(language, "test-failed-permanent", server = server),
            ErrorKind::Protocol => tr_in!(language, "test-failed-protocol", server = server),
            ErrorKind::Closed => tr_in!(language, "test-failed-closed", server = server),
            ErrorKind::Input => tr_in!(language, "test-failed-input"),
        },
        (SyncErrorKind::Cancelled, _) => tr_in!(language, "test-cancelled"),
        _ => tr_in!(language, "test-not-started"),
    };
    Trouble {
        headline,
        fix: fix_for(error.next()),
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
        let with_port = SyncError::from(
            crate::pop3::Error::new(ErrorKind::Connect, "connect to", "pop.gmx.nte:995", "x")
                .with_cause(Cause::NameNotFound),
        );
        assert_eq!(
            explain_in(Language::German, "GMX", &with_port).headline,
            "Einen Server namens pop.gmx.nte gibt es nicht: Prüfen Sie den Namen oder die \
             Internetverbindung."
        );
        assert_eq!(
            short_in(Language::German, &pop3(ErrorKind::Auth, None)),
            "Anmeldung abgelehnt"
        );
        assert_eq!(host_of("[::1]:995"), "::1");
        assert_eq!(host_of("pop.example.com"), "pop.example.com");
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

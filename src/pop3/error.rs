//! The POP3 engine's one error type: a kind that decides what happens next, and a message for
//! people that names the server and quotes its reply.

use std::fmt;

use super::response::{ResponseCode, StatusLine};

/// What kind of failure this is. With the [`Cause`], it is what `sync::SyncError::next`
/// classifies to decide whether to retry and what the user is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The TCP connection could not be made (DNS, refused, unreachable).
    Connect,
    /// TLS failed: handshake, certificate check, pin mismatch, STLS not offered or refused.
    Tls,
    /// The server did not answer in time.
    Timeout,
    /// The credentials were refused (`[AUTH]`, or a plain `-ERR` to the login).
    Auth,
    /// The maildrop is locked by another session (`[IN-USE]`).
    InUse,
    /// The server allows logins only so often (`[LOGIN-DELAY]`).
    LoginDelay,
    /// A temporary server problem (`[SYS/TEMP]`).
    Temporary,
    /// A permanent server problem (`[SYS/PERM]`), or `-ERR` to a command that must work.
    Permanent,
    /// The server broke the protocol (garbage, unexpected data, limits exceeded).
    Protocol,
    /// The connection closed when a response was due.
    Closed,
    /// The request itself is unusable: bad user input or an impossible account setting.
    Input,
}

impl ErrorKind {
    /// A short plain-words name.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Connect => "connection failed",
            Self::Tls => "secure connection failed",
            Self::Timeout => "timed out",
            Self::Auth => "login refused",
            Self::InUse => "mailbox in use",
            Self::LoginDelay => "checked too often",
            Self::Temporary => "temporary server problem",
            Self::Permanent => "server refused",
            Self::Protocol => "protocol error",
            Self::Closed => "connection closed",
            Self::Input => "invalid setting",
        }
    }
}

/// What exactly went wrong, where the kind alone does not tell what the user should do.
/// Set where the failure is seen, so nothing downstream has to read the message's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// The server's name does not resolve (a typo, or no network).
    NameNotFound,
    /// The server refused the connection on that port.
    Refused,
    /// The pinned certificate is not the one the server shows now.
    CertificateChanged,
}

/// A POP3 failure. `Display` gives the message for people, e.g.
/// `cannot log in to pop.example.com: -ERR [AUTH] Authentication failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    action: String,
    server: String,
    detail: String,
    code: Option<ResponseCode>,
    cause: Option<Cause>,
}

impl Error {
    /// A new error. `action` completes "cannot …", e.g. "log in to" or "connect to".
    pub fn new(
        kind: ErrorKind,
        action: impl Into<String>,
        server: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            action: action.into(),
            server: server.into(),
            detail: detail.into(),
            code: None,
            cause: None,
        }
    }

    /// The same error, saying exactly what went wrong.
    pub fn with_cause(mut self, cause: Cause) -> Self {
        self.cause = Some(cause);
        self
    }

    /// The same error, keeping the response code of the reply it came from.
    pub fn with_code(mut self, code: Option<ResponseCode>) -> Self {
        self.code = code;
        self
    }

    /// What exactly went wrong, where it is known.
    pub fn cause(&self) -> Option<Cause> {
        self.cause
    }

    /// An error from a `-ERR` reply: the kind comes from its response code (RFC 2449, RFC 3206),
    /// or `fallback` when it has none; the reply is quoted in the message.
    pub fn from_reply(
        status: &StatusLine,
        fallback: ErrorKind,
        action: impl Into<String>,
        server: impl Into<String>,
    ) -> Self {
        let kind = match &status.code {
            Some(ResponseCode::InUse) => ErrorKind::InUse,
            Some(ResponseCode::LoginDelay) => ErrorKind::LoginDelay,
            Some(ResponseCode::SysTemp) => ErrorKind::Temporary,
            Some(ResponseCode::SysPerm) => ErrorKind::Permanent,
            Some(ResponseCode::Auth) => ErrorKind::Auth,
            _ if fallback == ErrorKind::Auth && looks_locked(&status.text) => ErrorKind::InUse,
            _ => fallback,
        };
        Self {
            kind,
            action: action.into(),
            server: server.into(),
            detail: status.render(),
            code: status.code.clone(),
            cause: None,
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The server's response code, when the error came from a reply that had one.
    pub fn code(&self) -> Option<&ResponseCode> {
        self.code.as_ref()
    }

    /// The server this error concerns.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The detail: the server's reply or the underlying failure.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

/// RFC 1939 servers without RESP-CODES report a locked maildrop only in words.
fn looks_locked(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["lock", "in use", "in-use", "busy"]
        .iter()
        .any(|w| lower.contains(w))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot {} {}: {}", self.action, self.server, self.detail)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(line: &str) -> StatusLine {
        StatusLine::parse(line.as_bytes()).expect("valid")
    }

    #[test]
    fn auth_error_names_the_server_and_quotes_the_reply() {
        let err = Error::from_reply(
            &status("-ERR [AUTH] Authentication failed"),
            ErrorKind::Auth,
            "log in to",
            "pop.example.com",
        );
        assert_eq!(
            err.to_string(),
            "cannot log in to pop.example.com: -ERR [AUTH] Authentication failed"
        );
        assert_eq!(err.kind(), ErrorKind::Auth);
    }

    #[test]
    fn response_codes_decide_the_kind() {
        let cases = [
            ("-ERR [IN-USE] locked", ErrorKind::InUse),
            ("-ERR [LOGIN-DELAY] wait", ErrorKind::LoginDelay),
            ("-ERR [SYS/TEMP] busy", ErrorKind::Temporary),
            ("-ERR [SYS/PERM] gone", ErrorKind::Permanent),
            (
                "-ERR Mailbox is locked by another session",
                ErrorKind::InUse,
            ),
            ("-ERR invalid password", ErrorKind::Auth),
        ];
        for (line, kind) in cases {
            let err = Error::from_reply(&status(line), ErrorKind::Auth, "log in to", "h");
            assert_eq!(err.kind(), kind, "{line}");
        }
    }
}

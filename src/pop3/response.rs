//! Parsed POP3 server responses: status lines, response codes and multi-line bodies.

use std::fmt;

/// An extended response code in brackets after `+OK` or `-ERR` (RFC 2449 §8, RFC 3206).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseCode {
    /// `[IN-USE]`: the maildrop is locked by another session (RFC 2449 §8.1.1).
    InUse,
    /// `[LOGIN-DELAY]`: the user logged in too recently (RFC 2449 §8.1.2).
    LoginDelay,
    /// `[SYS/TEMP]`: a temporary system problem; retry later (RFC 3206 §4).
    SysTemp,
    /// `[SYS/PERM]`: a permanent system problem (RFC 3206 §4).
    SysPerm,
    /// `[AUTH]`: the credentials were wrong (RFC 3206 §5).
    Auth,
    /// Any other code, kept verbatim (unknown codes mean a plain `-ERR`).
    Other(String),
}

impl ResponseCode {
    /// Parses the text between the brackets; comparison is case-insensitive.
    pub fn parse(code: &str) -> Self {
        match code.to_ascii_uppercase().as_str() {
            "IN-USE" => Self::InUse,
            "LOGIN-DELAY" => Self::LoginDelay,
            "SYS/TEMP" => Self::SysTemp,
            "SYS/PERM" => Self::SysPerm,
            "AUTH" => Self::Auth,
            _ => Self::Other(code.to_owned()),
        }
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Self::InUse => "IN-USE",
            Self::LoginDelay => "LOGIN-DELAY",
            Self::SysTemp => "SYS/TEMP",
            Self::SysPerm => "SYS/PERM",
            Self::Auth => "AUTH",
            Self::Other(other) => other,
        };
        f.write_str(text)
    }
}

/// The first line of every response: `+OK` or `-ERR`, an optional code and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// True for `+OK`, false for `-ERR`.
    pub ok: bool,
    /// The bracketed response code, when the server sent one.
    pub code: Option<ResponseCode>,
    /// The human-readable text after the status indicator and code (lossy UTF-8).
    pub text: String,
}

impl StatusLine {
    /// Parses a status line without its line ending. Returns `None` when the line starts with
    /// neither `+OK` nor `-ERR` (in any case, as RFC 1939 servers are not all exact).
    pub fn parse(line: &[u8]) -> Option<Self> {
        let (ok, rest) = if starts_with_ignore_case(line, b"+OK") {
            (true, &line[3..])
        } else if starts_with_ignore_case(line, b"-ERR") {
            (false, &line[4..])
        } else {
            return None;
        };
        // The indicator must end the line or be followed by a space ("+OKAY" is not +OK).
        let rest = match rest.first() {
            None => rest,
            Some(b' ') => &rest[1..],
            Some(_) => return None,
        };
        let text = String::from_utf8_lossy(rest);
        let (code, text) = split_code(&text);
        Some(Self { ok, code, text })
    }

    /// The line as the server sent it, for error messages: `-ERR [AUTH] Authentication failed`.
    pub fn render(&self) -> String {
        let mut out = String::from(if self.ok { "+OK" } else { "-ERR" });
        if let Some(code) = &self.code {
            out.push_str(&format!(" [{code}]"));
        }
        if !self.text.is_empty() {
            out.push(' ');
            out.push_str(&self.text);
        }
        out
    }
}

/// RFC 2449 §8: a response code is the first thing after the status, in square brackets.
fn split_code(text: &str) -> (Option<ResponseCode>, String) {
    if let Some(inner) = text.strip_prefix('[')
        && let Some(end) = inner.find(']')
    {
        let code = &inner[..end];
        if !code.is_empty() && !code.contains(char::is_whitespace) {
            let rest = inner[end + 1..].trim_start();
            return (Some(ResponseCode::parse(code)), rest.to_owned());
        }
    }
    (None, text.to_owned())
}

fn starts_with_ignore_case(line: &[u8], prefix: &[u8]) -> bool {
    line.len() >= prefix.len() && line[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// One complete response, as yielded by the [`ResponseReader`](super::reader::ResponseReader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// A single-line response (also a `-ERR` to a command that would have been multi-line).
    Status(StatusLine),
    /// A multi-line response: the `+OK` line and the dot-unstuffed body, without the final `.`.
    MultiLine {
        /// The `+OK` status line.
        status: StatusLine,
        /// The body bytes exactly as sent, after dot-unstuffing (RFC 1939 §3).
        body: Vec<u8>,
    },
    /// A SASL continuation `+ <base64>` (RFC 5034 §4), with the text after `+ `.
    Continue(String),
}

impl Response {
    /// The status line, or `None` for a SASL continuation.
    pub fn status(&self) -> Option<&StatusLine> {
        match self {
            Self::Status(status) | Self::MultiLine { status, .. } => Some(status),
            Self::Continue(_) => None,
        }
    }

    /// True for a `+OK` status (single or multi-line).
    pub fn is_ok(&self) -> bool {
        self.status().is_some_and(|s| s.ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line_with_code_is_split_into_code_and_text() {
        let line = StatusLine::parse(b"-ERR [AUTH] Authentication failed.").expect("parses");
        assert!(!line.ok);
        assert_eq!(line.code, Some(ResponseCode::Auth));
        assert_eq!(line.text, "Authentication failed.");
        assert_eq!(line.render(), "-ERR [AUTH] Authentication failed.");
    }

    #[test]
    fn hierarchical_and_unknown_codes_are_kept() {
        let line = StatusLine::parse(b"-ERR [SYS/TEMP] try later").expect("parses");
        assert_eq!(line.code, Some(ResponseCode::SysTemp));
        let line = StatusLine::parse(b"-err [x-Funny] odd").expect("parses");
        assert_eq!(line.code, Some(ResponseCode::Other("x-Funny".into())));
        let line = StatusLine::parse(b"-ERR [in-use] locked").expect("parses");
        assert_eq!(line.code, Some(ResponseCode::InUse));
    }

    #[test]
    fn status_without_text_and_lowercase_status_parse() {
        let line = StatusLine::parse(b"+OK").expect("parses");
        assert!(line.ok && line.text.is_empty() && line.code.is_none());
        assert!(StatusLine::parse(b"+ok fine").expect("parses").ok);
    }

    #[test]
    fn garbage_and_lookalikes_are_not_status_lines() {
        assert!(StatusLine::parse(b"HELLO").is_none());
        assert!(StatusLine::parse(b"+OKAY").is_none());
        assert!(StatusLine::parse(b"").is_none());
        assert!(StatusLine::parse(b"+ abc").is_none());
    }

    #[test]
    fn bracket_text_that_is_not_a_code_stays_in_the_text() {
        let line = StatusLine::parse(b"+OK [not a code] hi").expect("parses");
        assert_eq!(line.code, None);
        assert_eq!(line.text, "[not a code] hi");
    }
}

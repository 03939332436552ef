//! POP3 commands: validation, encoding to the wire, and a redacted form for the trace.

use super::reader::Expect;

/// A secret (password, SASL response, OAuth token) that never shows in `Debug` output or traces.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret string.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that must put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(****)")
    }
}

/// One POP3 command (RFC 1939, RFC 2449, RFC 2595, RFC 5034, RFC 6856).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `CAPA` (RFC 2449 §5).
    Capa,
    /// `STLS` (RFC 2595 §4).
    Stls,
    /// `UTF8` (RFC 6856 §2).
    Utf8,
    /// `USER name`.
    User(String),
    /// `PASS secret`.
    Pass(Secret),
    /// `APOP name digest`.
    Apop {
        /// The user name.
        user: String,
        /// Lower-case hex MD5 of the greeting's timestamp and the secret.
        digest: String,
    },
    /// `AUTH mechanism [initial-response]` (RFC 5034).
    Auth {
        /// The SASL mechanism name.
        mechanism: String,
        /// The base64 initial response (`=` for an empty one), when sent with the command.
        initial: Option<Secret>,
    },
    /// A base64 line answering a SASL challenge, or `*` to cancel.
    SaslResponse(Secret),
    /// `STAT`.
    Stat,
    /// `LIST` or `LIST n`.
    List(Option<u32>),
    /// `UIDL` or `UIDL n`.
    Uidl(Option<u32>),
    /// `TOP n lines`.
    Top(u32, u32),
    /// `RETR n`.
    Retr(u32),
    /// `DELE n`.
    Dele(u32),
    /// `RSET`.
    Rset,
    /// `NOOP`.
    Noop,
    /// `QUIT`.
    Quit,
}

/// Why a command could not be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// An argument contains CR, LF or NUL, which would let it inject further commands.
    ForbiddenByte(&'static str),
    /// An argument is empty or contains a space where one word is required.
    BadArgument(&'static str),
    /// The encoded command exceeds 255 octets (RFC 2449 §4).
    TooLong(usize),
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ForbiddenByte(what) => {
                write!(f, "the {what} contains a line break or NUL character")
            }
            Self::BadArgument(what) => write!(f, "the {what} is empty or contains a space"),
            Self::TooLong(n) => write!(f, "the command would be {n} bytes, over POP3's 255"),
        }
    }
}

impl std::error::Error for CommandError {}

/// RFC 2449 §4: a command line is at most 255 octets including CRLF.
pub const MAX_COMMAND_LINE: usize = 255;

/// Refuses CR, LF and NUL in anything that came from a user or an account setting.
pub fn check_input(value: &str, what: &'static str) -> Result<(), CommandError> {
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(CommandError::ForbiddenByte(what));
    }
    Ok(())
}

impl Command {
    /// Which response form this command produces.
    pub fn expect(&self) -> Expect {
        match self {
            Self::Capa | Self::Top(..) | Self::Retr(_) | Self::List(None) | Self::Uidl(None) => {
                Expect::MultiLine
            }
            Self::Auth { .. } | Self::SaslResponse(_) => Expect::Sasl,
            _ => Expect::Status,
        }
    }

    /// The command keyword, for errors and state checks.
    pub fn keyword(&self) -> &'static str {
        match self {
            Self::Capa => "CAPA",
            Self::Stls => "STLS",
            Self::Utf8 => "UTF8",
            Self::User(_) => "USER",
            Self::Pass(_) => "PASS",
            Self::Apop { .. } => "APOP",
            Self::Auth { .. } => "AUTH",
            Self::SaslResponse(_) => "(SASL response)",
            Self::Stat => "STAT",
            Self::List(_) => "LIST",
            Self::Uidl(_) => "UIDL",
            Self::Top(..) => "TOP",
            Self::Retr(_) => "RETR",
            Self::Dele(_) => "DELE",
            Self::Rset => "RSET",
            Self::Noop => "NOOP",
            Self::Quit => "QUIT",
        }
    }

    /// Checks the arguments and appends the command line, with CRLF, to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), CommandError> {
        let line = match self {
            Self::User(name) => {
                check_input(name, "user name")?;
                if name.is_empty() {
                    return Err(CommandError::BadArgument("user name"));
                }
                format!("USER {name}")
            }
            Self::Pass(secret) => {
                check_input(secret.expose(), "password")?;
                format!("PASS {}", secret.expose())
            }
            Self::Apop { user, digest } => {
                check_input(user, "user name")?;
                if user.is_empty() || user.contains(' ') {
                    return Err(CommandError::BadArgument("user name"));
                }
                format!("APOP {user} {digest}")
            }
            Self::Auth { mechanism, initial } => {
                check_input(mechanism, "SASL mechanism")?;
                match initial {
                    Some(initial) => {
                        check_input(initial.expose(), "SASL response")?;
                        format!("AUTH {mechanism} {}", initial.expose())
                    }
                    None => format!("AUTH {mechanism}"),
                }
            }
            Self::SaslResponse(secret) => {
                check_input(secret.expose(), "SASL response")?;
                secret.expose().to_owned()
            }
            Self::List(Some(n)) => format!("LIST {n}"),
            Self::Uidl(Some(n)) => format!("UIDL {n}"),
            Self::Top(n, lines) => format!("TOP {n} {lines}"),
            Self::Retr(n) => format!("RETR {n}"),
            Self::Dele(n) => format!("DELE {n}"),
            other => other.keyword().to_owned(),
        };
        // A SASL response line is not a command and may be longer (RFC 5034 §4).
        if !matches!(self, Self::SaslResponse(_)) && line.len() + 2 > MAX_COMMAND_LINE {
            return Err(CommandError::TooLong(line.len() + 2));
        }
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// The command as it may appear in a trace: passwords and SASL data replaced by `****`.
    pub fn redacted(&self) -> String {
        match self {
            Self::Pass(_) => "PASS ****".into(),
            Self::Apop { user, .. } => format!("APOP {user} ****"),
            Self::Auth {
                mechanism,
                initial: Some(_),
            } => format!("AUTH {mechanism} ****"),
            Self::Auth {
                mechanism,
                initial: None,
            } => format!("AUTH {mechanism}"),
            Self::SaslResponse(_) => "****".into(),
            Self::User(name) => format!("USER {name}"),
            Self::List(Some(n)) => format!("LIST {n}"),
            Self::Uidl(Some(n)) => format!("UIDL {n}"),
            Self::Top(n, lines) => format!("TOP {n} {lines}"),
            Self::Retr(n) => format!("RETR {n}"),
            Self::Dele(n) => format!("DELE {n}"),
            other => other.keyword().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(command: &Command) -> Result<String, CommandError> {
        let mut out = Vec::new();
        command.encode(&mut out)?;
        Ok(String::from_utf8(out).expect("ascii"))
    }

    #[test]
    fn commands_encode_with_crlf() {
        assert_eq!(encoded(&Command::Retr(7)), Ok("RETR 7\r\n".into()));
        assert_eq!(encoded(&Command::Top(3, 0)), Ok("TOP 3 0\r\n".into()));
        assert_eq!(encoded(&Command::Uidl(None)), Ok("UIDL\r\n".into()));
        assert_eq!(
            encoded(&Command::User("anna@example.de".into())),
            Ok("USER anna@example.de\r\n".into())
        );
    }

    #[test]
    fn line_breaks_and_nul_in_user_input_never_reach_the_wire() {
        for bad in ["a\r\nDELE 1", "a\nb", "a\0b"] {
            let mut out = Vec::new();
            assert_eq!(
                Command::Pass(Secret::new(bad)).encode(&mut out),
                Err(CommandError::ForbiddenByte("password"))
            );
            assert_eq!(
                Command::User(bad.into()).encode(&mut out),
                Err(CommandError::ForbiddenByte("user name"))
            );
            assert!(out.is_empty());
        }
    }

    #[test]
    fn overlong_commands_are_refused() {
        let long = "x".repeat(300);
        assert!(matches!(
            encoded(&Command::User(long)),
            Err(CommandError::TooLong(_))
        ));
    }

    #[test]
    fn secrets_never_show_in_traces_or_debug() {
        let pass = Command::Pass(Secret::new("hunter2"));
        assert_eq!(pass.redacted(), "PASS ****");
        assert!(!format!("{pass:?}").contains("hunter2"));
        let auth = Command::Auth {
            mechanism: "PLAIN".into(),
            initial: Some(Secret::new("AGEAYg==")),
        };
        assert!(!auth.redacted().contains("AGEAYg"));
        assert!(
            !Command::SaslResponse(Secret::new("c2VjcmV0"))
                .redacted()
                .contains("c2Vj")
        );
    }
}

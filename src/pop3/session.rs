//! The sans-I/O POP3 session: the protocol state machine and the queue of commands in flight.
//!
//! `Session::send` checks that a command is allowed in the state the session will be in when
//! the server reads it, encodes it into an output buffer and remembers which response form it
//! expects. `Session::push` takes received bytes; `Session::poll` yields each command with its
//! response, strictly in order (RFC 2449 §6.6), and moves the state machine.

use std::collections::VecDeque;

use super::command::{Command, CommandError};
use super::reader::{Limits, ReadError, ResponseReader};
use super::response::Response;

/// The protocol states of RFC 1939 §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Connected, waiting for the greeting.
    Greeting,
    /// AUTHORIZATION: before a successful login.
    Authorization,
    /// TRANSACTION: logged in; messages can be listed, fetched and marked.
    Transaction,
    /// UPDATE: QUIT was accepted in TRANSACTION; marked messages are gone.
    Update,
    /// The session is over (QUIT answered outside TRANSACTION, or the greeting was `-ERR`).
    Closed,
}

/// Why the session refused a command or could not read a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// The command is not valid in the state the session will be in.
    WrongState {
        /// The command keyword.
        command: &'static str,
        /// The state it would have been sent in.
        state: State,
    },
    /// The command's arguments were refused before reaching the wire.
    Command(CommandError),
    /// The server's bytes could not be read as a response.
    Read(ReadError),
    /// Bytes arrived with no command waiting for them.
    Unsolicited,
    /// Plaintext bytes followed the `+OK` to STLS (a STARTTLS injection attempt, RFC 2595 §4).
    DataAfterStls,
}

impl std::fmt::Display for SessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::WrongState { command, state } => {
                write!(f, "{command} is not allowed in the {state:?} state")
            }
            Self::Command(err) => err.fmt(f),
            Self::Read(err) => err.fmt(f),
            Self::Unsolicited => f.write_str("the server sent data nobody asked for"),
            Self::DataAfterStls => {
                f.write_str("the server sent plaintext data after agreeing to STLS")
            }
        }
    }
}

impl std::error::Error for SessionError {}

impl From<CommandError> for SessionError {
    fn from(err: CommandError) -> Self {
        Self::Command(err)
    }
}

impl From<ReadError> for SessionError {
    fn from(err: ReadError) -> Self {
        Self::Read(err)
    }
}

/// A command still waiting for its response.
#[derive(Debug)]
struct InFlight {
    command: Command,
}

/// A command paired with the server's response to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The command that was sent (`None` for the greeting).
    pub command: Option<Command>,
    /// The server's response.
    pub response: Response,
}

/// The POP3 session state machine. See the module documentation.
#[derive(Debug)]
pub struct Session {
    state: State,
    /// The state once every command in flight has succeeded: what new commands are checked
    /// against when pipelining.
    projected: State,
    in_flight: VecDeque<InFlight>,
    greeting_pending: bool,
    reader: ResponseReader,
    /// The APOP timestamp from the greeting, `<...@...>` (RFC 1939 §7).
    apop_timestamp: Option<String>,
    /// True when QUIT was answered `+OK` in TRANSACTION: deletions took effect.
    updated: bool,
}

impl Default for Session {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

impl Session {
    /// A new session that first expects the server's greeting.
    pub fn new(limits: Limits) -> Self {
        Self {
            state: State::Greeting,
            projected: State::Authorization,
            in_flight: VecDeque::new(),
            greeting_pending: true,
            reader: ResponseReader::new(limits),
            apop_timestamp: None,
            updated: false,
        }
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Commands sent whose responses have not arrived yet.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// The APOP timestamp from the greeting, if the server sent one.
    pub fn apop_timestamp(&self) -> Option<&str> {
        self.apop_timestamp.as_deref()
    }

    /// True once the server accepted QUIT in TRANSACTION state, i.e. messages marked with DELE
    /// are really deleted (RFC 1939 §6).
    pub fn deletions_committed(&self) -> bool {
        self.updated
    }

    /// True when nothing is in flight and no received byte is unread.
    pub fn is_idle(&self) -> bool {
        self.in_flight.is_empty() && !self.greeting_pending && self.reader.is_clean()
    }

    /// Checks `command` against the projected state, encodes it into `out` and queues it.
    pub fn send(&mut self, command: Command, out: &mut Vec<u8>) -> Result<(), SessionError> {
        let state = self.projected;
        if !allowed(&command, state) {
            return Err(SessionError::WrongState {
                command: command.keyword(),
                state,
            });
        }
        command.encode(out)?;
        tracing::debug!(target: "poplar::pop3", "C: {}", command.redacted());
        self.projected = match (&command, state) {
            // AUTH is not counted: its outcome needs a SASL exchange, which is never pipelined.
            (Command::Pass(_) | Command::Apop { .. }, _) => State::Transaction,
            (Command::Quit, _) => State::Closed,
            (_, state) => state,
        };
        self.in_flight.push_back(InFlight { command });
        Ok(())
    }

    /// Takes bytes received from the server.
    pub fn push(&mut self, data: &[u8]) {
        self.reader.push(data);
    }

    /// Yields the next complete reply, or `None` when more bytes are needed.
    pub fn poll(&mut self) -> Result<Option<Reply>, SessionError> {
        if self.greeting_pending {
            let Some(response) = self.reader.next_response(super::reader::Expect::Status)? else {
                return Ok(None);
            };
            self.greeting_pending = false;
            if let Some(status) = response.status() {
                if status.ok {
                    self.state = State::Authorization;
                    self.apop_timestamp = find_apop_timestamp(&status.text);
                } else {
                    self.state = State::Closed;
                    self.projected = State::Closed;
                }
                tracing::debug!(target: "poplar::pop3", "S: {}", status.render());
            }
            return Ok(Some(Reply {
                command: None,
                response,
            }));
        }
        let Some(front) = self.in_flight.front() else {
            if self.reader.buffered() > 0 {
                return Err(SessionError::Unsolicited);
            }
            return Ok(None);
        };
        let Some(response) = self.reader.next_response(front.command.expect())? else {
            return Ok(None);
        };
        let Some(InFlight { command }) = self.in_flight.pop_front() else {
            return Ok(None);
        };
        self.after_reply(&command, &response)?;
        Ok(Some(Reply {
            command: Some(command),
            response,
        }))
    }

    fn after_reply(&mut self, command: &Command, response: &Response) -> Result<(), SessionError> {
        match response {
            Response::Continue(_) => tracing::debug!(target: "poplar::pop3", "S: + ****"),
            Response::Status(status) => {
                tracing::debug!(target: "poplar::pop3", "S: {}", status.render())
            }
            Response::MultiLine { status, body } => tracing::debug!(
                target: "poplar::pop3",
                "S: {} ({} bytes follow)",
                status.render(),
                body.len()
            ),
        }
        let ok = response.is_ok();
        match command {
            Command::Pass(_)
            | Command::Apop { .. }
            | Command::Auth { .. }
            | Command::SaslResponse(_)
                if ok =>
            {
                self.state = State::Transaction;
                self.projected = projected_after(self.state, &self.in_flight);
            }
            Command::Pass(_)
            | Command::Apop { .. }
            | Command::Auth { .. }
            | Command::SaslResponse(_)
                if !ok && !matches!(response, Response::Continue(_)) =>
            {
                // A failed login leaves the session in AUTHORIZATION; later pipelined commands
                // will fail on their own.
                self.projected = projected_after(self.state, &self.in_flight);
            }
            // RFC 2595 §4: the TLS negotiation starts right after the CRLF of "+OK". Any byte
            // already buffered was sent in plaintext and must not be trusted.
            Command::Stls if ok && self.reader.buffered() > 0 => {
                return Err(SessionError::DataAfterStls);
            }
            Command::Quit if ok => {
                if self.state == State::Transaction {
                    self.state = State::Update;
                    self.updated = true;
                } else {
                    self.state = State::Closed;
                }
                self.projected = State::Closed;
            }
            _ => {}
        }
        Ok(())
    }

    /// Forgets buffered bytes and capabilities of the plaintext phase after STLS; the caller
    /// then runs the TLS handshake and sends CAPA again (RFC 2595 §4).
    pub fn reset_after_stls(&mut self, limits: Limits) {
        self.reader = ResponseReader::new(limits);
        self.apop_timestamp = None;
    }
}

/// The state the session would be in after all commands in flight succeed.
fn projected_after(state: State, in_flight: &VecDeque<InFlight>) -> State {
    in_flight
        .iter()
        .fold(state, |state, pending| match pending.command {
            Command::Pass(_) | Command::Apop { .. } => State::Transaction,
            Command::Quit => State::Closed,
            _ => state,
        })
}

/// Which commands each state accepts (RFC 1939 §4–§6, RFC 2449 §5, RFC 2595 §4, RFC 6856 §2).
fn allowed(command: &Command, state: State) -> bool {
    use Command as C;
    match state {
        State::Authorization => matches!(
            command,
            C::Capa
                | C::Stls
                | C::Utf8
                | C::User(_)
                | C::Pass(_)
                | C::Apop { .. }
                | C::Auth { .. }
                | C::SaslResponse(_)
                | C::Quit
        ),
        State::Transaction => matches!(
            command,
            C::Capa
                | C::Stat
                | C::List(_)
                | C::Uidl(_)
                | C::Top(..)
                | C::Retr(_)
                | C::Dele(_)
                | C::Rset
                | C::Noop
                | C::Quit
        ),
        State::Greeting | State::Update | State::Closed => false,
    }
}

/// RFC 1939 §7: the greeting may carry a timestamp `<process-ID.clock@hostname>` for APOP.
fn find_apop_timestamp(text: &str) -> Option<String> {
    let start = text.find('<')?;
    let end = start + text[start..].find('>')?;
    let stamp = &text[start..=end];
    stamp.contains('@').then(|| stamp.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pop3::command::Secret;

    fn session_after_greeting() -> Session {
        let mut session = Session::default();
        session.push(b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n");
        let greeting = session.poll().expect("valid").expect("complete");
        assert!(greeting.command.is_none() && greeting.response.is_ok());
        session
    }

    #[test]
    fn greeting_moves_to_authorization_and_keeps_the_apop_timestamp() {
        let session = session_after_greeting();
        assert_eq!(session.state(), State::Authorization);
        assert_eq!(
            session.apop_timestamp(),
            Some("<1896.697170952@dbc.mtview.ca.us>")
        );
    }

    #[test]
    fn err_greeting_closes_the_session() {
        let mut session = Session::default();
        session.push(b"-ERR go away\r\n");
        assert!(session.poll().expect("valid").is_some());
        assert_eq!(session.state(), State::Closed);
        let mut out = Vec::new();
        assert!(session.send(Command::Capa, &mut out).is_err());
    }

    #[test]
    fn transaction_commands_are_refused_before_login() {
        let mut session = session_after_greeting();
        let mut out = Vec::new();
        for command in [
            Command::Retr(1),
            Command::Dele(1),
            Command::Stat,
            Command::Uidl(None),
        ] {
            assert!(matches!(
                session.send(command, &mut out),
                Err(SessionError::WrongState {
                    state: State::Authorization,
                    ..
                })
            ));
        }
        assert!(out.is_empty());
    }

    #[test]
    fn login_commands_are_refused_after_login() {
        let mut session = session_after_greeting();
        let mut out = Vec::new();
        session
            .send(Command::User("u".into()), &mut out)
            .expect("allowed");
        session
            .send(Command::Pass(Secret::new("p")), &mut out)
            .expect("allowed");
        session.push(b"+OK\r\n+OK logged in\r\n");
        session.poll().expect("valid");
        session.poll().expect("valid");
        assert_eq!(session.state(), State::Transaction);
        assert!(session.send(Command::User("u".into()), &mut out).is_err());
        assert!(session.send(Command::Stls, &mut out).is_err());
    }

    #[test]
    fn pipelined_replies_match_commands_in_order() {
        let mut session = session_after_greeting();
        let mut out = Vec::new();
        session
            .send(Command::User("u".into()), &mut out)
            .expect("allowed");
        session
            .send(Command::Pass(Secret::new("p")), &mut out)
            .expect("allowed");
        // Sent before PASS is answered: checked against the projected TRANSACTION state.
        session
            .send(Command::Uidl(None), &mut out)
            .expect("allowed");
        session
            .send(Command::List(None), &mut out)
            .expect("allowed");
        assert_eq!(out, b"USER u\r\nPASS p\r\nUIDL\r\nLIST\r\n");
        session.push(b"+OK\r\n+OK\r\n+OK\r\n1 abc\r\n.\r\n+OK\r\n1 10\r\n.\r\n");
        let keywords: Vec<_> = std::iter::from_fn(|| session.poll().expect("valid"))
            .map(|reply| reply.command.map(|c| c.keyword()))
            .collect();
        assert_eq!(
            keywords,
            vec![Some("USER"), Some("PASS"), Some("UIDL"), Some("LIST")]
        );
        assert!(session.is_idle());
    }

    #[test]
    fn deletions_take_effect_only_with_quit_ok_in_transaction() {
        let mut session = session_after_greeting();
        let mut out = Vec::new();
        session
            .send(Command::User("u".into()), &mut out)
            .expect("allowed");
        session
            .send(Command::Pass(Secret::new("p")), &mut out)
            .expect("allowed");
        session.send(Command::Dele(1), &mut out).expect("allowed");
        session.push(b"+OK\r\n+OK\r\n+OK marked\r\n");
        while session.poll().expect("valid").is_some() {}
        assert!(!session.deletions_committed());
        session.send(Command::Quit, &mut out).expect("allowed");
        session.push(b"+OK bye\r\n");
        session.poll().expect("valid");
        assert_eq!(session.state(), State::Update);
        assert!(session.deletions_committed());
    }

    #[test]
    fn quit_err_means_deletions_did_not_happen() {
        let mut session = session_after_greeting();
        let mut out = Vec::new();
        session
            .send(Command::User("u".into()), &mut out)
            .expect("allowed");
        session
            .send(Command::Pass(Secret::new("p")), &mut out)
            .expect("allowed");
        session.send(Command::Quit, &mut out).expect("allowed");
        session.push(b"+OK\r\n+OK\r\n-ERR some deleted messages not removed\r\n");
        while session.poll().expect("valid").is_some() {}
        assert!(!session.deletions_committed());
    }

    #[test]
    fn a_failed_password_returns_to_authorization() {
        let mut session = session_after_greeting();
        let mut out = Vec::new();
        session
            .send(Command::User("u".into()), &mut out)
            .expect("allowed");
        session
            .send(Command::Pass(Secret::new("bad")), &mut out)
            .expect("allowed");
        session.push(b"+OK\r\n-ERR [AUTH] Authentication failed.\r\n");
        while session.poll().expect("valid").is_some() {}
        assert_eq!(session.state(), State::Authorization);
        session
            .send(Command::User("u".into()), &mut out)
            .expect("may try again");
    }

    #[test]
    fn plaintext_after_stls_ok_is_refused() {
        let mut session = session_after_greeting();
        let mut out = Vec::new();
        session.send(Command::Stls, &mut out).expect("allowed");
        session.push(b"+OK begin TLS\r\n+OK injected\r\n");
        assert_eq!(session.poll(), Err(SessionError::DataAfterStls));
    }

    #[test]
    fn unsolicited_bytes_are_an_error() {
        let mut session = session_after_greeting();
        session.push(b"+OK surprise\r\n");
        assert_eq!(session.poll(), Err(SessionError::Unsolicited));
    }
}

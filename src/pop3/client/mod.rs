//! The async POP3 client: the sans-I/O [`Session`] driven over a [`Stream`].
//!
//! Everything protocol-shaped lives in the session; this file only moves bytes, applies
//! timeouts, keeps the pipelining window full and turns replies into typed results.

use std::ops::ControlFlow;
use std::time::Duration;

use smol::io::{AsyncReadExt, AsyncWriteExt};

use super::capability::Capabilities;
use super::command::Command;
use super::error::{Error, ErrorKind};
use super::reader::Limits;
use super::response::{Response, StatusLine};
use super::session::{Reply, Session, SessionError, State};
mod login;

pub use login::{AuthMethod, Credentials};

use super::transport::{
    Endpoint, Security, Stream, TlsFailure, TlsInfo, TlsVersion, connect_tcp, start_tls_from,
    within,
};

/// Tuning for one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// Where and how to connect.
    pub endpoint: Endpoint,
    /// Bounds on what the server may send.
    pub limits: Limits,
    /// Commands kept in flight when the server offers PIPELINING (at most [`MAX_WINDOW`]).
    pub pipeline_window: usize,
    /// Use PIPELINING when offered; `false` sends one command at a time.
    pub use_pipelining: bool,
}

impl ClientConfig {
    /// Defaults for an endpoint: pipelining on, a window of up to [`DEFAULT_WINDOW`] commands.
    pub fn new(endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            limits: Limits::default(),
            pipeline_window: DEFAULT_WINDOW,
            use_pipelining: true,
        }
    }
}

/// One message as the server lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The message number, valid for this session only (never persist it).
    pub number: u32,
    /// The size in octets from LIST: for progress and limits, not for integrity checks.
    pub size: u64,
    /// The unique id from UIDL, when the server supports it.
    pub uidl: Option<String>,
}

/// What QUIT told us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuitOutcome {
    /// True when the server entered UPDATE: messages marked with DELE are deleted now.
    pub deletions_committed: bool,
}

/// A connected, greeted POP3 client. See the module documentation.
#[derive(Debug)]
pub struct Client {
    stream: Stream,
    session: Session,
    endpoint: Endpoint,
    limits: Limits,
    window: usize,
    use_pipelining: bool,
    caps: Capabilities,
    tls: Option<TlsInfo>,
    out: Vec<u8>,
    read_buf: Vec<u8>,
    auth_used: Option<AuthMethod>,
    utf8: bool,
    /// Set when a failure left responses unread: the connection cannot be used any more.
    broken: bool,
    /// The least TLS version offered.
    tls_floor: TlsVersion,
}

const READ_CHUNK: usize = 256 * 1024;

/// Commands in flight when pipelining. Measured through a 50 ms round trip (500 messages of
/// 30 KB): 64 took 0.97 s, 256 took 0.69 s, 512 took 0.65 s. The cap keeps a full window of
/// commands (about 13 bytes each, under 7 KB) far below a socket's send buffer, so writing a
/// window can never wait on the server reading while it waits on us (RFC 2449 §6.6).
pub const DEFAULT_WINDOW: usize = 512;

/// The largest window accepted, for the same reason (a caller may choose a smaller one).
pub const MAX_WINDOW: usize = 512;

/// Why one connection attempt failed.
enum Refusal {
    /// The TLS handshake offering 1.3 alone failed: a server that speaks only 1.2.
    Tls13(Error),
    /// Anything else.
    Other(Error),
}

impl Refusal {
    fn at(floor: TlsVersion, failure: TlsFailure) -> Self {
        match failure {
            TlsFailure::Handshake(err) if floor == TlsVersion::Tls13 => Self::Tls13(err),
            other => Self::Other(other.into()),
        }
    }
}

impl From<Error> for Refusal {
    fn from(err: Error) -> Self {
        Self::Other(err)
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Tls13(err) | Refusal::Other(err) => err,
        }
    }
}

impl Client {
    /// Connects, runs TLS or STARTTLS as configured, reads the greeting and asks CAPA.
    ///
    /// With STARTTLS, a server that does not offer STLS or refuses it ends the attempt with a
    /// TLS error: Poplar never goes on in cleartext (RFC 2595 §4, RFC 8314).
    ///
    /// TLS 1.3 alone is offered first, and TLS 1.2 too only when the server refuses that
    /// handshake (a second connection): so the version of every connection is known
    /// ([`TlsInfo::version`]), which native-tls does not report.
    pub async fn connect(config: &ClientConfig) -> Result<Self, Error> {
        if config.endpoint.security == Security::None {
            return Ok(Self::connect_from(config, TlsVersion::Tls12).await?);
        }
        match Self::connect_from(config, TlsVersion::Tls13).await {
            Err(Refusal::Tls13(first)) => {
                tracing::debug!(target: "poplar::pop3", "TLS 1.3 refused ({first}); again with TLS 1.2");
                let mut client = Self::connect_from(config, TlsVersion::Tls12).await?;
                if let Some(info) = &mut client.tls {
                    info.version = Some(TlsVersion::Tls12);
                }
                Ok(client)
            }
            other => Ok(other?),
        }
    }

    async fn connect_from(config: &ClientConfig, floor: TlsVersion) -> Result<Self, Refusal> {
        let endpoint = &config.endpoint;
        tracing::debug!(target: "poplar::pop3", "connecting to {}:{} ({:?})", endpoint.host, endpoint.port, endpoint.security);
        let tcp = connect_tcp(endpoint).await?;
        let (stream, tls) = match endpoint.security {
            Security::Tls => {
                let (tls, info) = start_tls_from(endpoint, tcp, floor)
                    .await
                    .map_err(|failure| Refusal::at(floor, failure))?;
                (Stream::Tls(Box::new(tls)), Some(info))
            }
            Security::StartTls | Security::None => (Stream::Plain(tcp), None),
        };
        let mut client = Self {
            stream,
            session: Session::new(config.limits),
            endpoint: endpoint.clone(),
            limits: config.limits,
            window: config.pipeline_window.clamp(1, MAX_WINDOW),
            use_pipelining: config.use_pipelining,
            caps: Capabilities::default(),
            tls,
            out: Vec::with_capacity(4096),
            read_buf: vec![0; READ_CHUNK],
            auth_used: None,
            utf8: false,
            broken: false,
            tls_floor: floor,
        };
        let greeting = client.next_reply("connect to").await?;
        if let Some(status) = greeting.response.status()
            && !status.ok
        {
            return Err(Refusal::Other(Error::from_reply(
                status,
                ErrorKind::Permanent,
                "connect to",
                &client.endpoint.host,
            )));
        }
        client.refresh_capabilities().await?;
        if endpoint.security == Security::StartTls {
            client.upgrade_to_tls().await?;
        }
        Ok(client)
    }

    /// The server's capabilities, as last announced.
    pub fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    /// The TLS certificate details, when the connection is encrypted.
    pub fn tls(&self) -> Option<&TlsInfo> {
        self.tls.as_ref()
    }

    /// The authentication mechanism used by the last successful login, e.g. "CRAM-MD5".
    pub fn auth_used(&self) -> Option<&str> {
        self.auth_used.map(login::method_name)
    }

    /// The method of the last successful login, to try first next time.
    pub fn method_used(&self) -> Option<AuthMethod> {
        self.auth_used
    }

    /// True when the server accepted the UTF8 command (RFC 6856).
    pub fn utf8_enabled(&self) -> bool {
        self.utf8
    }

    /// The protocol state.
    pub fn state(&self) -> State {
        self.session.state()
    }

    /// True when commands will be pipelined.
    pub fn pipelining(&self) -> bool {
        self.use_pipelining && self.caps.pipelining
    }

    /// The server host, for messages.
    pub fn host(&self) -> &str {
        &self.endpoint.host
    }

    /// Sends STLS and hands back the plain TCP connection, for a handshake that only looks at
    /// the server's TLS ([`super::transport::inspect_tls`]) before the certificate is trusted.
    /// For a client connected with security "none": nothing but CAPA and STLS was sent.
    pub async fn into_stls_tcp(mut self) -> Result<smol::net::TcpStream, Error> {
        self.send_stls("the server does not offer STARTTLS (STLS)")
            .await
    }

    /// Sends STLS and takes the plain TCP connection out of the client for the handshake.
    /// `not_offered` is the reason given when the server does not announce STLS.
    async fn send_stls(&mut self, not_offered: &str) -> Result<smol::net::TcpStream, Error> {
        const ACTION: &str = "make a secure connection to";
        let tls_error =
            |host: &str, reason: String| Error::new(ErrorKind::Tls, ACTION, host, reason);
        if !self.caps.stls {
            return Err(tls_error(&self.endpoint.host, not_offered.to_owned()));
        }
        let reply = self.command(Command::Stls, ACTION).await?;
        if let Some(status) = reply.status()
            && !status.ok
        {
            return Err(tls_error(
                &self.endpoint.host,
                format!("the server refused STARTTLS: {}", status.render()),
            ));
        }
        match std::mem::replace(&mut self.stream, Stream::Gone) {
            Stream::Plain(tcp) => Ok(tcp),
            _ => {
                self.broken = true;
                Err(tls_error(
                    &self.endpoint.host,
                    "the connection is not plain TCP".to_owned(),
                ))
            }
        }
    }

    /// STARTTLS on a connection that already read the greeting and CAPA. A failed handshake
    /// at TLS 1.3 alone is a [`Refusal::Tls13`], so [`Self::connect`] tries again with 1.2.
    async fn upgrade_to_tls(&mut self) -> Result<(), Refusal> {
        let tcp = self
            .send_stls(
                "the server does not offer STARTTLS (STLS); Poplar will not continue without encryption",
            )
            .await?;
        let (tls, info) = start_tls_from(&self.endpoint, tcp, self.tls_floor)
            .await
            .map_err(|failure| {
                self.broken = true;
                Refusal::at(self.tls_floor, failure)
            })?;
        self.stream = Stream::Tls(Box::new(tls));
        self.tls = Some(info);
        // RFC 2595 §4: forget everything learned before TLS and ask again.
        self.session.reset_after_stls(self.limits);
        self.caps = Capabilities::default();
        Ok(self.refresh_capabilities().await?)
    }

    /// Sends CAPA; a server that answers `-ERR` is treated as plain RFC 1939.
    pub async fn refresh_capabilities(&mut self) -> Result<(), Error> {
        let response = self
            .command(Command::Capa, "ask the capabilities of")
            .await?;
        self.caps = match response {
            Response::MultiLine { body, .. } => Capabilities::parse(&body),
            _ => Capabilities::default(),
        };
        tracing::debug!(target: "poplar::pop3", "capabilities: {:?}", self.caps.lines);
        Ok(())
    }

    /// `STAT`: the number of messages and their total size.
    pub async fn stat(&mut self) -> Result<(u32, u64), Error> {
        let status = self
            .status_command(Command::Stat, "count the messages on")
            .await?;
        let mut words = status.text.split_ascii_whitespace();
        match (
            words.next().and_then(|w| w.parse().ok()),
            words.next().and_then(|w| w.parse().ok()),
        ) {
            (Some(count), Some(size)) => Ok((count, size)),
            _ => Err(self.protocol_error(
                "count the messages on",
                format!("STAT answered {:?}", status.render()),
            )),
        }
    }

    /// `LIST`: every message number with its size.
    pub async fn list(&mut self) -> Result<Vec<(u32, u64)>, Error> {
        let body = self
            .multiline_command(Command::List(None), "list the messages on")
            .await?;
        parse_scan_listing(&body, |w| w.parse().ok()).map_err(|line| {
            self.protocol_error("list the messages on", format!("bad LIST line {line:?}"))
        })
    }

    /// `LIST n`: the size of one message.
    pub async fn list_one(&mut self, number: u32) -> Result<u64, Error> {
        let status = self
            .status_command(Command::List(Some(number)), "list a message on")
            .await?;
        let mut words = status.text.split_ascii_whitespace().skip(1);
        words.next().and_then(|w| w.parse().ok()).ok_or_else(|| {
            self.protocol_error(
                "list a message on",
                format!("LIST answered {:?}", status.render()),
            )
        })
    }

    /// `UIDL`: every message number with its unique id.
    pub async fn uidl(&mut self) -> Result<Vec<(u32, String)>, Error> {
        let body = self
            .multiline_command(Command::Uidl(None), "list the message ids on")
            .await?;
        parse_scan_listing(&body, |w| Some(w.to_owned())).map_err(|line| {
            self.protocol_error("list the message ids on", format!("bad UIDL line {line:?}"))
        })
    }

    /// `UIDL n`: the unique id of one message.
    pub async fn uidl_one(&mut self, number: u32) -> Result<String, Error> {
        let status = self
            .status_command(Command::Uidl(Some(number)), "ask a message id on")
            .await?;
        status
            .text
            .split_ascii_whitespace()
            .nth(1)
            .map(str::to_owned)
            .ok_or_else(|| {
                self.protocol_error(
                    "ask a message id on",
                    format!("UIDL answered {:?}", status.render()),
                )
            })
    }

    /// UIDL and LIST together (one round trip when pipelining): every message with its size
    /// and, when the server supports UIDL, its unique id.
    pub async fn listing(&mut self) -> Result<Vec<Listed>, Error> {
        const ACTION: &str = "list the messages on";
        let (uidl_response, list_response) = if self.pipelining() {
            self.send(Command::Uidl(None))?;
            self.send(Command::List(None))?;
            self.flush().await?;
            let uidl = self.next_reply(ACTION).await?.response;
            let list = self.next_reply(ACTION).await?.response;
            (uidl, list)
        } else {
            let uidl = self.command(Command::Uidl(None), ACTION).await?;
            let list = self.command(Command::List(None), ACTION).await?;
            (uidl, list)
        };
        let sizes = match list_response {
            Response::MultiLine { body, .. } => parse_scan_listing(&body, |w| {
                w.parse::<u64>().ok()
            })
            .map_err(|line| self.protocol_error(ACTION, format!("bad LIST line {line:?}")))?,
            other => return Err(self.reply_error(&other, ErrorKind::Permanent, ACTION)),
        };
        let mut uidls = match uidl_response {
            Response::MultiLine { body, .. } => parse_scan_listing(&body, |w| Some(w.to_owned()))
                .map_err(|line| {
                self.protocol_error(ACTION, format!("bad UIDL line {line:?}"))
            })?,
            // RFC 1939 §7: UIDL is optional; the caller falls back to a content key.
            _ => Vec::new(),
        };
        uidls.sort_unstable_by_key(|(n, _)| *n);
        Ok(sizes
            .into_iter()
            .map(|(number, size)| Listed {
                number,
                size,
                uidl: uidls
                    .binary_search_by_key(&number, |(n, _)| *n)
                    .ok()
                    .map(|i| uidls[i].1.clone()),
            })
            .collect())
    }

    /// `TOP n lines`: the headers and the first `lines` lines of the body.
    pub async fn top(&mut self, number: u32, lines: u32) -> Result<Vec<u8>, Error> {
        self.multiline_command(
            Command::Top(number, lines),
            "read the headers of a message on",
        )
        .await
    }

    /// `RETR n`: one whole message, byte-exact after dot-unstuffing.
    pub async fn retr(&mut self, number: u32) -> Result<Vec<u8>, Error> {
        self.multiline_command(Command::Retr(number), "download a message from")
            .await
    }

    /// Downloads several messages, pipelined when the server allows. Each message is handed
    /// to `on_message` as soon as it is complete (an `-ERR` for one message is handed over as
    /// its error and the others go on), so memory is bounded by the largest message.
    /// Returning `ControlFlow::Break` stops sending; replies already in flight are drained.
    pub async fn retr_many<F>(&mut self, numbers: &[u32], on_message: F) -> Result<(), Error>
    where
        F: FnMut(u32, Result<Vec<u8>, Error>) -> ControlFlow<()>,
    {
        self.retr_pipeline(numbers).for_each(on_message).await
    }

    /// `TOP n lines` for several messages, pipelined like [`Client::retr_many`].
    pub async fn top_many<F>(
        &mut self,
        numbers: &[u32],
        lines: u32,
        on_message: F,
    ) -> Result<(), Error>
    where
        F: FnMut(u32, Result<Vec<u8>, Error>) -> ControlFlow<()>,
    {
        self.top_pipeline(numbers, lines).for_each(on_message).await
    }

    /// `DELE n`: marks a message for deletion at QUIT.
    pub async fn dele(&mut self, number: u32) -> Result<(), Error> {
        self.status_command(Command::Dele(number), "mark a message for deletion on")
            .await
            .map(drop)
    }

    /// Marks several messages, pipelined. Returns the numbers the server refused, with why.
    pub async fn dele_many(&mut self, numbers: &[u32]) -> Result<Vec<(u32, Error)>, Error> {
        let mut refused = Vec::new();
        let commands = numbers.iter().map(|&n| (n, Command::Dele(n))).collect();
        Pipeline::new(self, commands, "mark a message for deletion on")
            .for_each(|number, result| {
                if let Err(err) = result {
                    refused.push((number, err));
                }
                ControlFlow::Continue(())
            })
            .await?;
        Ok(refused)
    }

    /// `RSET`: unmarks every message marked for deletion.
    pub async fn rset(&mut self) -> Result<(), Error> {
        self.status_command(Command::Rset, "reset the session on")
            .await
            .map(drop)
    }

    /// `NOOP`: keeps the session alive.
    pub async fn noop(&mut self) -> Result<(), Error> {
        self.status_command(Command::Noop, "keep the session open on")
            .await
            .map(drop)
    }

    /// `QUIT`. In TRANSACTION state an `+OK` means the deletions took effect; an `-ERR` means
    /// they may not have, and is returned as an error (RFC 1939 §6).
    pub async fn quit(mut self) -> Result<QuitOutcome, Error> {
        self.status_command(Command::Quit, "finish the session with")
            .await?;
        let _ = within(Duration::from_secs(2), self.stream.close()).await;
        Ok(QuitOutcome {
            deletions_committed: self.session.deletions_committed(),
        })
    }

    /// A pipelined run of `RETR` for these message numbers, whose replies the caller pulls one
    /// at a time with [`Pipeline::next`] (and may await other work in between: the server's
    /// data waits in the socket).
    pub fn retr_pipeline(&mut self, numbers: &[u32]) -> Pipeline<'_> {
        let commands = numbers.iter().map(|&n| (n, Command::Retr(n))).collect();
        Pipeline::new(self, commands, "download a message from")
    }

    /// A pipelined run of `TOP n lines`, like [`Client::retr_pipeline`].
    pub fn top_pipeline(&mut self, numbers: &[u32], lines: u32) -> Pipeline<'_> {
        let commands = numbers
            .iter()
            .map(|&n| (n, Command::Top(n, lines)))
            .collect();
        Pipeline::new(self, commands, "read the headers of a message on")
    }

    /// Sends one command and waits for its reply.
    async fn command(&mut self, command: Command, action: &str) -> Result<Response, Error> {
        self.send(command)?;
        self.flush().await?;
        Ok(self.next_reply(action).await?.response)
    }

    async fn status_command(
        &mut self,
        command: Command,
        action: &str,
    ) -> Result<StatusLine, Error> {
        let response = self.command(command, action).await?;
        match response {
            Response::Status(status) if status.ok => Ok(status),
            other => Err(self.reply_error(&other, ErrorKind::Permanent, action)),
        }
    }

    async fn multiline_command(
        &mut self,
        command: Command,
        action: &str,
    ) -> Result<Vec<u8>, Error> {
        match self.command(command, action).await? {
            Response::MultiLine { body, .. } => Ok(body),
            other => Err(self.reply_error(&other, ErrorKind::Permanent, action)),
        }
    }

    fn reply_error(&self, response: &Response, fallback: ErrorKind, action: &str) -> Error {
        match response.status() {
            Some(status) => Error::from_reply(status, fallback, action, &self.endpoint.host),
            None => self.protocol_error(action, "unexpected SASL continuation"),
        }
    }

    fn protocol_error(&self, action: &str, detail: impl Into<String>) -> Error {
        Error::new(ErrorKind::Protocol, action, &self.endpoint.host, detail)
    }

    fn send(&mut self, command: Command) -> Result<(), Error> {
        if self.broken {
            return Err(Error::new(
                ErrorKind::Closed,
                "talk to",
                &self.endpoint.host,
                "the connection failed earlier",
            ));
        }
        let keyword = command.keyword();
        self.session.send(command, &mut self.out).map_err(|err| {
            let kind = match err {
                SessionError::Command(_) => ErrorKind::Input,
                _ => ErrorKind::Protocol,
            };
            Error::new(
                kind,
                format!("send {keyword} to"),
                &self.endpoint.host,
                err.to_string(),
            )
        })
    }

    async fn flush(&mut self) -> Result<(), Error> {
        if self.out.is_empty() {
            return Ok(());
        }
        let limit = self.endpoint.read_timeout;
        let write = async {
            self.stream.write_all(&self.out).await?;
            self.stream.flush().await
        };
        let result = within(limit, write).await;
        self.out.clear();
        match result {
            Some(Ok(())) => Ok(()),
            Some(Err(err)) => {
                self.broken = true;
                Err(Error::new(
                    ErrorKind::Closed,
                    "send to",
                    &self.endpoint.host,
                    err.to_string(),
                ))
            }
            None => {
                self.broken = true;
                Err(Error::new(
                    ErrorKind::Timeout,
                    "send to",
                    &self.endpoint.host,
                    "the server stopped reading",
                ))
            }
        }
    }

    /// Reads until the session yields the next reply, with the read timeout on every wait.
    async fn next_reply(&mut self, action: &str) -> Result<Reply, Error> {
        loop {
            match self.session.poll() {
                Ok(Some(reply)) => return Ok(reply),
                Ok(None) => {}
                Err(err) => {
                    self.broken = true;
                    return Err(Error::new(
                        ErrorKind::Protocol,
                        action,
                        &self.endpoint.host,
                        err.to_string(),
                    ));
                }
            }
            let limit = self.endpoint.read_timeout;
            let read = within(limit, self.stream.read(&mut self.read_buf)).await;
            match read {
                Some(Ok(0)) => {
                    self.broken = true;
                    return Err(Error::new(
                        ErrorKind::Closed,
                        action,
                        &self.endpoint.host,
                        "the server closed the connection",
                    ));
                }
                Some(Ok(n)) => self.session.push(&self.read_buf[..n]),
                Some(Err(err)) => {
                    self.broken = true;
                    return Err(Error::new(
                        ErrorKind::Closed,
                        action,
                        &self.endpoint.host,
                        err.to_string(),
                    ));
                }
                None => {
                    self.broken = true;
                    return Err(Error::new(
                        ErrorKind::Timeout,
                        action,
                        &self.endpoint.host,
                        format!("no answer within {} s", limit.as_secs()),
                    ));
                }
            }
        }
    }
}

/// Parses "n value" lines (RFC 1939 scan listings and unique-id listings).
fn parse_scan_listing<T>(
    body: &[u8],
    value: impl Fn(&str) -> Option<T>,
) -> Result<Vec<(u32, T)>, String> {
    let mut out = Vec::new();
    for raw in body.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(raw);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_ascii_whitespace();
        let number = words.next().and_then(|w| w.parse::<u32>().ok());
        let parsed = words.next().and_then(&value);
        match (number, parsed) {
            (Some(number), Some(parsed)) => out.push((number, parsed)),
            _ => return Err(line.to_owned()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_listings_parse_and_reject_garbage() {
        let parsed =
            parse_scan_listing(b"1 120\r\n2 3400\r\n", |w| w.parse::<u64>().ok()).expect("valid");
        assert_eq!(parsed, vec![(1, 120), (2, 3400)]);
        let uidls = parse_scan_listing(b"1 whqtswO00WBw418f9t5JxYwZ\r\n", |w| Some(w.to_owned()))
            .expect("valid");
        assert_eq!(uidls[0].1, "whqtswO00WBw418f9t5JxYwZ");
        assert_eq!(
            parse_scan_listing(b"x 1\r\n", |w| w.parse::<u64>().ok()),
            Err("x 1".into())
        );
    }
}

/// A run of commands kept in the pipelining window; see [`Client::retr_pipeline`].
///
/// Dropping it with replies still in flight leaves the connection out of step, so the client
/// refuses further commands; call [`Pipeline::stop`] and drain it with `next` to keep using
/// the connection.
#[derive(Debug)]
pub struct Pipeline<'c> {
    client: &'c mut Client,
    commands: std::collections::VecDeque<(u32, Command)>,
    /// The tags of commands sent and not yet answered, in order.
    waiting: std::collections::VecDeque<u32>,
    action: &'static str,
    window: usize,
    stopped: bool,
}

impl<'c> Pipeline<'c> {
    fn new(client: &'c mut Client, commands: Vec<(u32, Command)>, action: &'static str) -> Self {
        let window = if client.pipelining() {
            client.window
        } else {
            1
        };
        Self {
            client,
            commands: commands.into(),
            waiting: std::collections::VecDeque::new(),
            action,
            window,
            stopped: false,
        }
    }

    /// Runs every command, handing each reply's body or error over with its tag. After a
    /// `Break`, no more commands are sent and what is still in flight is drained without the
    /// caller.
    async fn for_each<F>(mut self, mut on_reply: F) -> Result<(), Error>
    where
        F: FnMut(u32, Result<Vec<u8>, Error>) -> ControlFlow<()>,
    {
        while let Some((tag, result)) = self.next().await? {
            if !self.stopped && on_reply(tag, result).is_break() {
                self.stop();
            }
        }
        Ok(())
    }

    /// Sends no more commands; replies already in flight are still returned by `next`.
    pub fn stop(&mut self) {
        self.stopped = true;
        self.commands.clear();
    }

    /// Commands not answered yet, sent or not.
    pub fn remaining(&self) -> usize {
        self.commands.len() + self.waiting.len()
    }

    /// The next reply: the command's tag (the message number) and its body, or the server's
    /// `-ERR` for that command. `Ok(None)` when every command was answered; `Err` when the
    /// connection failed (it cannot be used any more).
    pub async fn next(&mut self) -> Result<Option<(u32, Result<Vec<u8>, Error>)>, Error> {
        // Refill when half the window is answered, so writes go out in batches (one TLS record
        // for many commands) while the server always has work queued.
        if !self.stopped && self.waiting.len() <= self.window / 2 && !self.commands.is_empty() {
            while self.waiting.len() < self.window {
                let Some((tag, command)) = self.commands.pop_front() else {
                    break;
                };
                self.client.send(command)?;
                self.waiting.push_back(tag);
            }
            self.client.flush().await?;
        }
        let Some(tag) = self.waiting.front().copied() else {
            return Ok(None);
        };
        let reply = self.client.next_reply(self.action).await?;
        self.waiting.pop_front();
        let result = match reply.response {
            Response::MultiLine { body, .. } => Ok(body),
            Response::Status(status) if status.ok => Ok(Vec::new()),
            other => Err(self
                .client
                .reply_error(&other, ErrorKind::Permanent, self.action)),
        };
        Ok(Some((tag, result)))
    }
}

impl Drop for Pipeline<'_> {
    fn drop(&mut self) {
        if !self.waiting.is_empty() {
            self.client.broken = true;
        }
    }
}

//! A scripted fake POP3 server for integration tests.
//!
//! Real servers do not produce faults on demand; this one does exactly what the test's
//! script tells it, byte for byte. It listens on `127.0.0.1:<ephemeral>`, runs the script
//! once per accepted connection (each on its own thread), records every line the client
//! sent, and reports a panicking script through [`FakeServer::join`].
//!
//! ```ignore
//! let server = FakeServer::start(|conn| {
//!     conn.greet();
//!     conn.login_user_pass("alice", "secret");
//!     conn.expect("RETR 1");
//!     conn.multiline(b"Subject: hi\r\n\r\n.dot line\r\n");
//!     conn.expect_quit();
//! });
//! // ... run the client against server.port() ...
//! server.join().expect("script");
//! ```
//!
//! Nothing here can hang a test for long: accepting waits at most
//! [`DEFAULT_ACCEPT_TIMEOUT`] for each expected connection and every read on a connection
//! gives up after [`DEFAULT_READ_TIMEOUT`] (both adjustable through [`ServerOptions`]).
#![allow(dead_code)]

use std::any::Any;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use native_tls::{Certificate, Identity};
// The server side speaks TLS through OpenSSL directly: native-tls's acceptor stops at
// TLS 1.2, and Poplar's client offers TLS 1.3 alone first.
use openssl::ssl::{SslAcceptor, SslMethod, SslStream, SslVersion};

/// A TLS server configuration.
type TlsAcceptor = SslAcceptor;

/// How long the server waits for each expected connection before giving up.
pub const DEFAULT_ACCEPT_TIMEOUT: Duration = Duration::from_secs(20);

/// How long one read on a connection may block before the script fails.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(20);

/// The greeting [`Conn::greet`] sends, with an APOP timestamp (RFC 1939's example).
pub const GREETING: &str = "+OK fake POP3 ready <1896.697170952@fake.example>";

/// The APOP timestamp inside [`GREETING`], angle brackets included.
pub const GREETING_TIMESTAMP: &str = "<1896.697170952@fake.example>";

/// One line the server received from a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Which accepted connection it came over, counting from 0.
    pub conn: usize,
    /// Whether that connection was under TLS when the line arrived.
    pub tls: bool,
    /// The line without its line ending (decoded lossily if it was not UTF-8).
    pub line: String,
}

type Transcript = Arc<Mutex<Vec<Received>>>;
type Script = Arc<dyn Fn(&mut Conn) + Send + Sync + 'static>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking script never holds these locks, but stay usable if one is poisoned.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Options for a [`FakeServer`]; [`FakeServer::start`] and [`FakeServer::start_tls`] cover
/// the common one-connection cases.
#[derive(Clone)]
pub struct ServerOptions {
    connections: usize,
    tls: Option<TlsAcceptor>,
    accept_timeout: Duration,
    read_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerOptions {
    /// One cleartext connection, default timeouts.
    pub fn new() -> Self {
        Self {
            connections: 1,
            tls: None,
            accept_timeout: DEFAULT_ACCEPT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
        }
    }

    /// Accept exactly `n` connections (one after another or at once), running the script
    /// on each; [`Conn::index`] tells them apart. Fewer arriving in time is a `join` error.
    pub fn connections(mut self, n: usize) -> Self {
        self.connections = n;
        self
    }

    /// Speak TLS from the first byte (POP3S, port 995 style) with this identity.
    pub fn implicit_tls(mut self, identity: &TestIdentity) -> Self {
        self.tls = Some(identity.acceptor());
        self
    }

    /// Speak TLS from the first byte, at most TLS 1.2 (an older server).
    pub fn implicit_tls_up_to_1_2(mut self, identity: &TestIdentity) -> Self {
        self.tls = Some(identity.acceptor_up_to(Some(SslVersion::TLS1_2)));
        self
    }

    /// How long to wait for each expected connection.
    pub fn accept_timeout(mut self, d: Duration) -> Self {
        self.accept_timeout = d;
        self
    }

    /// How long one read may block before the script fails.
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = d;
        self
    }

    /// Start listening and serving; `script` runs once per accepted connection.
    pub fn start<F>(self, script: F) -> FakeServer
    where
        F: Fn(&mut Conn) + Send + Sync + 'static,
    {
        FakeServer::launch(self, Arc::new(script))
    }
}

/// A running fake server. Connect to [`FakeServer::addr`], then call [`FakeServer::join`].
pub struct FakeServer {
    addr: SocketAddr,
    received: Transcript,
    handshake_failures: Arc<Mutex<Vec<String>>>,
    handle: Option<JoinHandle<Vec<String>>>,
    outcome: Result<(), String>,
}

impl FakeServer {
    /// Serve one cleartext connection with `script`.
    pub fn start<F>(script: F) -> FakeServer
    where
        F: FnOnce(&mut Conn) + Send + 'static,
    {
        Self::launch(ServerOptions::new(), once(script))
    }

    /// Serve one implicit-TLS connection with `script`; the handshake is done before the
    /// script runs. If the handshake fails (say the client rejected the certificate) the
    /// script does not run, the failure goes to [`FakeServer::handshake_failures`], and
    /// `join` still returns `Ok`.
    pub fn start_tls<F>(identity: &TestIdentity, script: F) -> FakeServer
    where
        F: FnOnce(&mut Conn) + Send + 'static,
    {
        Self::launch(ServerOptions::new().implicit_tls(identity), once(script))
    }

    /// Options for several connections, other timeouts, and so on.
    pub fn options() -> ServerOptions {
        ServerOptions::new()
    }

    fn launch(opts: ServerOptions, script: Script) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("listener address");
        listener
            .set_nonblocking(true)
            .expect("make the listener non-blocking");
        let received: Transcript = Arc::default();
        let handshake_failures: Arc<Mutex<Vec<String>>> = Arc::default();
        let (rx, hf) = (received.clone(), handshake_failures.clone());
        let handle = thread::Builder::new()
            .name(format!("fake-pop3-{}", addr.port()))
            .spawn(move || serve(listener, opts, script, rx, hf))
            .expect("spawn the fake server thread");
        FakeServer {
            addr,
            received,
            handshake_failures,
            handle: Some(handle),
            outcome: Ok(()),
        }
    }

    /// The address the server listens on (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every line received so far, over all connections, in arrival order.
    pub fn received(&self) -> Vec<String> {
        lock(&self.received)
            .iter()
            .map(|r| r.line.clone())
            .collect()
    }

    /// Every line received so far with its connection number and whether it came under TLS.
    pub fn transcript(&self) -> Vec<Received> {
        lock(&self.received).clone()
    }

    /// Whether any received line starts with `cmd` (compared as [`Conn::expect`] does).
    pub fn saw(&self, cmd: &str) -> bool {
        lock(&self.received)
            .iter()
            .any(|r| command_matches(&r.line, cmd))
    }

    /// Implicit-TLS handshakes that failed, one message each.
    pub fn handshake_failures(&self) -> Vec<String> {
        lock(&self.handshake_failures).clone()
    }

    /// Wait for every connection's script to finish. `Err` carries the messages of the
    /// scripts that panicked and of connections that never arrived. Takes `&mut self` so
    /// the transcript stays readable afterwards; later calls return the same result.
    pub fn join(&mut self) -> Result<(), String> {
        if let Some(handle) = self.handle.take() {
            let errors = match handle.join() {
                Ok(errors) => errors,
                Err(payload) => vec![format!(
                    "fake server thread panicked: {}",
                    panic_message(&*payload)
                )],
            };
            self.outcome = if errors.is_empty() {
                Ok(())
            } else {
                Err(errors.join("\n"))
            };
        }
        self.outcome.clone()
    }
}

fn once<F>(script: F) -> Script
where
    F: FnOnce(&mut Conn) + Send + 'static,
{
    let slot = Mutex::new(Some(script));
    Arc::new(move |conn: &mut Conn| {
        let script = lock(&slot)
            .take()
            .expect("a one-shot script runs for one connection only");
        script(conn);
    })
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_owned()
    }
}

fn serve(
    listener: TcpListener,
    opts: ServerOptions,
    script: Script,
    received: Transcript,
    handshake_failures: Arc<Mutex<Vec<String>>>,
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut workers = Vec::new();
    for index in 0..opts.connections {
        let deadline = Instant::now() + opts.accept_timeout;
        let stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break Some(stream),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if Instant::now() >= deadline {
                        break None;
                    }
                    thread::sleep(Duration::from_millis(5));
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    errors.push(format!("connection {index}: accept failed: {e}"));
                    break None;
                }
            }
        };
        let Some(stream) = stream else {
            if errors.is_empty() {
                errors.push(format!(
                    "connection {index}: no client connected within {:?} ({index} of {} expected connections arrived)",
                    opts.accept_timeout, opts.connections
                ));
            }
            break;
        };
        let (script, received, hf, opts) = (
            script.clone(),
            received.clone(),
            handshake_failures.clone(),
            opts.clone(),
        );
        let worker = thread::Builder::new()
            .name(format!("fake-pop3-conn-{index}"))
            .spawn(move || run_connection(index, stream, &opts, &*script, received, &hf))
            .expect("spawn a connection thread");
        workers.push((index, worker));
    }
    drop(listener);
    for (index, worker) in workers {
        if let Err(payload) = worker.join() {
            errors.push(format!(
                "connection {index}: script panicked: {}",
                panic_message(&*payload)
            ));
        }
    }
    errors
}

fn run_connection(
    index: usize,
    stream: TcpStream,
    opts: &ServerOptions,
    script: &(dyn Fn(&mut Conn) + Send + Sync),
    received: Transcript,
    handshake_failures: &Mutex<Vec<String>>,
) {
    stream
        .set_nonblocking(false)
        .expect("make the accepted socket blocking");
    stream
        .set_read_timeout(Some(opts.read_timeout))
        .expect("set the read timeout");
    stream
        .set_write_timeout(Some(opts.read_timeout))
        .expect("set the write timeout");
    stream.set_nodelay(true).expect("set TCP_NODELAY");
    let mut conn = Conn {
        index,
        stream: Stream::Plain(stream),
        rbuf: Vec::new(),
        eof: false,
        received,
        read_timeout: opts.read_timeout,
    };
    if let Some(acceptor) = &opts.tls
        && let Err(e) = conn.upgrade(acceptor)
    {
        lock(handshake_failures).push(format!("connection {index}: {e}"));
        return;
    }
    script(&mut conn);
}

/// A TCP stream that first replays bytes already read from it (so a TLS handshake does not
/// lose what was buffered when the upgrade started).
struct Prefixed {
    prefix: Vec<u8>,
    pos: usize,
    inner: TcpStream,
}

impl Read for Prefixed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.prefix.len() {
            let n = buf.len().min(self.prefix.len() - self.pos);
            buf[..n].copy_from_slice(&self.prefix[self.pos..self.pos + n]);
            self.pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

impl Write for Prefixed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<SslStream<Prefixed>>),
    Closed,
}

impl Stream {
    fn tcp(&self) -> Option<&TcpStream> {
        match self {
            Stream::Plain(s) => Some(s),
            Stream::Tls(s) => Some(&s.get_ref().inner),
            Stream::Closed => None,
        }
    }
}

/// The server's side of one connection, handed to the script.
pub struct Conn {
    index: usize,
    stream: Stream,
    rbuf: Vec<u8>,
    eof: bool,
    received: Transcript,
    read_timeout: Duration,
}

/// Whether `line` is the command `cmd`: equal to it, or starting with it followed by a
/// space, ignoring ASCII case (so `"RETR 1"` matches `"retr 1"` but not `"RETR 10"`).
pub fn command_matches(line: &str, cmd: &str) -> bool {
    let (l, c) = (line.as_bytes(), cmd.as_bytes());
    l.len() >= c.len()
        && l[..c.len()].eq_ignore_ascii_case(c)
        && (l.len() == c.len() || l[c.len()] == b' ')
}

/// Dot-stuff a message body for a multi-line response: every line starting with `.` gets
/// another `.` in front, and a CRLF is appended if the body is non-empty and does not end
/// with one. The terminating `.\r\n` is *not* added.
pub fn dot_stuff(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 16);
    let mut at_line_start = true;
    for &b in body {
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        at_line_start = b == b'\n';
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

impl Conn {
    /// Which accepted connection this is, counting from 0.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Whether the connection is under TLS now.
    pub fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    /// Send exactly these bytes; panics if the client has gone away.
    pub fn send(&mut self, bytes: impl AsRef<[u8]>) {
        let bytes = bytes.as_ref();
        if let Err(e) = self.try_send(bytes) {
            panic!(
                "fake server: sending {:?} failed: {e}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(80)])
            );
        }
    }

    /// Send exactly these bytes, reporting failure instead of panicking (for tests where the
    /// client is meant to hang up mid-response).
    pub fn try_send(&mut self, bytes: impl AsRef<[u8]>) -> io::Result<()> {
        let bytes = bytes.as_ref();
        match &mut self.stream {
            Stream::Plain(s) => {
                s.write_all(bytes)?;
                s.flush()
            }
            Stream::Tls(s) => {
                s.write_all(bytes)?;
                s.flush()
            }
            Stream::Closed => Err(io::Error::new(io::ErrorKind::NotConnected, "closed")),
        }
    }

    /// Send `line` followed by CRLF.
    pub fn send_line(&mut self, line: &str) {
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.send(bytes);
    }

    /// Send `+OK` (plus ` text` if `text` is non-empty) and CRLF.
    pub fn ok(&mut self, text: &str) {
        if text.is_empty() {
            self.send_line("+OK");
        } else {
            self.send_line(&format!("+OK {text}"));
        }
    }

    /// Send `-ERR` (plus ` text` if `text` is non-empty) and CRLF.
    pub fn err(&mut self, text: &str) {
        if text.is_empty() {
            self.send_line("-ERR");
        } else {
            self.send_line(&format!("-ERR {text}"));
        }
    }

    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 8192];
        let n = match &mut self.stream {
            Stream::Plain(s) => s.read(&mut chunk)?,
            Stream::Tls(s) => s.read(&mut chunk)?,
            Stream::Closed => 0,
        };
        self.rbuf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// Read one line (up to LF; a CRLF or bare LF ending is stripped) and record it.
    /// `Ok(None)` at end of stream; a partial last line without LF is returned as a line.
    pub fn try_read_line(&mut self) -> io::Result<Option<String>> {
        loop {
            if let Some(pos) = self.rbuf.iter().position(|&b| b == b'\n') {
                let raw: Vec<u8> = self.rbuf.drain(..=pos).collect();
                let end = if raw.ends_with(b"\r\n") {
                    raw.len() - 2
                } else {
                    raw.len() - 1
                };
                return Ok(Some(self.record(&raw[..end])));
            }
            if self.eof {
                if self.rbuf.is_empty() {
                    return Ok(None);
                }
                let raw = std::mem::take(&mut self.rbuf);
                return Ok(Some(self.record(&raw)));
            }
            let n = match self.fill() {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // A reset or an unclean TLS close counts as end of stream here.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionReset
                            | io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::UnexpectedEof
                    ) =>
                {
                    0
                }
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.eof = true;
            }
        }
    }

    fn record(&mut self, raw: &[u8]) -> String {
        let line = String::from_utf8_lossy(raw).into_owned();
        lock(&self.received).push(Received {
            conn: self.index,
            tls: self.is_tls(),
            line: line.clone(),
        });
        line
    }

    /// Read one command line; `None` at end of stream. Panics if nothing arrives within the
    /// read timeout or the read fails.
    pub fn read_line(&mut self) -> Option<String> {
        match self.try_read_line() {
            Ok(line) => line,
            Err(e) if is_timeout(&e) => panic!(
                "fake server: waited {:?} for a line from the client, none came",
                self.read_timeout
            ),
            Err(e) => panic!("fake server: reading a line failed: {e}"),
        }
    }

    /// Read one command line and check it is `cmd` (see [`command_matches`]: `"USER"`
    /// accepts any `USER ...`, `"RETR 1"` accepts `RETR 1` only, case-insensitively).
    /// Returns the full line without CRLF; panics showing what arrived otherwise.
    pub fn expect(&mut self, cmd: &str) -> String {
        let line = match self.try_read_line() {
            Ok(Some(line)) => line,
            Ok(None) => {
                panic!("fake server: expected {cmd:?} but the client closed the connection")
            }
            Err(e) if is_timeout(&e) => panic!(
                "fake server: expected {cmd:?} but nothing arrived within {:?}",
                self.read_timeout
            ),
            Err(e) => panic!("fake server: expected {cmd:?} but reading failed: {e}"),
        };
        assert!(
            command_matches(&line, cmd),
            "fake server: expected {cmd:?} but the client sent {line:?}"
        );
        line
    }

    /// Read one line and check it equals `line` exactly (case-sensitive); returns it.
    pub fn expect_exact(&mut self, line: &str) -> String {
        let got = self.expect(line.split(' ').next().unwrap_or(line));
        assert_eq!(
            got, line,
            "fake server: expected exactly {line:?} but the client sent {got:?}"
        );
        got
    }

    /// Check the client closes the connection (within the read timeout) without sending
    /// anything more; panics showing the line otherwise.
    pub fn expect_eof(&mut self) {
        match self.try_read_line() {
            Ok(None) => {}
            Ok(Some(line)) => {
                panic!("fake server: expected the client to hang up but it sent {line:?}")
            }
            Err(e) if is_timeout(&e) => panic!(
                "fake server: expected the client to hang up but it kept the connection open for {:?}",
                self.read_timeout
            ),
            Err(e) => panic!("fake server: expected the client to hang up but reading failed: {e}"),
        }
    }

    /// Wait up to `max` for the client to hang up, recording whatever it sends meanwhile.
    /// Returns whether it hung up. Meant for timeout tests: stall until the client gives up.
    pub fn wait_for_eof(&mut self, max: Duration) -> bool {
        let deadline = Instant::now() + max;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            self.set_read_timeout(left);
            let result = self.try_read_line();
            self.set_read_timeout(self.read_timeout);
            match result {
                Ok(None) => return true,
                Ok(Some(_)) => {}
                Err(e) if is_timeout(&e) => return false,
                Err(_) => return true,
            }
        }
    }

    fn set_read_timeout(&self, d: Duration) {
        if let Some(tcp) = self.stream.tcp() {
            // A zero timeout is rejected by std; it can only come from a deadline just passed.
            let d = d.max(Duration::from_millis(1));
            tcp.set_read_timeout(Some(d)).expect("set the read timeout");
        }
    }

    /// Do nothing for `d` (the client sees a silent server).
    pub fn stall(&mut self, d: Duration) {
        thread::sleep(d);
    }

    /// Upgrade to TLS in place (server side of STLS): call it after sending the `+OK` to
    /// `STLS`. Bytes the client already sent are fed to the handshake. Panics if the
    /// handshake fails.
    pub fn starttls(&mut self, identity: &TestIdentity) {
        if let Err(e) = self.try_starttls(identity) {
            panic!("fake server: STLS handshake failed: {e}");
        }
    }

    /// Like [`Conn::starttls`] but reports a failed handshake (for instance, the client
    /// rejected the certificate); the connection is closed afterwards.
    pub fn try_starttls(&mut self, identity: &TestIdentity) -> Result<(), String> {
        self.upgrade(&identity.acceptor())
    }

    fn upgrade(&mut self, acceptor: &TlsAcceptor) -> Result<(), String> {
        let tcp = match std::mem::replace(&mut self.stream, Stream::Closed) {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(_) => panic!("fake server: starttls on a connection already under TLS"),
            Stream::Closed => panic!("fake server: starttls on a closed connection"),
        };
        let prefixed = Prefixed {
            prefix: std::mem::take(&mut self.rbuf),
            pos: 0,
            inner: tcp,
        };
        match acceptor.accept(prefixed) {
            Ok(tls) => {
                self.stream = Stream::Tls(Box::new(tls));
                Ok(())
            }
            Err(openssl::ssl::HandshakeError::SetupFailure(e)) => {
                Err(format!("TLS setup failed: {e}"))
            }
            Err(openssl::ssl::HandshakeError::Failure(e)) => {
                Err(format!("TLS handshake failed: {}", e.error()))
            }
            Err(openssl::ssl::HandshakeError::WouldBlock(_)) => Err(format!(
                "TLS handshake did not finish within {:?}",
                self.read_timeout
            )),
        }
    }

    /// Close gracefully: a TLS close_notify first if under TLS, then a TCP shutdown. Later
    /// sends fail and later reads see end of stream. (When the script returns without
    /// calling this, the socket is closed without a TLS close_notify.)
    pub fn close(&mut self) {
        match std::mem::replace(&mut self.stream, Stream::Closed) {
            Stream::Plain(s) => {
                let _ = s.shutdown(Shutdown::Both);
            }
            Stream::Tls(mut s) => {
                let _ = s.shutdown();
                let _ = s.get_ref().inner.shutdown(Shutdown::Both);
            }
            Stream::Closed => {}
        }
        self.eof = true;
        self.rbuf.clear();
    }

    /// Send [`GREETING`].
    pub fn greet(&mut self) {
        self.send_line(GREETING);
    }

    /// Expect `CAPA` and answer `+OK` with these capability lines.
    pub fn capa(&mut self, caps: &[&str]) {
        self.expect("CAPA");
        let mut out = b"+OK Capability list follows\r\n".to_vec();
        for cap in caps {
            out.extend_from_slice(cap.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b".\r\n");
        self.send(out);
    }

    /// Expect `USER user` and `PASS pass` (arguments compared exactly) and answer `+OK` to
    /// both.
    pub fn login_user_pass(&mut self, user: &str, pass: &str) {
        self.expect_exact(&format!("USER {user}"));
        self.ok("user accepted");
        self.expect_exact(&format!("PASS {pass}"));
        self.ok("maildrop locked and ready");
    }

    /// Expect `QUIT`, answer `+OK`, and close gracefully.
    pub fn expect_quit(&mut self) {
        self.expect("QUIT");
        self.ok("fake POP3 signing off");
        self.close();
    }

    /// Send `+OK\r\n`, the dot-stuffed body (see [`dot_stuff`]), and `.\r\n`.
    pub fn multiline(&mut self, body: &[u8]) {
        self.multiline_with("+OK", body);
    }

    /// Send `first_line` and CRLF, the dot-stuffed body (see [`dot_stuff`]), and `.\r\n`.
    pub fn multiline_with(&mut self, first_line: &str, body: &[u8]) {
        let mut out = Vec::with_capacity(first_line.len() + body.len() + 32);
        out.extend_from_slice(first_line.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&dot_stuff(body));
        out.extend_from_slice(b".\r\n");
        self.send(out);
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// A self-signed end-entity certificate and its key, made with the `openssl` CLI.
#[derive(Clone)]
pub struct TestIdentity {
    /// The certificate and key, ready for a TLS server.
    pub identity: Identity,
    /// The certificate, PEM.
    pub cert_pem: Vec<u8>,
    /// The certificate, DER (for fingerprints).
    pub cert_der: Vec<u8>,
    /// The private key, PKCS#8 PEM.
    pub key_pem: Vec<u8>,
}

impl TestIdentity {
    /// The certificate as a `native_tls::Certificate`, e.g. to add as a client's root.
    pub fn certificate(&self) -> Certificate {
        Certificate::from_pem(&self.cert_pem).expect("parse our own certificate PEM")
    }

    /// A TLS acceptor serving this identity (TLS 1.2 and 1.3).
    pub fn acceptor(&self) -> TlsAcceptor {
        self.acceptor_up_to(None)
    }

    /// A TLS acceptor serving this identity, up to `max` when given.
    pub fn acceptor_up_to(&self, max: Option<SslVersion>) -> TlsAcceptor {
        let key = openssl::pkey::PKey::private_key_from_pem(&self.key_pem).expect("our key");
        let cert = openssl::x509::X509::from_pem(&self.cert_pem).expect("our certificate");
        let mut builder =
            SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).expect("an OpenSSL acceptor");
        builder.set_private_key(&key).expect("set the key");
        builder.set_certificate(&cert).expect("set the certificate");
        builder
            .set_max_proto_version(max)
            .expect("set the highest version");
        builder.build()
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run the openssl CLI (is openssl installed?)");
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Make a self-signed end-entity (CA:FALSE, serverAuth) P-256 certificate valid for two
/// days. `sans` is an openssl subjectAltName value such as `"DNS:localhost,IP:127.0.0.1"`
/// (empty: no SAN extension at all); `cn` is the subject CN (empty: no CN).
pub fn identity_for(sans: &str, cn: &str) -> TestIdentity {
    let dir = tempfile::tempdir().expect("make a temp dir for the certificate");
    let mut config = String::from(
        "[req]\nprompt = no\ndistinguished_name = dn\nx509_extensions = ext\n\n[dn]\nO = Poplar fake server\n",
    );
    if !cn.is_empty() {
        config.push_str(&format!("CN = {cn}\n"));
    }
    config.push_str(
        "\n[ext]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n\
         extendedKeyUsage = serverAuth\nsubjectKeyIdentifier = hash\n",
    );
    if !sans.is_empty() {
        config.push_str(&format!("subjectAltName = {sans}\n"));
    }
    std::fs::write(dir.path().join("req.cnf"), config).expect("write the openssl config");
    openssl(
        dir.path(),
        &[
            "req",
            "-x509",
            "-config",
            "req.cnf",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-sha256",
        ],
    );
    openssl(
        dir.path(),
        &[
            "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-out", "key8.pem",
        ],
    );
    openssl(
        dir.path(),
        &[
            "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der",
        ],
    );
    let read = |name: &str| std::fs::read(dir.path().join(name)).expect("read openssl output");
    let (cert_pem, key_pem, cert_der) = (read("cert.pem"), read("key8.pem"), read("cert.der"));
    let identity =
        Identity::from_pkcs8(&cert_pem, &key_pem).expect("load the certificate and PKCS#8 key");
    TestIdentity {
        identity,
        cert_pem,
        cert_der,
        key_pem,
    }
}

/// [`identity_for`] with SAN `DNS:localhost,IP:127.0.0.1` and CN `localhost`: right host.
pub fn localhost_identity() -> TestIdentity {
    identity_for("DNS:localhost,IP:127.0.0.1", "localhost")
}

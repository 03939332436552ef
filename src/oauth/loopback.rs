//! The redirect listener (RFC 8252 §7.3): `http://127.0.0.1:<random port>/`.
//!
//! It listens on 127.0.0.1 only, on a port the system picks, and serves one thing: the
//! provider's redirect, `GET /?code=…&state=…` (or `?error=…`). Every other request (a
//! browser's `/favicon.ico`, a connection that never sends anything) is answered 404 or
//! dropped, and waiting goes on. Connections are served side by side without threads, so
//! a browser's idle pre-connection cannot hold up the real redirect. A request's head is
//! bounded ([`MAX_REQUEST`]).
//!
//! A redirect whose `state` is not this sign-in's is refused
//! ([`OAuthError::StateMismatch`]). Waiting ends at the timeout ([`OAuthError::TimedOut`])
//! or when the cancel flag is set ([`OAuthError::Cancelled`]), which is looked at every
//! [`POLL`].
//!
//! The browser's connection that brought the code is kept open ([`Callback`]) until the
//! code has been exchanged, so its page can say whether the sign-in worked. The pages'
//! words come from the catalogue, in the interface's language.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::OAuthError;
use super::form;
use super::pkce::constant_time_eq;
use crate::pop3::Secret;
use crate::tr;

/// The most a request's line and headers may take: 8 KB, plenty for a redirect.
pub const MAX_REQUEST: usize = 8 * 1024;
/// How often waiting looks at the cancel flag and the clock (and for new data).
pub const POLL: Duration = Duration::from_millis(20);
/// How long one connection may take to send its request before it is dropped.
const CONNECTION_BUDGET: Duration = Duration::from_secs(10);
/// Connections served at the same time; more are turned away until one ends.
const MAX_CONNECTIONS: usize = 16;
/// How long writing a page may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);

/// A listener on `127.0.0.1:<port>` waiting for the provider's redirect.
#[derive(Debug)]
pub struct Loopback {
    listener: TcpListener,
    port: u16,
}

/// The redirect that brought a code, with the browser still waiting for its page.
#[derive(Debug)]
pub struct Callback {
    code: Secret,
    browser: Option<TcpStream>,
}

/// The page the browser is shown at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The sign-in worked.
    SignedIn,
    /// The user did not allow access.
    Denied,
    /// Something went wrong; Poplar says what.
    Failed,
}

/// What one request to the listener is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// The provider's redirect with a code and this sign-in's state.
    Code(String),
    /// The user refused (`error=access_denied`), with this sign-in's state.
    Denied {
        /// `error_description`, if any.
        description: Option<String>,
    },
    /// Another OAuth error on the redirect, with this sign-in's state.
    Error {
        /// The `error` code.
        error: String,
        /// `error_description`, if any.
        description: Option<String>,
    },
    /// A code or an error with a missing or different state: refused.
    WrongState,
    /// Anything else (another path, no code and no error): not for us.
    Stray,
}

/// Reads a request target (`/?code=…&state=…`) against the `state` this sign-in sent.
pub fn classify(target: &str, state: &str) -> Redirect {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != "/" {
        return Redirect::Stray;
    }
    let Some(pairs) = form::parse(query) else {
        return Redirect::Stray;
    };
    let code = form::get(&pairs, "code");
    let error = form::get(&pairs, "error");
    if code.is_none() && error.is_none() {
        return Redirect::Stray;
    }
    let same_state = form::get(&pairs, "state")
        .is_some_and(|got| constant_time_eq(got.as_bytes(), state.as_bytes()));
    if !same_state {
        return Redirect::WrongState;
    }
    let description = form::get(&pairs, "error_description").map(str::to_owned);
    match (error, code) {
        (Some("access_denied"), _) => Redirect::Denied { description },
        (Some(error), _) => Redirect::Error {
            error: error.to_owned(),
            description,
        },
        (None, Some(code)) if !code.is_empty() => Redirect::Code(code.to_owned()),
        (None, _) => Redirect::Stray,
    }
}

/// What the bytes of a request received so far are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// The head has not ended yet.
    Incomplete,
    /// A whole request head: its method and target.
    Request {
        /// `GET`, …
        method: String,
        /// The request target, `/?code=…`.
        target: String,
    },
    /// Not HTTP, or longer than [`MAX_REQUEST`].
    Bad,
}

/// Reads a request's head from the bytes received so far.
pub fn read_head(buf: &[u8]) -> Head {
    let Some(end) = memchr::memmem::find(buf, b"\r\n\r\n") else {
        return if buf.len() > MAX_REQUEST {
            Head::Bad
        } else {
            Head::Incomplete
        };
    };
    if end > MAX_REQUEST {
        return Head::Bad;
    }
    let Ok(head) = std::str::from_utf8(&buf[..end]) else {
        return Head::Bad;
    };
    let line = head.split("\r\n").next().unwrap_or("");
    let mut parts = line.split(' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(target), Some(version), None) if version.starts_with("HTTP/1.") => {
            Head::Request {
                method: method.to_owned(),
                target: target.to_owned(),
            }
        }
        _ => Head::Bad,
    }
}

/// The HTML page for `page`, in the interface's language.
pub fn page_html(page: Page) -> String {
    let (heading, text) = match page {
        Page::SignedIn => (
            tr!("oauth-page-signed-in-heading"),
            tr!("oauth-page-signed-in-text"),
        ),
        Page::Denied => (
            tr!("oauth-page-denied-heading"),
            tr!("oauth-page-denied-text"),
        ),
        Page::Failed => (
            tr!("oauth-page-failed-heading"),
            tr!("oauth-page-failed-text"),
        ),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <title>{title}</title><style>body{{font-family:sans-serif;max-width:36em;\
         margin:4em auto;padding:0 1em;line-height:1.5}}</style></head>\
         <body><h1>{heading}</h1><p>{text}</p></body></html>\n",
        lang = crate::i18n::language().code(),
        title = escape(&tr!("oauth-page-title")),
        heading = escape(&heading),
        text = escape(&text),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes a whole response and closes the connection; failures (a browser that left) are
/// of no consequence.
fn respond(mut stream: TcpStream, status: &str, html: Option<&str>) {
    let body = html.unwrap_or("");
    let content_type = if html.is_some() {
        "text/html; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n\
         Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

fn answer_page(stream: TcpStream, page: Page) {
    let status = if page == Page::Failed {
        "400 Bad Request"
    } else {
        "200 OK"
    };
    respond(stream, status, Some(&page_html(page)));
}

impl Callback {
    /// The authorization code.
    pub fn code(&self) -> &Secret {
        &self.code
    }

    /// Shows the browser `page` and closes its connection.
    pub fn answer(mut self, page: Page) {
        if let Some(stream) = self.browser.take() {
            answer_page(stream, page);
        }
    }
}

impl Drop for Callback {
    fn drop(&mut self) {
        // A callback dropped unanswered (an error on the way) still gets a page.
        if let Some(stream) = self.browser.take() {
            answer_page(stream, Page::Failed);
        }
    }
}

/// A connection being read.
struct Pending {
    stream: TcpStream,
    received: Vec<u8>,
    since: Instant,
}

impl Loopback {
    /// Listens on `127.0.0.1`, on a free port the system chooses.
    pub fn bind() -> Result<Self, OAuthError> {
        let system = |err: std::io::Error| {
            OAuthError::System(format!("cannot listen on 127.0.0.1 for the browser: {err}"))
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(system)?;
        listener.set_nonblocking(true).map_err(system)?;
        let port = listener.local_addr().map_err(system)?.port();
        tracing::debug!(target: "poplar::oauth", "listening for the redirect on 127.0.0.1:{port}");
        Ok(Self { listener, port })
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The redirect URI the provider is given: `http://127.0.0.1:<port>/`.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Waits for the redirect that carries `state`. Gives the code with the browser's
    /// connection; answers the browser itself when the redirect is a refusal, an error or
    /// has a wrong state, and returns that as the error.
    pub fn wait(
        &self,
        state: &str,
        cancel: &AtomicBool,
        timeout: Duration,
    ) -> Result<Callback, OAuthError> {
        let deadline = Instant::now() + timeout;
        let mut pending: Vec<Pending> = Vec::new();
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(OAuthError::Cancelled);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(OAuthError::TimedOut);
            }
            let mut busy = false;
            match self.listener.accept() {
                Ok((stream, _)) if pending.len() < MAX_CONNECTIONS => {
                    busy = true;
                    if stream.set_nonblocking(true).is_ok() {
                        pending.push(Pending {
                            stream,
                            received: Vec::new(),
                            since: now,
                        });
                    }
                }
                // Too many at once: this one is closed unanswered.
                Ok(_) => busy = true,
                Err(err) if err.kind() == ErrorKind::WouldBlock => {}
                Err(err) if err.kind() == ErrorKind::Interrupted => busy = true,
                Err(err) => {
                    // A connection reset before it was accepted; the listener goes on.
                    tracing::debug!(target: "poplar::oauth", "accept failed: {err}");
                }
            }
            let mut index = 0;
            while index < pending.len() {
                match step(&mut pending[index], now) {
                    Step::Waiting => index += 1,
                    Step::Progress => {
                        busy = true;
                        index += 1;
                    }
                    Step::Done(Some(head)) => {
                        busy = true;
                        let conn = pending.swap_remove(index);
                        if let Some(result) = self.serve(conn.stream, head, state) {
                            return result;
                        }
                    }
                    Step::Done(None) => {
                        drop(pending.swap_remove(index));
                    }
                }
            }
            if !busy {
                std::thread::sleep(POLL.min(deadline.saturating_duration_since(now)));
            }
        }
    }

    /// Answers one request. `Some` ends the wait.
    fn serve(
        &self,
        stream: TcpStream,
        head: Head,
        state: &str,
    ) -> Option<Result<Callback, OAuthError>> {
        let Head::Request { method, target } = head else {
            respond(stream, "400 Bad Request", None);
            return None;
        };
        let redirect = if method == "GET" {
            classify(&target, state)
        } else {
            Redirect::Stray
        };
        let log =
            |what: &str| tracing::debug!(target: "poplar::oauth", "redirect listener: {what}");
        match redirect {
            Redirect::Stray => {
                log("a stray request, answered 404");
                respond(stream, "404 Not Found", None);
                None
            }
            Redirect::Code(code) => {
                log("the code came back");
                Some(Ok(Callback {
                    code: Secret::new(code),
                    browser: Some(stream),
                }))
            }
            Redirect::Denied { description } => {
                log("access was denied");
                answer_page(stream, Page::Denied);
                Some(Err(OAuthError::Denied { description }))
            }
            Redirect::Error { error, description } => {
                log("the provider sent an error");
                answer_page(stream, Page::Failed);
                Some(Err(OAuthError::Server {
                    status: None,
                    error: Some(error),
                    description,
                }))
            }
            Redirect::WrongState => {
                log("a redirect with a wrong state, refused");
                answer_page(stream, Page::Failed);
                Some(Err(OAuthError::StateMismatch))
            }
        }
    }
}

enum Step {
    /// Nothing new.
    Waiting,
    /// Bytes came.
    Progress,
    /// The connection is through: its head, or `None` to drop it.
    Done(Option<Head>),
}

/// Reads what a connection has sent; decides once its head is there or it has failed.
fn step(conn: &mut Pending, now: Instant) -> Step {
    let mut chunk = [0u8; 2048];
    match conn.stream.read(&mut chunk) {
        Ok(0) => Step::Done(None),
        Ok(n) => {
            conn.received.extend_from_slice(&chunk[..n]);
            match read_head(&conn.received) {
                Head::Incomplete => Step::Progress,
                head => Step::Done(Some(head)),
            }
        }
        Err(err) if err.kind() == ErrorKind::WouldBlock || err.kind() == ErrorKind::Interrupted => {
            if now.duration_since(conn.since) > CONNECTION_BUDGET {
                Step::Done(None)
            } else {
                Step::Waiting
            }
        }
        Err(_) => Step::Done(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, language_lock, set_language};

    #[test]
    fn a_redirect_with_code_and_the_right_state_gives_the_code() {
        assert_eq!(
            classify("/?code=4%2F0Ab-c&state=s1&scope=x", "s1"),
            Redirect::Code("4/0Ab-c".into())
        );
        assert_eq!(
            classify(
                "/?state=s1&error=access_denied&error_description=no+thanks",
                "s1"
            ),
            Redirect::Denied {
                description: Some("no thanks".into())
            }
        );
        assert_eq!(
            classify("/?error=invalid_scope&state=s1", "s1"),
            Redirect::Error {
                error: "invalid_scope".into(),
                description: None
            }
        );
    }

    #[test]
    fn a_wrong_or_missing_state_is_refused_even_for_an_error() {
        assert_eq!(classify("/?code=c&state=s2", "s1"), Redirect::WrongState);
        assert_eq!(classify("/?code=c", "s1"), Redirect::WrongState);
        assert_eq!(
            classify("/?error=access_denied&state=s", "s1"),
            Redirect::WrongState
        );
    }

    #[test]
    fn other_paths_and_empty_queries_are_stray() {
        for target in [
            "/favicon.ico",
            "/",
            "/?x=1",
            "/callback?code=c&state=s1",
            "/?code=%zz",
        ] {
            assert_eq!(classify(target, "s1"), Redirect::Stray, "{target}");
        }
        assert_eq!(classify("/?code=&state=s1", "s1"), Redirect::Stray);
    }

    #[test]
    fn request_heads_are_read_when_complete_and_bounded() {
        assert_eq!(
            read_head(b"GET /?code=1 HTTP/1.1\r\nHost: x"),
            Head::Incomplete
        );
        assert_eq!(
            read_head(b"GET /?code=1 HTTP/1.1\r\nHost: x\r\n\r\n"),
            Head::Request {
                method: "GET".into(),
                target: "/?code=1".into()
            }
        );
        assert_eq!(read_head(b"HELLO\r\n\r\n"), Head::Bad);
        assert_eq!(read_head(&vec![b'a'; MAX_REQUEST + 1]), Head::Bad);
    }

    #[test]
    fn the_pages_speak_the_interfaces_language() {
        let _lock = language_lock();
        set_language(Language::German);
        let german = page_html(Page::SignedIn);
        set_language(Language::English);
        let english = page_html(Page::SignedIn);
        assert!(german.contains("lang=\"de\""), "{german}");
        assert!(
            german
                .contains("Sie können dieses Fenster jetzt schließen und zu Poplar zurückkehren."),
            "{german}"
        );
        assert!(
            english.contains("You can close this window now"),
            "{english}"
        );
        assert!(page_html(Page::Denied).contains("<h1>"));
    }

    #[test]
    fn the_listener_is_on_loopback_with_a_port_of_its_own() {
        let first = Loopback::bind().expect("bind");
        let second = Loopback::bind().expect("bind");
        assert_ne!(first.port(), second.port());
        assert_eq!(
            first.redirect_uri(),
            format!("http://127.0.0.1:{}/", first.port())
        );
        let cancel = AtomicBool::new(true);
        assert!(matches!(
            first.wait("s", &cancel, Duration::from_secs(5)),
            Err(OAuthError::Cancelled)
        ));
    }
}

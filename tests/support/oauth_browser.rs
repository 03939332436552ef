//! A scripted browser for the sign-in tests: a [`Browser`] that fetches the authorization
//! URL from the mock (`oauth_mock.rs`, which must be included too) as a person who clicks
//! Allow or Deny would, follows the redirect to Poplar's loopback listener, and records the
//! page it is shown; or does nothing, or forges the state or the challenge.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use poplar::oauth::Browser;
use sha2::{Digest, Sha256};

use crate::oauth_mock::DECISION_PARAM;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What the scripted browser does with the URL it is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Signs in and clicks Allow: follows the 302 to the loopback listener. On the way it
    /// opens an idle connection to the listener and asks it for `/favicon.ico`, as real
    /// browsers do.
    Allow,
    /// Clicks Deny.
    Deny,
    /// Does nothing at all (so the sign-in times out).
    Nothing,
    /// Follows the redirect with the state changed.
    WrongState,
    /// Changes the PKCE challenge in the authorization URL (so the code belongs to
    /// another verifier) and then allows.
    OtherChallenge,
    /// Cannot start: `open` fails.
    Broken,
}

/// A response the browser got.
#[derive(Clone, Debug)]
pub struct Visit {
    /// The status code.
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

/// What the browser did, for assertions.
#[derive(Debug, Default)]
pub struct BrowserLog {
    /// Every URL it was asked to open.
    pub opened: Vec<String>,
    /// The page the loopback listener finally showed.
    pub page: Option<Visit>,
    /// The answer to `/favicon.ico`.
    pub favicon: Option<Visit>,
    /// What went wrong in the browser's own thread.
    pub errors: Vec<String>,
}

/// A [`Browser`] that does what a test tells it, on a thread of its own.
pub struct ScriptedBrowser {
    behaviour: Behaviour,
    log: Arc<Mutex<BrowserLog>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl ScriptedBrowser {
    /// A browser that will behave as `behaviour` says.
    pub fn new(behaviour: Behaviour) -> Self {
        Self {
            behaviour,
            log: Arc::default(),
            threads: Mutex::default(),
        }
    }

    /// Waits for the browser's thread, then gives what it did.
    pub fn finished(&self) -> MutexGuard<'_, BrowserLog> {
        for thread in lock(&self.threads).drain(..) {
            let _ = thread.join();
        }
        lock(&self.log)
    }

    /// What it has done so far, without waiting.
    pub fn log(&self) -> MutexGuard<'_, BrowserLog> {
        lock(&self.log)
    }
}

impl Browser for ScriptedBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        lock(&self.log).opened.push(url.to_owned());
        let behaviour = self.behaviour;
        if behaviour == Behaviour::Broken {
            return Err("no browser on this test machine".into());
        }
        if behaviour == Behaviour::Nothing {
            return Ok(());
        }
        let log = Arc::clone(&self.log);
        let url = url.to_owned();
        let thread = thread::spawn(move || {
            if let Err(why) = visit(behaviour, &url, &log) {
                lock(&log).errors.push(why);
            }
        });
        lock(&self.threads).push(thread);
        Ok(())
    }
}

fn visit(behaviour: Behaviour, url: &str, log: &Mutex<BrowserLog>) -> Result<(), String> {
    let url = match behaviour {
        Behaviour::Deny => format!("{url}&{DECISION_PARAM}=deny"),
        Behaviour::OtherChallenge => {
            let other = URL_SAFE_NO_PAD.encode(Sha256::digest(b"someone else's verifier"));
            let (before, after) = url
                .split_once("code_challenge=")
                .ok_or("no code_challenge in the URL")?;
            let rest = after.split_once('&').map(|(_, r)| r).unwrap_or("");
            format!("{before}code_challenge={other}&{rest}")
        }
        _ => url.to_owned(),
    };
    let Fetched {
        status,
        headers,
        body,
    } = get(&url)?;
    if status != 302 {
        return Err(format!("the provider answered {status}: {body}"));
    }
    let mut location = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("location"))
        .map(|(_, v)| v.clone())
        .ok_or("a 302 without Location")?;
    if behaviour == Behaviour::WrongState {
        let (before, _) = location
            .split_once("state=")
            .ok_or("no state in the redirect")?;
        location = format!("{before}state=forged-by-someone-else");
    }
    // A browser's habits: a connection opened early and left idle, and a favicon request.
    let idle = match behaviour {
        Behaviour::Allow => {
            let (host, _) = split_url(&location)?;
            let idle = TcpStream::connect(&host).map_err(|e| e.to_string())?;
            let origin = location
                .split_once("/?")
                .map(|(o, _)| o)
                .unwrap_or(&location);
            let Fetched { status, body, .. } = get(&format!("{origin}/favicon.ico"))?;
            lock(log).favicon = Some(Visit { status, body });
            Some(idle)
        }
        _ => None,
    };
    let Fetched { status, body, .. } = get(&location)?;
    lock(log).page = Some(Visit { status, body });
    drop(idle);
    Ok(())
}

/// `http://host:port/target` → (`host:port`, `/target`).
fn split_url(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("not http: {url}"))?;
    let (host, target) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    Ok((host.to_owned(), target.to_owned()))
}

/// An answer to [`get`].
pub struct Fetched {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

/// A plain HTTP/1.1 GET, read to the end of the connection.
pub fn get(url: &str) -> Result<Fetched, String> {
    let (host, target) = split_url(url)?;
    let mut stream = TcpStream::connect(&host).map_err(|e| format!("{host}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: scripted-browser\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("reading from {host}: {e}"))?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no header end from {host}: {raw:?}"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status from {host}"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok(Fetched {
        status,
        headers,
        body: body.to_owned(),
    })
}

//! A scripted mailbox behind the fake server: a small POP3 server over a shared list of
//! messages, with the odd behaviours real servers have (no UIDL, paged listings, login
//! gates, hidden downloads, a drop in the middle of a download), for the sync tests.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use poplar::account::{AccountSettings, ServerPolicy};
use poplar::pop3::Security;

use super::fake_server::{self, Conn, FakeServer};
use super::sync_kit::lock;
use super::{corpus, dovecot};

pub const USER: &str = "alice";
pub const PASSWORD: &str = "s3cret";

/// What the fake mailbox does differently from a plain RFC 1939 + UIDL server.
#[derive(Clone, Default)]
pub struct Behaviour {
    /// Answer UIDL (otherwise `-ERR`, and CAPA does not offer it).
    pub uidl: bool,
    /// Refuse TOP (RFC 1939 makes it optional), and leave it out of CAPA.
    pub no_top: bool,
    /// Offer PIPELINING.
    pub pipelining: bool,
    /// List at most this many messages per session (Gmail).
    pub page: Option<usize>,
    /// Messages retrieved in a session that ended with QUIT disappear from later listings.
    pub hide_retrieved: bool,
    /// Answer PASS with this line instead of `+OK`.
    pub pass_reply: Option<String>,
    /// Refuse a login less than this long after the previous good one (WEB.DE).
    pub login_gate: Option<Duration>,
    /// Extra CAPA lines.
    pub capa_extra: Vec<String>,
    /// On this connection, at RETR of this message number: half the message, then hang up.
    pub drop_at_retr: Option<(usize, u32)>,
}

pub struct FakeMessage {
    pub uidl: String,
    pub raw: Vec<u8>,
    pub gone: bool,
}

/// A mailbox shared by every connection of a fake server.
pub struct Mailbox {
    pub behaviour: Behaviour,
    pub messages: Vec<FakeMessage>,
    pub last_login: Option<Instant>,
    /// Good logins, by connection index.
    pub logins: Vec<usize>,
    /// Refused logins, by connection index.
    pub refused: Vec<usize>,
}

pub type SharedMailbox = Arc<Mutex<Mailbox>>;

pub fn mailbox(behaviour: Behaviour, raws: &[Vec<u8>]) -> SharedMailbox {
    let messages = raws
        .iter()
        .enumerate()
        .map(|(i, raw)| FakeMessage {
            uidl: format!("uid-{i:05}"),
            raw: raw.clone(),
            gone: false,
        })
        .collect();
    Arc::new(Mutex::new(Mailbox {
        behaviour,
        messages,
        last_login: None,
        logins: Vec::new(),
        refused: Vec::new(),
    }))
}

/// `n` distinct small messages with CRLF line endings, as a server serves them.
pub fn crlf_messages(n: usize, seed: u64) -> Vec<Vec<u8>> {
    corpus::small(n, seed)
        .iter()
        .map(|m| dovecot::served_bytes(m))
        .collect()
}

/// The header block of a CRLF message, blank line included (what `TOP n 0` serves).
pub fn head_of(raw: &[u8]) -> Vec<u8> {
    match raw.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => raw[..i + 4].to_vec(),
        None => raw.to_vec(),
    }
}

/// The body lines of a CRLF message after the header block, the first `lines` of them.
pub fn top_of(raw: &[u8], lines: usize) -> Vec<u8> {
    let mut out = head_of(raw);
    let body = &raw[out.len().min(raw.len())..];
    for line in body.split_inclusive(|b| *b == b'\n').take(lines) {
        out.extend_from_slice(line);
    }
    out
}

/// Serves one connection from the shared mailbox, like a small POP3 server would.
pub fn serve(conn: &mut Conn, mailbox: &SharedMailbox) {
    let behaviour = lock(mailbox).behaviour.clone();
    let index = conn.index();
    conn.greet();
    // This session's view: indices into the mailbox, numbered from 1.
    let mut view: Vec<usize> = Vec::new();
    let mut marked: HashSet<usize> = HashSet::new();
    let mut retrieved: HashSet<usize> = HashSet::new();
    let mut logged_in = false;
    loop {
        let Ok(Some(line)) = conn.try_read_line() else {
            return; // the client hung up (or went silent): nothing is committed
        };
        let mut words = line.split(' ');
        let command = words.next().unwrap_or_default().to_ascii_uppercase();
        let args: Vec<&str> = words.collect();
        let message = |n: Option<&&str>, view: &[usize]| -> Option<usize> {
            let n: usize = n?.parse().ok()?;
            view.get(n.checked_sub(1)?).copied()
        };
        match command.as_str() {
            "CAPA" => {
                let mut caps = vec!["USER".to_owned()];
                if !behaviour.no_top {
                    caps.push("TOP".into());
                }
                if behaviour.uidl {
                    caps.push("UIDL".into());
                }
                if behaviour.pipelining {
                    caps.push("PIPELINING".into());
                }
                caps.extend(behaviour.capa_extra.iter().cloned());
                let body: String = caps.iter().map(|c| format!("{c}\r\n")).collect();
                conn.multiline_with("+OK Capability list follows", body.as_bytes());
            }
            "USER" if args.first() == Some(&USER) => conn.ok("send PASS"),
            "USER" => conn.err("[AUTH] no such user"),
            "PASS" => {
                let mut mb = lock(mailbox);
                if let Some(reply) = &behaviour.pass_reply {
                    mb.refused.push(index);
                    drop(mb);
                    conn.send_line(reply);
                    continue;
                }
                if args.join(" ") != PASSWORD {
                    drop(mb);
                    conn.err("[AUTH] invalid password");
                    continue;
                }
                if let (Some(gate), Some(last)) = (behaviour.login_gate, mb.last_login)
                    && last.elapsed() < gate
                {
                    mb.refused.push(index);
                    drop(mb);
                    conn.err("[LOGIN-DELAY] Sie duerfen sich nur alle 15 Minuten anmelden");
                    continue;
                }
                mb.last_login = Some(Instant::now());
                mb.logins.push(index);
                view = (0..mb.messages.len())
                    .filter(|&i| !mb.messages[i].gone)
                    .take(behaviour.page.unwrap_or(usize::MAX))
                    .collect();
                logged_in = true;
                drop(mb);
                conn.ok("maildrop ready");
            }
            _ if !logged_in && command != "QUIT" => conn.err("log in first"),
            "STAT" => {
                let mb = lock(mailbox);
                let size: usize = view.iter().map(|&i| mb.messages[i].raw.len()).sum();
                let reply = format!("{} {size}", view.len());
                drop(mb);
                conn.ok(&reply);
            }
            "LIST" | "UIDL" if !args.is_empty() => conn.err("only whole listings here"),
            "LIST" => {
                let mb = lock(mailbox);
                let body: String = view
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| !marked.contains(*i))
                    .map(|(n, &i)| format!("{} {}\r\n", n + 1, mb.messages[i].raw.len()))
                    .collect();
                drop(mb);
                conn.multiline_with("+OK scan listing follows", body.as_bytes());
            }
            "UIDL" if !behaviour.uidl => conn.err("command not implemented"),
            "UIDL" => {
                let mb = lock(mailbox);
                let body: String = view
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| !marked.contains(*i))
                    .map(|(n, &i)| format!("{} {}\r\n", n + 1, mb.messages[i].uidl))
                    .collect();
                drop(mb);
                conn.multiline_with("+OK unique-id listing follows", body.as_bytes());
            }
            "TOP" if behaviour.no_top => conn.err("command not implemented"),
            "TOP" => {
                let lines: Option<usize> = args.get(1).and_then(|l| l.parse().ok());
                match (message(args.first(), &view), lines) {
                    (Some(i), Some(lines)) if !marked.contains(&i) => {
                        let top = top_of(&lock(mailbox).messages[i].raw, lines);
                        conn.multiline(&top);
                    }
                    _ => conn.err("no such message"),
                }
            }
            "RETR" => {
                let Some(i) = message(args.first(), &view).filter(|i| !marked.contains(i)) else {
                    conn.err("no such message");
                    continue;
                };
                let raw = lock(mailbox).messages[i].raw.clone();
                let number: u32 = args[0].parse().unwrap_or(0);
                if behaviour.drop_at_retr == Some((index, number)) {
                    let mut out = format!("+OK {} octets\r\n", raw.len()).into_bytes();
                    out.extend_from_slice(&fake_server::dot_stuff(&raw[..raw.len() / 2]));
                    let _ = conn.try_send(&out);
                    conn.close();
                    return;
                }
                retrieved.insert(i);
                conn.multiline_with(&format!("+OK {} octets", raw.len()), &raw);
            }
            "DELE" => match message(args.first(), &view) {
                Some(i) if marked.insert(i) => conn.ok("marked"),
                _ => conn.err("no such message"),
            },
            "RSET" => {
                marked.clear();
                conn.ok("");
            }
            "NOOP" => conn.ok(""),
            "QUIT" => {
                if logged_in {
                    // RFC 1939 §6: the UPDATE state; deletions happen only here.
                    let mut mb = lock(mailbox);
                    for &i in &marked {
                        mb.messages[i].gone = true;
                    }
                    if behaviour.hide_retrieved {
                        for &i in &retrieved {
                            mb.messages[i].gone = true;
                        }
                    }
                }
                conn.ok("bye");
                conn.close();
                return;
            }
            _ => conn.err("unknown command"),
        }
    }
}

/// A fake server for exactly `connections` connections over one mailbox.
pub fn fake(mailbox: &SharedMailbox, connections: usize) -> FakeServer {
    let mailbox = Arc::clone(mailbox);
    FakeServer::options()
        .connections(connections)
        .accept_timeout(Duration::from_secs(10))
        .read_timeout(Duration::from_secs(10))
        .start(move |conn| serve(conn, &mailbox))
}

pub fn fake_account(server: &FakeServer, policy: ServerPolicy) -> AccountSettings {
    let mut settings = AccountSettings::new("Fake", "alice@example.org", "127.0.0.1", USER);
    settings.port = server.port();
    settings.security = Security::None;
    settings.server_policy = policy;
    settings
}

/// Lines the client sent on connection `conn` that are the command `cmd`.
pub fn sent_on(server: &FakeServer, conn: usize, cmd: &str) -> Vec<String> {
    server
        .transcript()
        .into_iter()
        .filter(|r| r.conn == conn && fake_server::command_matches(&r.line, cmd))
        .map(|r| r.line)
        .collect()
}

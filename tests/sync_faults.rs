//! The sync engine under faults: what a pass does when the server is odd, refuses, pages,
//! rate-limits or drops the connection, and what survives a `poplar sync` killed at random
//! moments or a network that cuts connections anywhere.
//!
//! The promise every test here checks is the one in `src/sync/pass.rs`: nothing lost, nothing
//! stored twice, nothing deleted on the server that is not safely stored here.
//!
//! - Scripted fake servers (library level, `run_pass`): no UIDL, `[IN-USE]`, `[LOGIN-DELAY]`,
//!   a Gmail-like paged listing, a WEB.DE-like login gate, a drop in the middle of a batch.
//! - The kill loop: the `poplar` binary against a private Dovecot, SIGKILLed at random moments
//!   until a run completes (with delete-after-download, and again with keep).
//! - The fault proxy: passes through a proxy that cuts each connection after a random number of
//!   bytes, one way or the other, until one completes.
//!
//! Dovecot tests skip where Dovecot is missing, unless `POPLAR_REQUIRE_DOVECOT=1`.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/fake_server.rs"]
mod fake_server;
#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/store_kit.rs"]
mod store_kit;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use corpus::Rng;
use dovecot::{Dovecot, Options};
use fake_server::{Conn, FakeServer};
use fault_proxy::{Cut, Direction, FaultProxy};
use poplar::account::{AccountSettings, ServerPolicy};
use poplar::pop3::{ErrorKind as Pop3Kind, Secret, Security};
use poplar::store::{AccountId, LedgerEntry, Reader, STORE_FILE, ServerState, Writer, now};
use poplar::sync::Secrets as _;
use poplar::sync::{
    MemorySecrets, PassContext, PassReport, StoreHandle, SyncError, SyncErrorKind, SyncOptions,
    content_key, run_pass,
};
use sha2::{Digest as _, Sha256};

type Sha = [u8; 32];

fn sha(bytes: &[u8]) -> Sha {
    Sha256::digest(bytes).into()
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How many times each content occurs.
fn multiset<'a>(raws: impl IntoIterator<Item = &'a Vec<u8>>) -> BTreeMap<Sha, usize> {
    let mut out = BTreeMap::new();
    for raw in raws {
        *out.entry(sha(raw)).or_insert(0) += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// the local side: a store with one account, its writer on its own thread

/// A temporary store with one account, for library-level passes.
struct Local {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: StoreHandle,
    thread: Option<JoinHandle<()>>,
    id: AccountId,
    secrets: Arc<MemorySecrets>,
    options: SyncOptions,
}

impl Local {
    fn new(settings: &AccountSettings, password: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir for the store");
        let path = dir.path().join(STORE_FILE);
        let mut writer = Writer::open(&path).expect("open the store");
        let id = writer
            .add_account(settings, now())
            .expect("add the account");
        let (store, thread) = StoreHandle::spawn(writer).expect("start the store thread");
        let secrets = Arc::new(MemorySecrets::new());
        secrets
            .store_password(settings, &Secret::new(password))
            .expect("remember the password");
        let options = SyncOptions {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(15),
            ..SyncOptions::default()
        };
        Self {
            _dir: dir,
            path,
            store,
            thread: Some(thread),
            id,
            secrets,
            options,
        }
    }

    /// One pass with the clock moved by `days`, on the account as stored now (the engine also
    /// re-reads it before each pass: first-sync state).
    fn pass_at(&self, days: i64) -> Result<PassReport, SyncError> {
        let id = self.id;
        let account = self
            .store
            .run_blocking(move |w| w.account(id))
            .expect("store thread")
            .expect("read the account")
            .expect("the account exists");
        let ctx = PassContext {
            account,
            store: self.store.clone(),
            secrets: self.secrets.clone(),
            clock: Arc::new(move || now() + days * 86_400),
            options: self.options.clone(),
            cancel: Arc::new(AtomicBool::new(false)),
            on_progress: Arc::new(|_| {}),
        };
        smol::block_on(run_pass(&ctx))
    }

    fn pass(&self) -> Result<PassReport, SyncError> {
        self.pass_at(0)
    }

    fn ledger(&self) -> HashMap<String, LedgerEntry> {
        let id = self.id;
        self.store
            .run_blocking(move |w| w.ledger_map(id))
            .expect("store thread")
            .expect("read the ledger")
    }

    /// Every stored message's raw bytes (through a reader, as the window would see them).
    fn raws(&self) -> Vec<Vec<u8>> {
        // A no-op on the writer first: every job queued before (a commit in flight when a
        // pass failed) is done once this returns.
        let _ = self.store.run_blocking(|_| ());
        stored_raws(&self.path)
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        self.store.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Every message in the store's inboxes, raw, read through a fresh `Reader`.
fn stored_raws(path: &Path) -> Vec<Vec<u8>> {
    // Every folder, not just the inboxes: rules may have filed mail anywhere.
    let conn = rusqlite::Connection::open(path).expect("open the store");
    let mut stmt = conn
        .prepare("SELECT r.raw FROM messages m JOIN message_raw r ON r.message_id = m.id")
        .expect("prepare");
    let rows = stmt
        .query_map([], |row| row.get::<_, Vec<u8>>(0))
        .expect("query");
    rows.map(|raw| raw.expect("a stored message has its bytes"))
        .collect()
}

/// How many messages the store holds, in every folder.
fn stored_count(path: &Path) -> u64 {
    let conn = rusqlite::Connection::open(path).expect("open the store");
    conn.query_row("SELECT count(*) FROM messages", [], |r| r.get::<_, i64>(0))
        .expect("count") as u64
}

// ---------------------------------------------------------------------------------------------
// A. a scripted mailbox behind the fake server

const USER: &str = "alice";
const PASSWORD: &str = "s3cret";

/// What the fake mailbox does differently from a plain RFC 1939 + UIDL server.
#[derive(Clone, Default)]
struct Behaviour {
    /// Answer UIDL (otherwise `-ERR`, and CAPA does not offer it).
    uidl: bool,
    /// Offer PIPELINING.
    pipelining: bool,
    /// List at most this many messages per session (Gmail).
    page: Option<usize>,
    /// Messages retrieved in a session that ended with QUIT disappear from later listings.
    hide_retrieved: bool,
    /// Answer PASS with this line instead of `+OK`.
    pass_reply: Option<String>,
    /// Refuse a login less than this long after the previous good one (WEB.DE).
    login_gate: Option<Duration>,
    /// Extra CAPA lines.
    capa_extra: Vec<String>,
    /// On this connection, at RETR of this message number: half the message, then hang up.
    drop_at_retr: Option<(usize, u32)>,
}

struct FakeMessage {
    uidl: String,
    raw: Vec<u8>,
    gone: bool,
}

/// A mailbox shared by every connection of a fake server.
struct Mailbox {
    behaviour: Behaviour,
    messages: Vec<FakeMessage>,
    last_login: Option<Instant>,
    /// Good logins, by connection index.
    logins: Vec<usize>,
    /// Refused logins, by connection index.
    refused: Vec<usize>,
}

type SharedMailbox = Arc<Mutex<Mailbox>>;

fn mailbox(behaviour: Behaviour, raws: &[Vec<u8>]) -> SharedMailbox {
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
fn crlf_messages(n: usize, seed: u64) -> Vec<Vec<u8>> {
    corpus::small(n, seed)
        .iter()
        .map(|m| dovecot::served_bytes(m))
        .collect()
}

/// The header block of a CRLF message, blank line included (what `TOP n 0` serves).
fn head_of(raw: &[u8]) -> Vec<u8> {
    match raw.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => raw[..i + 4].to_vec(),
        None => raw.to_vec(),
    }
}

/// The body lines of a CRLF message after the header block, the first `lines` of them.
fn top_of(raw: &[u8], lines: usize) -> Vec<u8> {
    let mut out = head_of(raw);
    let body = &raw[out.len().min(raw.len())..];
    for line in body.split_inclusive(|b| *b == b'\n').take(lines) {
        out.extend_from_slice(line);
    }
    out
}

/// Serves one connection from the shared mailbox, like a small POP3 server would.
fn serve(conn: &mut Conn, mailbox: &SharedMailbox) {
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
                let mut caps = vec!["USER".to_owned(), "TOP".to_owned()];
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
fn fake(mailbox: &SharedMailbox, connections: usize) -> FakeServer {
    let mailbox = Arc::clone(mailbox);
    FakeServer::options()
        .connections(connections)
        .accept_timeout(Duration::from_secs(10))
        .read_timeout(Duration::from_secs(10))
        .start(move |conn| serve(conn, &mailbox))
}

fn fake_account(server: &FakeServer, policy: ServerPolicy) -> AccountSettings {
    let mut settings = AccountSettings::new("Fake", "alice@example.org", "127.0.0.1", USER);
    settings.port = server.port();
    settings.security = Security::None;
    settings.server_policy = policy;
    settings
}

/// Lines the client sent on connection `conn` that are the command `cmd`.
fn sent_on(server: &FakeServer, conn: usize, cmd: &str) -> Vec<String> {
    server
        .transcript()
        .into_iter()
        .filter(|r| r.conn == conn && fake_server::command_matches(&r.line, cmd))
        .map(|r| r.line)
        .collect()
}

#[test]
fn without_uidl_messages_are_known_by_a_content_key_and_delete_after_days_is_not_applied() {
    let mut raws = crlf_messages(5, 11);
    // Two messages with the same identity headers but different bodies (a resent newsletter)
    // still need two identities.
    let mut twin = head_of(&raws[2]);
    twin.extend_from_slice(b"A different body, longer than the first one's ending.\r\n");
    raws.push(twin);
    let mailbox = mailbox(
        Behaviour {
            uidl: false,
            pipelining: true,
            ..Behaviour::default()
        },
        &raws,
    );
    let mut server = fake(&mailbox, 2);
    let local = Local::new(
        &fake_account(&server, ServerPolicy::DeleteAfterDays(1)),
        PASSWORD,
    );

    let first = local.pass().expect("the first pass works without UIDL");
    assert_eq!(first.downloaded, 6, "{first:?}");
    let ledger = local.ledger();
    let mut expected_keys: HashSet<String> = HashSet::new();
    for raw in &raws {
        let key = content_key(&head_of(raw));
        if !expected_keys.insert(key.clone()) {
            expected_keys.insert(format!("{key}-2"));
        }
    }
    let keys: HashSet<String> = ledger.keys().cloned().collect();
    assert_eq!(
        keys, expected_keys,
        "ledger keys are content keys from TOP headers"
    );
    assert!(keys.iter().all(|k| k.starts_with("poplar-key:")));
    assert!(server.saw("TOP 1 0"), "headers come from TOP n 0");
    assert_eq!(
        multiset(&local.raws()),
        multiset(&raws),
        "each message once"
    );

    // Three days later: past the policy's one day, but without UIDL nobody knows how long a
    // message has been there, so nothing is deleted, and the user is told why.
    let second = local.pass_at(3).expect("the second pass");
    assert_eq!(second.downloaded, 0, "nothing new: {second:?}");
    assert_eq!(second.deleted_on_server, 0);
    assert!(
        sent_on(&server, 1, "RETR").is_empty(),
        "no download the second time"
    );
    assert!(!server.saw("DELE"), "nothing deleted without UIDL");
    for report in [&first, &second] {
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.contains("UIDL") && w.contains("delete after N days")),
            "the report says why nothing was deleted: {:?}",
            report.warnings
        );
    }
    assert_eq!(local.raws().len(), 6);
    assert!(lock(&mailbox).messages.iter().all(|m| !m.gone));
    server.join().expect("script");
}

/// A login answered with `reply` fails the pass with `kind`, recoverable, and stores nothing.
fn refused_login(reply: &str, kind: Pop3Kind) -> SyncError {
    let mailbox = mailbox(
        Behaviour {
            uidl: true,
            pass_reply: Some(reply.to_owned()),
            ..Behaviour::default()
        },
        &crlf_messages(3, 12),
    );
    let mut server = fake(&mailbox, 1);
    let local = Local::new(&fake_account(&server, ServerPolicy::Keep), PASSWORD);
    let err = local.pass().expect_err("a refused login fails the pass");
    assert_eq!(err.kind(), SyncErrorKind::Pop3(kind), "{err}");
    assert!(err.is_recoverable(), "{err}");
    assert!(!err.needs_user(), "polling goes on by itself: {err}");
    assert!(local.ledger().is_empty(), "nothing recorded");
    assert!(local.raws().is_empty(), "nothing stored");
    assert!(!server.saw("LIST") && !server.saw("RETR"));
    server.join().expect("script");
    err
}

#[test]
fn in_use_at_pass_is_a_recoverable_failure_that_names_another_program() {
    let err = refused_login(
        "-ERR [IN-USE] Do you have another POP session running?",
        Pop3Kind::InUse,
    );
    let text = err.to_string();
    assert!(text.contains("another program"), "{text}");
    assert!(
        text.contains("[IN-USE]"),
        "the server's words are quoted: {text}"
    );
}

#[test]
fn login_delay_at_pass_is_a_recoverable_failure() {
    let err = refused_login(
        "-ERR [LOGIN-DELAY] wait 15 minutes between logins",
        Pop3Kind::LoginDelay,
    );
    assert!(err.to_string().contains("[LOGIN-DELAY]"), "{err}");
}

#[test]
fn a_gmail_like_paged_listing_brings_every_message_in_one_pass_exactly_once() {
    let raws = crlf_messages(600, 13);
    let mailbox = mailbox(
        Behaviour {
            uidl: true,
            pipelining: true,
            page: Some(250),
            hide_retrieved: true,
            ..Behaviour::default()
        },
        &raws,
    );
    // 250 + 250 + 100: three sessions; a fourth connection would be refused (and fail).
    let mut server = fake(&mailbox, 3);
    let local = Local::new(&fake_account(&server, ServerPolicy::Keep), PASSWORD);
    let report = local.pass().expect("one pass");
    assert_eq!(report.downloaded, 600, "{report:?}");
    assert_eq!(local.raws().len(), 600);
    assert_eq!(
        multiset(&local.raws()),
        multiset(&raws),
        "each message once"
    );
    assert_eq!(lock(&mailbox).logins, vec![0, 1, 2], "three sessions");
    let retrs: usize = (0..3).map(|c| sent_on(&server, c, "RETR").len()).sum();
    assert_eq!(retrs, 600, "each message downloaded once");
    assert_eq!(local.ledger().len(), 600);
    server.join().expect("script");
}

/// Why `[LOGIN-DELAY]` and not `[AUTH]` for the gate: RFC 2449 §8.1.2 defines LOGIN-DELAY
/// for exactly this ("the user has logged in recently and will not be allowed to log in again
/// until the login delay period has expired"), and an `[AUTH]` answer would make Poplar stop
/// polling and ask for the password, which is wrong for a rate limit.
#[test]
fn a_web_de_like_login_gate_sees_one_login_per_pass() {
    assert_eq!(poplar::sync::provider_min_interval("pop3.web.de"), Some(15));
    assert_eq!(poplar::sync::provider_min_interval("POP3.WEB.DE"), Some(15));
    assert_eq!(poplar::sync::provider_min_interval("pop.web.de"), Some(15));
    assert_eq!(poplar::sync::provider_min_interval("pop.gmx.net"), None);
    let gate = Duration::from_secs(30);
    // More than a Gmail page, kept on the server: the listing is complete, nothing needs
    // paging, so one login must do.
    let mailbox = mailbox(
        Behaviour {
            uidl: true,
            pipelining: true,
            login_gate: Some(gate),
            capa_extra: vec!["LOGIN-DELAY 900".into()],
            ..Behaviour::default()
        },
        &crlf_messages(300, 14),
    );
    let mut server = fake(&mailbox, 3);
    let local = Local::new(&fake_account(&server, ServerPolicy::Keep), PASSWORD);

    let first = local.pass();
    let seen = {
        let mb = lock(&mailbox);
        (mb.logins.clone(), mb.refused.clone())
    };
    let first = first.unwrap_or_else(|err| {
        panic!("the first pass logs in once and works, but failed: {err}; logins {seen:?}")
    });
    assert_eq!(first.downloaded, 300);
    assert_eq!(first.login_delay, Some(900), "CAPA LOGIN-DELAY is reported");
    assert_eq!(seen, (vec![0], vec![]), "one login in the first pass");

    // At once again: the gate refuses; the pass fails recoverably and does not try again.
    let err = local.pass().expect_err("refused by the gate");
    assert_eq!(
        err.kind(),
        SyncErrorKind::Pop3(Pop3Kind::LoginDelay),
        "{err}"
    );
    assert!(err.is_recoverable());
    assert_eq!(lock(&mailbox).refused, vec![1]);

    // After the interval (simulated: the gate forgets the last login), with one new
    // message: one login, one download.
    lock(&mailbox).last_login = None;
    let new = crlf_messages(301, 14).pop().expect("message 301");
    lock(&mailbox).messages.push(FakeMessage {
        uidl: "uid-new".into(),
        raw: new,
        gone: false,
    });
    let third = local.pass().expect("after the interval the pass works");
    assert_eq!(third.downloaded, 1);
    assert_eq!(lock(&mailbox).logins, vec![0, 2], "one login per pass");
    for conn in 0..3 {
        assert_eq!(sent_on(&server, conn, "PASS").len(), 1, "connection {conn}");
    }
    assert_eq!(local.raws().len(), 301);
    server.join().expect("script");
}

#[test]
fn a_drop_in_the_middle_of_a_batch_keeps_committed_batches_and_the_next_pass_finishes() {
    let raws = crlf_messages(50, 15);
    let mailbox = mailbox(
        Behaviour {
            uidl: true,
            // One RETR at a time, so the server never closes with unread commands (which would
            // reset the connection and make how much the client got before it a race).
            pipelining: false,
            drop_at_retr: Some((0, 27)),
            ..Behaviour::default()
        },
        &raws,
    );
    let mut server = fake(&mailbox, 2);
    let mut local = Local::new(
        &fake_account(&server, ServerPolicy::DeleteAfterDownload),
        PASSWORD,
    );
    local.options.batch_messages = 10;

    let err = local.pass().expect_err("the drop fails the pass");
    assert_eq!(err.kind(), SyncErrorKind::Pop3(Pop3Kind::Closed), "{err}");
    assert!(err.is_recoverable(), "{err}");
    // Batches 1-10 and 11-20 were committed on the way; 21-26 had arrived whole when the
    // connection dropped and are committed before the pass reports the failure.
    let stored = local.raws();
    assert_eq!(stored.len(), 26, "every message that arrived whole is kept");
    assert_eq!(multiset(&stored), multiset(&raws[..26]));
    assert!(
        !server.saw("DELE"),
        "nothing deleted by a pass that failed in the download"
    );
    assert!(lock(&mailbox).messages.iter().all(|m| !m.gone));

    let report = local.pass().expect("the server is healthy again");
    assert_eq!(report.downloaded, 24, "{report:?}");
    assert_eq!(report.deleted_on_server, 50);
    let second_retrs: Vec<String> = sent_on(&server, 1, "RETR");
    let expected: Vec<String> = (27..=50).map(|n| format!("RETR {n}")).collect();
    assert_eq!(
        second_retrs, expected,
        "only what was not committed is fetched again"
    );
    assert_eq!(
        multiset(&local.raws()),
        multiset(&raws),
        "each message exactly once"
    );
    assert!(
        lock(&mailbox).messages.iter().all(|m| m.gone),
        "all deleted"
    );
    assert!(
        local
            .ledger()
            .values()
            .all(|e| e.state == ServerState::Deleted && e.downloaded_at.is_some())
    );
    server.join().expect("script");
}

// ---------------------------------------------------------------------------------------------
// B and C: against a private Dovecot

const DOVECOT_USER: &str = "user1";
const DOVECOT_PASSWORD: &str = "pass1";

/// The messages delivered to a Dovecot user, to recognise them in the store and the maildir.
///
/// Lookups go through std's `HashMap` on the bytes (std is built optimized; SHA-256 in a
/// debug build would make every check after a kill take a good part of a second).
struct Served {
    /// The served bytes of each message, in delivery order.
    raws: Vec<Vec<u8>>,
    /// Served bytes → index.
    by_bytes: HashMap<Vec<u8>, usize>,
    /// Maildir file name up to the flags (`:2,…`) → index.
    by_file: HashMap<String, usize>,
    user: String,
}

fn base_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    name.split(':').next().unwrap_or_default().to_owned()
}

impl Served {
    fn deliver(server: &Dovecot, user: &str, messages: &[Vec<u8>]) -> Self {
        let delivered = server.deliver_detailed(user, messages);
        let raws: Vec<Vec<u8>> = delivered.iter().map(|d| d.served.clone()).collect();
        let by_bytes: HashMap<Vec<u8>, usize> = raws
            .iter()
            .enumerate()
            .map(|(i, r)| (r.clone(), i))
            .collect();
        assert_eq!(by_bytes.len(), raws.len(), "the corpus is distinct");
        let by_file = delivered
            .iter()
            .enumerate()
            .map(|(i, d)| (base_name(&d.path), i))
            .collect();
        Self {
            raws,
            by_bytes,
            by_file,
            user: user.to_owned(),
        }
    }

    fn len(&self) -> usize {
        self.raws.len()
    }

    fn total_bytes(&self) -> u64 {
        self.raws.iter().map(|r| r.len() as u64).sum()
    }

    /// How many times each message is stored; a stored message that is none of them (damaged,
    /// truncated) fails the test.
    fn stored_counts(&self, store: &Path, when: &str) -> Vec<usize> {
        let mut counts = vec![0; self.len()];
        for raw in stored_raws(store) {
            let Some(&i) = self.by_bytes.get(&raw) else {
                panic!(
                    "{when}: a stored message ({} bytes) is none of the served ones: damaged",
                    raw.len()
                );
            };
            counts[i] += 1;
        }
        counts
    }

    /// Which messages are still in the user's maildir.
    fn on_server(&self, server: &Dovecot) -> Vec<bool> {
        let mut present = vec![false; self.len()];
        for sub in ["cur", "new"] {
            let dir = server.maildir(&self.user).join(sub);
            for entry in std::fs::read_dir(&dir).expect("read the maildir") {
                let path = entry.expect("maildir entry").path();
                let index = match self.by_file.get(&base_name(&path)) {
                    Some(&i) => Some(i),
                    // Renamed by the server: recognise it by its content. A file deleted
                    // while we look was expunged by a QUIT; the store must have it.
                    None => std::fs::read(&path)
                        .ok()
                        .and_then(|b| self.by_bytes.get(&dovecot::served_bytes(&b)).copied()),
                };
                if let Some(i) = index {
                    present[i] = true;
                }
            }
        }
        present
    }

    /// The invariant at any moment: no message stored twice or damaged, and every message
    /// either still on the server or in the store (nothing lost).
    fn check_nothing_lost_nothing_twice(&self, store: &Path, server: &Dovecot, when: &str) {
        let counts = self.stored_counts(store, when);
        let twice = counts.iter().filter(|c| **c > 1).count();
        assert_eq!(
            twice, 0,
            "{when}: {twice} messages are stored more than once"
        );
        let present = self.on_server(server);
        let lost = (0..self.len())
            .filter(|&i| counts[i] == 0 && !present[i])
            .count();
        assert_eq!(
            lost, 0,
            "{when}: {lost} messages are neither on the server nor in the store"
        );
    }

    /// The end state: the store holds every message exactly once, and nothing else.
    fn check_exactly_once(&self, store: &Path) {
        let counts = self.stored_counts(store, "at the end");
        let wrong = counts.iter().filter(|c| **c != 1).count();
        assert_eq!(wrong, 0, "{wrong} messages are not stored exactly once");
    }

    /// How many messages are still on the server.
    fn remaining(&self, server: &Dovecot) -> usize {
        self.on_server(server).iter().filter(|p| **p).count()
    }
}

/// A Dovecot whose user1 has `n` small distinct messages.
fn dovecot_with(test: &str, n: usize, seed: u64) -> Option<(Dovecot, Served)> {
    let server = Dovecot::start_or_skip_with(test, Options::new().fast_stop(true))?;
    let served = Served::deliver(&server, DOVECOT_USER, &corpus::small(n, seed));
    Some((server, served))
}

/// Whether the store's WAL ends in frames of a transaction that never committed: the kill
/// landed while a commit was being written. (SQLite WAL format: a 32-byte header with the
/// salts, then frames of a 24-byte header and a page; a frame's "commit size" is non-zero
/// only on the last frame of a transaction; frames of this generation carry the header's
/// salts.)
fn wal_has_uncommitted_tail(store: &Path) -> bool {
    let mut wal = store.as_os_str().to_owned();
    wal.push("-wal");
    let Ok(bytes) = std::fs::read(PathBuf::from(wal)) else {
        return false;
    };
    let be = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(page_size), Some(salt1), Some(salt2)) = (be(8), be(16), be(20)) else {
        return false;
    };
    let frame = 24 + page_size as usize;
    let mut at = 32;
    let mut last_commit = None;
    while at + frame <= bytes.len() {
        if be(at + 8) != Some(salt1) || be(at + 12) != Some(salt2) {
            break;
        }
        last_commit = be(at + 4);
        at += frame;
    }
    last_commit == Some(0)
}

fn poplar(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_poplar"));
    // The English messages, whatever this machine's locale.
    command.env("LC_ALL", "C").arg("--data-dir").arg(data);
    command
}

/// `poplar account add` for a Dovecot user over implicit TLS with the certificate pinned.
fn add_account(data: &Path, server: &Dovecot, user: &str, flags: &[&str]) -> AccountId {
    let pin = poplar::pop3::sasl::hex(&sha(&server.cert_der()));
    let added = poplar(data)
        .args(["account", "add", "--name", "Dovecot", "--email"])
        .arg(format!("{user}@example.org"))
        .args(["--host", server.host(), "--port"])
        .arg(server.tls_port().to_string())
        .args(["--user", user, "--password-command"])
        .arg(format!("echo {}", server.password(user)))
        .args(["--pin-sha256", &pin])
        .args(flags)
        .output()
        .expect("run poplar account add");
    assert!(
        added.status.success(),
        "account add: {}",
        String::from_utf8_lossy(&added.stderr)
    );
    let reader = Reader::open(&data.join(STORE_FILE)).expect("reader");
    reader.accounts().expect("accounts")[0].id
}

/// When to kill a run of `poplar sync`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KillAt {
    /// This long after the start: the process starting, TLS, login, listing, first batches.
    Time(Duration),
    /// Once the store holds this many messages (in the middle of the download).
    Stored(u64),
    /// Once the number of deletion-pending UIDLs changes: marked before DELE, or cleared after
    /// QUIT's answer.
    DeletionStep,
    /// Once the server has fewer messages than before the run (a QUIT went through).
    ServerShrank,
    /// Let it run to the end.
    Never,
}

/// Statistics of one kill loop, printed for the record.
#[derive(Debug, Default)]
struct KillStats {
    attempts: usize,
    kills: usize,
    /// Kills by what triggered them.
    kills_by_trigger: BTreeMap<String, usize>,
    /// Runs that exited non-zero by themselves (they must say why; none expected).
    failed_exits: Vec<String>,
    /// Kills after which the store had more messages than before the run.
    kills_with_progress: usize,
    /// Kills of runs that changed the deletion-pending set (killed between marking and
    /// QUIT's answer being recorded).
    kills_in_deletion: usize,
    /// Kills of runs that had already deleted messages on the server (a QUIT went through).
    kills_after_server_deletions: usize,
    /// Kills that left an uncommitted transaction at the end of the WAL.
    kills_mid_commit: usize,
    /// The run that completed.
    last_run: Duration,
    total: Duration,
}

/// Longer than any run may take (a hang fails the test instead of the loop waiting for ever).
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Runs `poplar sync` against Dovecot, SIGKILLing it at random moments, until a run exits 0.
///
/// Kill moments are random but tied to what the run is doing (a time early on, a number of
/// stored messages, a pending deletion, a QUIT that went through), so they spread over the
/// whole run however fast this machine is at the moment; a small random delay follows the
/// trigger. The first attempts always kill; later, one in five lets the run finish.
fn kill_loop(test: &str, flags: &[&str], seed: u64) {
    kill_loop_with(test, flags, seed, false);
}

/// The kill loop, with `rules` on: a rule files every message over 4 KB into a folder and
/// marks it read, inside the commit that stores it; at the end every such message is there
/// and read, every other one in the Inbox, and the folder counts equal a recount.
fn kill_loop_with(test: &str, flags: &[&str], seed: u64, rules: bool) {
    const MESSAGES: usize = 3_000;
    const MAX_ATTEMPTS: usize = 60;
    const FORCED_KILLS: usize = 15;
    let Some((mut server, served)) = dovecot_with(test, MESSAGES, seed) else {
        return;
    };
    let deleting = flags.contains(&"--delete-after-download");
    let started = Instant::now();
    let data = tempfile::tempdir().expect("data dir");
    let store = data.path().join(STORE_FILE);
    let account = add_account(data.path(), &server, DOVECOT_USER, flags);
    let filed = rules.then(|| {
        let mut writer = Writer::open(&store).expect("open the store");
        let folder = writer
            .create_folder(Some(account), None, "Groß")
            .expect("folder");
        writer
            .add_rule(&poplar::rules::Rule {
                name: "Groß".into(),
                enabled: true,
                scope: poplar::rules::Scope::AllAccounts,
                match_all: true,
                conditions: vec![poplar::rules::Condition {
                    field: poplar::rules::Field::Size,
                    op: poplar::rules::Op::Greater,
                    value: "4".into(),
                }],
                actions: vec![
                    poplar::rules::Action::MoveTo(folder),
                    poplar::rules::Action::MarkRead,
                ],
                stop: false,
            })
            .expect("rule");
        folder
    });

    let mut stats = KillStats::default();
    let mut rng = Rng::new(seed);
    let mut done = false;
    while stats.attempts < MAX_ATTEMPTS {
        stats.attempts += 1;
        let reader = Reader::open(&store).expect("reader");
        let stored = || stored_count(&store);
        let before = stored();
        let left = MESSAGES as u64 - before;
        let on_server_before = served.remaining(&server);
        let pending = || {
            let ledger = reader.ledger(account).expect("ledger");
            ledger
                .iter()
                .filter(|e| e.state == ServerState::DeletionPending)
                .count()
        };
        let pending_before = pending();
        // Early enough to land inside a run even as sync gets faster (a debug build syncs
        // 3,000 small messages in well under a second here).
        let early = KillAt::Time(Duration::from_millis(rng.range(5, 150) as u64));
        let kill_at = match rng.below(100) {
            0..=29 => early,
            // At most 250 messages further, so the download itself takes several kills.
            30..=59 if left > 1 => KillAt::Stored(before + 1 + rng.below((left - 1).min(250))),
            60..=69 if deleting => KillAt::DeletionStep,
            70..=79 if deleting => KillAt::ServerShrank,
            _ if stats.attempts <= FORCED_KILLS => early,
            80.. => KillAt::Never,
            _ => early,
        };
        let extra = Duration::from_millis(rng.below(20));
        let run_started = Instant::now();
        let mut child = poplar(data.path())
            .arg("sync")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start poplar sync");
        let mut triggered: Option<Instant> = None;
        let status = loop {
            if let Some(status) = child.try_wait().expect("poll poplar") {
                break Some(status);
            }
            let elapsed = run_started.elapsed();
            assert!(
                elapsed < RUN_LIMIT,
                "a poplar sync run hung for {elapsed:?}"
            );
            if triggered.is_none() {
                let now = match kill_at {
                    KillAt::Time(at) => elapsed >= at,
                    KillAt::Stored(n) => stored() >= n,
                    KillAt::DeletionStep => pending() != pending_before,
                    KillAt::ServerShrank => served.remaining(&server) < on_server_before,
                    KillAt::Never => false,
                };
                if now {
                    triggered = Some(Instant::now());
                }
            }
            if triggered.is_some_and(|t| t.elapsed() >= extra) {
                break None;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        if let Some(status) = status {
            let output = child.wait_with_output().expect("poplar output");
            if status.success() {
                stats.last_run = run_started.elapsed();
                done = true;
                break;
            }
            stats
                .failed_exits
                .push(String::from_utf8_lossy(&output.stderr).into_owned());
            continue;
        }
        child.kill().expect("SIGKILL poplar");
        let _ = child.wait();
        stats.kills += 1;
        let trigger = format!("{kill_at:?}");
        let trigger = trigger.split('(').next().unwrap_or_default().to_owned();
        *stats.kills_by_trigger.entry(trigger).or_insert(0) += 1;
        if wal_has_uncommitted_tail(&store) {
            stats.kills_mid_commit += 1;
        }
        let when = format!("after kill {} ({kill_at:?})", stats.kills);
        served.check_nothing_lost_nothing_twice(&store, &server, &when);
        if served.remaining(&server) < on_server_before {
            stats.kills_after_server_deletions += 1;
        }
        if stored() > before {
            stats.kills_with_progress += 1;
        }
        if pending() != pending_before {
            stats.kills_in_deletion += 1;
        }
    }
    stats.total = started.elapsed();
    eprintln!("{test}: {stats:?}");
    assert!(
        done,
        "no `poplar sync` run completed in {MAX_ATTEMPTS} attempts ({} killed, {} with \
         progress); failures: {:?}",
        stats.kills, stats.kills_with_progress, stats.failed_exits
    );
    assert!(
        stats.failed_exits.is_empty(),
        "runs failed by themselves: {:?}",
        stats.failed_exits
    );
    // A triggered kill may come too late for a run that was nearly done, so fewer than
    // FORCED_KILLS is possible; a handful is not.
    assert!(
        stats.kills >= 5,
        "the loop killed only {} runs",
        stats.kills
    );

    served.check_exactly_once(&store);
    let remaining = served.remaining(&server);
    if deleting {
        assert_eq!(remaining, 0, "everything deleted on the server");
    } else {
        assert_eq!(remaining, MESSAGES, "keep leaves everything on the server");
    }
    // One more run finds nothing new and changes nothing.
    let again = poplar(data.path())
        .arg("sync")
        .output()
        .expect("sync again");
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let summary = String::from_utf8_lossy(&again.stdout);
    assert!(summary.contains("Dovecot: 0 new"), "{summary}");
    served.check_exactly_once(&store);
    if let Some(folder) = filed {
        check_filed_by_size(&store, folder, &served);
    }
    server.stop();
}

/// With the size rule of [`kill_loop_with`]: every message over 4 KB is in `folder` and read,
/// every other one in the Inbox and unread, and every folder's counts equal a recount.
fn check_filed_by_size(store: &Path, folder: i64, served: &Served) {
    let conn = rusqlite::Connection::open(store).expect("open the store");
    let mut stmt = conn
        .prepare(
            "SELECT m.folder_id, m.seen, f.kind, r.raw FROM messages m \
             JOIN message_raw r ON r.message_id = m.id JOIN folders f ON f.id = m.folder_id",
        )
        .expect("prepare");
    let rows: Vec<(i64, bool, i64, Vec<u8>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .map(|row| row.expect("row"))
        .collect();
    assert_eq!(rows.len(), served.len());
    let mut large = 0;
    for (at, seen, kind, raw) in &rows {
        if raw.len() > 4 * 1024 {
            large += 1;
            assert_eq!(
                (*at, *seen),
                (folder, true),
                "a large message was left unfiled"
            );
        } else {
            assert_eq!((*kind, *seen), (1, false), "a small message was filed");
        }
    }
    assert!(
        large > 0 && large < rows.len(),
        "the rule filed some, not all: {large}"
    );
    store_kit::assert_counts_match_a_recount(store);
    eprintln!("filed by the rule: {large} of {}", rows.len());
}

#[test]
fn killing_poplar_sync_at_random_moments_loses_nothing_with_delete_after_download() {
    // Reconnecting every 500 messages gives every run several deletion phases (DELE, QUIT,
    // the ledger update) for the kills to land in, not just one at the very end.
    kill_loop(
        "killing_poplar_sync_at_random_moments_loses_nothing_with_delete_after_download",
        &["--delete-after-download", "--reconnect-every", "500"],
        0xB1,
    );
}

#[test]
fn killing_poplar_sync_at_random_moments_with_rules_on_files_every_message_once() {
    kill_loop_with(
        "killing_poplar_sync_at_random_moments_with_rules_on_files_every_message_once",
        &["--keep"],
        0xB3,
        true,
    );
}

#[test]
fn killing_poplar_sync_at_random_moments_loses_nothing_with_keep() {
    kill_loop(
        "killing_poplar_sync_at_random_moments_loses_nothing_with_keep",
        &["--keep"],
        0xB2,
    );
}

/// The plan for each proxied connection: direction and cut point from a seeded PRNG, over the
/// transfer the next pass is expected to need (updated by the test before each pass).
struct CutPlan {
    /// Cuts used first, in order, before the random ones.
    fixed: Vec<Cut>,
    rng: Rng,
    expected_to_client: u64,
    expected_to_server: u64,
}

impl CutPlan {
    fn next(&mut self) -> Cut {
        if !self.fixed.is_empty() {
            return self.fixed.remove(0);
        }
        let rng = &mut self.rng;
        let (direction, expected) = if rng.chance(30) {
            (Direction::ClientToServer, self.expected_to_server)
        } else {
            (Direction::ServerToClient, self.expected_to_client)
        };
        // Two cuts in five are log-uniform over the first 64 KB, so the TLS handshake, the
        // greeting, CAPA, the login and the listing get their share; the others are uniform
        // over the whole expected transfer (and a bit beyond, so a pass can complete).
        let after = if rng.chance(40) {
            let bits = rng.below(17);
            rng.below(1 << bits)
        } else {
            rng.below(expected * 5 / 4 + 1)
        };
        Cut { direction, after }
    }
}

/// How a failed TLS handshake's error begins.
const HANDSHAKE_FAILED: &str = "cannot make a secure connection to";
/// How a hang-up right after the login's last command is reported.
const LOGIN_HANG_UP: &str = "the server closed the connection after the login attempt";

/// A store with a delete-after-download account on Dovecot's TLS port, through `proxy`.
fn through_proxy(server: &Dovecot, proxy: &FaultProxy) -> Local {
    let mut settings =
        AccountSettings::new("Dovecot", "user1@example.org", "127.0.0.1", DOVECOT_USER);
    settings.port = proxy.port();
    settings.security = Security::Tls;
    settings.pin_sha256 = Some(sha(&server.cert_der()));
    settings.server_policy = ServerPolicy::DeleteAfterDownload;
    Local::new(&settings, DOVECOT_PASSWORD)
}

#[test]
fn a_connection_cut_in_the_tls_handshake_is_a_recoverable_failure() {
    let test = "a_connection_cut_in_the_tls_handshake_is_a_recoverable_failure";
    let Some((server, served)) = dovecot_with(test, 5, 0xC3) else {
        return;
    };
    let cuts = [
        (Direction::ServerToClient, 0),
        (Direction::ServerToClient, 300),
        (Direction::ClientToServer, 0),
        (Direction::ClientToServer, 150),
    ];
    let plan = Mutex::new(cuts.to_vec());
    let proxy = FaultProxy::start(server.tls_addr(), move |_| {
        let (direction, after) = lock(&plan).remove(0);
        Some(Cut { direction, after })
    });
    let local = through_proxy(&server, &proxy);
    for (direction, after) in cuts {
        let err = local.pass().expect_err("the cut fails the pass");
        assert!(
            err.is_recoverable() && !err.needs_user(),
            "cut {direction:?} after {after} bytes: {:?}: {err}",
            err.kind()
        );
    }
    assert!(proxy.connections().iter().all(|c| c.was_cut));
    assert!(local.raws().is_empty());
    assert_eq!(served.remaining(&server), served.len(), "nothing deleted");
}

#[test]
fn passes_through_a_proxy_that_cuts_connections_anywhere_store_everything_once() {
    const MESSAGES: usize = 3_000;
    const MAX_PASSES: usize = 150;
    let test = "passes_through_a_proxy_that_cuts_connections_anywhere_store_everything_once";
    let Some((server, served)) = dovecot_with(test, MESSAGES, 0xC1) else {
        return;
    };
    // First, cuts in the TLS handshake (both ways) and right after it, whatever the PRNG says.
    let fixed = [
        (Direction::ServerToClient, 0),
        (Direction::ServerToClient, 300),
        (Direction::ServerToClient, 1_200),
        (Direction::ClientToServer, 0),
        (Direction::ClientToServer, 150),
        (Direction::ClientToServer, 700),
    ]
    .map(|(direction, after)| Cut { direction, after })
    .to_vec();
    let plan = Arc::new(Mutex::new(CutPlan {
        fixed,
        rng: Rng::new(0xC2),
        expected_to_client: 0,
        expected_to_server: 0,
    }));
    let for_proxy = Arc::clone(&plan);
    let proxy = FaultProxy::start(server.tls_addr(), move |_| Some(lock(&for_proxy).next()));
    let local = through_proxy(&server, &proxy);
    let total_bytes = served.total_bytes();

    let started = Instant::now();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    let mut completed = None;
    for pass in 1..=MAX_PASSES {
        let downloaded = local
            .ledger()
            .values()
            .filter(|e| e.downloaded_at.is_some())
            .count() as u64;
        let left = MESSAGES as u64 - downloaded;
        {
            let mut plan = lock(&plan);
            // Messages still to come, the listing and the DELE answers, the handshake.
            plan.expected_to_client = total_bytes * left / MESSAGES as u64 + 60 * 1500 + 8_000;
            plan.expected_to_server = 40 * (left + 1500) + 2_000;
        }
        match local.pass() {
            Ok(report) => {
                completed = Some((pass, report));
                break;
            }
            Err(err) => {
                let cut_now = proxy.connections().last().is_some_and(|c| c.was_cut);
                // Known bug (see the ignored test above): a cut in the TLS handshake comes back
                // as a TLS failure. Tolerated here only for connections the proxy did cut.
                let handshake_cut = cut_now
                    && err.kind() == SyncErrorKind::Pop3(Pop3Kind::Tls)
                    && err.to_string().starts_with(HANDSHAKE_FAILED);
                // By design (client.rs, POP3-NOTES): a hang-up right after the password is
                // taken as a refusal; on the wire a cut there looks the same.
                let login_cut = cut_now
                    && err.kind() == SyncErrorKind::Pop3(Pop3Kind::Auth)
                    && err.to_string().contains(LOGIN_HANG_UP);
                assert!(
                    err.is_recoverable() || handshake_cut || login_cut,
                    "pass {pass}: a cut connection must be a recoverable failure, got {:?}: {err}",
                    err.kind()
                );
                *failures.entry(format!("{:?}", err.kind())).or_insert(0) += 1;
                served.check_nothing_lost_nothing_twice(
                    &local.path,
                    &server,
                    &format!("after pass {pass} ({err})"),
                );
            }
        }
    }
    let connections = proxy.connections();
    let cut = connections.iter().filter(|c| c.was_cut).count();
    eprintln!(
        "{test}: {} passes, {} connections, {cut} cut, failures {failures:?}, {:?}",
        completed.as_ref().map_or(MAX_PASSES, |(p, _)| *p),
        connections.len(),
        started.elapsed()
    );
    let Some((passes, _)) = completed else {
        panic!("no pass completed through the proxy in {MAX_PASSES} passes: {failures:?}");
    };
    assert!(passes > 1 && cut > 0, "the proxy cut connections");
    served.check_exactly_once(&local.path);
    let remaining = served.remaining(&server);
    assert_eq!(remaining, 0, "everything deleted on the server");
    assert!(
        local
            .ledger()
            .values()
            .all(|e| e.state == ServerState::Deleted),
        "every deletion recorded as done"
    );
}

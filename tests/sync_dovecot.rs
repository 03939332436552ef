//! The sync engine against a real Dovecot that each test starts for itself: byte-exact
//! downloads, every server policy, first-sync choices, size limits, several accounts at once,
//! a refused login and the duplicate defence, all checked on what really ends up in the store
//! and what really remains in the server's maildir.
//!
//! Where Dovecot is not installed these tests say they were skipped and why; with
//! `POPLAR_REQUIRE_DOVECOT=1` (as in CI) a missing Dovecot fails them.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/dovecot.rs"]
mod dovecot;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use dovecot::{Dovecot, Options};
use poplar::account::{AccountSettings, FirstSync, PasswordSource, ServerPolicy};
use poplar::pop3::Security;
use poplar::store::{
    AccountId, FolderKind, LedgerEntry, ListView, Reader, ServerState, Sort, StoredMessage, Writer,
};
use poplar::sync::{
    Clock, Engine, EngineConfig, Event, MemorySecrets, PassContext, PassReport, StoreHandle,
    SyncError, SyncOptions, fetch_rest, run_pass,
};
use sha2::Digest as _;

const DAY: i64 = 86_400;
/// A fixed "now" for the injected clock: 2030-03-17, well after the corpus' 2024 dates.
const T0: i64 = 1_900_000_000;
/// How long a test waits for the engine before it fails instead of hanging.
const ENGINE_TIMEOUT: Duration = Duration::from_secs(60);

fn start(name: &str) -> Option<Dovecot> {
    Dovecot::start_or_skip_with(name, Options::new().fast_stop(true).fast_auth_failures())
}

fn sha(bytes: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(bytes).into()
}

/// Settings for `user` on the test server: implicit TLS with the certificate pinned, the
/// password from a command, everything else Poplar's defaults.
fn settings(server: &Dovecot, user: &str) -> AccountSettings {
    let mut s = AccountSettings::new(user, format!("{user}@localhost"), server.host(), user);
    s.port = server.tls_port();
    s.security = Security::Tls;
    s.pin_sha256 = Some(sha(&server.cert_der()));
    s.password_source = PasswordSource::Command(format!("echo {}", server.password(user)));
    s.check_on_start = false;
    s
}

fn options() -> SyncOptions {
    SyncOptions {
        connect_timeout: Duration::from_secs(10),
        read_timeout: Duration::from_secs(30),
        ..SyncOptions::default()
    }
}

/// A clock the test moves by hand.
fn movable_clock(at: i64) -> (Arc<AtomicI64>, Clock) {
    let now = Arc::new(AtomicI64::new(at));
    let read = Arc::clone(&now);
    (now, Arc::new(move || read.load(Ordering::SeqCst)))
}

/// The original (LF) bytes of every message file left in `user`'s maildir (cur/ and new/).
fn server_files(server: &Dovecot, user: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for sub in ["cur", "new"] {
        let dir = server.maildir(user).join(sub);
        for entry in std::fs::read_dir(&dir).expect("read maildir") {
            let path = entry.expect("maildir entry").path();
            out.push(std::fs::read(&path).expect("read message file"));
        }
    }
    out
}

fn sorted_shas<'a>(messages: impl IntoIterator<Item = &'a Vec<u8>>) -> Vec<[u8; 32]> {
    let mut shas: Vec<[u8; 32]> = messages.into_iter().map(|m| sha(m)).collect();
    shas.sort_unstable();
    shas
}

/// Every message in `account`'s Inbox, with its raw bytes.
fn inbox_messages(store: &Path, account: AccountId) -> Vec<StoredMessage> {
    let reader = Reader::open(store).expect("open reader");
    let inbox = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.account_id == Some(account) && f.kind == FolderKind::Inbox)
        .expect("the account has an Inbox");
    reader
        .page(ListView::Folder(inbox.id), Sort::default(), 0, 100_000)
        .expect("page")
        .into_iter()
        .map(|row| reader.message(row.id).expect("message").expect("listed"))
        .collect()
}

fn ledger(store: &Path, account: AccountId) -> Vec<LedgerEntry> {
    Reader::open(store)
        .expect("open reader")
        .ledger(account)
        .expect("ledger")
}

/// Asserts that the Inbox holds exactly `served` (each once), byte for byte, and that every
/// stored message's SHA-256 and UIDL agree with the ledger.
fn assert_inbox_is_exactly(store: &Path, account: AccountId, served: &[Vec<u8>]) {
    let stored = inbox_messages(store, account);
    let expected: HashMap<[u8; 32], &Vec<u8>> = served.iter().map(|m| (sha(m), m)).collect();
    assert_eq!(
        expected.len(),
        served.len(),
        "the test served the same bytes twice"
    );
    assert_eq!(stored.len(), served.len(), "messages in the Inbox");
    let mut seen = HashSet::new();
    let ledger: HashMap<String, LedgerEntry> = ledger(store, account)
        .into_iter()
        .map(|e| (e.uidl.clone(), e))
        .collect();
    for message in &stored {
        assert_eq!(message.sha256, sha(&message.raw), "stored SHA-256 vs bytes");
        let original = expected
            .get(&message.sha256)
            .unwrap_or_else(|| panic!("stored message {} was never served", message.row.id));
        assert!(
            message.raw == **original,
            "message {} differs from what Dovecot served",
            message.row.id
        );
        assert!(
            seen.insert(message.sha256),
            "message stored twice: {}",
            message.row.id
        );
        let uidl = message
            .uidl
            .as_deref()
            .expect("a downloaded message has its UIDL");
        let entry = ledger.get(uidl).expect("its UIDL is in the ledger");
        assert_eq!(entry.message_id, Some(message.row.id), "ledger of {uidl}");
        assert!(!message.row.partial);
    }
}

/// A store in a temp dir with one account, its writer on its own thread, and a clock the test
/// moves; passes run through `run_pass` directly.
struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: StoreHandle,
    store_thread: Option<JoinHandle<()>>,
    now: Arc<AtomicI64>,
    clock: Clock,
    account: AccountId,
    options: SyncOptions,
}

impl Fixture {
    fn new(settings: &AccountSettings) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("poplar.sqlite3");
        let mut writer = Writer::open(&path).expect("open store");
        let account = writer.add_account(settings, T0).expect("add account");
        let (store, thread) = StoreHandle::spawn(writer).expect("store thread");
        let (now, clock) = movable_clock(T0);
        Self {
            _dir: dir,
            path,
            store,
            store_thread: Some(thread),
            now,
            clock,
            account,
            options: options(),
        }
    }

    fn set_time(&self, at: i64) {
        self.now.store(at, Ordering::SeqCst);
    }

    fn context(&self) -> PassContext {
        let id = self.account;
        // As the engine does: always the stored settings and first-sync state.
        let account = self
            .store
            .run_blocking(move |w| w.account(id))
            .expect("store thread")
            .expect("read account")
            .expect("account exists");
        PassContext {
            account,
            store: self.store.clone(),
            secrets: Arc::new(MemorySecrets::new()),
            clock: Arc::clone(&self.clock),
            options: self.options.clone(),
            cancel: Arc::new(AtomicBool::new(false)),
            on_progress: Arc::new(|_| {}),
        }
    }

    fn try_pass(&self) -> Result<PassReport, SyncError> {
        let ctx = self.context();
        smol::block_on(run_pass(&ctx))
    }

    fn pass(&self, server: &Dovecot) -> PassReport {
        self.try_pass()
            .unwrap_or_else(|err| panic!("pass failed: {err}\n{}", server.log_tail()))
    }

    fn inbox(&self) -> Vec<StoredMessage> {
        inbox_messages(&self.path, self.account)
    }

    fn ledger(&self) -> Vec<LedgerEntry> {
        ledger(&self.path, self.account)
    }

    /// The ledger entry of the message whose stored bytes are `served`.
    fn entry_of(&self, served: &[u8]) -> LedgerEntry {
        let wanted = sha(served);
        let message = self
            .inbox()
            .into_iter()
            .find(|m| m.sha256 == wanted)
            .expect("the message is stored");
        self.ledger()
            .into_iter()
            .find(|e| e.message_id == Some(message.row.id))
            .expect("the message has a ledger entry")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.store.close();
        if let Some(thread) = self.store_thread.take() {
            let _ = thread.join();
        }
    }
}

/// A small message with a Date header (or none) and a unique Message-ID.
fn dated_message(tag: &str, date: Option<i64>) -> Vec<u8> {
    let mut out = format!(
        "From: Dated Sender <dated@example.org>\nTo: user1@localhost\nSubject: {tag}\n\
         Message-ID: <{tag}@sync-dovecot.poplar.test>\n"
    );
    if let Some(date) = date {
        out.push_str(&format!("Date: {}\n", corpus::rfc5322_date(date, 120)));
    }
    out.push_str(&format!("\nThe body of {tag}.\n.\n..dot\n"));
    out.into_bytes()
}

/// A plain-text message of about `lines` * 60 bytes.
fn long_message(tag: &str, lines: usize) -> Vec<u8> {
    let mut out = format!(
        "From: Long Sender <long@example.org>\nTo: user1@localhost\nSubject: {tag}\n\
         Date: Fri, 1 Mar 2024 08:00:00 +0100\nMessage-ID: <{tag}@sync-dovecot.poplar.test>\n\n"
    );
    for i in 0..lines {
        out.push_str(&format!(
            "{tag} line {i:05}: the quick brown fox jumps over the lazy dog\n"
        ));
    }
    out.into_bytes()
}

// ----- engine helpers ---------------------------------------------------------------------------

/// Starts an engine (no schedule) on a new store in `dir` and adds these accounts through
/// its own writer. Closing and reopening a writer in this process is avoided on purpose: a
/// child that another test forks meanwhile can hold the closed lock file's flock until it
/// execs, and the reopen is then refused as "another Poplar (process <this one>)".
fn engine_with(dir: &Path, accounts: &[AccountSettings]) -> (Engine, PathBuf, Vec<AccountId>) {
    let path = dir.join("poplar.sqlite3");
    let mut config = EngineConfig::new(&path, Arc::new(MemorySecrets::new()));
    config.schedule = false;
    config.options = options();
    let engine = Engine::start(config).expect("start engine");
    let accounts = accounts.to_vec();
    let ids = engine
        .store()
        .run_blocking(move |w| {
            accounts
                .iter()
                .map(|s| w.add_account(s, T0))
                .collect::<Result<Vec<AccountId>, _>>()
        })
        .expect("store thread")
        .expect("add accounts");
    engine.accounts_changed();
    (engine, path, ids)
}

/// Waits until every account in `accounts` has ended its check (Finished or Failed), and
/// returns how each ended. Fails after [`ENGINE_TIMEOUT`] instead of hanging.
fn wait_for_ends(
    events: &smol::channel::Receiver<Event>,
    accounts: &[AccountId],
) -> HashMap<AccountId, Result<PassReport, (SyncError, Option<i64>)>> {
    let deadline = Instant::now() + ENGINE_TIMEOUT;
    let mut ends = HashMap::new();
    smol::block_on(async {
        while ends.len() < accounts.len() {
            let next = smol::future::or(async { events.recv().await.ok() }, async {
                smol::Timer::at(deadline).await;
                None
            })
            .await;
            let Some(event) = next else {
                panic!(
                    "no Finished/Failed within {ENGINE_TIMEOUT:?} for every account; got {:?}",
                    ends.keys().collect::<Vec<_>>()
                );
            };
            match event {
                Event::Finished { account, report } if accounts.contains(&account) => {
                    ends.insert(account, Ok(report));
                }
                Event::Failed {
                    account,
                    error,
                    retry_at,
                } if accounts.contains(&account) => {
                    ends.insert(account, Err((error, retry_at)));
                }
                _ => {}
            }
        }
    });
    ends
}

// ----- the tests --------------------------------------------------------------------------------

#[test]
fn a_full_sync_stores_every_served_message_once_byte_for_byte_and_a_second_pass_downloads_nothing()
{
    let Some(server) = start("a_full_sync_stores_every_served_message_once_byte_for_byte") else {
        return;
    };
    let mut messages = corpus::hostile(11);
    messages.extend(corpus::mixed(20, 11));
    let served = server.deliver("user1", &messages);
    let mut fixture = Fixture::new(&settings(&server, "user1"));
    // Small batches, so the pass commits several times while it downloads.
    fixture.options.batch_messages = 4;

    let report = fixture.pass(&server);
    assert_eq!(report.downloaded, served.len() as u64, "{report:?}");
    assert_eq!(report.duplicates, 0);
    assert_eq!(report.partial, 0);
    assert_eq!(report.deleted_on_server, 0);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_inbox_is_exactly(&fixture.path, fixture.account, &served);
    let ledger = fixture.ledger();
    assert_eq!(ledger.len(), served.len());
    assert!(
        ledger
            .iter()
            .all(|e| e.state == ServerState::Present && e.downloaded_at.is_some())
    );

    let again = fixture.pass(&server);
    assert_eq!(again.downloaded, 0, "second pass: {again:?}");
    assert_eq!(again.duplicates, 0);
    assert_inbox_is_exactly(&fixture.path, fixture.account, &served);
    assert_eq!(fixture.ledger().len(), served.len());
}

#[test]
fn policy_keep_deletes_nothing_on_the_server() {
    let Some(server) = start("policy_keep_deletes_nothing_on_the_server") else {
        return;
    };
    let messages = corpus::small(6, 21);
    let served = server.deliver("user1", &messages);
    let fixture = Fixture::new(&settings(&server, "user1"));

    for round in 0..2 {
        let report = fixture.pass(&server);
        assert_eq!(report.deleted_on_server, 0, "pass {round}");
        assert_eq!(
            sorted_shas(&server_files(&server, "user1")),
            sorted_shas(&messages),
            "pass {round}: the maildir is unchanged"
        );
    }
    assert_inbox_is_exactly(&fixture.path, fixture.account, &served);
    assert!(
        fixture
            .ledger()
            .iter()
            .all(|e| e.state == ServerState::Present)
    );
}

#[test]
fn policy_delete_after_download_empties_the_maildir_and_keeps_every_message() {
    let Some(server) = start("policy_delete_after_download_empties_the_maildir") else {
        return;
    };
    let mut messages = corpus::small(5, 31);
    messages.extend(corpus::hostile(31).into_iter().take(4));
    let served = server.deliver("user1", &messages);
    let mut account = settings(&server, "user1");
    account.server_policy = ServerPolicy::DeleteAfterDownload;
    let fixture = Fixture::new(&account);

    let report = fixture.pass(&server);
    assert_eq!(report.downloaded, served.len() as u64);
    assert_eq!(report.deleted_on_server, served.len() as u64);
    assert!(
        server_files(&server, "user1").is_empty(),
        "the maildir is empty"
    );
    assert_inbox_is_exactly(&fixture.path, fixture.account, &served);
    let ledger = fixture.ledger();
    assert_eq!(ledger.len(), served.len());
    assert!(
        ledger.iter().all(|e| e.state == ServerState::Deleted),
        "{ledger:?}"
    );

    let again = fixture.pass(&server);
    assert_eq!((again.downloaded, again.deleted_on_server), (0, 0));
    assert_inbox_is_exactly(&fixture.path, fixture.account, &served);
}

#[test]
fn policy_delete_after_days_deletes_only_messages_first_seen_that_long_ago() {
    let Some(server) = start("policy_delete_after_days_deletes_only_messages_first_seen") else {
        return;
    };
    const DAYS: u32 = 3;
    let span = i64::from(DAYS) * DAY;
    let mut account = settings(&server, "user1");
    account.server_policy = ServerPolicy::DeleteAfterDays(DAYS);
    let fixture = Fixture::new(&account);

    // Day 0: the first batch is seen and downloaded; nothing is old enough to go.
    let first: Vec<Vec<u8>> = (0..3)
        .map(|i| dated_message(&format!("first-{i}"), Some(T0)))
        .collect();
    let first_served = server.deliver("user1", &first);
    let report = fixture.pass(&server);
    assert_eq!((report.downloaded, report.deleted_on_server), (3, 0));
    assert_eq!(server_files(&server, "user1").len(), 3);

    // Day 1: a second batch arrives and is first seen now.
    fixture.set_time(T0 + DAY);
    let second: Vec<Vec<u8>> = (0..2)
        .map(|i| dated_message(&format!("second-{i}"), Some(T0 + DAY)))
        .collect();
    let second_served = server.deliver("user1", &second);
    let report = fixture.pass(&server);
    assert_eq!((report.downloaded, report.deleted_on_server), (2, 0));

    // One second short of N days: still nothing.
    fixture.set_time(T0 + span - 1);
    let report = fixture.pass(&server);
    assert_eq!(report.deleted_on_server, 0, "one second too early");
    assert_eq!(server_files(&server, "user1").len(), 5);

    // N days and a second after day 0: exactly the first batch goes.
    fixture.set_time(T0 + span + 1);
    let report = fixture.pass(&server);
    assert_eq!(report.deleted_on_server, 3);
    assert_eq!(
        sorted_shas(&server_files(&server, "user1")),
        sorted_shas(&second),
        "only the second batch is left on the server"
    );
    for served in &first_served {
        assert_eq!(fixture.entry_of(served).state, ServerState::Deleted);
    }
    for served in &second_served {
        let entry = fixture.entry_of(served);
        assert_eq!(entry.state, ServerState::Present);
        assert_eq!(entry.first_seen, T0 + DAY);
    }

    // N days after day 1: the second batch goes too; the store keeps everything.
    fixture.set_time(T0 + DAY + span + 1);
    let report = fixture.pass(&server);
    assert_eq!((report.downloaded, report.deleted_on_server), (0, 2));
    assert!(server_files(&server, "user1").is_empty());
    let all: Vec<Vec<u8>> = first_served.into_iter().chain(second_served).collect();
    assert_inbox_is_exactly(&fixture.path, fixture.account, &all);
}

/// Downloads four messages, deletes one here for good, runs another pass; returns the
/// fixture, what was served, and which one was deleted.
fn delete_one_forever_then_pass(
    server: &Dovecot,
    delete_when_deleted_locally: bool,
) -> (Fixture, Vec<Vec<u8>>, usize, PassReport) {
    let messages = corpus::small(4, 51);
    let served = server.deliver("user1", &messages);
    let mut account = settings(server, "user1");
    account.delete_when_deleted_locally = delete_when_deleted_locally;
    let fixture = Fixture::new(&account);
    let report = fixture.pass(server);
    assert_eq!(report.downloaded, 4);

    let victim = 2;
    let wanted = sha(&served[victim]);
    let id = fixture
        .inbox()
        .into_iter()
        .find(|m| m.sha256 == wanted)
        .expect("stored")
        .row
        .id;
    fixture
        .store
        .run_blocking(move |w| w.delete_forever(&[id]))
        .expect("store thread")
        .expect("delete forever");
    let report = fixture.pass(server);
    (fixture, served, victim, report)
}

#[test]
fn a_message_deleted_here_for_good_is_deleted_on_the_server_when_the_account_says_so() {
    let Some(server) = start("a_message_deleted_here_for_good_is_deleted_on_the_server") else {
        return;
    };
    let (fixture, served, victim, report) = delete_one_forever_then_pass(&server, true);
    assert_eq!(report.downloaded, 0);
    assert_eq!(report.deleted_on_server, 1);
    let messages = corpus::small(4, 51);
    let left: Vec<Vec<u8>> = messages
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != victim)
        .map(|(_, m)| m.clone())
        .collect();
    assert_eq!(
        sorted_shas(&server_files(&server, "user1")),
        sorted_shas(&left),
        "only the deleted message is gone from the server"
    );
    let ledger = fixture.ledger();
    assert_eq!(ledger.len(), 4);
    let gone: Vec<&LedgerEntry> = ledger.iter().filter(|e| e.deleted_locally).collect();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].state, ServerState::Deleted);
    assert_eq!(gone[0].message_id, None);
    let mut kept = served.clone();
    kept.remove(victim);
    assert_inbox_is_exactly(&fixture.path, fixture.account, &kept);

    // It is not downloaded again either.
    let again = fixture.pass(&server);
    assert_eq!((again.downloaded, again.deleted_on_server), (0, 0));
}

#[test]
fn a_message_deleted_here_for_good_stays_on_the_server_by_default() {
    let Some(server) = start("a_message_deleted_here_for_good_stays_on_the_server") else {
        return;
    };
    let (fixture, served, victim, report) = delete_one_forever_then_pass(&server, false);
    assert_eq!((report.downloaded, report.deleted_on_server), (0, 0));
    assert_eq!(
        sorted_shas(&server_files(&server, "user1")),
        sorted_shas(&corpus::small(4, 51)),
        "every message is still on the server"
    );
    let ledger = fixture.ledger();
    let gone: Vec<&LedgerEntry> = ledger.iter().filter(|e| e.deleted_locally).collect();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].state, ServerState::Present);
    let mut kept = served.clone();
    kept.remove(victim);
    assert_inbox_is_exactly(&fixture.path, fixture.account, &kept);
    let again = fixture.pass(&server);
    assert_eq!(again.downloaded, 0, "never downloaded again");
}

#[test]
fn messages_over_the_size_limit_are_stored_partial_and_the_rest_replaces_them_in_place() {
    let Some(server) = start("messages_over_the_size_limit_are_stored_partial") else {
        return;
    };
    const LINES: u32 = 5;
    let mut messages = corpus::small(3, 61);
    messages.push(long_message("big-one", 600));
    messages.push(long_message("big-two", 900));
    let served = server.deliver("user1", &messages);
    let mut account = settings(&server, "user1");
    account.size_limit_kb = Some(16);
    account.server_policy = ServerPolicy::DeleteAfterDownload;
    let mut fixture = Fixture::new(&account);
    fixture.options.partial_lines = LINES;

    let report = fixture.pass(&server);
    assert_eq!((report.downloaded, report.partial), (5, 2), "{report:?}");
    // Headers-only messages stay on the server; the whole ones go.
    assert_eq!(
        report.deleted_on_server, 3,
        "only messages stored whole are deleted"
    );
    assert_eq!(
        sorted_shas(&server_files(&server, "user1")),
        sorted_shas(&messages[3..]),
    );

    let stored = fixture.inbox();
    assert_eq!(stored.len(), 5);
    for whole in &served[..3] {
        let message = stored
            .iter()
            .find(|m| m.sha256 == sha(whole))
            .expect("a small message is stored whole");
        assert!(!message.row.partial);
    }
    let mut partial_ids = Vec::new();
    for big in &served[3..] {
        let message = stored
            .iter()
            .find(|m| m.row.partial && big.starts_with(&m.raw))
            .expect("a big message is stored as a prefix of what Dovecot serves");
        assert!(message.raw.len() < big.len() / 4, "only a few lines");
        let text = String::from_utf8_lossy(&message.raw);
        let (head, body) = text.split_once("\r\n\r\n").expect("the whole header block");
        assert!(head.contains("Subject: big-"));
        assert_eq!(body.lines().count(), LINES as usize, "{body:?}");
        partial_ids.push(message.row.id);
    }
    assert!(fixture.ledger().iter().filter(|e| e.partial).count() == 2);

    // The user reads and flags the first one, then asks for the rest.
    let id = partial_ids[0];
    fixture
        .store
        .run_blocking(move |w| {
            w.set_seen(&[id], true)?;
            w.set_flagged(&[id], true)
        })
        .expect("store thread")
        .expect("set flags");
    let ctx = fixture.context();
    smol::block_on(fetch_rest(&ctx, id))
        .unwrap_or_else(|err| panic!("fetch_rest: {err}\n{}", server.log_tail()));
    let reader = Reader::open(&fixture.path).expect("reader");
    let whole = reader.message(id).expect("read").expect("same id");
    assert!(
        whole.raw == served[3],
        "the rest is exactly what Dovecot serves"
    );
    assert_eq!(whole.sha256, sha(&served[3]));
    assert!(!whole.row.partial);
    assert!(whole.row.seen && whole.row.flagged, "flags are kept");
    assert_eq!(whole.row.size, served[3].len() as u64);
    assert_eq!(fixture.inbox().len(), 5, "replaced in place, nothing added");

    // Now that it is whole, the policy lets it go on the server; the other stays.
    let report = fixture.pass(&server);
    assert_eq!((report.downloaded, report.deleted_on_server), (0, 1));
    assert_eq!(
        sorted_shas(&server_files(&server, "user1")),
        sorted_shas(&messages[4..]),
    );
}

#[test]
fn first_sync_new_only_downloads_nothing_already_there_but_everything_after() {
    let Some(server) = start("first_sync_new_only_downloads_nothing_already_there") else {
        return;
    };
    let old = corpus::small(4, 71);
    server.deliver("user1", &old);
    let mut account = settings(&server, "user1");
    account.first_sync = FirstSync::NewOnly;
    let fixture = Fixture::new(&account);

    let report = fixture.pass(&server);
    assert_eq!((report.downloaded, report.skipped), (0, 4), "{report:?}");
    assert!(fixture.inbox().is_empty());
    let ledger = fixture.ledger();
    assert_eq!(ledger.len(), 4, "the UIDLs are recorded");
    assert!(
        ledger
            .iter()
            .all(|e| e.downloaded_at.is_none() && e.message_id.is_none())
    );

    let later = corpus::small(7, 72).split_off(4);
    let later_served = server.deliver("user1", &later);
    fixture.set_time(T0 + 600);
    let report = fixture.pass(&server);
    assert_eq!((report.downloaded, report.skipped), (3, 0), "{report:?}");
    assert_inbox_is_exactly(&fixture.path, fixture.account, &later_served);
    assert_eq!(server_files(&server, "user1").len(), 7);
}

#[test]
fn first_sync_last_days_downloads_only_recent_mail_and_never_the_old_later() {
    let Some(server) = start("first_sync_last_days_downloads_only_recent_mail") else {
        return;
    };
    let old = [
        dated_message("old-30-days", Some(T0 - 30 * DAY)),
        dated_message("old-8-days", Some(T0 - 8 * DAY)),
    ];
    let recent = [
        dated_message("recent-2-days", Some(T0 - 2 * DAY)),
        dated_message("recent-6-days", Some(T0 - 6 * DAY)),
        // Without a usable Date a message is kept: better one old message too many.
        dated_message("no-date", None),
    ];
    let mut messages: Vec<Vec<u8>> = corpus::small(2, 81); // dated 2024: old too
    messages.insert(1, old[0].clone());
    messages.push(recent[0].clone());
    messages.push(old[1].clone());
    messages.extend(recent[1..].iter().cloned());
    let served = server.deliver("user1", &messages);
    let recent_served: Vec<Vec<u8>> = served
        .iter()
        .filter(|s| recent.iter().any(|r| dovecot::served_bytes(r) == **s))
        .cloned()
        .collect();
    assert_eq!(recent_served.len(), 3);
    let mut account = settings(&server, "user1");
    account.first_sync = FirstSync::LastDays(7);
    let fixture = Fixture::new(&account);

    let report = fixture.pass(&server);
    assert_eq!((report.downloaded, report.skipped), (3, 4), "{report:?}");
    assert_inbox_is_exactly(&fixture.path, fixture.account, &recent_served);
    assert_eq!(fixture.ledger().len(), messages.len());

    // Later passes never fetch the old ones; new mail is new, whatever its date.
    let late = [dated_message("late-but-old-date", Some(T0 - 90 * DAY))];
    let late_served = server.deliver("user1", &late);
    fixture.set_time(T0 + DAY);
    let report = fixture.pass(&server);
    assert_eq!((report.downloaded, report.skipped), (1, 0), "{report:?}");
    let report = fixture.pass(&server);
    assert_eq!(report.downloaded, 0);
    let mut expected = recent_served;
    expected.extend(late_served);
    assert_inbox_is_exactly(&fixture.path, fixture.account, &expected);
}

#[test]
fn one_engine_syncs_two_accounts_at_once_each_into_its_own_inbox() {
    let Some(server) = start("one_engine_syncs_two_accounts_at_once") else {
        return;
    };
    let served_one = server.deliver("user1", &corpus::small(5, 91));
    let mut two = corpus::mixed(4, 92);
    two.extend(corpus::small(2, 93));
    let served_two = server.deliver("user2", &two);
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, path, ids) = engine_with(
        dir.path(),
        &[settings(&server, "user1"), settings(&server, "user2")],
    );
    let events = engine.subscribe();
    engine.check_now(None);
    let ends = wait_for_ends(&events, &ids);
    for (id, expected) in ids.iter().zip([&served_one, &served_two]) {
        match &ends[id] {
            Ok(report) => assert_eq!(report.downloaded, expected.len() as u64),
            Err((error, _)) => panic!("account {id} failed: {error}\n{}", server.log_tail()),
        }
    }
    engine.shutdown();
    assert_inbox_is_exactly(&path, ids[0], &served_one);
    assert_inbox_is_exactly(&path, ids[1], &served_two);
}

#[test]
fn reconnecting_every_n_messages_with_delete_after_download_empties_the_server() {
    let Some(server) = start("reconnecting_every_n_messages_with_delete_after_download") else {
        return;
    };
    const N: u32 = 3;
    let messages = corpus::small(3 * N as usize + 1, 101);
    let served = server.deliver("user1", &messages);
    let mut account = settings(&server, "user1");
    account.server_policy = ServerPolicy::DeleteAfterDownload;
    account.reconnect_every = Some(N);
    let fixture = Fixture::new(&account);

    let report = fixture.pass(&server);
    assert_eq!(report.downloaded, served.len() as u64, "{report:?}");
    assert_eq!(report.deleted_on_server, served.len() as u64);
    assert!(server_files(&server, "user1").is_empty());
    assert_inbox_is_exactly(&fixture.path, fixture.account, &served);
    assert!(
        fixture
            .ledger()
            .iter()
            .all(|e| e.state == ServerState::Deleted)
    );
    // One session per N messages, each deleting what it downloaded before its QUIT
    // (Dovecot logs `retr=<count>/<bytes>, del=<count>/<messages>` per session). Its log
    // process writes the last session's line a moment after the client has its `+OK`, later
    // still on a loaded machine: wait for four lines (or ten seconds) before comparing.
    let read_sessions = || -> Vec<(u32, u32)> {
        let log = std::fs::read_to_string(server.log_path()).expect("read the Dovecot log");
        log.lines()
            .filter(|line| line.contains("pop3(user1)") && line.contains("Logged out"))
            .map(|line| (logged_count(line, "retr="), logged_count(line, "del=")))
            .collect()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut per_session = read_sessions();
    while per_session.len() < 4 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        per_session = read_sessions();
    }
    assert_eq!(
        per_session,
        vec![(3, 3), (3, 3), (3, 3), (1, 1)],
        "(downloaded, deleted) per session"
    );
}

/// The count after `key` in a Dovecot logout line (`retr=3/10440` gives 3).
fn logged_count(line: &str, key: &str) -> u32 {
    let start = line.find(key).expect("key in the logout line") + key.len();
    line[start..]
        .split('/')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count")
}

#[test]
fn a_wrong_password_fails_the_check_for_the_user_quoting_dovecot_and_stores_nothing() {
    let Some(server) = start("a_wrong_password_fails_the_check_for_the_user") else {
        return;
    };
    server.deliver("user1", &corpus::small(2, 111));
    let mut account = settings(&server, "user1");
    account.password_source = PasswordSource::Command("echo wrong-password".into());
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, path, ids) = engine_with(dir.path(), &[account]);
    let events = engine.subscribe();
    engine.check_now(Some(ids[0]));
    let ends = wait_for_ends(&events, &ids);
    engine.shutdown();
    let Err((error, retry_at)) = &ends[&ids[0]] else {
        panic!("a wrong password was accepted: {:?}", ends[&ids[0]]);
    };
    assert!(error.needs_user(), "{error:?}");
    assert!(!error.is_recoverable());
    assert_eq!(*retry_at, None, "no retry until the user changes something");
    assert!(
        error.to_string().contains("-ERR [AUTH]"),
        "the message quotes Dovecot: {error}"
    );
    assert!(inbox_messages(&path, ids[0]).is_empty());
    assert!(ledger(&path, ids[0]).is_empty());
    let reader = Reader::open(&path).expect("reader");
    let stored = reader.accounts().expect("accounts");
    let last_error = stored[0].last_error.as_deref().unwrap_or_default();
    assert!(last_error.contains("-ERR [AUTH]"), "{last_error}");
    assert_eq!(server_files(&server, "user1").len(), 2);
}

#[test]
fn the_same_bytes_under_two_uidls_are_stored_once_and_linked() {
    let Some(server) = start("the_same_bytes_under_two_uidls_are_stored_once") else {
        return;
    };
    let twice = dated_message("twice", Some(T0 - DAY));
    let mut messages = corpus::small(2, 121);
    messages.insert(1, twice.clone());
    messages.push(twice);
    let served = server.deliver("user1", &messages);
    let fixture = Fixture::new(&settings(&server, "user1"));

    let report = fixture.pass(&server);
    assert_eq!(report.downloaded, 3, "{report:?}");
    assert_eq!(report.duplicates, 1);
    assert_inbox_is_exactly(&fixture.path, fixture.account, &served[..3]);
    let ledger = fixture.ledger();
    assert_eq!(ledger.len(), 4, "both UIDLs are in the ledger");
    let both: Vec<&LedgerEntry> = ledger
        .iter()
        .filter(|e| e.message_id == Some(fixture.entry_of(&served[1]).message_id.expect("id")))
        .collect();
    assert_eq!(both.len(), 2, "two UIDLs, one message");
    assert_eq!(both.iter().filter(|e| e.duplicate).count(), 1);
    assert_ne!(both[0].uidl, both[1].uidl);

    let again = fixture.pass(&server);
    assert_eq!((again.downloaded, again.duplicates), (0, 0));
}

#[test]
fn a_headers_only_message_deleted_here_stays_on_the_server_unless_the_account_says_so() {
    let Some(server) = start("a_headers_only_message_deleted_here_stays_on_the_server") else {
        return;
    };
    let messages = vec![long_message("big-deleted-here", 600)];
    server.deliver("user1", &messages);
    let mut account = settings(&server, "user1");
    account.size_limit_kb = Some(16);
    account.server_policy = ServerPolicy::DeleteAfterDownload;
    account.delete_when_deleted_locally = false;
    let fixture = Fixture::new(&account);

    let report = fixture.pass(&server);
    assert_eq!((report.partial, report.deleted_on_server), (1, 0));
    let id = fixture.inbox()[0].row.id;
    fixture
        .store
        .run_blocking(move |w| w.delete_forever(&[id]))
        .expect("store thread")
        .expect("delete forever");

    // Only its headers were ever here, and the account does not delete on the server what
    // is deleted here: the server's copy, the only whole one, must stay.
    let report = fixture.pass(&server);
    assert_eq!(
        report.deleted_on_server,
        0,
        "a headers-only message deleted here was deleted on the server; ledger: {:?}",
        fixture.ledger()
    );
    assert_eq!(server_files(&server, "user1").len(), 1);
}

//! What the sync fault tests and the kill loop share: a local store with one account and its
//! writer thread (`Local`), what a store holds, and the messages delivered to a private
//! Dovecot (`Served`) with the checks "nothing lost, nothing twice" and "exactly once".

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use poplar::account::AccountSettings;
use poplar::pop3::Secret;
use poplar::store::{AccountId, LedgerEntry, STORE_FILE, Writer, now};
use poplar::sync::Secrets as _;
use poplar::sync::{
    MemorySecrets, PassContext, PassReport, StoreHandle, SyncError, SyncOptions, run_pass,
};
use sha2::{Digest as _, Sha256};

use crate::corpus;
use crate::dovecot::{self, Dovecot, Options};
pub type Sha = [u8; 32];

pub fn sha(bytes: &[u8]) -> Sha {
    Sha256::digest(bytes).into()
}

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How many times each content occurs.
pub fn multiset<'a>(raws: impl IntoIterator<Item = &'a Vec<u8>>) -> BTreeMap<Sha, usize> {
    let mut out = BTreeMap::new();
    for raw in raws {
        *out.entry(sha(raw)).or_insert(0) += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// the local side: a store with one account, its writer on its own thread

/// A temporary store with one account, for library-level passes.
pub struct Local {
    pub _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub store: StoreHandle,
    pub thread: Option<JoinHandle<()>>,
    pub id: AccountId,
    pub secrets: Arc<MemorySecrets>,
    pub options: SyncOptions,
}

impl Local {
    pub fn new(settings: &AccountSettings, password: &str) -> Self {
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
    pub fn pass_at(&self, days: i64) -> Result<PassReport, SyncError> {
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

    pub fn pass(&self) -> Result<PassReport, SyncError> {
        self.pass_at(0)
    }

    pub fn ledger(&self) -> HashMap<String, LedgerEntry> {
        let id = self.id;
        self.store
            .run_blocking(move |w| w.ledger_map(id))
            .expect("store thread")
            .expect("read the ledger")
    }

    /// Every stored message's raw bytes (through a reader, as the window would see them).
    pub fn raws(&self) -> Vec<Vec<u8>> {
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
pub fn stored_raws(path: &Path) -> Vec<Vec<u8>> {
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
pub fn stored_count(path: &Path) -> u64 {
    let conn = rusqlite::Connection::open(path).expect("open the store");
    conn.query_row("SELECT count(*) FROM messages", [], |r| r.get::<_, i64>(0))
        .expect("count") as u64
}

pub const DOVECOT_USER: &str = "user1";
pub const DOVECOT_PASSWORD: &str = "pass1";

/// The messages delivered to a Dovecot user, to recognise them in the store and the maildir.
///
/// Lookups go through std's `HashMap` on the bytes (std is built optimized; SHA-256 in a
/// debug build would make every check after a kill take a good part of a second).
pub struct Served {
    /// The served bytes of each message, in delivery order.
    pub raws: Vec<Vec<u8>>,
    /// Served bytes → index.
    pub by_bytes: HashMap<Vec<u8>, usize>,
    /// Maildir file name up to the flags (`:2,…`) → index.
    pub by_file: HashMap<String, usize>,
    pub user: String,
}

pub fn base_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    name.split(':').next().unwrap_or_default().to_owned()
}

impl Served {
    pub fn deliver(server: &Dovecot, user: &str, messages: &[Vec<u8>]) -> Self {
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

    pub fn len(&self) -> usize {
        self.raws.len()
    }

    pub fn total_bytes(&self) -> u64 {
        self.raws.iter().map(|r| r.len() as u64).sum()
    }

    /// How many times each message is stored; a stored message that is none of them (damaged,
    /// truncated) fails the test.
    pub fn stored_counts(&self, store: &Path, when: &str) -> Vec<usize> {
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
    pub fn on_server(&self, server: &Dovecot) -> Vec<bool> {
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
    pub fn check_nothing_lost_nothing_twice(&self, store: &Path, server: &Dovecot, when: &str) {
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
    pub fn check_exactly_once(&self, store: &Path) {
        let counts = self.stored_counts(store, "at the end");
        let wrong = counts.iter().filter(|c| **c != 1).count();
        assert_eq!(wrong, 0, "{wrong} messages are not stored exactly once");
    }

    /// How many messages are still on the server.
    pub fn remaining(&self, server: &Dovecot) -> usize {
        self.on_server(server).iter().filter(|p| **p).count()
    }
}

/// A Dovecot whose user1 has `n` small distinct messages.
pub fn dovecot_with(test: &str, n: usize, seed: u64) -> Option<(Dovecot, Served)> {
    let server = Dovecot::start_or_skip_with(test, Options::new().fast_stop(true))?;
    let served = Served::deliver(&server, DOVECOT_USER, &corpus::small(n, seed));
    Some((server, served))
}

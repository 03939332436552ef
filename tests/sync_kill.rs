//! What survives a `poplar sync` killed at random moments: the `poplar` binary against a
//! private Dovecot, SIGKILLed until a run completes (with delete-after-download, with keep,
//! and with rules filing every message on arrival). After every kill the store holds each
//! message at most once, and every message is on the server or in the store.
//!
//! Skips where Dovecot is missing, unless `POPLAR_REQUIRE_DOVECOT=1`.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/store_kit.rs"]
mod store_kit;
#[path = "support/sync_kit.rs"]
mod sync_kit;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use corpus::Rng;
use dovecot::Dovecot;
use poplar::store::{AccountId, Reader, STORE_FILE, ServerState, Writer};
use sync_kit::{DOVECOT_USER, Served, dovecot_with, sha, stored_count};

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

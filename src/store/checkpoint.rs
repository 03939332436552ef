//! WAL checkpoints on a thread of their own.
//!
//! In WAL mode a commit appends pages to the `-wal` file; a checkpoint later copies them into
//! the database file. SQLite's automatic checkpoint runs inside the commit that crosses its
//! threshold, so the writer's thread (the sync's bottleneck) would stop to copy and fsync
//! tens of megabytes. Here a second connection checkpoints after commits instead, while the
//! writer goes on. Durability does not depend on it: a commit is durable once the WAL is
//! synced, and a checkpoint syncs the database file before the WAL may be reused. If this
//! thread cannot keep up or cannot start, the writer's own automatic checkpoint (at a higher
//! threshold) still bounds the WAL.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

/// Checkpoints at most this often: a page that several commits in a row rewrite (an index's
/// inner pages, the search index's structure) is then copied once, not once per commit.
const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// The checkpoint thread. Dropping it stops the thread once its current checkpoint is done.
#[derive(Debug)]
pub(super) struct Checkpointer {
    wake: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the `poplar-checkpoint` thread with its own connection to the store at `path`
    /// (already opened, checked and migrated by the writer). `None` when it cannot start.
    pub(super) fn start(path: &Path) -> Option<Self> {
        let conn = match open(path) {
            Ok(conn) => conn,
            Err(err) => {
                tracing::warn!(target: "poplar::store", "no checkpoint thread: {err}");
                return None;
            }
        };
        let (wake, wakes) = sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("poplar-checkpoint".into())
            .spawn(move || run(&conn, &wakes))
            .map_err(|err| {
                tracing::warn!(target: "poplar::store", "no checkpoint thread: {err}");
            })
            .ok()?;
        Some(Self {
            wake: Some(wake),
            thread: Some(thread),
        })
    }

    /// Says that a transaction was committed. Never blocks: nudges coalesce.
    pub(super) fn nudge(&self) {
        if let Some(wake) = &self.wake {
            // Full: a checkpoint is due already; disconnected: the thread is gone.
            let _ = wake.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.wake = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn open(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // The database file is synced before the WAL may be reused.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // This connection never commits, so it never checkpoints on its own account.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(None, "cache_size", -2_048)?;
    Ok(conn)
}

fn run(conn: &Connection, wakes: &Receiver<()>) {
    let mut last: Option<Instant> = None;
    while wakes.recv().is_ok() {
        // Let commits gather for a while, but stop at once when the writer closes (its own
        // close checkpoints what is left).
        while let Some(wait) = last.and_then(|at| MIN_INTERVAL.checked_sub(at.elapsed())) {
            match wakes.recv_timeout(wait) {
                Ok(()) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // PASSIVE: copies what no reader still needs, never waits for the writer or readers.
        let result: rusqlite::Result<(i64, i64, i64)> =
            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            });
        if let Err(err) = result {
            // A full disk or a store made read-only: the WAL keeps every commit, and the
            // writer reports such conditions on its own commits.
            tracing::debug!(target: "poplar::store", "checkpoint failed: {err}");
        }
        last = Some(Instant::now());
    }
}

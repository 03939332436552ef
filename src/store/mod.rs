//! The mail store: a durable SQLite database, safe to hold the only copy of someone's mail.
//!
//! This is the only module that knows SQL. One [`Writer`] (owned by the sync engine) changes
//! the store; any number of [`Reader`]s (the window, the command line) read it, each through
//! its own connection, thanks to SQLite's WAL mode. A commit returns only once it is on disk
//! (`synchronous=FULL`).

mod checkpoint;
mod error;
mod model;
mod open;
mod query;
mod reader;
pub mod schema;
mod search;
mod writer;

pub use error::{StoreError, StoreErrorKind};
pub use model::{
    Account, AccountId, Folder, FolderId, FolderKind, Incoming, Ingest, LedgerEntry, ListView,
    Member, MessageId, MessageRow, Prepared, RuleId, RuleNotice, SavedSearch, SavedSearchId,
    SavedView, ServerState, Sort, SortKey, StoredMessage, StoredRule, ThreadId, prepare,
    unread_in_inboxes,
};
pub use reader::{Reader, RulePreview};
pub use writer::{Backlog, LEARNED_PREFIX, RulesRun, Writer};

/// The file name of the store inside Poplar's data directory.
pub const STORE_FILE: &str = "poplar.sqlite3";

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

//! The store's error type: a kind that says what the user can do, and a plain message.

use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// What kind of store failure this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreErrorKind {
    /// The file exists but is not a Poplar store; it was left untouched.
    NotAStore,
    /// The store was written by a newer Poplar; it was left untouched.
    TooNew,
    /// The file is damaged (truncated or corrupted).
    Corrupt,
    /// The store or its folder cannot be written.
    ReadOnly,
    /// The disk is full; the last commit is intact, nothing of this change was written.
    DiskFull,
    /// Another Poplar process is using the store.
    InUse,
    /// The store is busy (locked by another connection for longer than the wait).
    Busy,
    /// There is no store yet at that path.
    Missing,
    /// A request the store refuses (unknown id, duplicate account name, …).
    Invalid,
    /// Any other I/O or database failure.
    Io,
}

/// A store failure, with the path and a plain-words detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    kind: StoreErrorKind,
    path: PathBuf,
    detail: String,
}

impl StoreError {
    /// A new error about the store at `path`.
    pub fn new(kind: StoreErrorKind, path: &Path, detail: impl Into<String>) -> Self {
        Self {
            kind,
            path: path.to_path_buf(),
            detail: detail.into(),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> StoreErrorKind {
        self.kind
    }

    /// The detail, without the path.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// Maps a SQLite error to a kind, keeping SQLite's words.
    pub fn from_sqlite(path: &Path, err: &rusqlite::Error) -> Self {
        let kind = match err.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreErrorKind::DiskFull,
            Some(ErrorCode::ReadOnly) => StoreErrorKind::ReadOnly,
            Some(ErrorCode::DatabaseCorrupt) => StoreErrorKind::Corrupt,
            Some(ErrorCode::NotADatabase) => StoreErrorKind::NotAStore,
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreErrorKind::Busy,
            Some(ErrorCode::ConstraintViolation) => StoreErrorKind::Invalid,
            _ => StoreErrorKind::Io,
        };
        let detail = match kind {
            StoreErrorKind::DiskFull => {
                format!("the disk is full ({err}); nothing of this change was saved")
            }
            StoreErrorKind::ReadOnly => format!("the store cannot be written ({err})"),
            StoreErrorKind::Corrupt => format!("the store file is damaged ({err})"),
            StoreErrorKind::NotAStore => format!("the file is not a Poplar store ({err})"),
            StoreErrorKind::Busy => format!("the store is busy ({err})"),
            _ => err.to_string(),
        };
        Self::new(kind, path, detail)
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mail store {}: {}", self.path.display(), self.detail)
    }
}

impl std::error::Error for StoreError {}

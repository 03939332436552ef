//! Opening a store safely: refuse foreign, newer and damaged files before touching them.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::error::{StoreError, StoreErrorKind};
use super::schema::{APPLICATION_ID, latest, migrate};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Checks the file header without SQLite: a foreign file or a truncated store is refused
/// before SQLite could write anything to it.
fn check_header(path: &Path) -> Result<bool, StoreError> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(StoreError::new(StoreErrorKind::Io, path, err.to_string())),
    };
    let len = file
        .metadata()
        .map_err(|err| StoreError::new(StoreErrorKind::Io, path, err.to_string()))?
        .len();
    if len == 0 {
        return Ok(false);
    }
    let mut header = [0u8; 100];
    let read = read_up_to(&mut file, &mut header)
        .map_err(|err| StoreError::new(StoreErrorKind::Io, path, err.to_string()))?;
    if read < 16 || &header[..16] != SQLITE_MAGIC {
        return Err(StoreError::new(
            StoreErrorKind::NotAStore,
            path,
            "the file is not a Poplar store (not a SQLite database); it was left untouched",
        ));
    }
    if read < 100 {
        return Err(StoreError::new(
            StoreErrorKind::Corrupt,
            path,
            "the store file is truncated (no complete header)",
        ));
    }
    // SQLite file format §1.3: the page size at offset 16 (1 means 65536) and the database size
    // in pages at offset 28, valid when the change counter (24) equals version-valid-for (92).
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536u64,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let valid = header[24..28] == header[92..96];
    // With a non-empty WAL beside it, pages may legitimately live only in the WAL (a checkpoint
    // that a full disk cut short is redone from it), so the file may be shorter than the header
    // says.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal_len = std::fs::metadata(std::path::PathBuf::from(wal))
        .map(|m| m.len())
        .unwrap_or(0);
    if valid && wal_len == 0 && pages > 0 && len < pages * page_size {
        return Err(StoreError::new(
            StoreErrorKind::Corrupt,
            path,
            format!(
                "the store file is truncated: it should be {} bytes but is {len}; restore it from a backup",
                pages * page_size
            ),
        ));
    }
    Ok(true)
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut total = 0;
    while total < buf.len() {
        match file.read(&mut buf[total..])? {
            0 => break,
            n => total += n,
        }
    }
    Ok(total)
}

/// Opens a connection and checks that it is a Poplar store this version understands.
/// Returns the connection and the store's schema version (0 for a new, empty file).
fn open_checked(path: &Path, flags: OpenFlags) -> Result<(Connection, i64), StoreError> {
    let existed = check_header(path)?;
    let conn = Connection::open_with_flags(path, flags).map_err(|err| open_error(path, &err))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|err| StoreError::from_sqlite(path, &err))?;
    let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(sql_error)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(sql_error)?;
    if existed && app_id != APPLICATION_ID {
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(sql_error)?;
        if app_id != 0 || version != 0 || objects != 0 {
            return Err(StoreError::new(
                StoreErrorKind::NotAStore,
                path,
                "the file is a SQLite database but not a Poplar store; it was left untouched",
            ));
        }
    }
    if version > latest() {
        return Err(StoreError::new(
            StoreErrorKind::TooNew,
            path,
            format!(
                "the store was written by a newer Poplar (schema {version}, this one knows up to {}); \
                 it was left untouched: update Poplar to open it",
                latest()
            ),
        ));
    }
    Ok((conn, version))
}

fn open_error(path: &Path, err: &rusqlite::Error) -> StoreError {
    let mut error = StoreError::from_sqlite(path, err);
    if error.kind() == StoreErrorKind::Io
        && err.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen)
    {
        error = StoreError::new(
            StoreErrorKind::ReadOnly,
            path,
            format!(
                "the store cannot be opened for writing ({err}); check the folder's permissions and free space"
            ),
        );
    }
    error
}

/// Opens the store for writing, creating or migrating it, with the pragmas that make every
/// commit durable. Takes the store's lock file so a second Poplar is told plainly.
pub(super) fn open_writer(path: &Path) -> Result<(Connection, File), StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|err| {
            StoreError::new(
                StoreErrorKind::ReadOnly,
                path,
                format!("cannot create the folder {}: {err}", dir.display()),
            )
        })?;
    }
    let lock = take_lock(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let (mut conn, version) = open_checked(path, flags)?;
    let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(sql_error)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::new(
            StoreErrorKind::Io,
            path,
            format!("cannot switch the store to WAL mode (got {mode})"),
        ));
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql_error)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(sql_error)?;
    // 8 MB of page cache holds the pages that inserts touch (the rightmost and hot leaves of
    // the list and search indexes): building a 100,000-message store took the same time with
    // 4, 16 and 64 MB (`cargo bench --bench store`). More only keeps pages of raw mail the
    // writer never reads again, and each of them is fresh memory the kernel must fault in and
    // zero (perf: about 13 us a page on the benches' 2-core VM): a 10,000-message first sync
    // faulted 27,000 pages with 64 MB, 13,000 with 16 and 10,800 with 8, and ran 7% and then
    // another 4% faster. Larger WAL checkpoints copy each page to the main file less often.
    conn.pragma_update(None, "cache_size", -8_192)
        .map_err(sql_error)?;
    conn.pragma_update(None, "wal_autocheckpoint", 8_192)
        .map_err(sql_error)?;
    // Statement journals (one per savepoint) in memory, not as temp files on disk.
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(sql_error)?;
    if version < latest() {
        migrate(&mut conn, version).map_err(sql_error)?;
    }
    Ok((conn, lock))
}

/// Opens a read-only view of an existing store at the current schema version.
pub(super) fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    if !path.exists() {
        return Err(StoreError::new(
            StoreErrorKind::Missing,
            path,
            "there is no mail store yet",
        ));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let (conn, version) = open_checked(path, flags)?;
    if version < latest() {
        return Err(StoreError::new(
            StoreErrorKind::Missing,
            path,
            format!("the store is at schema {version} and needs the writer to upgrade it first"),
        ));
    }
    let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
    // Readers never write: a bug that tries is refused by SQLite, not applied.
    conn.pragma_update(None, "query_only", "ON")
        .map_err(sql_error)?;
    conn.pragma_update(None, "cache_size", -16_384)
        .map_err(sql_error)?;
    Ok(conn)
}

fn lock_owner(file: &mut File) -> Option<u32> {
    use std::io::Seek as _;
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

/// The writer's lock: `<store>.lock`, held for the writer's lifetime, with the owner's pid.
fn take_lock(path: &Path) -> Result<File, StoreError> {
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock_path = std::path::PathBuf::from(lock_path);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|err| {
            StoreError::new(
                StoreErrorKind::ReadOnly,
                path,
                format!("cannot create {}: {err}", lock_path.display()),
            )
        })?;
    // A child process forked by another thread of ours (a test starting a server, a password
    // command) holds a copy of a just-closed lock until it execs: wait briefly for our own pid.
    let mut attempts = 0;
    let locked = loop {
        match file.try_lock() {
            Err(std::fs::TryLockError::WouldBlock)
                if attempts < 40 && lock_owner(&mut file) == Some(std::process::id()) =>
            {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => break other,
        }
    };
    match locked {
        Ok(()) => {
            use std::io::Seek as _;
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = writeln!(file, "{}", std::process::id());
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let who = lock_owner(&mut file)
                .map(|pid| format!(" (process {pid})"))
                .unwrap_or_default();
            Err(StoreError::new(
                StoreErrorKind::InUse,
                path,
                format!("another Poplar{who} is already using this store; close it first"),
            ))
        }
        Err(std::fs::TryLockError::Error(err)) => Err(StoreError::new(
            StoreErrorKind::Io,
            path,
            format!("cannot lock {}: {err}", lock_path.display()),
        )),
    }
}

//! The write side: the one connection that changes the store, owned by the sync engine.
//!
//! Every method is one transaction: either all of it is on disk when it returns, or none of
//! it is (a full disk, a crash, a kill). A batch of downloaded messages and their UIDLs are
//! committed together, which is what lets a killed sync resume without losing or repeating
//! anything.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::{CachedStatement, Connection, OptionalExtension, Transaction, params};

use super::checkpoint::Checkpointer;
use super::error::{StoreError, StoreErrorKind};
use super::model::*;
use super::reader::Reader;
use super::{open, query};

mod accounts;
mod folders;
mod keys;
mod rules;

pub(super) use keys::{sender_key, subject_key};

/// The store's single writer. See the module documentation.
#[derive(Debug)]
pub struct Writer {
    /// Declared first so it stops (and closes its connection) before `conn` closes: the last
    /// connection to close checkpoints what is left and removes the WAL.
    checkpointer: Option<Checkpointer>,
    conn: Connection,
    path: PathBuf,
    /// Held for the writer's lifetime so a second Poplar process is told plainly.
    _lock: File,
}

impl Writer {
    /// Opens (creating or migrating) the store at `path` for writing.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let (conn, lock) = open::open_writer(path)?;
        // The writer's own automatic checkpoint stays on: it finds little left to copy while
        // the thread keeps up, and bounds the WAL should it fall behind.
        let checkpointer = Checkpointer::start(path);
        Ok(Self {
            checkpointer,
            conn,
            path: path.to_path_buf(),
            _lock: lock,
        })
    }

    /// The store's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new reader on the same store.
    pub fn reader(&self) -> Result<Reader, StoreError> {
        Reader::open(&self.path)
    }

    fn sql_error(&self, err: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, &err)
    }

    fn invalid(&self, detail: impl Into<String>) -> StoreError {
        StoreError::new(StoreErrorKind::Invalid, &self.path, detail)
    }

    /// Runs `work` in one transaction that is committed durably, or rolled back on error.
    /// `work` is given the store's path for its errors.
    fn transaction<T>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>, &Path) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let path = &self.path;
        let tx = self
            .conn
            .transaction()
            .map_err(|err| StoreError::from_sqlite(path, &err))?;
        let value = work(&tx, path)?;
        tx.commit()
            .map_err(|err| StoreError::from_sqlite(path, &err))?;
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.nudge();
        }
        Ok(value)
    }

    // ----- the UIDL ledger and downloads ----------------------------------------------------

    /// The account's UIDL ledger keyed by UIDL.
    pub fn ledger_map(
        &self,
        account: AccountId,
    ) -> Result<HashMap<String, LedgerEntry>, StoreError> {
        query::ledger_map(&self.conn, account).map_err(|err| self.sql_error(err))
    }

    /// Stores a batch of downloaded messages and their UIDLs in one durable transaction.
    ///
    /// A UIDL already in the ledger is skipped (`Known`). A message whose content is already
    /// stored for this account (same SHA-256, or same Message-ID, Date and size) is linked to
    /// that message instead of being stored twice (`Linked`).
    pub fn ingest(
        &mut self,
        account: AccountId,
        batch: Vec<Prepared>,
    ) -> Result<Vec<Ingest>, StoreError> {
        self.require_account(account)?;
        // Foreign keys are not enforced while a batch is stored. Every row it inserts refers to
        // the account checked above, its Inbox, or a message stored or found in the same
        // transaction, so no check could fail; and it deletes and rekeys nothing, so no ON
        // DELETE action is skipped. Enforced, every message insert looks up three parents and,
        // as a statement that could fail halfway, copies each page it changes to the statement
        // journal first: together about 12,000 instructions per message.
        self.enforce_foreign_keys(false)?;
        let result = self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let inbox = query::folder_of(tx, Some(account), FolderKind::Inbox)
                .map_err(sql_error)?
                .ok_or_else(|| {
                    StoreError::new(StoreErrorKind::Corrupt, path, "the account has no Inbox")
                })?;
            let mut out = Vec::with_capacity(batch.len());
            let mut counts = NewMail::default();
            let mut statements = IngestStatements::new(tx).map_err(sql_error)?;
            for prepared in &batch {
                out.push(
                    ingest_one(&mut statements, &mut counts, account, inbox, prepared)
                        .map_err(sql_error)?,
                );
            }
            counts.apply(tx).map_err(sql_error)?;
            // The search rows go last: a statement that opens a savepoint makes FTS5 write out
            // what it holds, and one segment per batch is far cheaper than one per message.
            index_messages(tx, stored(&out, &batch)).map_err(sql_error)?;
            Ok(out)
        });
        // Back on whatever happened: every other change relies on them (deleting a message
        // deletes its raw bytes and unlinks its UIDLs).
        self.enforce_foreign_keys(true)?;
        result
    }

    /// Turns foreign-key enforcement on or off, between transactions (SQLite ignores the
    /// switch inside one). Switching recompiles the cached statements on their next use,
    /// which a batch of 50 messages repays many times over.
    fn enforce_foreign_keys(&mut self, on: bool) -> Result<(), StoreError> {
        let now = self
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_FKEY, on)
            .map_err(|err| self.sql_error(err))?;
        if now != on {
            return Err(StoreError::new(
                StoreErrorKind::Io,
                &self.path,
                format!(
                    "cannot turn foreign-key enforcement {}",
                    if on { "on" } else { "off" }
                ),
            ));
        }
        Ok(())
    }

    /// Records UIDLs seen on the server that are not in the ledger yet, without downloading
    /// them ("only mail arriving from now on", or tracking when each was first seen).
    /// Returns how many were new.
    pub fn record_seen(
        &mut self,
        account: AccountId,
        uidls: &[String],
        now: i64,
    ) -> Result<usize, StoreError> {
        self.transaction(|tx, path| {
            let mut stmt = tx
                .prepare_cached("INSERT OR IGNORE INTO uidls (account_id, uidl, first_seen) VALUES (?1, ?2, ?3)")
                .map_err(|err| StoreError::from_sqlite(path, &err))?;
            let mut added = 0;
            for uidl in uidls {
                added += stmt.execute(params![account, uidl, now]).map_err(|err| StoreError::from_sqlite(path, &err))?;
            }
            Ok(added)
        })
    }

    /// Sets the server state of these UIDLs: `DeletionPending` before DELE, `Deleted` only
    /// after the server confirmed QUIT (or no longer lists them).
    pub fn set_server_state(
        &mut self,
        account: AccountId,
        uidls: &[String],
        state: ServerState,
    ) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            let mut stmt = tx
                .prepare_cached("UPDATE uidls SET state = ?3 WHERE account_id = ?1 AND uidl = ?2")
                .map_err(|err| StoreError::from_sqlite(path, &err))?;
            for uidl in uidls {
                stmt.execute(params![account, uidl, state.code()])
                    .map_err(|err| StoreError::from_sqlite(path, &err))?;
            }
            Ok(())
        })
    }

    /// The account, UIDL and partial flag of a downloaded message.
    pub fn message_origin(
        &self,
        id: MessageId,
    ) -> Result<Option<(AccountId, String, bool)>, StoreError> {
        self.conn
            .query_row(
                "SELECT account_id, uidl, partial FROM messages WHERE id = ?1 AND account_id IS NOT NULL AND uidl IS NOT NULL",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(|err| self.sql_error(err))
    }

    /// Replaces a partial (headers-only) message with the whole message, in place: same id,
    /// same folder and flags.
    pub fn replace_partial(&mut self, id: MessageId, whole: Prepared) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let exists: Option<i64> = tx
                .query_row("SELECT id FROM messages WHERE id = ?1", [id], |row| row.get(0))
                .optional()
                .map_err(sql_error)?;
            if exists.is_none() {
                return Err(StoreError::new(StoreErrorKind::Invalid, path, format!("there is no message {id}")));
            }
            let s = &whole.summary;
            tx.execute(
                "UPDATE messages SET sha256 = ?2, size = ?3, from_name = ?4, from_addr = ?5, to_list = ?6, \
                 cc_list = ?7, subject = ?8, date = ?9, sort_date = coalesce(?9, fetched_at), sender_key = ?10, \
                 subject_key = ?11, message_id = ?12, has_attachments = ?13, preview = ?14, partial = 0, \
                 fetched_at = ?15, tls_version = ?16 \
                 WHERE id = ?1",
                params![
                    id,
                    &whole.sha256[..],
                    whole.incoming.raw.len() as i64,
                    s.from_name,
                    s.from_addr,
                    s.to,
                    s.cc,
                    s.subject,
                    s.date,
                    sender_key(&s.from_name, &s.from_addr),
                    subject_key(&s.subject),
                    s.message_id,
                    s.has_attachments,
                    s.preview,
                    // The bytes' provenance is now that of the whole message (the sort date,
                    // computed from the old row, keeps its place in the list).
                    whole.incoming.fetched_at,
                    whole.incoming.tls_version,
                ],
            )
            .map_err(sql_error)?;
            tx.execute("UPDATE message_raw SET raw = ?2 WHERE message_id = ?1", params![id, whole.incoming.raw])
                .map_err(sql_error)?;
            tx.execute("UPDATE uidls SET partial = 0 WHERE message_id = ?1", [id]).map_err(sql_error)?;
            tx.execute("DELETE FROM message_fts WHERE rowid = ?1", [id]).map_err(sql_error)?;
            index_messages(tx, [(id, &whole)]).map_err(sql_error)?;
            Ok(())
        })
    }

    // ----- what the user does -----------------------------------------------------------------

    /// Marks messages read or unread.
    pub fn set_seen(&mut self, ids: &[MessageId], seen: bool) -> Result<(), StoreError> {
        self.update_each(
            ids,
            "UPDATE messages SET seen = ?2 WHERE id = ?1 AND seen != ?2",
            seen,
        )
    }

    /// Flags or unflags messages.
    pub fn set_flagged(&mut self, ids: &[MessageId], flagged: bool) -> Result<(), StoreError> {
        self.update_each(
            ids,
            "UPDATE messages SET flagged = ?2 WHERE id = ?1",
            flagged,
        )
    }

    fn update_each(&mut self, ids: &[MessageId], sql: &str, value: bool) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            let mut stmt = tx
                .prepare_cached(sql)
                .map_err(|err| StoreError::from_sqlite(path, &err))?;
            for id in ids {
                stmt.execute(params![id, value])
                    .map_err(|err| StoreError::from_sqlite(path, &err))?;
            }
            Ok(())
        })
    }

    /// Moves messages to their account's Trash (imported mail: the local Trash).
    pub fn move_to_trash(&mut self, ids: &[MessageId], now: i64) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            for &id in ids {
                let Some((account, folder, kind)) = location(tx, id).map_err(sql_error)? else { continue };
                if kind == FolderKind::Trash {
                    continue;
                }
                let trash = query::folder_of(tx, account, FolderKind::Trash)
                    .map_err(sql_error)?
                    .ok_or_else(|| StoreError::new(StoreErrorKind::Corrupt, path, "a Trash folder is missing"))?;
                tx.execute(
                    "UPDATE messages SET folder_id = ?2, box = ?3, origin_folder_id = ?4, deleted_at = ?5 WHERE id = ?1",
                    params![id, trash, FolderKind::Trash.code(), folder, now],
                )
                .map_err(sql_error)?;
            }
            Ok(())
        })
    }

    /// Moves messages out of Trash, back where they came from.
    pub fn restore(&mut self, ids: &[MessageId]) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            for &id in ids {
                let Some((account, _, kind)) = location(tx, id).map_err(sql_error)? else { continue };
                if kind != FolderKind::Trash {
                    continue;
                }
                let origin: Option<FolderId> = tx
                    .query_row("SELECT origin_folder_id FROM messages WHERE id = ?1", [id], |row| row.get(0))
                    .map_err(sql_error)?;
                let fallback = if account.is_some() { FolderKind::Inbox } else { FolderKind::Imported };
                let target = match origin {
                    Some(folder) => folder,
                    None => query::folder_of(tx, account, fallback)
                        .map_err(sql_error)?
                        .ok_or_else(|| StoreError::new(StoreErrorKind::Corrupt, path, "the Inbox is missing"))?,
                };
                let target_kind: i64 = tx
                    .query_row("SELECT kind FROM folders WHERE id = ?1", [target], |row| row.get(0))
                    .map_err(sql_error)?;
                tx.execute(
                    "UPDATE messages SET folder_id = ?2, box = ?3, origin_folder_id = NULL, deleted_at = NULL WHERE id = ?1",
                    params![id, target, target_kind],
                )
                .map_err(sql_error)?;
            }
            Ok(())
        })
    }

    /// Deletes messages for good. Their UIDLs stay in the ledger, marked deleted locally, so
    /// they are never downloaded again (and, if the account says so, are deleted on the server).
    pub fn delete_forever(&mut self, ids: &[MessageId]) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            for &id in ids {
                delete_message(tx, id).map_err(|err| StoreError::from_sqlite(path, &err))?;
            }
            Ok(())
        })
    }

    /// Imports messages from files into the local Imported folder. A message whose bytes are
    /// already anywhere in the store is not added again (`Linked` to the existing one).
    pub fn import(&mut self, batch: Vec<Prepared>) -> Result<Vec<Ingest>, StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let folder = query::folder_of(tx, None, FolderKind::Imported)
                .map_err(sql_error)?
                .ok_or_else(|| {
                    StoreError::new(
                        StoreErrorKind::Corrupt,
                        path,
                        "the Imported folder is missing",
                    )
                })?;
            let mut out = Vec::with_capacity(batch.len());
            let mut counts = NewMail::default();
            let mut by_hash = tx
                .prepare_cached("SELECT id FROM messages WHERE sha256 = ?1 LIMIT 1")
                .map_err(sql_error)?;
            let mut inserts = Inserts::new(tx).map_err(sql_error)?;
            for prepared in &batch {
                let existing: Option<MessageId> = by_hash
                    .query_row([&prepared.sha256[..]], |row| row.get(0))
                    .optional()
                    .map_err(sql_error)?;
                out.push(match existing {
                    Some(id) => Ingest::Linked(id),
                    None => Ingest::Stored(
                        insert_message(
                            &mut inserts,
                            &mut counts,
                            None,
                            folder,
                            FolderKind::Imported,
                            prepared,
                        )
                        .map_err(sql_error)?,
                    ),
                });
            }
            counts.apply(tx).map_err(sql_error)?;
            index_messages(tx, stored(&out, &batch)).map_err(sql_error)?;
            Ok(out)
        })
    }
}

/// The statements [`ingest_one`] runs for every message, fetched from the statement cache
/// once per batch: fetching a cached statement hashes its whole SQL text, on the way out as
/// well as in, which cost as much as some of the lookups themselves.
struct IngestStatements<'tx> {
    ledger: CachedStatement<'tx>,
    by_hash: CachedStatement<'tx>,
    by_message_id: CachedStatement<'tx>,
    record_uidl: CachedStatement<'tx>,
    inserts: Inserts<'tx>,
}

impl<'tx> IngestStatements<'tx> {
    fn new(tx: &'tx Transaction<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            ledger: tx.prepare_cached(
                "SELECT message_id, deleted_locally, downloaded_at FROM uidls WHERE account_id = ?1 AND uidl = ?2",
            )?,
            by_hash: tx.prepare_cached(
                "SELECT id FROM messages WHERE sha256 = ?1 AND account_id = ?2 LIMIT 1",
            )?,
            by_message_id: tx.prepare_cached(
                "SELECT id FROM messages WHERE message_id = ?1 AND account_id = ?2 AND date IS ?3 AND size = ?4 \
                 AND partial = 0 LIMIT 1",
            )?,
            record_uidl: tx.prepare_cached(
                "INSERT INTO uidls (account_id, uidl, message_id, first_seen, downloaded_at, duplicate, partial) \
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6) \
                 ON CONFLICT (account_id, uidl) DO UPDATE SET message_id = ?3, downloaded_at = ?4, duplicate = ?5, \
                 partial = ?6",
            )?,
            inserts: Inserts::new(tx)?,
        })
    }
}

fn ingest_one(
    statements: &mut IngestStatements<'_>,
    counts: &mut NewMail,
    account: AccountId,
    inbox: FolderId,
    prepared: &Prepared,
) -> rusqlite::Result<Ingest> {
    let incoming = &prepared.incoming;
    // The UIDL may be in the ledger already: downloaded (skip), deleted here for good (skip:
    // never download it again), or only seen (e.g. "only new mail") and now wanted.
    let known: Option<(Option<MessageId>, bool, Option<i64>)> = statements
        .ledger
        .query_row(params![account, incoming.uidl], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    if let Some((message, deleted_locally, downloaded_at)) = known
        && (message.is_some() || deleted_locally || downloaded_at.is_some())
    {
        return Ok(Ingest::Known);
    }
    let existing = if incoming.partial {
        None
    } else {
        find_duplicate(statements, account, prepared)?
    };
    let (message, result) = match existing {
        Some(id) => (id, Ingest::Linked(id)),
        None => {
            let id = insert_message(
                &mut statements.inserts,
                counts,
                Some(account),
                inbox,
                FolderKind::Inbox,
                prepared,
            )?;
            (id, Ingest::Stored(id))
        }
    };
    statements.record_uidl.execute(params![
        account,
        incoming.uidl,
        message,
        incoming.fetched_at,
        matches!(result, Ingest::Linked(_)),
        incoming.partial
    ])?;
    Ok(result)
}

/// Content already stored for this account: the same bytes, or the same Message-ID with the
/// same Date and size (a server migration that changed every UIDL).
fn find_duplicate(
    statements: &mut IngestStatements<'_>,
    account: AccountId,
    prepared: &Prepared,
) -> rusqlite::Result<Option<MessageId>> {
    let by_hash: Option<MessageId> = statements
        .by_hash
        .query_row(params![&prepared.sha256[..], account], |row| row.get(0))
        .optional()?;
    if by_hash.is_some() {
        return Ok(by_hash);
    }
    let Some(message_id) = &prepared.summary.message_id else {
        return Ok(None);
    };
    statements
        .by_message_id
        .query_row(
            params![
                message_id,
                account,
                prepared.summary.date,
                prepared.incoming.raw.len() as i64
            ],
            |row| row.get(0),
        )
        .optional()
}

/// Folder counts of the messages inserted in one transaction, added to `folders` once at its
/// end by [`NewMail::apply`] (schema v3 dropped the per-row insert trigger; moves, flag
/// changes and deletions still count through triggers). [`insert_message`] takes one, so no
/// insert can forget the counts.
#[derive(Debug, Default)]
struct NewMail {
    /// Per folder: messages added, of which unread.
    added: Vec<(FolderId, i64, i64)>,
}

impl NewMail {
    fn add(&mut self, folder: FolderId, unread: bool) {
        let unread = i64::from(unread);
        match self.added.iter_mut().find(|(id, _, _)| *id == folder) {
            Some((_, total, unseen)) => {
                *total += 1;
                *unseen += unread;
            }
            None => self.added.push((folder, 1, unread)),
        }
    }

    fn apply(self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        for (folder, total, unread) in self.added {
            tx.prepare_cached(
                "UPDATE folders SET total = total + ?2, unread = unread + ?3 WHERE id = ?1",
            )?
            .execute(params![folder, total, unread])?;
        }
        Ok(())
    }
}

/// The two inserts of a new message, fetched from the statement cache once per batch (see
/// [`IngestStatements`]).
struct Inserts<'tx> {
    message: CachedStatement<'tx>,
    raw: CachedStatement<'tx>,
}

impl<'tx> Inserts<'tx> {
    fn new(tx: &'tx Transaction<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            message: tx.prepare_cached(
                "INSERT INTO messages (account_id, folder_id, box, sha256, size, from_name, from_addr, to_list, cc_list, \
                 subject, date, sort_date, sender_key, subject_key, message_id, has_attachments, preview, partial, \
                 fetched_at, server, uidl, tls_version) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, coalesce(?11, ?18), ?12, ?13, ?14, ?15, ?16, ?17, \
                 ?18, ?19, ?20, ?21)",
            )?,
            raw: tx.prepare_cached("INSERT INTO message_raw (message_id, raw) VALUES (?1, ?2)")?,
        })
    }
}

fn insert_message(
    statements: &mut Inserts<'_>,
    counts: &mut NewMail,
    account: Option<AccountId>,
    folder: FolderId,
    kind: FolderKind,
    prepared: &Prepared,
) -> rusqlite::Result<MessageId> {
    let s = &prepared.summary;
    let incoming = &prepared.incoming;
    let id = statements.message.insert(params![
        account,
        folder,
        kind.code(),
        &prepared.sha256[..],
        incoming.raw.len() as i64,
        s.from_name,
        s.from_addr,
        s.to,
        s.cc,
        s.subject,
        s.date,
        sender_key(&s.from_name, &s.from_addr),
        subject_key(&s.subject),
        s.message_id,
        s.has_attachments,
        s.preview,
        incoming.partial,
        incoming.fetched_at,
        account.map(|_| incoming.server.as_str()),
        account.map(|_| incoming.uidl.as_str()),
        incoming.tls_version,
    ])?;
    // New mail is unread (`seen` defaults to 0).
    counts.add(folder, true);
    statements.raw.execute(params![id, incoming.raw])?;
    Ok(id)
}

/// Adds messages to the search index, fetching the statement from the cache once for them all
/// (see [`IngestStatements`]).
fn index_messages<'p>(
    tx: &Transaction<'_>,
    messages: impl IntoIterator<Item = (MessageId, &'p Prepared)>,
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO message_fts (rowid, sender, recipients, subject, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (id, prepared) in messages {
        let s = &prepared.summary;
        let sender = format!("{} {}", s.from_name, s.from_addr);
        let recipients = format!("{} {}", s.to, s.cc);
        insert.execute(params![
            id,
            sender,
            recipients,
            s.subject,
            prepared.index_body
        ])?;
    }
    Ok(())
}

/// The messages of a batch that were stored as new ones, with their ids.
fn stored<'p>(
    results: &'p [Ingest],
    batch: &'p [Prepared],
) -> impl Iterator<Item = (MessageId, &'p Prepared)> {
    results
        .iter()
        .zip(batch)
        .filter_map(|(result, prepared)| match result {
            Ingest::Stored(id) => Some((*id, prepared)),
            Ingest::Linked(_) | Ingest::Known => None,
        })
}

fn delete_message(tx: &Transaction<'_>, id: MessageId) -> rusqlite::Result<()> {
    // The server's copy is deleted (when the account says so) with the last local copy.
    if !folders::hand_ledger_to_copy(tx, id)? {
        tx.prepare_cached("UPDATE uidls SET deleted_locally = 1 WHERE message_id = ?1")?
            .execute([id])?;
    }
    tx.prepare_cached("DELETE FROM message_fts WHERE rowid = ?1")?
        .execute([id])?;
    tx.prepare_cached("DELETE FROM messages WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

fn location(
    tx: &Transaction<'_>,
    id: MessageId,
) -> rusqlite::Result<Option<(Option<AccountId>, FolderId, FolderKind)>> {
    tx.prepare_cached("SELECT account_id, folder_id, box FROM messages WHERE id = ?1")?
        .query_row([id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                FolderKind::from_code(row.get(2)?).unwrap_or(FolderKind::Inbox),
            ))
        })
        .optional()
}

fn collect_ids(tx: &Transaction<'_>, sql: &str, param: i64) -> rusqlite::Result<Vec<MessageId>> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([param], |row| row.get(0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountSettings;

    #[test]
    fn ingest_leaves_foreign_keys_enforced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut writer = Writer::open(&dir.path().join("store.sqlite3")).expect("open");
        let account = writer
            .add_account(
                &AccountSettings::new("A", "a@example.de", "pop.example.de", "a"),
                1,
            )
            .expect("account");
        let message = |uidl: &str| {
            super::super::prepare(Incoming {
                uidl: uidl.into(),
                raw: b"From: a@example.de\r\nSubject: hi\r\n\r\nbody\r\n".to_vec(),
                partial: false,
                fetched_at: 1,
                server: "pop.example.de".into(),
                tls_version: None,
            })
        };
        writer.ingest(account, vec![message("u1")]).expect("ingest");
        let enforced = |writer: &Writer| {
            writer
                .conn
                .db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_FKEY)
                .expect("config")
        };
        assert!(enforced(&writer));
        // Also after a batch that fails (an account whose Inbox is gone).
        let other = writer
            .add_account(
                &AccountSettings::new("B", "b@example.de", "pop.example.de", "b"),
                1,
            )
            .expect("account");
        writer
            .conn
            .execute(
                "DELETE FROM folders WHERE account_id = ?1 AND kind = 1",
                [other],
            )
            .expect("delete inbox");
        assert!(writer.ingest(other, vec![message("u2")]).is_err());
        assert!(enforced(&writer));
        let raw_rows = |writer: &Writer| -> i64 {
            writer
                .conn
                .query_row("SELECT count(*) FROM message_raw", [], |row| row.get(0))
                .expect("count")
        };
        assert_eq!(raw_rows(&writer), 1);
        let id: MessageId = writer
            .conn
            .query_row("SELECT id FROM messages", [], |row| row.get(0))
            .expect("id");
        writer.delete_forever(&[id]).expect("delete");
        assert_eq!(raw_rows(&writer), 0);
    }
}

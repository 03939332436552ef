//! The writer's ingest: a batch of downloaded (or imported) messages stored with their UIDLs
//! and search rows in one transaction, skipping what the ledger knows and linking content
//! already stored.

use rusqlite::config::DbConfig;
use rusqlite::{CachedStatement, OptionalExtension, Transaction, params};

use super::filing::{Filed, Filing};
use super::index::index_messages;
use super::threads::thread_messages;
use super::{Writer, sender_key, subject_key};
use crate::store::error::{StoreError, StoreErrorKind};
use crate::store::model::*;
use crate::store::query;

impl Writer {
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
            let filing = Filing::load(tx, account, inbox).map_err(sql_error)?;
            for prepared in &batch {
                out.push(
                    ingest_one(tx, &mut statements, &mut counts, account, &filing, prepared)
                        .map_err(sql_error)?,
                );
            }
            counts.apply(tx).map_err(sql_error)?;
            // The search rows go last: a statement that opens a savepoint makes FTS5 write out
            // what it holds, and one segment per batch is far cheaper than one per message.
            index_messages(tx, stored(&out, &batch)).map_err(sql_error)?;
            thread_messages(tx, stored(&out, &batch)).map_err(sql_error)?;
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
                            &Filed::plain(folder, FolderKind::Imported),
                            prepared,
                        )
                        .map_err(sql_error)?,
                    ),
                });
            }
            counts.apply(tx).map_err(sql_error)?;
            index_messages(tx, stored(&out, &batch)).map_err(sql_error)?;
            thread_messages(tx, stored(&out, &batch)).map_err(sql_error)?;
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
    tx: &Transaction<'_>,
    statements: &mut IngestStatements<'_>,
    counts: &mut NewMail,
    account: AccountId,
    filing: &Filing,
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
            let filed = filing.file(tx, prepared);
            let id = insert_message(
                &mut statements.inserts,
                counts,
                Some(account),
                &filed,
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
pub(super) struct NewMail {
    /// Per folder: messages added, of which unread.
    added: Vec<(FolderId, i64, i64)>,
}

impl NewMail {
    pub(super) fn add(&mut self, folder: FolderId, unread: bool) {
        let unread = i64::from(unread);
        match self.added.iter_mut().find(|(id, _, _)| *id == folder) {
            Some((_, total, unseen)) => {
                *total += 1;
                *unseen += unread;
            }
            None => self.added.push((folder, 1, unread)),
        }
    }

    pub(super) fn apply(self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
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
                 fetched_at, server, uidl, tls_version, seen, flagged, origin_folder_id, deleted_at, junk_reason) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, coalesce(?11, ?18), ?12, ?13, ?14, ?15, ?16, ?17, \
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
            )?,
            raw: tx.prepare_cached("INSERT INTO message_raw (message_id, raw) VALUES (?1, ?2)")?,
        })
    }
}

fn insert_message(
    statements: &mut Inserts<'_>,
    counts: &mut NewMail,
    account: Option<AccountId>,
    filed: &Filed,
    prepared: &Prepared,
) -> rusqlite::Result<MessageId> {
    let s = &prepared.summary;
    let incoming = &prepared.incoming;
    let id = statements.message.insert(params![
        account,
        filed.folder,
        filed.kind.code(),
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
        filed.seen,
        filed.flagged,
        filed.origin,
        filed.deleted_at,
        filed.junk_reason,
    ])?;
    counts.add(filed.folder, !filed.seen);
    statements.raw.execute(params![id, incoming.raw])?;
    Ok(id)
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

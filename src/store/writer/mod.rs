//! The write side: the one connection that changes the store, owned by the sync engine.
//!
//! Every method is one transaction: either all of it is on disk when it returns, or none of
//! it is (a full disk, a crash, a kill). A batch of downloaded messages and their UIDLs are
//! committed together, which is what lets a killed sync resume without losing or repeating
//! anything.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::checkpoint::Checkpointer;
use super::error::{StoreError, StoreErrorKind};
use super::model::*;
use super::reader::Reader;
use super::{open, query};

mod accounts;
mod filing;
mod folders;
mod index;
mod ingest;
mod keys;
mod learning;
mod rules;
mod searches;
mod threads;

pub use filing::LEARNED_PREFIX;
pub use index::Backlog;
pub use rules::RulesRun;

use index::{index_messages, unindex};
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
            unindex(tx, id).map_err(sql_error)?;
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

    /// "Mark all as read": every unread message in `folders`, in one transaction (the
    /// folders' unread counts follow through the update trigger). Returns how many changed.
    pub fn mark_folders_read(&mut self, folders: &[FolderId]) -> Result<u64, StoreError> {
        self.transaction(|tx, path| {
            let mut stmt = tx
                .prepare_cached("UPDATE messages SET seen = 1 WHERE folder_id = ?1 AND seen = 0")
                .map_err(|err| StoreError::from_sqlite(path, &err))?;
            let mut changed = 0;
            for folder in folders {
                changed += stmt
                    .execute([folder])
                    .map_err(|err| StoreError::from_sqlite(path, &err))?
                    as u64;
            }
            Ok(changed)
        })
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
}

impl Writer {
    /// "Empty Trash": deletes every message in a Trash folder for good, as
    /// [`Writer::delete_forever`] does (the server's copy goes too where the account says
    /// so). Refuses any folder that is not a Trash. Returns how many were deleted.
    pub fn empty_trash(&mut self, folder: FolderId) -> Result<u64, StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let kind: Option<i64> = tx
                .query_row("SELECT kind FROM folders WHERE id = ?1", [folder], |row| {
                    row.get(0)
                })
                .optional()
                .map_err(sql_error)?;
            if kind != Some(FolderKind::Trash.code()) {
                return Err(StoreError::new(
                    StoreErrorKind::Invalid,
                    path,
                    "only a Trash folder can be emptied",
                ));
            }
            let ids: Vec<MessageId> = tx
                .prepare_cached("SELECT id FROM messages WHERE folder_id = ?1")
                .and_then(|mut stmt| {
                    stmt.query_map([folder], |row| row.get(0))?
                        .collect::<rusqlite::Result<_>>()
                })
                .map_err(sql_error)?;
            for &id in &ids {
                delete_message(tx, id).map_err(sql_error)?;
            }
            Ok(ids.len() as u64)
        })
    }
}

fn delete_message(tx: &Transaction<'_>, id: MessageId) -> rusqlite::Result<()> {
    // The server's copy is deleted (when the account says so) with the last local copy.
    if !folders::hand_ledger_to_copy(tx, id)? {
        tx.prepare_cached("UPDATE uidls SET deleted_locally = 1 WHERE message_id = ?1")?
            .execute([id])?;
    }
    unindex(tx, id)?;
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
                .db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_FKEY)
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

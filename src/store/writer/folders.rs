//! The writer's folder methods: the user's own folders (create, rename, move, delete), and
//! moving and copying mail between folders.
//!
//! Where a message is filed never touches its UIDL ledger row: the row points at the message
//! by id, so "delete on the server when deleted here" follows it into any folder. A copy is a
//! new local message with the same provenance but no ledger row of its own; the ledger moves
//! to a surviving copy when the one it points at is deleted for good, so the server's copy is
//! deleted (if the account says so) only once the last local copy is gone.

use std::path::Path;

use rusqlite::{OptionalExtension, Transaction, params};

use super::Writer;
use super::index::index_messages;
use super::ingest::NewMail;
use crate::store::error::{StoreError, StoreErrorKind};
use crate::store::model::*;
use crate::store::query;

/// How deep folders nest: a top-level folder (or an Inbox) is level 1.
pub(crate) const MAX_FOLDER_DEPTH: i64 = 4;

/// Messages changed per statement when moving or copying many: one transaction still holds
/// them all, so a move is all or nothing.
const CHUNK: usize = 500;

/// What the folder methods need to know about a folder.
struct Place {
    account: Option<AccountId>,
    kind: FolderKind,
    name: String,
}

fn invalid(path: &Path, detail: impl Into<String>) -> StoreError {
    StoreError::new(StoreErrorKind::Invalid, path, detail)
}

fn place(tx: &Transaction<'_>, folder: FolderId) -> rusqlite::Result<Option<Place>> {
    tx.prepare_cached("SELECT account_id, kind, name FROM folders WHERE id = ?1")?
        .query_row([folder], |row| {
            Ok(Place {
                account: row.get(0)?,
                kind: FolderKind::from_code(row.get(1)?).unwrap_or(FolderKind::User),
                name: row.get(2)?,
            })
        })
        .optional()
}

fn require_place(tx: &Transaction<'_>, path: &Path, folder: FolderId) -> Result<Place, StoreError> {
    place(tx, folder)
        .map_err(|err| StoreError::from_sqlite(path, &err))?
        .ok_or_else(|| invalid(path, format!("there is no folder {folder}")))
}

fn require_user_folder(
    tx: &Transaction<'_>,
    path: &Path,
    folder: FolderId,
) -> Result<Place, StoreError> {
    let place = require_place(tx, path, folder)?;
    if place.kind != FolderKind::User {
        return Err(invalid(
            path,
            format!(
                "{:?} is not one of your own folders and stays as it is",
                place.name
            ),
        ));
    }
    Ok(place)
}

/// The level a folder is at (1 at the top), following its parents.
fn depth(tx: &Transaction<'_>, folder: FolderId) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "WITH RECURSIVE up(id, parent, level) AS ( \
           SELECT id, parent_id, 1 FROM folders WHERE id = ?1 \
           UNION ALL SELECT f.id, f.parent_id, up.level + 1 FROM folders f JOIN up ON f.id = up.parent \
           WHERE up.level < 64) \
         SELECT coalesce(max(level), 0) FROM up",
    )?
    .query_row([folder], |row| row.get(0))
}

/// A folder and all its subfolders, with their levels below it (the folder itself is 1).
fn subtree(
    conn: &rusqlite::Connection,
    folder: FolderId,
) -> rusqlite::Result<Vec<(FolderId, i64)>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE sub(id, level) AS ( \
           SELECT id, 1 FROM folders WHERE id = ?1 \
           UNION ALL SELECT f.id, sub.level + 1 FROM folders f JOIN sub ON f.parent_id = sub.id \
           WHERE sub.level < 64) \
         SELECT id, level FROM sub",
    )?;
    let rows = stmt.query_map([folder], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// Refuses a parent that cannot hold user folders of this account.
fn check_parent(
    tx: &Transaction<'_>,
    path: &Path,
    account: Option<AccountId>,
    parent: FolderId,
) -> Result<(), StoreError> {
    let place = require_place(tx, path, parent)?;
    if place.account != account {
        return Err(invalid(
            path,
            format!(
                "the folder {:?} belongs to another account; a folder stays under its own",
                place.name
            ),
        ));
    }
    if !matches!(
        place.kind,
        FolderKind::User | FolderKind::Inbox | FolderKind::Imported
    ) {
        return Err(invalid(
            path,
            format!("folders cannot be made inside {:?}", place.name),
        ));
    }
    Ok(())
}

/// Refuses an empty name or one a sibling already has (ignoring case).
fn check_name(
    tx: &Transaction<'_>,
    path: &Path,
    account: Option<AccountId>,
    parent: Option<FolderId>,
    name: &str,
    except: Option<FolderId>,
) -> Result<String, StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid(path, "a folder needs a name"));
    }
    let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
    let mut stmt = tx
        .prepare_cached(
            "SELECT id, name FROM folders WHERE kind = 4 AND account_id IS ?1 AND parent_id IS ?2",
        )
        .map_err(sql_error)?;
    let siblings = stmt
        .query_map(params![account, parent], |row| {
            Ok((row.get::<_, FolderId>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(sql_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_error)?;
    let folded = name.to_lowercase();
    if let Some((_, taken)) = siblings
        .iter()
        .find(|(id, other)| Some(*id) != except && other.to_lowercase() == folded)
    {
        return Err(invalid(
            path,
            format!("there is already a folder named {taken:?} here"),
        ));
    }
    Ok(name.to_owned())
}

impl Writer {
    // ----- the user's own folders ---------------------------------------------------------

    /// Makes a folder under an account (or under Local with `None`), at the top or inside
    /// `parent` (a folder of the same account: one of the user's, or its Inbox). Names are
    /// unique among siblings, ignoring case; folders nest at most [`MAX_FOLDER_DEPTH`] deep.
    pub fn create_folder(
        &mut self,
        account: Option<AccountId>,
        parent: Option<FolderId>,
        name: &str,
    ) -> Result<FolderId, StoreError> {
        if let Some(account) = account {
            self.require_account(account)?;
        }
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            if let Some(parent) = parent {
                check_parent(tx, path, account, parent)?;
                if depth(tx, parent).map_err(sql_error)? + 1 > MAX_FOLDER_DEPTH {
                    return Err(invalid(
                        path,
                        format!("folders nest at most {MAX_FOLDER_DEPTH} levels deep"),
                    ));
                }
            }
            let name = check_name(tx, path, account, parent, name, None)?;
            tx.execute(
                "INSERT INTO folders (account_id, kind, name, parent_id) VALUES (?1, 4, ?2, ?3)",
                params![account, name, parent],
            )
            .map_err(sql_error)?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Renames one of the user's folders.
    pub fn rename_folder(&mut self, folder: FolderId, name: &str) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            let place = require_user_folder(tx, path, folder)?;
            let parent: Option<FolderId> = tx
                .query_row(
                    "SELECT parent_id FROM folders WHERE id = ?1",
                    [folder],
                    |row| row.get(0),
                )
                .map_err(|err| StoreError::from_sqlite(path, &err))?;
            let name = check_name(tx, path, place.account, parent, name, Some(folder))?;
            tx.execute(
                "UPDATE folders SET name = ?2 WHERE id = ?1",
                params![folder, name],
            )
            .map_err(|err| StoreError::from_sqlite(path, &err))?;
            Ok(())
        })
    }

    /// Moves one of the user's folders, with its subfolders, inside another folder of the
    /// same account (or to the top with `None`). Never inside itself or its own subfolders.
    pub fn move_folder(
        &mut self,
        folder: FolderId,
        new_parent: Option<FolderId>,
    ) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let place = require_user_folder(tx, path, folder)?;
            let tree = subtree(tx, folder).map_err(sql_error)?;
            let height = tree.iter().map(|(_, level)| *level).max().unwrap_or(1);
            let mut top = 0;
            if let Some(parent) = new_parent {
                check_parent(tx, path, place.account, parent)?;
                if tree.iter().any(|(id, _)| *id == parent) {
                    return Err(invalid(
                        path,
                        format!(
                            "{:?} cannot go inside itself or one of its own subfolders",
                            place.name
                        ),
                    ));
                }
                top = depth(tx, parent).map_err(sql_error)?;
            }
            if top + height > MAX_FOLDER_DEPTH {
                return Err(invalid(
                    path,
                    format!("folders nest at most {MAX_FOLDER_DEPTH} levels deep"),
                ));
            }
            check_name(
                tx,
                path,
                place.account,
                new_parent,
                &place.name,
                Some(folder),
            )?;
            tx.execute(
                "UPDATE folders SET parent_id = ?2 WHERE id = ?1",
                params![folder, new_parent],
            )
            .map_err(sql_error)?;
            Ok(())
        })
    }

    /// Deletes one of the user's folders and its subfolders. Their messages go to the Trash
    /// of the folder's account (a local folder's: the local Trash), restorable to the Inbox
    /// (or Imported) since their folder is gone. Returns how many messages went to Trash
    /// (the reader's `folder_message_count` tells the confirmation beforehand).
    pub fn delete_folder(&mut self, folder: FolderId, now: i64) -> Result<u64, StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let place = require_user_folder(tx, path, folder)?;
            let trash = query::folder_of(tx, place.account, FolderKind::Trash)
                .map_err(sql_error)?
                .ok_or_else(|| {
                    StoreError::new(StoreErrorKind::Corrupt, path, "a Trash folder is missing")
                })?;
            let ids: Vec<FolderId> = subtree(tx, folder)
                .map_err(sql_error)?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let json = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
            let moved = tx
                .execute(
                    "UPDATE messages SET folder_id = ?2, box = ?3, origin_folder_id = NULL, deleted_at = ?4 \
                     WHERE folder_id IN (SELECT value FROM json_each(?1))",
                    params![json, trash, FolderKind::Trash.code(), now],
                )
                .map_err(sql_error)?;
            super::rules::disable_rules_into(tx, &ids).map_err(sql_error)?;
            // Mail trashed earlier from these folders is restored to the Inbox instead.
            tx.execute(
                "UPDATE messages SET origin_folder_id = NULL \
                 WHERE origin_folder_id IN (SELECT value FROM json_each(?1))",
                [&json],
            )
            .map_err(sql_error)?;
            tx.execute(
                "DELETE FROM folders WHERE id IN (SELECT value FROM json_each(?1))",
                [&json],
            )
            .map_err(sql_error)?;
            Ok(moved as u64)
        })
    }

    // ----- moving and copying mail ------------------------------------------------------------

    /// Moves messages into a folder (any account's, or a local one), in one transaction.
    /// Their UIDL ledger rows are untouched, so the server policies follow them. Moving into a
    /// Trash is [`Writer::move_to_trash`]'s work (it remembers where each came from) and is
    /// refused here; moving out of a Trash forgets it. Returns how many moved (messages
    /// already there and unknown ids are skipped).
    pub fn move_messages(&mut self, ids: &[MessageId], to: FolderId) -> Result<u64, StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let target = require_place(tx, path, to)?;
            if target.kind == FolderKind::Trash {
                return Err(invalid(
                    path,
                    "mail goes to Trash by moving it to Trash, which remembers where it came from",
                ));
            }
            let mut stmt = tx
                .prepare_cached(
                    "UPDATE messages SET folder_id = ?2, box = ?3, origin_folder_id = NULL, deleted_at = NULL \
                     WHERE id IN (SELECT value FROM json_each(?1)) AND folder_id != ?2",
                )
                .map_err(sql_error)?;
            let mut moved = 0;
            for chunk in ids.chunks(CHUNK) {
                let json = serde_json::to_string(chunk).unwrap_or_else(|_| "[]".into());
                moved += stmt
                    .execute(params![json, to, target.kind.code()])
                    .map_err(sql_error)?;
            }
            Ok(moved as u64)
        })
    }

    /// Copies messages into a folder, in one transaction: new messages with the same bytes,
    /// flags and provenance, and no UIDL ledger row of their own (see the module
    /// documentation for what deleting copies does on the server). A message stored only in
    /// part cannot be copied: its rest is still on the server, for that one message. Moving
    /// into a Trash is refused as in [`Writer::move_messages`]. Returns the new ids.
    pub fn copy_messages(
        &mut self,
        ids: &[MessageId],
        to: FolderId,
    ) -> Result<Vec<MessageId>, StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let target = require_place(tx, path, to)?;
            if target.kind == FolderKind::Trash {
                return Err(invalid(path, "mail cannot be copied into Trash"));
            }
            let mut out = Vec::with_capacity(ids.len());
            let mut counts = NewMail::default();
            for chunk in ids.chunks(CHUNK) {
                let mut indexed = Vec::with_capacity(chunk.len());
                for &id in chunk {
                    let Some((seen, partial, raw)) = tx
                        .prepare_cached(
                            "SELECT m.seen, m.partial, r.raw FROM messages m \
                             JOIN message_raw r ON r.message_id = m.id WHERE m.id = ?1",
                        )
                        .map_err(sql_error)?
                        .query_row([id], |row| {
                            Ok((
                                row.get::<_, bool>(0)?,
                                row.get::<_, bool>(1)?,
                                row.get::<_, Vec<u8>>(2)?,
                            ))
                        })
                        .optional()
                        .map_err(sql_error)?
                    else {
                        continue;
                    };
                    if partial {
                        return Err(invalid(
                            path,
                            format!(
                                "message {id} is only partly downloaded and cannot be copied; \
                                 download it whole or move it instead"
                            ),
                        ));
                    }
                    let copy = copy_row(tx, id, to, target.kind).map_err(sql_error)?;
                    counts.add(to, !seen);
                    indexed.push((copy, raw));
                    out.push(copy);
                }
                // The index keeps no text to copy: the copy's words come from its bytes.
                let prepared: Vec<(MessageId, Prepared)> = indexed
                    .into_iter()
                    .map(|(copy, raw)| (copy, prepare_stored(raw)))
                    .collect();
                index_messages(tx, prepared.iter().map(|(id, p)| (*id, p))).map_err(sql_error)?;
            }
            counts.apply(tx).map_err(sql_error)?;
            Ok(out)
        })
    }
}

/// Inserts a copy of message `id` into `folder` with its raw bytes; returns the copy's id.
fn copy_row(
    tx: &Transaction<'_>,
    id: MessageId,
    folder: FolderId,
    kind: FolderKind,
) -> rusqlite::Result<MessageId> {
    tx.prepare_cached(
        "INSERT INTO messages (account_id, folder_id, box, sha256, size, from_name, from_addr, to_list, \
         cc_list, subject, date, sort_date, sender_key, subject_key, message_id, has_attachments, preview, \
         seen, flagged, partial, fetched_at, server, uidl, tls_version, thread_id) \
         SELECT account_id, ?2, ?3, sha256, size, from_name, from_addr, to_list, cc_list, subject, date, \
         sort_date, sender_key, subject_key, message_id, has_attachments, preview, seen, flagged, partial, \
         fetched_at, server, uidl, tls_version, thread_id FROM messages WHERE id = ?1",
    )?
    .execute(params![id, folder, kind.code()])?;
    let copy = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO message_raw (message_id, raw) SELECT ?2, raw FROM message_raw WHERE message_id = ?1",
    )?
    .execute(params![id, copy])?;
    Ok(copy)
}

/// Before message `id` is deleted for good: when another copy of it is still here (same
/// account, UIDL and bytes), its ledger rows move to that copy and it returns true, so the
/// server keeps the message until the last copy is deleted.
pub(super) fn hand_ledger_to_copy(tx: &Transaction<'_>, id: MessageId) -> rusqlite::Result<bool> {
    let other: Option<MessageId> = tx
        .prepare_cached(
            "SELECT c.id FROM messages m JOIN messages c ON c.sha256 = m.sha256 \
             AND c.account_id = m.account_id AND c.uidl = m.uidl AND c.id != m.id \
             WHERE m.id = ?1 LIMIT 1",
        )?
        .query_row([id], |row| row.get(0))
        .optional()?;
    let Some(other) = other else {
        return Ok(false);
    };
    tx.prepare_cached("UPDATE uidls SET message_id = ?2 WHERE message_id = ?1")?
        .execute(params![id, other])?;
    Ok(true)
}

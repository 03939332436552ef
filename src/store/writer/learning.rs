//! The learning junk filter in the store: its counts (`junk_tokens`, `junk_totals`), trained
//! only by the user's own marks ("Mark as junk", "Not junk"), and read by filing on arrival.
//!
//! A message's mark is kept with it (`messages.junk_mark`), so marking it again changes
//! nothing and changing one's mind untrains the old mark before training the new one.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Writer;
use crate::junk::{Counts, MessageTotals, TokenCounts, tokens};
use crate::store::error::{StoreError, StoreErrorKind};
use crate::store::model::*;
use crate::store::query;

/// The filter's counts, read through the transaction that files or trains.
pub(super) struct StoreCounts<'tx, 'conn> {
    pub tx: &'tx Transaction<'conn>,
}

impl Counts for StoreCounts<'_, '_> {
    type Error = rusqlite::Error;

    fn totals(&self) -> rusqlite::Result<MessageTotals> {
        self.tx
            .prepare_cached("SELECT junk, ham FROM junk_totals WHERE id = 1")?
            .query_row([], |row| {
                Ok(MessageTotals {
                    junk_messages: row.get::<_, i64>(0)?.max(0) as u64,
                    ham_messages: row.get::<_, i64>(1)?.max(0) as u64,
                })
            })
            .optional()
            .map(Option::unwrap_or_default)
    }

    fn token(&self, token: &str) -> rusqlite::Result<TokenCounts> {
        self.tx
            .prepare_cached("SELECT junk, ham FROM junk_tokens WHERE token = ?1")?
            .query_row([token], |row| {
                Ok(TokenCounts {
                    junk: row.get::<_, i64>(0)?.max(0) as u64,
                    ham: row.get::<_, i64>(1)?.max(0) as u64,
                })
            })
            .optional()
            .map(Option::unwrap_or_default)
    }
}

/// The filter's tokens of a stored message, from its bytes (the index keeps no text).
pub(super) fn message_tokens(raw: Vec<u8>) -> Vec<String> {
    let prepared = prepare_stored(raw);
    let s = &prepared.summary;
    tokens(&s.subject, &s.from_addr, &prepared.index_body)
}

/// Adds (`sign` 1) or takes away (-1) one message's tokens as junk or as good mail.
fn train(tx: &Transaction<'_>, words: &[String], junk: bool, sign: i64) -> rusqlite::Result<()> {
    let (dj, dh) = if junk { (sign, 0) } else { (0, sign) };
    let mut stmt = tx.prepare_cached(
        "INSERT INTO junk_tokens (token, junk, ham) VALUES (?1, max(?2, 0), max(?3, 0)) \
         ON CONFLICT (token) DO UPDATE SET junk = max(junk + ?2, 0), ham = max(ham + ?3, 0)",
    )?;
    for word in words {
        stmt.execute(params![word, dj, dh])?;
    }
    tx.prepare_cached(
        "UPDATE junk_totals SET junk = max(junk + ?1, 0), ham = max(ham + ?2, 0) WHERE id = 1",
    )?
    .execute(params![dj, dh])?;
    // Words no mark holds any more go, so the table only ever holds what marks hold.
    if sign < 0 {
        tx.prepare_cached("DELETE FROM junk_tokens WHERE junk = 0 AND ham = 0")?
            .execute([])?;
    }
    Ok(())
}

impl Writer {
    /// "Mark as junk" (`junk` true) or "Not junk" (false): trains the filter on each message
    /// (once per mark; a changed mind untrains the old one) and moves it: junk to its
    /// account's Junk, good mail out of Junk to its account's Inbox. Junk is only ever moved,
    /// never deleted. Returns how many moved.
    pub fn mark_junk(&mut self, ids: &[MessageId], junk: bool) -> Result<u64, StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let mut moved = 0;
            for &id in ids {
                let Some((account, kind, mark)) = tx
                    .prepare_cached("SELECT account_id, box, junk_mark FROM messages WHERE id = ?1")
                    .and_then(|mut stmt| {
                        stmt.query_row([id], |row| {
                            Ok((
                                row.get::<_, Option<AccountId>>(0)?,
                                row.get::<_, i64>(1)?,
                                row.get::<_, Option<bool>>(2)?,
                            ))
                        })
                        .optional()
                    })
                    .map_err(sql_error)?
                else {
                    continue;
                };
                if mark != Some(junk) {
                    let raw: Vec<u8> = tx
                        .prepare_cached("SELECT raw FROM message_raw WHERE message_id = ?1")
                        .and_then(|mut stmt| stmt.query_row([id], |row| row.get(0)))
                        .map_err(sql_error)?;
                    let words = message_tokens(raw);
                    if let Some(old) = mark {
                        train(tx, &words, old, -1).map_err(sql_error)?;
                    }
                    train(tx, &words, junk, 1).map_err(sql_error)?;
                    tx.prepare_cached("UPDATE messages SET junk_mark = ?2 WHERE id = ?1")
                        .and_then(|mut stmt| stmt.execute(params![id, junk]))
                        .map_err(sql_error)?;
                }
                let in_junk = FolderKind::from_code(kind) == Some(FolderKind::Junk);
                let target = match (junk, in_junk) {
                    (true, false) => query::folder_of(tx, account, FolderKind::Junk)
                        .map_err(sql_error)?
                        .map(|f| (f, FolderKind::Junk)),
                    (false, true) => Some((
                        query::folder_of(tx, account, FolderKind::Inbox)
                            .map_err(sql_error)?
                            .ok_or_else(|| {
                                StoreError::new(
                                    StoreErrorKind::Corrupt,
                                    path,
                                    "the account has no Inbox",
                                )
                            })?,
                        FolderKind::Inbox,
                    )),
                    _ => None,
                };
                if let Some((folder, kind)) = target {
                    tx.prepare_cached(
                        "UPDATE messages SET folder_id = ?2, box = ?3, origin_folder_id = NULL, \
                         deleted_at = NULL, junk_reason = NULL WHERE id = ?1",
                    )
                    .and_then(|mut stmt| stmt.execute(params![id, folder, kind.code()]))
                    .map_err(sql_error)?;
                    moved += 1;
                }
            }
            Ok(moved)
        })
    }
}

//! The search index: adding a message's words, taking them out, and moving the mail of a
//! store older than schema v7 from the old index (`message_fts`, words only) to the one that
//! knows positions (`message_text`), a slice at a time while the writer is idle.

use std::time::{Duration, Instant};

use rusqlite::{Transaction, params};

use super::Writer;
use super::{StoreError, query};
use crate::store::model::{MessageId, Prepared, prepare_stored};

/// How long one slice of re-indexing may hold the writer: short enough that a download
/// waiting behind it is not slowed, long enough that the window (which re-reads the list
/// after every commit) is not kept busy re-reading.
const REINDEX_SLICE: Duration = Duration::from_millis(150);

/// Messages read from the store at a time while re-indexing.
const REINDEX_BATCH: i64 = 64;

/// Adds messages to the search index (fetching the statements from the cache once for them
/// all). A message of a store still being re-indexed whose id lies below the line goes to
/// the old index, where the re-indexing will find it.
pub(in crate::store) fn index_messages<'p>(
    tx: &Transaction<'_>,
    messages: impl IntoIterator<Item = (MessageId, &'p Prepared)>,
) -> rusqlite::Result<()> {
    let below = query::reindex_below(tx)?;
    let mut full = tx.prepare_cached(
        "INSERT INTO message_text (rowid, sender, recipients, subject, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (id, prepared) in messages {
        let s = &prepared.summary;
        let sender = format!("{} {}", s.from_name, s.from_addr);
        let recipients = format!("{} {}", s.to, s.cc);
        if id < below {
            tx.prepare_cached(
                "INSERT INTO message_fts (rowid, sender, recipients, subject, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, sender, recipients, s.subject, prepared.index_body])?;
        } else {
            full.execute(params![id, sender, recipients, s.subject, s.body_text])?;
        }
    }
    Ok(())
}

/// Takes a message out of the search index, whichever index holds it.
pub(in crate::store) fn unindex(tx: &Transaction<'_>, id: MessageId) -> rusqlite::Result<()> {
    if id < query::reindex_below(tx)? {
        tx.prepare_cached("DELETE FROM message_fts WHERE rowid = ?1")?
            .execute([id])?;
    } else {
        tx.prepare_cached("DELETE FROM message_text WHERE rowid = ?1")?
            .execute([id])?;
    }
    Ok(())
}

/// Where a backlog (re-indexing, or finding the threads of older mail) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    /// Messages done by this call.
    pub moved: u64,
    /// True when no message is left waiting.
    pub done: bool,
}

/// What one slice of a backlog walk did.
pub(super) struct Walked {
    /// Messages done.
    pub moved: u64,
    /// The new line: messages below it still wait (0: none do).
    pub below: MessageId,
}

/// Walks the messages below `below`, newest first, for about [`REINDEX_SLICE`] (or `limit`
/// messages, if fewer): `sql` (taking the line and a batch size) reads a batch, `read` takes
/// each row apart (the message id first), `each` does the work. The line drops to 0 once no
/// message lies below it.
pub(super) fn walk_backlog<T>(
    tx: &Transaction<'_>,
    mut below: MessageId,
    limit: u64,
    sql: &str,
    read: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<(MessageId, T)>,
    mut each: impl FnMut(&Transaction<'_>, MessageId, T) -> rusqlite::Result<()>,
) -> rusqlite::Result<Walked> {
    let started = Instant::now();
    let mut moved = 0u64;
    while below > 0 && moved < limit && started.elapsed() < REINDEX_SLICE {
        let take = REINDEX_BATCH.min(i64::try_from(limit - moved).unwrap_or(i64::MAX));
        let batch: Vec<(MessageId, T)> = tx
            .prepare_cached(sql)?
            .query_map(params![below, take], &read)?
            .collect::<rusqlite::Result<_>>()?;
        let Some(lowest) = batch.last().map(|(id, _)| *id) else {
            below = 0;
            break;
        };
        for (id, item) in batch {
            each(tx, id, item)?;
            moved += 1;
        }
        below = lowest;
    }
    if below > 0
        && !tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM messages WHERE id < ?1)")?
            .query_row([below], |row| row.get::<_, bool>(0))?
    {
        below = 0;
    }
    Ok(Walked { moved, below })
}

impl Writer {
    /// True while messages of an older store wait to be re-indexed.
    pub fn reindex_pending(&self) -> Result<bool, StoreError> {
        query::reindex_below(&self.conn)
            .map(|below| below > 0)
            .map_err(|err| self.sql_error(err))
    }

    /// Moves the newest messages still in the old index to the new one, for about
    /// [`REINDEX_SLICE`] (or `limit` messages, if fewer), in one transaction. When none are
    /// left, empties the old index.
    pub fn reindex_search(&mut self, limit: u64) -> Result<Backlog, StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let below = query::reindex_below(tx).map_err(sql_error)?;
            let walked = walk_backlog(
                tx,
                below,
                limit,
                "SELECT m.id, coalesce(r.raw, x'') FROM messages m \
                 LEFT JOIN message_raw r ON r.message_id = m.id \
                 WHERE m.id < ?1 ORDER BY m.id DESC LIMIT ?2",
                |row| Ok((row.get(0)?, row.get::<_, Vec<u8>>(1)?)),
                |tx, id, raw| {
                    tx.prepare_cached("DELETE FROM message_fts WHERE rowid = ?1")?
                        .execute([id])?;
                    let prepared = prepare_stored(raw);
                    let s = &prepared.summary;
                    tx.prepare_cached(
                        "INSERT INTO message_text (rowid, sender, recipients, subject, body) \
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![
                        id,
                        format!("{} {}", s.from_name, s.from_addr),
                        format!("{} {}", s.to, s.cc),
                        s.subject,
                        s.body_text
                    ])?;
                    Ok(())
                },
            )
            .map_err(sql_error)?;
            if below > 0 && walked.below == 0 {
                tx.execute_batch("INSERT INTO message_fts (message_fts) VALUES ('delete-all');")
                    .map_err(sql_error)?;
            }
            tx.execute("UPDATE search_reindex SET below = ?1", [walked.below])
                .map_err(sql_error)?;
            Ok(Backlog {
                moved: walked.moved,
                done: walked.below == 0,
            })
        })
    }
}

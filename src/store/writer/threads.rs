//! Conversations: which thread a message joins as it is stored, and the threads of mail
//! stored before schema v8, found a slice at a time while the writer is idle.
//!
//! A message joins the thread of any Message-ID it names: its own (a reply that came first
//! named it) and those it answers (References, In-Reply-To). Naming two threads joins them
//! into the older. Mail that answers nothing is linked by subject instead: a reply-prefixed
//! subject ("Re: Budget") joins the newest conversation that began with "Budget"; an
//! unprefixed one starts a new conversation unless only replies have used the subject so
//! far. Two unrelated mails both called "Hello" stay apart.

use rusqlite::{OptionalExtension, Transaction, params};

use super::index::{Backlog, walk_backlog};
use super::{StoreError, Writer, subject_key};
use crate::store::model::{MessageId, Prepared, ThreadId};

/// Links message `id` into its conversation; returns the thread it is in.
pub(in crate::store) fn thread_message(
    tx: &Transaction<'_>,
    id: MessageId,
    message_id: Option<&str>,
    subject: &str,
    parents: &[String],
) -> rusqlite::Result<ThreadId> {
    let keys: Vec<String> = message_id
        .into_iter()
        .chain(parents.iter().map(String::as_str))
        .map(|id| format!("<{id}>"))
        .collect();
    let mut found: Vec<ThreadId> = Vec::new();
    let mut statement =
        tx.prepare_cached("SELECT thread, rooted FROM thread_keys WHERE key = ?1")?;
    // A key's thread, and whether an unprefixed message used it (subject keys).
    let mut lookup = |key: &str| -> rusqlite::Result<Option<(ThreadId, bool)>> {
        statement
            .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()
    };
    for key in &keys {
        if let Some((thread, _)) = lookup(key)?
            && !found.contains(&thread)
        {
            found.push(thread);
        }
    }
    // By subject, only for mail that answers nothing.
    let by_subject = if parents.is_empty() {
        let base = subject_key(subject);
        let prefixed = base != subject.trim().to_lowercase();
        (!base.is_empty()).then(|| (format!("s:{base}"), prefixed))
    } else {
        None
    };
    if let Some((key, prefixed)) = &by_subject
        && let Some((thread, rooted)) = lookup(key)?
        && (*prefixed || !rooted)
        && !found.contains(&thread)
    {
        found.push(thread);
    }
    let thread = match found.iter().min() {
        Some(&oldest) => oldest,
        None => tx
            .prepare_cached("UPDATE thread_next SET next = next + 1 RETURNING next - 1")?
            .query_row([], |row| row.get(0))?,
    };
    for &other in found.iter().filter(|&&other| other != thread) {
        tx.prepare_cached("UPDATE messages SET thread_id = ?1 WHERE thread_id = ?2")?
            .execute(params![thread, other])?;
        tx.prepare_cached("UPDATE thread_keys SET thread = ?1 WHERE thread = ?2")?
            .execute(params![thread, other])?;
    }
    let mut remember = tx.prepare_cached(
        "INSERT INTO thread_keys (key, thread) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET thread = excluded.thread",
    )?;
    for key in &keys {
        remember.execute(params![key, thread])?;
    }
    match &by_subject {
        // The newest conversation begun under a subject is the one its replies join.
        Some((key, false)) => {
            tx.prepare_cached(
                "INSERT INTO thread_keys (key, thread, rooted) VALUES (?1, ?2, 1) \
                 ON CONFLICT (key) DO UPDATE SET thread = excluded.thread, rooted = 1",
            )?
            .execute(params![key, thread])?;
        }
        Some((key, true)) => {
            tx.prepare_cached(
                "INSERT INTO thread_keys (key, thread, rooted) VALUES (?1, ?2, 0) \
                 ON CONFLICT (key) DO NOTHING",
            )?
            .execute(params![key, thread])?;
        }
        None => {}
    }
    tx.prepare_cached("UPDATE messages SET thread_id = ?2 WHERE id = ?1")?
        .execute(params![id, thread])?;
    Ok(thread)
}

/// Links newly stored messages into their conversations, in the order given.
pub(in crate::store) fn thread_messages<'p>(
    tx: &Transaction<'_>,
    messages: impl IntoIterator<Item = (MessageId, &'p Prepared)>,
) -> rusqlite::Result<()> {
    for (id, prepared) in messages {
        let s = &prepared.summary;
        thread_message(
            tx,
            id,
            s.message_id.as_deref(),
            &s.subject,
            &prepared.parents,
        )?;
    }
    Ok(())
}

/// The id under which messages still have no thread (0: none are waiting).
fn backfill_below(tx: &rusqlite::Connection) -> rusqlite::Result<MessageId> {
    tx.prepare_cached("SELECT below FROM thread_backfill")?
        .query_row([], |row| row.get(0))
}

impl Writer {
    /// True while mail stored before conversations existed waits for its threads.
    pub fn threads_pending(&self) -> Result<bool, StoreError> {
        backfill_below(&self.conn)
            .map(|below| below > 0)
            .map_err(|err| self.sql_error(err))
    }

    /// Links the newest messages still without a thread into their conversations, for a
    /// slice of the writer's time (or `limit` messages, if fewer), in one transaction.
    pub fn thread_backlog(&mut self, limit: u64) -> Result<Backlog, StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let below = backfill_below(tx).map_err(sql_error)?;
            let walked = walk_backlog(
                tx,
                below,
                limit,
                "SELECT m.id, coalesce(r.raw, x''), m.message_id, m.subject FROM messages m \
                 LEFT JOIN message_raw r ON r.message_id = m.id \
                 WHERE m.id < ?1 ORDER BY m.id DESC LIMIT ?2",
                |row| {
                    let raw: Vec<u8> = row.get(1)?;
                    let message_id: Option<String> = row.get(2)?;
                    let subject: String = row.get(3)?;
                    Ok((row.get(0)?, (raw, message_id, subject)))
                },
                |tx, id, (raw, message_id, subject)| {
                    let parents = crate::mail::threading::thread_parents(&raw);
                    thread_message(tx, id, message_id.as_deref(), &subject, &parents)?;
                    Ok(())
                },
            )
            .map_err(sql_error)?;
            tx.execute("UPDATE thread_backfill SET below = ?1", [walked.below])
                .map_err(sql_error)?;
            Ok(Backlog {
                moved: walked.moved,
                done: walked.below == 0,
            })
        })
    }
}

//! Read queries shared by the reader and the writer.

use std::collections::HashMap;
use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::model::*;
use crate::account::{
    AccountSettings, FirstSync, OAuthSettings, PasswordSource, ServerPolicy, names,
};

pub(super) const ROW_COLUMNS: &str = "id, account_id, folder_id, from_name, from_addr, subject, date, \
     sort_date, size, seen, flagged, has_attachments, partial, preview, coalesce(thread_id, -id)";

pub(super) fn message_row(row: &Row<'_>) -> rusqlite::Result<MessageRow> {
    Ok(MessageRow {
        id: row.get(0)?,
        account_id: row.get(1)?,
        folder_id: row.get(2)?,
        from_name: row.get(3)?,
        from_addr: row.get(4)?,
        subject: row.get(5)?,
        date: row.get(6)?,
        sort_date: row.get(7)?,
        size: row.get::<_, i64>(8)? as u64,
        seen: row.get(9)?,
        flagged: row.get(10)?,
        has_attachments: row.get(11)?,
        partial: row.get(12)?,
        preview: row.get(13)?,
        thread: row.get(14)?,
    })
}

pub(super) fn sort_column(key: SortKey) -> &'static str {
    match key {
        SortKey::Date => "sort_date",
        SortKey::Sender => "sender_key",
        SortKey::Subject => "subject_key",
        SortKey::Size => "size",
    }
}

/// The kinds of folder a saved search looks in (all but Trash and Junk), as SQL.
pub(super) const SAVED_BOXES: &str = "(1, 3, 4)";

fn view_filter(view: ListView) -> (String, i64) {
    match view {
        ListView::AllInboxes => ("box = ?1".into(), FolderKind::Inbox.code()),
        ListView::Folder(folder) => ("folder_id = ?1".into(), folder),
        // (The parameter is unused: every view binds one.)
        ListView::Saved(_) => (format!("box IN {SAVED_BOXES} AND ?1 = 0"), 0),
        ListView::Conversation(thread) => (conversation_filter("", "?1"), thread),
    }
}

/// The SQL condition of one conversation's messages (`prefix` names the table, `thread`
/// the value): those with its number, or the one message of a negative number (not linked
/// yet), outside Trash and Junk.
pub(super) fn conversation_filter(prefix: &str, thread: &str) -> String {
    format!(
        "({prefix}thread_id = {thread} OR {prefix}id = -{thread}) AND {prefix}box IN {SAVED_BOXES}"
    )
}

/// Number of messages in a view.
pub(super) fn count(conn: &Connection, view: ListView) -> rusqlite::Result<u64> {
    let total: i64 = match view {
        ListView::AllInboxes => conn
            .prepare_cached("SELECT coalesce(sum(total), 0) FROM folders WHERE kind = ?1")?
            .query_row([FolderKind::Inbox.code()], |row| row.get(0))?,
        ListView::Folder(folder) => conn
            .prepare_cached("SELECT coalesce(sum(total), 0) FROM folders WHERE id = ?1")?
            .query_row([folder], |row| row.get(0))?,
        ListView::Saved(_) => conn
            .prepare_cached(&format!(
                "SELECT coalesce(sum(total), 0) FROM folders WHERE kind IN {SAVED_BOXES}"
            ))?
            .query_row([], |row| row.get(0))?,
        ListView::Conversation(thread) => conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM messages WHERE {}",
                conversation_filter("", "?1")
            ))?
            .query_row([thread], |row| row.get(0))?,
    };
    Ok(total.max(0) as u64)
}

/// One window of a sorted view. The inner query walks only the covering index
/// `(filter, key, id)`, so skipping to row 99,950 touches no message rows; the outer query
/// reads just the `limit` rows shown.
pub(super) fn page(
    conn: &Connection,
    view: ListView,
    sort: Sort,
    offset: u64,
    limit: u64,
) -> rusqlite::Result<Vec<MessageRow>> {
    // A window past the middle is read from the other end, reversed: the index walk to it is
    // then never longer than half the view.
    let total = count(conn, view)?;
    if offset > total / 2 && offset < total {
        let end = (offset + limit).min(total);
        let reversed = Sort {
            key: sort.key,
            descending: !sort.descending,
        };
        let mut rows = page_from_start(conn, view, reversed, total - end, end - offset)?;
        rows.reverse();
        return Ok(rows);
    }
    page_from_start(conn, view, sort, offset, limit)
}

fn page_from_start(
    conn: &Connection,
    view: ListView,
    sort: Sort,
    offset: u64,
    limit: u64,
) -> rusqlite::Result<Vec<MessageRow>> {
    let (filter, value) = view_filter(view);
    let column = sort_column(sort.key);
    let dir = if sort.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM messages WHERE id IN (\
            SELECT id FROM messages WHERE {filter} ORDER BY {column} {dir}, id {dir} LIMIT ?2 OFFSET ?3\
         ) ORDER BY {column} {dir}, id {dir}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![value, limit as i64, offset as i64], message_row)?;
    rows.collect()
}

/// The rows of the given ids, in the given order (ids that no longer exist are skipped).
pub(super) fn rows_by_id(
    conn: &Connection,
    ids: &[MessageId],
) -> rusqlite::Result<Vec<MessageRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM messages WHERE id = ?1"))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = stmt.query_row([id], message_row).optional()? {
            out.push(row);
        }
    }
    Ok(out)
}

/// The id under which messages are still in the old search index only (0: none are).
pub(super) fn reindex_below(conn: &Connection) -> rusqlite::Result<MessageId> {
    conn.prepare_cached("SELECT below FROM search_reindex")?
        .query_row([], |row| row.get(0))
}

pub(super) fn folders(conn: &Connection) -> rusqlite::Result<Vec<Folder>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.account_id, f.kind, f.name, f.total, f.unread, f.parent_id FROM folders f \
         LEFT JOIN accounts a ON a.id = f.account_id \
         WHERE f.account_id IS NULL OR a.removed_at IS NULL \
         ORDER BY f.account_id IS NULL, f.account_id, f.kind, f.name COLLATE NOCASE, f.id",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(Folder {
            id: row.get(0)?,
            account_id: row.get(1)?,
            kind: FolderKind::from_code(row.get(2)?).unwrap_or(FolderKind::Imported),
            name: row.get(3)?,
            total: row.get::<_, i64>(4)?.max(0) as u64,
            unread: row.get::<_, i64>(5)?.max(0) as u64,
            parent: row.get(6)?,
        })
    })?;
    rows.collect()
}

/// Messages in a folder and all its subfolders.
pub(super) fn folder_message_count(conn: &Connection, folder: FolderId) -> rusqlite::Result<u64> {
    let total: i64 = conn
        .prepare_cached(
            "WITH RECURSIVE sub(id, level) AS ( \
               SELECT id, 1 FROM folders WHERE id = ?1 \
               UNION ALL SELECT f.id, sub.level + 1 FROM folders f JOIN sub ON f.parent_id = sub.id \
               WHERE sub.level < 64) \
             SELECT coalesce(sum(f.total), 0) FROM folders f JOIN sub ON sub.id = f.id",
        )?
        .query_row([folder], |row| row.get(0))?;
    Ok(total.max(0) as u64)
}

pub(super) fn folder_of(
    conn: &Connection,
    account: Option<AccountId>,
    kind: FolderKind,
) -> rusqlite::Result<Option<FolderId>> {
    conn.prepare_cached("SELECT id FROM folders WHERE account_id IS ?1 AND kind = ?2")?
        .query_row(params![account, kind.code()], |row| row.get(0))
        .optional()
}

const ACCOUNT_COLUMNS: &str = "id, name, email, host, port, security, username, auth, ca_file, pin_sha256, \
     check_on_start, interval_minutes, server_policy, delete_after_days, delete_when_deleted_locally, \
     size_limit_kb, first_sync, first_sync_days, password_command, reconnect_every, created_at, \
     first_sync_done_at, last_check_at, last_error, auth_learned, oauth_provider, oauth_client_id, \
     oauth_authorize_url, oauth_token_url, oauth_scopes, oauth_revocation_url, junk_filter";

fn account_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    let text_error = |index: usize, what: &str, value: String| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown {what} {value:?}").into(),
        )
    };
    let security: String = row.get(5)?;
    let auth: String = row.get(7)?;
    let policy: String = row.get(12)?;
    let first_sync: String = row.get(16)?;
    let pin: Option<Vec<u8>> = row.get(9)?;
    let settings = AccountSettings {
        name: row.get(1)?,
        email: row.get(2)?,
        host: row.get(3)?,
        port: row.get(4)?,
        security: names::parse_security(&security)
            .ok_or_else(|| text_error(5, "security", security.clone()))?,
        username: row.get(6)?,
        auth: names::parse_auth(&auth)
            .ok_or_else(|| text_error(7, "authentication", auth.clone()))?,
        ca_file: row.get::<_, Option<String>>(8)?.map(PathBuf::from),
        pin_sha256: pin.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok()),
        check_on_start: row.get(10)?,
        interval_minutes: row.get(11)?,
        server_policy: match policy.as_str() {
            "keep" => ServerPolicy::Keep,
            "delete-after-days" => {
                ServerPolicy::DeleteAfterDays(row.get::<_, Option<u32>>(13)?.unwrap_or(0))
            }
            "delete-after-download" => ServerPolicy::DeleteAfterDownload,
            _ => return Err(text_error(12, "server policy", policy)),
        },
        delete_when_deleted_locally: row.get(14)?,
        size_limit_kb: row.get(15)?,
        first_sync: match first_sync.as_str() {
            "all" => FirstSync::All,
            "new" => FirstSync::NewOnly,
            "days" => FirstSync::LastDays(row.get::<_, Option<u32>>(17)?.unwrap_or(0)),
            _ => return Err(text_error(16, "first sync", first_sync)),
        },
        password_source: match row.get::<_, Option<String>>(18)? {
            Some(command) => PasswordSource::Command(command),
            None => PasswordSource::Keyring,
        },
        reconnect_every: row.get(19)?,
        oauth: row
            .get::<_, Option<String>>(25)?
            .map(|provider| -> rusqlite::Result<OAuthSettings> {
                Ok(OAuthSettings {
                    provider,
                    client_id: row.get(26)?,
                    authorize_url: row.get(27)?,
                    token_url: row.get(28)?,
                    scopes: row.get(29)?,
                    revocation_url: row.get(30)?,
                })
            })
            .transpose()?,
        junk: crate::junk::JunkSettings::from_stored(row.get::<_, Option<String>>(31)?.as_deref()),
    };
    Ok(Account {
        id: row.get(0)?,
        settings,
        created_at: row.get(20)?,
        first_sync_done_at: row.get(21)?,
        last_check_at: row.get(22)?,
        last_error: row.get(23)?,
        // A name this Poplar does not know (a newer one wrote it) is only a hint: dropped.
        auth_learned: row
            .get::<_, Option<String>>(24)?
            .and_then(|name| names::parse_auth(&name)),
    })
}

pub(super) fn accounts(conn: &Connection) -> rusqlite::Result<Vec<Account>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE removed_at IS NULL ORDER BY id"
    ))?;
    let rows = stmt.query_map([], account_row)?;
    rows.collect()
}

pub(super) fn account(conn: &Connection, id: AccountId) -> rusqlite::Result<Option<Account>> {
    conn.prepare_cached(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?1 AND removed_at IS NULL"
    ))?
    .query_row([id], account_row)
    .optional()
}

pub(super) fn message(conn: &Connection, id: MessageId) -> rusqlite::Result<Option<StoredMessage>> {
    let sql = format!(
        "SELECT {ROW_COLUMNS}, to_list, cc_list, message_id, sha256, uidl, server, fetched_at, \
         tls_version, deleted_at, (SELECT raw FROM message_raw WHERE message_id = messages.id), \
         junk_reason FROM messages WHERE id = ?1"
    );
    conn.prepare_cached(&sql)?
        .query_row([id], |row| {
            let sha: Vec<u8> = row.get(18)?;
            Ok(StoredMessage {
                row: message_row(row)?,
                to_list: row.get(15)?,
                cc_list: row.get(16)?,
                message_id: row.get(17)?,
                sha256: <[u8; 32]>::try_from(sha).unwrap_or([0; 32]),
                uidl: row.get(19)?,
                server: row.get(20)?,
                fetched_at: row.get(21)?,
                tls_version: row.get(22)?,
                deleted_at: row.get(23)?,
                raw: row.get::<_, Option<Vec<u8>>>(24)?.unwrap_or_default(),
                junk_reason: row.get(25)?,
            })
        })
        .optional()
}

pub(super) fn raw(conn: &Connection, id: MessageId) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.prepare_cached("SELECT raw FROM message_raw WHERE message_id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()
}

pub(super) fn ledger(conn: &Connection, account: AccountId) -> rusqlite::Result<Vec<LedgerEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.uidl, u.message_id, u.first_seen, u.downloaded_at, u.state, u.duplicate, \
         u.deleted_locally, u.partial \
         FROM uidls u WHERE u.account_id = ?1 ORDER BY u.first_seen, u.uidl",
    )?;
    let rows = stmt.query_map([account], |row| {
        Ok(LedgerEntry {
            uidl: row.get(0)?,
            message_id: row.get(1)?,
            first_seen: row.get(2)?,
            downloaded_at: row.get(3)?,
            state: ServerState::from_code(row.get(4)?),
            duplicate: row.get(5)?,
            deleted_locally: row.get(6)?,
            partial: row.get(7)?,
        })
    })?;
    rows.collect()
}

/// The ledger as a map from UIDL, for comparing with a server listing.
pub(super) fn ledger_map(
    conn: &Connection,
    account: AccountId,
) -> rusqlite::Result<HashMap<String, LedgerEntry>> {
    Ok(ledger(conn, account)?
        .into_iter()
        .map(|e| (e.uidl.clone(), e))
        .collect())
}

/// Every rule, in the order they run.
pub(super) fn rules(conn: &Connection) -> rusqlite::Result<Vec<StoredRule>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, definition, notice FROM rules ORDER BY position, id")?;
    let rows = stmt.query_map([], |row| {
        let json: String = row.get(1)?;
        Ok(StoredRule {
            id: row.get(0)?,
            rule: serde_json::from_str(&json).ok(),
            notice: row
                .get::<_, Option<String>>(2)?
                .and_then(|code| RuleNotice::from_code(&code)),
        })
    })?;
    rows.collect()
}

/// The user's saved searches, in the order they were saved.
pub(super) fn saved_searches(conn: &Connection) -> rusqlite::Result<Vec<SavedSearch>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, query FROM saved_searches ORDER BY id")?;
    let rows = stmt.query_map([], |row| {
        Ok(SavedSearch {
            id: row.get(0)?,
            name: row.get(1)?,
            query: row.get(2)?,
        })
    })?;
    rows.collect()
}

/// Every folder's kind, by id (the rules check that a folder they file into still exists).
pub(super) fn folder_kinds(conn: &Connection) -> rusqlite::Result<HashMap<FolderId, FolderKind>> {
    let mut stmt = conn.prepare_cached("SELECT id, kind FROM folders")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)?)))?;
    rows.filter_map(|row| match row {
        Ok((id, kind)) => FolderKind::from_code(kind).map(|kind| Ok((id, kind))),
        Err(err) => Some(Err(err)),
    })
    .collect()
}

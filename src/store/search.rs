//! A search [`Filter`] run as one SQL query: the full-text index for words and phrases, the
//! message columns for the rest, sorted by the store in the list's order over every hit.
//!
//! Words reach FTS5 only inside double quotes, and they are letters and digits alone (see
//! [`crate::search::index_words`]), so nothing typed is ever read as FTS5 syntax. Ids in
//! conditions are integers the store gave; the match expressions are bound parameters.

use rusqlite::{Connection, params_from_iter};

use super::model::{ListView, Member, MessageId, Sort};
use super::query::{self, sort_column};
use crate::search::{Condition, Field, Filter, TextTerm};

/// The ids of every message in `scope` (everywhere when `None`) that the filter matches, in
/// `sort` order (ties by id, as a view is sorted); only the first `limit` if given.
pub(super) fn find(
    conn: &Connection,
    filter: &Filter,
    scope: Option<ListView>,
    sort: Sort,
    limit: Option<u64>,
) -> rusqlite::Result<Vec<MessageId>> {
    find_with(conn, filter, scope, sort, limit, "m.id", |row| row.get(0))
}

/// [`find`], each hit as a [`Member`] of its conversation (an empty filter: the whole view).
pub(super) fn members(
    conn: &Connection,
    filter: &Filter,
    scope: ListView,
    sort: Sort,
) -> rusqlite::Result<Vec<Member>> {
    find_with(
        conn,
        filter,
        Some(scope),
        sort,
        None,
        "m.id, coalesce(m.thread_id, -m.id), m.seen = 0",
        |row| {
            Ok(Member {
                id: row.get(0)?,
                thread: row.get(1)?,
                unread: row.get(2)?,
            })
        },
    )
}

fn find_with<T>(
    conn: &Connection,
    filter: &Filter,
    scope: Option<ListView>,
    sort: Sort,
    limit: Option<u64>,
    columns: &str,
    read: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut clauses: Vec<String> = Vec::new();
    let mut bound: Vec<String> = Vec::new();
    match scope {
        Some(ListView::AllInboxes) => clauses.push(format!(
            "m.box = {}",
            super::model::FolderKind::Inbox.code()
        )),
        Some(ListView::Folder(folder)) => clauses.push(format!("m.folder_id = {folder}")),
        // A saved search looks past Trash and Junk only when it names a folder.
        Some(ListView::Saved(_))
            if !filter
                .conditions
                .iter()
                .any(|c| matches!(c, Condition::InFolders { negated: false, .. })) =>
        {
            clauses.push(format!("m.box IN {}", query::SAVED_BOXES));
        }
        Some(ListView::Saved(_)) | None => {}
        Some(ListView::Conversation(thread)) => {
            clauses.push(query::conversation_filter("m.", &thread.to_string()));
        }
    }
    for condition in &filter.conditions {
        clauses.push(condition_sql(condition));
    }
    if !filter.text.is_empty() {
        let below = query::reindex_below(conn)?;
        let full = text_sql("message_text", &filter.text, true, &mut bound);
        if below > 0 {
            // Mail below the line is still in the old index, which knows words but not
            // their places: there a phrase is its words, and a field is any field.
            let old = text_sql("message_fts", &filter.text, false, &mut bound);
            clauses.push(format!(
                "((m.id >= {below} AND {full}) OR (m.id < {below} AND {old}))"
            ));
        } else {
            clauses.push(full);
        }
    }
    let dir = if sort.descending { "DESC" } else { "ASC" };
    let column = sort_column(sort.key);
    let filter_sql = if clauses.is_empty() {
        "1".to_owned()
    } else {
        clauses.join(" AND ")
    };
    let limit = match limit {
        Some(n) => format!(" LIMIT {}", i64::try_from(n).unwrap_or(i64::MAX)),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {columns} FROM messages m WHERE {filter_sql} ORDER BY m.{column} {dir}, m.id {dir}{limit}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(bound.iter()), read)?;
    rows.collect()
}

fn condition_sql(condition: &Condition) -> String {
    let list = |ids: &[i64]| {
        ids.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let not = |negated: bool| if negated { "NOT " } else { "" };
    match condition {
        Condition::Attachments(yes) => format!("m.has_attachments = {}", i32::from(*yes)),
        Condition::Seen(yes) => format!("m.seen = {}", i32::from(*yes)),
        Condition::Flagged(yes) => format!("m.flagged = {}", i32::from(*yes)),
        Condition::InFolders { ids, negated } => {
            format!("m.folder_id {}IN ({})", not(*negated), list(ids))
        }
        Condition::InAccounts { ids, negated } => {
            format!(
                "coalesce(m.account_id, 0) {}IN ({})",
                not(*negated),
                list(ids)
            )
        }
        Condition::From(at) => format!("m.sort_date >= {at}"),
        Condition::Before(at) => format!("m.sort_date < {at}"),
        Condition::Outside(start, end) => {
            format!("(m.sort_date < {start} OR m.sort_date >= {end})")
        }
    }
}

/// The condition that the text terms hold, against `table`; binds its match expression.
fn text_sql(table: &str, terms: &[TextTerm], full: bool, bound: &mut Vec<String>) -> String {
    let wanted: Vec<String> = terms
        .iter()
        .filter(|t| !t.negated)
        .map(|t| term_expr(t, full))
        .collect();
    let unwanted: Vec<String> = terms
        .iter()
        .filter(|t| t.negated)
        .map(|t| term_expr(t, full))
        .collect();
    let (expr, negated) = match (wanted.is_empty(), unwanted.is_empty()) {
        (false, true) => (wanted.join(" AND "), false),
        (false, false) => (
            format!("({}) NOT ({})", wanted.join(" AND "), unwanted.join(" OR ")),
            false,
        ),
        // Only exclusions: every message except those the index finds.
        (true, _) => (unwanted.join(" OR "), true),
    };
    bound.push(expr);
    format!(
        "m.id {}IN (SELECT rowid FROM {table} WHERE {table} MATCH ?{})",
        if negated { "NOT " } else { "" },
        bound.len()
    )
}

/// One term as an FTS5 expression.
fn term_expr(term: &TextTerm, full: bool) -> String {
    let star = if term.prefix { "*" } else { "" };
    if full {
        let quoted = if term.adjacent {
            format!("\"{}\"{star}", term.words.join(" "))
        } else {
            let last = term.words.len().saturating_sub(1);
            term.words
                .iter()
                .enumerate()
                .map(|(i, w)| format!("\"{w}\"{}", if i == last { star } else { "" }))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        match term.field {
            Some(field) => format!("{{{}}} : ({quoted})", column(field)),
            None => format!("({quoted})"),
        }
    } else {
        let last = term.words.len().saturating_sub(1);
        let words: Vec<String> = term
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| format!("\"{w}\"{}", if i == last { star } else { "" }))
            .collect();
        format!("({})", words.join(" AND "))
    }
}

fn column(field: Field) -> &'static str {
    match field {
        Field::From => "sender",
        Field::To => "recipients",
        Field::Subject => "subject",
        Field::Body => "body",
    }
}

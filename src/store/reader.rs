//! The read side: what the window and the command line see. Never writes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use jiff::tz::TimeZone;

use super::error::{StoreError, StoreErrorKind};
use super::model::*;
use super::{open, query, search};
use crate::search::{Filter, SearchError};

/// A read-only connection to the store. Cheap to open; one per thread that reads.
#[derive(Debug)]
pub struct Reader {
    conn: Connection,
    path: PathBuf,
}

impl Reader {
    /// Opens an existing store at the current schema version for reading.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self {
            conn: open::open_reader(path)?,
            path: path.to_path_buf(),
        })
    }

    fn map<T>(&self, result: rusqlite::Result<T>) -> Result<T, StoreError> {
        result.map_err(|err| StoreError::from_sqlite(&self.path, &err))
    }

    /// A number that changes whenever another connection commits: poll it each frame and
    /// re-query only when it moved (`PRAGMA data_version`, a few microseconds).
    pub fn change_counter(&self) -> Result<i64, StoreError> {
        self.map(
            self.conn
                .pragma_query_value(None, "data_version", |row| row.get(0)),
        )
    }

    /// The accounts, in the order they were added.
    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        self.map(query::accounts(&self.conn))
    }

    /// Every folder with its total and unread counts (kept up to date by the store itself).
    pub fn folders(&self) -> Result<Vec<Folder>, StoreError> {
        self.map(query::folders(&self.conn))
    }

    /// Every rule on arrival, in the order they run.
    pub fn rules(&self) -> Result<Vec<StoredRule>, StoreError> {
        self.map(query::rules(&self.conn))
    }

    /// How many messages in `folders` the rule would match (the rules dialog's preview), as
    /// if it were enabled; `None` when `cancel` was set before it finished (the rule was
    /// edited again). Reads every message's bytes: run it off the window's thread.
    pub fn rule_preview(
        &self,
        rule: &crate::rules::Rule,
        folders: &[FolderId],
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Result<Option<RulePreview>, StoreError> {
        use std::sync::atomic::Ordering;
        let rules = [crate::rules::Rule {
            enabled: true,
            ..rule.clone()
        }];
        let json = serde_json::to_string(folders).unwrap_or_else(|_| "[]".into());
        let mut stmt = self.map(self.conn.prepare(
            "SELECT m.account_id, r.raw FROM messages m JOIN message_raw r ON r.message_id = m.id \
             WHERE m.folder_id IN (SELECT value FROM json_each(?1))",
        ))?;
        let mut rows = self.map(stmt.query([json]))?;
        let mut preview = RulePreview::default();
        while let Some(row) = self.map(rows.next())? {
            if cancel.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let account: Option<AccountId> = self.map(row.get(0))?;
            let raw = self.map(row.get_ref(1).and_then(|v| Ok(v.as_blob()?.to_vec())))?;
            // Local mail belongs to no account: only rules for all accounts apply.
            let facts = crate::rules::MessageFacts::from_raw(&raw, account.unwrap_or(0));
            preview.examined += 1;
            if !crate::rules::evaluate(&rules, &facts).matched.is_empty() {
                preview.matched += 1;
            }
        }
        Ok(Some(preview))
    }

    /// Messages in a folder and its subfolders: what deleting it would move to Trash.
    pub fn folder_message_count(&self, folder: FolderId) -> Result<u64, StoreError> {
        self.map(query::folder_message_count(&self.conn, folder))
    }

    /// Unread messages in every account's inbox; 0 where the store cannot be read (the tray
    /// and the launcher show a count, not an error).
    pub fn unread_in_inboxes(&self) -> u64 {
        self.folders()
            .map(|folders| super::unread_in_inboxes(&folders))
            .unwrap_or(0)
    }

    /// How many messages a view holds.
    pub fn count(&self, view: ListView) -> Result<u64, StoreError> {
        self.map(query::count(&self.conn, view))
    }

    /// The rows `offset..offset + limit` of a view in the given order.
    pub fn page(
        &self,
        view: ListView,
        sort: Sort,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<MessageRow>, StoreError> {
        self.map(query::page(&self.conn, view, sort, offset, limit))
    }

    /// The list rows of these ids, in this order.
    pub fn rows(&self, ids: &[MessageId]) -> Result<Vec<MessageRow>, StoreError> {
        self.map(query::rows_by_id(&self.conn, ids))
    }

    /// One whole message with its raw bytes.
    pub fn message(&self, id: MessageId) -> Result<Option<StoredMessage>, StoreError> {
        self.map(query::message(&self.conn, id))
    }

    /// The raw bytes of one message, exactly as downloaded.
    pub fn raw(&self, id: MessageId) -> Result<Option<Vec<u8>>, StoreError> {
        self.map(query::raw(&self.conn, id))
    }

    /// The ids of the messages in `scope` (everywhere when `None`) that `filter` matches,
    /// every one of them, in `sort` order.
    pub fn find(
        &self,
        filter: &Filter,
        scope: Option<ListView>,
        sort: Sort,
    ) -> Result<Vec<MessageId>, StoreError> {
        self.map(search::find(&self.conn, filter, scope, sort, None))
    }

    /// A search as typed (words, phrases and operators, see [`crate::search`]) over `scope`,
    /// in `sort` order, with days in the user's time zone. A search that asks for nothing
    /// (empty, or only punctuation) finds nothing. The outer error is the store's; the inner
    /// one says what is wrong with the search.
    pub fn search_ids(
        &self,
        text: &str,
        scope: Option<ListView>,
        sort: Sort,
    ) -> Result<Result<Vec<MessageId>, SearchError>, StoreError> {
        match self.filter_of(text)? {
            Some(Ok(filter)) => self.find(&filter, scope, sort).map(Ok),
            Some(Err(err)) => Ok(Err(err)),
            None => Ok(Ok(Vec::new())),
        }
    }

    /// Every message of `view` (narrowed by a search, if `text` is not empty) in `sort`
    /// order, each with its conversation and whether it is unread: what grouping the list by
    /// conversation needs. Errors as in [`Self::search_ids`].
    pub fn members(
        &self,
        text: &str,
        view: ListView,
        sort: Sort,
    ) -> Result<Result<Vec<Member>, SearchError>, StoreError> {
        let filter = if text.trim().is_empty() {
            Filter::default()
        } else {
            match self.filter_of(text)? {
                Some(Ok(filter)) => filter,
                Some(Err(err)) => return Ok(Err(err)),
                None => return Ok(Ok(Vec::new())),
            }
        };
        self.map(search::members(&self.conn, &filter, view, sort))
            .map(Ok)
    }

    /// A typed search as the store runs it; `None` when it asks for nothing.
    fn filter_of(&self, text: &str) -> Result<Option<Result<Filter, SearchError>>, StoreError> {
        Ok(match crate::search::parse(text) {
            Ok(query) if query.is_empty() => None,
            Ok(query) => {
                Some(query.resolve(&self.folders()?, &self.accounts()?, &TimeZone::system()))
            }
            Err(err) => Some(Err(err)),
        })
    }

    /// The newest `limit` messages a search finds (a search that cannot run is an
    /// `Invalid` error saying why). Accents are folded: "muller" finds "Müller".
    pub fn search(
        &self,
        text: &str,
        view: Option<ListView>,
        limit: u64,
    ) -> Result<Vec<MessageRow>, StoreError> {
        let invalid = |err: SearchError| {
            StoreError::new(StoreErrorKind::Invalid, &self.path, err.to_string())
        };
        let query = crate::search::parse(text).map_err(invalid)?;
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let filter = query
            .resolve(&self.folders()?, &self.accounts()?, &TimeZone::system())
            .map_err(invalid)?;
        let ids = self.map(search::find(
            &self.conn,
            &filter,
            view,
            Sort::default(),
            Some(limit),
        ))?;
        self.rows(&ids)
    }

    /// The user's saved searches, in the order they were saved.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>, StoreError> {
        self.map(query::saved_searches(&self.conn))
    }

    /// An account's UIDL ledger.
    pub fn ledger(&self, account: AccountId) -> Result<Vec<LedgerEntry>, StoreError> {
        self.map(query::ledger(&self.conn, account))
    }

    /// An account's UIDL ledger keyed by UIDL.
    pub fn ledger_map(
        &self,
        account: AccountId,
    ) -> Result<HashMap<String, LedgerEntry>, StoreError> {
        self.map(query::ledger_map(&self.conn, account))
    }
}

/// What the rules dialog's preview found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RulePreview {
    /// Messages looked at.
    pub examined: u64,
    /// Messages the rule matches.
    pub matched: u64,
}

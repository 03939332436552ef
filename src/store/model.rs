//! The store's data types.

use sha2::{Digest, Sha256};

use crate::account::AccountSettings;
use crate::mail::{Summary, distinct_words, summarize};
use crate::pop3::AuthMethod;

/// An account's row id.
pub type AccountId = i64;
/// A folder's row id.
pub type FolderId = i64;
/// A message's row id.
pub type MessageId = i64;
/// A rule on arrival's row id.
pub type RuleId = i64;

/// A rule as the store keeps it, in the order rules run.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    /// Its id.
    pub id: RuleId,
    /// The rule; `None` when its JSON is not one this Poplar can read (a newer one wrote
    /// it): it never runs, and is shown as unreadable.
    pub rule: Option<crate::rules::Rule>,
    /// Why the store switched it off, if it did.
    pub notice: Option<RuleNotice>,
}

/// Why the store switched a rule off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleNotice {
    /// The folder it moved mail to was deleted; its mail stays in the Inbox meanwhile.
    FolderGone,
}

impl RuleNotice {
    /// The code the store keeps.
    pub fn code(self) -> &'static str {
        match self {
            Self::FolderGone => "folder-gone",
        }
    }

    /// The notice for a stored code; unknown codes (from a newer Poplar) are dropped.
    pub fn from_code(code: &str) -> Option<Self> {
        (code == "folder-gone").then_some(Self::FolderGone)
    }
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// Row id.
    pub id: AccountId,
    /// Every setting except the password.
    pub settings: AccountSettings,
    /// When it was added (Unix seconds).
    pub created_at: i64,
    /// When its first sync finished (the first-sync choice applies until then).
    pub first_sync_done_at: Option<i64>,
    /// When it was last checked.
    pub last_check_at: Option<i64>,
    /// The last check's error, in plain words; `None` after a good check.
    pub last_error: Option<String>,
    /// The method that logged in last time, tried first by Automatic.
    pub auth_learned: Option<AuthMethod>,
}

/// The kinds of folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FolderKind {
    /// An account's inbox (or none: the local Imported folder is its own kind).
    Inbox,
    /// Deleted mail, restorable.
    Trash,
    /// Mail imported from files.
    Imported,
    /// A folder the user made, under an account or under Local, perhaps inside another.
    User,
    /// An account's spam. Not among "All inboxes" (its messages' `box` is its own kind).
    Junk,
}

impl FolderKind {
    /// The number stored in `folders.kind` and `messages.box`.
    pub fn code(self) -> i64 {
        match self {
            Self::Inbox => 1,
            Self::Trash => 2,
            Self::Imported => 3,
            Self::User => 4,
            Self::Junk => 5,
        }
    }

    /// The inverse of [`FolderKind::code`].
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(Self::Inbox),
            2 => Some(Self::Trash),
            3 => Some(Self::Imported),
            4 => Some(Self::User),
            5 => Some(Self::Junk),
            _ => None,
        }
    }
}

/// A folder with its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// Row id.
    pub id: FolderId,
    /// The owning account; `None` for local folders.
    pub account_id: Option<AccountId>,
    /// Inbox, Trash, Imported, Junk or the user's own.
    pub kind: FolderKind,
    /// Display name.
    pub name: String,
    /// The folder it is inside (user folders only; `None` at the top).
    pub parent: Option<FolderId>,
    /// Messages in it.
    pub total: u64,
    /// Unread messages in it.
    pub unread: u64,
}

#[cfg(test)]
impl MessageRow {
    /// A row for unit tests: unread, in folder 1 of account 1, from `id@x.de`.
    pub(crate) fn sample(id: MessageId, subject: &str, date: i64) -> Self {
        Self {
            id,
            account_id: Some(1),
            folder_id: 1,
            from_name: String::new(),
            from_addr: format!("{id}@x.de"),
            subject: subject.into(),
            date: Some(date),
            sort_date: date,
            size: u64::try_from(id).unwrap_or(0),
            seen: false,
            flagged: false,
            has_attachments: false,
            partial: false,
            preview: String::new(),
            thread: -id,
        }
    }
}

/// Unread messages in every account's inbox (the window's "All inboxes", the tray, the
/// launcher badge).
pub fn unread_in_inboxes(folders: &[Folder]) -> u64 {
    folders
        .iter()
        .filter(|f| f.kind == FolderKind::Inbox)
        .map(|f| f.unread)
        .sum()
}

/// Which messages a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListView {
    /// Every account's inbox together.
    AllInboxes,
    /// One folder.
    Folder(FolderId),
    /// A saved search over all mail but Trash and Junk (unless it names a folder).
    Saved(SavedView),
    /// One conversation, wherever its messages are filed (but Trash and Junk).
    Conversation(ThreadId),
}

/// A message's place in a view's conversations: what grouping the list needs of every
/// message in the view, without reading its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The message.
    pub id: MessageId,
    /// Its conversation ([`MessageRow::thread`]).
    pub thread: ThreadId,
    /// Not read yet.
    pub unread: bool,
}

/// A saved search's id.
pub type SavedSearchId = i64;

/// A conversation's number (`messages.thread_id`).
pub type ThreadId = i64;

/// The saved searches of the folder pane: two that are always there, and the user's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SavedView {
    /// `is:unread`.
    Unread,
    /// `is:flagged`.
    Flagged,
    /// One the user saved.
    Own(SavedSearchId),
}

/// A search the user saved, with the name the folder pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    /// Its id.
    pub id: SavedSearchId,
    /// Its name.
    pub name: String,
    /// The search, as typed.
    pub query: String,
}

/// What a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortKey {
    /// The Date header (or, without one, when the message arrived).
    #[default]
    Date,
    /// The sender's name, or address when there is no name.
    Sender,
    /// The subject without Re:/Fwd: prefixes.
    Subject,
    /// The size in bytes.
    Size,
}

/// A sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    /// The key.
    pub key: SortKey,
    /// Largest (newest) first.
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Self {
            key: SortKey::Date,
            descending: true,
        }
    }
}

/// One line of the message list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    /// Row id.
    pub id: MessageId,
    /// The account it came from (`None` for imported mail).
    pub account_id: Option<AccountId>,
    /// The folder it is in.
    pub folder_id: FolderId,
    /// Sender's display name.
    pub from_name: String,
    /// Sender's address.
    pub from_addr: String,
    /// Subject.
    pub subject: String,
    /// The Date header, Unix seconds.
    pub date: Option<i64>,
    /// What the list sorts by: the date, or when it arrived.
    pub sort_date: i64,
    /// Raw size in bytes.
    pub size: u64,
    /// Read.
    pub seen: bool,
    /// Flagged.
    pub flagged: bool,
    /// Has attachments.
    pub has_attachments: bool,
    /// Only the headers (and a few lines) are here; the rest is still on the server.
    pub partial: bool,
    /// A short text preview.
    pub preview: String,
    /// Its conversation: messages with the same number belong together. Mail whose thread
    /// is not known yet (stored before conversations, not linked yet) has its own, negative
    /// number.
    pub thread: ThreadId,
}

/// A whole message: its list row, the rest of its summary, provenance and raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// The list row.
    pub row: MessageRow,
    /// To, as a display list.
    pub to_list: String,
    /// Cc, as a display list.
    pub cc_list: String,
    /// Message-ID without brackets.
    pub message_id: Option<String>,
    /// SHA-256 of the raw bytes.
    pub sha256: [u8; 32],
    /// The UIDL it was downloaded as.
    pub uidl: Option<String>,
    /// The server it came from.
    pub server: Option<String>,
    /// When it was downloaded (Unix seconds).
    pub fetched_at: i64,
    /// The TLS version of the connection, when known.
    pub tls_version: Option<String>,
    /// When it was moved to Trash.
    pub deleted_at: Option<i64>,
    /// Why it was filed as junk on arrival: the provider's header line, or `learned:NN`
    /// (the learning filter's percentage).
    pub junk_reason: Option<String>,
    /// The bytes exactly as downloaded.
    pub raw: Vec<u8>,
}

/// Where a UIDL stands on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerState {
    /// Still on the server.
    Present,
    /// To be deleted at the next session's QUIT.
    DeletionPending,
    /// Deleted: the server confirmed QUIT, or the UIDL is no longer listed.
    Deleted,
}

impl ServerState {
    /// The number stored in `uidls.state`.
    pub fn code(self) -> i64 {
        match self {
            Self::Present => 0,
            Self::DeletionPending => 1,
            Self::Deleted => 2,
        }
    }

    /// The inverse of [`ServerState::code`].
    pub fn from_code(code: i64) -> Self {
        match code {
            1 => Self::DeletionPending,
            2 => Self::Deleted,
            _ => Self::Present,
        }
    }
}

/// One UIDL in an account's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The server's unique id.
    pub uidl: String,
    /// The message it became (`None`: not downloaded, or deleted here for good).
    pub message_id: Option<MessageId>,
    /// When Poplar first saw it on the server.
    pub first_seen: i64,
    /// When it was downloaded.
    pub downloaded_at: Option<i64>,
    /// Where it stands on the server.
    pub state: ServerState,
    /// Its content was already stored under another UIDL and was linked, not stored twice.
    pub duplicate: bool,
    /// The user deleted its message here for good.
    pub deleted_locally: bool,
    /// Its message is here only in part (headers and a few lines): it must stay on the server.
    pub partial: bool,
}

/// A downloaded message on its way into the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The UIDL it was listed with (or a content key when the server has no UIDL).
    pub uidl: String,
    /// The bytes exactly as downloaded.
    pub raw: Vec<u8>,
    /// Only headers and a few lines were fetched (TOP, size limit).
    pub partial: bool,
    /// When it was downloaded (Unix seconds).
    pub fetched_at: i64,
    /// The server it came from.
    pub server: String,
    /// The TLS version, when known.
    pub tls_version: Option<String>,
}

/// A message parsed and hashed, ready for the writer. Preparing is pure CPU work that any
/// thread can do, so the writer's transaction holds no parsing.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The message.
    pub incoming: Incoming,
    /// What the parser made of it.
    pub summary: Summary,
    /// SHA-256 of the raw bytes.
    pub sha256: [u8; 32],
    /// The body text as the search index takes it: each word once.
    pub index_body: String,
    /// The Message-IDs it answers, oldest first (its conversation).
    pub parents: Vec<String>,
}

/// Parses and hashes a downloaded message.
pub fn prepare(incoming: Incoming) -> Prepared {
    let summary = summarize(&incoming.raw);
    let sha256 = Sha256::digest(&incoming.raw).into();
    let index_body = distinct_words(&summary.body_text);
    let parents = crate::mail::threading::thread_parents(&incoming.raw);
    Prepared {
        incoming,
        summary,
        sha256,
        index_body,
        parents,
    }
}

/// Parses a message already in the store, from its bytes alone (a copy's search words, the
/// junk filter's tokens): no UIDL, server or download time of its own.
pub(crate) fn prepare_stored(raw: Vec<u8>) -> Prepared {
    prepare(Incoming {
        uidl: String::new(),
        raw,
        partial: false,
        fetched_at: 0,
        server: String::new(),
        tls_version: None,
    })
}

/// What the writer did with one message of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingest {
    /// Stored as a new message.
    Stored(MessageId),
    /// Its content was already stored for this account: the UIDL was linked to that message.
    Linked(MessageId),
    /// The UIDL was already in the ledger: nothing changed.
    Known,
}

//! Opening a message and searching, off the UI thread: parsing a big body, or ranking the
//! hits of a common word in 100,000 messages, takes tens of milliseconds, which a frame
//! cannot spend.
//!
//! The `poplar-view` thread has its own [`Reader`]. Of the requests waiting it takes the
//! newest message and the newest search (skipping what the user already scrolled or typed
//! past), sends back an [`OpenMessage`] or the hits, then wakes the window.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;

use super::Waker;
use super::format;
use super::threads::Listed;
use crate::export::sanitize_file_name;
use crate::mail::rich::{RichDoc, from_plain};
use crate::mail::summarize;
use crate::mail::view::{Attachment, message_view};
use crate::search::SearchError;
use crate::store::{
    FolderKind, ListView, Member, MessageId, MessageRow, Reader, Sort, StoreError, StoredMessage,
    ThreadId,
};

/// The most bytes of raw source shown by "View source" (the rest is cut, and said so).
pub const SOURCE_MAX_BYTES: usize = 1024 * 1024;

/// A message ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenMessage {
    /// Its list row (sender, subject, flags).
    pub row: MessageRow,
    /// `Name <addr>` of the sender.
    pub from: String,
    /// To, as a display list.
    pub to: String,
    /// Cc, as a display list.
    pub cc: String,
    /// The Date header, formatted; empty when the message has none.
    pub date: String,
    /// The body as the view draws it: built here, once, off the UI thread. Shared, so that
    /// the window can hold it while it draws.
    pub doc: Arc<RichDoc>,
    /// The attachments, their names made safe as file names (for showing and for saving).
    pub attachments: Vec<Attachment>,
    /// The raw message as text, at most [`SOURCE_MAX_BYTES`].
    pub source: String,
    /// The source was cut.
    pub source_truncated: bool,
    /// Why it was filed as junk, in words; `None` when it was not.
    pub junk_note: Option<String>,
    /// What Reply, Reply all and Forward need from its header.
    pub original: crate::mail::mailto::Original,
    /// Where it came from, as the store recorded it when it arrived.
    pub provenance: Provenance,
}

/// A message's provenance, for its details: the server and UIDL it was downloaded under,
/// when, and over which TLS version (none for imported mail).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    /// The server's host name.
    pub server: Option<String>,
    /// Its UIDL there.
    pub uidl: Option<String>,
    /// When it was downloaded (or imported), Unix seconds.
    pub fetched_at: i64,
    /// The TLS version of that connection ("TLS 1.3"); `None` when none was recorded.
    pub tls_version: Option<String>,
    /// Its Message-ID.
    pub message_id: Option<String>,
}

impl OpenMessage {
    /// Builds the view of a stored message (pure CPU work: parsing).
    pub fn from_stored(message: &StoredMessage) -> Self {
        let row = message.row.clone();
        let cut = message.raw.len().min(SOURCE_MAX_BYTES);
        let source = String::from_utf8_lossy(&message.raw[..cut]).into_owned();
        let view = message_view(&message.raw).unwrap_or_default();
        // Mail the parser cannot take apart still shows the text the summary salvages (only
        // then is the message summarised: it means parsing it again).
        let doc = if view.doc.is_empty() {
            from_plain(&summarize(&message.raw).body_text, false, false)
        } else {
            view.doc
        };
        let attachments = view
            .attachments
            .into_iter()
            .map(|attachment| Attachment {
                name: sanitize_file_name(&attachment.name, "attachment"),
                ..attachment
            })
            .collect::<Vec<Attachment>>();
        // Only attachments: the pane says so instead of showing nothing.
        let doc = match only_attachments(&attachments) {
            Some(sentence) if doc.is_empty() => from_plain(&sentence, false, false),
            _ => doc,
        };
        Self {
            from: format::sender_full(&row.from_name, &row.from_addr),
            to: message.to_list.clone(),
            cc: message.cc_list.clone(),
            date: row.date.map(format::full_date).unwrap_or_default(),
            doc: Arc::new(doc),
            attachments,
            source,
            source_truncated: cut < message.raw.len(),
            junk_note: message.junk_reason.as_deref().map(junk_note),
            original: crate::mail::mailto::Original::from_raw(&message.raw),
            provenance: Provenance {
                server: message.server.clone(),
                uidl: message.uidl.clone(),
                fetched_at: message.fetched_at,
                tls_version: message.tls_version.clone(),
                message_id: message.message_id.clone(),
            },
            row,
        }
    }
}

/// "No text. 2 attachments: a.pdf, b.zip": what a message without text but with attachments
/// shows (in the window and in `poplar show --text`); `None` without attachments.
pub fn only_attachments(attachments: &[Attachment]) -> Option<String> {
    if attachments.is_empty() {
        return None;
    }
    let names: Vec<&str> = attachments.iter().map(|a| a.name.as_str()).collect();
    Some(crate::tr!(
        "view-only-attachments",
        count = attachments.len(),
        names = names.join(", ")
    ))
}

/// The sentence above a message filed as junk on arrival, from the store's reason.
fn junk_note(reason: &str) -> String {
    match reason
        .strip_prefix(crate::store::LEARNED_PREFIX)
        .and_then(|p| p.parse::<u8>().ok())
    {
        Some(percent) => crate::tr!("junk-note-learned", percent = percent),
        None => crate::tr!("junk-note-provider", field = reason),
    }
}

/// What the view thread answers.
#[derive(Debug)]
pub enum Loaded {
    /// The message, ready.
    Message(Box<OpenMessage>),
    /// The message is gone (deleted meanwhile).
    Missing(MessageId),
    /// Reading it failed.
    Failed(MessageId, String),
    /// The rows of a range, in list order, or why reading them failed.
    Ranged {
        /// The range this answers (see [`RangeRequest::generation`]).
        generation: u64,
        /// The rows.
        rows: Result<Vec<MessageRow>, String>,
    },
    /// A search's hits (or, grouping by conversation, every message of the view) in the
    /// list's order, each with its conversation; or why the search cannot run as typed
    /// (inner error) or failed in the store (outer).
    Searched {
        /// The search this answers (see [`SearchRequest::generation`]).
        generation: u64,
        /// The hits.
        hits: Result<Result<Listed, SearchError>, String>,
    },
}

/// A full-text search to run, or (an empty query) a view to list by id: grouped by
/// conversation, or one conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// Counts up with every search the list asks for; only the newest answer is used.
    pub generation: u64,
    /// What was typed (empty: the whole view).
    pub query: String,
    /// The view searched.
    pub view: ListView,
    /// The list's order, which the hits come in.
    pub sort: Sort,
    /// The list groups them by conversation, with these open (`None`: not grouped).
    pub expanded: Option<HashSet<ThreadId>>,
    /// The open message and its row: kept there though it no longer matches (opened in
    /// "is:unread", it was just marked read) while it is still in the view, until another
    /// one is chosen. Moved to Trash, it goes.
    pub keep: Option<(MessageId, usize)>,
}

/// A stretch of a view's rows to read (a Shift-click or Ctrl+A over rows not cached).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeRequest {
    /// Counts up with every range the list asks for; only the newest answer is used.
    pub generation: u64,
    /// The view.
    pub view: ListView,
    /// Its order.
    pub sort: Sort,
    /// The first row.
    pub offset: u64,
    /// How many rows.
    pub limit: u64,
    /// While searching: the ids of the rows (the range of the hits), read by id.
    pub ids: Option<Vec<MessageId>>,
}

enum Request {
    Message(MessageId),
    Search(SearchRequest),
    Range(RangeRequest),
}

fn range(reader: &Reader, request: RangeRequest) -> Loaded {
    Loaded::Ranged {
        generation: request.generation,
        rows: match &request.ids {
            Some(ids) => reader.rows(ids),
            None => reader.page(request.view, request.sort, request.offset, request.limit),
        }
        .map_err(|err| err.to_string()),
    }
}

fn search(reader: &Reader, request: SearchRequest) -> Loaded {
    let hits = reader
        .members(&request.query, request.view, request.sort)
        .and_then(|hits| match (hits, request.keep) {
            (Ok(mut members), Some((id, index))) if !members.iter().any(|m| m.id == id) => {
                if let Some(row) = still_in_view(reader, id, request.view)? {
                    let kept = Member {
                        id,
                        thread: row.thread,
                        unread: !row.seen,
                    };
                    members.insert(index.min(members.len()), kept);
                }
                Ok(Ok(members))
            }
            (hits, _) => Ok(hits),
        })
        // Grouped here, off the UI thread: 100,000 messages take tens of milliseconds.
        .map(|hits| hits.map(|members| Listed::new(members, request.expanded)));
    Loaded::Searched {
        generation: request.generation,
        hits: hits.map_err(|err| err.to_string()),
    }
}

/// A message's row, if it is still in a view's folders (not moved to Trash, say).
fn still_in_view(
    reader: &Reader,
    id: MessageId,
    view: ListView,
) -> Result<Option<MessageRow>, StoreError> {
    let Some(row) = reader.rows(&[id])?.into_iter().next() else {
        return Ok(None);
    };
    let holds = match view {
        ListView::Folder(folder) => row.folder_id == folder,
        ListView::AllInboxes | ListView::Saved(_) | ListView::Conversation(_) => {
            let kinds: &[FolderKind] = if view == ListView::AllInboxes {
                &[FolderKind::Inbox]
            } else {
                &[FolderKind::Inbox, FolderKind::Imported, FolderKind::User]
            };
            let in_thread = match view {
                ListView::Conversation(thread) => row.thread == thread,
                _ => true,
            };
            in_thread
                && reader
                    .folders()?
                    .iter()
                    .any(|f| f.id == row.folder_id && kinds.contains(&f.kind))
        }
    };
    Ok(holds.then_some(row))
}

fn open(reader: &Reader, id: MessageId) -> Loaded {
    match reader.message(id) {
        Ok(Some(message)) => Loaded::Message(Box::new(OpenMessage::from_stored(&message))),
        Ok(None) => Loaded::Missing(id),
        Err(err) => Loaded::Failed(id, err.to_string()),
    }
}

/// The handle to the `poplar-view` thread.
#[derive(Debug)]
pub struct Loader {
    requests: Option<Sender<Request>>,
    results: Receiver<Loaded>,
    thread: Option<JoinHandle<()>>,
}

impl Loader {
    /// Starts the thread with its own reader on the store.
    pub fn start(store_path: &Path, waker: Waker) -> std::io::Result<Self> {
        let (requests, inbox) = channel::<Request>();
        let (answers, results) = channel();
        let path = store_path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("poplar-view".into())
            .spawn(move || {
                let reader = Reader::open(&path);
                while let Ok(first) = inbox.recv() {
                    // Only the newest message, search and range matter.
                    let (mut message, mut wanted_search, mut wanted_range) = (None, None, None);
                    let mut next = Some(first);
                    while let Some(request) = next {
                        match request {
                            Request::Message(id) => message = Some(id),
                            Request::Search(search) => wanted_search = Some(search),
                            Request::Range(range) => wanted_range = Some(range),
                        }
                        next = match inbox.try_recv() {
                            Ok(request) => Some(request),
                            Err(TryRecvError::Empty) => None,
                            Err(TryRecvError::Disconnected) => return,
                        };
                    }
                    let answers_now: Vec<Loaded> = match &reader {
                        Ok(reader) => wanted_range
                            .map(|request| range(reader, request))
                            .into_iter()
                            .chain(message.map(|id| open(reader, id)))
                            .chain(wanted_search.map(|request| search(reader, request)))
                            .collect(),
                        // Every request fails with the reason, so the window shows it.
                        Err(err) => wanted_range
                            .map(|request| Loaded::Ranged {
                                generation: request.generation,
                                rows: Err(err.to_string()),
                            })
                            .into_iter()
                            .chain(message.map(|id| Loaded::Failed(id, err.to_string())))
                            .chain(wanted_search.map(|request| Loaded::Searched {
                                generation: request.generation,
                                hits: Err(err.to_string()),
                            }))
                            .collect(),
                    };
                    for loaded in answers_now {
                        if answers.send(loaded).is_err() {
                            return;
                        }
                    }
                    waker();
                }
            })?;
        Ok(Self {
            requests: Some(requests),
            results,
            thread: Some(thread),
        })
    }

    /// Asks for a message.
    pub fn request(&self, id: MessageId) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::Message(id));
        }
    }

    /// Asks for the rows of a range.
    pub fn range(&self, request: RangeRequest) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::Range(request));
        }
    }

    /// Asks for the hits of a search.
    pub fn search(&self, request: SearchRequest) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::Search(request));
        }
    }

    /// An answer, if one is ready.
    pub fn try_recv(&self) -> Option<Loaded> {
        self.results.try_recv().ok()
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        // Closing the request channel ends the thread after what it is working on.
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

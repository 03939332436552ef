//! Opening a message off the UI thread: reading its bytes and parsing its body can take
//! tens of milliseconds for a big message, which a frame cannot spend.
//!
//! The `poplar-view` thread has its own [`Reader`]. It takes the newest request, skipping any
//! the user already scrolled past, and sends back an [`OpenMessage`], then wakes the window.

use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;

use super::Waker;
use super::format;
use crate::mail::summarize;
use crate::store::{MessageId, MessageRow, Reader, StoredMessage};

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
    /// The body as plain text (text/plain, or the HTML turned into text; nothing remote is
    /// ever loaded).
    pub body: String,
    /// The raw message as text, at most [`SOURCE_MAX_BYTES`].
    pub source: String,
    /// The source was cut.
    pub source_truncated: bool,
}

impl OpenMessage {
    /// Builds the view of a stored message (pure CPU work: parsing).
    pub fn from_stored(message: &StoredMessage) -> Self {
        let summary = summarize(&message.raw);
        let row = message.row.clone();
        let cut = message.raw.len().min(SOURCE_MAX_BYTES);
        let source = String::from_utf8_lossy(&message.raw[..cut]).into_owned();
        Self {
            from: format::sender_full(&row.from_name, &row.from_addr),
            to: message.to_list.clone(),
            cc: message.cc_list.clone(),
            date: row.date.map(format::full_date).unwrap_or_default(),
            body: summary.body_text,
            source,
            source_truncated: cut < message.raw.len(),
            row,
        }
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
}

/// The handle to the `poplar-view` thread.
#[derive(Debug)]
pub struct Loader {
    requests: Option<Sender<MessageId>>,
    results: Receiver<Loaded>,
    thread: Option<JoinHandle<()>>,
}

impl Loader {
    /// Starts the thread with its own reader on the store.
    pub fn start(store_path: &Path, waker: Waker) -> std::io::Result<Self> {
        let (requests, inbox) = channel::<MessageId>();
        let (answers, results) = channel();
        let path = store_path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("poplar-view".into())
            .spawn(move || {
                let reader = match Reader::open(&path) {
                    Ok(reader) => reader,
                    Err(err) => {
                        // Every request fails with the reason, so the window shows it.
                        while let Ok(id) = inbox.recv() {
                            let _ = answers.send(Loaded::Failed(id, err.to_string()));
                            waker();
                        }
                        return;
                    }
                };
                while let Ok(mut id) = inbox.recv() {
                    // Only the newest request matters.
                    loop {
                        match inbox.try_recv() {
                            Ok(newer) => id = newer,
                            Err(TryRecvError::Empty) => break,
                            Err(TryRecvError::Disconnected) => return,
                        }
                    }
                    let loaded = match reader.message(id) {
                        Ok(Some(message)) => {
                            Loaded::Message(Box::new(OpenMessage::from_stored(&message)))
                        }
                        Ok(None) => Loaded::Missing(id),
                        Err(err) => Loaded::Failed(id, err.to_string()),
                    };
                    if answers.send(loaded).is_err() {
                        return;
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
            let _ = requests.send(id);
        }
    }

    /// An answer, if one is ready.
    pub fn try_recv(&self) -> Option<Loaded> {
        self.results.try_recv().ok()
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        // Closing the request channel ends the thread after the message it is reading.
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

//! Conversations in the window: the list grouped by conversation (View → Group by
//! conversation; → opens one, ← closes it) and "Show the conversation" of one message.

use super::{AppState, Opened};
use crate::app::threads::ThreadMark;
use crate::store::{ListView, MessageRow};

impl AppState {
    /// Whether the list is grouped by conversation.
    pub fn grouped(&self) -> bool {
        self.list.grouped()
    }

    /// Groups the list by conversation, or lists every message again.
    pub fn set_grouped(&mut self, grouped: bool) {
        if let Err(err) = self.list.set_grouped(&self.reader, grouped) {
            self.store_failed(&err);
        }
        self.dispatch_search();
    }

    /// What row `index` of the grouped list is (`None` when not grouped).
    pub fn thread_mark(&self, index: usize) -> Option<ThreadMark> {
        self.list.thread_mark(index)
    }

    /// Opens or closes the conversation of a row (its triangle, → and ←). Closed over the
    /// open message, the conversation's row is selected and shown instead.
    pub fn expand_thread(&mut self, row: &MessageRow, open: bool) {
        let before = self.list.selected();
        if !self.list.set_expanded(row.thread, open) {
            return;
        }
        if let Some(now) = self.list.selected()
            && Some(now) != before
        {
            // A read by id, as the list reads the rows it shows.
            match self.reader.rows(&[now]) {
                Ok(rows) => {
                    if let Some(row) = rows.into_iter().next() {
                        self.open_row(row);
                    }
                }
                Err(err) => self.store_failed(&err),
            }
        }
    }

    /// → and ←: opens or closes the selected row's conversation.
    pub fn expand_selected(&mut self, open: bool) {
        let Some(row) = self.list.selected().and_then(|id| self.list.cached(id)) else {
            return;
        };
        self.expand_thread(&row, open);
    }

    /// Lists one message's conversation (wherever its messages are filed), keeping the
    /// message open.
    pub fn show_conversation(&mut self, row: &MessageRow) {
        self.conversation_subject = row.subject.clone();
        let opened = std::mem::replace(&mut self.opened, Opened::Nothing);
        self.select_view(ListView::Conversation(row.thread));
        self.opened = opened;
        self.list.select(Some(row.id), None);
    }

    /// Whether the list shows one conversation.
    pub fn in_conversation(&self) -> bool {
        matches!(self.list.view(), ListView::Conversation(_))
    }

    /// The name of a conversation's list.
    pub(super) fn conversation_title(&self) -> String {
        crate::tr!(
            "conversation-title",
            subject = super::format::subject(&self.conversation_subject)
        )
    }
}

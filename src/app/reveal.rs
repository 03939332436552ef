//! Coming forward on something asked for from outside the window: a clicked new-mail
//! notification (the account's inbox, or the one new message), a double-clicked .eml.

use super::AppState;
use crate::store::{AccountId, FolderKind, ListView, MessageId};

impl AppState {
    /// Shows the folder a message is in, with the message selected and open.
    pub fn reveal_message(&mut self, id: MessageId) {
        let row = match self.reader.rows(&[id]) {
            Ok(rows) => rows.into_iter().next(),
            Err(err) => {
                self.store_failed(&err);
                return;
            }
        };
        let Some(row) = row else {
            self.notice(crate::tr!("notice-message-gone"), false);
            return;
        };
        let view = ListView::Folder(row.folder_id);
        if self.list.view() != view || !self.list.query().is_empty() {
            self.select_view(view);
        }
        self.list.select(Some(row.id), None);
        self.open_row(row);
    }

    /// Shows an account's inbox after a check brought mail, with `message` open if given.
    pub fn reveal_new_mail(&mut self, account: AccountId, message: Option<MessageId>) {
        if let Some(id) = message {
            self.reveal_message(id);
            return;
        }
        let inbox = self
            .folders
            .iter()
            .find(|f| f.kind == FolderKind::Inbox && f.account_id == Some(account))
            .map(|f| f.id);
        match inbox {
            Some(inbox) => self.select_view(ListView::Folder(inbox)),
            None => self.select_view(ListView::AllInboxes),
        }
    }
}

impl AppState {
    /// The engine's handle, for the desktop parts that listen to it (notifier, tray, the
    /// instance server).
    pub fn engine_handle(&self) -> crate::sync::EngineHandle {
        self.engine.handle()
    }
}

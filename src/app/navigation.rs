//! Keys that move around the window: Alt+↓ and Alt+↑ to the next and previous line of the
//! folder pane (All inboxes, the saved searches, then each account's folders and Local's, as
//! the pane lists them), and U to mark the selection read or unread.

use super::AppState;
use crate::store::{ListView, SavedView};

impl AppState {
    /// Every view of the folder pane, in its order (the lines it shows: collapsed folders'
    /// subfolders left out, and the local Trash while it is empty).
    pub fn pane_views(&self) -> Vec<ListView> {
        let mut views = vec![
            ListView::AllInboxes,
            ListView::Saved(SavedView::Unread),
            ListView::Saved(SavedView::Flagged),
        ];
        views.extend(
            self.saved_searches()
                .iter()
                .map(|s| ListView::Saved(SavedView::Own(s.id))),
        );
        let accounts = self.accounts().iter().map(|a| Some(a.id)).chain([None]);
        for account in accounts {
            views.extend(
                self.folder_tree
                    .pane_lines(self.folders(), account)
                    .into_iter()
                    .map(|l| ListView::Folder(l.folder.id)),
            );
        }
        views
    }

    /// Alt+↓ / Alt+↑: shows the next (`1`) or previous (`-1`) view of the folder pane; at
    /// either end it stays.
    pub fn step_view(&mut self, delta: isize) {
        let views = self.pane_views();
        let now = views.iter().position(|v| *v == self.list.view());
        let next = match now {
            Some(index) => index.saturating_add_signed(delta).min(views.len() - 1),
            // Not in the pane (one conversation): from the top.
            None => 0,
        };
        if now != Some(next)
            && let Some(view) = views.get(next)
        {
            self.select_view(*view);
        }
    }

    /// U: marks the selection read, or unread when the message shown is read already.
    pub fn toggle_read_selected(&mut self) {
        let Some(id) = self.list.selected() else {
            return;
        };
        let seen = self.list.cached(id).is_some_and(|row| row.seen);
        self.mark_selected(!seen);
    }
}

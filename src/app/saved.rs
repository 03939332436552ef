//! Saved searches in the folder pane: "Unread" and "Flagged", always there, and the user's
//! own, saved from the search field under a name. Each is a view over all mail but Trash and
//! Junk that the list runs as a search, so it follows new mail like any view.

use super::folder_actions::FolderEdit;
use super::{AppState, JobDone};
use crate::store::{SavedSearch, SavedSearchId, SavedView};

impl AppState {
    /// The user's saved searches, in the order they were saved.
    pub fn saved_searches(&self) -> &[SavedSearch] {
        &self.saved_searches
    }

    /// The search a saved view runs.
    pub fn saved_query(&self, view: SavedView) -> String {
        match view {
            SavedView::Unread => "is:unread".into(),
            SavedView::Flagged => "is:flagged".into(),
            SavedView::Own(id) => self
                .saved_searches
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.query.clone())
                .unwrap_or_default(),
        }
    }

    /// The name the pane shows for a saved view.
    pub fn saved_name(&self, view: SavedView) -> String {
        match view {
            SavedView::Unread => crate::tr!("saved-unread"),
            SavedView::Flagged => crate::tr!("saved-flagged"),
            SavedView::Own(id) => self
                .saved_searches
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        }
    }

    /// Whether what is typed in the search field can be saved: something that runs.
    pub fn can_save_search(&self) -> bool {
        let query = self.list.query();
        !query.trim().is_empty()
            && self.list.search_problem().is_none()
            && crate::search::parse(query).is_ok_and(|q| !q.is_empty())
    }

    /// "Save search…": asks for a name, the search as typed to start with.
    pub fn ask_save_search(&mut self) {
        if !self.can_save_search() {
            return;
        }
        let query = self.list.query().trim().to_owned();
        self.open_folder_dialog(FolderEdit::SaveSearch {
            query: query.clone(),
        });
        if let Some(name) = self.folder_dialog_name() {
            *name = query;
        }
    }

    /// Forgets a saved search (the pane's menu); its mail stays where it is.
    pub fn remove_saved_search(&mut self, id: SavedSearchId) {
        self.job(move |w| w.remove_saved_search(id), JobDone::FolderEdit);
    }
}

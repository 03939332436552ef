//! The message list: which view, in which order, narrowed by which search, and the rows of
//! it that have been read so far.
//!
//! The list never holds a whole folder. It knows the view's row count and keeps pages of
//! [`PAGE_ROWS`] rows that were asked for (the ones on screen and their neighbours); a change
//! in the store drops them and the next frame reads what it shows again. A search runs on
//! the view thread (see [`super::loader`]) and answers with the ids of every hit, sorted by
//! the store in the list's order; the list pages through them as through a view, and the
//! previous hits stay on screen until the new ones come.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::loader::{RangeRequest, SearchRequest};
use super::threads::{Grouping, Listed, ThreadMark};
use crate::search::SearchError;
use crate::store::{
    Folder, FolderKind, ListView, MessageId, MessageRow, Reader, Sort, SortKey, StoreError,
    ThreadId,
};

/// Rows per cached page.
pub const PAGE_ROWS: usize = 100;

/// Pages kept before the cache is emptied (a few screens' worth around the visible window).
const MAX_PAGES: usize = 16;

/// The most rows a Shift-click or Ctrl+A selects at once. Rows not cached are read in one
/// query on the view thread, never on the UI thread.
pub const RANGE_LIMIT: usize = 100_000;

/// The message list's state.
#[derive(Debug)]
pub struct MessageList {
    view: ListView,
    sort: Sort,
    query: String,
    /// A saved search's own query, which the typed one narrows (empty for other views).
    base: String,
    /// The ids of the rows in display order, when the list is read by id (a search, the
    /// list grouped by conversation, one conversation); `None` when it pages the view.
    hits: Option<Vec<MessageId>>,
    /// Grouped by conversation (View → Group by conversation).
    grouped: bool,
    /// The conversations, while grouped and answered.
    grouping: Option<Grouping>,
    /// The conversations opened, kept while the list is read again.
    expanded: HashSet<ThreadId>,
    /// Why the current search cannot run as typed.
    problem: Option<SearchError>,
    count: usize,
    pages: HashMap<usize, Vec<MessageRow>>,
    selected: Option<MessageId>,
    selected_index: Option<usize>,
    /// With Ctrl and Shift: every selected message, the opened one included. Empty when
    /// only `selected` is.
    marked: BTreeSet<MessageId>,
    /// Where a Shift-click range starts.
    anchor: Option<usize>,
    /// The rows of the last Shift range (they may lie far from the cached pages).
    range_rows: Vec<MessageRow>,
    /// Set when the selection moved by keyboard, so the list scrolls to it once.
    scroll_to_selection: bool,
    /// The newest search asked for; answers to older ones are dropped.
    search_generation: u64,
    /// The search whose hits are shown.
    answered_generation: u64,
    /// A search to hand to the view thread.
    pending_search: Option<SearchRequest>,
    /// The newest range asked for; answers to older ones (or to a selection since
    /// replaced) are dropped.
    range_generation: u64,
    /// A range to hand to the view thread.
    pending_range: Option<RangeRequest>,
    /// A range was asked for and has not been answered.
    range_waiting: bool,
    /// The selected message left the id-read list: the row at this place is selected
    /// instead (see [`Self::take_reselect`]).
    reselect_at: Option<usize>,
}

/// What happened to the selection when the list was read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reselect {
    /// Nothing selected, or the selected message is still there.
    Unchanged,
    /// The selected message left the view; this row took its place.
    Moved(MessageRow),
    /// The selected message left the view and nothing took its place.
    Cleared,
}

impl MessageList {
    /// An empty list of the given view.
    pub fn new(view: ListView) -> Self {
        Self {
            view,
            sort: Sort::default(),
            query: String::new(),
            base: String::new(),
            hits: None,
            grouped: false,
            grouping: None,
            expanded: HashSet::new(),
            problem: None,
            count: 0,
            pages: HashMap::new(),
            selected: None,
            selected_index: None,
            marked: BTreeSet::new(),
            anchor: None,
            range_rows: Vec::new(),
            scroll_to_selection: false,
            search_generation: 0,
            answered_generation: 0,
            pending_search: None,
            range_generation: 0,
            pending_range: None,
            range_waiting: false,
            reselect_at: None,
        }
    }

    /// The view shown.
    pub fn view(&self) -> ListView {
        self.view
    }

    /// The order.
    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// The search text as typed.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether a search narrows the list.
    pub fn searching(&self) -> bool {
        self.hits.is_some() && !self.effective_query().trim().is_empty()
    }

    /// Whether the list is read by id (searching, grouped, or one conversation) rather than
    /// paged from the view.
    fn by_id(&self) -> bool {
        self.grouped
            || matches!(self.view, ListView::Conversation(_))
            || !self.effective_query().trim().is_empty()
    }

    /// Whether the list is grouped by conversation.
    pub fn grouped(&self) -> bool {
        self.grouped
    }

    /// Whether the view thread is to group what it lists: grouped, and not one conversation
    /// (which is listed flat, each message a row).
    fn groups(&self) -> bool {
        self.grouped && !matches!(self.view, ListView::Conversation(_))
    }

    /// Groups the list by conversation, or lists every message again.
    pub fn set_grouped(&mut self, reader: &Reader, grouped: bool) -> Result<(), StoreError> {
        if self.grouped == grouped {
            return Ok(());
        }
        self.grouped = grouped;
        self.grouping = None;
        self.hits = None;
        self.reload(reader)
    }

    /// What row `index` is in its conversation, while grouped (`None` otherwise).
    pub fn thread_mark(&self, index: usize) -> Option<ThreadMark> {
        self.grouping.as_ref()?.mark(index)
    }

    /// While grouped: how many messages, in how many conversations.
    pub fn conversation_counts(&self) -> Option<(usize, usize)> {
        self.grouping.as_ref().map(Grouping::counts)
    }

    /// Opens or closes a conversation of the grouped list; false when nothing changed.
    pub fn set_expanded(&mut self, thread: ThreadId, open: bool) -> bool {
        let Some(grouping) = &mut self.grouping else {
            return false;
        };
        if !grouping.set_expanded(thread, open) {
            return false;
        }
        self.expanded = grouping.expanded().clone();
        self.hits = Some(grouping.ids().to_vec());
        self.pages.clear();
        self.marked.retain(|id| grouping.index_of(*id).is_some());
        if let Some(id) = self.selected {
            match grouping.index_of(id) {
                Some(index) => self.selected_index = Some(index),
                None => {
                    // Closed over the open message: its conversation's row takes its place.
                    let head = grouping
                        .thread_of(id)
                        .and_then(|thread| grouping.messages_of(thread).first().copied());
                    self.selected = head;
                    self.selected_index = head.and_then(|head| grouping.index_of(head));
                }
            }
            self.anchor = self.selected_index;
        }
        true
    }

    /// Every message the list holds, in its order: the rows, and while grouped the
    /// messages of closed conversations too (what "export this list" writes).
    pub fn listed_ids(&self) -> Vec<MessageId> {
        if let Some(grouping) = &self.grouping {
            grouping.member_ids()
        } else {
            self.hit_ids().to_vec()
        }
    }

    /// Why the search as typed cannot run (a date that is none, a folder that does not
    /// exist), shown in place of its hits.
    pub fn search_problem(&self) -> Option<&SearchError> {
        self.problem.as_ref()
    }

    /// Rows in the list.
    pub fn len(&self) -> usize {
        match &self.hits {
            Some(hits) => hits.len(),
            None => self.count,
        }
    }

    /// True when the list has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The selected message.
    pub fn selected(&self) -> Option<MessageId> {
        self.selected
    }

    /// The selected message's position, when known.
    pub fn selected_index(&self) -> Option<usize> {
        self.selected_index
    }

    /// Returns, once, whether the list should scroll to the selection.
    pub fn take_scroll_request(&mut self) -> Option<usize> {
        if std::mem::take(&mut self.scroll_to_selection) {
            self.selected_index
        } else {
            None
        }
    }

    /// The search a saved view runs (before what is typed); empty for other views. Takes
    /// effect with the next [`Self::set_view`] or [`Self::reload`].
    pub fn set_base(&mut self, base: &str) {
        base.clone_into(&mut self.base);
    }

    /// The ids of every hit of the current search, in display order (none when not
    /// searching).
    pub fn hit_ids(&self) -> &[MessageId] {
        self.hits.as_deref().unwrap_or_default()
    }

    /// What the store is asked: a saved view's search and what is typed.
    fn effective_query(&self) -> String {
        match (self.base.trim().is_empty(), self.query.trim().is_empty()) {
            (true, _) => self.query.clone(),
            (false, true) => self.base.clone(),
            (false, false) => format!("{} {}", self.base, self.query),
        }
    }

    /// Shows another view (the search is kept and re-run there).
    pub fn set_view(&mut self, reader: &Reader, view: ListView) -> Result<(), StoreError> {
        self.view = view;
        self.select(None, None);
        self.reload(reader)
    }

    /// Sorts by `key`; the same key again reverses the order. Dates start newest first, the
    /// rest A to Z (sizes smallest first).
    pub fn sort_by(&mut self, reader: &Reader, key: SortKey) -> Result<(), StoreError> {
        self.sort = if self.sort.key == key {
            Sort {
                key,
                descending: !self.sort.descending,
            }
        } else {
            Sort {
                key,
                descending: key == SortKey::Date,
            }
        };
        self.reload(reader)?;
        self.locate_selection(reader);
        self.scroll_to_selection = self.selected_index.is_some();
        Ok(())
    }

    /// Narrows the list to what matches `query` (empty: the whole view again).
    pub fn set_query(&mut self, reader: &Reader, query: &str) -> Result<(), StoreError> {
        if query == self.query {
            return Ok(());
        }
        self.query = query.to_owned();
        self.reload(reader)?;
        self.locate_selection(reader);
        Ok(())
    }

    /// Reads the count (or the search hits) again and drops the cached pages.
    pub fn reload(&mut self, reader: &Reader) -> Result<(), StoreError> {
        self.pages.clear();
        if self.range_waiting {
            // Its offsets were those of the rows before: the clicked row stays selected.
            self.forget_range();
        }
        let query = self.effective_query();
        if !self.by_id() {
            self.hits = None;
            self.grouping = None;
            self.problem = None;
            self.count = usize::try_from(reader.count(self.view)?).unwrap_or(usize::MAX);
        } else {
            // The previous hits stay shown (none at first) until the view thread answers.
            self.hits.get_or_insert_with(Vec::new);
            self.search_generation += 1;
            self.pending_search = Some(SearchRequest {
                generation: self.search_generation,
                query,
                view: self.view,
                sort: self.sort,
                expanded: self.groups().then(|| self.expanded.clone()),
                keep: match (self.selected, self.selected_index) {
                    (Some(id), Some(index)) if self.hit_ids().contains(&id) => Some((id, index)),
                    _ => None,
                },
            });
        }
        Ok(())
    }

    /// True while a search's hits have not arrived yet (the previous hits are shown).
    pub fn search_waiting(&self) -> bool {
        self.hits.is_some() && self.answered_generation != self.search_generation
    }

    /// The search to run, once.
    pub fn take_search_request(&mut self) -> Option<SearchRequest> {
        self.pending_search.take()
    }

    /// Takes the messages of a search or of the grouped list (or why the search cannot
    /// run); false when they answer an older request (or the list pages its view again
    /// meanwhile), which are dropped.
    pub fn apply_search(&mut self, generation: u64, listed: Result<Listed, SearchError>) -> bool {
        if generation != self.search_generation || self.hits.is_none() {
            return false;
        }
        let (listed, problem) = match listed {
            Ok(listed) => (listed, None),
            Err(problem) => (Listed::Flat(Vec::new()), Some(problem)),
        };
        self.pages.clear();
        let hits = match listed {
            Listed::Grouped(mut grouping) => {
                // Opened or closed while the view thread grouped: as the user left them.
                let asked = grouping.expanded().clone();
                for thread in asked.difference(&self.expanded) {
                    grouping.set_expanded(*thread, false);
                }
                for thread in self.expanded.difference(&asked) {
                    grouping.set_expanded(*thread, true);
                }
                self.expanded = grouping.expanded().clone();
                let ids = grouping.ids().to_vec();
                self.grouping = Some(*grouping);
                ids
            }
            Listed::Flat(members) => {
                self.grouping = None;
                members.iter().map(|m| m.id).collect()
            }
        };
        if let Some(id) = self.selected {
            let position = hits.iter().position(|hit| *hit == id);
            if position.is_none() {
                // It left the list (moved, deleted): the row now at its place takes over.
                self.reselect_at = Some(self.selected_index.unwrap_or(0));
            }
            self.selected_index = position;
        }
        self.hits = Some(hits);
        self.problem = problem;
        self.answered_generation = generation;
        true
    }

    /// After hits arrived without the selected message (it left the view): selects the row
    /// now at its place, which the caller shows (`Moved`), or nothing when the list is empty.
    pub fn take_reselect(&mut self, reader: &Reader) -> Result<Reselect, StoreError> {
        match self.reselect_at.take() {
            Some(index) => self.select_at(reader, index),
            None => Ok(Reselect::Unchanged),
        }
    }

    /// Selects the row at `index` (the last one if the list got shorter) in place of one
    /// that left the list: `Moved` to it, or `Cleared` when the list is empty.
    fn select_at(&mut self, reader: &Reader, index: usize) -> Result<Reselect, StoreError> {
        let len = self.len();
        if len == 0 {
            self.select(None, None);
            return Ok(Reselect::Cleared);
        }
        let index = index.min(len - 1);
        Ok(match self.row(reader, index)? {
            Some(row) => {
                self.select(Some(row.id), Some(index));
                Reselect::Moved(row)
            }
            None => {
                self.select(None, None);
                Reselect::Cleared
            }
        })
    }

    /// After the store changed: reads again, then finds the selected message. If it left
    /// the view (moved to Trash, say), the row now at its place is selected instead.
    /// `folders` are the store's folders as just read.
    pub fn refresh(&mut self, reader: &Reader, folders: &[Folder]) -> Result<Reselect, StoreError> {
        self.reload(reader)?;
        let Some(id) = self.selected else {
            return Ok(Reselect::Unchanged);
        };
        if self.locate_selection(reader) {
            return Ok(Reselect::Unchanged);
        }
        // Still in the view, only too far away to find cheaply: keep it selected.
        if let Some(row) = reader.rows(&[id])?.into_iter().next()
            && self.view_holds(&row, folders)
        {
            self.selected_index = None;
            return Ok(Reselect::Unchanged);
        }
        self.select_at(reader, self.selected_index.unwrap_or(0))
    }

    fn view_holds(&self, row: &MessageRow, folders: &[Folder]) -> bool {
        if self.searching() {
            return false;
        }
        match self.view {
            ListView::Saved(_) | ListView::Conversation(_) => false,
            ListView::Folder(folder) => row.folder_id == folder,
            ListView::AllInboxes => folders
                .iter()
                .any(|f| f.id == row.folder_id && f.kind == FolderKind::Inbox),
        }
    }

    /// Finds the selected message near where it was; true when found (or nothing selected).
    fn locate_selection(&mut self, reader: &Reader) -> bool {
        let Some(id) = self.selected else {
            return true;
        };
        if let Some(hits) = &self.hits {
            self.selected_index = hits.iter().position(|hit| *hit == id);
            return self.selected_index.is_some();
        }
        let around = self.selected_index.unwrap_or(0) / PAGE_ROWS;
        for page in [Some(around), around.checked_sub(1), Some(around + 1)]
            .into_iter()
            .flatten()
        {
            if page * PAGE_ROWS >= self.count {
                continue;
            }
            if self.load_page(reader, page).is_err() {
                return false;
            }
            if let Some(pos) = self
                .pages
                .get(&page)
                .and_then(|rows| rows.iter().position(|r| r.id == id))
            {
                self.selected_index = Some(page * PAGE_ROWS + pos);
                return true;
            }
        }
        false
    }

    fn load_page(&mut self, reader: &Reader, page: usize) -> Result<(), StoreError> {
        if self.pages.contains_key(&page) {
            return Ok(());
        }
        if self.pages.len() >= MAX_PAGES {
            self.pages.clear();
        }
        let rows = match &self.hits {
            Some(hits) => {
                let start = (page * PAGE_ROWS).min(hits.len());
                let end = (start + PAGE_ROWS).min(hits.len());
                // A hit deleted since is skipped until the search runs again (it does after
                // every change).
                reader.rows(&hits[start..end])?
            }
            None => reader.page(
                self.view,
                self.sort,
                (page * PAGE_ROWS) as u64,
                PAGE_ROWS as u64,
            )?,
        };
        self.pages.insert(page, rows);
        Ok(())
    }

    /// The row at `index`, reading its page when it is not cached.
    pub fn row(&mut self, reader: &Reader, index: usize) -> Result<Option<MessageRow>, StoreError> {
        if index >= self.len() {
            return Ok(None);
        }
        let page = index / PAGE_ROWS;
        self.load_page(reader, page)?;
        Ok(self
            .pages
            .get(&page)
            .and_then(|rows| rows.get(index % PAGE_ROWS))
            .cloned())
    }

    /// Selects one row, and only it (by click: the list does not scroll).
    pub fn select(&mut self, id: Option<MessageId>, index: Option<usize>) {
        self.selected = id;
        self.selected_index = index;
        self.marked.clear();
        self.anchor = index;
        self.forget_range();
    }

    /// A range still being read no longer applies.
    fn forget_range(&mut self) {
        self.range_generation += 1;
        self.pending_range = None;
        self.range_waiting = false;
    }

    /// Whether a message is selected (alone or among others).
    pub fn is_selected(&self, id: MessageId) -> bool {
        self.selected == Some(id) || self.marked.contains(&id)
    }

    /// The messages an action applies to: every selected one, in id order. A closed
    /// conversation's row stands for all its messages, as in other mail readers.
    pub fn selection(&self) -> Vec<MessageId> {
        let chosen: Vec<MessageId> = if self.marked.is_empty() {
            self.selected.into_iter().collect()
        } else {
            self.marked.iter().copied().collect()
        };
        match &self.grouping {
            Some(grouping) => {
                let mut all = BTreeSet::new();
                for id in chosen {
                    match grouping.thread_of(id) {
                        Some(thread) if !grouping.expanded().contains(&thread) => {
                            all.extend(grouping.messages_of(thread));
                        }
                        _ => {
                            all.insert(id);
                        }
                    }
                }
                all.into_iter().collect()
            }
            _ => chosen,
        }
    }

    /// How many messages are selected.
    pub fn selection_len(&self) -> usize {
        if let Some(grouping) = &self.grouping {
            return match self.marked.is_empty() {
                true => self.selected.map_or(0, |id| grouping.stands_for(id)),
                false => self.marked.iter().map(|id| grouping.stands_for(*id)).sum(),
            };
        }
        if self.marked.is_empty() {
            usize::from(self.selected.is_some())
        } else {
            self.marked.len()
        }
    }

    /// Ctrl-click: adds a row to the selection or takes it out. Returns the row to show
    /// (the one added), or `None` when it was taken out.
    pub fn toggle(&mut self, row: &MessageRow, index: usize) -> Option<MessageRow> {
        if self.marked.is_empty()
            && let Some(id) = self.selected
        {
            self.marked.insert(id);
        }
        self.anchor = Some(index);
        self.forget_range();
        if self.marked.remove(&row.id) {
            if self.selected == Some(row.id) {
                // The shown message left the selection: show another selected one, if any.
                self.selected = self.marked.iter().next_back().copied();
                self.selected_index = None;
                self.locate_hint();
            }
            None
        } else {
            self.marked.insert(row.id);
            self.selected = Some(row.id);
            self.selected_index = Some(index);
            Some(row.clone())
        }
    }

    /// Shift-click (or Shift with an arrow key): selects every row from the anchor to
    /// `index`, and shows the row at `index`.
    pub fn select_range(
        &mut self,
        reader: &Reader,
        index: usize,
    ) -> Result<Option<MessageRow>, StoreError> {
        let len = self.len();
        if len == 0 {
            return Ok(None);
        }
        let index = index.min(len - 1);
        let anchor = self
            .anchor
            .or(self.selected_index)
            .unwrap_or(index)
            .min(len - 1);
        let (low, high) = range_bounds(anchor, index);
        self.anchor = Some(anchor);
        self.forget_range();
        let shown = self.row(reader, index)?;
        if let Some(row) = &shown {
            self.selected = Some(row.id);
            self.selected_index = Some(index);
        }
        match self.cached_range(low, high) {
            Some(rows) => self.mark_rows(rows),
            None => {
                // Until the view thread answers, the clicked row stands for the range.
                self.marked = shown.iter().map(|r| r.id).collect();
                self.range_waiting = true;
                self.pending_range = Some(RangeRequest {
                    generation: self.range_generation,
                    view: self.view,
                    sort: self.sort,
                    offset: low as u64,
                    limit: (high - low + 1) as u64,
                    ids: self.hits.as_ref().map(|hits| hits[low..=high].to_vec()),
                });
            }
        }
        Ok(shown)
    }

    /// Ctrl+A: every row of the list (up to [`RANGE_LIMIT`]); the shown message stays.
    pub fn select_all(&mut self, reader: &Reader) -> Result<Option<MessageRow>, StoreError> {
        let len = self.len();
        if len == 0 {
            return Ok(None);
        }
        let keep = (self.selected, self.selected_index);
        self.anchor = Some(0);
        let shown = self.select_range(reader, len - 1)?;
        let Some(id) = keep.0 else {
            return Ok(shown);
        };
        (self.selected, self.selected_index) = keep;
        self.marked.insert(id);
        Ok(None)
    }

    /// The rows `low..=high` if all of them are in cached pages.
    fn cached_range(&self, low: usize, high: usize) -> Option<Vec<MessageRow>> {
        let mut rows = Vec::with_capacity(high - low + 1);
        for index in low..=high {
            rows.push(
                self.pages
                    .get(&(index / PAGE_ROWS))?
                    .get(index % PAGE_ROWS)?
                    .clone(),
            );
        }
        Some(rows)
    }

    fn mark_rows(&mut self, rows: Vec<MessageRow>) {
        self.marked = rows.iter().map(|r| r.id).collect();
        if let Some(id) = self.selected {
            self.marked.insert(id);
        }
        self.range_rows = rows;
    }

    /// The range to read on the view thread, once.
    pub fn take_range_request(&mut self) -> Option<RangeRequest> {
        self.pending_range.take()
    }

    /// Takes the rows of a range the view thread read; false when they answer an older
    /// request (the selection changed meanwhile), which are dropped.
    pub fn apply_range(&mut self, generation: u64, rows: Vec<MessageRow>) -> bool {
        if generation != self.range_generation || !self.range_waiting {
            return false;
        }
        self.range_waiting = false;
        self.mark_rows(rows);
        true
    }

    /// After the selected rows left the view (moved, deleted): nothing stays selected
    /// but the row the caller picks.
    pub fn clear_marks(&mut self) {
        self.marked.clear();
    }

    /// Forgets where the shown row is when it is not among the cached rows.
    fn locate_hint(&mut self) {
        if let (Some(id), Some(hits)) = (self.selected, &self.hits) {
            self.selected_index = hits.iter().position(|hit| *hit == id);
        }
    }

    /// Moves the selection by `delta` rows (keyboard); returns the newly selected row.
    pub fn move_selection(
        &mut self,
        reader: &Reader,
        delta: isize,
    ) -> Result<Option<MessageRow>, StoreError> {
        let len = self.len();
        if len == 0 {
            return Ok(None);
        }
        let target = match self.selected_index {
            Some(index) => index.saturating_add_signed(delta).min(len - 1),
            None => 0,
        };
        if Some(target) == self.selected_index {
            return Ok(None);
        }
        let row = self.row(reader, target)?;
        if let Some(row) = &row {
            self.select(Some(row.id), Some(target));
            self.scroll_to_selection = true;
        }
        Ok(row)
    }

    /// Shift with ↑/↓: grows or shrinks the selection from the anchor; returns the row
    /// now shown.
    pub fn extend_selection(
        &mut self,
        reader: &Reader,
        delta: isize,
    ) -> Result<Option<MessageRow>, StoreError> {
        let len = self.len();
        let Some(current) = self.selected_index else {
            return self.move_selection(reader, delta);
        };
        if len == 0 {
            return Ok(None);
        }
        if self.anchor.is_none() {
            self.anchor = Some(current);
        }
        let target = current.saturating_add_signed(delta).min(len - 1);
        if target == current {
            return Ok(None);
        }
        let row = self.select_range(reader, target)?;
        self.scroll_to_selection = row.is_some();
        Ok(row)
    }

    /// A row as last read, if it is still cached.
    pub fn cached(&self, id: MessageId) -> Option<MessageRow> {
        self.pages
            .values()
            .flatten()
            .chain(&self.range_rows)
            .find(|r| r.id == id)
            .cloned()
    }

    /// Every row as last read, by id: for an action over a large selection, one pass over
    /// the cache instead of one per selected message. Where a row is cached twice, the
    /// copy [`Self::cached`] would give wins.
    pub fn cached_by_id(&self) -> HashMap<MessageId, &MessageRow> {
        let mut rows = HashMap::new();
        for row in self.range_rows.iter().chain(self.pages.values().flatten()) {
            rows.insert(row.id, row);
        }
        rows
    }

    /// Updates the cached rows of `ids` in place (after marking them read, before the store
    /// says so), in one pass over the cache however many there are.
    pub fn patch(&mut self, ids: &[MessageId], change: impl Fn(&mut MessageRow)) {
        let ids: HashSet<MessageId> = ids.iter().copied().collect();
        let rows = self
            .pages
            .values_mut()
            .flatten()
            .chain(&mut self.range_rows);
        for row in rows.filter(|r| ids.contains(&r.id)) {
            change(row);
        }
    }
}

/// The rows a Shift range from `anchor` to `index` selects: both ends, or, when that is more
/// than [`RANGE_LIMIT`] rows, the ones nearest `index` (the row clicked is always among
/// them, so it is shown).
fn range_bounds(anchor: usize, index: usize) -> (usize, usize) {
    if anchor <= index {
        (anchor.max(index.saturating_sub(RANGE_LIMIT - 1)), index)
    } else {
        (index, anchor.min(index.saturating_add(RANGE_LIMIT - 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_longer_than_the_limit_keeps_the_clicked_row() {
        assert_eq!(range_bounds(3, 10), (3, 10));
        assert_eq!(range_bounds(10, 3), (3, 10));
        assert_eq!(range_bounds(5, 5), (5, 5));
        // Downwards, past the limit: the rows up to the one clicked (it used to be cut off).
        let far = RANGE_LIMIT + 100;
        assert_eq!(range_bounds(0, far), (101, far));
        // Upwards, past the limit: from the one clicked.
        assert_eq!(range_bounds(far, 0), (0, RANGE_LIMIT - 1));
    }
}

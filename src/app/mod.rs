//! The window's logic, apart from how it is drawn: what is shown, what the user asked for,
//! and what the engine reported. No egui here (that is `ui`), so this is plain Rust to test.
//!
//! The split follows rerun's `app/logic.rs` and `app/ui.rs`: each frame the window calls
//! [`AppState::update`] (drain events within a small budget, re-read the store if it changed),
//! then draws from the state and turns clicks and keys into calls on it.
//!
//! Reads go through the window's own [`Reader`] and touch only what is on screen (see
//! [`list`]); every change goes to the sync engine's single writer as a job, whose answer
//! comes back on a channel. Opening a message happens on the `poplar-view` thread
//! ([`loader`]). Nothing here waits on the network.

pub mod account_form;
pub mod accounts;
mod answer;
pub mod attachments;
mod conversations;
pub mod dialogs;
pub mod folder_actions;
pub mod folders;
pub mod format;
pub mod list;
pub mod loader;
pub mod moving;
mod navigation;
mod open_attachment;
pub mod print;
mod reveal;
pub mod rule_draft;
pub mod rules_dialog;
mod saved;
pub mod selection;
pub mod signin;
pub mod threads;
pub mod transfer;
pub mod trouble;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::store::{
    Account, AccountId, Folder, FolderKind, ListView, MessageId, MessageRow, Reader, SavedSearch,
    SavedView, SortKey, StoreError, Writer, now,
};
use crate::sync::{Engine, EngineConfig, Event, Progress, Secrets, SyncError};
pub use account_form::{AccountForm, Field, FirstSyncChoice, LeaveChoice, PasswordChoice};
pub use accounts::{AccountsDialog, Editor, KeyringState, Removal, TestState};
pub use list::{MessageList, Reselect};
pub use loader::{Loaded, Loader, OpenMessage};
pub use selection::Confirm;
pub use signin::{SharedBrowser, SignInFailure, SignInState};

/// Wakes the window (egui's `request_repaint`), from any thread.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// How long a frame may spend draining engine events.
pub const EVENT_BUDGET: Duration = Duration::from_millis(4);

/// How the window starts.
#[derive(Clone)]
pub struct StartOptions {
    /// The store file.
    pub store_path: PathBuf,
    /// Where passwords come from and go to.
    pub secrets: Arc<dyn Secrets>,
    /// Check accounts by themselves (off in tests, which must not reach any server).
    pub schedule: bool,
    /// File dialogs (a test double in tests).
    pub dialogs: Arc<dyn dialogs::FileDialogs>,
}

/// Why the window could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

/// What an account is doing, as the folder pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountStatus {
    /// Not checking; when it was last checked.
    Idle {
        /// Unix seconds.
        last_check: Option<i64>,
    },
    /// A check is running.
    Checking {
        /// Download progress, once the listing is known.
        progress: Option<Progress>,
    },
    /// The last check failed.
    Failed {
        /// The whole message, with the server's reply.
        error: String,
        /// What happened and what to do, where this session saw the failure (after a
        /// restart only the stored message is left).
        trouble: Option<trouble::Trouble>,
        /// When the engine tries again by itself.
        retry_at: Option<i64>,
    },
}

/// The message view's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Nothing selected.
    Nothing,
    /// Being read; its list row is shown meanwhile.
    Loading(Box<MessageRow>),
    /// Ready.
    Ready(Box<OpenMessage>),
    /// Reading it failed.
    Failed(String),
}

/// A line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What happened.
    pub text: String,
    /// Whether it is an error.
    pub error: bool,
}

/// What a writer job answered.
enum JobDone {
    Trashed(Result<(), String>),
    Restored(Result<(), String>),
    Marked(Result<(), String>),
    /// The accounts dialog's saves and removals.
    Accounts(accounts::Done),
    /// Any other change: what failed, in words, and the answer.
    Action(String, Result<(), String>),
    /// The folder dialog's create, rename or delete.
    FolderEdit(Result<(), String>),
    /// A move or copy into a folder: how many went.
    Moved(Result<u64, String>),
    /// A rule saved, switched, moved or deleted (`None`), or a run of the rules.
    Rules(Result<Option<crate::store::RulesRun>, String>),
}

/// The window's state. See the module documentation.
pub struct AppState {
    store_path: PathBuf,
    reader: Reader,
    engine: Engine,
    secrets: Arc<dyn Secrets>,
    dialogs: Arc<dyn dialogs::FileDialogs>,
    /// Where the accounts dialog's sign-in page opens (the desktop's browser by default).
    browser: signin::SharedBrowser,
    /// Where Print sends the PDF (the print portal on the desktop).
    printer: print::SharedPrinter,
    waker: Waker,
    events: smol::channel::Receiver<Event>,
    jobs: Sender<JobDone>,
    done: Receiver<JobDone>,
    loader: Loader,
    attachment_saves: attachments::AttachmentSaves,
    change_counter: Option<i64>,
    accounts: Vec<Account>,
    folders: Vec<Folder>,
    /// The user's saved searches, as last read.
    saved_searches: Vec<SavedSearch>,
    /// The subject of the conversation the list shows (its title).
    conversation_subject: String,
    /// Which folders of the pane are collapsed.
    pub folder_tree: folders::FolderTree,
    statuses: HashMap<AccountId, AccountStatus>,
    list: MessageList,
    opened: Opened,
    /// "View source" is on.
    pub show_source: bool,
    notices: Vec<Notice>,
    last_result: Option<String>,
    /// The accounts dialog, while it is open.
    pub accounts_dialog: Option<AccountsDialog>,
    /// A question waiting for the user's answer.
    confirm: Option<Confirm>,
    /// The folder pane's dialog (new, rename, delete), while it is open.
    folder_dialog: Option<folder_actions::FolderDialog>,
    /// The folders last moved or copied into, newest first.
    recent_folders: Vec<crate::store::FolderId>,
    /// Moves and copies on the writer, oldest first.
    moving: moving::MovingQueue,
    /// The quick folder picker (M), while it is open.
    picker: Option<moving::Picker>,
    /// The rules dialog, while it is open.
    rules_dialog: Option<rules_dialog::RulesDialog>,
    /// The rules dialog's editor waits for the store to take its rule.
    rules_saving: bool,
    /// Export and import.
    transfers: transfer::Transfers,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store_path", &self.store_path)
            .finish_non_exhaustive()
    }
}

fn text(err: impl std::fmt::Display) -> String {
    err.to_string()
}

impl AppState {
    /// Opens the store (creating it on first run), starts the sync engine and the view
    /// thread, and reads the folders.
    pub fn start(options: StartOptions, waker: Waker) -> Result<Self, StartError> {
        if let Some(dir) = options.store_path.parent() {
            std::fs::create_dir_all(dir).map_err(|err| {
                StartError(crate::tr!(
                    "start-error-folder",
                    path = dir.display().to_string(),
                    error = err.to_string()
                ))
            })?;
        }
        let mut config = EngineConfig::new(&options.store_path, Arc::clone(&options.secrets));
        config.schedule = options.schedule;
        config.waker = Some(Arc::clone(&waker));
        let engine = Engine::start(config).map_err(|err| StartError(err.to_string()))?;
        let events = engine.subscribe();
        let reader = Reader::open(&options.store_path).map_err(|err| StartError(text(err)))?;
        let loader = Loader::start(&options.store_path, Arc::clone(&waker))
            .map_err(|err| StartError(crate::tr!("start-error-thread", error = err.to_string())))?;
        let (jobs, done) = channel();
        let mut state = Self {
            store_path: options.store_path,
            reader,
            engine,
            secrets: options.secrets,
            dialogs: options.dialogs,
            browser: Arc::new(crate::oauth::SystemBrowser),
            printer: Arc::new(print::NoPrintDialog),
            waker,
            events,
            jobs,
            done,
            loader,
            attachment_saves: attachments::AttachmentSaves::default(),
            change_counter: None,
            accounts: Vec::new(),
            folders: Vec::new(),
            saved_searches: Vec::new(),
            conversation_subject: String::new(),
            folder_tree: folders::FolderTree::default(),
            statuses: HashMap::new(),
            list: MessageList::new(ListView::AllInboxes),
            opened: Opened::Nothing,
            show_source: false,
            notices: Vec::new(),
            last_result: None,
            accounts_dialog: None,
            confirm: None,
            folder_dialog: None,
            recent_folders: Vec::new(),
            moving: moving::MovingQueue::new(),
            picker: None,
            rules_dialog: None,
            rules_saving: false,
            transfers: transfer::Transfers::default(),
        };
        state.refresh();
        Ok(state)
    }

    /// The store file.
    pub fn store_path(&self) -> &Path {
        &self.store_path
    }

    // ----- reading the state --------------------------------------------------------------

    /// The accounts.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// Every folder with its counts.
    pub fn folders(&self) -> &[Folder] {
        &self.folders
    }

    /// What an account is doing.
    pub fn status(&self, account: AccountId) -> AccountStatus {
        self.statuses
            .get(&account)
            .cloned()
            .unwrap_or(AccountStatus::Idle { last_check: None })
    }

    /// The message list.
    pub fn list(&self) -> &MessageList {
        &self.list
    }

    /// Returns, once, the row the list should scroll to.
    pub fn take_scroll_request(&mut self) -> Option<usize> {
        self.list.take_scroll_request()
    }

    /// The list row at `index` (read from the store when not cached).
    pub fn row(&mut self, index: usize) -> Option<MessageRow> {
        match self.list.row(&self.reader, index) {
            Ok(row) => row,
            Err(err) => {
                self.store_failed(&err);
                None
            }
        }
    }

    /// The message view's content.
    pub fn opened(&self) -> &Opened {
        &self.opened
    }

    /// Status bar notices, oldest first.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// Dismisses the notice at `index`.
    pub fn dismiss_notice(&mut self, index: usize) {
        if index < self.notices.len() {
            self.notices.remove(index);
        }
    }

    /// The outcome of the last check, in words.
    pub fn last_result(&self) -> Option<&str> {
        self.last_result.as_deref()
    }

    /// Total unread messages in every inbox.
    pub fn unread_in_inboxes(&self) -> u64 {
        crate::store::unread_in_inboxes(&self.folders)
    }

    /// The folder the list shows, if it shows one folder.
    pub fn current_folder(&self) -> Option<&Folder> {
        match self.list.view() {
            ListView::Folder(id) => self.folders.iter().find(|f| f.id == id),
            ListView::AllInboxes | ListView::Saved(_) | ListView::Conversation(_) => None,
        }
    }

    /// Whether the list shows a Trash.
    pub fn in_trash(&self) -> bool {
        self.current_folder()
            .is_some_and(|f| f.kind == FolderKind::Trash)
    }

    /// Whether the list shows a Junk folder.
    pub fn in_junk(&self) -> bool {
        self.current_folder()
            .is_some_and(|f| f.kind == FolderKind::Junk)
    }

    /// The name of what the list shows.
    pub fn view_title(&self) -> String {
        if let ListView::Saved(saved) = self.list.view() {
            return self.saved_name(saved);
        }
        if let ListView::Conversation(_) = self.list.view() {
            return self.conversation_title();
        }
        match self.current_folder() {
            None => crate::tr!("folder-all-inboxes"),
            Some(folder) => {
                let name = format::folder_name(folder);
                match folder.account_id {
                    Some(account) => match self.accounts.iter().find(|a| a.id == account) {
                        Some(a) => format!("{} – {name}", a.settings.name),
                        None => name,
                    },
                    None => format!("{} – {name}", crate::tr!("folder-local")),
                }
            }
        }
    }

    // ----- each frame ---------------------------------------------------------------------

    /// Drains engine events and job answers (within `budget`), takes a loaded message, and
    /// re-reads the store if another connection changed it.
    pub fn update(&mut self, budget: Duration) {
        let deadline = Instant::now() + budget;
        while Instant::now() < deadline {
            match self.events.try_recv() {
                Ok(event) => self.on_event(event),
                Err(_) => break,
            }
        }
        if !self.events.is_empty() {
            // Over budget: the rest next frame.
            (self.waker)();
        }
        while let Ok(done) = self.done.try_recv() {
            self.on_job_done(done);
        }
        while let Some(loaded) = self.loader.try_recv() {
            self.on_loaded(loaded);
        }
        self.poll_attachments();
        self.poll_transfers();
        self.poll_accounts_dialog();
        self.poll_sign_in();
        match self.reader.change_counter() {
            Ok(counter) if Some(counter) != self.change_counter => {
                self.change_counter = Some(counter);
                self.refresh();
            }
            Ok(_) => {}
            Err(err) => self.store_failed(&err),
        }
        // A re-read list re-runs its search, off this thread.
        self.dispatch_search();
    }

    /// Re-reads accounts, folders and the list.
    fn refresh(&mut self) {
        match self.reader.accounts() {
            Ok(accounts) => self.accounts = accounts,
            Err(err) => self.store_failed(&err),
        }
        for account in &self.accounts {
            self.statuses
                .entry(account.id)
                .or_insert_with(|| match &account.last_error {
                    Some(error) => AccountStatus::Failed {
                        error: error.clone(),
                        trouble: None,
                        retry_at: None,
                    },
                    None => AccountStatus::Idle {
                        last_check: account.last_check_at,
                    },
                });
        }
        match self.reader.folders() {
            Ok(folders) => self.folders = folders,
            Err(err) => self.store_failed(&err),
        }
        match self.reader.saved_searches() {
            Ok(saved) => self.saved_searches = saved,
            Err(err) => self.store_failed(&err),
        }
        let gone = match self.list.view() {
            ListView::Folder(id) => !self.folders.iter().any(|f| f.id == id),
            ListView::Saved(SavedView::Own(id)) => !self.saved_searches.iter().any(|s| s.id == id),
            _ => false,
        };
        if gone {
            self.select_view(ListView::AllInboxes);
            return;
        }
        let reselect = self.list.refresh(&self.reader, &self.folders);
        self.follow(reselect);
    }

    /// Shows what the list selected in place of a message that left it.
    fn follow(&mut self, reselect: Result<Reselect, StoreError>) {
        match reselect {
            Ok(Reselect::Unchanged) => {}
            Ok(Reselect::Moved(row)) => self.open_row(row),
            Ok(Reselect::Cleared) => self.opened = Opened::Nothing,
            Err(err) => self.store_failed(&err),
        }
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Started { account } => {
                self.statuses
                    .insert(account, AccountStatus::Checking { progress: None });
            }
            Event::Progress { account, progress } => {
                self.statuses.insert(
                    account,
                    AccountStatus::Checking {
                        progress: Some(progress),
                    },
                );
            }
            Event::NewMail { .. } | Event::StoreChanged => {}
            Event::Finished { account, report } => {
                let name = self.account_name(account);
                let mut line = crate::tr!(
                    "check-result",
                    count = report.downloaded,
                    account = name.as_str()
                );
                line.push_str(&format!(" ({})", format::check_time(now(), now())));
                self.last_result = Some(line);
                for warning in report.warnings {
                    self.notice(format!("{name}: {warning}"), false);
                }
                self.statuses.insert(
                    account,
                    AccountStatus::Idle {
                        last_check: Some(now()),
                    },
                );
            }
            Event::RestDownloaded { message } => {
                if self.opened_id() == Some(message) {
                    self.loader.request(message);
                }
            }
            Event::Failed {
                account,
                error,
                retry_at,
            } => self.on_failed(account, &error, retry_at),
        }
    }

    fn on_failed(&mut self, account: AccountId, error: &SyncError, retry_at: Option<i64>) {
        if self.accounts.iter().any(|a| a.id == account) {
            let name = self.account_name(account);
            let reason = trouble::short_in(crate::i18n::language(), error);
            self.last_result = Some(crate::tr!(
                "check-failed",
                account = name.as_str(),
                reason = reason.as_str()
            ));
            self.statuses.insert(
                account,
                AccountStatus::Failed {
                    error: error.to_string(),
                    trouble: Some(trouble::explain(&name, error)),
                    retry_at,
                },
            );
            self.warn_if_certificate_changed(account, error);
        } else {
            // "Download the rest" of a message whose account is gone, and the like.
            self.notice(error.to_string(), true);
        }
    }

    fn on_job_done(&mut self, done: JobDone) {
        match done {
            JobDone::Trashed(Err(err)) => {
                self.notice(crate::tr!("notice-trash-failed", error = err), true);
            }
            JobDone::Restored(Err(err)) => {
                self.notice(crate::tr!("notice-restore-failed", error = err), true);
            }
            JobDone::Marked(Err(err)) => {
                self.notice(crate::tr!("notice-mark-read-failed", error = err), true);
            }
            JobDone::Accounts(done) => self.on_accounts_done(done),
            JobDone::FolderEdit(result) => self.on_folder_edit_done(result),
            JobDone::Moved(result) => self.on_moved(result),
            JobDone::Rules(result) => self.on_rules_done(result),
            JobDone::Action(what, Err(err)) => self.notice(format!("{what}: {err}"), true),
            JobDone::Trashed(Ok(()))
            | JobDone::Restored(Ok(()))
            | JobDone::Marked(Ok(()))
            | JobDone::Action(_, Ok(())) => {}
        }
        // The job committed: show it now rather than at the next poll.
        self.change_counter = None;
    }

    fn on_loaded(&mut self, loaded: Loaded) {
        let wanted = self.opened_id();
        match loaded {
            Loaded::Message(message) if Some(message.row.id) == wanted => {
                self.opened = Opened::Ready(message);
            }
            Loaded::Missing(id) if Some(id) == wanted => self.opened = Opened::Nothing,
            Loaded::Failed(id, err) if Some(id) == wanted => {
                self.opened =
                    Opened::Failed(crate::tr!("notice-open-failed", error = err.to_string()));
            }
            Loaded::Ranged { generation, rows } => match rows {
                Ok(rows) => {
                    self.list.apply_range(generation, rows);
                }
                Err(err) => self.notice(
                    crate::tr!("notice-select-failed", error = err.to_string()),
                    true,
                ),
            },
            Loaded::Searched { generation, hits } => match hits {
                Ok(hits) => {
                    if self.list.apply_search(generation, hits) {
                        let reselect = self.list.take_reselect(&self.reader);
                        self.follow(reselect);
                    }
                }
                Err(err) => self.notice(
                    crate::tr!("notice-search-failed", error = err.to_string()),
                    true,
                ),
            },
            _ => {} // An answer to an older request.
        }
    }

    /// Hands a search the list asked for to the view thread.
    fn dispatch_search(&mut self) {
        if let Some(request) = self.list.take_search_request() {
            self.loader.search(request);
        }
    }

    // ----- what the user does -------------------------------------------------------------

    /// Shows a folder, or every inbox.
    pub fn select_view(&mut self, view: ListView) {
        self.opened = Opened::Nothing;
        self.show_source = false;
        let base = match view {
            ListView::Saved(saved) => self.saved_query(saved),
            _ => String::new(),
        };
        self.list.set_base(&base);
        if let Err(err) = self.list.set_view(&self.reader, view) {
            self.store_failed(&err);
        }
        self.dispatch_search();
    }

    /// Sorts by a column; again reverses.
    pub fn sort_by(&mut self, key: SortKey) {
        if let Err(err) = self.list.sort_by(&self.reader, key) {
            self.store_failed(&err);
        }
        self.dispatch_search();
    }

    /// Narrows the list by full-text search.
    pub fn set_query(&mut self, query: &str) {
        if let Err(err) = self.list.set_query(&self.reader, query) {
            self.store_failed(&err);
        }
        self.dispatch_search();
    }

    /// Selects and opens a row (a click).
    pub fn click_row(&mut self, index: usize, row: MessageRow) {
        self.list.select(Some(row.id), Some(index));
        self.open_row(row);
    }

    /// Moves the selection up (negative) or down and opens what it lands on.
    pub fn move_selection(&mut self, delta: isize) {
        match self.list.move_selection(&self.reader, delta) {
            Ok(Some(row)) => self.open_row(row),
            Ok(None) => {}
            Err(err) => self.store_failed(&err),
        }
    }

    /// Opens a row's message and marks it read.
    pub(crate) fn open_row(&mut self, row: MessageRow) {
        if self.opened_id() == Some(row.id) {
            return;
        }
        self.loader.request(row.id);
        if !row.seen {
            let id = row.id;
            self.list.patch(&[id], |r| r.seen = true);
            self.job(move |w| w.set_seen(&[id], true), JobDone::Marked);
        }
        self.opened = Opened::Loading(Box::new(row));
    }

    fn opened_id(&self) -> Option<MessageId> {
        match &self.opened {
            Opened::Loading(row) => Some(row.id),
            Opened::Ready(message) => Some(message.row.id),
            Opened::Nothing | Opened::Failed(_) => None,
        }
    }

    /// Checks one account, or all, now.
    pub fn check_now(&mut self, account: Option<AccountId>) {
        if self.accounts.is_empty() {
            self.notice(crate::tr!("notice-no-account"), false);
            return;
        }
        self.engine.check_now(account);
    }

    /// Downloads the rest of a message stored as headers only.
    pub fn download_rest(&mut self, id: MessageId) {
        self.engine.download_rest(id);
        self.last_result = Some(crate::tr!("notice-downloading-rest"));
    }

    /// Queues `work` on the store's writer; its answer comes back through `done` and wakes
    /// the window.
    fn job<T, E>(
        &self,
        work: impl FnOnce(&mut Writer) -> Result<T, E> + Send + 'static,
        done: fn(Result<T, String>) -> JobDone,
    ) where
        T: Send + 'static,
        E: std::fmt::Display,
    {
        let answers = self.jobs.clone();
        let waker = Arc::clone(&self.waker);
        // The answer travels through `answers`, so the returned future is not needed.
        drop(self.engine.store().start(move |writer| {
            let result = work(writer).map_err(text);
            let _ = answers.send(done(result));
            waker();
        }));
    }

    /// The name of the account a message came from (Local for imported mail).
    pub fn account_label(&self, account: Option<AccountId>) -> String {
        match account {
            Some(account) => self.account_name(account),
            None => crate::tr!("folder-local"),
        }
    }

    fn account_name(&self, account: AccountId) -> String {
        self.accounts
            .iter()
            .find(|a| a.id == account)
            .map(|a| a.settings.name.clone())
            .unwrap_or_else(|| crate::tr!("account-fallback-name", id = account))
    }

    fn notice(&mut self, text: String, error: bool) {
        // The same notice twice in a row is shown once.
        if self.notices.last().is_some_and(|n| n.text == text) {
            return;
        }
        self.notices.push(Notice { text, error });
        if self.notices.len() > 20 {
            self.notices.remove(0);
        }
    }

    fn store_failed(&mut self, err: &StoreError) {
        self.notice(
            crate::tr!("notice-store-failed", error = err.to_string()),
            true,
        );
    }
}

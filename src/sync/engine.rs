//! The sync engine: a named background thread running a smol executor, one task per account,
//! the store's writer on its own thread, and events for anyone who listens (the window, the
//! command line, tests).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use smol::channel::{Receiver, Sender};

use super::error::{Next, SyncError, SyncErrorKind};
use super::pass::{
    Clock, PassContext, PassEvent, PassReport, Progress, SyncOptions, run_pass, system_clock,
};
use super::secrets::Secrets;
use super::store_thread::StoreHandle;
use crate::store::{Account, AccountId, MessageId, Writer};

/// What the engine tells its listeners. Every pass ends with `Finished` or `Failed`.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A check of the account started.
    Started {
        /// The account.
        account: AccountId,
    },
    /// Download progress (from LIST sizes).
    Progress {
        /// The account.
        account: AccountId,
        /// Messages and bytes.
        progress: Progress,
    },
    /// New messages were stored.
    NewMail {
        /// The account.
        account: AccountId,
        /// How many.
        count: u64,
        /// The new messages (the notification shows the first senders and subjects).
        messages: Vec<MessageId>,
    },
    /// The store changed: re-read what is shown.
    StoreChanged,
    /// The check finished.
    Finished {
        /// The account.
        account: AccountId,
        /// What it did.
        report: PassReport,
    },
    /// "Download the rest" replaced a headers-only message by the whole one.
    RestDownloaded {
        /// The message.
        message: MessageId,
    },
    /// The check failed.
    Failed {
        /// The account.
        account: AccountId,
        /// Why.
        error: SyncError,
        /// When the engine will try again by itself (Unix seconds); `None`: not until the user
        /// changes something or asks.
        retry_at: Option<i64>,
    },
}

/// How the engine runs.
#[derive(Clone)]
pub struct EngineConfig {
    /// The store file.
    pub store_path: PathBuf,
    /// Where passwords come from.
    pub secrets: Arc<dyn Secrets>,
    /// The time (injected by tests).
    pub clock: Clock,
    /// Pass tuning.
    pub options: SyncOptions,
    /// Check accounts by themselves (on start and every N minutes). Off for the command line,
    /// which checks only when asked.
    pub schedule: bool,
    /// Called after every event, so a window can wake up and drain them.
    pub waker: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl EngineConfig {
    /// A configuration with the system clock, default tuning and scheduling on.
    pub fn new(store_path: &Path, secrets: Arc<dyn Secrets>) -> Self {
        Self {
            store_path: store_path.to_path_buf(),
            secrets,
            clock: system_clock(),
            options: SyncOptions::default(),
            schedule: true,
            waker: None,
        }
    }
}

enum Command {
    CheckNow(Option<AccountId>),
    DownloadRest(MessageId),
    AccountsChanged,
    Shutdown,
}

enum AccountCommand {
    CheckNow,
    Changed,
}

type Subscribers = Arc<Mutex<Vec<Sender<Event>>>>;

/// The running engine. Dropping it stops it (after the passes in progress are cancelled).
pub struct Engine {
    handle: EngineHandle,
    cancels: Arc<Mutex<HashMap<AccountId, Arc<AtomicBool>>>>,
    store: StoreHandle,
    thread: Option<JoinHandle<()>>,
    store_thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

/// A provider's minimum check interval in minutes, by POP3 host, from the presets (WEB.DE
/// refuses logins more often than every 15 minutes).
pub fn provider_min_interval(host: &str) -> Option<u32> {
    crate::presets::for_host(host).and_then(|preset| preset.min_interval_minutes)
}

impl Engine {
    /// Opens the store for writing (refusing if another Poplar has it) and starts the engine.
    pub fn start(config: EngineConfig) -> Result<Self, SyncError> {
        let writer = Writer::open(&config.store_path)?;
        let (store, store_thread) = StoreHandle::spawn(writer).map_err(|err| {
            SyncError::new(
                SyncErrorKind::Store,
                format!("cannot start the store thread: {err}"),
            )
        })?;
        let (commands, inbox) = smol::channel::unbounded();
        let subscribers: Subscribers = Arc::default();
        let cancels: Arc<Mutex<HashMap<AccountId, Arc<AtomicBool>>>> = Arc::default();
        let runner = Runner {
            config,
            store: store.clone(),
            subscribers: Arc::clone(&subscribers),
            cancels: Arc::clone(&cancels),
        };
        let thread = std::thread::Builder::new()
            .name("poplar-sync".into())
            .spawn(move || runner.run(inbox))
            .map_err(|err| {
                SyncError::new(
                    SyncErrorKind::Store,
                    format!("cannot start the sync thread: {err}"),
                )
            })?;
        Ok(Self {
            handle: EngineHandle {
                commands,
                subscribers,
            },
            cancels,
            store,
            thread: Some(thread),
            store_thread: Some(store_thread),
        })
    }

    /// A new stream of events (each subscriber gets every event from now on).
    pub fn subscribe(&self) -> Receiver<Event> {
        self.handle.subscribe()
    }

    /// Checks one account, or all, now.
    pub fn check_now(&self, account: Option<AccountId>) {
        self.handle.check_now(account);
    }

    /// A handle for other threads: checks and events, without owning the engine.
    pub fn handle(&self) -> EngineHandle {
        self.handle.clone()
    }

    /// Downloads the whole of a message stored as headers only; ends with `RestDownloaded`
    /// or `Failed`.
    pub fn download_rest(&self, message: MessageId) {
        let _ = self
            .handle
            .commands
            .try_send(Command::DownloadRest(message));
    }

    /// Cancels a running check of the account (it ends with `Failed`, kind cancelled).
    pub fn cancel(&self, account: AccountId) {
        if let Ok(cancels) = self.cancels.lock()
            && let Some(flag) = cancels.get(&account)
        {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Re-reads the accounts (added, removed, settings or password changed); accounts stopped
    /// by a refused login are polled again.
    pub fn accounts_changed(&self) {
        let _ = self.handle.commands.try_send(Command::AccountsChanged);
    }

    /// The store's writer, for the window's own changes (mark read, delete, …).
    pub fn store(&self) -> &StoreHandle {
        &self.store
    }

    /// Stops the engine: running passes are cancelled, the store is closed.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Ok(cancels) = self.cancels.lock() {
            for flag in cancels.values() {
                flag.store(true, Ordering::Relaxed);
            }
        }
        let _ = self.handle.commands.try_send(Command::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.store.close();
        if let Some(thread) = self.store_thread.take() {
            let _ = thread.join();
        }
        // Handles may outlive the engine: their event streams end here.
        if let Ok(mut subscribers) = self.handle.subscribers.lock() {
            subscribers.clear();
        }
    }
}

/// What other threads keep of the engine (the instance server, the notifier): they can ask
/// for a check and listen to events. Once the engine has stopped, its asks go nowhere and its
/// event streams end.
#[derive(Clone)]
pub struct EngineHandle {
    commands: Sender<Command>,
    subscribers: Subscribers,
}

impl std::fmt::Debug for EngineHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineHandle").finish_non_exhaustive()
    }
}

impl EngineHandle {
    /// A new stream of events (each subscriber gets every event from now on).
    pub fn subscribe(&self) -> Receiver<Event> {
        let (sender, receiver) = smol::channel::unbounded();
        if let Ok(mut subscribers) = self.subscribers.lock() {
            subscribers.push(sender);
        }
        receiver
    }

    /// Checks one account, or all, now.
    pub fn check_now(&self, account: Option<AccountId>) {
        let _ = self.commands.try_send(Command::CheckNow(account));
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Sends `events` to every subscriber, forgetting those that are gone, then wakes the window.
fn broadcast(
    subscribers: &Subscribers,
    waker: Option<&Arc<dyn Fn() + Send + Sync>>,
    events: impl IntoIterator<Item = Event>,
) {
    if let Ok(mut subscribers) = subscribers.lock() {
        for event in events {
            subscribers.retain(|s| s.try_send(event.clone()).is_ok());
        }
    }
    if let Some(waker) = waker {
        waker();
    }
}

/// The engine thread's state.
struct Runner {
    config: EngineConfig,
    store: StoreHandle,
    subscribers: Subscribers,
    cancels: Arc<Mutex<HashMap<AccountId, Arc<AtomicBool>>>>,
}

impl Runner {
    fn run(self, inbox: Receiver<Command>) {
        let executor = smol::LocalExecutor::new();
        let shared = Arc::new(self);
        smol::block_on(executor.run(async {
            let mut tasks: HashMap<AccountId, Sender<AccountCommand>> = HashMap::new();
            shared.sync_tasks(&executor, &mut tasks).await;
            while let Ok(command) = inbox.recv().await {
                match command {
                    Command::CheckNow(target) => {
                        for (id, task) in &tasks {
                            if target.is_none_or(|t| t == *id) {
                                let _ = task.try_send(AccountCommand::CheckNow);
                            }
                        }
                        if let Some(id) = target
                            && !tasks.contains_key(&id)
                        {
                            shared.emit(Event::Failed {
                                account: id,
                                error: SyncError::new(
                                    SyncErrorKind::Settings,
                                    format!("there is no account {id}"),
                                ),
                                retry_at: None,
                            });
                        }
                    }
                    Command::DownloadRest(message) => {
                        executor
                            .spawn(Arc::clone(&shared).download_rest(message))
                            .detach();
                    }
                    Command::AccountsChanged => shared.sync_tasks(&executor, &mut tasks).await,
                    Command::Shutdown => break,
                }
            }
            // Closing the channels ends every account task.
            tasks.clear();
        }));
    }

    fn emit(&self, event: Event) {
        broadcast(&self.subscribers, self.config.waker.as_ref(), [event]);
    }

    /// Starts a task for each new account, tells changed ones, ends removed ones.
    async fn sync_tasks(
        self: &Arc<Self>,
        executor: &smol::LocalExecutor<'_>,
        tasks: &mut HashMap<AccountId, Sender<AccountCommand>>,
    ) {
        let accounts = match self.store.run(|w| w.accounts()).await {
            Ok(Ok(accounts)) => accounts,
            Ok(Err(err)) => {
                tracing::warn!("cannot read the accounts: {err}");
                return;
            }
            Err(err) => {
                tracing::warn!("cannot read the accounts: {err}");
                return;
            }
        };
        tasks.retain(|id, _| accounts.iter().any(|a| a.id == *id));
        for account in accounts {
            if let Some(task) = tasks.get(&account.id) {
                let _ = task.try_send(AccountCommand::Changed);
                continue;
            }
            let (sender, receiver) = smol::channel::unbounded();
            tasks.insert(account.id, sender);
            let cancel = Arc::new(AtomicBool::new(false));
            if let Ok(mut cancels) = self.cancels.lock() {
                cancels.insert(account.id, Arc::clone(&cancel));
            }
            executor
                .spawn(Arc::clone(self).account_task(account, receiver, cancel))
                .detach();
        }
    }

    /// Re-reads the account's stored settings and first-sync state (kept as they were when the
    /// store cannot be read).
    async fn refresh(&self, account: &mut Account) {
        let id = account.id;
        if let Ok(Ok(Some(fresh))) = self.store.run(move |w| w.account(id)).await {
            *account = fresh;
        }
    }

    /// One account's loop: wait until due or asked, run a pass, decide when next.
    async fn account_task(
        self: Arc<Self>,
        mut account: Account,
        commands: Receiver<AccountCommand>,
        cancel: Arc<AtomicBool>,
    ) {
        let schedule = self.config.schedule;
        let mut due: Option<Duration> = if schedule && account.settings.check_on_start {
            Some(Duration::ZERO)
        } else if schedule {
            Some(check_interval(&account, None))
        } else {
            None
        };
        let mut failures = 0u32;
        loop {
            let command = match due {
                Some(wait) => {
                    smol::future::or(async { commands.recv().await.map(Some) }, async {
                        smol::Timer::after(wait).await;
                        Ok(None)
                    })
                    .await
                }
                None => commands.recv().await.map(Some),
            };
            match command {
                Err(_) => return,
                Ok(Some(AccountCommand::Changed)) => {
                    self.refresh(&mut account).await;
                    failures = 0;
                    due = if schedule {
                        Some(check_interval(&account, None))
                    } else {
                        None
                    };
                    continue;
                }
                Ok(Some(AccountCommand::CheckNow)) | Ok(None) => {}
            }
            // Always the stored settings and first-sync state.
            self.refresh(&mut account).await;
            cancel.store(false, Ordering::Relaxed);
            let (outcome, login_delay) = self.pass(&account, &cancel).await;
            let now = (self.config.clock)();
            match outcome {
                Ok(()) => {
                    failures = 0;
                    due = schedule.then(|| check_interval(&account, login_delay));
                }
                Err(error) => {
                    failures += 1;
                    // A refused login waits for the user; a cancelled check waits for its
                    // next regular turn; anything else backs off.
                    let retry = match error.next() {
                        _ if !schedule => None,
                        Next::AskUser => None,
                        Next::NextTurn => {
                            failures = 0;
                            Some(check_interval(&account, None))
                        }
                        _ => Some(retry_after(&account, &error, failures)),
                    };
                    self.emit(Event::Failed {
                        account: account.id,
                        error: error.for_account(&account.settings.name),
                        retry_at: retry.map(|r| now + r.as_secs() as i64),
                    });
                    due = retry;
                }
            }
        }
    }

    /// The context of a pass (or a download of the rest) for this account.
    fn context(&self, account: &Account, cancel: &Arc<AtomicBool>) -> PassContext {
        let subscribers = Arc::clone(&self.subscribers);
        let waker = self.config.waker.clone();
        let id = account.id;
        let on_progress = Arc::new(move |event: PassEvent| {
            let events: Vec<Event> = match event {
                PassEvent::Progress(progress) => vec![Event::Progress {
                    account: id,
                    progress,
                }],
                PassEvent::Committed { new, stored } if new > 0 => vec![
                    Event::NewMail {
                        account: id,
                        count: new,
                        messages: stored,
                    },
                    Event::StoreChanged,
                ],
                PassEvent::Committed { .. } => vec![Event::StoreChanged],
            };
            broadcast(&subscribers, waker.as_ref(), events);
        });
        PassContext {
            account: account.clone(),
            store: self.store.clone(),
            secrets: Arc::clone(&self.config.secrets),
            clock: Arc::clone(&self.config.clock),
            options: self.config.options.clone(),
            cancel: Arc::clone(cancel),
            on_progress,
        }
    }

    async fn download_rest(self: Arc<Self>, message: MessageId) {
        let found = self
            .store
            .run(
                move |w| -> Result<Option<Account>, crate::store::StoreError> {
                    match w.message_origin(message)? {
                        Some((account, _, _)) => w.account(account),
                        None => Ok(None),
                    }
                },
            )
            .await;
        let account = match found {
            Ok(Ok(Some(account))) => account,
            Ok(Ok(None)) => {
                let error = SyncError::new(
                    SyncErrorKind::Settings,
                    format!("message {message} did not come from an account"),
                );
                self.emit(Event::Failed {
                    account: 0,
                    error,
                    retry_at: None,
                });
                return;
            }
            Ok(Err(err)) => {
                self.emit(Event::Failed {
                    account: 0,
                    error: err.into(),
                    retry_at: None,
                });
                return;
            }
            Err(error) => {
                self.emit(Event::Failed {
                    account: 0,
                    error,
                    retry_at: None,
                });
                return;
            }
        };
        let id = account.id;
        let ctx = self.context(&account, &Arc::new(AtomicBool::new(false)));
        match super::pass::fetch_rest(&ctx, message).await {
            Ok(()) => self.emit(Event::RestDownloaded { message }),
            Err(error) => self.emit(Event::Failed {
                account: id,
                error,
                retry_at: None,
            }),
        }
    }

    /// Runs one pass and emits its events (except `Failed`, which the caller emits with its
    /// retry time).
    async fn pass(
        &self,
        account: &Account,
        cancel: &Arc<AtomicBool>,
    ) -> (Result<(), SyncError>, Option<u32>) {
        self.emit(Event::Started {
            account: account.id,
        });
        let id = account.id;
        let ctx = self.context(account, cancel);
        let result = run_pass(&ctx).await;
        let now = (self.config.clock)();
        let error_text = result.as_ref().err().map(|e| e.to_string());
        let _ = self
            .store
            .run(move |w| w.record_check(id, now, error_text.as_deref()))
            .await;
        self.emit(Event::StoreChanged);
        match result {
            Ok(report) => {
                let login_delay = report.login_delay;
                self.emit(Event::Finished {
                    account: id,
                    report,
                });
                (Ok(()), login_delay)
            }
            Err(error) => (Err(error), None),
        }
    }
}

/// The time until the next scheduled check: the account's interval, at least the
/// provider's minimum and the server's LOGIN-DELAY.
pub fn check_interval(account: &Account, login_delay: Option<u32>) -> Duration {
    let minutes = account
        .settings
        .interval_minutes
        .max(1)
        .max(provider_min_interval(&account.settings.host).unwrap_or(1));
    let seconds = u64::from(minutes) * 60;
    Duration::from_secs(seconds.max(u64::from(login_delay.unwrap_or(0))))
}

/// Exponential backoff after a recoverable failure: 1, 2, 4 … minutes, at most the
/// account's interval; `[IN-USE]` waits at least 5 minutes, `[LOGIN-DELAY]` the interval.
pub fn retry_after(account: &Account, error: &SyncError, failures: u32) -> Duration {
    let interval = check_interval(account, None);
    let exponential =
        Duration::from_secs(60u64.saturating_mul(1 << failures.min(10).saturating_sub(1)));
    match error.next() {
        Next::RetryAtInterval => interval,
        Next::RetryWhenFree => exponential
            .max(Duration::from_secs(300))
            .min(interval.max(Duration::from_secs(300))),
        Next::NextTurn => interval,
        Next::Retry | Next::RetryButCheckSettings | Next::AskUser => exponential.min(interval),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::AccountSettings;
    use crate::pop3::ErrorKind as Pop3Kind;

    fn account(host: &str, minutes: u32) -> Account {
        let mut settings = AccountSettings::new("A", "a@x", host, "a");
        settings.interval_minutes = minutes;
        Account {
            id: 1,
            settings,
            created_at: 0,
            first_sync_done_at: None,
            last_check_at: None,
            last_error: None,
            auth_learned: None,
        }
    }

    #[test]
    fn checks_respect_the_providers_minimum_and_login_delay() {
        assert_eq!(
            check_interval(&account("pop.gmx.net", 5), None),
            Duration::from_secs(300)
        );
        assert_eq!(
            check_interval(&account("pop3.web.de", 5), None),
            Duration::from_secs(900),
            "WEB.DE: 15 minutes"
        );
        assert_eq!(
            check_interval(&account("pop.gmx.net", 5), Some(3600)),
            Duration::from_secs(3600)
        );
    }

    #[test]
    fn failures_back_off_exponentially_up_to_the_interval() {
        let a = account("pop.example.de", 30);
        let timeout = SyncError::new(SyncErrorKind::Pop3(Pop3Kind::Timeout), "t");
        let waits: Vec<u64> = (1..=7)
            .map(|n| retry_after(&a, &timeout, n).as_secs() / 60)
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
        let in_use = SyncError::new(SyncErrorKind::Pop3(Pop3Kind::InUse), "locked");
        assert_eq!(
            retry_after(&a, &in_use, 1),
            Duration::from_secs(300),
            "IN-USE waits at least 5 minutes"
        );
        let delay = SyncError::new(SyncErrorKind::Pop3(Pop3Kind::LoginDelay), "wait");
        assert_eq!(retry_after(&a, &delay, 1), Duration::from_secs(1800));
    }
}

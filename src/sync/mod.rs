//! The sync engine: joins the POP3 engine and the store into what users want. New mail
//! arrives by itself, nothing is lost or stored twice even when a download is cut off, and
//! the server is cleaned up exactly as the account says.
//!
//! - [`pass`]: one pass over one account (the exactly-once algorithm).
//! - [`engine`]: the background thread, scheduling, events.
//! - [`store_thread`]: the store's single writer on its own thread.
//! - [`secrets`]: passwords from the keyring, a command, or memory.
//! - [`grant`]: an OAuth account's grant: sign-in, the keyring entry, refresh.

mod download;
pub mod engine;
pub mod error;
pub mod grant;
pub mod pass;
pub mod probe;
pub mod secrets;
pub mod store_thread;

pub use engine::{Engine, EngineConfig, EngineHandle, Event, provider_min_interval};
pub use error::{Facts, Next, SyncError, SyncErrorKind};
pub use pass::{
    Clock, PassContext, PassEvent, PassReport, Progress, SyncOptions, content_key, fetch_rest,
    run_pass, system_clock,
};
pub use secrets::{KeyringSecrets, MemorySecrets, SecretError, Secrets};
pub use store_thread::StoreHandle;

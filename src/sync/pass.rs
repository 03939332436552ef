//! One pass over one account: connect, list, download what is new in committed batches, then
//! delete on the server what the account's policy lets go, then QUIT.
//!
//! The order is what makes it exactly-once: a message's bytes and its UIDL are committed in
//! the same transaction; DELE is sent only for UIDLs whose message is durably stored (or that
//! the user deleted here for good); a deletion is recorded as done only after QUIT's `+OK`.
//! Killing the process at any moment therefore loses nothing, and the next pass skips every
//! UIDL that was committed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::download::download;
use super::error::{SyncError, SyncErrorKind};
use super::grant;
use super::secrets::Secrets;
use super::store_thread::StoreHandle;
use crate::account::{FirstSync, ServerPolicy};
use crate::pop3::{
    AuthMethod, Client, ClientConfig, Credentials, Endpoint, ErrorKind, Secret, TlsTrust,
};
use crate::store::{Account, Incoming, LedgerEntry, MessageId, ServerState, prepare};

/// The current time in Unix seconds; injected so tests can move the clock.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(crate::store::now)
}

/// Tuning for passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOptions {
    /// Limit for connecting and the TLS handshake.
    pub connect_timeout: Duration,
    /// Limit for each wait on the server.
    pub read_timeout: Duration,
    /// Commit after this many messages (the first batch, so new mail shows early)…
    pub batch_messages: usize,
    /// …doubling with each commit up to this many (a commit writes every index page its
    /// messages touched, and fsyncs: a larger batch shares both among more messages)…
    pub batch_messages_max: usize,
    /// …or this many bytes…
    pub batch_bytes: usize,
    /// …or when the batch's first message arrived this long ago (a slow server still
    /// commits often), whichever comes first.
    pub batch_interval: Duration,
    /// Use PIPELINING when offered.
    pub use_pipelining: bool,
    /// Lines of the body fetched with the headers of a message over the size limit.
    pub partial_lines: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
            batch_messages: 50,
            batch_messages_max: 500,
            batch_bytes: 8 * 1024 * 1024,
            batch_interval: Duration::from_millis(500),
            use_pipelining: true,
            partial_lines: 20,
        }
    }
}

impl SyncOptions {
    /// How many messages the batch after `committed` earlier batches may hold:
    /// `batch_messages`, doubling each time, up to `batch_messages_max`.
    pub fn batch_limit(&self, committed: usize) -> usize {
        let first = self.batch_messages.max(1);
        first
            .saturating_mul(1 << committed.min(20))
            .min(self.batch_messages_max.max(first))
    }
}

/// Progress within a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Messages downloaded so far.
    pub messages_done: u64,
    /// Messages to download (from the listing).
    pub messages_total: u64,
    /// Bytes downloaded so far.
    pub bytes_done: u64,
    /// Bytes to download (from LIST sizes).
    pub bytes_total: u64,
}

/// What a finished pass did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PassReport {
    /// New messages stored.
    pub downloaded: u64,
    /// Of those, stored as headers only (over the size limit).
    pub partial: u64,
    /// Messages whose content was already stored, linked instead of stored twice.
    pub duplicates: u64,
    /// Messages left on the server by the first-sync choice.
    pub skipped: u64,
    /// Messages deleted on the server (QUIT confirmed).
    pub deleted_on_server: u64,
    /// How long the pass took.
    pub duration: Duration,
    /// The server's LOGIN-DELAY, in seconds, when it announced one.
    pub login_delay: Option<u32>,
    /// Things the user should know that did not fail the pass.
    pub warnings: Vec<String>,
}

/// Everything a pass needs.
#[derive(Clone)]
pub struct PassContext {
    /// The account, as stored when the pass starts.
    pub account: Account,
    /// The store's writer.
    pub store: StoreHandle,
    /// Where the password comes from.
    pub secrets: Arc<dyn Secrets>,
    /// The time.
    pub clock: Clock,
    /// Tuning.
    pub options: SyncOptions,
    /// Set to stop the pass at the next message.
    pub cancel: Arc<AtomicBool>,
    /// Called with progress and with every committed batch.
    pub on_progress: Arc<dyn Fn(PassEvent) + Send + Sync>,
}

/// What a running pass reports along the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassEvent {
    /// Messages and bytes done.
    Progress(Progress),
    /// A batch was committed: the store changed; `new` messages were added.
    Committed {
        /// Messages newly stored by this batch.
        new: u64,
        /// Their ids, in the order they were downloaded.
        stored: Vec<MessageId>,
    },
}

/// Gmail lists at most 250 messages per session; after downloading a full page, connect again.
const PAGED_LISTING: usize = 250;
/// Never more sessions than this in one pass.
const MAX_SESSIONS: usize = 1000;

/// One listed message with its identity.
#[derive(Debug, Clone)]
pub(super) struct Listed {
    pub(super) number: u32,
    pub(super) size: u64,
    pub(super) uidl: String,
}

/// Runs one pass. Every return is either a report or an error; nothing is left half-done that
/// the next pass would not finish.
pub async fn run_pass(ctx: &PassContext) -> Result<PassReport, SyncError> {
    let started = Instant::now();
    let settings = ctx.account.settings.clone();
    let mut secret = login_secret(ctx).await?;
    let mut report = PassReport::default();
    let mut first_sync = ctx.account.first_sync_done_at.is_none();
    for _ in 0..MAX_SESSIONS {
        let again = run_session(ctx, &mut secret, first_sync, &mut report).await?;
        if first_sync {
            let account = ctx.account.id;
            let now = (ctx.clock)();
            ctx.store
                .run(move |w| w.record_first_sync_done(account, now))
                .await??;
            first_sync = false;
        }
        if !again || ctx.cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    report.duration = started.elapsed();
    if ctx.cancel.load(Ordering::Relaxed) {
        return Err(SyncError::new(
            SyncErrorKind::Cancelled,
            format!("the check of {} was cancelled", settings.name),
        ));
    }
    Ok(report)
}

/// "Download the rest": fetches the whole of a message stored as headers only and replaces
/// it in place (same id, folder and flags).
pub async fn fetch_rest(ctx: &PassContext, message: MessageId) -> Result<(), SyncError> {
    let origin = ctx.store.run(move |w| w.message_origin(message)).await??;
    let Some((account, uidl, partial)) = origin else {
        return Err(SyncError::new(
            SyncErrorKind::Settings,
            format!("message {message} did not come from a POP3 account"),
        ));
    };
    if account != ctx.account.id {
        return Err(SyncError::new(
            SyncErrorKind::Settings,
            format!("message {message} belongs to another account"),
        ));
    }
    if !partial {
        return Ok(());
    }
    let mut secret = login_secret(ctx).await?;
    let settings = &ctx.account.settings;
    let mut client = connect_and_login(ctx, &mut secret).await?;
    let listing = client.listing().await?;
    let Some(listed) = listing
        .iter()
        .find(|l| l.uidl.as_deref() == Some(uidl.as_str()))
    else {
        let _ = client.quit().await;
        return Err(SyncError::new(
            SyncErrorKind::Pop3(crate::pop3::ErrorKind::Permanent),
            format!(
                "the rest of this message is no longer on {}: it was deleted there",
                settings.host
            ),
        ));
    };
    let raw = client.retr(listed.number).await?;
    let tls_version = tls_version(&client);
    client.quit().await?;
    let whole = Incoming {
        uidl,
        raw,
        partial: false,
        fetched_at: (ctx.clock)(),
        server: settings.host.clone(),
        tls_version,
    };
    ctx.store
        .run(move |w| w.replace_partial(message, prepare(whole)))
        .await??;
    (ctx.on_progress)(PassEvent::Committed {
        new: 0,
        stored: Vec::new(),
    });
    Ok(())
}

/// The secret to log in with: the account's password, or, for an account that signs in with
/// its provider, an access token that is fresh (refreshed first when it is about to expire).
async fn login_secret(ctx: &PassContext) -> Result<Secret, SyncError> {
    let settings = &ctx.account.settings;
    if grant::signs_in_itself(settings) {
        return grant::access_token(Arc::clone(&ctx.secrets), settings, false).await;
    }
    let secrets = Arc::clone(&ctx.secrets);
    let settings = settings.clone();
    // The keyring and password commands block: off the executor.
    Ok(smol::unblock(move || secrets.password(&settings)).await?)
}

/// Connects and logs in, trying the method that worked last time first. An access token the
/// server refuses is refreshed once and tried again (it may have been revoked early, or the
/// clocks differ); `secret` is then the new one for the rest of the pass. A method learned
/// anew is remembered for the next check.
pub(super) async fn connect_and_login(
    ctx: &PassContext,
    secret: &mut Secret,
) -> Result<Client, SyncError> {
    let settings = &ctx.account.settings;
    let mut refreshed = false;
    loop {
        let mut client = Client::connect(&client_config(ctx)).await?;
        let credentials = Credentials {
            user: settings.username.clone(),
            secret: secret.clone(),
            method: settings.auth,
        };
        match client
            .login_preferring(&credentials, ctx.account.auth_learned)
            .await
        {
            Ok(()) => {
                let used = client.method_used();
                if settings.auth == AuthMethod::Automatic
                    && used != ctx.account.auth_learned
                    && let Some(method) = used
                {
                    let id = ctx.account.id;
                    ctx.store
                        .run(move |w| w.record_auth_learned(id, method))
                        .await??;
                }
                return Ok(client);
            }
            Err(err)
                if err.kind() == ErrorKind::Auth
                    && !refreshed
                    && grant::signs_in_itself(settings) =>
            {
                tracing::debug!(
                    target: "poplar::sync",
                    "{} refused the access token of {}; refreshing it once",
                    settings.host,
                    settings.name
                );
                drop(client);
                *secret = grant::access_token(Arc::clone(&ctx.secrets), settings, true).await?;
                refreshed = true;
            }
            Err(err) if err.kind() == ErrorKind::Auth && grant::signs_in_itself(settings) => {
                return Err(SyncError::from(err).with_token());
            }
            Err(err) => return Err(err.into()),
        }
    }
}

fn client_config(ctx: &PassContext) -> ClientConfig {
    let s = &ctx.account.settings;
    let mut endpoint = Endpoint::new(s.host.clone(), s.security).with_port(s.port);
    endpoint.trust = TlsTrust {
        ca_file: s.ca_file.clone(),
        pinned_sha256: s.pin_sha256,
    };
    endpoint.connect_timeout = ctx.options.connect_timeout;
    endpoint.read_timeout = ctx.options.read_timeout;
    let mut config = ClientConfig::new(endpoint);
    config.use_pipelining = ctx.options.use_pipelining;
    config
}

/// One POP3 session. Returns whether another session should follow in this pass.
async fn run_session(
    ctx: &PassContext,
    secret: &mut Secret,
    first_sync: bool,
    report: &mut PassReport,
) -> Result<bool, SyncError> {
    let settings = &ctx.account.settings;
    let account = ctx.account.id;
    let mut client = connect_and_login(ctx, secret).await?;
    report.login_delay = client.capabilities().login_delay.or(report.login_delay);

    let listing = client.listing().await?;
    let has_uidl = listing.iter().all(|l| l.uidl.is_some());
    let listed = if has_uidl {
        with_uidls(listing, report)
    } else {
        with_content_keys(&mut client, listing, report).await?
    };
    let ledger = ctx.store.run(move |w| w.ledger_map(account)).await??;

    let mut new: Vec<Listed> = listed
        .iter()
        .filter(|l| !ledger.contains_key(&l.uidl))
        .cloned()
        .collect();
    if first_sync && !new.is_empty() {
        new = apply_first_sync(ctx, &mut client, new, report).await?;
    }
    // Reconnect every N messages so deletions take effect during a very long first sync.
    let mut more_after_this = false;
    if let Some(limit) = settings.reconnect_every.filter(|n| *n > 0)
        && new.len() > limit as usize
    {
        new.truncate(limit as usize);
        more_after_this = true;
    }
    let stored_now = download(ctx, &mut client, &new, report).await?;

    // Deletion phase: only UIDLs whose message is durably here (or deleted here for good).
    let ledger = ctx.store.run(move |w| w.ledger_map(account)).await??;
    let now = (ctx.clock)();
    if !has_uidl && matches!(settings.server_policy, ServerPolicy::DeleteAfterDays(_)) {
        report.warnings.push(format!(
            "{} does not support UIDL, so Poplar cannot tell how long a message has been on the server; \
             \"delete after N days\" is not applied there",
            settings.host
        ));
    }
    let deletable: Vec<&Listed> = listed
        .iter()
        .filter(|l| {
            ledger
                .get(&l.uidl)
                .is_some_and(|e| may_delete(ctx, e, has_uidl, now))
        })
        .collect();
    vanished(ctx, &listed, &ledger).await?;
    if deletable.is_empty() {
        client.quit().await?;
    } else {
        let uidls: Vec<String> = deletable.iter().map(|l| l.uidl.clone()).collect();
        let pending = uidls.clone();
        ctx.store
            .run(move |w| w.set_server_state(account, &pending, ServerState::DeletionPending))
            .await??;
        let numbers: Vec<u32> = deletable.iter().map(|l| l.number).collect();
        let refused = client.dele_many(&numbers).await?;
        let refused: HashSet<u32> = refused.into_iter().map(|(n, _)| n).collect();
        let outcome = client.quit().await?;
        if outcome.deletions_committed {
            let done: Vec<String> = deletable
                .iter()
                .filter(|l| !refused.contains(&l.number))
                .map(|l| l.uidl.clone())
                .collect();
            report.deleted_on_server += done.len() as u64;
            ctx.store
                .run(move |w| w.set_server_state(account, &done, ServerState::Deleted))
                .await??;
        }
    }
    // Only a listing of exactly one page may be a page: a longer one is the whole mailbox, and
    // logging in again for nothing is refused by providers that gate logins (WEB.DE).
    let paged = listed.len() == PAGED_LISTING && stored_now > 0;
    Ok(more_after_this || paged)
}

/// Whether the account's policy lets this message go on the server now.
fn may_delete(ctx: &PassContext, entry: &LedgerEntry, has_uidl: bool, now: i64) -> bool {
    let settings = &ctx.account.settings;
    if entry.state == ServerState::Deleted {
        return false;
    }
    if entry.deleted_locally && settings.delete_when_deleted_locally {
        return true;
    }
    // Stored whole (downloaded, or linked to a stored copy), never a headers-only message.
    let stored = entry.downloaded_at.is_some() && !entry.partial;
    if !stored {
        return false;
    }
    match settings.server_policy {
        ServerPolicy::Keep => entry.state == ServerState::DeletionPending,
        ServerPolicy::DeleteAfterDownload => true,
        ServerPolicy::DeleteAfterDays(days) => {
            has_uidl
                && (entry.first_seen + i64::from(days) * 86_400 <= now
                    || entry.state == ServerState::DeletionPending)
        }
    }
}

/// UIDLs in the ledger that the server no longer lists were deleted there (by Poplar in an
/// earlier session, or by another program).
async fn vanished(
    ctx: &PassContext,
    listed: &[Listed],
    ledger: &HashMap<String, LedgerEntry>,
) -> Result<(), SyncError> {
    let present: HashSet<&str> = listed.iter().map(|l| l.uidl.as_str()).collect();
    // A paged listing (Gmail) shows only part of the mailbox: absence proves nothing there.
    if listed.len() >= PAGED_LISTING {
        return Ok(());
    }
    let gone: Vec<String> = ledger
        .values()
        .filter(|e| e.state != ServerState::Deleted && !present.contains(e.uidl.as_str()))
        .map(|e| e.uidl.clone())
        .collect();
    if !gone.is_empty() {
        let account = ctx.account.id;
        ctx.store
            .run(move |w| w.set_server_state(account, &gone, ServerState::Deleted))
            .await??;
    }
    Ok(())
}

/// Keeps the first of duplicate UIDLs in one listing (a broken server); RFC 1939 says they
/// are unique, and the second one's message cannot be told apart safely.
fn with_uidls(listing: Vec<crate::pop3::Listed>, report: &mut PassReport) -> Vec<Listed> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(listing.len());
    for item in listing {
        let Some(uidl) = item.uidl else { continue };
        if seen.insert(uidl.clone()) {
            out.push(Listed {
                number: item.number,
                size: item.size,
                uidl,
            });
        } else {
            report.warnings.push(format!(
                "the server lists the unique id {uidl} twice; message {} was skipped",
                item.number
            ));
        }
    }
    out
}

/// Without UIDL, a message's identity is a hash of the headers that do not change while it
/// sits on the server (read with TOP n 0). Where that is no identity (the server has no TOP,
/// or the message none of the headers), the whole message is downloaded and keyed by its
/// identity headers and its body ([`body_key`]): never by its position in the listing, which
/// shifts when a message before it goes, so that new mail would take a known key and be
/// skipped.
async fn with_content_keys(
    client: &mut Client,
    listing: Vec<crate::pop3::Listed>,
    report: &mut PassReport,
) -> Result<Vec<Listed>, SyncError> {
    let numbers: Vec<u32> = listing.iter().map(|l| l.number).collect();
    let sizes: HashMap<u32, u64> = listing.iter().map(|l| (l.number, l.size)).collect();
    let mut found: HashMap<u32, String> = HashMap::with_capacity(numbers.len());
    let mut need_body: Vec<u32> = Vec::new();
    {
        let mut pipeline = client.top_pipeline(&numbers, 0);
        while let Some((number, result)) = pipeline.next().await? {
            match result {
                Ok(head) if has_identity(&head) => {
                    found.insert(number, content_key(&head));
                }
                _ => need_body.push(number),
            }
        }
    }
    if !need_body.is_empty() {
        report.warnings.push(format!(
            "{} message(s) could not be recognised by their headers (the server has neither \
             UIDL nor TOP, or the messages lack Message-ID, Date, From, To and Subject): \
             Poplar downloads them at every check to know them by their content",
            need_body.len()
        ));
        let mut pipeline = client.retr_pipeline(&need_body);
        while let Some((number, result)) = pipeline.next().await? {
            found.insert(number, body_key(&result?));
        }
    }
    // Two messages with the same key still need two identities: numbered in order. (Their
    // headers, or their whole content, are the same: whichever copy is known, the same mail
    // is.)
    let mut counts: HashMap<String, u32> = HashMap::new();
    let mut keys: Vec<Listed> = Vec::with_capacity(numbers.len());
    for number in numbers {
        let Some(key) = found.remove(&number) else {
            continue;
        };
        let n = counts.entry(key.clone()).or_insert(0);
        *n += 1;
        let uidl = if *n == 1 { key } else { format!("{key}-{n}") };
        keys.push(Listed {
            number,
            size: sizes.get(&number).copied().unwrap_or(0),
            uidl,
        });
    }
    Ok(keys)
}

/// Whether a header block names any of the headers a content key is made of.
fn has_identity(head: &[u8]) -> bool {
    IDENTITY_HEADERS
        .iter()
        .any(|name| !header_value(head, name).is_empty())
}

/// The headers a content key is made of: none changes while a message waits on the server.
const IDENTITY_HEADERS: [&str; 5] = ["message-id", "date", "from", "to", "subject"];

/// The content key of a whole message: its identity headers and its body. Header lines a
/// server adds or changes after a download (`Status:`, `X-UIDL:`, …) are not part of it.
pub fn body_key(raw: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for name in IDENTITY_HEADERS {
        hasher.update(name.as_bytes());
        hasher.update(b":");
        hasher.update(header_value(raw, name).as_bytes());
        hasher.update(b"\n");
    }
    let body = match memchr::memmem::find(raw, b"\r\n\r\n") {
        Some(i) => &raw[i + 4..],
        None => match memchr::memmem::find(raw, b"\n\n") {
            Some(i) => &raw[i + 2..],
            // No header block at all: the whole message is its body.
            None => raw,
        },
    };
    hasher.update(body);
    let digest = hasher.finalize();
    format!("poplar-body:{}", crate::pop3::sasl::hex(&digest[..16]))
}

/// The content key of a header block: SHA-256 over Message-ID, Date, From, To and Subject.
pub fn content_key(head: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for name in IDENTITY_HEADERS {
        hasher.update(name.as_bytes());
        hasher.update(b":");
        hasher.update(header_value(head, name).as_bytes());
        hasher.update(b"\n");
    }
    let digest = hasher.finalize();
    format!("poplar-key:{}", crate::pop3::sasl::hex(&digest[..16]))
}

fn header_value(head: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(head);
    let mut value = String::new();
    let mut in_header = false;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if in_header {
                value.push_str(line.trim());
            }
            continue;
        }
        in_header = false;
        if let Some((field, rest)) = line.split_once(':')
            && field.trim().eq_ignore_ascii_case(name)
            && value.is_empty()
        {
            value.push_str(rest.trim());
            in_header = true;
        }
    }
    value
}

/// Applies the first-sync choice to the messages found on the server at the first pass.
async fn apply_first_sync(
    ctx: &PassContext,
    client: &mut Client,
    new: Vec<Listed>,
    report: &mut PassReport,
) -> Result<Vec<Listed>, SyncError> {
    let account = ctx.account.id;
    let now = (ctx.clock)();
    let (keep, skip): (Vec<Listed>, Vec<Listed>) = match ctx.account.settings.first_sync {
        FirstSync::All => return Ok(new),
        FirstSync::NewOnly => (Vec::new(), new),
        FirstSync::LastDays(days) => {
            let cutoff = now - i64::from(days) * 86_400;
            let numbers: Vec<u32> = new.iter().map(|l| l.number).collect();
            let mut dates: HashMap<u32, Option<i64>> = HashMap::new();
            let mut pipeline = client.top_pipeline(&numbers, 0);
            while let Some((number, result)) = pipeline.next().await? {
                dates.insert(
                    number,
                    result
                        .ok()
                        .and_then(|head| crate::mail::summarize(&head).date),
                );
            }
            // A message without a usable Date is kept: better one old message too many.
            new.into_iter().partition(|l| {
                dates
                    .get(&l.number)
                    .copied()
                    .flatten()
                    .is_none_or(|d| d >= cutoff)
            })
        }
    };
    report.skipped += skip.len() as u64;
    let uidls: Vec<String> = skip.into_iter().map(|l| l.uidl).collect();
    ctx.store
        .run(move |w| w.record_seen(account, &uidls, now))
        .await??;
    Ok(keep)
}

/// The connection's TLS version for the messages' provenance ("TLS 1.3"), when encrypted.
pub(super) fn tls_version(client: &Client) -> Option<String> {
    client
        .tls()
        .and_then(|tls| tls.version)
        .map(|version| version.name().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_keys_depend_on_identity_headers_only() {
        let a = b"Message-ID: <1@x>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nFrom: a@x\r\nSubject: hi\r\nReceived: one\r\n\r\n";
        let b = b"Received: two\r\nMessage-ID: <1@x>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nFrom: a@x\r\nSubject: hi\r\n\r\n";
        let c = b"Message-ID: <2@x>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nFrom: a@x\r\nSubject: hi\r\n\r\n";
        assert_eq!(content_key(a), content_key(b));
        assert_ne!(content_key(a), content_key(c));
        assert!(content_key(a).starts_with("poplar-key:"));
    }

    #[test]
    fn batches_start_small_and_double_up_to_the_maximum() {
        let options = SyncOptions::default();
        let limits: Vec<usize> = (0..7).map(|n| options.batch_limit(n)).collect();
        assert_eq!(limits, [50, 100, 200, 400, 500, 500, 500]);
        let fixed = SyncOptions {
            batch_messages: 10,
            batch_messages_max: 10,
            ..SyncOptions::default()
        };
        assert_eq!(fixed.batch_limit(5), 10);
        assert_eq!(options.batch_limit(usize::MAX), 500);
    }

    #[test]
    fn folded_header_values_are_joined() {
        let head = b"Subject: a long\r\n  subject line\r\nFrom: x\r\n\r\nbody";
        assert_eq!(header_value(head, "subject"), "a longsubject line");
        assert_eq!(header_value(head, "from"), "x");
        assert_eq!(header_value(head, "to"), "");
    }
}

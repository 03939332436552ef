//! Downloading a pass's new messages in committed batches: RETR (or TOP over the size limit)
//! through the pipeline, parsing on blocking threads, and each batch committed on the store's
//! thread while the next one downloads.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::error::SyncError;
use super::pass::{Listed, PassContext, PassEvent, PassReport, Progress, tls_version};
use crate::pop3::Client;
use crate::store::{AccountId, Incoming, Ingest, Prepared, prepare};

/// Downloads `new` (whole, or headers only over the size limit) in committed batches; the
/// commit of one batch runs on the store's thread while the next batch downloads. Returns
/// how many messages were newly stored.
pub(super) async fn download(
    ctx: &PassContext,
    client: &mut Client,
    new: &[Listed],
    report: &mut PassReport,
) -> Result<u64, SyncError> {
    let limit = ctx
        .account
        .settings
        .size_limit_kb
        .map(|kb| u64::from(kb) * 1024);
    let (whole, heads): (Vec<&Listed>, Vec<&Listed>) = new
        .iter()
        .partition(|l| limit.is_none_or(|max| l.size <= max));
    let mut progress = Progress {
        messages_total: new.len() as u64,
        bytes_total: whole.iter().map(|l| l.size).sum::<u64>() + heads.len() as u64 * 4096,
        ..Progress::default()
    };
    (ctx.on_progress)(PassEvent::Progress(progress));
    let tls_version = tls_version(client);
    let mut committer = Committer::new(ctx);
    for (items, partial) in [(whole, false), (heads, true)] {
        if items.is_empty() {
            continue;
        }
        let by_number: HashMap<u32, &Listed> = items.iter().map(|l| (l.number, *l)).collect();
        let numbers: Vec<u32> = items.iter().map(|l| l.number).collect();
        let mut pipeline = if partial {
            client.top_pipeline(&numbers, ctx.options.partial_lines)
        } else {
            client.retr_pipeline(&numbers)
        };
        let mut last_report = Instant::now();
        loop {
            let (number, result) = match pipeline.next().await {
                Ok(Some(reply)) => reply,
                Ok(None) => break,
                // The connection failed: what arrived whole is still committed (the next
                // pass then skips it), and then the pass fails.
                Err(err) => {
                    drop(pipeline);
                    committer.finish(report).await?;
                    return Err(err.into());
                }
            };
            if ctx.cancel.load(Ordering::Relaxed) {
                pipeline.stop();
            }
            let Some(listed) = by_number.get(&number) else {
                continue;
            };
            match result {
                Ok(raw) => {
                    progress.messages_done += 1;
                    progress.bytes_done += if partial { 4096 } else { listed.size };
                    committer.push(Incoming {
                        uidl: listed.uidl.clone(),
                        raw,
                        partial,
                        fetched_at: (ctx.clock)(),
                        server: ctx.account.settings.host.clone(),
                        tls_version: tls_version.clone(),
                    });
                }
                // Deleted meanwhile by another client: nothing to store, nothing lost.
                Err(err) => report
                    .warnings
                    .push(format!("message {number} could not be downloaded: {err}")),
            }
            if committer.full() {
                committer.commit(report).await?;
            }
            if last_report.elapsed() >= Duration::from_millis(100) {
                (ctx.on_progress)(PassEvent::Progress(progress));
                last_report = Instant::now();
            }
        }
    }
    committer.finish(report).await?;
    (ctx.on_progress)(PassEvent::Progress(progress));
    Ok(committer.stored)
}

type Commit = std::pin::Pin<
    Box<
        dyn std::future::Future<
                Output = Result<Result<Vec<Ingest>, crate::store::StoreError>, SyncError>,
            > + Send,
    >,
>;

/// Batches downloaded messages and commits them. Messages are parsed and hashed on
/// blocking-pool threads in chunks of [`PARSE_CHUNK`] while the rest of their batch is still
/// downloading, so when a batch is full only its last chunk is left to parse; the batch is
/// then committed on the store's thread while the next one downloads. Up to
/// [`COMMITS_IN_FLIGHT`] batches are on their way at once. Batches hold distinct UIDLs, so
/// their commit order does not matter; everything is awaited before the deletion phase.
struct Committer<'a> {
    ctx: &'a PassContext,
    /// Messages of the current batch not yet handed to a parser.
    chunk: Vec<Incoming>,
    /// The current batch's chunks being parsed.
    parsing: Vec<smol::Task<Vec<Prepared>>>,
    /// Whether each message of the current batch is partial, in arrival order.
    partial: Vec<bool>,
    bytes: usize,
    /// When the current batch's first message arrived.
    started: Option<Instant>,
    /// Batches committed (or on their way) so far: the next one may be larger.
    batches: usize,
    in_flight: std::collections::VecDeque<(Commit, Vec<bool>)>,
    stored: u64,
}

/// Batches parsed or committed while the next one downloads.
const COMMITS_IN_FLIGHT: usize = 2;

/// Messages parsed together on one blocking-pool thread: enough to make handing them over
/// cheap, few enough that the last chunk of a batch is parsed in about a millisecond.
const PARSE_CHUNK: usize = 32;

impl<'a> Committer<'a> {
    fn new(ctx: &'a PassContext) -> Self {
        Self {
            ctx,
            chunk: Vec::new(),
            parsing: Vec::new(),
            partial: Vec::new(),
            bytes: 0,
            started: None,
            batches: 0,
            in_flight: std::collections::VecDeque::new(),
            stored: 0,
        }
    }

    fn push(&mut self, message: Incoming) {
        self.bytes += message.raw.len();
        self.started.get_or_insert_with(Instant::now);
        self.partial.push(message.partial);
        self.chunk.push(message);
        if self.chunk.len() >= PARSE_CHUNK {
            self.parse_chunk();
        }
    }

    /// Hands the messages not yet parsed to a blocking-pool thread; `unblock` starts at once,
    /// whether or not the task is polled.
    fn parse_chunk(&mut self) {
        if self.chunk.is_empty() {
            return;
        }
        let chunk = std::mem::take(&mut self.chunk);
        self.parsing.push(smol::unblock(move || {
            chunk.into_iter().map(prepare).collect()
        }));
    }

    fn full(&self) -> bool {
        let options = &self.ctx.options;
        self.partial.len() >= options.batch_limit(self.batches)
            || self.bytes >= options.batch_bytes
            || self
                .started
                .is_some_and(|started| started.elapsed() >= options.batch_interval)
    }

    /// Starts committing the current batch, first waiting for the oldest one if too many are
    /// on their way.
    async fn commit(&mut self, report: &mut PassReport) -> Result<(), SyncError> {
        while self.in_flight.len() >= COMMITS_IN_FLIGHT {
            self.wait_oldest(report).await?;
        }
        if self.partial.is_empty() {
            return Ok(());
        }
        self.parse_chunk();
        let parsing = std::mem::take(&mut self.parsing);
        let partial = std::mem::take(&mut self.partial);
        self.bytes = 0;
        self.started = None;
        self.batches += 1;
        let account: AccountId = self.ctx.account.id;
        let store = self.ctx.store.clone();
        // On a blocking-pool thread too, so the commit goes ahead while this task downloads:
        // it waits for the batch's chunks, then for the store's thread.
        let commit = smol::unblock(move || {
            let prepared: Vec<Prepared> = parsing.into_iter().flat_map(smol::block_on).collect();
            store.run_blocking(move |w| w.ingest(account, prepared))
        });
        self.in_flight.push_back((Box::pin(commit), partial));
        Ok(())
    }

    async fn wait_oldest(&mut self, report: &mut PassReport) -> Result<(), SyncError> {
        let Some((commit, partial)) = self.in_flight.pop_front() else {
            return Ok(());
        };
        let results = commit.await??;
        let mut new = 0;
        let mut stored = Vec::new();
        for (result, partial) in results.iter().zip(partial) {
            match result {
                Ingest::Stored(id) => {
                    new += 1;
                    stored.push(*id);
                    report.downloaded += 1;
                    if partial {
                        report.partial += 1;
                    }
                }
                Ingest::Linked(_) => report.duplicates += 1,
                Ingest::Known => {}
            }
        }
        self.stored += new;
        (self.ctx.on_progress)(PassEvent::Committed { new, stored });
        Ok(())
    }

    async fn finish(&mut self, report: &mut PassReport) -> Result<(), SyncError> {
        self.commit(report).await?;
        while !self.in_flight.is_empty() {
            self.wait_oldest(report).await?;
        }
        Ok(())
    }
}

//! The store's writer on a thread of its own: the one writer, shared by every account task.
//!
//! A task sends a job (a closure over the [`Writer`]) and awaits its answer; parsing and the
//! commit's fsync happen on this thread, so downloading goes on meanwhile.

use std::future::Future;
use std::thread::JoinHandle;

use smol::channel::{Receiver, Sender};

use super::error::{SyncError, SyncErrorKind};
use crate::store::Writer;

type Job = Box<dyn FnOnce(&mut Writer) + Send>;

/// A handle to the writer thread. Cheap to clone.
#[derive(Debug, Clone)]
pub struct StoreHandle {
    jobs: Sender<Job>,
}

fn stopped() -> SyncError {
    SyncError::new(SyncErrorKind::Store, "the store's writer has stopped")
}

/// Whether a backlog slice left work for the next idle moment (an error stops it, logged).
fn more_to_do(step: Result<crate::store::Backlog, crate::store::StoreError>, what: &str) -> bool {
    match step {
        Ok(step) => !step.done,
        Err(err) => {
            tracing::warn!("{what} stopped: {err}");
            false
        }
    }
}

impl StoreHandle {
    /// Moves the writer to a new thread named `poplar-store`.
    pub fn spawn(mut writer: Writer) -> std::io::Result<(Self, JoinHandle<()>)> {
        let (jobs, queue): (Sender<Job>, Receiver<Job>) = smol::channel::unbounded();
        let thread = std::thread::Builder::new()
            .name("poplar-store".into())
            .spawn(move || {
                // A store from before conversations has its older mail linked into threads,
                // and one from before the positional search index is re-indexed, whenever no
                // job waits: a slice at a time, so a job waits at most one slice.
                let mut threading = writer.threads_pending().unwrap_or(false);
                let mut reindexing = writer.reindex_pending().unwrap_or(false);
                loop {
                    let job = if threading || reindexing {
                        match queue.try_recv() {
                            Ok(job) => job,
                            Err(smol::channel::TryRecvError::Empty) => {
                                // On an error the rest waits for the next start: older
                                // mail shows as single messages, and search still covers
                                // it through the old index.
                                if threading {
                                    threading = more_to_do(
                                        writer.thread_backlog(u64::MAX),
                                        "threading older mail",
                                    );
                                } else {
                                    reindexing = more_to_do(
                                        writer.reindex_search(u64::MAX),
                                        "re-indexing for search",
                                    );
                                }
                                continue;
                            }
                            Err(smol::channel::TryRecvError::Closed) => break,
                        }
                    } else {
                        match queue.recv_blocking() {
                            Ok(job) => job,
                            Err(_) => break,
                        }
                    };
                    job(&mut writer);
                }
            })?;
        Ok((Self { jobs }, thread))
    }

    /// Queues `work` now and returns a future of its result: the caller may do other things
    /// (download the next batch) before awaiting it.
    pub fn start<T, F>(&self, work: F) -> impl Future<Output = Result<T, SyncError>> + use<T, F>
    where
        T: Send + 'static,
        F: FnOnce(&mut Writer) -> T + Send + 'static,
    {
        let (reply, answer) = smol::channel::bounded(1);
        let job: Job = Box::new(move |writer| {
            let _ = reply.send_blocking(work(writer));
        });
        let queued = self.jobs.try_send(job).is_ok();
        async move {
            if !queued {
                return Err(stopped());
            }
            answer.recv().await.map_err(|_| stopped())
        }
    }

    /// Runs `work` on the writer and waits for it.
    pub async fn run<T, F>(&self, work: F) -> Result<T, SyncError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Writer) -> T + Send + 'static,
    {
        self.start(work).await
    }

    /// Runs `work` on the writer, blocking this thread (for callers outside async code).
    pub fn run_blocking<T, F>(&self, work: F) -> Result<T, SyncError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Writer) -> T + Send + 'static,
    {
        smol::block_on(self.start(work))
    }

    /// Stops the thread once the jobs already queued are done.
    pub fn close(&self) {
        self.jobs.close();
    }
}

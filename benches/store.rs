//! The mail store's benchmark: ingest speed, list pages and search on a 100,000-message store,
//! and the size on disk. Prints figures; asserts nothing about time.
//!
//! `cargo bench --bench store` (about a minute). `POPLAR_BENCH_MESSAGES=20000` builds a smaller
//! big store. The store lives in a temporary folder under `$TMPDIR` (default /tmp), so the
//! figures include the disk's fsync cost for every commit (`synchronous=FULL`).
// A benchmark's output is its purpose.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use poplar::account::AccountSettings;
use poplar::store::{Incoming, ListView, Prepared, Reader, Sort, SortKey, Writer, prepare};

/// Messages per transaction (`POPLAR_BENCH_BATCH` to try others).
fn batch_size() -> usize {
    std::env::var("POPLAR_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(BATCH)
}

const BATCH: usize = 50;

fn main() {
    let big: usize = std::env::var("POPLAR_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    println!(
        "Poplar store benchmark (batches of {}, synchronous=FULL, WAL) in {}",
        batch_size(),
        dir.path().display()
    );
    println!();
    println!(
        "{:<44} {:>10} {:>12} {:>10}",
        "ingest", "msg/s", "MB/s", "seconds"
    );
    let small = corpus::small(10_000, 11);
    let mixed = corpus::mixed(2_000, 7);
    for (name, messages) in [
        ("10,000 small (~4 KB)", &small),
        ("2,000 mixed (~30 KB)", &mixed),
    ] {
        let started = Instant::now();
        let bytes: usize = messages.iter().map(Vec::len).sum();
        for (i, raw) in messages.iter().enumerate() {
            std::hint::black_box(prepare(Incoming {
                uidl: format!("u{i}"),
                raw: raw.clone(),
                partial: false,
                fetched_at: 0,
                server: String::new(),
                tls_version: None,
            }));
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{:<44} {:>10.0} {:>12.1} {:>10.3}",
            format!("{name}, parse and hash only"),
            messages.len() as f64 / seconds,
            bytes as f64 / seconds / 1e6,
            seconds
        );
        for threaded in [false, true] {
            let path = dir
                .path()
                .join(format!("ingest-{}-{threaded}.sqlite3", messages.len()));
            let (seconds, bytes) = ingest_all(&path, messages, threaded, 0);
            let label = format!(
                "{name}, {}",
                if threaded {
                    "parsing on a 2nd thread"
                } else {
                    "one thread"
                }
            );
            println!(
                "{:<44} {:>10.0} {:>12.1} {:>10.3}",
                label,
                messages.len() as f64 / seconds,
                bytes as f64 / seconds / 1e6,
                seconds
            );
        }
    }

    println!();
    let path = dir.path().join("big.sqlite3");
    let started = Instant::now();
    let mut written = 0;
    let mut writer = Writer::open(&path).expect("open");
    let account = writer
        .add_account(
            &AccountSettings::new("Big", "big@example.de", "pop.example.de", "big"),
            1,
        )
        .expect("account");
    drop(writer);
    for chunk in 0..big.div_ceil(10_000) {
        let n = 10_000.min(big - chunk * 10_000);
        let messages = corpus::small(n, 1000 + chunk as u64);
        let (_, bytes) = ingest_into(&path, account, &messages, true, chunk * 10_000);
        written += bytes;
    }
    let size = dir_size(&path);
    println!(
        "built a {big}-message store in {:.1} s: {:.0} MB of mail, {:.0} MB on disk",
        started.elapsed().as_secs_f64(),
        written as f64 / 1e6,
        size as f64 / 1e6
    );

    let reader = Reader::open(&path).expect("reader");
    let inbox = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.account_id == Some(account))
        .expect("inbox")
        .id;
    let total = reader.count(ListView::AllInboxes).expect("count");
    println!();
    println!(
        "list page of 50 rows, median of 21 (ms)     {:>8} {:>8} {:>8}",
        "top", "middle", "end"
    );
    for view in [ListView::AllInboxes, ListView::Folder(inbox)] {
        for key in [
            SortKey::Date,
            SortKey::Sender,
            SortKey::Subject,
            SortKey::Size,
        ] {
            for descending in [true, false] {
                let sort = Sort { key, descending };
                let times: Vec<f64> = [0, total / 2, total.saturating_sub(50)]
                    .iter()
                    .map(|&offset| {
                        median_ms(21, || {
                            let rows = reader.page(view, sort, offset, 50).expect("page");
                            assert_eq!(rows.len(), 50.min(total as usize));
                        })
                    })
                    .collect();
                let label = format!(
                    "{} by {key:?} {}",
                    if view == ListView::AllInboxes {
                        "all inboxes"
                    } else {
                        "inbox"
                    },
                    if descending { "desc" } else { "asc" }
                );
                println!(
                    "{label:<44} {:>8.3} {:>8.3} {:>8.3}",
                    times[0], times[1], times[2]
                );
            }
        }
    }

    println!();
    println!(
        "{:<44} {:>8} {:>10}",
        "search (best 50), median of 11", "ms", "hits"
    );
    for query in [
        "müller",
        "mul",
        "invoice",
        "quarterly meeting",
        "grüße straße",
        "zzzunknown",
        "sender1@",
        "pipeline throughput",
    ] {
        let mut hits = 0;
        let ms = median_ms(11, || {
            hits = reader.search(query, None, 50).expect("search").len();
        });
        println!("{:<44} {:>8.2} {:>10}", format!("{query:?}"), ms, hits);
    }
    let counter_ms = median_ms(101, || {
        reader.change_counter().expect("counter");
    });
    println!();
    println!(
        "change counter poll: {:.4} ms; folder list: {:.3} ms",
        counter_ms,
        median_ms(21, || {
            reader.folders().expect("folders");
        })
    );
}

fn ingest_all(path: &Path, messages: &[Vec<u8>], threaded: bool, offset: usize) -> (f64, usize) {
    let mut writer = Writer::open(path).expect("open");
    let account = writer
        .add_account(
            &AccountSettings::new("A", "a@example.de", "pop.example.de", "a"),
            1,
        )
        .expect("account");
    drop(writer);
    ingest_into(path, account, messages, threaded, offset)
}

/// Ingests in batches; with `threaded`, a second thread parses and hashes while the writer
/// commits, as the sync engine does.
fn ingest_into(
    path: &Path,
    account: i64,
    messages: &[Vec<u8>],
    threaded: bool,
    offset: usize,
) -> (f64, usize) {
    let mut writer = Writer::open(path).expect("open");
    let bytes: usize = messages.iter().map(Vec::len).sum();
    let incoming = |i: usize, raw: &Vec<u8>| Incoming {
        uidl: format!("uidl-{}", offset + i),
        raw: raw.clone(),
        partial: false,
        fetched_at: 1_700_000_000 + (offset + i) as i64,
        server: "pop.example.de".into(),
        tls_version: None,
    };
    let started = Instant::now();
    if threaded {
        let (tx, rx) = mpsc::sync_channel::<Vec<Prepared>>(4);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for (n, chunk) in messages.chunks(batch_size()).enumerate() {
                    let batch = chunk
                        .iter()
                        .enumerate()
                        .map(|(i, raw)| prepare(incoming(n * batch_size() + i, raw)))
                        .collect();
                    if tx.send(batch).is_err() {
                        return;
                    }
                }
            });
            for batch in rx {
                writer.ingest(account, batch).expect("ingest");
            }
        });
    } else {
        for (n, chunk) in messages.chunks(batch_size()).enumerate() {
            let batch = chunk
                .iter()
                .enumerate()
                .map(|(i, raw)| prepare(incoming(n * batch_size() + i, raw)))
                .collect();
            writer.ingest(account, batch).expect("ingest");
        }
    }
    (started.elapsed().as_secs_f64(), bytes)
}

fn median_ms(runs: usize, mut work: impl FnMut()) -> f64 {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2].as_secs_f64() * 1000.0
}

fn dir_size(path: &Path) -> u64 {
    let wal = path.with_extension("sqlite3-wal");
    [path.to_path_buf(), wal]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

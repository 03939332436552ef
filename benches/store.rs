//! The mail store's benchmark: ingest speed, list pages and search on a 100,000-message store,
//! and the size on disk. Prints figures; asserts nothing about time.
//!
//! `cargo bench --bench store` (about a minute). `POPLAR_BENCH_MESSAGES=20000` builds a smaller
//! big store; `POPLAR_BENCH_INGEST_ONLY=1` stops after the ingest figures. The store lives in a
//! temporary folder under `$TMPDIR` (default /tmp), so the figures include the disk's fsync
//! cost for every commit (`synchronous=FULL`). `POPLAR_BENCH_PARSE_ONLY=1` prints only the
//! "parse and hash only" figures (for profiling the parser without the store's work).
//! `POPLAR_BENCH_WRITER_ONLY=1` runs only the "writer alone" ingest cases (with
//! `POPLAR_BENCH_INGEST_ONLY`, a quick run to profile the writer, e.g. under `perf stat`,
//! `strace -c` or valgrind); `=small` or `=mixed` only that one.
// A benchmark's output is its purpose.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/corpus.rs"]
mod corpus;
#[path = "support/measure.rs"]
mod measure;

use measure::thread_cpu_seconds;

use std::ops::Range;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use poplar::account::AccountSettings;
use poplar::store::{Incoming, ListView, Prepared, Reader, Sort, SortKey, Writer, prepare};
use poplar::sync::SyncOptions;

/// A fixed number of messages per transaction from `POPLAR_BENCH_BATCH`; without it, batches
/// grow as the sync engine makes them (`SyncOptions`: 50 messages, doubling up to 500, at most
/// 8 MB).
fn fixed_batch() -> Option<usize> {
    std::env::var("POPLAR_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
}

/// The messages of each transaction, as index ranges.
fn batch_ranges(messages: &[Vec<u8>]) -> Vec<Range<usize>> {
    let options = SyncOptions::default();
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < messages.len() {
        let limit = fixed_batch().unwrap_or_else(|| options.batch_limit(ranges.len()));
        let mut end = start;
        let mut bytes = 0;
        while end < messages.len() && end - start < limit {
            bytes += messages[end].len();
            end += 1;
            if fixed_batch().is_none() && bytes >= options.batch_bytes {
                break;
            }
        }
        ranges.push(start..end);
        start = end;
    }
    ranges
}

fn main() {
    let big: usize = std::env::var("POPLAR_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let batches = match fixed_batch() {
        Some(n) => format!("batches of {n}"),
        None => "batches as the sync makes them: 50 messages doubling to 500, at most 8 MB".into(),
    };
    println!(
        "Poplar store benchmark ({batches}, synchronous=FULL, WAL) in {}",
        dir.path().display()
    );
    println!();
    println!(
        "{:<44} {:>10} {:>12} {:>10} {:>13}",
        "ingest", "msg/s", "MB/s", "seconds", "writer CPU s"
    );
    let writer_only = std::env::var("POPLAR_BENCH_WRITER_ONLY").ok();
    let wanted = |name: &str| {
        writer_only
            .as_deref()
            .is_none_or(|only| only == "1" || only == name)
    };
    let small = if wanted("small") {
        corpus::small(10_000, 11)
    } else {
        Vec::new()
    };
    let mixed = if wanted("mixed") {
        corpus::mixed(2_000, 7)
    } else {
        Vec::new()
    };
    for (name, messages) in [
        ("10,000 small (~4 KB)", &small),
        ("2,000 mixed (~30 KB)", &mixed),
    ] {
        if messages.is_empty() {
            continue;
        }
        // Only the writer alone with POPLAR_BENCH_WRITER_ONLY; else the parse figure first.
        let modes: &[Mode] = if writer_only.is_some() {
            &[Mode::WriterAlone]
        } else {
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
            &[Mode::OneThread, Mode::Threaded, Mode::WriterAlone]
        };
        if std::env::var_os("POPLAR_BENCH_PARSE_ONLY").is_some() {
            continue;
        }
        for &mode in modes {
            let path = dir
                .path()
                .join(format!("ingest-{}-{mode:?}.sqlite3", messages.len()));
            let (seconds, bytes, cpu) = ingest_all(&path, messages, mode, 0);
            let label = format!(
                "{name}, {}",
                match mode {
                    Mode::OneThread => "one thread",
                    Mode::Threaded => "parsing on a 2nd thread",
                    Mode::WriterAlone => "writer alone",
                }
            );
            println!(
                "{:<44} {:>10.0} {:>12.1} {:>10.3} {:>13.3}",
                label,
                messages.len() as f64 / seconds,
                bytes as f64 / seconds / 1e6,
                seconds,
                cpu
            );
        }
    }

    if std::env::var_os("POPLAR_BENCH_INGEST_ONLY").is_some()
        || std::env::var_os("POPLAR_BENCH_PARSE_ONLY").is_some()
    {
        return;
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
        let (_, bytes, _) = ingest_into(&path, account, &messages, Mode::Threaded, chunk * 10_000);
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
        "search, newest 50 (median of 11)", "ms", "hits"
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
    println!();
    println!(
        "{:<44} {:>8} {:>10} {:>10}",
        "search, every hit in list order (ms, med. 11)", "by date", "by subject", "hits"
    );
    for query in [
        "müller",
        "invoice",
        "\"quarterly meeting\"",
        "from:müller",
        "subject:invoice",
        "invoice is:unread",
        "has:attachment invoice",
        "invoice -meeting",
        "after:2020-01-01 invoice",
        "-invoice",
        "is:unread",
        "zzzunknown",
    ] {
        let mut hits = 0;
        let mut run = |sort: Sort| {
            median_ms(11, || {
                hits = reader
                    .search_ids(query, Some(ListView::AllInboxes), sort)
                    .expect("store")
                    .expect("search")
                    .len();
            })
        };
        let by_date = run(Sort::default());
        let by_subject = run(Sort {
            key: SortKey::Subject,
            descending: false,
        });
        println!(
            "{:<44} {:>8.2} {:>10.2} {:>10}",
            format!("{query:?}"),
            by_date,
            by_subject,
            hits
        );
    }

    // Moving every message to the positional index, as after an upgrade from schema 6 (the
    // writer thread does this while idle, in slices).
    drop(reader);
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "INSERT INTO message_text (message_text) VALUES ('delete-all');
             UPDATE search_reindex SET below = (SELECT max(id) + 1 FROM messages);",
        )
        .expect("back to before the re-index");
    }
    let mut writer = Writer::open(&path).expect("writer");
    let started = Instant::now();
    let mut slices = 1;
    while !writer.reindex_search(u64::MAX).expect("reindex").done {
        slices += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!();
    println!(
        "re-indexing {total} messages for search: {seconds:.1} s in {slices} slices ({:.0} msg/s); {:.0} MB on disk after",
        total as f64 / seconds,
        dir_size(&path) as f64 / 1e6
    );
    drop(writer);
    let reader = Reader::open(&path).expect("reader");

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

/// How an ingest benchmark runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Parse and commit each batch in turn on one thread.
    OneThread,
    /// A second thread parses and hashes while the writer commits, as the sync engine does.
    Threaded,
    /// Everything parsed beforehand; only the writer's time counts.
    WriterAlone,
}

/// Seconds, bytes, and the CPU seconds of the writer's thread (this one).
fn ingest_all(path: &Path, messages: &[Vec<u8>], mode: Mode, offset: usize) -> (f64, usize, f64) {
    let mut writer = Writer::open(path).expect("open");
    let account = writer
        .add_account(
            &AccountSettings::new("A", "a@example.de", "pop.example.de", "a"),
            1,
        )
        .expect("account");
    drop(writer);
    ingest_into(path, account, messages, mode, offset)
}

/// Ingests in batches, parsing as `mode` says.
fn ingest_into(
    path: &Path,
    account: i64,
    messages: &[Vec<u8>],
    mode: Mode,
    offset: usize,
) -> (f64, usize, f64) {
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
    let ranges = batch_ranges(messages);
    let batches = || {
        ranges.iter().map(|range| {
            range
                .clone()
                .map(|i| prepare(incoming(i, &messages[i])))
                .collect::<Vec<Prepared>>()
        })
    };
    // POPLAR_BENCH_REPEAT=N runs the writer-alone case N times (a longer run to profile).
    let repeat = match mode {
        Mode::WriterAlone => std::env::var("POPLAR_BENCH_REPEAT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1usize),
        _ => 1,
    };
    let mut prepared: Vec<Vec<Prepared>> = Vec::new();
    if mode == Mode::WriterAlone {
        let once: Vec<Vec<Prepared>> = batches().collect();
        for round in 0..repeat {
            for batch in &once {
                let mut batch = batch.clone();
                for p in batch.iter_mut().filter(|_| round > 0) {
                    p.incoming.uidl = format!("{}-{round}", p.incoming.uidl);
                    p.sha256[0] ^= round as u8;
                    if let Some(id) = &mut p.summary.message_id {
                        id.push_str(&format!("-{round}"));
                    }
                }
                prepared.push(batch);
            }
        }
    }
    let started = Instant::now();
    let cpu = thread_cpu_seconds();
    match mode {
        Mode::Threaded => {
            let (tx, rx) = mpsc::sync_channel::<Vec<Prepared>>(4);
            std::thread::scope(|scope| {
                scope.spawn(move || {
                    for batch in batches() {
                        if tx.send(batch).is_err() {
                            return;
                        }
                    }
                });
                for batch in rx {
                    writer.ingest(account, batch).expect("ingest");
                }
            });
        }
        Mode::OneThread => {
            for batch in batches() {
                writer.ingest(account, batch).expect("ingest");
            }
        }
        Mode::WriterAlone => {
            for batch in prepared {
                writer.ingest(account, batch).expect("ingest");
            }
        }
    }
    let repeat = repeat as f64;
    (
        started.elapsed().as_secs_f64() / repeat,
        bytes,
        (thread_cpu_seconds() - cpu) / repeat,
    )
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

//! The window's benchmark on a 100,000-message store, headless through egui_kittest: time to
//! the first frame that shows the list, time per frame while moving through the list (p50 and
//! p99 over 1,000 frames), search latency while typing (and the frames meanwhile), and
//! resident memory. Prints figures;
//! asserts nothing about time.
//!
//! `cargo bench --bench window` (`POPLAR_BENCH_MESSAGES=N` for a smaller store). A frame's
//! time is the wall time of one `Harness::step` (egui's layout and the app's logic and
//! drawing, without a GPU); the app's reads happen inside it, the engine's threads beside it.
// A benchmark's output is its purpose.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/corpus.rs"]
mod corpus;
#[path = "../tests/support/seed.rs"]
mod seed;

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::account::AccountSettings;
use poplar::app::StartOptions;
use poplar::store::{STORE_FILE, Writer};
use poplar::sync::MemorySecrets;
use poplar::ui::PoplarApp;

fn main() {
    let messages: usize = std::env::var("POPLAR_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    // Seeding runs in a child process, so the memory figure below is the window's alone.
    if let Some(path) = std::env::var_os("POPLAR_BENCH_SEED_INTO") {
        seed_store(std::path::Path::new(&path), messages);
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(STORE_FILE);
    let started = Instant::now();
    let status = std::process::Command::new(std::env::current_exe().expect("this bench"))
        .env("POPLAR_BENCH_SEED_INTO", &path)
        .env("POPLAR_BENCH_MESSAGES", messages.to_string())
        .arg("--bench")
        .status()
        .expect("seed");
    assert!(status.success(), "seeding failed");
    println!(
        "seeded {messages} messages in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let rss_before = rss_kb();
    let options = StartOptions {
        store_path: path,
        secrets: Arc::new(MemorySecrets::new()),
        schedule: false,
        dialogs: Arc::new(poplar::app::dialogs::ScriptedDialogs::default()),
    };
    let opened = Instant::now();
    let mut harness: Harness<'_, PoplarApp> = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| PoplarApp::new(cc, options));
    // The first frame that shows the list: the newest message's row is on screen.
    let mut frames_to_list = 0;
    loop {
        harness.step();
        frames_to_list += 1;
        if harness
            .query_all_by_label_contains("Inbox")
            .next()
            .is_some()
            && harness
                .query_all_by_label_contains(&format!("{messages} messages"))
                .next()
                .is_some()
        {
            break;
        }
        assert!(
            opened.elapsed() < Duration::from_secs(30),
            "the list never appeared"
        );
    }
    println!(
        "first frame showing the list: {:.1} ms after start ({frames_to_list} frames)",
        opened.elapsed().as_secs_f64() * 1000.0
    );

    // Moving through the list: Page Down and Down, one key a frame, 1,000 frames. The CPU
    // time is the UI thread's own (so other work on the machine does not count); the wall
    // time includes waiting for the CPU.
    let mut times = Vec::with_capacity(1000);
    let mut cpu_times = Vec::with_capacity(1000);
    for frame in 0..1000 {
        harness.key_press(if frame % 10 == 0 {
            Key::PageDown
        } else {
            Key::ArrowDown
        });
        let t = Instant::now();
        let cpu = thread_cpu_time();
        harness.step();
        cpu_times.push(thread_cpu_time().saturating_sub(cpu));
        times.push(t.elapsed());
    }
    times.sort();
    cpu_times.sort();
    println!(
        "frame while moving through the list: CPU p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
         wall p50 {:.2} ms, p99 {:.2} ms (1,000 frames)",
        ms(cpu_times[499]),
        ms(cpu_times[989]),
        ms(cpu_times[999]),
        ms(times[499]),
        ms(times[989]),
    );

    // Search while typing: each key is a frame; the list narrows when the answer arrives.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    harness.step();
    let mut latencies = Vec::new();
    for word in ["müller", "invoice", "meeting"] {
        for _ in 0..12 {
            harness.key_press(Key::Backspace);
        }
        harness.step();
        let t = Instant::now();
        harness.get_by_label("Search").type_text(word);
        // Until the view thread's hits are in the list, measuring the frames meanwhile.
        let mut longest_frame = Duration::ZERO;
        loop {
            let frame = Instant::now();
            harness.step();
            longest_frame = longest_frame.max(frame.elapsed());
            let waiting = harness
                .state()
                .state()
                .map(|s| s.list().search_waiting())
                .unwrap_or(false);
            if !waiting {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "the search never answered"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        latencies.push((word, t.elapsed(), longest_frame));
    }
    for (word, latency, frame) in latencies {
        println!(
            "search {word:?}: typed to hits shown {:.1} ms (searched on the view thread; \
             longest frame meanwhile {:.2} ms)",
            ms(latency),
            ms(frame)
        );
    }
    let rss_after = rss_kb();
    println!(
        "resident memory: {:.0} MB with the window open and used ({:.0} MB before it opened)",
        rss_after as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
    conversations(&mut harness);
    println!(
        "resident memory: {:.0} MB after grouping by conversation",
        rss_kb() as f64 / 1024.0
    );
}

/// The list grouped by conversation: time until the grouped list is shown, frames moving
/// through it, and frames opening and closing conversations (→ and ←).
fn conversations(harness: &mut Harness<'_, PoplarApp>) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    harness.step();
    for _ in 0..12 {
        harness.key_press(Key::Backspace);
    }
    harness.key_press(Key::Escape);
    harness.step();
    harness.get_by_label("View").click();
    harness.step();
    harness.step();
    let t = Instant::now();
    harness.get_by_label("Group by conversation").click();
    let mut longest_frame = Duration::ZERO;
    loop {
        let frame = Instant::now();
        harness.step();
        longest_frame = longest_frame.max(frame.elapsed());
        let state = harness.state().state().ok();
        let ready = state.is_some_and(|s| s.grouped() && !s.list().search_waiting());
        if ready {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the grouped list never came"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
    let rows = harness.state().state().map(|s| s.list().len()).unwrap_or(0);
    println!(
        "group by conversation: {rows} conversations shown {:.1} ms after the click (grouped \
         on the view thread; longest frame meanwhile {:.2} ms)",
        ms(t.elapsed()),
        ms(longest_frame)
    );
    let frame_times = |harness: &mut Harness<'_, PoplarApp>, keys: &dyn Fn(usize) -> Key| {
        let mut cpu_times = Vec::with_capacity(1000);
        for frame in 0..1000 {
            harness.key_press(keys(frame));
            let cpu = thread_cpu_time();
            harness.step();
            cpu_times.push(thread_cpu_time().saturating_sub(cpu));
        }
        cpu_times.sort();
        (cpu_times[499], cpu_times[989], cpu_times[999])
    };
    let (p50, p99, max) = frame_times(harness, &|frame| {
        if frame % 10 == 0 {
            Key::PageDown
        } else {
            Key::ArrowDown
        }
    });
    println!(
        "frame while moving through the conversations: CPU p50 {:.2} ms, p99 {:.2} ms, max \
         {:.2} ms (1,000 frames)",
        ms(p50),
        ms(p99),
        ms(max)
    );
    // Open, close, next: three frames per conversation.
    let (p50, p99, max) = frame_times(harness, &|frame| match frame % 3 {
        0 => Key::ArrowRight,
        1 => Key::ArrowLeft,
        _ => Key::ArrowDown,
    });
    println!(
        "frame opening or closing a conversation (→, ←, ↓ in turn): CPU p50 {:.2} ms, p99 \
         {:.2} ms, max {:.2} ms (1,000 frames)",
        ms(p50),
        ms(p99),
        ms(max)
    );
}

/// The CPU time this thread has run (`CLOCK_THREAD_CPUTIME_ID`).
fn thread_cpu_time() -> Duration {
    cpu_time::ThreadTime::try_now()
        .map(|t| t.as_duration())
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn seed_store(path: &std::path::Path, messages: usize) {
    let mut writer = Writer::open(path).expect("store");
    let settings = AccountSettings::new("Bench", "bench@example.de", "pop.invalid", "bench");
    let account = writer.add_account(&settings, 1).expect("account");
    let mut ids: Vec<String> = Vec::with_capacity(messages);
    for chunk in 0..messages.div_ceil(10_000) {
        let n = 10_000.min(messages - chunk * 10_000);
        let mut mail = corpus::small(n, 500 + chunk as u64)
            .into_iter()
            .enumerate()
            .map(|(i, raw)| {
                let n = chunk * 10_000 + i;
                (format!("u{n}"), in_conversation(raw, n, &mut ids))
            })
            .peekable();
        // Committed 1,000 at a time.
        while mail.peek().is_some() {
            seed::ingest(&mut writer, account, mail.by_ref().take(1000));
        }
    }
}

/// Makes message `n` answer an earlier one (three in five do, one of the 300 before it,
/// chosen by a fixed hash), so the store holds conversations of every size; `ids` are the
/// Message-IDs so far.
fn in_conversation(raw: Vec<u8>, n: usize, ids: &mut Vec<String>) -> Vec<u8> {
    let own = raw
        .split(|b| *b == b'\n')
        .take_while(|line| !line.is_empty() && *line != b"\r")
        .find_map(|line| {
            let line = String::from_utf8_lossy(line);
            line.strip_prefix("Message-ID:")
                .map(|v| v.trim().trim_matches(['<', '>']).to_owned())
        })
        .unwrap_or_default();
    let hash = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 33;
    let parent = (hash % 5 < 3 && !ids.is_empty())
        .then(|| ids.len() - 1 - (hash as usize / 5) % ids.len().min(300));
    ids.push(own);
    match parent {
        Some(parent) => {
            let mut out = format!("In-Reply-To: <{}>\r\n", ids[parent]).into_bytes();
            out.extend_from_slice(&raw);
            out
        }
        None => raw,
    }
}

/// Resident memory of this process, from /proc (Linux).
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

//! Filing's benchmark (issue 16): what rules and the junk filter cost on arrival, and how long
//! the window's big jobs take on a 100,000-message Inbox: moving all of it (Ctrl+A, M),
//! "Run rules now", and the rules dialog's preview. Prints figures; asserts nothing about time.
//!
//! `cargo bench --bench filing` (a few minutes). `POPLAR_BENCH_MESSAGES=20000` makes the big
//! Inbox smaller. The stores live under `$TMPDIR`, with the store's real `synchronous=FULL`.
// A benchmark's output is its purpose.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use poplar::account::AccountSettings;
use poplar::junk::JunkSettings;
use poplar::rules::{Action, Condition, Field, Op, Rule, Scope};
use poplar::store::{
    FolderId, FolderKind, Incoming, ListView, Prepared, Reader, Sort, Writer, prepare,
};

/// Three rules as a user might have them: a sender, a header and a size, none very common.
fn rules(folder: FolderId) -> Vec<Rule> {
    let rule = |name: &str, field: Field, op: Op, value: &str| Rule {
        name: name.into(),
        enabled: true,
        scope: Scope::AllAccounts,
        match_all: true,
        conditions: vec![Condition {
            field,
            op,
            value: value.into(),
        }],
        actions: vec![Action::MoveTo(folder)],
        stop: false,
    };
    vec![
        rule("Boss", Field::From, Op::Contains, "sender7@"),
        rule(
            "List",
            Field::Header("List-Id".into()),
            Op::Contains,
            "poplar-bench",
        ),
        rule("Big", Field::Size, Op::Greater, "5000"),
    ]
}

fn incoming(offset: usize, messages: &[Vec<u8>]) -> Vec<Prepared> {
    messages
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            prepare(Incoming {
                uidl: format!("uidl-{}", offset + i),
                raw: raw.clone(),
                partial: false,
                fetched_at: 1_700_000_000 + (offset + i) as i64,
                server: "pop.example.de".into(),
                tls_version: None,
            })
        })
        .collect()
}

/// How filing is set up for the ingest figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filing {
    /// No rules, junk filter off.
    Off,
    /// The provider's marks only (the default), learning not yet trained.
    Default,
    /// Three rules, provider marks off.
    Rules,
    /// A learning filter trained on 10 junk and 10 good marks, provider marks off.
    Learning,
    /// Three rules, and a learning filter trained on 10 junk and 10 good marks.
    RulesAndLearning,
}

/// Seconds for the writer alone to ingest `messages` in batches of 500, filing as `filing`
/// says; and how many landed outside the Inbox.
fn ingest(path: &Path, messages: &[Vec<u8>], filing: Filing) -> (f64, u64) {
    let mut writer = Writer::open(path).expect("open");
    let mut settings = AccountSettings::new("A", "a@example.de", "pop.example.de", "a");
    match filing {
        Filing::Off | Filing::Rules => settings.junk = JunkSettings::off(),
        Filing::Learning => settings.junk.provider_marks = false,
        Filing::Default | Filing::RulesAndLearning => {}
    }
    let account = writer.add_account(&settings, 1).expect("account");
    if matches!(filing, Filing::Rules | Filing::RulesAndLearning) {
        let folder = writer
            .create_folder(Some(account), None, "Filed")
            .expect("folder");
        for rule in rules(folder) {
            writer.add_rule(&rule).expect("rule");
        }
    }
    if matches!(filing, Filing::Learning | Filing::RulesAndLearning) {
        let training = corpus::small(20, 99);
        writer
            .ingest(account, incoming(1_000_000, &training))
            .expect("training mail");
        let reader = Reader::open(path).expect("reader");
        let ids: Vec<_> = reader
            .page(ListView::AllInboxes, Sort::default(), 0, 20)
            .expect("page")
            .iter()
            .map(|r| r.id)
            .collect();
        writer.mark_junk(&ids[..10], true).expect("junk marks");
        writer.mark_junk(&ids[10..], false).expect("good marks");
    }
    let prepared: Vec<Vec<Prepared>> = messages
        .chunks(500)
        .enumerate()
        .map(|(n, chunk)| incoming(n * 500, chunk))
        .collect();
    let started = Instant::now();
    for batch in prepared {
        writer.ingest(account, batch).expect("ingest");
    }
    let seconds = started.elapsed().as_secs_f64();
    let reader = Reader::open(path).expect("reader");
    let elsewhere = reader
        .folders()
        .expect("folders")
        .iter()
        .filter(|f| f.kind != FolderKind::Inbox)
        .map(|f| f.total)
        .sum::<u64>();
    (seconds, elsewhere)
}

fn main() {
    let big: usize = std::env::var("POPLAR_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    println!("Poplar filing benchmark in {}", dir.path().display());
    println!();
    println!(
        "{:<58} {:>9} {:>9} {:>9}",
        "ingest 10,000 small (~4 KB), writer alone", "msg/s", "seconds", "filed"
    );
    let messages = corpus::small(10_000, 11);
    for (label, filing) in [
        ("no rules, junk filter off", Filing::Off),
        ("provider spam marks (the default)", Filing::Default),
        ("3 rules", Filing::Rules),
        ("trained learning filter", Filing::Learning),
        (
            "3 rules + provider marks + trained learning",
            Filing::RulesAndLearning,
        ),
        ("no rules, junk filter off (again)", Filing::Off),
    ] {
        let path = dir
            .path()
            .join(format!("ingest-{filing:?}-{}.sqlite3", label.len()));
        let (seconds, filed) = ingest(&path, &messages, filing);
        println!(
            "{label:<58} {:>9.0} {:>9.2} {:>9}",
            messages.len() as f64 / seconds,
            seconds,
            filed
        );
    }

    println!();
    let path = dir.path().join("big.sqlite3");
    let started = Instant::now();
    let mut writer = Writer::open(&path).expect("open");
    let mut settings = AccountSettings::new("Big", "big@example.de", "pop.example.de", "big");
    settings.junk = JunkSettings::off();
    let account = writer.add_account(&settings, 1).expect("account");
    for chunk in 0..big.div_ceil(10_000) {
        let n = 10_000.min(big - chunk * 10_000);
        let messages = corpus::small(n, 1000 + chunk as u64);
        for (k, part) in messages.chunks(500).enumerate() {
            writer
                .ingest(account, incoming(chunk * 10_000 + k * 500, part))
                .expect("ingest");
        }
    }
    println!(
        "built a {big}-message Inbox in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let reader = Reader::open(&path).expect("reader");
    let inbox = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.kind == FolderKind::Inbox && f.account_id == Some(account))
        .expect("inbox")
        .id;
    let archive = writer
        .create_folder(Some(account), None, "Archive")
        .expect("folder");
    let ids: Vec<_> = reader
        .page(ListView::Folder(inbox), Sort::default(), 0, big as u64)
        .expect("page")
        .iter()
        .map(|r| r.id)
        .collect();

    let timed = |label: &str, work: &mut dyn FnMut() -> String| {
        let started = Instant::now();
        let what = work();
        println!(
            "{label:<58} {:>9.2} s   {what}",
            started.elapsed().as_secs_f64()
        );
    };
    timed(
        "move all of the Inbox to a folder (one transaction)",
        &mut || {
            format!(
                "{} moved",
                writer.move_messages(&ids, archive).expect("move")
            )
        },
    );
    timed("move them all back", &mut || {
        format!("{} moved", writer.move_messages(&ids, inbox).expect("move"))
    });
    let filed = writer
        .create_folder(Some(account), None, "Filed")
        .expect("folder");
    let rule_set = rules(filed);
    timed(
        "rules dialog preview of one rule over the Inbox",
        &mut || {
            let preview = reader
                .rule_preview(&rule_set[0], &[inbox], &AtomicBool::new(false))
                .expect("preview")
                .expect("not cancelled");
            format!("{} of {} match", preview.matched, preview.examined)
        },
    );
    for rule in &rule_set {
        writer.add_rule(rule).expect("rule");
    }
    timed("Run rules now (3 rules) over the Inbox", &mut || {
        let run = writer.run_rules(&[inbox]).expect("run");
        format!(
            "{} looked at, {} matched, {} moved",
            run.examined, run.matched, run.moved
        )
    });
}

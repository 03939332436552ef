//! Every `.eml` in `tests/fixtures/mail/` against its expected `.summary` beside it.
//!
//! The fixtures are real and broken mail from other parsers' test suites (see the folder's
//! SOURCES.md). On a mismatch the test writes `X.summary.actual` next to `X.summary` and fails
//! naming the files, so `diff` shows what changed. With `POPLAR_BLESS=1` it (re)writes the
//! `.summary` files instead: do that only after reading the differences.

use std::fmt::Write as _;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use poplar::calendar::civil_from_days;
use poplar::mail::{BODY_TEXT_MAX_BYTES, PREVIEW_CHARS, Summary, summarize};

/// How many leading characters of `body_text` the expected files show.
const BODY_HEAD_CHARS: usize = 80;

/// Fewer fixtures than this means the folder went missing or the glob broke.
const MIN_FIXTURES: usize = 100;

/// Generous for one message even in a debug build on a slow CI machine; a hang is far slower.
const SLOW: Duration = Duration::from_secs(10);

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail")
}

/// The expected-file form of a summary: one `key: value` line per field, strings quoted and
/// escaped with Rust's `{:?}` so newlines and control characters stay visible.
fn render(summary: &Summary) -> String {
    let mut out = String::new();
    let date = match summary.date {
        Some(secs) => format!("{secs} ({})", iso_utc(secs)),
        None => "none".to_string(),
    };
    let message_id = match &summary.message_id {
        Some(id) => format!("{id:?}"),
        None => "none".to_string(),
    };
    let body_head: String = summary.body_text.chars().take(BODY_HEAD_CHARS).collect();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "from_name: {:?}", summary.from_name);
    let _ = writeln!(out, "from_addr: {:?}", summary.from_addr);
    let _ = writeln!(out, "to: {:?}", summary.to);
    let _ = writeln!(out, "cc: {:?}", summary.cc);
    let _ = writeln!(out, "subject: {:?}", summary.subject);
    let _ = writeln!(out, "date: {date}");
    let _ = writeln!(out, "message_id: {message_id}");
    let _ = writeln!(out, "has_attachments: {}", summary.has_attachments);
    let _ = writeln!(out, "preview: {:?}", summary.preview);
    let _ = writeln!(
        out,
        "body_text: {} bytes, {body_head:?}",
        summary.body_text.len()
    );
    out
}

/// `YYYY-MM-DDTHH:MM:SSZ` for Unix seconds, so a reader can check dates by eye.
fn iso_utc(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// What must hold for any input, whatever the expected file says.
fn check_invariants(name: &str, summary: &Summary) -> Vec<String> {
    let mut problems = Vec::new();
    let one_line = [
        ("from_name", &summary.from_name),
        ("from_addr", &summary.from_addr),
        ("to", &summary.to),
        ("cc", &summary.cc),
        ("subject", &summary.subject),
        ("preview", &summary.preview),
    ];
    for (field, value) in one_line {
        if value.chars().any(char::is_control) {
            problems.push(format!("{name}: {field} has a control character"));
        }
        if value.trim() != value.as_str() {
            problems.push(format!("{name}: {field} is not trimmed"));
        }
    }
    if summary.preview.chars().count() > PREVIEW_CHARS {
        problems.push(format!("{name}: preview longer than {PREVIEW_CHARS} chars"));
    }
    if summary.preview.contains("  ") {
        problems.push(format!("{name}: preview has a run of spaces"));
    }
    if summary.body_text.len() > BODY_TEXT_MAX_BYTES {
        problems.push(format!(
            "{name}: body_text over {BODY_TEXT_MAX_BYTES} bytes"
        ));
    }
    if summary.body_text.contains('\r') {
        problems.push(format!("{name}: body_text has a CR"));
    }
    problems
}

#[test]
fn summaries_match_the_expected_files() {
    let bless = std::env::var("POPLAR_BLESS").is_ok_and(|v| v == "1");
    let dir = fixture_dir();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    paths.sort();

    let mut failures: Vec<String> = Vec::new();
    let mut ran = 0;
    for path in &paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let raw = fs::read(path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
        let pristine = raw.clone();

        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| summarize(&raw)));
        let elapsed = started.elapsed();
        ran += 1;
        let summary = match outcome {
            Ok(summary) => summary,
            Err(_) => {
                failures.push(format!("{name}: summarize panicked (it must never panic)"));
                continue;
            }
        };
        if raw != pristine {
            failures.push(format!("{name}: summarize changed the raw bytes"));
        }
        if elapsed > SLOW {
            failures.push(format!("{name}: summarize took {elapsed:?}"));
        }
        failures.extend(check_invariants(&name, &summary));

        let actual = render(&summary);
        let expected_path = path.with_extension("summary");
        let actual_path = path.with_extension("summary.actual");
        if bless {
            fs::write(&expected_path, &actual)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", expected_path.display()));
            let _ = fs::remove_file(&actual_path);
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected == actual {
            let _ = fs::remove_file(&actual_path);
        } else {
            let _ = fs::write(&actual_path, &actual);
            failures.push(format!(
                "{name}: summary differs; compare {} with {}",
                expected_path.display(),
                actual_path.display()
            ));
        }
    }

    assert!(
        ran >= MIN_FIXTURES,
        "only {ran} fixtures ran in {}; expected at least {MIN_FIXTURES}",
        dir.display()
    );
    assert!(
        failures.is_empty(),
        "{} of {ran} fixtures failed (POPLAR_BLESS=1 rewrites the expected files):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn iso_utc_formats_known_dates() {
    assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
    assert_eq!(iso_utc(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(iso_utc(1_057_049_557), "2003-07-01T08:52:37Z");
}

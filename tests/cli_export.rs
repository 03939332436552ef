//! `poplar export` and `poplar import` through the binary: .eml files byte-identical to the
//! stored mail, mbox round trips into a fresh store, no duplicates on a second import, safe
//! file names for hostile subjects.

#[path = "support/seed.rs"]
mod seed;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use poplar::account::AccountSettings;
use poplar::store::{Reader, STORE_FILE, Writer};
use seed::{add_account_with_mail, fixtures};
use sha2::Digest as _;

fn poplar(data_dir: &Path, args: &[&str]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_poplar"))
        // The English messages, whatever this machine's locale.
        .env("LC_ALL", "C")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("run poplar");
    assert!(
        output.status.success(),
        "poplar {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn hostile(subject: &str, n: usize) -> Vec<u8> {
    format!(
        "From: x@example.de\r\nSubject: {subject}\r\nDate: Mon, 1 Jan 2024 00:00:0{n} +0000\r\n\
         Message-ID: <h{n}@test>\r\n\r\nFrom the start, a line that mbox must quote.\r\n"
    )
    .into_bytes()
}

/// A store in `data_dir` with one account holding `raws` (UIDLs `u0`, `u1`, …).
fn seed_store(data_dir: &Path, raws: impl IntoIterator<Item = Vec<u8>>) {
    let mut writer = Writer::open(&data_dir.join(STORE_FILE)).expect("store");
    let settings = AccountSettings::new("A", "a@example.de", "pop.invalid", "a");
    let mail = raws
        .into_iter()
        .enumerate()
        .map(|(i, raw)| (format!("u{i}"), raw));
    add_account_with_mail(&mut writer, &settings, mail);
}

fn shas(raws: impl IntoIterator<Item = Vec<u8>>) -> BTreeSet<[u8; 32]> {
    raws.into_iter()
        .map(|r| sha2::Sha256::digest(&r).into())
        .collect()
}

fn store_shas(data_dir: &Path) -> (BTreeSet<[u8; 32]>, usize) {
    let reader = Reader::open(&data_dir.join(STORE_FILE)).expect("reader");
    let mut all = Vec::new();
    for folder in reader.folders().expect("folders") {
        let view = poplar::store::ListView::Folder(folder.id);
        let count = reader.count(view).expect("count");
        for row in reader
            .page(view, Default::default(), 0, count)
            .expect("page")
        {
            all.push(reader.raw(row.id).expect("raw").expect("exists"));
        }
    }
    let n = all.len();
    (shas(all), n)
}

#[test]
fn export_and_import_keep_every_byte_and_never_duplicate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("source");
    let mut raws = fixtures().into_iter().take(60).collect::<Vec<_>>();
    let subjects = [
        "../../etc/passwd",
        "CON",
        &"x".repeat(300),
        "evil\u{202E}gpj.exe",
        "a\u{0}b",
    ];
    raws.extend(subjects.iter().enumerate().map(|(n, s)| hostile(s, n)));
    seed_store(&source, raws.iter().cloned());
    let (stored, stored_count) = store_shas(&source);

    // .eml: one file per stored message, byte-identical, with safe names.
    let eml_dir = dir.path().join("eml");
    poplar(
        &source,
        &[
            "export",
            "--format",
            "eml",
            "--to",
            eml_dir.to_str().expect("utf8"),
        ],
    );
    let files: Vec<PathBuf> = std::fs::read_dir(&eml_dir)
        .expect("eml dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), stored_count);
    assert_eq!(
        shas(files.iter().map(|p| std::fs::read(p).expect("read"))),
        stored
    );
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf8 name");
        assert!(
            path.parent() == Some(eml_dir.as_path()),
            "{name} stays in the folder"
        );
        assert!(!name.starts_with('.') && name.len() <= 140, "{name}");
        assert!(!name.contains(['\u{0}', '\u{202E}', '/', '\\']), "{name:?}");
        assert!(!name.to_ascii_uppercase().starts_with("CON."), "{name}");
    }

    // mbox: into a fresh store, the same messages; a second import adds nothing.
    let mbox = dir.path().join("all.mbox");
    poplar(
        &source,
        &[
            "export",
            "--format",
            "mbox",
            "--to",
            mbox.to_str().expect("utf8"),
        ],
    );
    let target = dir.path().join("target");
    let first = poplar(&target, &["import", mbox.to_str().expect("utf8")]);
    assert!(
        String::from_utf8_lossy(&first.stderr)
            .contains(&format!("imported {stored_count} messages"))
    );
    // mbox cannot tell whether a message's last line ended with a line break, so one that did
    // not (six of the test-suite fixtures; never mail from a POP3 server, which ends every
    // message with CRLF) comes back with one.
    let expected = shas(raws.iter().map(|raw| {
        let mut raw = raw.clone();
        if !raw.ends_with(b"\n") {
            raw.push(b'\n');
        }
        raw
    }));
    assert!(raws.iter().filter(|r| !r.ends_with(b"\n")).count() < 10);
    assert_eq!(store_shas(&target), (expected, stored_count));
    let again = poplar(&target, &["import", mbox.to_str().expect("utf8")]);
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("imported 0 messages"),
        "{again:?}"
    );
    assert_eq!(store_shas(&target).1, stored_count, "no duplicates");

    // An existing mbox is never overwritten.
    let refused = Command::new(env!("CARGO_BIN_EXE_poplar"))
        .arg("--data-dir")
        .arg(&source)
        .args([
            "export",
            "--format",
            "mbox",
            "--to",
            mbox.to_str().expect("utf8"),
        ])
        .output()
        .expect("run");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("does not overwrite"));

    // --ids picks messages.
    let some = dir.path().join("some");
    poplar(
        &source,
        &[
            "export",
            "--format",
            "eml",
            "--ids",
            "1,2",
            "--to",
            some.to_str().expect("utf8"),
        ],
    );
    assert_eq!(std::fs::read_dir(&some).expect("dir").count(), 2);
}

#[test]
fn an_export_to_a_full_disk_fails_clearly_and_leaves_no_partial_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("source");
    seed_store(
        &source,
        (0..20).map(|i| {
            let mut raw = hostile(&format!("big {i}"), i % 10);
            raw.extend(std::iter::repeat_n(b'x', 20_000));
            raw.extend_from_slice(b"\r\n");
            raw
        }),
    );
    // A 64 KB tmpfs of our own (needs root, as CI has); elsewhere this test says it skipped.
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).expect("mount point");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&disk)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "skipped an_export_to_a_full_disk_fails_clearly_and_leaves_no_partial_file: cannot mount a tmpfs here (needs root)"
        );
        return;
    }
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_poplar"))
            .arg("--data-dir")
            .arg(&source)
            .args(args)
            .output()
            .expect("run poplar")
    };
    let eml = run(&[
        "export",
        "--format",
        "eml",
        "--to",
        disk.join("eml").to_str().expect("utf8"),
    ]);
    let mbox = run(&[
        "export",
        "--format",
        "mbox",
        "--to",
        disk.join("all.mbox").to_str().expect("utf8"),
    ]);
    let leftovers: Vec<String> = walk(&disk)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".partial"))
        .map(|p| p.display().to_string())
        .collect();
    let _ = Command::new("umount").arg("-l").arg(&disk).status();
    for output in [&eml, &mbox] {
        assert!(!output.status.success(), "a full disk must fail the export");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("cannot write") && stderr.contains("No space left"),
            "{stderr}"
        );
    }
    assert!(leftovers.is_empty(), "half-written files: {leftovers:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

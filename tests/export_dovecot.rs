//! Issue 7 end to end through the binary: a generated mailbox and the real-world test fixtures
//! are served by a real Dovecot, `poplar sync` downloads them, `poplar export --format eml`
//! writes them out, and every file is byte-identical to what the server served.
//!
//! Skipped (with the reason) where Dovecot is not installed, unless `POPLAR_REQUIRE_DOVECOT=1`.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/seed.rs"]
mod seed;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use dovecot::{Dovecot, Options};
use sha2::Digest as _;

const USER: &str = "user1";

fn sha(bytes: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn poplar(data: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_poplar"))
        // The English messages, whatever this machine's locale.
        .env("LC_ALL", "C")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run poplar");
    assert!(
        output.status.success(),
        "poplar {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The fixtures of `tests/fixtures/mail`, with LF line ends (as a maildir holds them).
fn fixtures_lf() -> Vec<Vec<u8>> {
    seed::fixtures()
        .into_iter()
        .map(|raw| {
            let mut lf = Vec::with_capacity(raw.len());
            for (i, &b) in raw.iter().enumerate() {
                if !(b == b'\r' && raw.get(i + 1) == Some(&b'\n')) {
                    lf.push(b);
                }
            }
            lf
        })
        .collect()
}

#[test]
fn synced_mail_exports_as_eml_files_identical_to_the_servers_copy() {
    let Some(server) = Dovecot::start_or_skip_with(
        "synced_mail_exports_as_eml_files_identical_to_the_servers_copy",
        Options::new().fast_stop(true),
    ) else {
        return;
    };
    // The same bytes twice would be stored once (the duplicate defence): serve each once.
    let mut unique = BTreeMap::new();
    for message in corpus::mixed(150, 71).into_iter().chain(fixtures_lf()) {
        unique.entry(sha(&message)).or_insert(message);
    }
    let messages: Vec<Vec<u8>> = unique.into_values().collect();
    let served = server.deliver(USER, &messages);

    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let pin = hex(&sha(&server.cert_der()));
    let port = server.tls_port().to_string();
    let password = format!("echo {}", server.password(USER));
    poplar(
        &data,
        &[
            "account",
            "add",
            "--name",
            "Dovecot",
            "--email",
            "user1@example.org",
            "--host",
            server.host(),
            "--port",
            &port,
            "--user",
            USER,
            "--password-command",
            &password,
            "--pin-sha256",
            &pin,
        ],
    );
    poplar(&data, &["sync"]);
    // Each message's provenance names the TLS version it came over (Dovecot speaks 1.3).
    let reader = poplar::store::Reader::open(&data.join(poplar::store::STORE_FILE)).expect("store");
    let rows = poplar::export::Source::All.rows(&reader).expect("rows");
    assert!(!rows.is_empty());
    for row in &rows {
        let message = reader.message(row.id).expect("read").expect("stored");
        assert_eq!(
            message.tls_version.as_deref(),
            Some("TLS 1.3"),
            "message {}",
            row.id
        );
    }
    let out = dir.path().join("eml");
    poplar(
        &data,
        &[
            "export",
            "--format",
            "eml",
            "--to",
            out.to_str().expect("utf8"),
        ],
    );

    let mut exported: BTreeMap<[u8; 32], usize> = BTreeMap::new();
    for entry in std::fs::read_dir(&out).expect("export folder") {
        let path = entry.expect("entry").path();
        assert_eq!(path.extension().and_then(|e| e.to_str()), Some("eml"));
        *exported
            .entry(sha(&std::fs::read(&path).expect("read")))
            .or_default() += 1;
    }
    let expected: BTreeMap<[u8; 32], usize> = served.iter().fold(BTreeMap::new(), |mut m, s| {
        *m.entry(sha(s)).or_default() += 1;
        m
    });
    // Dovecot may serve two files the same (a fixture with and without CR); the store keeps
    // such a message once.
    let distinct: Vec<_> = expected.keys().collect();
    assert_eq!(
        exported.keys().collect::<Vec<_>>(),
        distinct,
        "every exported file is a message the server served, and every one is exported"
    );
    assert!(
        exported.values().all(|&n| n == 1),
        "no message is exported twice"
    );
    assert!(exported.len() > 300, "{} messages", exported.len());
}

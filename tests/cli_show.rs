//! `poplar show` tells where a message came from: the account, and for downloaded mail the
//! server, its UIDL there, when it was downloaded and over which TLS version; imported mail
//! says so.

use poplar::store::{STORE_FILE, Writer, prepare};

#[path = "support/cli.rs"]
mod cli;
#[path = "support/store_kit.rs"]
mod store_kit;

use cli::*;
use store_kit::*;

#[test]
fn show_prints_the_account_server_uidl_download_time_and_tls_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(STORE_FILE);
    {
        let mut writer = Writer::open(&path).expect("open");
        let gmx = writer.add_account(&settings("GMX"), 1).expect("account");
        let mut downloaded = incoming(
            "UID-17",
            &mail("anna@example.org", "Hallo", None, "Text"),
            1_709_632_800,
        );
        downloaded.tls_version = Some("TLS 1.3".into());
        writer
            .ingest(gmx, vec![prepare(downloaded)])
            .expect("ingest");
    }
    let shown = ok(dir.path(), &["show", "1"]);
    for line in [
        "Subject: Hallo",
        "Account: GMX",
        "Server: pop.example.de",
        "UIDL: UID-17",
        "Downloaded: 2024-03-05 10:00",
        "TLS: TLS 1.3",
    ] {
        assert!(shown.lines().any(|l| l == line), "{line:?} in {shown}");
    }
    // Imported mail has no server.
    let eml = dir.path().join("a.eml");
    std::fs::write(&eml, mail("bob@example.org", "Importiert", None, "x")).expect("eml");
    ok(dir.path(), &["import", eml.to_str().expect("path")]);
    let shown = ok(dir.path(), &["show", "2"]);
    assert!(shown.lines().any(|l| l == "Account: Local"), "{shown}");
    assert!(
        shown.lines().any(|l| l.starts_with("Imported: ")),
        "{shown}"
    );
    assert!(!shown.contains("UIDL:"), "{shown}");
}

#[test]
fn show_text_says_when_a_message_has_only_attachments_and_shows_why_a_mail_bounced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail");
    for name in [
        "poplar__attachments-only.eml",
        "poplar__bounce-status-only.eml",
    ] {
        let path = fixtures.join(name);
        ok(dir.path(), &["import", path.to_str().expect("path")]);
    }
    assert_eq!(
        ok(dir.path(), &["show", "--text", "1"]).trim(),
        "No text. 2 attachments: a.pdf, b.zip"
    );
    let bounce = ok(dir.path(), &["show", "--text", "2"]);
    assert!(
        bounce.contains("Diagnostic-Code: smtp; 550 5.1.1 User unknown"),
        "{bounce}"
    );
    let whole = ok(dir.path(), &["show", "1"]);
    assert!(whole.contains("No text. 2 attachments"), "{whole}");
}

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

//! Filing on arrival through the real Dovecot (issue 16): messages with and without the
//! providers' spam marks, and ones the user's rules match, land where they should when
//! `poplar sync` downloads them; the counts are right and a second sync changes nothing.

#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/store_kit.rs"]
mod store_kit;

use std::path::Path;
use std::process::Command;

use dovecot::Dovecot;
use poplar::store::{FolderKind, Reader, STORE_FILE};
use sha2::Digest as _;
use store_kit::assert_counts_match_a_recount;

fn poplar(data: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_poplar"))
        .env("LC_ALL", "C")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run poplar");
    assert!(
        out.status.success(),
        "poplar {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn add_account(data: &Path, server: &Dovecot, name: &str, extra: &[&str]) {
    let pin = poplar::pop3::sasl::hex(&sha2::Sha256::digest(server.cert_der()));
    let port = server.tls_port().to_string();
    let password = format!("echo {}", server.password("user1"));
    let mut args = vec![
        "account",
        "add",
        "--name",
        name,
        "--email",
        "user1@example.org",
        "--host",
        server.host(),
        "--port",
        &port,
        "--user",
        "user1",
        "--password-command",
        &password,
        "--pin-sha256",
        &pin,
        "--keep",
    ];
    args.extend_from_slice(extra);
    poplar(data, &args);
}

fn message(subject: &str, from: &str, extra: &str) -> Vec<u8> {
    format!(
        "From: {from}\nTo: user1@example.org\nSubject: {subject}\nMessage-ID: <{}@test>\n{extra}\nText of {subject}.\n",
        subject.replace(' ', ".")
    )
    .into_bytes()
}

/// (subject, folder kind, folder name, read) of every stored message, by subject.
fn placed(store: &Path) -> Vec<(String, FolderKind, String, bool)> {
    let reader = Reader::open(store).expect("reader");
    let folders = reader.folders().expect("folders");
    let conn = rusqlite::Connection::open(store).expect("open");
    let mut stmt = conn
        .prepare("SELECT subject, folder_id, seen FROM messages ORDER BY subject")
        .expect("prepare");
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, bool>(2)?,
        ))
    })
    .expect("query")
    .map(|row| {
        let (subject, folder, seen) = row.expect("row");
        let f = folders.iter().find(|f| f.id == folder).expect("its folder");
        (subject, f.kind, f.name.clone(), seen)
    })
    .collect()
}

fn mail() -> Vec<Vec<u8>> {
    vec![
        message("Ihre Rechnung", "Stadtwerke <rechnung@swm.example>", ""),
        message("Hallo", "Anna <anna@web.de>", ""),
        message("Billige Uhren", "Spam <x@spam.example>", "X-Spam-Flag: YES"),
        message(
            "Casino",
            "Bonus <b@casino.example>",
            "X-UI-Filterresults: junk:10;V03:K0",
        ),
        message(
            "Harmlos",
            "Bob <bob@gmx.de>",
            "X-UI-Filterresults: notjunk:1;V03:K0",
        ),
        message("Newsletter", "News <newsletter@shop.example>", ""),
    ]
}

#[test]
fn rules_and_spam_marks_file_mail_downloaded_from_dovecot() {
    let Some(server) =
        Dovecot::start_or_skip("rules_and_spam_marks_file_mail_downloaded_from_dovecot")
    else {
        return;
    };
    server.deliver("user1", &mail());
    let data = tempfile::tempdir().expect("data");
    add_account(data.path(), &server, "Dovecot", &[]);
    poplar(
        data.path(),
        &["folder", "add", "Rechnungen", "--account", "Dovecot"],
    );
    poplar(
        data.path(),
        &[
            "rule",
            "add",
            "Rechnungen",
            "--if",
            "subject contains rechnung",
            "--move-to",
            "Rechnungen",
            "--mark-read",
        ],
    );
    poplar(
        data.path(),
        &[
            "rule",
            "add",
            "Newsletter",
            "--if",
            "from contains newsletter",
            "--trash",
        ],
    );
    let summary = poplar(data.path(), &["sync"]);
    assert!(summary.contains("Dovecot: 6 new"), "{summary}");
    let store = data.path().join(STORE_FILE);
    let expected = [
        ("Billige Uhren", FolderKind::Junk, false),
        ("Casino", FolderKind::Junk, false),
        ("Hallo", FolderKind::Inbox, false),
        ("Harmlos", FolderKind::Inbox, false),
        ("Ihre Rechnung", FolderKind::User, true),
        ("Newsletter", FolderKind::Trash, false),
    ];
    let got: Vec<_> = placed(&store)
        .into_iter()
        .map(|(s, k, _, seen)| (s, k, seen))
        .collect();
    let want: Vec<_> = expected
        .iter()
        .map(|(s, k, seen)| (s.to_string(), *k, *seen))
        .collect();
    assert_eq!(got, want);
    assert_counts_match_a_recount(&store);
    let reader = Reader::open(&store).expect("reader");
    let ledger = reader
        .ledger(reader.accounts().expect("accounts")[0].id)
        .expect("ledger");
    assert_eq!(ledger.len(), 6, "every UIDL once");

    let again = poplar(data.path(), &["sync"]);
    assert!(again.contains("Dovecot: 0 new"), "{again}");
    assert_eq!(placed(&store).len(), 6);
    assert_counts_match_a_recount(&store);
}

#[test]
fn an_account_with_its_junk_filter_off_keeps_marked_mail_in_its_inbox() {
    let Some(server) =
        Dovecot::start_or_skip("an_account_with_its_junk_filter_off_keeps_marked_mail")
    else {
        return;
    };
    server.deliver("user1", &mail());
    let data = tempfile::tempdir().expect("data");
    add_account(data.path(), &server, "Dovecot", &[]);
    let store = data.path().join(STORE_FILE);
    {
        let mut writer = poplar::store::Writer::open(&store).expect("writer");
        let reader = writer.reader().expect("reader");
        let account = reader.accounts().expect("accounts").remove(0);
        let mut settings = account.settings;
        settings.junk = poplar::junk::JunkSettings::off();
        writer
            .update_account(account.id, &settings)
            .expect("update");
    }
    poplar(data.path(), &["sync"]);
    assert!(
        placed(&store)
            .iter()
            .all(|(_, kind, _, _)| *kind == FolderKind::Inbox),
        "{:?}",
        placed(&store)
    );
}

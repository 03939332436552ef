//! `poplar account` through the binary.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn poplar(data_dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_poplar"))
        // The English messages, whatever this machine's locale.
        .env("LC_ALL", "C")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run poplar");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin).expect("stdin");
    }
    child.wait_with_output().expect("wait for poplar")
}

const ADD: [&str; 10] = [
    "account",
    "add",
    "--name",
    "Home",
    "--email",
    "me@example.de",
    "--host",
    "pop.invalid",
    "--user",
    "me",
];

/// The keyring entry is named after user, server and port: a second `account add` under a
/// name that is taken must stop before it asks for a password and stores it over the entry
/// of the account that already logs in there.
#[test]
fn a_taken_name_is_refused_before_the_password_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut first = ADD.to_vec();
    first.extend(["--password-command", "echo first"]);
    let added = poplar(dir.path(), &first, b"");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    // No password on standard input: asking for one would fail with "no password given".
    let again = poplar(dir.path(), &ADD, b"");
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("there is already an account named \"Home\""),
        "{stderr}"
    );
}

#[test]
fn human_messages_follow_the_locale_and_c_means_english() {
    let run = |env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_poplar"));
        command
            .args([
                "serverinfo",
                "--host",
                "pop.example.de",
                "--pin-sha256",
                "zz",
            ])
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG");
        for (k, v) in env {
            command.env(k, v);
        }
        let out = command.output().expect("run poplar");
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert_eq!(
        run(&[("LANG", "de_DE.UTF-8")]),
        "poplar: --pin-sha256 erwartet 64 Hexadezimalziffern (Doppelpunkte erlaubt)\n"
    );
    assert_eq!(
        run(&[("LANGUAGE", "de"), ("LANG", "de_DE.UTF-8"), ("LC_ALL", "C")]),
        "poplar: --pin-sha256 takes 64 hex digits (colons allowed)\n"
    );
    assert_eq!(
        run(&[]),
        "poplar: --pin-sha256 takes 64 hex digits (colons allowed)\n"
    );
}

/// A failed `poplar sync` says what happened and what to do in the user's language, with the
/// error and the server's address on the line below, and exits non-zero.
#[test]
fn a_failed_sync_is_explained_in_words_in_english_and_german() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A port nobody listens on: the connection is refused.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let port = port.to_string();
    let added = poplar(
        dir.path(),
        &[
            "account",
            "add",
            "--name",
            "Home",
            "--email",
            "me@example.de",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "me",
            "--password-command",
            "echo secret",
        ],
        b"",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let english = poplar(dir.path(), &["sync"], b"");
    assert!(!english.status.success());
    let stderr = String::from_utf8_lossy(&english.stderr);
    assert!(
        stderr.contains("poplar: Home: 127.0.0.1")
            && stderr.contains("accepts no connection on this port"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n  cannot connect to 127.0.0.1"),
        "{stderr}"
    );
    let german = Command::new(env!("CARGO_BIN_EXE_poplar"))
        .env("LC_ALL", "de_DE.UTF-8")
        .env_remove("LANGUAGE")
        .arg("--data-dir")
        .arg(dir.path())
        .arg("sync")
        .stdin(Stdio::null())
        .output()
        .expect("run poplar");
    assert!(!german.status.success());
    let stderr = String::from_utf8_lossy(&german.stderr);
    assert!(
        stderr.contains("nimmt auf diesem Port keine Verbindung an"),
        "{stderr}"
    );
}

//! The sync engine under faults: what a pass does when the server is odd, refuses, pages,
//! rate-limits or drops the connection, and what survives a network that cuts connections
//! anywhere. (A `poplar sync` killed at random moments: `sync_kill.rs`.)
//!
//! The promise every test here checks is the one in `src/sync/pass.rs`: nothing lost, nothing
//! stored twice, nothing deleted on the server that is not safely stored here.
//!
//! - Scripted fake servers (library level, `run_pass`): no UIDL, `[IN-USE]`, `[LOGIN-DELAY]`,
//!   a Gmail-like paged listing, a WEB.DE-like login gate, a drop in the middle of a batch.
//! - The fault proxy: passes through a proxy that cuts each connection after a random number of
//!   bytes, one way or the other, until one completes.
//!
//! Dovecot tests skip where Dovecot is missing, unless `POPLAR_REQUIRE_DOVECOT=1`.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/fake_mailbox.rs"]
mod fake_mailbox;
#[path = "support/fake_server.rs"]
mod fake_server;
#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/store_kit.rs"]
mod store_kit;
#[path = "support/sync_kit.rs"]
mod sync_kit;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use corpus::Rng;
use dovecot::Dovecot;
use fake_mailbox::*;
use fault_proxy::{Cut, Direction, FaultProxy};
use poplar::account::{AccountSettings, ServerPolicy};
use poplar::pop3::{ErrorKind as Pop3Kind, Security};
use poplar::store::ServerState;
use poplar::sync::{SyncError, SyncErrorKind, content_key};
use sync_kit::{DOVECOT_PASSWORD, DOVECOT_USER, Local, dovecot_with, lock, multiset, sha};

// ---------------------------------------------------------------------------------------------
// A. a scripted mailbox behind the fake server (support/fake_mailbox.rs)

#[test]
fn without_uidl_messages_are_known_by_a_content_key_and_delete_after_days_is_not_applied() {
    let mut raws = crlf_messages(5, 11);
    // Two messages with the same identity headers but different bodies (a resent newsletter)
    // still need two identities.
    let mut twin = head_of(&raws[2]);
    twin.extend_from_slice(b"A different body, longer than the first one's ending.\r\n");
    raws.push(twin);
    let mailbox = mailbox(
        Behaviour {
            uidl: false,
            pipelining: true,
            ..Behaviour::default()
        },
        &raws,
    );
    let mut server = fake(&mailbox, 2);
    let local = Local::new(
        &fake_account(&server, ServerPolicy::DeleteAfterDays(1)),
        PASSWORD,
    );

    let first = local.pass().expect("the first pass works without UIDL");
    assert_eq!(first.downloaded, 6, "{first:?}");
    let ledger = local.ledger();
    let mut expected_keys: HashSet<String> = HashSet::new();
    for raw in &raws {
        let key = content_key(&head_of(raw));
        if !expected_keys.insert(key.clone()) {
            expected_keys.insert(format!("{key}-2"));
        }
    }
    let keys: HashSet<String> = ledger.keys().cloned().collect();
    assert_eq!(
        keys, expected_keys,
        "ledger keys are content keys from TOP headers"
    );
    assert!(keys.iter().all(|k| k.starts_with("poplar-key:")));
    assert!(server.saw("TOP 1 0"), "headers come from TOP n 0");
    assert_eq!(
        multiset(&local.raws()),
        multiset(&raws),
        "each message once"
    );

    // Three days later: past the policy's one day, but without UIDL nobody knows how long a
    // message has been there, so nothing is deleted, and the user is told why.
    let second = local.pass_at(3).expect("the second pass");
    assert_eq!(second.downloaded, 0, "nothing new: {second:?}");
    assert_eq!(second.deleted_on_server, 0);
    assert!(
        sent_on(&server, 1, "RETR").is_empty(),
        "no download the second time"
    );
    assert!(!server.saw("DELE"), "nothing deleted without UIDL");
    for report in [&first, &second] {
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.contains("UIDL") && w.contains("delete after N days")),
            "the report says why nothing was deleted: {:?}",
            report.warnings
        );
    }
    assert_eq!(local.raws().len(), 6);
    assert!(lock(&mailbox).messages.iter().all(|m| !m.gone));
    server.join().expect("script");
}

/// Messages no header identifies, on a server without UIDL: each is known by its content,
/// never by its place in the listing. Another program deletes the first one and new mail
/// arrives: the next pass downloads exactly the new mail (by position it would have taken
/// the deleted one's key and been skipped), and nothing is stored twice.
fn without_uidl_a_message_no_header_identifies_is_known_by_its_content(no_top: bool) {
    let mut raws = crlf_messages(2, 23);
    // No Message-ID, Date, From, To or Subject: nothing in the headers to know them by.
    raws.push(b"X-Mailer: a script\r\n\r\nDisk 1 is full.\r\n".to_vec());
    raws.push(b"X-Mailer: a script\r\n\r\nDisk 2 is full.\r\n".to_vec());
    let mailbox = mailbox(
        Behaviour {
            uidl: false,
            no_top,
            pipelining: true,
            ..Behaviour::default()
        },
        &raws,
    );
    let mut server = fake(&mailbox, 2);
    let local = Local::new(&fake_account(&server, ServerPolicy::Keep), PASSWORD);

    let first = local.pass().expect("the first pass");
    assert_eq!(first.downloaded, 4, "{first:?}");
    let keys: Vec<String> = local.ledger().keys().cloned().collect();
    let by_body = keys
        .iter()
        .filter(|k| k.starts_with("poplar-body:"))
        .count();
    assert_eq!(
        by_body,
        if no_top { 4 } else { 2 },
        "known by content where the headers say nothing: {keys:?}"
    );
    assert!(
        first
            .warnings
            .iter()
            .any(|w| w.contains("by their content")),
        "the report says why messages are downloaded to be known: {:?}",
        first.warnings
    );

    // Another program takes the first script message; a third one arrives.
    let fresh = b"X-Mailer: a script\r\n\r\nDisk 3 is full.\r\n".to_vec();
    {
        let mut mb = lock(&mailbox);
        mb.messages[2].gone = true;
        mb.messages.push(FakeMessage {
            uidl: "unused".into(),
            raw: fresh.clone(),
            gone: false,
        });
    }
    let second = local.pass().expect("the second pass");
    assert_eq!(second.downloaded, 1, "exactly the new message: {second:?}");
    let mut expected = raws.clone();
    expected.push(fresh);
    assert_eq!(
        multiset(&local.raws()),
        multiset(&expected),
        "every message once, the new one too"
    );
    assert!(!server.saw("DELE"), "nothing deleted");
    server.join().expect("script");
}

#[test]
fn without_uidl_or_top_each_message_is_known_by_its_content() {
    without_uidl_a_message_no_header_identifies_is_known_by_its_content(true);
}

#[test]
fn without_uidl_a_message_without_identity_headers_is_known_by_its_content() {
    without_uidl_a_message_no_header_identifies_is_known_by_its_content(false);
}

/// A login answered with `reply` fails the pass with `kind`, recoverable, and stores nothing.
fn refused_login(reply: &str, kind: Pop3Kind) -> SyncError {
    let mailbox = mailbox(
        Behaviour {
            uidl: true,
            pass_reply: Some(reply.to_owned()),
            ..Behaviour::default()
        },
        &crlf_messages(3, 12),
    );
    let mut server = fake(&mailbox, 1);
    let local = Local::new(&fake_account(&server, ServerPolicy::Keep), PASSWORD);
    let err = local.pass().expect_err("a refused login fails the pass");
    assert_eq!(err.kind(), SyncErrorKind::Pop3(kind), "{err}");
    assert!(err.is_recoverable(), "{err}");
    assert!(!err.needs_user(), "polling goes on by itself: {err}");
    assert!(local.ledger().is_empty(), "nothing recorded");
    assert!(local.raws().is_empty(), "nothing stored");
    assert!(!server.saw("LIST") && !server.saw("RETR"));
    server.join().expect("script");
    err
}

#[test]
fn in_use_at_pass_is_a_recoverable_failure_that_names_another_program() {
    let err = refused_login(
        "-ERR [IN-USE] Do you have another POP session running?",
        Pop3Kind::InUse,
    );
    let text = err.to_string();
    assert!(text.contains("another program"), "{text}");
    assert!(
        text.contains("[IN-USE]"),
        "the server's words are quoted: {text}"
    );
}

#[test]
fn login_delay_at_pass_is_a_recoverable_failure() {
    let err = refused_login(
        "-ERR [LOGIN-DELAY] wait 15 minutes between logins",
        Pop3Kind::LoginDelay,
    );
    assert!(err.to_string().contains("[LOGIN-DELAY]"), "{err}");
}

#[test]
fn a_gmail_like_paged_listing_brings_every_message_in_one_pass_exactly_once() {
    let raws = crlf_messages(600, 13);
    let mailbox = mailbox(
        Behaviour {
            uidl: true,
            pipelining: true,
            page: Some(250),
            hide_retrieved: true,
            ..Behaviour::default()
        },
        &raws,
    );
    // 250 + 250 + 100: three sessions; a fourth connection would be refused (and fail).
    let mut server = fake(&mailbox, 3);
    let local = Local::new(&fake_account(&server, ServerPolicy::Keep), PASSWORD);
    let report = local.pass().expect("one pass");
    assert_eq!(report.downloaded, 600, "{report:?}");
    assert_eq!(local.raws().len(), 600);
    assert_eq!(
        multiset(&local.raws()),
        multiset(&raws),
        "each message once"
    );
    assert_eq!(lock(&mailbox).logins, vec![0, 1, 2], "three sessions");
    let retrs: usize = (0..3).map(|c| sent_on(&server, c, "RETR").len()).sum();
    assert_eq!(retrs, 600, "each message downloaded once");
    assert_eq!(local.ledger().len(), 600);
    server.join().expect("script");
}

/// Why `[LOGIN-DELAY]` and not `[AUTH]` for the gate: RFC 2449 §8.1.2 defines LOGIN-DELAY
/// for exactly this ("the user has logged in recently and will not be allowed to log in again
/// until the login delay period has expired"), and an `[AUTH]` answer would make Poplar stop
/// polling and ask for the password, which is wrong for a rate limit.
#[test]
fn a_web_de_like_login_gate_sees_one_login_per_pass() {
    assert_eq!(poplar::sync::provider_min_interval("pop3.web.de"), Some(15));
    assert_eq!(poplar::sync::provider_min_interval("POP3.WEB.DE"), Some(15));
    assert_eq!(poplar::sync::provider_min_interval("pop.web.de"), Some(15));
    assert_eq!(poplar::sync::provider_min_interval("pop.gmx.net"), None);
    let gate = Duration::from_secs(30);
    // More than a Gmail page, kept on the server: the listing is complete, nothing needs
    // paging, so one login must do.
    let mailbox = mailbox(
        Behaviour {
            uidl: true,
            pipelining: true,
            login_gate: Some(gate),
            capa_extra: vec!["LOGIN-DELAY 900".into()],
            ..Behaviour::default()
        },
        &crlf_messages(300, 14),
    );
    let mut server = fake(&mailbox, 3);
    let local = Local::new(&fake_account(&server, ServerPolicy::Keep), PASSWORD);

    let first = local.pass();
    let seen = {
        let mb = lock(&mailbox);
        (mb.logins.clone(), mb.refused.clone())
    };
    let first = first.unwrap_or_else(|err| {
        panic!("the first pass logs in once and works, but failed: {err}; logins {seen:?}")
    });
    assert_eq!(first.downloaded, 300);
    assert_eq!(first.login_delay, Some(900), "CAPA LOGIN-DELAY is reported");
    assert_eq!(seen, (vec![0], vec![]), "one login in the first pass");

    // At once again: the gate refuses; the pass fails recoverably and does not try again.
    let err = local.pass().expect_err("refused by the gate");
    assert_eq!(
        err.kind(),
        SyncErrorKind::Pop3(Pop3Kind::LoginDelay),
        "{err}"
    );
    assert!(err.is_recoverable());
    assert_eq!(lock(&mailbox).refused, vec![1]);

    // After the interval (simulated: the gate forgets the last login), with one new
    // message: one login, one download.
    lock(&mailbox).last_login = None;
    let new = crlf_messages(301, 14).pop().expect("message 301");
    lock(&mailbox).messages.push(FakeMessage {
        uidl: "uid-new".into(),
        raw: new,
        gone: false,
    });
    let third = local.pass().expect("after the interval the pass works");
    assert_eq!(third.downloaded, 1);
    assert_eq!(lock(&mailbox).logins, vec![0, 2], "one login per pass");
    for conn in 0..3 {
        assert_eq!(sent_on(&server, conn, "PASS").len(), 1, "connection {conn}");
    }
    assert_eq!(local.raws().len(), 301);
    server.join().expect("script");
}

#[test]
fn a_drop_in_the_middle_of_a_batch_keeps_committed_batches_and_the_next_pass_finishes() {
    let raws = crlf_messages(50, 15);
    let mailbox = mailbox(
        Behaviour {
            uidl: true,
            // One RETR at a time, so the server never closes with unread commands (which would
            // reset the connection and make how much the client got before it a race).
            pipelining: false,
            drop_at_retr: Some((0, 27)),
            ..Behaviour::default()
        },
        &raws,
    );
    let mut server = fake(&mailbox, 2);
    let mut local = Local::new(
        &fake_account(&server, ServerPolicy::DeleteAfterDownload),
        PASSWORD,
    );
    local.options.batch_messages = 10;

    let err = local.pass().expect_err("the drop fails the pass");
    assert_eq!(err.kind(), SyncErrorKind::Pop3(Pop3Kind::Closed), "{err}");
    assert!(err.is_recoverable(), "{err}");
    // Batches 1-10 and 11-20 were committed on the way; 21-26 had arrived whole when the
    // connection dropped and are committed before the pass reports the failure.
    let stored = local.raws();
    assert_eq!(stored.len(), 26, "every message that arrived whole is kept");
    assert_eq!(multiset(&stored), multiset(&raws[..26]));
    assert!(
        !server.saw("DELE"),
        "nothing deleted by a pass that failed in the download"
    );
    assert!(lock(&mailbox).messages.iter().all(|m| !m.gone));

    let report = local.pass().expect("the server is healthy again");
    assert_eq!(report.downloaded, 24, "{report:?}");
    assert_eq!(report.deleted_on_server, 50);
    let second_retrs: Vec<String> = sent_on(&server, 1, "RETR");
    let expected: Vec<String> = (27..=50).map(|n| format!("RETR {n}")).collect();
    assert_eq!(
        second_retrs, expected,
        "only what was not committed is fetched again"
    );
    assert_eq!(
        multiset(&local.raws()),
        multiset(&raws),
        "each message exactly once"
    );
    assert!(
        lock(&mailbox).messages.iter().all(|m| m.gone),
        "all deleted"
    );
    assert!(
        local
            .ledger()
            .values()
            .all(|e| e.state == ServerState::Deleted && e.downloaded_at.is_some())
    );
    server.join().expect("script");
}

// C: through a proxy that cuts connections, against a private Dovecot

/// The plan for each proxied connection: direction and cut point from a seeded PRNG, over the
/// transfer the next pass is expected to need (updated by the test before each pass).
struct CutPlan {
    /// Cuts used first, in order, before the random ones.
    fixed: Vec<Cut>,
    rng: Rng,
    expected_to_client: u64,
    expected_to_server: u64,
}

impl CutPlan {
    fn next(&mut self) -> Cut {
        if !self.fixed.is_empty() {
            return self.fixed.remove(0);
        }
        let rng = &mut self.rng;
        let (direction, expected) = if rng.chance(30) {
            (Direction::ClientToServer, self.expected_to_server)
        } else {
            (Direction::ServerToClient, self.expected_to_client)
        };
        // Two cuts in five are log-uniform over the first 64 KB, so the TLS handshake, the
        // greeting, CAPA, the login and the listing get their share; the others are uniform
        // over the whole expected transfer (and a bit beyond, so a pass can complete).
        let after = if rng.chance(40) {
            let bits = rng.below(17);
            rng.below(1 << bits)
        } else {
            rng.below(expected * 5 / 4 + 1)
        };
        Cut { direction, after }
    }
}

/// How a failed TLS handshake's error begins.
const HANDSHAKE_FAILED: &str = "cannot make a secure connection to";
/// How a hang-up right after the login's last command is reported.
const LOGIN_HANG_UP: &str = "the server closed the connection after the login attempt";

/// A store with a delete-after-download account on Dovecot's TLS port, through `proxy`.
fn through_proxy(server: &Dovecot, proxy: &FaultProxy) -> Local {
    let mut settings =
        AccountSettings::new("Dovecot", "user1@example.org", "127.0.0.1", DOVECOT_USER);
    settings.port = proxy.port();
    settings.security = Security::Tls;
    settings.pin_sha256 = Some(sha(&server.cert_der()));
    settings.server_policy = ServerPolicy::DeleteAfterDownload;
    Local::new(&settings, DOVECOT_PASSWORD)
}

#[test]
fn a_connection_cut_in_the_tls_handshake_is_a_recoverable_failure() {
    let test = "a_connection_cut_in_the_tls_handshake_is_a_recoverable_failure";
    let Some((server, served)) = dovecot_with(test, 5, 0xC3) else {
        return;
    };
    let cuts = [
        (Direction::ServerToClient, 0),
        (Direction::ServerToClient, 300),
        (Direction::ClientToServer, 0),
        (Direction::ClientToServer, 150),
    ];
    let plan = Mutex::new(cuts.to_vec());
    let proxy = FaultProxy::start(server.tls_addr(), move |_| {
        let (direction, after) = lock(&plan).remove(0);
        Some(Cut { direction, after })
    });
    let local = through_proxy(&server, &proxy);
    for (direction, after) in cuts {
        let err = local.pass().expect_err("the cut fails the pass");
        assert!(
            err.is_recoverable() && !err.needs_user(),
            "cut {direction:?} after {after} bytes: {:?}: {err}",
            err.kind()
        );
    }
    assert!(proxy.connections().iter().all(|c| c.was_cut));
    assert!(local.raws().is_empty());
    assert_eq!(served.remaining(&server), served.len(), "nothing deleted");
}

#[test]
fn passes_through_a_proxy_that_cuts_connections_anywhere_store_everything_once() {
    const MESSAGES: usize = 3_000;
    const MAX_PASSES: usize = 150;
    let test = "passes_through_a_proxy_that_cuts_connections_anywhere_store_everything_once";
    let Some((server, served)) = dovecot_with(test, MESSAGES, 0xC1) else {
        return;
    };
    // First, cuts in the TLS handshake (both ways) and right after it, whatever the PRNG says.
    let fixed = [
        (Direction::ServerToClient, 0),
        (Direction::ServerToClient, 300),
        (Direction::ServerToClient, 1_200),
        (Direction::ClientToServer, 0),
        (Direction::ClientToServer, 150),
        (Direction::ClientToServer, 700),
    ]
    .map(|(direction, after)| Cut { direction, after })
    .to_vec();
    let plan = Arc::new(Mutex::new(CutPlan {
        fixed,
        rng: Rng::new(0xC2),
        expected_to_client: 0,
        expected_to_server: 0,
    }));
    let for_proxy = Arc::clone(&plan);
    let proxy = FaultProxy::start(server.tls_addr(), move |_| Some(lock(&for_proxy).next()));
    let local = through_proxy(&server, &proxy);
    let total_bytes = served.total_bytes();

    let started = Instant::now();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    let mut completed = None;
    for pass in 1..=MAX_PASSES {
        let downloaded = local
            .ledger()
            .values()
            .filter(|e| e.downloaded_at.is_some())
            .count() as u64;
        let left = MESSAGES as u64 - downloaded;
        {
            let mut plan = lock(&plan);
            // Messages still to come, the listing and the DELE answers, the handshake.
            plan.expected_to_client = total_bytes * left / MESSAGES as u64 + 60 * 1500 + 8_000;
            plan.expected_to_server = 40 * (left + 1500) + 2_000;
        }
        match local.pass() {
            Ok(report) => {
                completed = Some((pass, report));
                break;
            }
            Err(err) => {
                let cut_now = proxy.connections().last().is_some_and(|c| c.was_cut);
                // Known bug (see the ignored test above): a cut in the TLS handshake comes back
                // as a TLS failure. Tolerated here only for connections the proxy did cut.
                let handshake_cut = cut_now
                    && err.kind() == SyncErrorKind::Pop3(Pop3Kind::Tls)
                    && err.to_string().starts_with(HANDSHAKE_FAILED);
                // By design (client.rs, POP3-NOTES): a hang-up right after the password is
                // taken as a refusal; on the wire a cut there looks the same.
                let login_cut = cut_now
                    && err.kind() == SyncErrorKind::Pop3(Pop3Kind::Auth)
                    && err.to_string().contains(LOGIN_HANG_UP);
                assert!(
                    err.is_recoverable() || handshake_cut || login_cut,
                    "pass {pass}: a cut connection must be a recoverable failure, got {:?}: {err}",
                    err.kind()
                );
                *failures.entry(format!("{:?}", err.kind())).or_insert(0) += 1;
                served.check_nothing_lost_nothing_twice(
                    &local.path,
                    &server,
                    &format!("after pass {pass} ({err})"),
                );
            }
        }
    }
    let connections = proxy.connections();
    let cut = connections.iter().filter(|c| c.was_cut).count();
    eprintln!(
        "{test}: {} passes, {} connections, {cut} cut, failures {failures:?}, {:?}",
        completed.as_ref().map_or(MAX_PASSES, |(p, _)| *p),
        connections.len(),
        started.elapsed()
    );
    let Some((passes, _)) = completed else {
        panic!("no pass completed through the proxy in {MAX_PASSES} passes: {failures:?}");
    };
    assert!(passes > 1 && cut > 0, "the proxy cut connections");
    served.check_exactly_once(&local.path);
    let remaining = served.remaining(&server);
    assert_eq!(remaining, 0, "everything deleted on the server");
    assert!(
        local
            .ledger()
            .values()
            .all(|e| e.state == ServerState::Deleted),
        "every deletion recorded as done"
    );
}

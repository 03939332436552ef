//! The POP3 client against a real Dovecot that the test starts itself on loopback.
//!
//! Where Dovecot is not installed these tests say they were skipped and why; with
//! `POPLAR_REQUIRE_DOVECOT=1` (as in CI) a missing Dovecot fails them.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/dovecot.rs"]
mod dovecot;

use std::ops::ControlFlow;
use std::time::Duration;

use dovecot::{Dovecot, Options};
use poplar::pop3::{
    AuthMethod, Client, ClientConfig, Credentials, Endpoint, ErrorKind, Secret, Security, State,
    TlsTrust,
};
use sha2::Digest as _;

fn run<T>(future: impl std::future::Future<Output = T>) -> T {
    smol::block_on(future)
}

fn start(name: &str) -> Option<Dovecot> {
    Dovecot::start_or_skip_with(name, Options::new().fast_stop(true).fast_auth_failures())
}

/// A client configuration trusting the server's self-signed certificate through its CA file.
fn config(server: &Dovecot, security: Security) -> ClientConfig {
    let port = match security {
        Security::Tls => server.tls_port(),
        Security::StartTls | Security::None => server.plain_port(),
    };
    let mut endpoint = Endpoint::new(server.host(), security).with_port(port);
    endpoint.trust = TlsTrust {
        ca_file: Some(server.cert_pem_path().to_path_buf()),
        pinned_sha256: None,
    };
    endpoint.connect_timeout = Duration::from_secs(10);
    endpoint.read_timeout = Duration::from_secs(30);
    ClientConfig::new(endpoint)
}

fn creds(server: &Dovecot, user: &str, method: AuthMethod) -> Credentials {
    Credentials {
        user: user.into(),
        secret: Secret::new(server.password(user)),
        method,
    }
}

async fn logged_in(server: &Dovecot, security: Security, user: &str) -> Client {
    let mut client = Client::connect(&config(server, security))
        .await
        .expect("connect");
    client
        .login(&creds(server, user, AuthMethod::Automatic))
        .await
        .expect("login");
    client
}

/// Downloads every message with `retr_many` and returns them in server order.
async fn download_all(client: &mut Client) -> Vec<Vec<u8>> {
    let listing = client.listing().await.expect("listing");
    let numbers: Vec<u32> = listing.iter().map(|l| l.number).collect();
    let mut got = Vec::with_capacity(numbers.len());
    client
        .retr_many(&numbers, |_, result| {
            got.push(result.expect("every message downloads"));
            ControlFlow::Continue(())
        })
        .await
        .expect("retr_many");
    got
}

#[test]
fn implicit_tls_and_starttls_both_verify_the_certificate_and_log_in() {
    let Some(server) = start("implicit_tls_and_starttls_both_verify_the_certificate_and_log_in")
    else {
        return;
    };
    run(async {
        for security in [Security::Tls, Security::StartTls] {
            let client = logged_in(&server, security, "user1").await;
            let tls = client.tls().expect("encrypted");
            let expected: [u8; 32] = sha2::Sha256::digest(server.cert_der()).into();
            assert_eq!(tls.certificate_sha256, expected, "{security:?}");
            assert_eq!(client.state(), State::Transaction);
            assert!(client.capabilities().pipelining && client.capabilities().uidl);
            assert!(
                !client.capabilities().stls,
                "{security:?}: CAPA after TLS has no STLS"
            );
            client.quit().await.expect("quit");
        }
    });
}

#[test]
fn the_self_signed_certificate_is_refused_without_trust_and_accepted_when_pinned() {
    let Some(server) =
        start("the_self_signed_certificate_is_refused_without_trust_and_accepted_when_pinned")
    else {
        return;
    };
    run(async {
        let mut untrusted = config(&server, Security::Tls);
        untrusted.endpoint.trust = TlsTrust::default();
        let err = Client::connect(&untrusted).await.expect_err("self-signed");
        assert_eq!(err.kind(), ErrorKind::Tls);

        let mut pinned = config(&server, Security::StartTls);
        let sha: [u8; 32] = sha2::Sha256::digest(server.cert_der()).into();
        pinned.endpoint.trust = TlsTrust {
            ca_file: None,
            pinned_sha256: Some(sha),
        };
        let mut client = Client::connect(&pinned).await.expect("pinned");
        client
            .login(&creds(&server, "user2", AuthMethod::Automatic))
            .await
            .expect("login");
        client.quit().await.expect("quit");
    });
}

#[test]
fn every_authentication_method_logs_in() {
    let Some(server) = start("every_authentication_method_logs_in") else {
        return;
    };
    run(async {
        let methods = [
            (AuthMethod::Automatic, "SCRAM-SHA-256"),
            (AuthMethod::ScramSha256, "SCRAM-SHA-256"),
            (AuthMethod::UserPass, "USER/PASS"),
            (AuthMethod::Plain, "PLAIN"),
            (AuthMethod::Login, "LOGIN"),
            (AuthMethod::CramMd5, "CRAM-MD5"),
            (AuthMethod::Apop, "APOP"),
        ];
        for (method, used) in methods {
            for security in [Security::Tls, Security::None] {
                let mut client = Client::connect(&config(&server, security))
                    .await
                    .expect("connect");
                client
                    .login(&creds(&server, "user1", method))
                    .await
                    .unwrap_or_else(|err| {
                        panic!("{method:?} over {security:?}: {err}\n{}", server.log_tail())
                    });
                assert_eq!(client.auth_used(), Some(used));
                client.quit().await.expect("quit");
            }
        }
    });
}

#[test]
fn a_wrong_password_is_an_auth_error_quoting_dovecot() {
    let Some(server) = start("a_wrong_password_is_an_auth_error_quoting_dovecot") else {
        return;
    };
    run(async {
        // Automatic stops at the first refusal: Dovecot says [AUTH], so the password is wrong
        // and no further method is tried (the message would say "after … refused").
        for method in [
            AuthMethod::UserPass,
            AuthMethod::CramMd5,
            AuthMethod::Plain,
            AuthMethod::ScramSha256,
            AuthMethod::Automatic,
        ] {
            let mut client = Client::connect(&config(&server, Security::Tls))
                .await
                .expect("connect");
            let wrong = Credentials {
                user: "user1".into(),
                secret: Secret::new("wrong"),
                method,
            };
            let err = client.login(&wrong).await.expect_err("wrong password");
            assert_eq!(err.kind(), ErrorKind::Auth, "{method:?}: {err}");
            assert!(!poplar::sync::SyncError::from(err.clone()).is_recoverable());
            assert_eq!(
                err.to_string(),
                "cannot log in to 127.0.0.1: -ERR [AUTH] Authentication failed.",
                "{method:?}"
            );
        }
    });
}

#[test]
fn pipelined_and_one_at_a_time_downloads_are_byte_identical_to_what_dovecot_serves() {
    let Some(server) =
        start("pipelined_and_one_at_a_time_downloads_are_byte_identical_to_what_dovecot_serves")
    else {
        return;
    };
    let mut messages = corpus::hostile(7);
    messages.extend(corpus::mixed(60, 7));
    let served = server.deliver("user1", &messages);
    assert!(
        served.iter().any(|m| m.len() > 2_000_000),
        "the corpus has a multi-MB message"
    );
    run(async {
        for pipelining in [true, false] {
            let mut cfg = config(&server, Security::Tls);
            cfg.use_pipelining = pipelining;
            let mut client = Client::connect(&cfg).await.expect("connect");
            client
                .login(&creds(&server, "user1", AuthMethod::Automatic))
                .await
                .expect("login");
            assert_eq!(client.pipelining(), pipelining);
            let got = download_all(&mut client).await;
            assert_eq!(got.len(), served.len());
            for (i, (got, want)) in got.iter().zip(&served).enumerate() {
                assert!(
                    got == want,
                    "message {} differs (pipelining {pipelining})",
                    i + 1
                );
            }
            client.quit().await.expect("quit");
        }
    });
}

#[test]
fn listing_sizes_and_uidls_match_stat_and_single_queries() {
    let Some(server) = start("listing_sizes_and_uidls_match_stat_and_single_queries") else {
        return;
    };
    let messages = corpus::small(25, 3);
    server.deliver("user2", &messages);
    run(async {
        let mut client = logged_in(&server, Security::Tls, "user2").await;
        let (count, total) = client.stat().await.expect("stat");
        let listing = client.listing().await.expect("listing");
        assert_eq!(count as usize, listing.len());
        assert_eq!(total, listing.iter().map(|l| l.size).sum::<u64>());
        let mut uidls: Vec<&str> = listing.iter().filter_map(|l| l.uidl.as_deref()).collect();
        assert_eq!(uidls.len(), 25);
        uidls.dedup();
        assert_eq!(uidls.len(), 25, "UIDLs are unique");
        assert_eq!(
            client.uidl_one(5).await.expect("uidl 5"),
            listing[4].uidl.clone().expect("uidl")
        );
        assert_eq!(client.list_one(5).await.expect("list 5"), listing[4].size);
        let head = client.top(5, 0).await.expect("top");
        let full = client.retr(5).await.expect("retr");
        assert!(
            full.starts_with(&head),
            "TOP n 0 is the header block of RETR n"
        );
        assert!(head.ends_with(b"\r\n\r\n"));
        let mut heads = 0;
        client
            .top_many(&[1, 2, 3], 2, |_, head| {
                assert!(head.is_ok());
                heads += 1;
                ControlFlow::Continue(())
            })
            .await
            .expect("top_many");
        assert_eq!(heads, 3);
        client.quit().await.expect("quit");
    });
}

#[test]
fn dele_takes_effect_only_after_quit_and_a_dropped_connection_deletes_nothing() {
    let Some(server) =
        start("dele_takes_effect_only_after_quit_and_a_dropped_connection_deletes_nothing")
    else {
        return;
    };
    server.deliver("user3", &corpus::small(5, 9));
    run(async {
        // Marked, then the connection drops without QUIT: nothing is deleted.
        let mut client = logged_in(&server, Security::Tls, "user3").await;
        let refused = client.dele_many(&[1, 2]).await.expect("dele");
        assert!(refused.is_empty());
        assert_eq!(
            client.stat().await.expect("stat").0,
            3,
            "marked messages vanish from STAT"
        );
        assert_eq!(
            client.retr(1).await.expect_err("marked").kind(),
            ErrorKind::Permanent
        );
        drop(client);

        // RSET unmarks.
        let mut client = logged_in(&server, Security::Tls, "user3").await;
        assert_eq!(
            client.stat().await.expect("stat").0,
            5,
            "the drop deleted nothing"
        );
        client.dele(1).await.expect("dele");
        client.rset().await.expect("rset");
        assert_eq!(client.stat().await.expect("stat").0, 5, "RSET unmarked");
        client.noop().await.expect("noop");

        // DELE and QUIT: gone.
        client.dele_many(&[4, 5]).await.expect("dele");
        let outcome = client.quit().await.expect("quit");
        assert!(outcome.deletions_committed);

        let mut client = logged_in(&server, Security::Tls, "user3").await;
        assert_eq!(client.stat().await.expect("stat").0, 3);
        client.quit().await.expect("quit");
    });
}

#[test]
fn a_second_session_on_a_locked_mailbox_is_refused_as_in_use() {
    let options = Options::new()
        .fast_stop(true)
        .extra_config("pop3_lock_session = yes");
    let Some(server) = Dovecot::start_or_skip_with(
        "a_second_session_on_a_locked_mailbox_is_refused_as_in_use",
        options,
    ) else {
        return;
    };
    server.deliver("user1", &corpus::small(2, 1));
    run(async {
        let first = logged_in(&server, Security::Tls, "user1").await;
        let mut second = Client::connect(&config(&server, Security::Tls))
            .await
            .expect("connect");
        let err = second
            .login(&creds(&server, "user1", AuthMethod::Automatic))
            .await
            .expect_err("the mailbox is locked by the first session");
        assert_eq!(err.kind(), ErrorKind::InUse, "{err}");
        assert!(poplar::sync::SyncError::from(err.clone()).is_recoverable());
        first.quit().await.expect("quit");
    });
}

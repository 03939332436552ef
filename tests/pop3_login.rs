//! Logging in against a scripted fake server: SCRAM-SHA-256's server proof, and Automatic's
//! fall back to the next method when a method (not the password) is refused. Each test names
//! the behaviour it guards.

#[path = "support/fake_server.rs"]
mod fake_server;

use std::time::Duration;

use base64::Engine as _;
use fake_server::FakeServer;
use poplar::pop3::sasl::cram_md5_response;
use poplar::pop3::{
    AuthMethod, Client, ClientConfig, Credentials, Endpoint, ErrorKind, Secret, Security,
};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn config(server: &FakeServer) -> ClientConfig {
    let mut endpoint = Endpoint::new("127.0.0.1", Security::None).with_port(server.port());
    endpoint.connect_timeout = Duration::from_secs(5);
    endpoint.read_timeout = Duration::from_secs(5);
    ClientConfig::new(endpoint)
}

fn creds(method: AuthMethod) -> Credentials {
    Credentials {
        user: "alice".into(),
        secret: Secret::new("s3cret"),
        method,
    }
}

fn run<T>(future: impl std::future::Future<Output = T>) -> T {
    smol::block_on(future)
}

/// Reads the client's `AUTH SCRAM-SHA-256 <client-first>` and answers with a server-first
/// message that extends the client's nonce. Returns the client nonce.
fn scram_server_first(conn: &mut fake_server::Conn) -> String {
    let line = conn.expect("AUTH SCRAM-SHA-256");
    let initial = line.split_whitespace().nth(2).expect("an initial response");
    let first = String::from_utf8(B64.decode(initial).expect("base64")).expect("utf-8");
    let nonce = first
        .rsplit_once("r=")
        .map(|(_, nonce)| nonce.to_owned())
        .expect("a client nonce");
    assert!(first.starts_with("n,,n=alice,r="), "{first}");
    let server_first = format!("r={nonce}fake-server,s=c2FsdHNhbHQ=,i=4096");
    conn.send_line(&format!("+ {}", B64.encode(server_first)));
    nonce
}

#[test]
fn a_scram_server_with_a_wrong_signature_is_refused_and_nothing_else_is_tried() {
    let mut server = FakeServer::start(|conn| {
        conn.greet();
        conn.capa(&["SASL SCRAM-SHA-256 PLAIN", "USER", "AUTH-RESP-CODE"]);
        scram_server_first(conn);
        // The client's proof…
        let proof = conn.read_line().expect("the client's final message");
        let proof = String::from_utf8(B64.decode(proof.trim()).expect("base64")).expect("utf-8");
        assert!(
            proof.starts_with("c=biws,r=") && proof.contains(",p="),
            "{proof}"
        );
        // …answered with a signature the server made up: it does not know the password.
        conn.send_line(&format!(
            "+ {}",
            B64.encode(format!("v={}", B64.encode([9u8; 32])))
        ));
        // The client cancels the exchange and tries no other method (not PLAIN, which would
        // hand this server the password).
        conn.expect_exact("*");
        conn.err("AUTH cancelled");
        conn.wait_for_eof(Duration::from_secs(5));
    });
    run(async {
        let mut client = Client::connect(&config(&server)).await.expect("connect");
        let err = client
            .login(&creds(AuthMethod::Automatic))
            .await
            .expect_err("a server that cannot prove itself");
        assert_eq!(err.kind(), ErrorKind::Auth);
        assert!(
            err.to_string()
                .contains("could not prove that it knows the password"),
            "{err}"
        );
    });
    server.join().expect("script");
    assert!(!server.saw("AUTH PLAIN"));
}

#[test]
fn a_scram_server_that_says_ok_without_proving_itself_is_refused() {
    let mut server = FakeServer::start(|conn| {
        conn.greet();
        conn.capa(&["SASL SCRAM-SHA-256", "USER"]);
        scram_server_first(conn);
        conn.read_line().expect("the client's final message");
        // No server-final message at all: straight to +OK.
        conn.ok("welcome, whoever you are");
        conn.wait_for_eof(Duration::from_secs(5));
    });
    run(async {
        let mut client = Client::connect(&config(&server)).await.expect("connect");
        let err = client
            .login(&creds(AuthMethod::ScramSha256))
            .await
            .expect_err("+OK without the server's proof");
        assert_eq!(err.kind(), ErrorKind::Auth);
        assert!(
            err.to_string()
                .contains("without proving that it knows the password"),
            "{err}"
        );
    });
    server.join().expect("script");
}

#[test]
fn automatic_falls_back_when_the_server_lists_a_mechanism_but_refuses_it() {
    let mut server = FakeServer::start(|conn| {
        conn.greet();
        conn.capa(&["SASL SCRAM-SHA-256 CRAM-MD5", "USER"]);
        // Listed, but refused before any credential was sent.
        conn.expect("AUTH SCRAM-SHA-256");
        conn.err("mechanism temporarily unavailable");
        conn.expect_exact("AUTH CRAM-MD5");
        conn.send_line(&format!("+ {}", B64.encode("<1.2@fake>")));
        let answer = conn.read_line().expect("the CRAM-MD5 answer");
        assert_eq!(
            String::from_utf8(B64.decode(answer.trim()).expect("base64")).expect("utf-8"),
            cram_md5_response("alice", "s3cret", b"<1.2@fake>")
        );
        conn.ok("logged in");
        conn.capa(&["USER"]);
        conn.expect_quit();
    });
    run(async {
        let mut client = Client::connect(&config(&server)).await.expect("connect");
        client
            .login(&creds(AuthMethod::Automatic))
            .await
            .expect("CRAM-MD5 after SCRAM was refused");
        assert_eq!(client.auth_used(), Some("CRAM-MD5"));
        client.quit().await.expect("quit");
    });
    server.join().expect("script");
}

#[test]
fn a_refused_password_never_tries_another_method() {
    // [AUTH]: the credentials are wrong. CRAM-MD5 and USER are offered but never tried.
    let mut server = FakeServer::start(|conn| {
        conn.greet();
        conn.capa(&[
            "SASL PLAIN CRAM-MD5",
            "USER",
            "RESP-CODES",
            "AUTH-RESP-CODE",
        ]);
        conn.expect("AUTH CRAM-MD5");
        conn.send_line(&format!("+ {}", B64.encode("<1.2@fake>")));
        conn.read_line().expect("the CRAM-MD5 answer");
        conn.err("[AUTH] invalid credentials");
        conn.wait_for_eof(Duration::from_secs(5));
    });
    run(async {
        let mut client = Client::connect(&config(&server)).await.expect("connect");
        let err = client
            .login(&creds(AuthMethod::Automatic))
            .await
            .expect_err("wrong password");
        assert_eq!(err.kind(), ErrorKind::Auth);
        assert_eq!(
            err.to_string(),
            "cannot log in to 127.0.0.1: -ERR [AUTH] invalid credentials"
        );
    });
    server.join().expect("script");
    assert!(!server.saw("AUTH PLAIN") && !server.saw("USER"));
}

#[test]
fn without_auth_resp_code_a_plain_err_after_the_password_is_taken_as_a_wrong_password() {
    // The server cannot say why it refused, and it has seen the password: trying the next
    // method could lock the account.
    let mut server = FakeServer::start(|conn| {
        conn.greet();
        conn.capa(&["SASL PLAIN", "USER"]);
        conn.expect("AUTH PLAIN");
        conn.err("authentication failed");
        conn.wait_for_eof(Duration::from_secs(5));
    });
    run(async {
        let mut client = Client::connect(&config(&server)).await.expect("connect");
        let err = client
            .login(&creds(AuthMethod::Automatic))
            .await
            .expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::Auth);
    });
    server.join().expect("script");
    assert!(!server.saw("USER"));
}

#[test]
fn with_auth_resp_code_an_err_without_auth_moves_on_and_the_message_says_what_was_refused() {
    let mut server = FakeServer::start(|conn| {
        conn.greet();
        conn.capa(&["SASL PLAIN", "USER", "RESP-CODES", "AUTH-RESP-CODE"]);
        conn.expect("AUTH PLAIN");
        // Not [AUTH]: the mechanism, not the password, is the problem.
        conn.err("PLAIN is switched off for this account");
        conn.expect_exact("USER alice");
        conn.ok("");
        conn.expect_exact("PASS s3cret");
        conn.err("[AUTH] no");
        conn.wait_for_eof(Duration::from_secs(5));
    });
    run(async {
        let mut client = Client::connect(&config(&server)).await.expect("connect");
        let err = client
            .login(&creds(AuthMethod::Automatic))
            .await
            .expect_err("both refused");
        assert_eq!(err.kind(), ErrorKind::Auth);
        assert!(
            err.to_string()
                .contains("-ERR [AUTH] no (after PLAIN refused)"),
            "{err}"
        );
    });
    server.join().expect("script");
}

#[test]
fn the_method_that_worked_last_time_is_tried_first() {
    let mut server = FakeServer::start(|conn| {
        conn.greet();
        conn.capa(&["SASL SCRAM-SHA-256 CRAM-MD5 PLAIN", "USER"]);
        // Not SCRAM, though it is the strongest: PLAIN worked for this account before.
        let line = conn.expect("AUTH PLAIN");
        let initial = line.split_whitespace().nth(2).expect("an initial response");
        assert_eq!(B64.decode(initial).expect("base64"), b"\0alice\0s3cret");
        conn.ok("logged in");
        conn.capa(&["USER"]);
        conn.expect_quit();
    });
    run(async {
        let mut client = Client::connect(&config(&server)).await.expect("connect");
        client
            .login_preferring(&creds(AuthMethod::Automatic), Some(AuthMethod::Plain))
            .await
            .expect("PLAIN");
        assert_eq!(client.auth_used(), Some("PLAIN"));
        client.quit().await.expect("quit");
    });
    server.join().expect("script");
}

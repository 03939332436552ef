//! The "Trust this certificate" prompt cannot be drawn by the certificate: a server whose
//! self-signed certificate hides a right-to-left override, a newline and a fake fingerprint
//! line in its subject is tested through the accounts dialog, and the window shows the
//! subject escaped and the alternative names one by one (found by their accessible labels).

#[path = "support/fake_server.rs"]
mod fake_server;
#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use fake_server::{FakeServer, TestIdentity};
use native_tls::Identity;
use openssl::asn1::{Asn1Time, Asn1Type};
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509, X509NameBuilder};
use poplar::pop3::transport::fingerprint_hex;
use poplar::sync::MemorySecrets;
use poplar::ui::PoplarApp;
use sha2::Digest as _;
use ui::{click, harness_with, replace, seeded_store, shows_text, step_until, type_into};

/// The subject's CN: it would draw a second line that looks like the fingerprint row.
const HOSTILE_CN: &str = "pop.example.de\u{202E}ed.elpmaxe.knab\nSHA-256: AA:BB:CC:DD:EE:FF";

/// The same CN as the prompt must show it.
const SHOWN_CN: &str = r"CN=pop.example.de\u{202E}ed.elpmaxe.knab\nSHA-256: AA:BB:CC:DD:EE:FF";

/// A self-signed certificate for [`HOSTILE_CN`], valid for `localhost`, `pop.example.de`,
/// 127.0.0.1 and ::1 and then twenty names more than the prompt lists.
fn hostile_identity() -> TestIdentity {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("the P-256 curve");
    let key = PKey::from_ec_key(EcKey::generate(&group).expect("an EC key")).expect("a key");
    let mut name = X509NameBuilder::new().expect("a name builder");
    name.append_entry_by_nid_with_type(Nid::COMMONNAME, HOSTILE_CN, Asn1Type::UTF8STRING)
        .expect("the CN");
    let name = name.build();
    let mut builder = X509::builder().expect("a certificate builder");
    builder.set_version(2).expect("v3");
    let serial = BigNum::from_u32(7)
        .and_then(|n| n.to_asn1_integer())
        .expect("a serial number");
    builder.set_serial_number(&serial).expect("serial");
    builder.set_subject_name(&name).expect("subject");
    builder.set_issuer_name(&name).expect("issuer");
    builder.set_pubkey(&key).expect("key");
    builder
        .set_not_before(&Asn1Time::days_from_now(0).expect("now"))
        .expect("not before");
    builder
        .set_not_after(&Asn1Time::days_from_now(2).expect("in two days"))
        .expect("not after");
    let mut sans = SubjectAlternativeName::new();
    sans.dns("localhost")
        .dns("pop.example.de")
        .ip("127.0.0.1")
        .ip("::1");
    for n in 1..=20 {
        sans.dns(&format!("host{n}.example.de"));
    }
    let sans = sans
        .build(&builder.x509v3_context(None, None))
        .expect("the SAN extension");
    builder.append_extension(sans).expect("add the SANs");
    builder.sign(&key, MessageDigest::sha256()).expect("sign");
    let cert = builder.build();
    let cert_pem = cert.to_pem().expect("the certificate as PEM");
    let key_pem = key.private_key_to_pem_pkcs8().expect("the key as PKCS#8");
    TestIdentity {
        identity: Identity::from_pkcs8(&cert_pem, &key_pem).expect("load the certificate"),
        cert_der: cert.to_der().expect("the certificate as DER"),
        cert_pem,
        key_pem,
    }
}

/// The label or value of every node (labels of other widgets and text runs included) that
/// contains `text`.
fn texts_containing(harness: &Harness<'_, PoplarApp>, text: &'static str) -> Vec<String> {
    let by = By::new().include_labels();
    harness
        .query_all(by)
        .flat_map(|node| {
            let node = node.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .filter(|shown| shown.contains(text))
        .collect()
}

#[test]
fn a_hostile_certificate_is_shown_escaped_in_the_trust_prompt_with_its_alternative_names() {
    let identity = hostile_identity();
    let fingerprint = fingerprint_hex(&sha2::Sha256::digest(&identity.cert_der).into());
    // The test's connection, which refuses the certificate; a handshake to fetch it; one to
    // learn the TLS version. The server only greets.
    let server = FakeServer::options()
        .connections(3)
        .implicit_tls(&identity)
        .start(|conn| {
            let _ = conn.try_send("+OK ready\r\n");
        });
    let port = server.port().to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness_with(
        seeded_store(dir.path(), false),
        Arc::new(MemorySecrets::new()),
    );
    harness.run_steps(2);
    harness.get_by_label("Add account").click();
    harness.run_steps(3);
    type_into(&mut harness, "Incoming server", "127.0.0.1");
    replace(&mut harness, "Port", &port);
    click(&mut harness, "Test connection");
    let trust = format!("Trust this certificate for 127.0.0.1:{port}");
    step_until(&mut harness, "the certificate is offered for trust", |h| {
        h.query_by_label(&trust).is_some()
    });
    assert!(shows_text(&harness, "does not trust the certificate of"));

    // Subject and issuer (self-signed: the same name), escaped, each one label.
    assert_eq!(
        harness.query_all_by_label(SHOWN_CN).count(),
        2,
        "subject and issuer, escaped"
    );
    // The alternative names, one label each: the first twenty, then how many more.
    assert!(harness.query_by_label("Also valid for").is_some());
    for name in ["localhost", "pop.example.de", "127.0.0.1", "::1"] {
        assert!(harness.query_by_label(name).is_some(), "{name} is listed");
    }
    assert!(harness.query_by_label("host16.example.de").is_some());
    assert!(
        harness.query_by_label("host17.example.de").is_none(),
        "only twenty names are listed"
    );
    assert!(harness.query_by_label("and 4 more names").is_some());
    // The real fingerprint, in two halves of 16 bytes (one label), and nothing the
    // certificate wrote that moves or breaks text.
    let (first, second) = fingerprint.split_at(48);
    let shown = format!(
        "{}\n{}",
        first.trim_end_matches(':'),
        second.trim_start_matches(':')
    );
    assert!(harness.query_by_label(&shown).is_some(), "{shown}");
    assert_eq!(texts_containing(&harness, "\u{202E}"), Vec::<String>::new());
    assert_eq!(texts_containing(&harness, "knab\n"), Vec::<String>::new());
    assert_eq!(texts_containing(&harness, "\nSHA"), Vec::<String>::new());
    // The fake line is only inside the escaped subject and issuer (a label and its text run
    // each).
    let fake_line = texts_containing(&harness, "SHA-256: AA:BB");
    assert!(!fake_line.is_empty());
    assert!(
        fake_line.iter().all(|text| text == SHOWN_CN),
        "{fake_line:#?}"
    );
}

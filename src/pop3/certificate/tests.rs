//! Certificates made to mislead, generated with OpenSSL, and what the prompt shows of them.

use openssl::asn1::{Asn1Time, Asn1Type};
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509, X509Name, X509NameBuilder};

use super::*;

fn sha(der: &[u8]) -> [u8; 32] {
    Sha256::digest(der).into()
}

fn key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("the P-256 curve");
    PKey::from_ec_key(EcKey::generate(&group).expect("an EC key")).expect("a key")
}

/// An alternative name for [`build`].
enum San<'a> {
    Dns(&'a str),
    Ip(&'a str),
}

/// A name of one CN of string type `ty` holding exactly the bytes of `cn`.
fn cn_name(ty: Asn1Type, cn: &str) -> X509Name {
    let mut name = X509NameBuilder::new().expect("a name builder");
    name.append_entry_by_nid_with_type(Nid::COMMONNAME, cn, ty)
        .expect("the CN");
    name.build()
}

fn issuer_name() -> X509Name {
    let mut name = X509NameBuilder::new().expect("a name builder");
    name.append_entry_by_nid(Nid::COMMONNAME, "Poplar Test CA")
        .expect("the CN");
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "Poplar")
        .expect("the O");
    name.build()
}

/// A certificate for `subject` signed in the name of `issuer`, valid from 2026-01-31 12:00
/// to 2051-02-28 23:59:59 (a UTCTime and a GeneralizedTime), with `sans`.
fn build(subject: &X509Name, issuer: &X509Name, sans: &[San<'_>]) -> Vec<u8> {
    let key = key();
    let mut builder = X509::builder().expect("a certificate builder");
    builder.set_version(2).expect("v3");
    let serial = BigNum::from_u32(0x012345)
        .and_then(|n| n.to_asn1_integer())
        .expect("a serial number");
    builder.set_serial_number(&serial).expect("serial");
    builder.set_subject_name(subject).expect("subject");
    builder.set_issuer_name(issuer).expect("issuer");
    builder.set_pubkey(&key).expect("key");
    let from = Asn1Time::from_str_x509("20260131120000Z").expect("a time");
    let until = Asn1Time::from_str_x509("20510228235959Z").expect("a time");
    builder.set_not_before(&from).expect("not before");
    builder.set_not_after(&until).expect("not after");
    if !sans.is_empty() {
        let mut alt = SubjectAlternativeName::new();
        for san in sans {
            match san {
                San::Dns(dns) => alt.dns(dns),
                San::Ip(ip) => alt.ip(ip),
            };
        }
        let extension = alt
            .build(&builder.x509v3_context(None, None))
            .expect("the SAN extension");
        builder.append_extension(extension).expect("add the SANs");
    }
    builder.sign(&key, MessageDigest::sha256()).expect("sign");
    builder.build().to_der().expect("DER")
}

/// A certificate whose subject is one CN of type `ty` holding `cn`, issued by the test CA.
fn with_cn(ty: Asn1Type, cn: &str) -> Vec<u8> {
    build(&cn_name(ty, cn), &issuer_name(), &[])
}

/// Replaces the one run of `placeholder` in `der` by `raw` (as long) and returns where.
/// The signature no longer matches, which reading a certificate does not check.
fn patch(der: &mut [u8], placeholder: &[u8], raw: &[u8]) -> usize {
    assert_eq!(placeholder.len(), raw.len());
    let at = der
        .windows(placeholder.len())
        .position(|w| w == placeholder)
        .expect("the placeholder is in the DER");
    der[at..at + raw.len()].copy_from_slice(raw);
    at
}

/// A CN of type `ty` whose content is exactly `raw` (bytes OpenSSL's `&str` cannot carry:
/// UTF-16, UTF-32, Latin-1, broken UTF-8), made by swapping a placeholder's bytes.
fn with_cn_bytes(ty: Asn1Type, raw: &[u8]) -> Vec<u8> {
    assert!(raw.len() >= 4 && raw.len() < 0x80);
    // OpenSSL decodes the name once to compare it later, so the placeholder must be valid in
    // its type: "~" as UTF-32 is 00 00 00 7E.
    let placeholder = if ty == Asn1Type::UNIVERSALSTRING {
        assert_eq!(raw.len() % 4, 0);
        "\0\0\0~".repeat(raw.len() / 4)
    } else {
        "~".repeat(raw.len())
    };
    let mut der = with_cn(ty, &placeholder);
    let at = patch(&mut der, placeholder.as_bytes(), raw);
    assert_eq!(der[at - 1] as usize, raw.len(), "a short length");
    assert_eq!(i32::from(der[at - 2]), ty.as_raw(), "the string type's tag");
    der
}

fn subject_of(der: &[u8]) -> String {
    let info = CertificateInfo::from_der(der);
    assert!(info.readable);
    assert_eq!(info.sha256, sha(der));
    info.subject
}

fn utf16be(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

fn utf32be(text: &str) -> Vec<u8> {
    text.chars()
        .flat_map(|c| u32::from(c).to_be_bytes())
        .collect()
}

/// Nothing in `text` that moves or hides text: no control, bidi or format character.
fn harmless(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() || invisible(c))
}

#[test]
fn subject_issuer_validity_and_fingerprint_are_read() {
    let der = with_cn(Asn1Type::UTF8STRING, "pop.example.de");
    let info = CertificateInfo::from_der(&der);
    assert_eq!(info.subject, "CN=pop.example.de");
    assert_eq!(info.issuer, "CN=Poplar Test CA, O=Poplar");
    assert_eq!(info.not_before, "2026-01-31 12:00:00 UTC");
    assert_eq!(info.not_after, "2051-02-28 23:59:59 UTC");
    assert_eq!(info.sha256, sha(&der));
    assert_eq!(info.fingerprint(), fingerprint_hex(&sha(&der)));
    assert!(info.readable);
    assert!(!info.self_signed());
    assert!(info.alt_names.is_empty());
    assert_eq!(info.more_alt_names, 0);
}

#[test]
fn a_certificate_that_names_itself_as_issuer_is_self_signed() {
    let name = cn_name(Asn1Type::UTF8STRING, "localhost");
    let info = CertificateInfo::from_der(&build(&name, &name, &[]));
    assert!(info.self_signed());
    assert_eq!(info.subject, info.issuer);
}

#[test]
fn a_cn_with_a_right_to_left_override_a_newline_and_a_fake_fingerprint_line_is_escaped() {
    let cn = "pop.example.de\u{202E}ed.elpmaxe.knab\nSHA-256: AA:BB:CC:DD:EE:FF\r\tTrusted";
    let subject = subject_of(&with_cn(Asn1Type::UTF8STRING, cn));
    assert_eq!(
        subject,
        r"CN=pop.example.de\u{202E}ed.elpmaxe.knab\nSHA-256: AA:BB:CC:DD:EE:FF\r\tTrusted"
    );
    assert!(harmless(&subject));
}

#[test]
fn invisible_format_and_control_characters_are_shown_as_escapes() {
    let cn = "a\u{200B}b\u{200C}\u{200D}c\u{FEFF}d\u{2066}e\u{2069}f\u{200E}\u{200F}\u{061C}\
              g\u{2028}h\u{1B}[31mi\u{7F}\u{85}\u{E0041}\u{00A0}j";
    let subject = subject_of(&with_cn(Asn1Type::UTF8STRING, cn));
    assert_eq!(
        subject,
        concat!(
            r"CN=a\u{200B}b\u{200C}\u{200D}c\u{FEFF}d\u{2066}e\u{2069}f\u{200E}\u{200F}\u{061C}",
            r"g\u{2028}h\u{001B}[31mi\u{007F}\u{0085}\u{E0041}\u{00A0}j"
        )
    );
    assert!(harmless(&subject));
}

#[test]
fn a_backslash_is_escaped_so_a_written_escape_cannot_pass_for_a_real_one() {
    let written = subject_of(&with_cn(Asn1Type::UTF8STRING, r"a\u{202E}b\c"));
    let real = subject_of(&with_cn(Asn1Type::UTF8STRING, "a\u{202E}b\\c"));
    assert_eq!(written, r"CN=a\\u{202E}b\\c");
    assert_eq!(real, r"CN=a\u{202E}b\\c");
}

#[test]
fn separators_inside_a_value_and_runs_of_spaces_are_escaped() {
    let subject = subject_of(&with_cn(Asn1Type::UTF8STRING, "evil, O=Bank + x"));
    assert_eq!(subject, r"CN=evil\, O=Bank \+ x");
    let subject = subject_of(&with_cn(Asn1Type::UTF8STRING, "#41"));
    assert_eq!(
        subject, r"CN=\#41",
        "not the hex form of a non-string value"
    );
    let subject = subject_of(&with_cn(Asn1Type::UTF8STRING, "pop    SHA-256"));
    assert_eq!(subject, r"CN=pop \u{0020}\u{0020}\u{0020}SHA-256");
}

#[test]
fn a_bmpstring_cn_is_decoded_as_utf_16() {
    let der = with_cn_bytes(Asn1Type::BMPSTRING, &utf16be("Müller – Поплар 😀"));
    assert_eq!(subject_of(&der), "CN=Müller – Поплар 😀");
}

#[test]
fn a_teletex_cn_is_decoded_as_latin_1() {
    let der = with_cn_bytes(Asn1Type::T61STRING, b"Stra\xDFe M\xFCller \xA9");
    assert_eq!(subject_of(&der), "CN=Straße Müller ©");
}

#[test]
fn a_universalstring_cn_is_decoded_as_utf_32() {
    let der = with_cn_bytes(Asn1Type::UNIVERSALSTRING, &utf32be("Жук 😀 ü"));
    assert_eq!(subject_of(&der), "CN=Жук 😀 ü");
}

#[test]
fn utf8_printable_and_ia5_strings_are_read_as_themselves() {
    assert_eq!(
        subject_of(&with_cn(Asn1Type::UTF8STRING, "Grüße aus Köln")),
        "CN=Grüße aus Köln"
    );
    assert_eq!(
        subject_of(&with_cn(Asn1Type::PRINTABLESTRING, "Poplar Test")),
        "CN=Poplar Test"
    );
    assert_eq!(
        subject_of(&with_cn(Asn1Type::IA5STRING, "pop.example.de")),
        "CN=pop.example.de"
    );
}

#[test]
fn bytes_a_string_type_does_not_allow_become_replacement_characters() {
    let broken_utf8 = with_cn_bytes(Asn1Type::UTF8STRING, &[b'a', 0xC3, b'(', b'z']);
    assert_eq!(subject_of(&broken_utf8), "CN=a\u{FFFD}(z");
    // OpenSSL refuses to make an odd-length BMPString: a UTF8String's tag is changed.
    let mut odd_bmp = with_cn(Asn1Type::UTF8STRING, "~~~~~");
    let at = patch(&mut odd_bmp, b"~~~~~", &[0, b'A', 0, b'B', 0xD8]);
    odd_bmp[at - 2] = 0x1E; // BMPString
    assert_eq!(subject_of(&odd_bmp), "CN=AB\u{FFFD}");
    let lone_surrogate = with_cn_bytes(Asn1Type::BMPSTRING, &[0xD8, 0, 0, b'A']);
    assert_eq!(subject_of(&lone_surrogate), "CN=\u{FFFD}A");
    let not_a_char = with_cn_bytes(Asn1Type::UNIVERSALSTRING, &[0, 0x11, 0, 0, 0, 0, 0, b'A']);
    assert_eq!(subject_of(&not_a_char), "CN=\u{FFFD}A");
    let latin_in_printable = with_cn_bytes(Asn1Type::PRINTABLESTRING, b"M\xFCller");
    assert_eq!(subject_of(&latin_in_printable), "CN=M\u{FFFD}ller");
}

#[test]
fn a_value_that_is_not_a_string_is_shown_as_hex() {
    let mut der = with_cn(Asn1Type::UTF8STRING, "~~~~");
    let at = patch(&mut der, b"~~~~", &[1, 2, 3, 4]);
    der[at - 2] = 0x02; // INTEGER
    assert_eq!(subject_of(&der), "CN=#01020304");
}

#[test]
fn dns_names_and_ipv4_and_ipv6_addresses_are_the_alternative_names() {
    let sans = [
        San::Dns("pop.example.de"),
        San::Ip("192.0.2.25"),
        San::Dns("*.mail.example.de"),
        San::Ip("2001:db8::25"),
        San::Ip("::1"),
    ];
    let info = CertificateInfo::from_der(&build(
        &cn_name(Asn1Type::UTF8STRING, "pop.example.de"),
        &issuer_name(),
        &sans,
    ));
    assert_eq!(
        info.alt_names,
        [
            "pop.example.de",
            "192.0.2.25",
            "*.mail.example.de",
            "2001:db8::25",
            "::1"
        ]
    );
    assert_eq!(info.more_alt_names, 0);
}

#[test]
fn a_hostile_dns_name_is_escaped_like_the_subject() {
    let raw = "pop.example.de\u{202E}\n.evil";
    let placeholder = "~".repeat(raw.len());
    let mut der = build(
        &cn_name(Asn1Type::UTF8STRING, "x"),
        &issuer_name(),
        &[San::Dns(&placeholder), San::Ip("127.0.0.1")],
    );
    patch(&mut der, placeholder.as_bytes(), raw.as_bytes());
    let info = CertificateInfo::from_der(&der);
    assert_eq!(
        info.alt_names,
        [r"pop.example.de\u{202E}\n.evil", "127.0.0.1"]
    );
    assert!(info.alt_names.iter().all(|name| harmless(name)));
}

#[test]
fn more_than_twenty_alternative_names_are_listed_up_to_twenty_and_counted() {
    let names: Vec<String> = (1..=27).map(|n| format!("host{n}.example.de")).collect();
    let mut sans: Vec<San<'_>> = names.iter().map(|n| San::Dns(n)).collect();
    sans.push(San::Ip("10.0.0.1"));
    let info = CertificateInfo::from_der(&build(
        &cn_name(Asn1Type::UTF8STRING, "x"),
        &issuer_name(),
        &sans,
    ));
    assert_eq!(info.alt_names.len(), MAX_ALT_NAMES);
    assert_eq!(info.alt_names[0], "host1.example.de");
    assert_eq!(info.alt_names[19], "host20.example.de");
    assert_eq!(info.more_alt_names, 8);
}

#[test]
fn a_very_long_cn_is_cut_with_an_ellipsis_at_256_characters() {
    let subject = subject_of(&with_cn(Asn1Type::UTF8STRING, &"a".repeat(5000)));
    assert_eq!(subject, format!("CN={}…", "a".repeat(252)));
    assert_eq!(subject.chars().count(), MAX_FIELD_CHARS);
    // Exactly as long as allowed: nothing is cut.
    let subject = subject_of(&with_cn(Asn1Type::UTF8STRING, &"b".repeat(253)));
    assert_eq!(subject, format!("CN={}", "b".repeat(253)));
    // An escape is never cut in half.
    let cn = format!("{}\u{202E}c", "d".repeat(248));
    let subject = subject_of(&with_cn(Asn1Type::UTF8STRING, &cn));
    assert_eq!(subject, format!("CN={}…", "d".repeat(248)));
    // A long alternative name too.
    let long = format!("{}.example.de", "e".repeat(400));
    let info = CertificateInfo::from_der(&build(
        &cn_name(Asn1Type::UTF8STRING, "x"),
        &issuer_name(),
        &[San::Dns(&long)],
    ));
    assert_eq!(info.alt_names, [format!("{}…", "e".repeat(255))]);
}

#[test]
fn garbage_and_truncation_never_panic_and_keep_the_right_fingerprint() {
    let der = build(
        &cn_name(Asn1Type::UTF8STRING, "pop.example.de"),
        &issuer_name(),
        &[San::Dns("pop.example.de"), San::Ip("::1")],
    );
    for cut in 0..der.len() {
        let info = CertificateInfo::from_der(&der[..cut]);
        assert!(!info.readable, "cut at {cut}");
        assert_eq!(info.sha256, sha(&der[..cut]), "cut at {cut}");
        assert_eq!(
            (info.subject.as_str(), info.not_after.as_str()),
            ("", ""),
            "cut at {cut}"
        );
        assert!(info.alt_names.is_empty() && !info.self_signed());
    }
    // Every byte changed in turn: whatever is read stays harmless and bounded.
    for at in 0..der.len() {
        for flip in [0xFF, 0x80, 0x01] {
            let mut bent = der.clone();
            bent[at] ^= flip;
            let info = CertificateInfo::from_der(&bent);
            assert_eq!(info.sha256, sha(&bent));
            for field in [
                &info.subject,
                &info.issuer,
                &info.not_before,
                &info.not_after,
            ]
            .into_iter()
            .chain(&info.alt_names)
            {
                assert!(field.chars().count() <= MAX_FIELD_CHARS && harmless(field));
            }
        }
    }
    for garbage in [
        &[][..],
        &[0x30],
        &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
        &[0x30, 0x80, 0x30, 0x80, 0, 0, 0, 0],
        b"-----BEGIN CERTIFICATE-----\nMIIB\n",
    ] {
        let info = CertificateInfo::from_der(garbage);
        assert!(!info.readable);
        assert_eq!(info.sha256, sha(garbage));
        assert_eq!(info.fingerprint().len(), 95);
    }
}

#[test]
fn an_ip_address_of_another_length_is_shown_as_hex() {
    assert_eq!(host_name(&GeneralName::IPAddress(&[10, 0, 0])), "#0A0000");
    assert_eq!(
        host_name(&GeneralName::IPAddress(&[192, 0, 2, 1])),
        "192.0.2.1"
    );
}

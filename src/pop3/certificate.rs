//! The parts of a server certificate people look at: subject, issuer, validity. A small DER
//! walker over X.509 (RFC 5280 §4.1), pure and bounded, for the connection test and the
//! "Trust this certificate" prompt.
//!
//! Why hand-written: native-tls gives the certificate only as DER, and the fields shown here
//! are five tag-length-value steps deep; a full X.509 crate would bring a parser, a time
//! library and an ASN.1 framework for that. Anything unexpected gives `None`, never a panic.

use sha2::{Digest, Sha256};

use super::transport::fingerprint_hex;

/// What a certificate says about itself, for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The subject, e.g. `CN=pop.gmx.net, O=GMX, C=DE`.
    pub subject: String,
    /// Who signed it, in the same form.
    pub issuer: String,
    /// Valid from, as written in the certificate (`2026-01-31 12:00:00 UTC`).
    pub not_before: String,
    /// Valid until, in the same form.
    pub not_after: String,
    /// SHA-256 of the DER, the fingerprint that is pinned.
    pub sha256: [u8; 32],
}

impl CertificateInfo {
    /// Reads a DER certificate. Fields that cannot be read are shown as "(unreadable)": the
    /// fingerprint, which is what trust is based on, is always right.
    pub fn from_der(der: &[u8]) -> Self {
        let sha256: [u8; 32] = Sha256::digest(der).into();
        let parsed = parse(der);
        let unreadable = || "(unreadable)".to_owned();
        match parsed {
            Some(fields) => Self {
                subject: fields.subject,
                issuer: fields.issuer,
                not_before: fields.not_before,
                not_after: fields.not_after,
                sha256,
            },
            None => Self {
                subject: unreadable(),
                issuer: unreadable(),
                not_before: unreadable(),
                not_after: unreadable(),
                sha256,
            },
        }
    }

    /// The fingerprint as colon-separated upper-case hex.
    pub fn fingerprint(&self) -> String {
        fingerprint_hex(&self.sha256)
    }

    /// True when subject and issuer are the same (a self-signed certificate).
    pub fn self_signed(&self) -> bool {
        self.subject == self.issuer
    }
}

struct Fields {
    subject: String,
    issuer: String,
    not_before: String,
    not_after: String,
}

/// One DER element: its tag and its content.
struct Element<'a> {
    tag: u8,
    content: &'a [u8],
}

/// Splits the first element off `input`. Only definite lengths (DER) are accepted.
fn next(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let length = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, after) = rest.split_at(count);
        rest = after;
        bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    if rest.len() < length {
        return None;
    }
    let (content, after) = rest.split_at(length);
    Some((Element { tag, content }, after))
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
/// `[0] EXPLICIT Version`.
const VERSION: u8 = 0xa0;

fn parse(der: &[u8]) -> Option<Fields> {
    let (certificate, _) = next(der)?;
    if certificate.tag != SEQUENCE {
        return None;
    }
    let (tbs, _) = next(certificate.content)?;
    if tbs.tag != SEQUENCE {
        return None;
    }
    let mut rest = tbs.content;
    let (mut item, after) = next(rest)?;
    rest = after;
    if item.tag == VERSION {
        (item, rest) = next(rest)?;
    }
    // `item` is the serial number; then the signature algorithm, issuer, validity, subject.
    let _serial = item;
    let (_algorithm, rest) = next(rest)?;
    let (issuer, rest) = next(rest)?;
    let (validity, rest) = next(rest)?;
    let (subject, _) = next(rest)?;
    let (not_before, after) = next(validity.content)?;
    let (not_after, _) = next(after)?;
    Some(Fields {
        subject: name(subject.content)?,
        issuer: name(issuer.content)?,
        not_before: time(&not_before)?,
        not_after: time(&not_after)?,
    })
}

/// A Name (a sequence of sets of attribute type and value) as `CN=…, O=…`.
fn name(mut input: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    while !input.is_empty() {
        let (set, after) = next(input)?;
        input = after;
        if set.tag != SET {
            return None;
        }
        let mut attributes = set.content;
        while !attributes.is_empty() {
            let (attribute, after) = next(attributes)?;
            attributes = after;
            let (oid, value_rest) = next(attribute.content)?;
            let (value, _) = next(value_rest)?;
            if oid.tag != OID {
                return None;
            }
            let key = attribute_name(oid.content);
            let text = String::from_utf8_lossy(value.content);
            parts.push(format!("{key}={text}"));
        }
    }
    Some(parts.join(", "))
}

fn attribute_name(oid: &[u8]) -> String {
    // 2.5.4.x is encoded 55 04 x.
    match oid {
        [0x55, 0x04, 0x03] => "CN".into(),
        [0x55, 0x04, 0x06] => "C".into(),
        [0x55, 0x04, 0x07] => "L".into(),
        [0x55, 0x04, 0x08] => "ST".into(),
        [0x55, 0x04, 0x0a] => "O".into(),
        [0x55, 0x04, 0x0b] => "OU".into(),
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress".into(),
        other => oid_text(other),
    }
}

/// Dotted form of an object identifier (X.690 §8.19).
fn oid_text(oid: &[u8]) -> String {
    let Some((&first, rest)) = oid.split_first() else {
        return "?".into();
    };
    let mut parts = vec![(first / 40).to_string(), (first % 40).to_string()];
    let mut value: u64 = 0;
    for &byte in rest {
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            parts.push(value.to_string());
            value = 0;
        }
    }
    parts.join(".")
}

/// UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) as `YYYY-MM-DD HH:MM:SS UTC`.
fn time(element: &Element<'_>) -> Option<String> {
    let text = std::str::from_utf8(element.content).ok()?;
    let digits = text.strip_suffix('Z')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let full = match (element.tag, digits.len()) {
        (UTC_TIME, 12) => {
            // RFC 5280 §4.1.2.5.1: years 50–99 are 19xx, 00–49 are 20xx.
            let century = if digits[..2] >= *"50" { "19" } else { "20" };
            format!("{century}{digits}")
        }
        (GENERALIZED_TIME, 14) => digits.to_owned(),
        _ => return None,
    };
    Some(format!(
        "{}-{}-{} {}:{}:{} UTC",
        &full[0..4],
        &full[4..6],
        &full[6..8],
        &full[8..10],
        &full[10..12],
        &full[12..14]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        if content.len() < 0x80 {
            out.push(content.len() as u8);
        } else {
            out.push(0x82);
            out.extend_from_slice(&(content.len() as u16).to_be_bytes());
        }
        out.extend_from_slice(content);
        out
    }

    fn rdn(oid: &[u8], value: &str) -> Vec<u8> {
        let attribute = [tlv(OID, oid), tlv(0x0c, value.as_bytes())].concat();
        tlv(SET, &tlv(SEQUENCE, &attribute))
    }

    /// A certificate with the shape of a real one (the signature is not checked here).
    fn certificate(subject_cn: &str, issuer_cn: &str) -> Vec<u8> {
        let issuer = tlv(
            SEQUENCE,
            &[
                rdn(&[0x55, 0x04, 0x06], "DE"),
                rdn(&[0x55, 0x04, 0x03], issuer_cn),
            ]
            .concat(),
        );
        let subject = tlv(SEQUENCE, &rdn(&[0x55, 0x04, 0x03], subject_cn));
        let validity = tlv(
            SEQUENCE,
            &[
                tlv(UTC_TIME, b"260131120000Z"),
                tlv(GENERALIZED_TIME, b"20510228235959Z"),
            ]
            .concat(),
        );
        let algorithm = tlv(
            SEQUENCE,
            &tlv(OID, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]),
        );
        let tbs = tlv(
            SEQUENCE,
            &[
                tlv(VERSION, &tlv(0x02, &[2])),
                tlv(0x02, &[0x01, 0x23, 0x45]),
                algorithm.clone(),
                issuer,
                validity,
                subject,
                // The public key and extensions would follow; the walker stops before them.
                tlv(SEQUENCE, &[0u8; 200]),
            ]
            .concat(),
        );
        tlv(
            SEQUENCE,
            &[tbs, algorithm, tlv(0x03, &[0, 1, 2, 3])].concat(),
        )
    }

    #[test]
    fn subject_issuer_and_validity_are_read() {
        let der = certificate("pop.example.de", "Example CA");
        let info = CertificateInfo::from_der(&der);
        assert_eq!(info.subject, "CN=pop.example.de");
        assert_eq!(info.issuer, "C=DE, CN=Example CA");
        assert_eq!(info.not_before, "2026-01-31 12:00:00 UTC");
        assert_eq!(info.not_after, "2051-02-28 23:59:59 UTC");
        assert_eq!(info.sha256, <[u8; 32]>::from(Sha256::digest(&der)));
        assert!(!info.self_signed());
    }

    #[test]
    fn garbage_and_truncation_give_unreadable_fields_but_the_fingerprint() {
        let der = certificate("a", "a");
        for cut in [0, 1, 2, 10, 40, der.len() / 2] {
            let info = CertificateInfo::from_der(&der[..cut]);
            assert_eq!(info.subject, "(unreadable)", "cut at {cut}");
            assert_eq!(info.fingerprint().len(), 95);
        }
        let info = CertificateInfo::from_der(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(info.issuer, "(unreadable)");
    }

    #[test]
    fn unknown_attributes_show_their_oid() {
        assert_eq!(oid_text(&[0x55, 0x04, 0x05]), "2.5.4.5");
        assert_eq!(
            oid_text(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]),
            "1.2.840.113549"
        );
    }
}

//! The parts of a server certificate people look at, for the connection test and the "Trust
//! this certificate" prompt: subject, issuer, validity, the alternative names the host check
//! uses, and the SHA-256 that is pinned.
//!
//! The DER is read by x509-parser. Everything in it is the certificate maker's text, and a
//! hostile one would like to draw its own prompt, so it is made safe to show here: every
//! X.509 string type is decoded (UTF8String, PrintableString, IA5String, BMPString as
//! UTF-16BE, TeletexString as Latin-1, UniversalString as UTF-32BE), and control characters,
//! line breaks, bidi controls, invisible format characters and padding spaces are written
//! out as escapes (`\n`, `\u{202E}`; a backslash as `\\`, so an escape cannot be faked).
//! Each field is at most [`MAX_FIELD_CHARS`] long and at most [`MAX_ALT_NAMES`] names are
//! listed. A certificate that cannot be read gives empty fields and `readable: false`, never
//! a panic: the words for that are the window's to choose. The fingerprint is always that
//! of the bytes the server sent.

use std::net::{Ipv4Addr, Ipv6Addr};

use sha2::{Digest, Sha256};
use x509_parser::asn1_rs::{Any, Oid, Tag};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::time::ASN1Time;
use x509_parser::x509::X509Name;

use super::transport::fingerprint_hex;

/// The longest a field is shown, in characters, the closing ellipsis included.
pub const MAX_FIELD_CHARS: usize = 256;

/// The most alternative names listed; the others are only counted.
pub const MAX_ALT_NAMES: usize = 20;

/// What a certificate says about itself, made safe to show to people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The subject as shown, e.g. `CN=pop.gmx.net, O=GMX, C=DE` (a `,` or `+` inside a value
    /// is written `\,`, `\+`). Empty when the certificate is unreadable or names no subject.
    pub subject: String,
    /// Who signed it, in the same form.
    pub issuer: String,
    /// Valid from, in UTC (`2026-01-31 12:00:00 UTC`); empty when unreadable.
    pub not_before: String,
    /// Valid until, in the same form.
    pub not_after: String,
    /// Valid from and until in Unix seconds, for a window that shows local time.
    pub validity: Option<(i64, i64)>,
    /// The DNS names and IP addresses of the subject alternative names, which the host check
    /// compares with the server's name: the first [`MAX_ALT_NAMES`], each shown as above.
    pub alt_names: Vec<String>,
    /// How many more DNS names and IP addresses the certificate lists after `alt_names`.
    pub more_alt_names: usize,
    /// False when the certificate could not be read: then only the fingerprint is known.
    pub readable: bool,
    /// SHA-256 of the DER, the fingerprint that is pinned.
    pub sha256: [u8; 32],
    /// Subject and issuer are the same bytes.
    same_names: bool,
}

impl CertificateInfo {
    /// Reads a DER certificate. Never panics: what cannot be read is left empty, with
    /// `readable` false, while the fingerprint, which is what trust is based on, is always
    /// right.
    pub fn from_der(der: &[u8]) -> Self {
        let sha256: [u8; 32] = Sha256::digest(der).into();
        let Ok((_, certificate)) = x509_parser::parse_x509_certificate(der) else {
            return Self {
                subject: String::new(),
                issuer: String::new(),
                not_before: String::new(),
                not_after: String::new(),
                validity: None,
                alt_names: Vec::new(),
                more_alt_names: 0,
                readable: false,
                sha256,
                same_names: false,
            };
        };
        let validity = certificate.validity();
        let names = host_names(&certificate);
        let more_alt_names = names.len().saturating_sub(MAX_ALT_NAMES);
        Self {
            subject: name(certificate.subject()),
            issuer: name(certificate.issuer()),
            not_before: time(&validity.not_before),
            not_after: time(&validity.not_after),
            validity: Some((
                validity.not_before.timestamp(),
                validity.not_after.timestamp(),
            )),
            alt_names: names
                .into_iter()
                .take(MAX_ALT_NAMES)
                .map(host_name)
                .collect(),
            more_alt_names,
            readable: true,
            sha256,
            same_names: certificate.subject().as_raw() == certificate.issuer().as_raw(),
        }
    }

    /// The fingerprint as colon-separated upper-case hex.
    pub fn fingerprint(&self) -> String {
        fingerprint_hex(&self.sha256)
    }

    /// True when subject and issuer are the same (a self-signed certificate).
    pub fn self_signed(&self) -> bool {
        self.same_names
    }
}

/// A Name as `CN=…, O=…`, the attributes of one multi-valued RDN joined by ` + `.
fn name(name: &X509Name<'_>) -> String {
    let mut shown = Shown::default();
    for (index, rdn) in name.iter().enumerate() {
        if index > 0 {
            shown.piece(", ");
        }
        for (index, attribute) in rdn.iter().enumerate() {
            if index > 0 {
                shown.piece(" + ");
            }
            shown.piece(&attribute_name(attribute.attr_type()));
            shown.piece("=");
            let value = attribute.attr_value();
            match decode(value) {
                Some(text) => shown.text(&text, Context::NameValue),
                None => shown.hex(value.data),
            }
        }
    }
    shown.finish()
}

/// The usual short names of the attributes, else the dotted object identifier.
fn attribute_name(oid: &Oid<'_>) -> String {
    let dotted = oid.to_id_string();
    let short = match dotted.as_str() {
        "2.5.4.3" => "CN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.2.840.113549.1.9.1" => "emailAddress",
        _ => return dotted,
    };
    short.to_owned()
}

/// The text of a string value (`None`: not a string type). Bytes that a type does not allow
/// become U+FFFD.
fn decode(value: &Any<'_>) -> Option<String> {
    let bytes = value.data;
    let ascii = || {
        bytes
            .iter()
            .map(|&b| {
                if b.is_ascii() {
                    char::from(b)
                } else {
                    '\u{FFFD}'
                }
            })
            .collect()
    };
    Some(match value.tag() {
        Tag::Utf8String => String::from_utf8_lossy(bytes).into_owned(),
        Tag::PrintableString | Tag::Ia5String | Tag::NumericString | Tag::VisibleString => ascii(),
        // T.61 proper is a code-switching mess; in practice these bytes are Latin-1, which is
        // how OpenSSL and browsers read them too (and so GraphicString and GeneralString).
        Tag::TeletexString | Tag::VideotexString | Tag::GraphicString | Tag::GeneralString => {
            bytes.iter().map(|&b| char::from(b)).collect()
        }
        Tag::BmpString => {
            let units = bytes.chunks(2).map(|pair| match pair {
                [high, low] => u16::from_be_bytes([*high, *low]),
                _ => 0xFFFD,
            });
            char::decode_utf16(units)
                .map(|c| c.unwrap_or('\u{FFFD}'))
                .collect()
        }
        Tag::UniversalString => bytes
            .chunks(4)
            .map(|quad| {
                <[u8; 4]>::try_from(quad)
                    .ok()
                    .and_then(|quad| char::from_u32(u32::from_be_bytes(quad)))
                    .unwrap_or('\u{FFFD}')
            })
            .collect(),
        _ => return None,
    })
}

/// The subject alternative names the host check uses: DNS names and IP addresses. None
/// when the extension is missing, unreadable or present twice (OpenSSL then uses none).
fn host_names<'a>(certificate: &'a X509Certificate<'a>) -> Vec<&'a GeneralName<'a>> {
    let Ok(Some(extension)) = certificate.subject_alternative_name() else {
        return Vec::new();
    };
    extension
        .value
        .general_names
        .iter()
        .filter(|name| match name {
            GeneralName::DNSName(_) | GeneralName::IPAddress(_) => true,
            // dNSName [2] that is not UTF-8, iPAddress [7] that x509-parser could not take.
            GeneralName::Invalid(tag, _) => matches!(tag.0, 2 | 7),
            _ => false,
        })
        .collect()
}

fn host_name(name: &GeneralName<'_>) -> String {
    let mut shown = Shown::default();
    match name {
        GeneralName::DNSName(dns) => shown.text(dns, Context::Plain),
        GeneralName::IPAddress(bytes) => ip_address(&mut shown, bytes),
        GeneralName::Invalid(tag, bytes) if tag.0 == 7 => ip_address(&mut shown, bytes),
        GeneralName::Invalid(_, bytes) => {
            shown.text(&String::from_utf8_lossy(bytes), Context::Plain);
        }
        _ => {}
    }
    shown.finish()
}

/// An IPv4 or IPv6 address in its usual form; any other length as `#` and hex.
fn ip_address(shown: &mut Shown, bytes: &[u8]) {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        shown.piece(&Ipv4Addr::from(v4).to_string());
    } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        shown.piece(&Ipv6Addr::from(v6).to_string());
    } else {
        shown.hex(bytes);
    }
}

/// A validity time as `YYYY-MM-DD HH:MM:SS UTC`.
fn time(time: &ASN1Time) -> String {
    jiff::Timestamp::from_second(time.timestamp())
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_default()
}

/// Where a text is shown, for the characters that must be escaped there besides the usual.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A value in a Name, where `,` and `+` separate attributes and a leading `#` means hex.
    NameValue,
    /// Anything else.
    Plain,
}

/// A field being written: escaped, and cut with an ellipsis at [`MAX_FIELD_CHARS`]
/// (between two characters or escapes, never inside one).
#[derive(Default)]
struct Shown {
    text: String,
    /// Characters in `text`.
    chars: usize,
    /// Bytes of `text` that leave room for the ellipsis.
    fits: usize,
    /// Something did not fit: nothing more is taken.
    full: bool,
}

impl Shown {
    /// Adds a piece of our own (a separator, a name, an escape) as it is, if it fits.
    fn piece(&mut self, piece: &str) {
        if self.full {
            return;
        }
        let count = piece.chars().count();
        if self.chars + count > MAX_FIELD_CHARS {
            self.full = true;
            return;
        }
        self.text.push_str(piece);
        self.chars += count;
        if self.chars < MAX_FIELD_CHARS {
            self.fits = self.text.len();
        }
    }

    /// Adds the certificate's text, escaped.
    fn text(&mut self, text: &str, context: Context) {
        let mut previous = None;
        for c in text.chars() {
            if self.full {
                return;
            }
            let mut buffer = [0u8; 4];
            match escape(c, previous, context) {
                Some(escaped) => self.piece(&escaped),
                None => self.piece(c.encode_utf8(&mut buffer)),
            }
            previous = Some(c);
        }
    }

    /// Adds bytes that are not text as `#` and upper-case hex.
    fn hex(&mut self, bytes: &[u8]) {
        self.piece("#");
        for byte in bytes.iter().take(MAX_FIELD_CHARS) {
            self.piece(&format!("{byte:02X}"));
        }
    }

    fn finish(mut self) -> String {
        if self.full {
            self.text.truncate(self.fits);
            self.text.push('…');
        }
        self.text
    }
}

/// How `c` is shown when it cannot be shown as itself; `previous` is the character before.
fn escape(c: char, previous: Option<char>, context: Context) -> Option<String> {
    let name_value = context == Context::NameValue;
    Some(match c {
        '\\' => r"\\".to_owned(),
        '\n' => r"\n".to_owned(),
        '\r' => r"\r".to_owned(),
        '\t' => r"\t".to_owned(),
        ',' | '+' if name_value => format!("\\{c}"),
        '#' if name_value && previous.is_none() => r"\#".to_owned(),
        // A run of spaces could push text onto a line of its own: only the first stays.
        ' ' if previous == Some(' ') => r"\u{0020}".to_owned(),
        c if c.is_control() || invisible(c) => format!("\\u{{{:04X}}}", u32::from(c)),
        _ => return None,
    })
}

/// Characters that draw nothing or move text about: format characters (category Cf, the
/// bidi controls among them), the default-ignorable code points, the line and paragraph
/// separators, and the spaces other than U+0020.
fn invisible(c: char) -> bool {
    const RANGES: &[(u32, u32)] = &[
        (0x00A0, 0x00A0), // no-break space
        (0x00AD, 0x00AD), // soft hyphen
        (0x034F, 0x034F), // combining grapheme joiner
        (0x0600, 0x0605), // Arabic number signs
        (0x061C, 0x061C), // Arabic letter mark
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x0890, 0x0891),
        (0x08E2, 0x08E2),
        (0x115F, 0x1160), // Hangul fillers
        (0x1680, 0x1680), // Ogham space mark
        (0x17B4, 0x17B5),
        (0x180B, 0x180F), // Mongolian variation selectors, vowel separator
        (0x2000, 0x200F), // spaces, zero-width space and joiners, LRM, RLM
        (0x2028, 0x202F), // line and paragraph separators, LRE…RLO, narrow no-break space
        (0x205F, 0x206F), // medium space, word joiner, invisible operators, LRI…PDI
        (0x3000, 0x3000), // ideographic space
        (0x3164, 0x3164), // Hangul filler
        (0xFE00, 0xFE0F), // variation selectors
        (0xFEFF, 0xFEFF), // zero-width no-break space (BOM)
        (0xFFA0, 0xFFA0), // halfwidth Hangul filler
        (0xFFF0, 0xFFFB), // interlinear annotation
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F), // Egyptian hieroglyph format controls
        (0x1BCA0, 0x1BCA3), // shorthand format controls
        (0x1D173, 0x1D17A), // musical symbol format controls
        (0xE0000, 0xE0FFF), // tags and variation selectors supplement
    ];
    let code = u32::from(c);
    RANGES
        .iter()
        .any(|&(first, last)| (first..=last).contains(&code))
}

#[cfg(test)]
mod tests;

//! Deterministic generator of test mail (RFC 5322 messages with LF line endings).
//!
//! Same function, count and seed give the same bytes on every run and platform (integer
//! arithmetic only). Message `i` depends only on (generator, seed, i), so `mixed(10, s)` is a
//! prefix of `mixed(100, s)`. Every message has a unique Message-ID and a Date, From, To and
//! Subject header. Bodies are sprinkled with lines that stress POP3 transparency: `.`, `..`,
//! lines starting with `.`, `From `, `>From`, trailing spaces.
//!
//! Include it with `#[path = "support/corpus.rs"] mod corpus;` (std only).
#![allow(dead_code)]

/// A small seeded PRNG (SplitMix64); deterministic on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A generator for item `index` of stream `stream` under `seed` (independent streams).
    pub fn derive(seed: u64, stream: &str, index: u64) -> Self {
        let mut h = Rng(seed ^ 0x5043_4f52_5055_5300);
        let mut acc = h.next_u64();
        for b in stream.bytes() {
            acc = Rng(acc ^ u64::from(b)).next_u64();
        }
        Rng(acc ^ Rng(index.wrapping_mul(0xA24B_AED4_963E_E407)).next_u64())
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below(0)");
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        assert!(lo <= hi, "Rng::range({lo}, {hi})");
        lo + self.below((hi - lo) as u64 + 1) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A uniformly chosen element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Index chosen with the given integer weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        out.truncate(n);
        out
    }
}

// ---------------------------------------------------------------------------------------------
// vocabulary

const WORDS_EN: &[&str] = &[
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "lazy",
    "dog",
    "message",
    "server",
    "client",
    "protocol",
    "mailbox",
    "benchmark",
    "retrieve",
    "download",
    "session",
    "latency",
    "throughput",
    "pipeline",
    "response",
    "command",
    "unique",
    "identifier",
    "octets",
    "report",
    "quarterly",
    "meeting",
    "agenda",
    "invoice",
    "shipment",
    "order",
    "please",
    "regards",
    "thanks",
    "attached",
    "document",
    "review",
    "schedule",
    "tomorrow",
];
const WORDS_DE: &[&str] = &[
    "Grüße",
    "Änderung",
    "Übersicht",
    "Straße",
    "Müller",
    "Größe",
    "fünf",
    "Bücher",
    "schön",
    "Prüfung",
    "Vorschläge",
    "Rückmeldung",
    "Bestätigung",
    "Käse",
    "Öffnungszeiten",
    "Gebühren",
    "für",
    "über",
    "natürlich",
    "Überweisung",
    "Lösung",
    "Mädchen",
    "Fähre",
    "déjà",
    "Crème",
];
/// (display name, local part, domain)
const PEOPLE: &[(&str, &str, &str)] = &[
    ("Jürgen Müller", "juergen.mueller", "example.de"),
    ("Anna Schäfer", "anna.schaefer", "example.de"),
    ("Björn Öztürk", "bjoern", "beispiel.test"),
    ("Zoë Łukasiewicz", "zoe", "example.org"),
    ("John Smith", "john.smith", "example.com"),
    ("Alice Example", "alice", "example.net"),
    ("Bob", "bob", "example.org"),
    ("Renée Straßburger", "renee", "example.fr"),
    ("Smith, John (Sales)", "jsmith", "example.com"),
    ("", "MAILER-DAEMON", "mx.example.net"),
];
const SUBJECTS: &[&str] = &[
    "Quarterly report",
    "Re: Meeting agenda",
    "Fwd: Invoice {n}",
    "Grüße aus München",
    "Änderung der Öffnungszeiten ab Montag",
    "Übersicht: Größe der Bücher für Straße {n}",
    "Your order #{n} has shipped",
    "[list] Weekly digest, issue {n}",
    "Rückmeldung zur Prüfung – bitte bestätigen",
    "Re: Re: Re: lunch?",
    "Test message {n}",
    "Photos from the trip",
    "Sehr geehrte Damen und Herren, hier die Unterlagen ({n}) für die Sitzung am Donnerstag",
];
const ATTACH_TYPES: &[(&str, &str)] = &[
    ("application/pdf", "pdf"),
    ("application/zip", "zip"),
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("application/octet-stream", "bin"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
];
const ATTACH_NAMES: &[&str] = &[
    "report",
    "Rechnung_März",
    "photo",
    "scan",
    "Übersicht",
    "data",
];
/// Lines that POP3 dot-stuffing and mbox-style software like to mangle.
const SPECIAL_LINES: &[&str] = &[
    ".",
    "..",
    ".hidden line starting with a dot",
    "...and so on",
    "From here on, mbox readers may mangle this line",
    ">From the quoted mbox line",
    ". leading dot and space",
    "trailing spaces   ",
    "trailing tab\t",
    "",
    "-- ",
    "> quoted line",
];

// ---------------------------------------------------------------------------------------------
// encoders

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(B64[(n >> (18 - 6 * k)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base64 in lines of 76 characters, each ending with LF.
fn base64_lines(data: &[u8]) -> Vec<u8> {
    let encoded = base64(data);
    let mut out = Vec::with_capacity(encoded.len() + encoded.len() / 76 + 1);
    for line in encoded.as_bytes().chunks(76) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

fn hex_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(&[b'=', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
}

/// Quoted-printable (RFC 2045) with soft line breaks at 76 characters; LF line ends.
fn quoted_printable(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 5 / 4);
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    for (li, line) in lines.iter().enumerate() {
        let mut width = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let mut piece = Vec::with_capacity(3);
            let blank = b == b' ' || b == b'\t';
            let literal = (blank && !last) || ((33..=126).contains(&b) && b != b'=');
            if !literal {
                hex_escape(&mut piece, b);
            } else {
                piece.push(b);
            }
            if width + piece.len() > 75 {
                out.extend_from_slice(b"=\n");
                width = 0;
            }
            width += piece.len();
            out.extend_from_slice(&piece);
        }
        if li + 1 < lines.len() {
            out.push(b'\n');
        }
    }
    out
}

/// RFC 2047 encoded-words for a header value: unchanged if ASCII, else B or Q encoding in
/// UTF-8 or (if representable) ISO-8859-1, split into words of at most 75 characters joined
/// by folding whitespace.
fn encode_words(rng: &mut Rng, text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let latin1 = text.chars().all(|c| u32::from(c) <= 0xFF);
    let (charset, bytes): (&str, Vec<u8>) = if latin1 && rng.chance(30) {
        ("ISO-8859-1", to_latin1(text))
    } else {
        ("UTF-8", text.as_bytes().to_vec())
    };
    let q = rng.chance(50);
    // Split at character boundaries into chunks that fit one encoded-word
    // ("=?" charset "?X?" text "?=" is at most 75 characters).
    let limit = 75 - 7 - charset.len();
    let q_cost = |b: u8| {
        if b.is_ascii_alphanumeric() || b" !*+-/".contains(&b) {
            1
        } else {
            3
        }
    };
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let char_len = if charset == "UTF-8" {
            utf8_len(bytes[pos])
        } else {
            1
        };
        let ch = &bytes[pos..(pos + char_len).min(bytes.len())];
        // The first word shares its line with the header name (up to "Subject: ").
        let room = if chunks.is_empty() { limit - 9 } else { limit };
        let fits = if q {
            cur.iter().chain(ch).map(|&b| q_cost(b)).sum::<usize>() <= room
        } else {
            4 * (cur.len() + ch.len()).div_ceil(3) <= room
        };
        if !fits && !cur.is_empty() {
            chunks.push(std::mem::take(&mut cur));
        }
        cur.extend_from_slice(ch);
        pos += char_len;
    }
    if !cur.is_empty() {
        chunks.push(cur);
    }
    let words: Vec<String> = chunks
        .iter()
        .map(|chunk| {
            if q {
                let mut enc = Vec::new();
                for &b in chunk {
                    match b {
                        b' ' => enc.push(b'_'),
                        b if q_cost(b) == 1 => enc.push(b),
                        b => hex_escape(&mut enc, b),
                    }
                }
                format!("=?{charset}?Q?{}?=", String::from_utf8_lossy(&enc))
            } else {
                format!("=?{charset}?B?{}?=", base64(chunk))
            }
        })
        .collect();
    words.join("\n ")
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// UTF-8 text to ISO-8859-1 bytes (`?` for characters outside Latin-1).
fn to_latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// dates

/// (year, month, day) of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// RFC 5322 date for unix time `t` shown in the zone `offset_min` minutes east of UTC.
pub fn rfc5322_date(t: i64, offset_min: i32) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let local = t + i64::from(offset_min) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if offset_min < 0 { '-' } else { '+' };
    let off = offset_min.unsigned_abs();
    format!(
        "{}, {d} {} {y} {:02}:{:02}:{:02} {sign}{:02}{:02}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        off / 60,
        off % 60
    )
}

// ---------------------------------------------------------------------------------------------
// message building

/// 2024-03-01 07:00:00 UTC.
const BASE_TIME: i64 = 1_709_276_400;

struct Builder {
    rng: Rng,
    out: Vec<u8>,
}

impl Builder {
    fn new(rng: Rng) -> Self {
        Builder {
            rng,
            out: Vec::new(),
        }
    }

    fn header(&mut self, name: &str, value: &str) {
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b": ");
        self.out.extend_from_slice(value.as_bytes());
        self.out.push(b'\n');
    }

    fn mailbox(&mut self) -> String {
        let (name, local, domain) = *self.rng.pick(PEOPLE);
        if name.is_empty() {
            format!("{local}@{domain}")
        } else if !name.is_ascii() {
            format!("{} <{local}@{domain}>", encode_words(&mut self.rng, name))
        } else if name.contains([',', '(', ')']) {
            format!("\"{name}\" <{local}@{domain}>")
        } else {
            format!("{name} <{local}@{domain}>")
        }
    }

    /// Trace and origin headers shared by all generators. `tag` names the generator.
    fn standard_headers(&mut self, tag: &str, seed: u64, i: u64, subject: &str) {
        let when = BASE_TIME + (i as i64) * 37 * 60 + self.rng.below(60) as i64;
        let offset = *self.rng.pick(&[60, 120, 0, -300, 330]);
        let date = rfc5322_date(when, offset);
        let r = self.rng.next_u64();
        self.header("Return-Path", &format!("<bounce-{i}@lists.example.org>"));
        self.header(
            "Received",
            &format!(
                "from mx{0}.example.org (mx{0}.example.org [192.0.2.{1}])\n\tby mail.poplar.test (Postfix) with ESMTPS id {2:08X}\n\tfor <user@poplar.test>; {date}",
                i % 7,
                10 + i % 200,
                r as u32
            ),
        );
        if self.rng.chance(40) {
            self.header(
                "Received",
                &format!(
                    "from [198.51.100.{}] (helo=client.example)\n\tby mx.example.org with esmtpsa (TLS1.3) id 1q{:06x}; {date}",
                    i % 250,
                    r >> 40
                ),
            );
        }
        let from = self.mailbox();
        self.header("From", &from);
        let n_to = if self.rng.chance(85) {
            1
        } else {
            self.rng.range(2, 25)
        };
        let to: Vec<String> = (0..n_to).map(|_| self.mailbox()).collect();
        self.header("To", &to.join(",\n    "));
        if self.rng.chance(20) {
            let n_cc = self.rng.range(1, 4);
            let cc: Vec<String> = (0..n_cc).map(|_| self.mailbox()).collect();
            self.header("Cc", &cc.join(",\n "));
        }
        let subject = encode_words(&mut self.rng, subject);
        self.header("Subject", &subject);
        self.header("Date", &date);
        let unique = self.rng.next_u64();
        self.header(
            "Message-ID",
            &format!("<{tag}.{seed}.{i}.{unique:016x}@poplar.test>"),
        );
        if self.rng.chance(30) {
            let mailer = *self.rng.pick(&[
                "Thunderbird 115.4",
                "Microsoft Outlook 16.0",
                "Apple Mail (2.3731)",
                "mutt/2.2.9",
            ]);
            self.header("X-Mailer", mailer);
        }
        if self.rng.chance(15) {
            self.header("List-Id", "Weekly digest <digest.lists.example.org>");
            self.header(
                "List-Unsubscribe",
                &format!(
                    "<mailto:unsub@lists.example.org?subject=unsubscribe>,\n <https://lists.example.org/u/{i}>"
                ),
            );
        }
    }

    fn subject(&mut self, i: u64) -> String {
        self.rng.pick(SUBJECTS).replace("{n}", &i.to_string())
    }

    /// Wrapped text of about `nbytes` (UTF-8) with hostile lines sprinkled in.
    fn paragraph(&mut self, nbytes: usize, de_percent: u64) -> String {
        let mut text = String::with_capacity(nbytes + 100);
        let mut line = String::new();
        while text.len() + line.len() < nbytes {
            if self.rng.chance(4) {
                if !line.is_empty() {
                    text.push_str(&line);
                    text.push('\n');
                    line.clear();
                }
                let special = *self.rng.pick(SPECIAL_LINES);
                text.push_str(special);
                text.push('\n');
                continue;
            }
            let word = if self.rng.chance(de_percent) {
                *self.rng.pick(WORDS_DE)
            } else {
                *self.rng.pick(WORDS_EN)
            };
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 72 {
                text.push_str(&line);
                text.push('\n');
                line.clear();
                if self.rng.chance(12) {
                    text.push('\n');
                }
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    /// One unbroken line of exactly `n` bytes (ASCII words).
    fn long_line(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n + 16);
        while s.len() < n {
            if !s.is_empty() {
                s.push(' ');
            }
            let word = *self.rng.pick(WORDS_EN);
            s.push_str(word);
        }
        s.truncate(n);
        s
    }

    fn html(text: &str) -> String {
        let mut body = String::new();
        for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            let escaped = para
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('\n', "<br>\n");
            body.push_str("<p>");
            body.push_str(&escaped);
            body.push_str("</p>\n");
        }
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<style>p {{ font-family: Arial, sans-serif; font-size: 14px }}</style></head>\n<body>\n{body}</body></html>\n"
        )
    }

    fn boundary(&mut self, tag: &str, seed: u64, i: u64, depth: u32) -> String {
        format!(
            "=_poplar_{tag}_{seed}_{i}_{depth}_{:08x}",
            self.rng.next_u64() as u32
        )
    }

    /// A text/plain part (headers + body) in UTF-8 with a random transfer encoding.
    fn text_part(&mut self, text: &str, force_qp: bool) -> Vec<u8> {
        let mut part = Vec::new();
        if force_qp || self.rng.chance(40) {
            part.extend_from_slice(
                b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n",
            );
            part.extend_from_slice(&quoted_printable(text.as_bytes()));
        } else {
            let cte = if text.is_ascii() { "7bit" } else { "8bit" };
            part.extend_from_slice(
                format!("Content-Type: text/plain; charset=utf-8; format=flowed\nContent-Transfer-Encoding: {cte}\n\n")
                    .as_bytes(),
            );
            part.extend_from_slice(text.as_bytes());
        }
        part
    }

    fn html_part(&mut self, text: &str) -> Vec<u8> {
        let html = Self::html(text);
        let mut part = Vec::new();
        if self.rng.chance(60) {
            part.extend_from_slice(
                b"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n",
            );
            part.extend_from_slice(&quoted_printable(html.as_bytes()));
        } else {
            part.extend_from_slice(
                b"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n",
            );
            part.extend_from_slice(&base64_lines(html.as_bytes()));
        }
        part
    }

    fn attachment_part(&mut self, i: u64, raw_size: usize) -> Vec<u8> {
        let (mime, ext) = *self.rng.pick(ATTACH_TYPES);
        let stem = *self.rng.pick(ATTACH_NAMES);
        let name = format!("{stem}-{i}.{ext}");
        let disposition = if name.is_ascii() {
            format!("attachment; filename=\"{name}\"")
        } else {
            let mut pct = String::new();
            for b in name.bytes() {
                if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                    pct.push(char::from(b));
                } else {
                    pct.push_str(&format!("%{b:02X}"));
                }
            }
            format!("attachment;\n filename*=UTF-8''{pct}")
        };
        let ct_name = encode_words(&mut self.rng, &name);
        let mut part = format!(
            "Content-Type: {mime};\n name=\"{ct_name}\"\nContent-Transfer-Encoding: base64\nContent-Disposition: {disposition}\n\n"
        )
        .into_bytes();
        let data = self.rng.bytes(raw_size);
        part.extend_from_slice(&base64_lines(&data));
        part
    }

    /// Appends a multipart body built from `parts` (each part = its headers + body).
    fn multipart(out: &mut Vec<u8>, boundary: &str, parts: &[Vec<u8>], preamble: bool) {
        if preamble {
            out.extend_from_slice(b"This is a multi-part message in MIME format.\n");
        }
        for part in parts {
            out.extend_from_slice(format!("\n--{boundary}\n").as_bytes());
            out.extend_from_slice(part);
            if !part.ends_with(b"\n") {
                out.push(b'\n');
            }
        }
        out.extend_from_slice(format!("\n--{boundary}--\n").as_bytes());
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Plain,
    Latin1,
    Qp,
    Alt,
    Attach,
}

/// Builds message `i` of generator `tag` with a total size near `target` bytes.
fn build(tag: &str, seed: u64, i: u64, target: usize, kind: Kind, rng: Rng) -> Vec<u8> {
    let mut b = Builder::new(rng);
    let subject = b.subject(i);
    b.standard_headers(tag, seed, i, &subject);
    b.header("MIME-Version", "1.0");
    let body_target = target.saturating_sub(b.out.len() + 120).max(200);
    match kind {
        Kind::Plain => {
            let mut text = b.paragraph(body_target, 20);
            if b.rng.chance(25) {
                let n = b.rng.range(200, 998);
                let long = b.long_line(n);
                text.push_str(&long);
                text.push('\n');
                let tail = b.paragraph(100, 20);
                text.push_str(&tail);
            }
            let (charset, cte) = if text.is_ascii() {
                ("us-ascii", "7bit")
            } else {
                ("utf-8", "8bit")
            };
            b.header("Content-Type", &format!("text/plain; charset={charset}"));
            b.header("Content-Transfer-Encoding", cte);
            b.out.push(b'\n');
            b.out.extend_from_slice(text.as_bytes());
        }
        Kind::Latin1 => {
            let text = b.paragraph(body_target, 45);
            b.header("Content-Type", "text/plain; charset=iso-8859-1");
            b.header("Content-Transfer-Encoding", "8bit");
            b.out.push(b'\n');
            b.out.extend_from_slice(&to_latin1(&text));
        }
        Kind::Qp => {
            let mut text = b.paragraph(body_target * 4 / 5, 60);
            if b.rng.chance(50) {
                let n = b.rng.range(100, 400);
                let long = b.long_line(n);
                text.push_str(&long);
                text.push('\n');
            }
            b.header("Content-Type", "text/plain; charset=utf-8");
            b.header("Content-Transfer-Encoding", "quoted-printable");
            b.out.push(b'\n');
            b.out.extend_from_slice(&quoted_printable(text.as_bytes()));
        }
        Kind::Alt => {
            let text = b.paragraph(body_target * 2 / 5, 25);
            let boundary = b.boundary(tag, seed, i, 0);
            let plain = b.text_part(&text, false);
            let html = b.html_part(&text);
            b.header(
                "Content-Type",
                &format!("multipart/alternative;\n boundary=\"{boundary}\""),
            );
            b.out.push(b'\n');
            Builder::multipart(&mut b.out, &boundary, &[plain, html], b.rng.chance(50));
        }
        Kind::Attach => {
            let text_len = b.rng.range(150, 1500).min(body_target);
            let text = b.paragraph(text_len, 25);
            let outer = b.boundary(tag, seed, i, 0);
            let mut parts = Vec::new();
            if b.rng.chance(50) {
                let inner = b.boundary(tag, seed, i, 1);
                let plain = b.text_part(&text, false);
                let html = b.html_part(&text);
                let mut alt =
                    format!("Content-Type: multipart/alternative;\n boundary=\"{inner}\"\n\n")
                        .into_bytes();
                Builder::multipart(&mut alt, &inner, &[plain, html], false);
                parts.push(alt);
            } else {
                let plain = b.text_part(&text, false);
                parts.push(plain);
            }
            let used = b.out.len() + parts.iter().map(Vec::len).sum::<usize>();
            let n_att = if b.rng.chance(70) {
                1
            } else {
                b.rng.range(2, 3)
            };
            let raw_total = target.saturating_sub(used + 300 * n_att).max(100) * 57 / 78;
            let mut remaining = raw_total;
            for k in 0..n_att {
                let size = if k + 1 == n_att {
                    remaining
                } else {
                    b.rng.range(remaining / 5, remaining * 4 / 5)
                };
                remaining -= size;
                let att = b.attachment_part(i, size.max(50));
                parts.push(att);
            }
            if b.rng.chance(15) {
                parts.push(
                    b"Content-Type: text/csv; charset=utf-8\nContent-Transfer-Encoding: 8bit\nContent-Disposition: attachment; filename=\"tabelle.csv\"\n\ncol1;col2;Gr\xc3\xb6\xc3\x9fe\n1;2;3\n.\n".to_vec(),
                );
            }
            b.header(
                "Content-Type",
                &format!("multipart/mixed;\n boundary=\"{outer}\""),
            );
            b.out.push(b'\n');
            Builder::multipart(&mut b.out, &outer, &parts, b.rng.chance(50));
        }
    }
    b.out
}

/// `n` realistic messages averaging about 30 KB (from under 1 KB to about 400 KB): plain
/// text (7bit/8bit UTF-8, lines up to 998 bytes), ISO-8859-1 8bit bodies, quoted-printable,
/// multipart/alternative with HTML, multipart/mixed with base64 attachments; RFC 2047 encoded
/// display names and subjects. Deterministic in (`n`, `seed`); message i does not depend on n.
pub fn mixed(n: usize, seed: u64) -> Vec<Vec<u8>> {
    // (min, max, weight) of the target size; mean about 30 KB.
    const BUCKETS: [(usize, usize, u64); 6] = [
        (800, 3_000, 29),
        (3_000, 8_000, 25),
        (8_000, 20_000, 20),
        (20_000, 50_000, 13),
        (50_000, 120_000, 8),
        (120_000, 400_000, 5),
    ];
    (0..n as u64)
        .map(|i| {
            let mut rng = Rng::derive(seed, "mixed", i);
            let weights: Vec<u64> = BUCKETS.iter().map(|b| b.2).collect();
            let (lo, hi, _) = BUCKETS[rng.weighted(&weights)];
            let target = rng.range(lo, hi);
            let kind = if target > 60_000 {
                Kind::Attach
            } else if target > 20_000 {
                [Kind::Attach, Kind::Alt, Kind::Plain][rng.weighted(&[70, 20, 10])]
            } else {
                [Kind::Plain, Kind::Latin1, Kind::Qp, Kind::Alt, Kind::Attach]
                    [rng.weighted(&[35, 8, 17, 25, 15])]
            };
            build("mixed", seed, i, target, kind, rng)
        })
        .collect()
}

/// `n` messages of about 4 KB each (plain, ISO-8859-1, quoted-printable, alternative with
/// HTML, occasionally a small attachment). Deterministic in (`n`, `seed`).
pub fn small(n: usize, seed: u64) -> Vec<Vec<u8>> {
    (0..n as u64)
        .map(|i| {
            let mut rng = Rng::derive(seed, "small", i);
            let target = rng.range(3_000, 5_200);
            let kind = [Kind::Plain, Kind::Latin1, Kind::Qp, Kind::Alt, Kind::Attach]
                [rng.weighted(&[40, 10, 20, 20, 10])];
            build("small", seed, i, target, kind, rng)
        })
        .collect()
}

/// Names of the messages of [`hostile`], in order (also in each message's `X-Poplar-Case`).
pub const HOSTILE_CASES: [&str; 16] = [
    "dot-lines",
    "ends-with-dot-line",
    "first-body-line-dot",
    "line-998",
    "from-lines",
    "trailing-whitespace",
    "latin1-8bit",
    "all-high-bytes",
    "control-bytes",
    "empty-body",
    "headers-only",
    "no-final-newline",
    "no-final-newline-dot",
    "many-dot-lines",
    "encoded-headers",
    "large-3mb",
];

/// A fixed set of messages (see [`HOSTILE_CASES`]) that exercise POP3 transparency and
/// framing; only incidental content depends on `seed`. Same order as [`HOSTILE_CASES`].
pub fn hostile(seed: u64) -> Vec<Vec<u8>> {
    hostile_labeled(seed).into_iter().map(|(_, m)| m).collect()
}

/// [`hostile`] with the case name of each message.
pub fn hostile_labeled(seed: u64) -> Vec<(&'static str, Vec<u8>)> {
    HOSTILE_CASES
        .iter()
        .enumerate()
        .map(|(i, &case)| (case, hostile_case(case, seed, i as u64)))
        .collect()
}

fn hostile_case(case: &'static str, seed: u64, i: u64) -> Vec<u8> {
    let rng = Rng::derive(seed, case, i);
    let mut b = Builder::new(rng);
    let subject = match case {
        "encoded-headers" => {
            "Grüße – Übersicht der Änderungen für Straße, Größe und Öffnungszeiten (sehr lang, damit gefaltet werden muss) ✓".to_string()
        }
        _ => format!("hostile: {case}"),
    };
    b.standard_headers("hostile", seed, i, &subject);
    b.header("X-Poplar-Case", case);
    b.header("MIME-Version", "1.0");
    let ascii = |b: &mut Builder| {
        b.header("Content-Type", "text/plain; charset=us-ascii");
        b.header("Content-Transfer-Encoding", "7bit");
        b.out.push(b'\n');
    };
    let eight_bit = |b: &mut Builder, charset: &str| {
        b.header("Content-Type", &format!("text/plain; charset={charset}"));
        b.header("Content-Transfer-Encoding", "8bit");
        b.out.push(b'\n');
    };
    match case {
        "dot-lines" => {
            ascii(&mut b);
            b.out.extend_from_slice(
                b"A line that is only a dot follows:\n.\nTwo dots:\n..\nThree dots:\n...\n\
                  .leading dot\n..leading two dots\n. dot space\n.\t dot tab\n\
                  .\n.\n.\nend of three dot lines\n\n.\n\nthe dot above is between blank lines\n",
            );
        }
        "ends-with-dot-line" => {
            ascii(&mut b);
            b.out
                .extend_from_slice(b"The last line of this message is a single dot.\n.\n");
        }
        "first-body-line-dot" => {
            ascii(&mut b);
            b.out
                .extend_from_slice(b".\nThe first body line above is a single dot.\n..\n");
        }
        "line-998" => {
            // A header line and body lines of exactly 998 bytes (the RFC 5322 limit), one of
            // them starting with a dot (1001 bytes on the wire once stuffed, with CRLF).
            let long = b.long_line(998 - "X-Long-Header: ".len());
            b.header("X-Long-Header", &long);
            ascii(&mut b);
            let line = b.long_line(998);
            b.out.extend_from_slice(line.as_bytes());
            b.out.push(b'\n');
            let dotted = format!(".{}", b.long_line(997));
            b.out.extend_from_slice(dotted.as_bytes());
            b.out.push(b'\n');
            b.out.extend_from_slice(&[b'.'; 998]);
            b.out.push(b'\n');
            b.out.extend_from_slice(b"after the long lines\n");
        }
        "from-lines" => {
            ascii(&mut b);
            b.out.extend_from_slice(
                b"From the beginning, this line starts with From and a space.\n\
                  From \n>From an mbox-escaped line\n>>From twice escaped\n\
                  From: not a header\nFrom MAILER-DAEMON Thu Mar  7 10:00:00 2024\n",
            );
        }
        "trailing-whitespace" => {
            ascii(&mut b);
            b.out.extend_from_slice(
                b"three trailing spaces   \ntrailing tab\t\nmixed \t \n   \n\t\n \n. \n.. \nend\n",
            );
        }
        "latin1-8bit" => {
            eight_bit(&mut b, "iso-8859-1");
            b.out.extend_from_slice(
                b"Gr\xfc\xdfe aus M\xfcnchen, \xe4\xf6\xfc \xc4\xd6\xdc \xdf\n\
                  .\xe4 starts with a dot\n\xe9t\xe9 \xe0 la cr\xe8me br\xfbl\xe9e\n",
            );
            let text = b.paragraph(2000, 50);
            let latin = to_latin1(&text);
            b.out.extend_from_slice(&latin);
        }
        "all-high-bytes" => {
            eight_bit(&mut b, "iso-8859-1");
            b.out
                .extend_from_slice(b"every byte 0x80..=0xFF, 32 per line:\n");
            for chunk in (0x80u8..=0xFF).collect::<Vec<u8>>().chunks(32) {
                b.out.extend_from_slice(chunk);
                b.out.push(b'\n');
            }
            b.out
                .extend_from_slice("UTF-8 too: Grüße, Zoë, Łódź, ✓, 😀\n".as_bytes());
        }
        "control-bytes" => {
            // Every byte 0x01..=0x1F except TAB, LF, CR, plus DEL; no NUL.
            ascii(&mut b);
            let ctl: Vec<u8> = (0x01u8..=0x1F)
                .filter(|c| ![b'\t', b'\n', b'\r'].contains(c))
                .chain([0x7F])
                .collect();
            b.out
                .extend_from_slice(b"control bytes between brackets: [");
            b.out.extend_from_slice(&ctl);
            b.out
                .extend_from_slice(b"]\n\x0c\nform feed above, escape \x1b[1m here\n");
        }
        "empty-body" => {
            ascii(&mut b);
        }
        "headers-only" => {
            // No blank line and no body at all.
            b.header("Content-Type", "text/plain; charset=us-ascii");
        }
        "no-final-newline" => {
            ascii(&mut b);
            b.out
                .extend_from_slice(b"The last line has no newline.\nno newline here");
        }
        "no-final-newline-dot" => {
            ascii(&mut b);
            b.out
                .extend_from_slice(b"The last line is a dot without a newline:\n.");
        }
        "many-dot-lines" => {
            // About 100 KB where every line starts with a dot, with varying lengths so that
            // reader buffer boundaries fall everywhere.
            ascii(&mut b);
            let mut size = 0;
            let mut k = 0usize;
            while size < 100_000 {
                let len = b.rng.range(0, 120);
                let mut line = vec![b'.'; 1 + k % 3];
                line.extend(std::iter::repeat_n(b'x', len));
                line.push(b'\n');
                size += line.len();
                b.out.extend_from_slice(&line);
                k += 1;
            }
        }
        "encoded-headers" => {
            let text = b.paragraph(1500, 60);
            let plain = b.text_part(&text, true);
            b.out.extend_from_slice(&plain);
        }
        "large-3mb" => {
            let boundary = b.boundary("hostile", seed, i, 0);
            let text = b.paragraph(3000, 20);
            let plain = b.text_part(&text, false);
            let att = b.attachment_part(i, 2_300_000);
            b.header(
                "Content-Type",
                &format!("multipart/mixed;\n boundary=\"{boundary}\""),
            );
            b.out.push(b'\n');
            Builder::multipart(&mut b.out, &boundary, &[plain, att], true);
        }
        other => panic!("unknown hostile case {other}"),
    }
    b.out
}

/// The value of the first header `name` (case-insensitive) of `message`, unfolded; `None`
/// if absent. Handy for finding Message-IDs in tests.
pub fn header_value(message: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(message);
    let mut found: Option<String> = None;
    for line in text.split('\n') {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(v) = found.as_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if found.is_some() {
            break;
        }
        if let Some((n, v)) = line.split_once(':')
            && n.eq_ignore_ascii_case(name)
        {
            found = Some(v.trim().to_string());
        }
    }
    found
}

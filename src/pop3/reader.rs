//! The sans-I/O response reader: bytes in as they arrive, complete responses out.
//!
//! The reader never touches a socket. The network layer (or a test, or a fuzzer) pushes whatever
//! bytes it has, split anywhere, and asks for the next response, saying which form it expects.
//! Multi-line bodies are dot-unstuffed while they stream in, so a body costs one copy and memory
//! is bounded by the largest message, not by the mailbox.

use super::response::{Response, StatusLine};

/// Which form of response the next command produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A single status line (`+OK …` or `-ERR …`).
    Status,
    /// A status line, followed by a dot-terminated body when it is `+OK` (RFC 1939 §3).
    MultiLine,
    /// During SASL: a `+ <base64>` continuation or a final status line (RFC 5034 §4).
    Sasl,
}

/// Bounds that keep a broken or hostile server from using unbounded memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest status line accepted (RFC 2449 allows 512 octets; servers exceed it, so be lenient).
    pub max_status_line: usize,
    /// Longest line inside a multi-line body; a line that never ends is an error past this.
    pub max_body_line: usize,
    /// Largest multi-line body (a whole message) accepted.
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_status_line: 64 * 1024,
            // Mail should keep lines under 1000 octets (RFC 5322 §2.1.1), yet broken mailers send
            // megabytes of base64 on one line. Refusing those would make a message impossible to
            // download, so the bound only guards against a stream that never ends a line.
            max_body_line: 64 * 1024 * 1024,
            max_body: 2 * 1024 * 1024 * 1024 - 1,
        }
    }
}

/// What went wrong while reading a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The first line was neither `+OK`, `-ERR` nor (during SASL) `+ `; the line is quoted.
    NotAStatusLine(String),
    /// A status line exceeded [`Limits::max_status_line`].
    StatusLineTooLong(usize),
    /// A body line exceeded [`Limits::max_body_line`].
    BodyLineTooLong(usize),
    /// A body exceeded [`Limits::max_body`].
    BodyTooLarge(usize),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAStatusLine(line) => {
                write!(f, "the server sent {line:?} instead of +OK or -ERR")
            }
            Self::StatusLineTooLong(n) => write!(f, "the server sent a status line over {n} bytes"),
            Self::BodyLineTooLong(n) => write!(f, "the server sent a line over {n} bytes"),
            Self::BodyTooLarge(n) => write!(f, "the server sent a response over {n} bytes"),
        }
    }
}

impl std::error::Error for ReadError {}

#[derive(Debug)]
enum Partial {
    /// Between responses, or reading a status line.
    Idle,
    /// Inside a multi-line body.
    Body {
        status: StatusLine,
        body: Vec<u8>,
        at_line_start: bool,
        line_len: usize,
    },
}

/// Incremental POP3 response parser. See the module documentation.
#[derive(Debug)]
pub struct ResponseReader {
    buf: Vec<u8>,
    /// Start of the unconsumed bytes in `buf`.
    start: usize,
    /// Where the search for the next LF resumes (so a long status line is not rescanned).
    scan: usize,
    partial: Partial,
    /// Set after a body ended with `.` CR and no LF yet: a following LF belongs to that
    /// terminator. Cyrus has been seen ending RETR with `.\r` alone (cyrus-imapd#4717).
    skip_lf: bool,
    limits: Limits,
}

impl Default for ResponseReader {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

impl ResponseReader {
    /// A reader with the given limits.
    pub fn new(limits: Limits) -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            scan: 0,
            partial: Partial::Idle,
            skip_lf: false,
            limits,
        }
    }

    /// Appends bytes received from the server.
    pub fn push(&mut self, data: &[u8]) {
        let compact = (self.start > 0 && self.start == self.buf.len())
            || (self.start > 64 * 1024 && self.start * 2 > self.buf.len());
        if compact {
            self.buf.drain(..self.start);
            self.scan = self.scan.saturating_sub(self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
    }

    /// Bytes received but not yet consumed by a complete or partial response.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// True when the reader is between responses with nothing buffered: the point at which a
    /// connection may be upgraded to TLS without carrying over plaintext bytes (RFC 2595 §4).
    pub fn is_clean(&self) -> bool {
        self.buffered() == 0 && matches!(self.partial, Partial::Idle)
    }

    /// Returns the next complete response, or `None` when more bytes are needed.
    /// `expect` is only consulted when a new response starts.
    pub fn next_response(&mut self, expect: Expect) -> Result<Option<Response>, ReadError> {
        if self.skip_lf && self.start < self.buf.len() {
            if self.buf[self.start] == b'\n' {
                self.start += 1;
            }
            self.skip_lf = false;
        }
        if let Partial::Idle = self.partial {
            let Some(line) = self.take_status_line()? else {
                return Ok(None);
            };
            if expect == Expect::Sasl && (line == b"+" || line.starts_with(b"+ ")) {
                let text = String::from_utf8_lossy(line.get(2..).unwrap_or_default());
                return Ok(Some(Response::Continue(text.into_owned())));
            }
            let status = StatusLine::parse(&line).ok_or_else(|| {
                let shown = String::from_utf8_lossy(&line[..line.len().min(120)]).into_owned();
                ReadError::NotAStatusLine(shown)
            })?;
            if expect != Expect::MultiLine || !status.ok {
                return Ok(Some(Response::Status(status)));
            }
            let body = Vec::with_capacity(announced_size(&status.text, self.limits.max_body));
            self.partial = Partial::Body {
                status,
                body,
                at_line_start: true,
                line_len: 0,
            };
        }
        self.read_body()
    }

    /// Takes one line ending in LF (CR LF or bare LF), without its line ending.
    fn take_status_line(&mut self) -> Result<Option<Vec<u8>>, ReadError> {
        let from = self.scan.max(self.start);
        match memchr::memchr(b'\n', &self.buf[from..]) {
            Some(offset) => {
                let end = from + offset;
                let mut line = &self.buf[self.start..end];
                if let Some(stripped) = line.strip_suffix(b"\r") {
                    line = stripped;
                }
                let line = line.to_vec();
                self.start = end + 1;
                self.scan = self.start;
                Ok(Some(line))
            }
            None => {
                self.scan = self.buf.len();
                let pending = self.buf.len() - self.start;
                if pending > self.limits.max_status_line {
                    return Err(ReadError::StatusLineTooLong(self.limits.max_status_line));
                }
                Ok(None)
            }
        }
    }

    fn read_body(&mut self) -> Result<Option<Response>, ReadError> {
        let Partial::Body {
            body,
            at_line_start,
            line_len,
            ..
        } = &mut self.partial
        else {
            return Ok(None);
        };
        loop {
            let rest = &self.buf[self.start..];
            if rest.is_empty() {
                return Ok(None);
            }
            if *at_line_start {
                // RFC 1939 §3: a line of just "." ends the body; any other line starting with
                // "." had one "." prepended by the server, which is removed here.
                if rest[0] == b'.' {
                    let Some(&next) = rest.get(1) else {
                        return Ok(None);
                    };
                    match next {
                        b'\n' => {
                            self.start += 2;
                            return Ok(Some(self.finish_body()));
                        }
                        b'\r' => {
                            // ".\r\n", or ".\r" alone from a broken server: a stuffed line can
                            // never start with ".\r", so either way the body ends here.
                            self.start += 2;
                            self.skip_lf = true;
                            if self.start < self.buf.len() {
                                if self.buf[self.start] == b'\n' {
                                    self.start += 1;
                                }
                                self.skip_lf = false;
                            }
                            return Ok(Some(self.finish_body()));
                        }
                        _ => self.start += 1,
                    }
                }
                *at_line_start = false;
                continue;
            }
            // Lines that do not start with "." need no unstuffing: take the whole run of them
            // up to the next line that does (or the end of what has arrived) in one copy.
            let rest = &self.buf[self.start..];
            let mut take = 0;
            let mut ended_line = false;
            while take < rest.len() {
                let (end, done) = match memchr::memchr(b'\n', &rest[take..]) {
                    Some(i) => (take + i + 1, true),
                    None => (rest.len(), false),
                };
                *line_len += end - take;
                if *line_len > self.limits.max_body_line {
                    return Err(ReadError::BodyLineTooLong(self.limits.max_body_line));
                }
                take = end;
                ended_line = done;
                if !done {
                    break;
                }
                *line_len = 0;
                if rest.get(take) == Some(&b'.') {
                    break;
                }
            }
            if body.len() + take > self.limits.max_body {
                return Err(ReadError::BodyTooLarge(self.limits.max_body));
            }
            body.extend_from_slice(&rest[..take]);
            self.start += take;
            *at_line_start = ended_line;
        }
    }

    fn finish_body(&mut self) -> Response {
        self.scan = self.start;
        match std::mem::replace(&mut self.partial, Partial::Idle) {
            Partial::Body { status, body, .. } => Response::MultiLine { status, body },
            // read_body is only entered in the Body state.
            Partial::Idle => Response::Status(StatusLine {
                ok: false,
                code: None,
                text: String::new(),
            }),
        }
    }
}

/// The body's size when the status line announces it, as RETR's usually does (`+OK 4123
/// octets`, RFC 1939 §7), so the body is allocated once instead of growing by doubling. A
/// TOP reply that announces the whole message's size reserves more than its headers need,
/// for as long as the partial message is held. Only a hint: capped, so a server announcing a huge size makes the reader reserve
/// at most [`MAX_RESERVED`] (address space it never touches unless the bytes come), and
/// never trusted for anything else.
fn announced_size(text: &str, max_body: usize) -> usize {
    text.split_ascii_whitespace()
        .next()
        .and_then(|word| word.parse::<usize>().ok())
        .map_or(0, |n| n.min(max_body).min(MAX_RESERVED))
}

/// The most a status line's announced size makes the reader reserve ahead.
const MAX_RESERVED: usize = 16 * 1024 * 1024;

/// Dot-stuffs a body for sending (RFC 1939 §3): every line starting with "." gets one more.
/// Used by tests and fake servers; the client itself only unstuffs.
pub fn dot_stuff(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 16);
    let mut at_line_start = true;
    for &byte in body {
        if at_line_start && byte == b'.' {
            out.push(b'.');
        }
        out.push(byte);
        at_line_start = byte == b'\n';
    }
    out
}

/// Frames a body as a complete multi-line `+OK` response, as a server would send it.
pub fn frame_multiline(body: &[u8]) -> Vec<u8> {
    let mut out = b"+OK\r\n".to_vec();
    out.extend_from_slice(&dot_stuff(body));
    if !body.is_empty() && !body.ends_with(b"\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_all(reader: &mut ResponseReader, expects: &[Expect]) -> Vec<Response> {
        let mut out = Vec::new();
        for &expect in expects {
            match reader.next_response(expect).expect("valid input") {
                Some(response) => out.push(response),
                None => break,
            }
        }
        out
    }

    /// Feeds `input` split at `split` (and then one byte at a time for the rest) and returns
    /// everything the reader yields for the given sequence of expectations.
    fn feed_split(input: &[u8], split: usize, expects: &[Expect]) -> Vec<Response> {
        let mut reader = ResponseReader::default();
        let mut out = Vec::new();
        let mut pending = expects.iter().copied().peekable();
        let mut pump = |reader: &mut ResponseReader, out: &mut Vec<Response>| {
            while let Some(&expect) = pending.peek() {
                match reader.next_response(expect).expect("valid input") {
                    Some(response) => {
                        out.push(response);
                        pending.next();
                    }
                    None => break,
                }
            }
        };
        reader.push(&input[..split]);
        pump(&mut reader, &mut out);
        for byte in &input[split..] {
            reader.push(std::slice::from_ref(byte));
            pump(&mut reader, &mut out);
        }
        out
    }

    fn ok(text: &str) -> StatusLine {
        StatusLine::parse(format!("+OK {text}").as_bytes()).expect("valid")
    }

    #[test]
    fn an_announced_size_is_only_a_hint_for_the_allocation() {
        // Right, too small, too large, absurd and not a number: the body is what was sent.
        for announced in [
            "23 octets",
            "1 octets",
            "900 octets",
            "99999999999999999999999",
            "x",
        ] {
            let mut reader = ResponseReader::default();
            reader.push(format!("+OK {announced}\r\nSubject: a\r\n\r\nbody\r\n.\r\n").as_bytes());
            let response = reader.next_response(Expect::MultiLine).expect("valid");
            let Some(Response::MultiLine { body, .. }) = response else {
                panic!("no body for {announced:?}: {response:?}");
            };
            assert_eq!(body, b"Subject: a\r\n\r\nbody\r\n");
        }
        assert_eq!(announced_size("4123 octets", usize::MAX), 4123);
        assert_eq!(announced_size("4123 octets", 100), 100);
        assert_eq!(
            announced_size("18446744073709551615 octets", usize::MAX),
            MAX_RESERVED
        );
        assert_eq!(announced_size("message follows", usize::MAX), 0);
        assert_eq!(announced_size("", usize::MAX), 0);
    }

    #[test]
    fn every_response_form_survives_a_split_at_every_byte() {
        let input: &[u8] = b"+OK POP3 ready <1.2@host>\r\n\
            + PDEyMzQ1Pg==\r\n\
            -ERR [IN-USE] locked\r\n\
            +OK 2 messages\r\n1 120\r\n2 3400\r\n.\r\n\
            +OK\r\n..leading dot\r\nplain\r\n.\r\n\
            -ERR no such message\r\n\
            +OK bye\r\n";
        let expects = [
            Expect::Status,
            Expect::Sasl,
            Expect::Status,
            Expect::MultiLine,
            Expect::MultiLine,
            Expect::MultiLine,
            Expect::Status,
        ];
        let whole = feed_split(input, input.len(), &expects);
        assert_eq!(whole.len(), 7);
        assert_eq!(whole[1], Response::Continue("PDEyMzQ1Pg==".into()));
        assert_eq!(
            whole[3],
            Response::MultiLine {
                status: ok("2 messages"),
                body: b"1 120\r\n2 3400\r\n".to_vec()
            }
        );
        assert_eq!(
            whole[4],
            Response::MultiLine {
                status: StatusLine::parse(b"+OK").expect("valid"),
                body: b".leading dot\r\nplain\r\n".to_vec()
            }
        );
        assert!(!whole[5].is_ok());
        for split in 0..input.len() {
            assert_eq!(
                feed_split(input, split, &expects),
                whole,
                "split at {split}"
            );
        }
    }

    #[test]
    fn bare_lf_line_endings_are_tolerated_and_kept_in_the_body() {
        let mut reader = ResponseReader::default();
        reader.push(b"+OK\nline one\n..two\n.\n+OK next\n");
        let got = read_all(&mut reader, &[Expect::MultiLine, Expect::Status]);
        assert_eq!(
            got[0],
            Response::MultiLine {
                status: StatusLine::parse(b"+OK").expect("valid"),
                body: b"line one\n.two\n".to_vec()
            }
        );
        assert_eq!(got[1], Response::Status(ok("next")));
    }

    #[test]
    fn cyrus_dot_cr_without_lf_ends_the_body() {
        // cyrus-imapd#4717: the final line was ".\r" with no LF; the next response follows.
        let mut reader = ResponseReader::default();
        reader.push(b"+OK\r\nbody\r\n.\r");
        let first = reader.next_response(Expect::MultiLine).expect("valid");
        assert_eq!(
            first,
            Some(Response::MultiLine {
                status: StatusLine::parse(b"+OK").expect("valid"),
                body: b"body\r\n".to_vec()
            })
        );
        reader.push(b"+OK bye\r\n");
        assert_eq!(
            reader.next_response(Expect::Status).expect("valid"),
            Some(Response::Status(ok("bye")))
        );
        // And when the LF does come later, it is swallowed, not taken for an empty line.
        reader.push(b"+OK\r\nx\r\n.\r");
        assert!(
            reader
                .next_response(Expect::MultiLine)
                .expect("valid")
                .is_some()
        );
        reader.push(b"\n+OK after\r\n");
        assert_eq!(
            reader.next_response(Expect::Status).expect("valid"),
            Some(Response::Status(ok("after")))
        );
        assert!(reader.is_clean());
    }

    #[test]
    fn empty_message_and_err_to_multiline_command() {
        let mut reader = ResponseReader::default();
        reader.push(b"+OK 0 octets\r\n.\r\n-ERR no such message\r\n");
        let got = read_all(&mut reader, &[Expect::MultiLine, Expect::MultiLine]);
        assert_eq!(
            got[0],
            Response::MultiLine {
                status: ok("0 octets"),
                body: Vec::new()
            }
        );
        assert_eq!(got[1].status().map(|s| s.ok), Some(false));
        assert!(reader.is_clean());
    }

    #[test]
    fn nul_and_eight_bit_bytes_pass_through_untouched() {
        let body: Vec<u8> = (0u8..=255).filter(|b| *b != b'\n' && *b != b'.').collect();
        let mut msg = body.clone();
        msg.extend_from_slice(b"\r\n");
        let mut reader = ResponseReader::default();
        reader.push(&frame_multiline(&msg));
        match reader.next_response(Expect::MultiLine).expect("valid") {
            Some(Response::MultiLine { body: got, .. }) => assert_eq!(got, msg),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_line_that_never_ends_is_an_error_at_the_bound() {
        let limits = Limits {
            max_status_line: 100,
            max_body_line: 1000,
            max_body: 1 << 20,
        };
        let mut reader = ResponseReader::new(limits);
        reader.push(&[b'x'; 101]);
        assert_eq!(
            reader.next_response(Expect::Status),
            Err(ReadError::StatusLineTooLong(100))
        );

        let mut reader = ResponseReader::new(limits);
        reader.push(b"+OK\r\n");
        for _ in 0..20 {
            reader.push(&[b'y'; 100]);
            if let Err(err) = reader.next_response(Expect::MultiLine) {
                assert_eq!(err, ReadError::BodyLineTooLong(1000));
                assert!(
                    reader.buffered() <= 100,
                    "the partial line is not buffered twice"
                );
                return;
            }
        }
        panic!("no error after 2000 bytes on one line");
    }

    #[test]
    fn a_body_over_the_limit_is_an_error() {
        let limits = Limits {
            max_status_line: 100,
            max_body_line: 100,
            max_body: 1000,
        };
        let mut reader = ResponseReader::new(limits);
        reader.push(b"+OK\r\n");
        let line = [b'z'; 50];
        let mut result = Ok(None);
        for _ in 0..30 {
            reader.push(&line);
            reader.push(b"\r\n");
            result = reader.next_response(Expect::MultiLine);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(ReadError::BodyTooLarge(1000)));
    }

    #[test]
    fn garbage_greeting_is_quoted_in_the_error() {
        let mut reader = ResponseReader::default();
        reader.push(b"220 smtp.example.com ESMTP\r\n");
        assert_eq!(
            reader.next_response(Expect::Status),
            Err(ReadError::NotAStatusLine(
                "220 smtp.example.com ESMTP".into()
            ))
        );
    }

    #[test]
    fn long_lines_inside_a_body_are_kept_whole() {
        let mut msg = vec![b'a'; 200_000];
        msg.extend_from_slice(b"\r\n.\r\n"); // this "." line must be stuffed by frame_multiline
        let framed = frame_multiline(&msg);
        let mut reader = ResponseReader::default();
        for chunk in framed.chunks(4096) {
            reader.push(chunk);
        }
        match reader.next_response(Expect::MultiLine).expect("valid") {
            Some(Response::MultiLine { body, .. }) => assert_eq!(body, msg),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn compacting_the_buffer_inside_a_body_keeps_the_scan_offset_valid() {
        // Found by the property below: after a body consumed bytes without the status-line
        // scanner moving, compaction underflowed the scan offset.
        let mut reader = ResponseReader::default();
        reader.push(b"+OK\r\n...\r\n");
        assert!(
            reader
                .next_response(Expect::MultiLine)
                .expect("valid")
                .is_none()
        );
        reader.push(b"..\r\n.\r\n");
        assert_eq!(
            reader.next_response(Expect::MultiLine).expect("valid"),
            Some(Response::MultiLine {
                status: StatusLine::parse(b"+OK").expect("valid"),
                body: b"..\r\n.\r\n".to_vec()
            })
        );
    }

    proptest! {
        // Failures are not written to a regressions folder; a case worth keeping becomes a
        // named test above.
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn unstuff_of_stuff_is_identity(body in proptest::collection::vec(
            prop_oneof![Just(b'.'), Just(b'\r'), Just(b'\n'), any::<u8>()], 0..400),
            split in 0usize..500)
        {
            let framed = frame_multiline(&body);
            let split = split.min(framed.len());
            let mut reader = ResponseReader::default();
            reader.push(&framed[..split]);
            let mut got = reader.next_response(Expect::MultiLine).expect("valid");
            if got.is_none() {
                reader.push(&framed[split..]);
                got = reader.next_response(Expect::MultiLine).expect("valid");
            }
            let mut expected = body.clone();
            if !expected.is_empty() && !expected.ends_with(b"\n") {
                expected.extend_from_slice(b"\r\n");
            }
            match got {
                Some(Response::MultiLine { body: unstuffed, .. }) => prop_assert_eq!(unstuffed, expected),
                other => prop_assert!(false, "unexpected {:?}", other),
            }
            prop_assert!(reader.is_clean());
        }
    }
}

//! The little HTTP/1.1 an OAuth client needs: one form POST to an endpoint and its answer.
//!
//! The connection is the POP3 engine's ([`connect_tcp`], [`start_tls`]): the same resolver,
//! IPv4 and IPv6, timeouts, and TLS through async-native-tls verified against the system's
//! roots. Each request has its own connection (`Connection: close`). The answer is read
//! with `Content-Length`, chunked transfer coding, or up to the end of the connection, and
//! is bounded ([`MAX_HEAD`], [`MAX_BODY`]).
//!
//! Plain `http://` is allowed only to this computer (`127.0.0.1` and the rest of
//! `127.0.0.0/8`, `::1`, `localhost`), for tests and local servers; any other host must use
//! https, otherwise the request is refused with [`OAuthError::Insecure`] before connecting.

use std::net::IpAddr;
use std::time::Duration;

use smol::io::{AsyncReadExt, AsyncWriteExt};

use super::OAuthError;
use crate::pop3::transport::{Stream, connect_tcp, start_tls, within};
use crate::pop3::{Endpoint, Security};

/// The most a response's status line and headers may take.
pub const MAX_HEAD: usize = 16 * 1024;
/// The most a response's body may take (token answers are a few kilobytes).
pub const MAX_BODY: usize = 256 * 1024;

/// An endpoint URL, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    /// `https` (true) or loopback `http`.
    pub secure: bool,
    /// The host: a name, an IPv4 address or an IPv6 address without brackets.
    pub host: String,
    /// The port (443 or 80 unless the URL says).
    pub port: u16,
    /// The path and query, starting with `/`.
    pub target: String,
}

impl HttpUrl {
    /// Splits `url`. Refuses plain http to a host that is not loopback
    /// ([`OAuthError::Insecure`]), other schemes, user information and fragments-only junk
    /// ([`OAuthError::Malformed`]).
    pub fn parse(url: &str) -> Result<Self, OAuthError> {
        let malformed = |why: &str| OAuthError::Malformed(format!("the URL {url} {why}"));
        let (secure, rest) = if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
            (true, rest)
        } else if let Some(rest) = strip_prefix_ignore_case(url, "http://") {
            (false, rest)
        } else {
            return Err(malformed("is neither https nor http"));
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(malformed("holds a user name"));
        }
        let (host, port) = split_host_port(authority).ok_or_else(|| malformed("has no host"))?;
        let port = match port {
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| malformed("has a bad port"))?,
            None if secure => 443,
            None => 80,
        };
        let tail = tail.split('#').next().unwrap_or("");
        let target = if tail.starts_with('/') {
            tail.to_owned()
        } else {
            format!("/{tail}")
        };
        if target.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(malformed("holds spaces or control characters"));
        }
        if !secure && !is_loopback_host(host) {
            return Err(OAuthError::Insecure {
                url: url.to_owned(),
            });
        }
        Ok(Self {
            secure,
            host: host.to_owned(),
            port,
            target,
        })
    }

    /// The `Host` header's value: the port only when it is not the scheme's.
    fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let default = if self.secure { 443 } else { 80 };
        if self.port == default {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `host[:port]` or `[v6][:port]`.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    (!host.is_empty()).then_some((host, port))
}

/// Whether `host` is this computer: `localhost`, `127.0.0.0/8` or `::1`.
pub fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A response: its status and its body, de-chunked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// What [`parse_response`] made of the bytes so far.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// More bytes are needed.
    Incomplete,
    /// The whole response.
    Complete(HttpResponse),
}

/// Reads a response from `buf`, the bytes received so far; `eof` says the server closed
/// the connection. Interim (1xx) responses are skipped. An error says what is broken.
pub fn parse_response(buf: &[u8], eof: bool) -> Result<Parsed, String> {
    let mut buf = buf;
    loop {
        let Some(head_end) = find(buf, b"\r\n\r\n") else {
            if buf.len() > MAX_HEAD {
                return Err(format!("the response's headers exceed {MAX_HEAD} bytes"));
            }
            return if eof {
                Err("the connection closed before the response's headers ended".into())
            } else {
                Ok(Parsed::Incomplete)
            };
        };
        if head_end > MAX_HEAD {
            return Err(format!("the response's headers exceed {MAX_HEAD} bytes"));
        }
        let head = std::str::from_utf8(&buf[..head_end])
            .map_err(|_| "the response's headers are not text".to_owned())?;
        let body = &buf[head_end + 4..];
        let mut lines = head.split("\r\n");
        let status = parse_status_line(lines.next().unwrap_or(""))?;
        if (100..200).contains(&status) {
            buf = body;
            continue;
        }
        let mut length = None;
        let mut chunked = false;
        let mut content_type = None;
        for line in lines {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("a header line is broken: {line:?}"))?;
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                let parsed = value
                    .parse::<usize>()
                    .map_err(|_| format!("Content-Length is not a number: {value:?}"))?;
                if length.is_some_and(|known| known != parsed) {
                    return Err("two different Content-Length headers".into());
                }
                length = Some(parsed);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value
                    .rsplit(',')
                    .next()
                    .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
            } else if name.eq_ignore_ascii_case("content-type") {
                content_type = Some(value.to_owned());
            }
        }
        let complete = |body: Vec<u8>| {
            Ok(Parsed::Complete(HttpResponse {
                status,
                content_type: content_type.clone(),
                body,
            }))
        };
        if status == 204 || status == 304 {
            return complete(Vec::new());
        }
        if chunked {
            return match dechunk(body)? {
                Some(body) => complete(body),
                None if eof => Err("the connection closed inside a chunked body".into()),
                None => Ok(Parsed::Incomplete),
            };
        }
        if let Some(length) = length {
            if length > MAX_BODY {
                return Err(format!("the response's body exceeds {MAX_BODY} bytes"));
            }
            return match body.get(..length) {
                Some(body) => complete(body.to_vec()),
                None if eof => Err("the connection closed before the body ended".into()),
                None => Ok(Parsed::Incomplete),
            };
        }
        if body.len() > MAX_BODY {
            return Err(format!("the response's body exceeds {MAX_BODY} bytes"));
        }
        return if eof {
            complete(body.to_vec())
        } else {
            Ok(Parsed::Incomplete)
        };
    }
}

fn parse_status_line(line: &str) -> Result<u16, String> {
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    let code = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") || code.len() != 3 {
        return Err(format!("not an HTTP/1.x status line: {line:?}"));
    }
    code.parse::<u16>()
        .ok()
        .filter(|c| (100..600).contains(c))
        .ok_or_else(|| format!("not an HTTP status: {code:?}"))
}

/// A chunked body (RFC 9112 §7.1), or `None` if it has not all arrived.
fn dechunk(mut data: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = find(data, b"\r\n") else {
            return if data.len() > 1024 {
                Err("a chunk size line is too long".into())
            } else {
                Ok(None)
            };
        };
        let line = std::str::from_utf8(&data[..line_end])
            .map_err(|_| "a chunk size is not text".to_owned())?;
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("a chunk size is not hexadecimal: {size_text:?}"))?;
        data = &data[line_end + 2..];
        if size == 0 {
            // Trailers, if any, up to the empty line.
            return Ok(
                if data.starts_with(b"\r\n") || find(data, b"\r\n\r\n").is_some() {
                    Some(out)
                } else {
                    None
                },
            );
        }
        if out.len() + size > MAX_BODY {
            return Err(format!("the response's body exceeds {MAX_BODY} bytes"));
        }
        let Some(chunk) = data.get(..size) else {
            return Ok(None);
        };
        match data.get(size..size + 2) {
            Some(b"\r\n") => {}
            Some(_) => return Err("a chunk does not end with CRLF".into()),
            None => return Ok(None),
        }
        out.extend_from_slice(chunk);
        data = &data[size + 2..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// POSTs `form` (as `application/x-www-form-urlencoded`) to `url` and reads the answer.
/// `timeout` bounds the connection and, separately, the whole exchange after it. The trace
/// names the URL and the status, never the form or the body.
pub async fn post_form(
    url: &str,
    form: &[(&str, &str)],
    timeout: Duration,
) -> Result<HttpResponse, OAuthError> {
    let target = HttpUrl::parse(url)?;
    let body = super::form::encode_pairs(form.iter().copied());
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: Poplar/{}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        target.target,
        target.host_header(),
        env!("CARGO_PKG_VERSION"),
        body.len(),
    );
    let security = if target.secure {
        Security::Tls
    } else {
        Security::None
    };
    let mut endpoint = Endpoint::new(target.host.clone(), security).with_port(target.port);
    endpoint.connect_timeout = timeout;
    endpoint.read_timeout = timeout;
    let network = |err: crate::pop3::Error| OAuthError::Network(err.to_string());
    let tcp = connect_tcp(&endpoint).await.map_err(network)?;
    let mut stream = if target.secure {
        let (tls, _) = start_tls(&endpoint, tcp).await.map_err(network)?;
        Stream::Tls(Box::new(tls))
    } else {
        Stream::Plain(tcp)
    };
    let exchange = async {
        stream.write_all(request.as_bytes()).await?;
        stream.flush().await?;
        let mut received = Vec::new();
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            let n = stream.read(&mut chunk).await?;
            received.extend_from_slice(&chunk[..n]);
            match parse_response(&received, n == 0) {
                Ok(Parsed::Complete(response)) => {
                    return Ok::<_, std::io::Error>(Ok(response));
                }
                Ok(Parsed::Incomplete) if received.len() <= MAX_HEAD + MAX_BODY + 64 * 1024 => {}
                Ok(Parsed::Incomplete) => {
                    return Ok(Err("the response is too large".to_owned()));
                }
                Err(why) => return Ok(Err(why)),
            }
        }
    };
    let response = match within(timeout, exchange).await {
        Some(Ok(Ok(response))) => response,
        Some(Ok(Err(why))) => return Err(OAuthError::Malformed(format!("{url}: {why}"))),
        Some(Err(err)) => {
            return Err(OAuthError::Network(format!(
                "{}:{}: {err}",
                target.host, target.port
            )));
        }
        None => {
            return Err(OAuthError::Network(format!(
                "{}:{}: no answer within {} s",
                target.host,
                target.port,
                timeout.as_secs()
            )));
        }
    };
    tracing::debug!(target: "poplar::oauth", "POST {url}: HTTP {}", response.status);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_urls_are_split_and_plain_http_is_allowed_only_to_this_computer() {
        let url = HttpUrl::parse("https://login.example.com/common/token?x=1").expect("ok");
        assert_eq!(
            url,
            HttpUrl {
                secure: true,
                host: "login.example.com".into(),
                port: 443,
                target: "/common/token?x=1".into(),
            }
        );
        assert_eq!(url.host_header(), "login.example.com");
        let local = HttpUrl::parse("http://127.0.0.1:8080/token").expect("loopback");
        assert_eq!(
            (local.port, local.host_header()),
            (8080, "127.0.0.1:8080".into())
        );
        let v6 = HttpUrl::parse("http://[::1]:9/t").expect("loopback v6");
        assert_eq!(
            (v6.host.as_str(), v6.host_header()),
            ("::1", "[::1]:9".into())
        );
        assert!(HttpUrl::parse("HTTP://LOCALHOST/").is_ok());
        assert_eq!(HttpUrl::parse("https://a.example").expect("ok").target, "/");
        for insecure in [
            "http://login.example.com/token",
            "http://192.168.1.1/token",
            "http://[2001:db8::1]/token",
            "http://127.0.0.1.example.com/",
        ] {
            assert_eq!(
                HttpUrl::parse(insecure),
                Err(OAuthError::Insecure {
                    url: insecure.into()
                }),
                "{insecure}"
            );
        }
        for broken in [
            "ftp://x/",
            "https://",
            "https://user@host/",
            "https://host:0/",
            "https://host:99999/",
            "https://host/a b",
        ] {
            assert!(
                matches!(HttpUrl::parse(broken), Err(OAuthError::Malformed(_))),
                "{broken}"
            );
        }
    }

    fn complete(raw: &[u8]) -> HttpResponse {
        match parse_response(raw, false) {
            Ok(Parsed::Complete(response)) => response,
            other => panic!("not complete: {other:?}"),
        }
    }

    #[test]
    fn a_response_with_content_length_is_complete_once_its_body_is_there() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}";
        for cut in 0..raw.len() {
            assert_eq!(parse_response(&raw[..cut], false), Ok(Parsed::Incomplete));
        }
        let response = complete(raw);
        assert_eq!(response.status, 200);
        assert_eq!(response.body, b"{\"a\":1}");
        assert_eq!(response.content_type.as_deref(), Some("application/json"));
        assert!(parse_response(&raw[..raw.len() - 1], true).is_err());
    }

    #[test]
    fn a_chunked_response_is_reassembled_and_interim_responses_are_skipped() {
        let raw = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"er\r\n5\r\nror\"}\r\n0\r\n\r\n";
        let response = complete(raw);
        assert_eq!(response.status, 400);
        assert_eq!(response.body, b"{\"error\"}");
        assert_eq!(
            parse_response(&raw[..raw.len() - 2], false),
            Ok(Parsed::Incomplete)
        );
        let bad = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n";
        assert!(parse_response(bad, false).is_err());
    }

    #[test]
    fn a_response_without_length_ends_with_the_connection() {
        let raw = b"HTTP/1.0 500 Internal Server Error\r\n\r\noops";
        assert_eq!(parse_response(raw, false), Ok(Parsed::Incomplete));
        match parse_response(raw, true) {
            Ok(Parsed::Complete(response)) => {
                assert_eq!((response.status, response.body), (500, b"oops".to_vec()))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn broken_or_oversized_responses_are_errors() {
        assert!(parse_response(b"SMTP 220 hi\r\n\r\n", false).is_err());
        assert!(parse_response(b"HTTP/1.1 2000 OK\r\n\r\n", false).is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nbroken\r\n\r\n", false).is_err());
        assert!(
            parse_response(
                b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                false
            )
            .is_err()
        );
        let huge = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        assert!(parse_response(huge.as_bytes(), false).is_err());
        let long_head = vec![b'a'; MAX_HEAD + 1];
        assert!(parse_response(&long_head, false).is_err());
    }
}

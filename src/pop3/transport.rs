//! The network transport: the only place in Poplar that opens sockets or speaks TLS.
//!
//! TCP through smol, TLS through async-native-tls (the platform's TLS library, so the system's
//! certificate store and its updates apply). Certificates are always verified, except that an
//! account may pin one exact certificate by its SHA-256 fingerprint, for self-signed servers.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use async_native_tls::{Certificate, Protocol, TlsConnector, TlsStream};
use sha2::{Digest, Sha256};
use smol::io::{AsyncRead, AsyncWrite};
use smol::net::TcpStream;

use super::error::{Error, ErrorKind};
use super::sasl::hex;

/// How the connection is protected (RFC 8314 prefers implicit TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Security {
    /// TLS from the first byte (POP3S, port 995). The default.
    #[default]
    Tls,
    /// Plain TCP upgraded with STLS (port 110). Required: never continues in cleartext.
    StartTls,
    /// No encryption at all; only when the user explicitly chose it.
    None,
}

impl Security {
    /// The usual port for this security mode.
    pub fn default_port(self) -> u16 {
        match self {
            Self::Tls => 995,
            Self::StartTls | Self::None => 110,
        }
    }
}

/// The words of the error when a pinned certificate is not the one the server shows (the
/// window looks for them to warn loudly).
pub const CERTIFICATE_CHANGED: &str = "the certificate changed since you trusted it";

/// Extra trust for servers whose certificate a public CA did not sign.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsTrust {
    /// A PEM file of CA certificates to trust in addition to the system's.
    pub ca_file: Option<PathBuf>,
    /// The SHA-256 of the one certificate (DER) to accept, whatever signed it.
    pub pinned_sha256: Option<[u8; 32]>,
}

/// Where and how to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Host name or IP address (IPv4 or IPv6).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// TLS, STARTTLS or none.
    pub security: Security,
    /// Additional trust anchors or a pinned certificate.
    pub trust: TlsTrust,
    /// Limit for the TCP connection and the TLS handshake.
    pub connect_timeout: Duration,
    /// Limit for each wait on the server, so a silent server gives an error, never a hang.
    pub read_timeout: Duration,
}

impl Endpoint {
    /// An endpoint with default timeouts (60 s) and the usual port for `security`.
    pub fn new(host: impl Into<String>, security: Security) -> Self {
        Self {
            host: host.into(),
            port: security.default_port(),
            security,
            trust: TlsTrust::default(),
            connect_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
        }
    }

    /// The same endpoint on another port.
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
}

/// A TLS protocol version Poplar speaks (1.2 is the least it accepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TlsVersion {
    /// TLS 1.2.
    Tls12,
    /// TLS 1.3.
    Tls13,
}

impl TlsVersion {
    /// As people write it: "TLS 1.3".
    pub fn name(self) -> &'static str {
        match self {
            Self::Tls12 => "TLS 1.2",
            Self::Tls13 => "TLS 1.3",
        }
    }

    fn protocol(self) -> Protocol {
        match self {
            Self::Tls12 => Protocol::Tlsv12,
            Self::Tls13 => Protocol::Tlsv13,
        }
    }
}

/// What the TLS handshake established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsInfo {
    /// The server certificate, DER.
    pub certificate_der: Vec<u8>,
    /// SHA-256 of the certificate, for pinning and display.
    pub certificate_sha256: [u8; 32],
    /// The protocol version, when known. native-tls does not report it, so [`Client`]
    /// offers TLS 1.3 alone first and TLS 1.2 only to a server that refuses that: then the
    /// version of the connection follows from which attempt succeeded.
    ///
    /// [`Client`]: super::Client
    pub version: Option<TlsVersion>,
}

/// How a TLS handshake offering at least some version failed.
#[derive(Debug)]
pub(crate) enum TlsFailure {
    /// The handshake itself failed for another reason than the certificate (the server
    /// refused the versions offered, say): a lower floor may succeed.
    Handshake(Error),
    /// Anything else (a broken connection, a timeout, a changed pin).
    Other(Error),
}

impl From<TlsFailure> for Error {
    fn from(failure: TlsFailure) -> Self {
        match failure {
            TlsFailure::Handshake(err) | TlsFailure::Other(err) => err,
        }
    }
}

impl TlsInfo {
    /// The fingerprint as colon-separated upper-case hex, as certificate viewers show it.
    pub fn fingerprint(&self) -> String {
        fingerprint_hex(&self.certificate_sha256)
    }
}

/// Colon-separated upper-case hex of a SHA-256 fingerprint.
pub fn fingerprint_hex(sha256: &[u8; 32]) -> String {
    hex(sha256)
        .to_ascii_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).into_owned())
        .collect::<Vec<_>>()
        .join(":")
}

/// Parses a SHA-256 fingerprint written as hex, with or without colons.
pub fn parse_fingerprint(text: &str) -> Option<[u8; 32]> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| *b != b':' && !b.is_ascii_whitespace())
        .collect();
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(digits.chunks(2)) {
        let text = std::str::from_utf8(pair).ok()?;
        *slot = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

/// A connection, plain or TLS, readable and writable.
#[derive(Debug)]
pub enum Stream {
    /// Plain TCP (before STLS, or security none).
    Plain(TcpStream),
    /// TLS over TCP.
    Tls(Box<TlsStream<TcpStream>>),
    /// No connection: only while STLS swaps plain TCP for TLS, or after that failed.
    Gone,
}

fn gone() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotConnected,
        "the connection was lost during STARTTLS",
    )
}

impl Stream {
    /// True when the connection is encrypted.
    pub fn is_tls(&self) -> bool {
        matches!(self, Self::Tls(_))
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
            Self::Tls(tls) => Pin::new(tls.as_mut()).poll_read(cx, buf),
            Self::Gone => Poll::Ready(Err(gone())),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
            Self::Tls(tls) => Pin::new(tls.as_mut()).poll_write(cx, buf),
            Self::Gone => Poll::Ready(Err(gone())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
            Self::Tls(tls) => Pin::new(tls.as_mut()).poll_flush(cx),
            Self::Gone => Poll::Ready(Err(gone())),
        }
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(tcp) => Pin::new(tcp).poll_close(cx),
            Self::Tls(tls) => Pin::new(tls.as_mut()).poll_close(cx),
            Self::Gone => Poll::Ready(Ok(())),
        }
    }
}

/// Runs `future`, or gives `None` after `limit`.
pub async fn within<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
    smol::future::or(async { Some(future.await) }, async {
        smol::Timer::after(limit).await;
        None
    })
    .await
}

/// Opens the TCP connection (every address the name resolves to, IPv4 and IPv6, in order).
pub async fn connect_tcp(endpoint: &Endpoint) -> Result<TcpStream, Error> {
    let target = (endpoint.host.as_str(), endpoint.port);
    let server = endpoint.host.clone();
    let timeout = || {
        Error::new(
            ErrorKind::Timeout,
            "connect to",
            format!("{server}:{}", endpoint.port),
            format!("no answer within {} s", endpoint.connect_timeout.as_secs()),
        )
    };
    // The name first, so that a name that does not resolve is told apart from a server
    // that does not answer.
    let addresses = match within(endpoint.connect_timeout, smol::net::resolve(target)).await {
        Some(Ok(addresses)) if !addresses.is_empty() => addresses,
        Some(Ok(_)) => {
            return Err(Error::new(
                ErrorKind::Connect,
                "connect to",
                format!("{server}:{}", endpoint.port),
                "the name has no address",
            )
            .with_cause(super::Cause::NameNotFound));
        }
        Some(Err(err)) => {
            return Err(Error::new(
                ErrorKind::Connect,
                "connect to",
                format!("{server}:{}", endpoint.port),
                err.to_string(),
            )
            .with_cause(super::Cause::NameNotFound));
        }
        None => return Err(timeout()),
    };
    match within(endpoint.connect_timeout, TcpStream::connect(&addresses[..])).await {
        Some(Ok(tcp)) => {
            // Commands are small and pipelined: send each batch at once, not after an ACK.
            let _ = tcp.set_nodelay(true);
            Ok(tcp)
        }
        Some(Err(err)) => {
            let refused = err.kind() == std::io::ErrorKind::ConnectionRefused;
            let error = Error::new(
                ErrorKind::Connect,
                "connect to",
                format!("{server}:{}", endpoint.port),
                err.to_string(),
            );
            Err(if refused {
                error.with_cause(super::Cause::Refused)
            } else {
                error
            })
        }
        None => Err(timeout()),
    }
}

/// Runs the TLS handshake on `tcp`, verifying the certificate (or the pin); TLS 1.2 or
/// newer.
pub async fn start_tls(
    endpoint: &Endpoint,
    tcp: TcpStream,
) -> Result<(TlsStream<TcpStream>, TlsInfo), Error> {
    Ok(start_tls_from(endpoint, tcp, TlsVersion::Tls12).await?)
}

/// Runs the TLS handshake on `tcp` offering `floor` or newer, verifying the certificate (or
/// the pin). With a floor of 1.3, a connection that succeeds is known to be TLS 1.3.
pub(crate) async fn start_tls_from(
    endpoint: &Endpoint,
    tcp: TcpStream,
    floor: TlsVersion,
) -> Result<(TlsStream<TcpStream>, TlsInfo), TlsFailure> {
    let other = |detail: String| TlsFailure::Other(tls_error(endpoint, detail));
    let mut builder = native_tls::TlsConnector::builder();
    builder.min_protocol_version(Some(floor.protocol()));
    if endpoint.trust.pinned_sha256.is_some() {
        // With a pin the system's CA list is never consulted. (It is still parsed, about
        // 40 ms per connection with OpenSSL 3: native-tls loads it before this takes effect,
        // and async-native-tls builds a new connector for every connection.)
        builder.disable_built_in_roots(true);
    }
    let mut connector = TlsConnector::from(builder);
    if let Some(path) = &endpoint.trust.ca_file {
        let pem = std::fs::read(path)
            .map_err(|err| other(format!("cannot read the CA file {}: {err}", path.display())))?;
        let certs = Certificate::stack_from_pem(&pem)
            .map_err(|err| other(format!("the CA file {} is not PEM: {err}", path.display())))?;
        if certs.is_empty() {
            return Err(other(format!(
                "the CA file {} holds no certificate",
                path.display()
            )));
        }
        for cert in certs {
            connector = connector.add_root_certificate(cert);
        }
    }
    if endpoint.trust.pinned_sha256.is_some() {
        // The pin replaces the CA and host-name checks: the exact certificate is what is
        // trusted. The fingerprint is compared right after the handshake, before any byte of
        // POP3 (and so any credential) goes over the connection.
        connector = connector
            .danger_accept_invalid_certs(true)
            .danger_accept_invalid_hostnames(true);
    }
    let tls = handshake(endpoint, connector, tcp).await?;
    let (der, sha256) = peer_certificate(endpoint, &tls).map_err(TlsFailure::Other)?;
    if let Some(pinned) = endpoint.trust.pinned_sha256
        && pinned != sha256
    {
        return Err(TlsFailure::Other(
            tls_error(
                endpoint,
                format!(
                    "{CERTIFICATE_CHANGED}: it is now {}, but the trusted one is {}; \
                     Poplar will not connect until you decide (File > Accounts…, Test connection)",
                    fingerprint_hex(&sha256),
                    fingerprint_hex(&pinned)
                ),
            )
            .with_cause(super::Cause::CertificateChanged),
        ));
    }
    Ok((
        tls,
        TlsInfo {
            certificate_der: der,
            certificate_sha256: sha256,
            // Offering 1.3 alone, the connection is 1.3; offering 1.2 too, it may be either.
            version: (floor == TlsVersion::Tls13).then_some(TlsVersion::Tls13),
        },
    ))
}

fn tls_error(endpoint: &Endpoint, detail: impl Into<String>) -> Error {
    Error::new(
        ErrorKind::Tls,
        "make a secure connection to",
        &endpoint.host,
        detail,
    )
}

/// The TLS handshake on `tcp` within the connect timeout. A failure that a lower version
/// floor may fix is a [`TlsFailure::Handshake`]; a refused certificate, a broken connection
/// or a timeout is not.
async fn handshake(
    endpoint: &Endpoint,
    connector: TlsConnector,
    tcp: TcpStream,
) -> Result<TlsStream<TcpStream>, TlsFailure> {
    match within(
        endpoint.connect_timeout,
        connector.connect(endpoint.host.as_str(), tcp),
    )
    .await
    {
        Some(Ok(tls)) => Ok(tls),
        Some(Err(err)) if handshake_lost_connection(&err) => Err(TlsFailure::Other(Error::new(
            ErrorKind::Closed,
            "make a secure connection to",
            &endpoint.host,
            format!("the connection broke during the TLS handshake ({err})"),
        ))),
        Some(Err(err)) => {
            let text = err.to_string();
            // A certificate the checks refused stays refused whatever the version: trying
            // again would only repeat it.
            Err(if text.contains("certificate") {
                TlsFailure::Other(tls_error(endpoint, text))
            } else {
                TlsFailure::Handshake(tls_error(endpoint, text))
            })
        }
        None => Err(TlsFailure::Other(Error::new(
            ErrorKind::Timeout,
            "make a secure connection to",
            &endpoint.host,
            "the TLS handshake did not finish in time",
        ))),
    }
}

/// The server's certificate (DER) on an established connection, and its SHA-256.
fn peer_certificate(
    endpoint: &Endpoint,
    tls: &TlsStream<TcpStream>,
) -> Result<(Vec<u8>, [u8; 32]), Error> {
    let der = match tls.peer_certificate() {
        Ok(Some(cert)) => cert
            .to_der()
            .map_err(|err| tls_error(endpoint, err.to_string()))?,
        Ok(None) => return Err(tls_error(endpoint, "the server sent no certificate")),
        Err(err) => return Err(tls_error(endpoint, err.to_string())),
    };
    let sha256 = Sha256::digest(&der).into();
    Ok((der, sha256))
}

/// True when a handshake failed because the connection broke (an I/O error, or the peer
/// hanging up mid-handshake), not because of the certificate or the protocol: the first is
/// worth retrying, the second needs the user.
fn handshake_lost_connection(err: &async_native_tls::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = source {
        if current.downcast_ref::<io::Error>().is_some() {
            return true;
        }
        source = current.source();
    }
    let text = err.to_string().to_ascii_lowercase();
    [
        "unexpected eof",
        "connection reset",
        "broken pipe",
        "connection refused",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// What a handshake made only to look at the server's TLS is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inspect {
    /// Accept any certificate, to show one the user has not trusted (yet).
    AnyCertificate,
    /// Offer TLS 1.3 only (any certificate): a handshake that succeeds means the server
    /// speaks TLS 1.3. native-tls cannot tell the version of a connection it made, so the
    /// connection test asks this way.
    Tls13Only,
}

/// A TLS handshake on `tcp` only to look: the certificate is returned and the connection
/// closed. Nothing is sent over it, so no POP3 command and no credential ever travels over a
/// connection whose certificate was not checked.
pub async fn inspect_tls(
    endpoint: &Endpoint,
    tcp: TcpStream,
    inspect: Inspect,
) -> Result<TlsInfo, Error> {
    let minimum = match inspect {
        Inspect::AnyCertificate => Protocol::Tlsv12,
        Inspect::Tls13Only => Protocol::Tlsv13,
    };
    let mut builder = native_tls::TlsConnector::builder();
    builder.min_protocol_version(Some(minimum));
    builder.disable_built_in_roots(true);
    let connector = TlsConnector::from(builder)
        .danger_accept_invalid_certs(true)
        .danger_accept_invalid_hostnames(true);
    let tls = handshake(endpoint, connector, tcp).await?;
    let (der, sha256) = peer_certificate(endpoint, &tls)?;
    drop(tls);
    Ok(TlsInfo {
        certificate_der: der,
        certificate_sha256: sha256,
        version: (inspect == Inspect::Tls13Only).then_some(TlsVersion::Tls13),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_round_trip_with_and_without_colons() {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i * 7) as u8);
        let shown = fingerprint_hex(&bytes);
        assert_eq!(shown.len(), 32 * 3 - 1);
        assert_eq!(parse_fingerprint(&shown), Some(bytes));
        assert_eq!(
            parse_fingerprint(&shown.replace(':', "").to_lowercase()),
            Some(bytes)
        );
        assert_eq!(parse_fingerprint("abc"), None);
        assert_eq!(parse_fingerprint(&"zz".repeat(32)), None);
    }

    #[test]
    fn default_ports_follow_rfc_8314() {
        assert_eq!(Endpoint::new("h", Security::Tls).port, 995);
        assert_eq!(Endpoint::new("h", Security::StartTls).port, 110);
        assert_eq!(Security::default(), Security::Tls);
    }
}

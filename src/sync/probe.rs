//! "Test connection": connect to a server as the accounts dialog describes it, log in if a
//! password is at hand, and report what was found in words people can act on: the TLS
//! version, the certificate, the capabilities, the login mechanism, or why it failed.
//!
//! A certificate that is not trusted is fetched again by a handshake that accepts any
//! certificate and sends nothing (see [`inspect_tls`]), so the dialog can show it and offer
//! to pin it. Runs on its own thread ([`spawn`]); dropping the handle cancels it.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use crate::account::AccountSettings;
pub use crate::pop3::TlsVersion;
use crate::pop3::certificate::CertificateInfo;
use crate::pop3::transport::{Inspect, connect_tcp, inspect_tls};
use crate::pop3::{
    AuthMethod, Client, ClientConfig, Credentials, Endpoint, Error, ErrorKind, Secret, Security,
    TlsTrust,
};

use super::error::SyncError;
use super::secrets::Secrets;

/// Where the test takes the password from.
#[derive(Clone)]
pub enum ProbePassword {
    /// Typed in the dialog.
    Given(Secret),
    /// The account's own source (its keyring entry or password command), read on the test's
    /// thread.
    Stored(Box<AccountSettings>, Arc<dyn Secrets>),
    /// None: connect and read the capabilities only.
    Skip,
}

impl std::fmt::Debug for ProbePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Given(_) => "Given(****)",
            Self::Stored(..) => "Stored",
            Self::Skip => "Skip",
        })
    }
}

/// What to test.
#[derive(Debug, Clone)]
pub struct ProbeRequest {
    /// Server host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Security.
    pub security: Security,
    /// Extra trust: a CA file or a pinned certificate.
    pub trust: TlsTrust,
    /// User name.
    pub user: String,
    /// The password.
    pub password: ProbePassword,
    /// Authentication method.
    pub auth: AuthMethod,
    /// Limit for connecting and for each answer.
    pub timeout: Duration,
}

/// How the test ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeOutcome {
    /// Connected and logged in.
    LoggedIn {
        /// Messages on the server.
        messages: u32,
        /// Their size in bytes.
        bytes: u64,
    },
    /// Connected; no login was tried.
    NoPassword {
        /// Why there was no password.
        reason: String,
    },
    /// The certificate is not trusted by this computer; its details are in the report.
    Untrusted {
        /// What the TLS library said.
        reason: String,
        /// Why, where the TLS library's words are known ones.
        why: Distrust,
    },
    /// The certificate differs from the pinned one; the new one is in the report.
    PinChanged {
        /// The fingerprint that was trusted.
        pinned: [u8; 32],
    },
    /// Something failed.
    Failed {
        /// What kind of failure.
        kind: ErrorKind,
        /// The failure with its facts, for the words the window chooses
        /// (`app::trouble::explain_test_in`).
        error: SyncError,
        /// The error, naming the server and quoting its reply.
        detail: String,
    },
}

/// What the test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    /// `host:port`.
    pub server: String,
    /// The TLS version, when the connection was encrypted.
    pub tls_version: Option<TlsVersion>,
    /// The server's certificate.
    pub certificate: Option<CertificateInfo>,
    /// The CAPA lines (empty when the server announced none).
    pub capabilities: Vec<String>,
    /// The mechanism the login used, e.g. "CRAM-MD5".
    pub auth_used: Option<String>,
    /// How it ended.
    pub outcome: ProbeOutcome,
}

impl ProbeReport {
    /// True when everything that was tried worked.
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, ProbeOutcome::LoggedIn { .. })
    }
}

fn failed(err: &Error) -> ProbeOutcome {
    ProbeOutcome::Failed {
        kind: err.kind(),
        error: SyncError::from(err.clone()),
        detail: err.to_string(),
    }
}

impl ProbeRequest {
    fn endpoint(&self) -> Endpoint {
        let mut endpoint = Endpoint::new(self.host.trim(), self.security).with_port(self.port);
        endpoint.trust = self.trust.clone();
        endpoint.connect_timeout = self.timeout;
        endpoint.read_timeout = self.timeout;
        endpoint
    }
}

/// Runs the test. Never panics and never fails: every outcome is a report.
pub async fn test_connection(request: &ProbeRequest) -> ProbeReport {
    let endpoint = request.endpoint();
    let server = format!("{}:{}", endpoint.host, endpoint.port);
    let mut report = ProbeReport {
        server: server.clone(),
        tls_version: None,
        certificate: None,
        capabilities: Vec::new(),
        auth_used: None,
        outcome: ProbeOutcome::NoPassword {
            reason: String::new(),
        },
    };
    let config = ClientConfig::new(endpoint.clone());
    let mut client = match Client::connect(&config).await {
        Ok(client) => client,
        Err(err) => {
            report.outcome = failed(&err);
            if err.kind() == ErrorKind::Tls && request.security != Security::None {
                classify_tls_failure(&endpoint, &err, &mut report).await;
            }
            return report;
        }
    };
    report.certificate = client
        .tls()
        .map(|tls| CertificateInfo::from_der(&tls.certificate_der));
    let connected_version = client.tls().and_then(|tls| tls.version);
    if client.capabilities().announced {
        report.capabilities = client.capabilities().lines.clone();
    }
    let password = match &request.password {
        ProbePassword::Given(secret) => Ok(secret.clone()),
        ProbePassword::Stored(account, secrets) => {
            let account = account.clone();
            let secrets = Arc::clone(secrets);
            if super::grant::signs_in_itself(&account) {
                super::grant::access_token(secrets, &account, false)
                    .await
                    .map_err(|err| err.to_string())
            } else {
                // The keyring and password commands block: off the executor.
                smol::unblock(move || secrets.password(&account))
                    .await
                    .map_err(|err| err.to_string())
            }
        }
        ProbePassword::Skip => Err("no password was given, so Poplar did not log in".into()),
    };
    match password {
        Err(reason) => {
            report.outcome = ProbeOutcome::NoPassword { reason };
            let _ = client.quit().await;
        }
        Ok(secret) => {
            let credentials = Credentials {
                user: request.user.trim().to_owned(),
                secret,
                method: request.auth,
            };
            match client.login(&credentials).await {
                Ok(()) => {
                    report.auth_used = client.auth_used().map(str::to_owned);
                    // Some servers announce more after login (RFC 2449 §5); the SASL list
                    // is only announced before it. Both, once each.
                    for line in &client.capabilities().lines {
                        if !report.capabilities.contains(line) {
                            report.capabilities.push(line.clone());
                        }
                    }
                    report.outcome = match client.stat().await {
                        Ok((messages, bytes)) => ProbeOutcome::LoggedIn { messages, bytes },
                        Err(err) => failed(&err),
                    };
                }
                Err(err) => report.outcome = failed(&err),
            }
            // Never DELE here: QUIT only ends the session.
            let _ = client.quit().await;
        }
    }
    if request.security != Security::None {
        // The client knows its connection's version; only if it did not, a handshake to look.
        report.tls_version = Some(match connected_version {
            Some(version) => version,
            None => tls_version(&endpoint).await,
        });
    }
    report
}

/// TLS 1.3 if a handshake offering only 1.3 succeeds; otherwise 1.2 (the least Poplar
/// accepts, so the connection that worked used it).
async fn tls_version(endpoint: &Endpoint) -> TlsVersion {
    match peek(endpoint, Inspect::Tls13Only).await {
        Ok(_) => TlsVersion::Tls13,
        Err(_) => TlsVersion::Tls12,
    }
}

/// A handshake only to look (STARTTLS: after CAPA and STLS in plain text, nothing else).
async fn peek(endpoint: &Endpoint, inspect: Inspect) -> Result<CertificateInfo, Error> {
    let tcp = match endpoint.security {
        Security::Tls => connect_tcp(endpoint).await?,
        Security::StartTls | Security::None => {
            let mut plain = endpoint.clone();
            plain.security = Security::None;
            Client::connect(&ClientConfig::new(plain))
                .await?
                .into_stls_tcp()
                .await?
        }
    };
    let info = inspect_tls(endpoint, tcp, inspect).await?;
    Ok(CertificateInfo::from_der(&info.certificate_der))
}

/// After a TLS failure: fetch the certificate without trusting it, to tell an untrusted
/// certificate and a changed pin (which the user can decide on) from other failures.
async fn classify_tls_failure(endpoint: &Endpoint, err: &Error, report: &mut ProbeReport) {
    let Ok(certificate) = peek(endpoint, Inspect::AnyCertificate).await else {
        return;
    };
    let sha256 = certificate.sha256;
    report.certificate = Some(certificate);
    report.tls_version = Some(tls_version(endpoint).await);
    report.outcome = match endpoint.trust.pinned_sha256 {
        Some(pinned) if pinned != sha256 => ProbeOutcome::PinChanged { pinned },
        // The pinned certificate itself: something else failed.
        Some(_) => return,
        None => {
            let reason = verify_reason(err.detail());
            ProbeOutcome::Untrusted {
                why: Distrust::from_reason(&reason),
                reason,
            }
        }
    };
}

/// The words OpenSSL puts last, in parentheses ("self-signed certificate", "certificate has
/// expired", "unable to get local issuer certificate"), without its error codes and source
/// file; the whole text when it has no such part.
fn verify_reason(detail: &str) -> String {
    let trimmed = detail.trim_end().trim_end_matches(')');
    match trimmed.rfind('(') {
        Some(open) if detail.contains("verify failed") && open + 1 < trimmed.len() => {
            trimmed[open + 1..].trim().to_owned()
        }
        _ => detail.to_owned(),
    }
}

/// Why a certificate is not trusted, read once from the TLS library's words (OpenSSL's
/// verify messages; native-tls gives no typed reason), so the window can say it in the
/// user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distrust {
    /// The server signed its own certificate.
    SelfSigned,
    /// The chain ends in a root this computer does not know, which signed itself.
    UnknownRoot,
    /// No known authority issued it.
    UnknownIssuer,
    /// It has expired.
    Expired,
    /// It is not valid yet.
    NotYetValid,
    /// It is made out for other names than the server's.
    OtherName,
    /// Anything else: the library's words are shown as they are.
    Other,
}

impl Distrust {
    /// Reads OpenSSL's reason ("self-signed certificate", "certificate has expired", …).
    pub fn from_reason(reason: &str) -> Self {
        let reason = reason
            .to_ascii_lowercase()
            .replace("self signed", "self-signed");
        if reason.contains("self-signed certificate in certificate chain") {
            Self::UnknownRoot
        } else if reason.contains("self-signed certificate") {
            Self::SelfSigned
        } else if reason.contains("unable to get local issuer")
            || reason.contains("unable to get issuer")
            || reason.contains("unable to verify the first certificate")
        {
            Self::UnknownIssuer
        } else if reason.contains("has expired") {
            Self::Expired
        } else if reason.contains("not yet valid") {
            Self::NotYetValid
        } else if reason.contains("hostname mismatch") || reason.contains("host name mismatch") {
            Self::OtherName
        } else {
            Self::Other
        }
    }
}

/// A test running on the `poplar-probe` thread. Dropping it cancels the test (its sockets
/// close with it).
#[derive(Debug)]
pub struct ProbeHandle {
    _cancel: smol::channel::Sender<()>,
    results: mpsc::Receiver<ProbeReport>,
}

impl ProbeHandle {
    /// The report, once it is there.
    pub fn try_result(&self) -> Option<ProbeReport> {
        self.results.try_recv().ok()
    }
}

/// Starts a test on its own thread; `waker` is called when the report is ready.
pub fn spawn(
    request: ProbeRequest,
    waker: Arc<dyn Fn() + Send + Sync>,
) -> std::io::Result<ProbeHandle> {
    let (cancel, cancelled) = smol::channel::bounded::<()>(1);
    let (sender, results) = mpsc::channel();
    std::thread::Builder::new()
        .name("poplar-probe".into())
        .spawn(move || {
            let report = smol::block_on(smol::future::or(
                async { Some(test_connection(&request).await) },
                async {
                    // Ends when the handle is dropped (the sender closes).
                    let _ = cancelled.recv().await;
                    None
                },
            ));
            if let Some(report) = report
                && sender.send(report).is_ok()
            {
                waker();
            }
        })?;
    Ok(ProbeHandle {
        _cancel: cancel,
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_librarys_reasons_are_read_once_into_a_kind() {
        for (reason, why) in [
            ("self-signed certificate", Distrust::SelfSigned),
            ("self signed certificate", Distrust::SelfSigned),
            (
                "self-signed certificate in certificate chain",
                Distrust::UnknownRoot,
            ),
            (
                "unable to get local issuer certificate",
                Distrust::UnknownIssuer,
            ),
            ("certificate has expired", Distrust::Expired),
            ("certificate is not yet valid", Distrust::NotYetValid),
            ("Hostname mismatch", Distrust::OtherName),
            ("something new", Distrust::Other),
        ] {
            assert_eq!(Distrust::from_reason(reason), why, "{reason}");
        }
    }
    use crate::i18n::Language;

    /// A test of port 1 on loopback, where nothing listens.
    fn refused_port(password: ProbePassword) -> ProbeRequest {
        ProbeRequest {
            host: "127.0.0.1".into(),
            port: 1,
            security: Security::Tls,
            trust: TlsTrust::default(),
            user: "anna".into(),
            password,
            auth: AuthMethod::Automatic,
            timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn a_refused_port_is_reported_in_plain_words() {
        let report = smol::block_on(test_connection(&refused_port(ProbePassword::Skip)));
        match &report.outcome {
            ProbeOutcome::Failed {
                kind,
                error,
                detail,
            } => {
                assert_eq!(*kind, ErrorKind::Connect);
                assert_eq!(error.facts().cause, Some(crate::pop3::Cause::Refused));
                let words = crate::app::trouble::explain_test_in(Language::English, error);
                assert!(
                    words.headline.contains("127.0.0.1:1 accepts no connection"),
                    "{}",
                    words.headline
                );
                assert!(detail.contains("127.0.0.1:1"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
        assert!(!report.succeeded());
        assert_eq!(report.certificate, None);
    }

    #[test]
    fn openssl_verify_errors_are_cut_to_their_words() {
        assert_eq!(
            verify_reason(
                "error:0A000086:SSL routines:tls_post_process_server_certificate:certificate \
                 verify failed:../ssl/statem/statem_clnt.c:1889: (self-signed certificate)"
            ),
            "self-signed certificate"
        );
        assert_eq!(verify_reason("handshake failure"), "handshake failure");
    }

    #[test]
    fn the_password_never_shows_in_debug() {
        let request = refused_port(ProbePassword::Given(Secret::new("hunter2")));
        assert!(!format!("{request:?}").contains("hunter2"));
    }

    #[test]
    fn dropping_the_handle_cancels_the_test_and_closes_its_connection() {
        use std::io::Read as _;
        use std::sync::atomic::{AtomicBool, Ordering};
        // A server that accepts and never greets: the test waits for the greeting.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let mut request = refused_port(ProbePassword::Skip);
        request.port = listener.local_addr().expect("address").port();
        request.security = Security::None;
        request.timeout = Duration::from_secs(30);
        let woken = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&woken);
        let handle = spawn(
            request,
            Arc::new(move || flag.store(true, Ordering::SeqCst)),
        )
        .expect("thread");
        let (mut conn, _) = listener.accept().expect("the test connects");
        drop(handle);
        conn.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let mut byte = [0u8; 1];
        assert_eq!(
            conn.read(&mut byte).expect("closed, not timed out"),
            0,
            "the test closed its connection when cancelled"
        );
        assert!(
            !woken.load(Ordering::SeqCst),
            "a cancelled test reports nothing"
        );
    }
}

//! `poplar serverinfo`: what a server offers, without logging in.

use std::path::PathBuf;
use std::time::Duration;

use super::output::print;
use super::{CliError, SecurityArg};
use crate::pop3::transport::{fingerprint_hex, parse_fingerprint};
use crate::pop3::{Client, ClientConfig, Endpoint, Security, TlsTrust};

/// Arguments of `poplar serverinfo`.
#[derive(Debug, clap::Args)]
pub struct ServerinfoArgs {
    /// Server host name or address.
    #[arg(long)]
    pub host: String,
    /// Port (default: 995 with TLS, 110 otherwise).
    #[arg(long)]
    pub port: Option<u16>,
    /// Connection security.
    #[arg(long, value_enum, default_value = "tls")]
    pub security: SecurityArg,
    /// A PEM file of extra CA certificates to trust.
    #[arg(long)]
    pub ca_file: Option<PathBuf>,
    /// Trust exactly the certificate with this SHA-256 fingerprint (hex, colons allowed).
    #[arg(long)]
    pub pin_sha256: Option<String>,
    /// Seconds to wait for the server before giving up.
    #[arg(long, default_value_t = 30)]
    pub timeout_seconds: u64,
}

pub(super) fn run(args: &ServerinfoArgs) -> Result<(), CliError> {
    let security = Security::from(args.security);
    let mut endpoint = Endpoint::new(args.host.clone(), security);
    if let Some(port) = args.port {
        endpoint.port = port;
    }
    let pinned_sha256 =
        match &args.pin_sha256 {
            Some(text) => Some(parse_fingerprint(text).ok_or_else(|| {
                CliError::new("--pin-sha256 takes 64 hex digits (colons allowed)")
            })?),
            None => None,
        };
    endpoint.trust = TlsTrust {
        ca_file: args.ca_file.clone(),
        pinned_sha256,
    };
    endpoint.connect_timeout = Duration::from_secs(args.timeout_seconds);
    endpoint.read_timeout = Duration::from_secs(args.timeout_seconds);
    let config = ClientConfig::new(endpoint);
    let report = smol::block_on(async {
        let client = Client::connect(&config).await?;
        let mut out = String::new();
        out.push_str(&format!(
            "server:        {}:{}\n",
            args.host, config.endpoint.port
        ));
        out.push_str(&format!("security:      {security:?}\n"));
        if let Some(tls) = client.tls() {
            out.push_str(&format!(
                "certificate:   SHA-256 {}\n",
                fingerprint_hex(&tls.certificate_sha256)
            ));
        }
        let caps = client.capabilities();
        if caps.announced {
            out.push_str("capabilities:\n");
            for line in &caps.lines {
                out.push_str(&format!("  {line}\n"));
            }
        } else {
            out.push_str("capabilities:  none announced (CAPA refused; plain RFC 1939)\n");
        }
        let _ = client.quit().await;
        Ok::<_, crate::pop3::Error>(out)
    })?;
    print(&report)
}

//! `poplar serverinfo`: what a server offers, without logging in.

use std::time::Duration;

use super::output::print;
use super::{CliError, ServerArgs};
use crate::pop3::transport::fingerprint_hex;
use crate::pop3::{Client, ClientConfig, Endpoint, TlsTrust};

/// Arguments of `poplar serverinfo`.
#[derive(Debug, clap::Args)]
pub struct ServerinfoArgs {
    /// The server, and how to trust it.
    #[command(flatten)]
    pub server: ServerArgs,
    /// Seconds to wait for the server before giving up.
    #[arg(long, default_value_t = 30)]
    pub timeout_seconds: u64,
}

pub(super) fn run(args: &ServerinfoArgs) -> Result<(), CliError> {
    let security = args.server.security();
    let mut endpoint =
        Endpoint::new(args.server.host.clone(), security).with_port(args.server.port());
    endpoint.trust = TlsTrust {
        ca_file: args.server.ca_file.clone(),
        pinned_sha256: args.server.pin()?,
    };
    endpoint.connect_timeout = Duration::from_secs(args.timeout_seconds);
    endpoint.read_timeout = Duration::from_secs(args.timeout_seconds);
    let config = ClientConfig::new(endpoint);
    let report = smol::block_on(async {
        let client = Client::connect(&config).await?;
        let mut out = String::new();
        out.push_str(&format!(
            "server:        {}:{}\n",
            args.server.host, config.endpoint.port
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

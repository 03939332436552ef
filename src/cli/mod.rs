//! The `poplar` command line: a public interface for scripts, cron jobs and tests.
//!
//! Commands and flags are kept as published; new ones are added, none renamed.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::pop3::transport::{fingerprint_hex, parse_fingerprint};
use crate::pop3::{Client, ClientConfig, Endpoint, Security, TlsTrust};

/// Poplar: a desktop mail reader for POP3 accounts.
#[derive(Debug, Parser)]
#[command(name = "poplar", version, about)]
pub struct Cli {
    /// Print the POP3 protocol trace on standard error (passwords are never shown).
    #[arg(long, global = true)]
    pub trace: bool,
    /// What to do; without a command, Poplar opens its window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Connect to a POP3 server and show what it offers: TLS certificate, capabilities,
    /// authentication mechanisms. Does not log in.
    Serverinfo(ServerinfoArgs),
}

/// Connection security as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecurityArg {
    /// TLS from the first byte (port 995).
    Tls,
    /// Plain connection upgraded with STLS (port 110); never continues unencrypted.
    Starttls,
    /// No encryption.
    None,
}

impl From<SecurityArg> for Security {
    fn from(arg: SecurityArg) -> Self {
        match arg {
            SecurityArg::Tls => Security::Tls,
            SecurityArg::Starttls => Security::StartTls,
            SecurityArg::None => Security::None,
        }
    }
}

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

/// Parses the command line and runs it; the process exit code says whether it worked.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    if cli.trace {
        let _ = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter("poplar=debug")
            .try_init();
    }
    let result = match cli.command {
        Some(Command::Serverinfo(args)) => serverinfo(&args),
        None => Err(
            "the mail window is not built yet; see README.md, \"What works today\". \
             Try `poplar serverinfo --host pop.example.com`."
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "poplar: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serverinfo(args: &ServerinfoArgs) -> Result<(), String> {
    let security = Security::from(args.security);
    let mut endpoint = Endpoint::new(args.host.clone(), security);
    if let Some(port) = args.port {
        endpoint.port = port;
    }
    let pinned_sha256 = match &args.pin_sha256 {
        Some(text) => Some(
            parse_fingerprint(text).ok_or("--pin-sha256 takes 64 hex digits (colons allowed)")?,
        ),
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
        let client = Client::connect(&config)
            .await
            .map_err(|err| err.to_string())?;
        let mut out = String::new();
        out.push_str(&format!(
            "server:        {}:{}\n",
            args.host, config.endpoint.port
        ));
        out.push_str(&format!("security:      {:?}\n", security));
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
        Ok::<_, String>(out)
    })?;
    std::io::stdout()
        .write_all(report.as_bytes())
        .map_err(|err| err.to_string())
}

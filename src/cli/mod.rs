//! The `poplar` command line: a public interface for scripts, cron jobs and tests.
//!
//! Commands and flags are kept as published; new ones are added, none renamed.

mod account;
mod folder;
mod login;
mod mail;
mod output;
mod rule;
mod serverinfo;
mod sync;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::pop3::Security;

/// Poplar: a desktop mail reader for POP3 accounts.
#[derive(Debug, Parser)]
#[command(name = "poplar", version, about)]
pub struct Cli {
    /// Where Poplar keeps its mail store (default: the platform's data directory, e.g.
    /// ~/.local/share/poplar).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print the POP3 protocol trace on standard error (passwords are never shown).
    #[arg(long, global = true)]
    pub trace: bool,
    /// Start without showing the window, checking for mail in the tray (as the login start
    /// does); where the desktop has no tray, the window opens as usual.
    #[arg(long)]
    pub background: bool,
    /// .eml or mbox files to open: imported into the local Imported folder and shown (in the
    /// Poplar that runs already, if one does).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// What to do; without a command, Poplar opens its window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add, list or remove accounts.
    #[command(subcommand)]
    Account(account::AccountCommand),
    /// Check accounts once: download new mail and apply each account's server policy.
    Sync(sync::SyncArgs),
    /// List messages.
    List(mail::ListArgs),
    /// Show one message.
    Show(mail::ShowArgs),
    /// Export messages as .eml files or one mbox file, byte for byte as downloaded.
    Export(mail::ExportArgs),
    /// Import .eml or mbox files into the local Imported folder (known messages are skipped).
    Import(mail::ImportArgs),
    /// Add, list, rename or remove your own folders.
    #[command(subcommand)]
    Folder(folder::FolderCommand),
    /// Add, list, remove or run the rules that file mail as it arrives.
    #[command(subcommand)]
    Rule(rule::RuleCommand),
    /// Connect to a POP3 server and show what it offers: TLS certificate, capabilities,
    /// authentication mechanisms. Does not log in.
    Serverinfo(serverinfo::ServerinfoArgs),
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

/// Where a POP3 server is and how to trust it: the flags `account add` and `serverinfo`
/// share.
#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// The POP3 server's host name or address.
    #[arg(long)]
    pub host: String,
    /// The port (default: 995 with TLS, 110 otherwise).
    #[arg(long)]
    pub port: Option<u16>,
    /// Connection security.
    #[arg(long, value_enum, default_value = "tls")]
    pub security: SecurityArg,
    /// A PEM file of extra CA certificates to trust.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Trust exactly the certificate with this SHA-256 fingerprint (hex, colons allowed).
    #[arg(long, value_name = "HEX")]
    pub pin_sha256: Option<String>,
}

impl ServerArgs {
    /// The security mode.
    pub fn security(&self) -> Security {
        Security::from(self.security)
    }

    /// The port, or the usual one for the security mode.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(self.security().default_port())
    }

    /// The pinned fingerprint, parsed.
    pub fn pin(&self) -> Result<Option<[u8; 32]>, CliError> {
        match &self.pin_sha256 {
            Some(text) => crate::pop3::transport::parse_fingerprint(text)
                .map(Some)
                .ok_or_else(|| CliError::new(crate::tr!("cli-bad-pin"))),
            None => Ok(None),
        }
    }
}

/// A failure to report: the message, and the exit code.
#[derive(Debug)]
pub struct CliError {
    message: String,
    code: u8,
}

impl CliError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 1,
        }
    }
}

impl<E: std::error::Error> From<E> for CliError {
    fn from(err: E) -> Self {
        Self::new(err.to_string())
    }
}

/// The data directory: `--data-dir`, else `$POPLAR_DATA_DIR`, else the platform's.
pub fn data_dir(flag: Option<&PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(dir) = flag {
        return Ok(dir.clone());
    }
    if let Some(dir) = std::env::var_os("POPLAR_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    platform_data_dir().ok_or_else(|| CliError::new(crate::tr!("cli-no-data-dir")))
}

fn platform_data_dir() -> Option<PathBuf> {
    if cfg!(windows) {
        return std::env::var_os("APPDATA").map(|d| PathBuf::from(d).join("Poplar"));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library/Application Support/Poplar"));
    }
    match std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir).join("poplar")),
        None => home.map(|h| h.join(".local/share/poplar")),
    }
}

/// The data directory for the window: as for every command, created if missing.
fn data_dir_for_window(flag: Option<&PathBuf>) -> Result<PathBuf, CliError> {
    let dir = data_dir(flag)?;
    std::fs::create_dir_all(&dir).map_err(|err| {
        CliError::new(crate::tr!(
            "cli-cannot-create",
            path = dir.display().to_string(),
            error = err.to_string()
        ))
    })?;
    Ok(dir)
}

/// The store file inside the data directory.
pub fn store_path(flag: Option<&PathBuf>) -> Result<PathBuf, CliError> {
    Ok(data_dir(flag)?.join(crate::store::STORE_FILE))
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
    let data_dir = cli.data_dir.as_ref();
    let result = match &cli.command {
        Some(Command::Account(command)) => account::run(data_dir, command),
        Some(Command::Sync(args)) => sync::run(data_dir, args),
        Some(Command::List(args)) => mail::list(data_dir, args),
        Some(Command::Show(args)) => mail::show(data_dir, args),
        Some(Command::Export(args)) => mail::export(data_dir, args),
        Some(Command::Import(args)) => mail::import(data_dir, args),
        Some(Command::Serverinfo(args)) => serverinfo::run(args),
        Some(Command::Rule(command)) => rule::run(data_dir, command),
        Some(Command::Folder(command)) => folder::run(data_dir, command),
        None => data_dir_for_window(data_dir).and_then(|dir| {
            crate::ui::run(&dir, cli.files.clone(), cli.background).map_err(CliError::new)
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if !err.message.is_empty() {
                let _ = writeln!(std::io::stderr(), "poplar: {}", err.message);
            }
            ExitCode::from(err.code)
        }
    }
}

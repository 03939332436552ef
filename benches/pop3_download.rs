//! Download benchmark: Poplar's POP3 client against a private Dovecot, beside mpop.
//!
//! Starts a private Dovecot (tests/support/dovecot.rs), delivers three generated mailboxes
//! (tests/support/corpus.rs) and downloads each of them completely over implicit TLS:
//!
//! - (a) user1: 2,000 mixed messages (about 30 KB each);
//! - (b) user3: 10,000 small messages (about 4 KB each);
//! - (c) user2: 500 mixed messages through a delay proxy adding 50 ms of round trip.
//!
//! Poplar runs each case pipelined and one command at a time (case (c) one command at a time
//! only once: it takes about 50 s); mpop, when installed, runs each case against the same
//! mailbox and port, delivering into a maildir on tmpfs. Runs are interleaved and the median
//! of 3 is printed (of 1 with `POPLAR_BENCH_QUICK=1`, which also skips (c) one command at a
//! time). `POPLAR_BENCH_WINDOW=<n>` sets Poplar's pipelining window (default: the library's);
//! `POPLAR_BENCH_CASES=ac` runs only the cases named; `POPLAR_BENCH_PHASES=1` prints the time
//! of each step of Poplar's runs and when the client's data went through the delay proxy.
//!
//! Every download is checked (message count, each message's bytes, total bytes); a wrong
//! download ends the bench with an error and a non-zero exit status instead of a figure.
//! Figures are printed, never asserted. Run it with `cargo bench --bench pop3_download`.

// A benchmark's output is its purpose: the table goes to stdout.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/corpus.rs"]
mod corpus;
#[path = "support/delay_proxy.rs"]
mod delay_proxy;
#[path = "../tests/support/dovecot.rs"]
mod dovecot;
#[path = "support/measure.rs"]
mod measure;
#[path = "support/mpop.rs"]
mod mpop;

use delay_proxy::{DelayProxy, ONE_WAY_DELAY};
use measure::{median, process_cpu_seconds};
use mpop::{MpopTarget, mpop_config};

use sha2::Digest as _;
use std::fs;
use std::ops::ControlFlow;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use dovecot::{Dovecot, Options, find_in_path};
use poplar::pop3::{
    AuthMethod, Client, ClientConfig, Credentials, Endpoint, Secret, Security, TlsTrust,
};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("pop3_download: {why}");
            ExitCode::FAILURE
        }
    }
}

/// What a mailbox holds, to check downloads against.
struct Mailbox {
    user: &'static str,
    password: String,
    /// The bytes RETR serves for each message, in message-number order.
    served: Vec<Vec<u8>>,
    total_bytes: u64,
}

/// One benchmark case.
struct Case {
    label: &'static str,
    mailbox: usize,
    port: u16,
    /// Whether Poplar runs one command at a time in every run (else only in the first).
    unpipelined_every_run: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Runner {
    PoplarPipelined,
    PoplarUnpipelined,
    Mpop,
}

impl Runner {
    fn name(self) -> &'static str {
        match self {
            Self::PoplarPipelined => "poplar pipelined",
            Self::PoplarUnpipelined => "poplar one-by-one",
            Self::Mpop => "mpop",
        }
    }
}

fn run() -> Result<(), String> {
    let quick = std::env::var("POPLAR_BENCH_QUICK").is_ok_and(|v| v.trim() == "1");
    let runs = if quick { 1 } else { 3 };
    let window = match std::env::var("POPLAR_BENCH_WINDOW") {
        Ok(text) => Some(
            text.trim()
                .parse::<usize>()
                .map_err(|e| format!("POPLAR_BENCH_WINDOW={text:?}: {e}"))?,
        ),
        Err(_) => None,
    };
    if let Err(why) = dovecot::dovecot_available() {
        println!("pop3_download: skipped, Dovecot is not available: {why}");
        return Ok(());
    }
    let mpop = find_in_path("mpop");

    let began = Instant::now();
    let server = Dovecot::start(Options::new().fast_stop(true));
    let deliver = |user: &'static str, messages: Vec<Vec<u8>>| {
        let served = server.deliver(user, &messages);
        let total_bytes = served.iter().map(|m| m.len() as u64).sum();
        Mailbox {
            user,
            password: server.password(user).to_string(),
            served,
            total_bytes,
        }
    };
    let mailboxes = [
        deliver("user1", corpus::mixed(2_000, 1)),
        deliver("user2", corpus::mixed(500, 2)),
        deliver("user3", corpus::small(10_000, 3)),
    ];
    println!(
        "Dovecot up and {} messages delivered in {:.1} s",
        mailboxes.iter().map(|m| m.served.len()).sum::<usize>(),
        began.elapsed().as_secs_f64()
    );
    let proxy = DelayProxy::start(server.tls_addr(), ONE_WAY_DELAY, show_phases())
        .map_err(|e| format!("cannot start the delay proxy: {e}"))?;

    let cases = [
        Case {
            label: "(a) 2,000 mixed, TLS",
            mailbox: 0,
            port: server.tls_port(),
            unpipelined_every_run: true,
        },
        Case {
            label: "(b) 10,000 small, TLS",
            mailbox: 2,
            port: server.tls_port(),
            unpipelined_every_run: true,
        },
        Case {
            label: "(c) 500 mixed, TLS, 50 ms RTT",
            mailbox: 1,
            port: proxy.port(),
            unpipelined_every_run: false,
        },
    ];

    let scratch = tempfile::Builder::new()
        .prefix("poplar-bench-mpop-")
        .tempdir_in(if Path::new("/dev/shm").is_dir() {
            Path::new("/dev/shm")
        } else {
            Path::new("/tmp")
        })
        .map_err(|e| format!("cannot create a scratch directory: {e}"))?;

    // `POPLAR_BENCH_CASES=ac` runs only cases (a) and (c).
    let selected = std::env::var("POPLAR_BENCH_CASES").unwrap_or_else(|_| "abc".into());
    let mut rows = Vec::new();
    for case in cases.iter().filter(|c| selected.contains(&c.label[1..2])) {
        let mailbox = &mailboxes[case.mailbox];
        let mut config = poplar_config(&server, case.port);
        if let Some(window) = window {
            config.pipeline_window = window;
        }
        let mut times: Vec<(Runner, Vec<f64>)> = Vec::new();
        let mut record = |runner: Runner, secs: f64| {
            match times.iter_mut().find(|(r, _)| *r == runner) {
                Some((_, list)) => list.push(secs),
                None => times.push((runner, vec![secs])),
            }
            eprintln!("  {:<32} {:<18} {secs:8.3} s", case.label, runner.name());
        };
        for run in 0..runs {
            config.use_pipelining = true;
            record(
                Runner::PoplarPipelined,
                poplar_download(&config, mailbox).map_err(|e| format!("{}: {e}", case.label))?,
            );
            if case.unpipelined_every_run || (run == 0 && !quick) {
                config.use_pipelining = false;
                record(
                    Runner::PoplarUnpipelined,
                    poplar_download(&config, mailbox)
                        .map_err(|e| format!("{}: {e}", case.label))?,
                );
            }
            if let Some(mpop) = &mpop {
                let dir = scratch.path().join(format!("{}-{run}", mailbox.user));
                record(
                    Runner::Mpop,
                    mpop_download(mpop, &dir, &server, case.port, mailbox)
                        .map_err(|e| format!("{} (mpop): {e}", case.label))?,
                );
            }
        }
        rows.push((case, mailbox, times));
    }
    drop(proxy);

    println!();
    println!(
        "{:<32} {:<18} {:>9} {:>8} {:>9} {:>8}",
        "case", "client", "wall s", "MB/s", "msg/s", "vs mpop"
    );
    for (case, mailbox, times) in &rows {
        let mpop_median = times
            .iter()
            .find(|(r, _)| *r == Runner::Mpop)
            .map(|(_, t)| median(t));
        for (runner, list) in times {
            let secs = median(list);
            let ratio = mpop_median.map_or_else(|| "-".to_string(), |m| format!("{:.2}", secs / m));
            let runs_note = if list.len() == 1 && runs > 1 {
                " (1 run)"
            } else {
                ""
            };
            println!(
                "{:<32} {:<18} {:>9.3} {:>8.1} {:>9.0} {:>8}{runs_note}",
                case.label,
                runner.name(),
                secs,
                mailbox.total_bytes as f64 / 1e6 / secs,
                mailbox.served.len() as f64 / secs,
                ratio
            );
        }
        if mpop.is_none() {
            println!("{:<32} {:<18} mpop not installed", case.label, "mpop");
        }
    }
    let sizes: Vec<String> = mailboxes
        .iter()
        .map(|m| {
            format!(
                "{}: {} messages, {:.1} MB",
                m.user,
                m.served.len(),
                m.total_bytes as f64 / 1e6
            )
        })
        .collect();
    println!(
        "\nMailboxes: {}. Wall time: connect, TLS, login, UIDL+LIST, RETR all, QUIT (mpop: the \
         whole process, delivering to tmpfs). Median of {runs}{}. Whole bench: {:.0} s.",
        sizes.join("; "),
        window.map_or_else(String::new, |w| format!("; Poplar pipeline_window {w}")),
        began.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `POPLAR_BENCH_PHASES=1`: print how long each step of a Poplar run took, and the proxy's
/// client-to-server chunks (one line per connection: milliseconds since accept and bytes).
fn show_phases() -> bool {
    std::env::var("POPLAR_BENCH_PHASES").is_ok_and(|v| v.trim() == "1")
}

// ---------------------------------------------------------------------------------------------
// Poplar

fn poplar_config(server: &Dovecot, port: u16) -> ClientConfig {
    let mut endpoint = Endpoint::new(server.host(), Security::Tls).with_port(port);
    // The server's self-signed certificate is trusted by its pin, as a user would trust it
    // (mpop below trusts the same certificate as its only trust file).
    let pin: [u8; 32] = sha2::Sha256::digest(server.cert_der()).into();
    endpoint.trust = TlsTrust {
        ca_file: None,
        pinned_sha256: Some(pin),
    };
    endpoint.connect_timeout = Duration::from_secs(30);
    endpoint.read_timeout = Duration::from_secs(60);
    ClientConfig::new(endpoint)
}

/// One full download with Poplar; returns the wall time in seconds after checking every byte.
fn poplar_download(config: &ClientConfig, mailbox: &Mailbox) -> Result<f64, String> {
    let credentials = Credentials {
        user: mailbox.user.into(),
        secret: Secret::new(mailbox.password.clone()),
        method: AuthMethod::Automatic,
    };
    let cpu_before = process_cpu_seconds();
    let started = Instant::now();
    let mut phases: Vec<(&str, Duration)> = Vec::new();
    let mut phase = |name: &'static str| phases.push((name, started.elapsed()));
    let (count, bytes, mismatch) = smol::block_on(async {
        let mut client = Client::connect(config)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        phase("connect");
        client
            .login(&credentials)
            .await
            .map_err(|e| format!("login: {e}"))?;
        phase("login");
        let listing = client
            .listing()
            .await
            .map_err(|e| format!("listing: {e}"))?;
        phase("listing");
        let numbers: Vec<u32> = listing.iter().map(|l| l.number).collect();
        let mut count = 0usize;
        let mut bytes = 0u64;
        let mut mismatch: Option<String> = None;
        client
            .retr_many(&numbers, |number, result| {
                match result {
                    Ok(body) => {
                        let expected = (number as usize)
                            .checked_sub(1)
                            .and_then(|i| mailbox.served.get(i));
                        if mismatch.is_none() && expected != Some(&body) {
                            mismatch = Some(format!(
                                "message {number}: got {} bytes, expected {:?} bytes",
                                body.len(),
                                expected.map(Vec::len)
                            ));
                        }
                        count += 1;
                        bytes += body.len() as u64;
                    }
                    Err(e) => {
                        mismatch.get_or_insert_with(|| format!("message {number}: {e}"));
                    }
                }
                ControlFlow::Continue(())
            })
            .await
            .map_err(|e| format!("retr_many: {e}"))?;
        phase("retr_many");
        client.quit().await.map_err(|e| format!("quit: {e}"))?;
        phase("quit");
        Ok::<_, String>((count, bytes, mismatch))
    })?;
    let secs = started.elapsed().as_secs_f64();
    if show_phases() {
        let mut last = Duration::ZERO;
        let shown: Vec<String> = phases
            .iter()
            .map(|(name, at)| {
                let took = *at - last;
                last = *at;
                format!("{name} {:.1} ms", took.as_secs_f64() * 1e3)
            })
            .collect();
        let cpu = process_cpu_seconds().zip(cpu_before).map_or_else(
            || "-".into(),
            |(after, before)| format!("{:.3} s", after - before),
        );
        eprintln!("    phases: {}; CPU {cpu}", shown.join(", "));
    }
    if let Some(why) = mismatch {
        return Err(format!("wrong download: {why}"));
    }
    if count != mailbox.served.len() || bytes != mailbox.total_bytes {
        return Err(format!(
            "wrong download: {count} messages of {bytes} bytes, expected {} of {}",
            mailbox.served.len(),
            mailbox.total_bytes
        ));
    }
    Ok(secs)
}

// ---------------------------------------------------------------------------------------------
// mpop

/// One full download with mpop into a fresh maildir under `dir`; returns the wall time of the
/// mpop process in seconds after checking the number of delivered files. `dir` is removed.
fn mpop_download(
    mpop: &Path,
    dir: &Path,
    server: &Dovecot,
    port: u16,
    mailbox: &Mailbox,
) -> Result<f64, String> {
    let io = |what: &str, e: std::io::Error| format!("{what} in {}: {e}", dir.display());
    let _ = fs::remove_dir_all(dir);
    let maildir = dir.join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(maildir.join(sub)).map_err(|e| io("create the maildir", e))?;
    }
    let rc = dir.join("mpoprc");
    let uidls = dir.join("uidls");
    let config = mpop_config(&MpopTarget {
        host: server.host(),
        port,
        cert: server.cert_pem_path(),
        user: mailbox.user,
        password: &mailbox.password,
        uidls: &uidls,
        maildir: &maildir,
    });
    fs::write(&rc, config).map_err(|e| io("write mpoprc", e))?;
    // mpop refuses a configuration file that others can read.
    fs::set_permissions(&rc, fs::Permissions::from_mode(0o600))
        .map_err(|e| io("chmod mpoprc", e))?;

    let started = Instant::now();
    let output = Command::new(mpop)
        .arg("-C")
        .arg(&rc)
        .args(["-q", "bench"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", mpop.display()))?;
    let secs = started.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!(
            "mpop failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout).trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let mut files = 0usize;
    for sub in ["new", "cur"] {
        files += fs::read_dir(maildir.join(sub))
            .map_err(|e| io("read the maildir", e))?
            .count();
    }
    fs::remove_dir_all(dir).map_err(|e| io("remove the mpop scratch directory", e))?;
    if files != mailbox.served.len() {
        return Err(format!(
            "wrong download: mpop delivered {files} messages, expected {}",
            mailbox.served.len()
        ));
    }
    Ok(secs)
}

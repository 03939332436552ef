//! End-to-end sync benchmark: the `poplar sync` command against mpop, fetchmail and Python's
//! poplib, on the same private Dovecot mailboxes.
//!
//! Starts a private Dovecot (tests/support/dovecot.rs), delivers three generated mailboxes
//! (tests/support/corpus.rs) and downloads each of them completely over implicit TLS:
//!
//! - (a) user1: 2,000 mixed messages (about 30 KB each);
//! - (b) user3: 10,000 small messages (about 4 KB each);
//! - (c) user2: 500 mixed messages through a delay proxy adding 50 ms of round trip.
//!
//! Poplar runs as its real binary (`target/release/poplar`, built by this bench when it is
//! missing or older than the bench; `POPLAR_BIN=<path>` uses another one) with a fresh
//! `--data-dir` on tmpfs per run. The account is added untimed; the whole `poplar sync`
//! process is timed. After each run the store must hold exactly the delivered messages (count
//! and the SHA-256 multiset of the raw bytes), none of them headers-only, and full-text search
//! must find mail: every message parsed, stored and searchable when the command returns.
//!
//! Peers, each only when installed: mpop (delivering into a maildir on tmpfs), fetchmail
//! (MDA mode into a maildir through safecat when safecat is installed, else BSMTP into one
//! file) and a small Python poplib script written at bench time (USER/PASS, RETR one message
//! at a time, one maildir file each). Peers are checked by the number of messages delivered
//! and timed as whole processes too.
//!
//! Each case starts with an untimed Poplar download (so no client pays for Dovecot's first
//! session on a mailbox). Clients are interleaved (the order rotates each round) and the
//! median of 3 runs is printed (of 1 with `POPLAR_BENCH_QUICK=1`, which also skips fetchmail
//! and poplib in case (c), about 30-50 s each). `POPLAR_BENCH_CASES=ac` runs only the cases named. A wrong download ends
//! the bench with an error and a non-zero exit status instead of a figure. Figures are
//! printed, never asserted. Run it with `cargo bench --bench sync`.
//!
//! Beside the wall time, each client's CPU time (user + system, from /proc/self/stat's
//! children times) and the whole machine's (from /proc/stat: the client, Dovecot and
//! anything else) are printed. The server runs on the same cores, so the bench ends with the
//! CPU time a client could use at most and still finish within mpop's wall time: all cores
//! for that long, less what everything but mpop used during mpop's runs.

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
use measure::{children_cpu_seconds, machine_busy_seconds, median};
use mpop::{MpopTarget, mpop_config};

use sha2::Digest as _;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::Instant;

use dovecot::{Dovecot, Options, find_in_path, is_executable};
use poplar::store::{ListView, Reader, STORE_FILE, Sort};

/// A word of the corpus's vocabulary that full-text search must find after a sync.
const SEARCH_WORD: &str = "meeting";

/// The poplib peer: implicit TLS trusting only the server's certificate, USER/PASS, then RETR
/// of every message in turn, each written into the maildir (tmp, then renamed into new).
/// Prints the number of messages it delivered.
const POPLIB_SCRIPT: &str = r#"import os, poplib, ssl, sys, time

host, port, user, password, cafile, maildir = sys.argv[1:7]
# Lines may be up to 998 octets (RFC 5322); poplib's default limit is 2048.
poplib._MAXLINE = 1 << 20
context = ssl.create_default_context(cafile=cafile)
pop = poplib.POP3_SSL(host, int(port), context=context, timeout=120)
pop.user(user)
pop.pass_(password)
count, _size = pop.stat()
stamp = "%d.P%d" % (time.time(), os.getpid())
for number in range(1, count + 1):
    _reply, lines, _octets = pop.retr(number)
    name = "%s.%d.poplib" % (stamp, number)
    temporary = os.path.join(maildir, "tmp", name)
    with open(temporary, "wb") as f:
        f.write(b"\n".join(lines))
        f.write(b"\n")
    os.rename(temporary, os.path.join(maildir, "new", name))
pop.quit()
print(count)
"#;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("sync: {why}");
            ExitCode::FAILURE
        }
    }
}

/// What a mailbox holds, to check downloads against.
struct Mailbox {
    user: &'static str,
    password: String,
    count: usize,
    total_bytes: u64,
    /// SHA-256 of the bytes RETR serves for each message, sorted.
    hashes: Vec<[u8; 32]>,
}

/// One benchmark case.
struct Case {
    label: &'static str,
    mailbox: usize,
    port: u16,
    /// Through the delay proxy: the slow peers are skipped in a quick run.
    delayed: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Client {
    Poplar,
    Mpop,
    Fetchmail,
    Poplib,
}

impl Client {
    const ALL: [Client; 4] = [Self::Poplar, Self::Mpop, Self::Fetchmail, Self::Poplib];

    fn name(self) -> &'static str {
        match self {
            Self::Poplar => "poplar sync",
            Self::Mpop => "mpop",
            Self::Fetchmail => "fetchmail",
            Self::Poplib => "python poplib",
        }
    }
}

/// How fetchmail delivers.
#[derive(Clone, Copy)]
enum FetchmailMode {
    /// Through the MDA `safecat` into a maildir (one process per message).
    Mda,
    /// Into one BSMTP file (no process per message).
    Bsmtp,
}

/// The programs the bench runs.
struct Tools {
    poplar: PathBuf,
    mpop: Option<PathBuf>,
    fetchmail: Option<(PathBuf, FetchmailMode, Option<PathBuf>)>,
    /// The Python interpreter and the poplib script written for this run.
    poplib: Option<(PathBuf, PathBuf)>,
    /// The local user name fetchmail delivers to.
    local_user: String,
}

impl Tools {
    fn installed(&self, client: Client) -> bool {
        match client {
            Client::Poplar => true,
            Client::Mpop => self.mpop.is_some(),
            Client::Fetchmail => self.fetchmail.is_some(),
            Client::Poplib => self.poplib.is_some(),
        }
    }
}

/// Where a run downloads to, and what it checks against.
struct Target<'a> {
    server: &'a Dovecot,
    port: u16,
    mailbox: &'a Mailbox,
    /// A fresh directory for this run; removed afterwards.
    dir: PathBuf,
}

fn run() -> Result<(), String> {
    let quick = std::env::var("POPLAR_BENCH_QUICK").is_ok_and(|v| v.trim() == "1");
    let runs = if quick { 1 } else { 3 };
    if let Err(why) = dovecot::dovecot_available() {
        println!("sync: skipped, Dovecot is not available: {why}");
        return Ok(());
    }
    let scratch = tempfile::Builder::new()
        .prefix("poplar-bench-sync-")
        .tempdir_in(if Path::new("/dev/shm").is_dir() {
            Path::new("/dev/shm")
        } else {
            Path::new("/tmp")
        })
        .map_err(|e| format!("cannot create a scratch directory: {e}"))?;
    let tools = find_tools(scratch.path())?;

    let began = Instant::now();
    let server = Dovecot::start(Options::new().fast_stop(true));
    let deliver = |user: &'static str, messages: Vec<Vec<u8>>| {
        let served = server.deliver(user, &messages);
        let mut hashes: Vec<[u8; 32]> = served.iter().map(|m| sha256(m)).collect();
        hashes.sort_unstable();
        Mailbox {
            user,
            password: server.password(user).to_string(),
            count: served.len(),
            total_bytes: served.iter().map(|m| m.len() as u64).sum(),
            hashes,
        }
    };
    let mailboxes = [
        deliver("user1", corpus::mixed(2_000, 1)),
        deliver("user2", corpus::mixed(500, 2)),
        deliver("user3", corpus::small(10_000, 3)),
    ];
    println!(
        "Dovecot up and {} messages delivered in {:.1} s; poplar: {}",
        mailboxes.iter().map(|m| m.count).sum::<usize>(),
        began.elapsed().as_secs_f64(),
        tools.poplar.display()
    );
    let proxy = DelayProxy::start(server.tls_addr(), ONE_WAY_DELAY, false)
        .map_err(|e| format!("cannot start the delay proxy: {e}"))?;

    let cases = [
        Case {
            label: "(a) 2,000 mixed, TLS",
            mailbox: 0,
            port: server.tls_port(),
            delayed: false,
        },
        Case {
            label: "(b) 10,000 small, TLS",
            mailbox: 2,
            port: server.tls_port(),
            delayed: false,
        },
        Case {
            label: "(c) 500 mixed, TLS, 50 ms RTT",
            mailbox: 1,
            port: proxy.port(),
            delayed: true,
        },
    ];

    // `POPLAR_BENCH_CASES=ac` runs only cases (a) and (c).
    let selected = std::env::var("POPLAR_BENCH_CASES").unwrap_or_else(|_| "abc".into());
    let mut rows = Vec::new();
    for case in cases.iter().filter(|c| selected.contains(&c.label[1..2])) {
        let mailbox = &mailboxes[case.mailbox];
        let skipped = |client: Client| {
            quick && case.delayed && matches!(client, Client::Fetchmail | Client::Poplib)
        };
        // One untimed download first: Dovecot builds its index files and reads the mailbox
        // into the page cache on the first session, and whichever client came first paid for
        // it (mpop's three runs of case (a) once took 0.74, 0.33 and 0.54 s).
        let warm_up = Target {
            server: &server,
            port: case.port,
            mailbox,
            dir: scratch.path().join(format!("{}-warm-up", mailbox.user)),
        };
        poplar_sync(&tools.poplar, &warm_up)
            .map_err(|e| format!("{} (warm-up): {e}", case.label))?;
        let mut times: Vec<(Client, Vec<Timing>)> = Vec::new();
        for run in 0..runs {
            // Interleaved, and each round starts with another client.
            for k in 0..Client::ALL.len() {
                let client = Client::ALL[(k + run) % Client::ALL.len()];
                if !tools.installed(client) || skipped(client) {
                    continue;
                }
                let target = Target {
                    server: &server,
                    port: case.port,
                    mailbox,
                    dir: scratch.path().join(format!("{}-{run}-{k}", mailbox.user)),
                };
                let timing = match client {
                    Client::Poplar => poplar_sync(&tools.poplar, &target),
                    Client::Mpop => mpop_download(&tools, &target),
                    Client::Fetchmail => fetchmail_download(&tools, &target),
                    Client::Poplib => poplib_download(&tools, &target),
                }
                .map_err(|e| format!("{} ({}): {e}", case.label, client.name()))?;
                eprintln!(
                    "  {:<30} {:<14} {:8.3} s",
                    case.label,
                    client.name(),
                    timing.wall
                );
                match times.iter_mut().find(|(c, _)| *c == client) {
                    Some((_, list)) => list.push(timing),
                    None => times.push((client, vec![timing])),
                }
            }
        }
        times.sort_by_key(|(c, _)| Client::ALL.iter().position(|a| a == c));
        rows.push((case, mailbox, times, skipped));
    }
    drop(proxy);

    println!();
    println!(
        "{:<30} {:<14} {:>9} {:>8} {:>9} {:>8} {:>8} {:>9}",
        "case", "client", "wall s", "MB/s", "msg/s", "vs mpop", "CPU s", "machine s"
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut targets = Vec::new();
    let mut headroom = Vec::new();
    for (case, mailbox, times, skipped) in &rows {
        // The median of each figure on its own.
        let median_of = |client: Client, figure: fn(&Timing) -> Option<f64>| {
            let runs = &times.iter().find(|(c, _)| *c == client)?.1;
            let values: Option<Vec<f64>> = runs.iter().map(figure).collect();
            Some(median(&values?))
        };
        let wall = |t: &Timing| Some(t.wall);
        let cpu = |t: &Timing| t.cpu;
        let busy = |t: &Timing| t.busy;
        let mpop_median = median_of(Client::Mpop, wall);
        for client in Client::ALL {
            let Some(secs) = median_of(client, wall) else {
                let why = if !tools.installed(client) {
                    "not installed"
                } else if skipped(client) {
                    "skipped (POPLAR_BENCH_QUICK=1)"
                } else {
                    "no figure"
                };
                println!("{:<30} {:<14} {why}", case.label, client.name());
                continue;
            };
            let ratio = mpop_median.map_or_else(|| "-".to_string(), |m| format!("{:.2}", secs / m));
            let shown =
                |figure: Option<f64>| figure.map_or_else(|| "-".into(), |f| format!("{f:.2}"));
            println!(
                "{:<30} {:<14} {:>9.3} {:>8.1} {:>9.0} {:>8} {:>8} {:>9}",
                case.label,
                client.name(),
                secs,
                mailbox.total_bytes as f64 / 1e6 / secs,
                mailbox.count as f64 / secs,
                ratio,
                shown(median_of(client, cpu)),
                shown(median_of(client, busy)),
            );
        }
        if let (Some(poplar), Some(mpop)) = (median_of(Client::Poplar, wall), mpop_median) {
            let ratio = poplar / mpop;
            targets.push(format!(
                "{} {ratio:.2}x {}",
                &case.label[..3],
                if ratio <= 1.0 { "met" } else { "MISSED" }
            ));
        }
        // What the machine leaves a client that is to finish in mpop's time: all cores for
        // that long, less what the server and everything else took while mpop ran.
        if let (Some(mpop), Some(mpop_cpu), Some(mpop_busy), Some(poplar_cpu)) = (
            mpop_median,
            median_of(Client::Mpop, cpu),
            median_of(Client::Mpop, busy),
            median_of(Client::Poplar, cpu),
        ) {
            let others = (mpop_busy - mpop_cpu).max(0.0);
            headroom.push(format!(
                "{}: {cores} cores x {mpop:.3} s = {:.2} CPU s, the server and the rest took \
                 {others:.2} while mpop ran, leaving a client {:.2} CPU s (mpop used \
                 {mpop_cpu:.2}, poplar sync {poplar_cpu:.2})",
                &case.label[..3],
                cores as f64 * mpop,
                cores as f64 * mpop - others,
            ));
        }
    }
    if !targets.is_empty() {
        println!(
            "\nTarget poplar sync <= 1.00x mpop: {}.",
            targets.join(", ")
        );
    }
    if !headroom.is_empty() {
        println!(
            "CPU a client may use to finish within mpop's wall time (the server shares the \
             machine):\n  {}",
            headroom.join("\n  ")
        );
    }
    let sizes: Vec<String> = mailboxes
        .iter()
        .map(|m| {
            format!(
                "{}: {} messages, {:.1} MB",
                m.user,
                m.count,
                m.total_bytes as f64 / 1e6
            )
        })
        .collect();
    let fetchmail_mode = match &tools.fetchmail {
        Some((_, FetchmailMode::Mda, _)) => "MDA safecat to a maildir",
        Some((_, FetchmailMode::Bsmtp, _)) => "BSMTP file",
        None => "-",
    };
    println!(
        "Mailboxes: {}. Wall time of the whole process: poplar sync (TLS, login, UIDL, RETR, \
         parse, store, index, commit) into a fresh store on tmpfs; mpop and poplib into a \
         maildir on tmpfs; fetchmail: {fetchmail_mode}. Median of {runs}. Whole bench: {:.0} s.",
        sizes.join("; "),
        began.elapsed().as_secs_f64()
    );
    Ok(())
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(bytes).into()
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Finds (or builds) Poplar's binary and the peers that are installed; writes the poplib
/// script into `scratch`.
fn find_tools(scratch: &Path) -> Result<Tools, String> {
    let poplar = match std::env::var_os("POPLAR_BIN") {
        Some(path) => PathBuf::from(path),
        None => release_binary()?,
    };
    if !is_executable(&poplar) {
        return Err(format!("{} is not an executable file", poplar.display()));
    }
    let fetchmail = find_in_path("fetchmail").map(|path| match find_in_path("safecat") {
        Some(safecat) => (path, FetchmailMode::Mda, Some(safecat)),
        None => (path, FetchmailMode::Bsmtp, None),
    });
    // The system's interpreter when there is one (no version-manager shim in the timing).
    let python = Some(PathBuf::from("/usr/bin/python3"))
        .filter(|p| is_executable(p))
        .or_else(|| find_in_path("python3"));
    let poplib = match python {
        Some(python) => {
            let script = scratch.join("poplib_fetch.py");
            fs::write(&script, POPLIB_SCRIPT)
                .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
            Some((python, script))
        }
        None => None,
    };
    let local_user = Command::new("id")
        .arg("-un")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|u| !u.is_empty())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "root".into());
    Ok(Tools {
        poplar,
        mpop: find_in_path("mpop"),
        fetchmail,
        poplib,
        local_user,
    })
}

/// `target/release/poplar` beside this bench (which lives in `target/release/deps`), built
/// with cargo when it is missing or older than the bench.
fn release_binary() -> Result<PathBuf, String> {
    let bench = std::env::current_exe().map_err(|e| format!("cannot find the bench: {e}"))?;
    let release = bench
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("{} has no grandparent directory", bench.display()))?;
    let binary = release.join("poplar");
    let stale = match (modified(&binary), modified(&bench)) {
        (Some(binary), Some(bench)) => binary < bench,
        _ => true,
    };
    if stale {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        eprintln!(
            "building {} (cargo build --release --bin poplar)",
            binary.display()
        );
        let status = Command::new(cargo)
            .args(["build", "--release", "--bin", "poplar"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "cargo build --release --bin poplar failed ({status})"
            ));
        }
    }
    Ok(binary)
}

/// Runs a prepared command and fails unless it exits with status 0.
fn run_checked(mut command: Command, what: &str) -> Result<Output, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{what} failed ({}): {} {}",
            output.status,
            String::from_utf8_lossy(&output.stdout).trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output)
}

/// One timed run of a client: the whole process.
#[derive(Clone, Copy)]
struct Timing {
    /// Wall time, seconds.
    wall: f64,
    /// The client's own CPU time (user + system, its child processes included), seconds.
    cpu: Option<f64>,
    /// CPU time the whole machine spent during the run (the client, Dovecot and anything
    /// else), seconds.
    busy: Option<f64>,
}

/// Runs a command and returns its timing (the whole process).
fn timed(command: Command, what: &str) -> Result<(Timing, Output), String> {
    let (children_before, busy_before) = (children_cpu_seconds(), machine_busy_seconds());
    let started = Instant::now();
    let output = run_checked(command, what)?;
    let wall = started.elapsed().as_secs_f64();
    let since = |before: Option<f64>, after: Option<f64>| Some(after? - before?);
    Ok((
        Timing {
            wall,
            cpu: since(children_before, children_cpu_seconds()),
            busy: since(busy_before, machine_busy_seconds()),
        },
        output,
    ))
}

fn io_error(dir: &Path, what: &str) -> impl Fn(std::io::Error) -> String {
    let place = dir.display().to_string();
    let what = what.to_string();
    move |e| format!("{what} in {place}: {e}")
}

/// A fresh maildir under `dir` (which is emptied first).
fn fresh_maildir(dir: &Path) -> Result<PathBuf, String> {
    let _ = fs::remove_dir_all(dir);
    let maildir = dir.join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(maildir.join(sub)).map_err(io_error(dir, "create the maildir"))?;
    }
    Ok(maildir)
}

fn maildir_count(maildir: &Path) -> Result<usize, String> {
    let mut files = 0usize;
    for sub in ["new", "cur"] {
        files += fs::read_dir(maildir.join(sub))
            .map_err(io_error(maildir, "read the maildir"))?
            .count();
    }
    Ok(files)
}

fn check_count(client: &str, got: usize, mailbox: &Mailbox) -> Result<(), String> {
    if got == mailbox.count {
        Ok(())
    } else {
        Err(format!(
            "wrong download: {client} delivered {got} messages, expected {}",
            mailbox.count
        ))
    }
}

/// Writes a configuration file only its owner may read (mpop and fetchmail insist).
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("cannot chmod {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// Poplar

/// One `poplar sync` into a fresh data directory; returns the wall time of the sync process
/// in seconds after checking the store.
fn poplar_sync(poplar: &Path, target: &Target<'_>) -> Result<Timing, String> {
    let dir = &target.dir;
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).map_err(io_error(dir, "create the data directory"))?;
    let mailbox = target.mailbox;
    let pin = poplar::pop3::sasl::hex(&sha256(&target.server.cert_der()));
    let port = target.port.to_string();
    let password_command = format!("echo {}", mailbox.password);

    let mut add = Command::new(poplar);
    add.arg("--data-dir").arg(dir).args([
        "account",
        "add",
        "--name",
        "bench",
        "--email",
        "u@localhost",
        "--host",
        target.server.host(),
        "--port",
        &port,
        "--user",
        mailbox.user,
        "--password-command",
        &password_command,
        "--pin-sha256",
        &pin,
        "--keep",
    ]);
    run_checked(add, "poplar account add")?;

    let mut sync = Command::new(poplar);
    sync.arg("--data-dir").arg(dir).arg("sync");
    let (timing, _) = timed(sync, "poplar sync")?;

    check_store(&dir.join(STORE_FILE), mailbox)?;
    fs::remove_dir_all(dir).map_err(io_error(dir, "remove the data directory"))?;
    Ok(timing)
}

/// The store holds exactly the mailbox's messages, whole, and search finds mail.
fn check_store(path: &Path, mailbox: &Mailbox) -> Result<(), String> {
    let wrong = |why: String| format!("wrong store {}: {why}", path.display());
    let reader = Reader::open(path).map_err(|e| wrong(format!("cannot open it: {e}")))?;
    let count = reader
        .count(ListView::AllInboxes)
        .map_err(|e| wrong(e.to_string()))?;
    let rows = reader
        .page(
            ListView::AllInboxes,
            Sort::default(),
            0,
            mailbox.count as u64 + 1,
        )
        .map_err(|e| wrong(e.to_string()))?;
    if count != mailbox.count as u64 || rows.len() != mailbox.count {
        return Err(wrong(format!(
            "{count} messages counted and {} listed, expected {}",
            rows.len(),
            mailbox.count
        )));
    }
    if let Some(row) = rows.iter().find(|r| r.partial) {
        return Err(wrong(format!("message {} is headers only", row.id)));
    }
    let mut hashes = Vec::with_capacity(rows.len());
    for row in &rows {
        let raw = reader
            .raw(row.id)
            .map_err(|e| wrong(e.to_string()))?
            .ok_or_else(|| wrong(format!("message {} has no raw bytes", row.id)))?;
        hashes.push(sha256(&raw));
    }
    hashes.sort_unstable();
    if hashes != mailbox.hashes {
        let differ = hashes
            .iter()
            .zip(&mailbox.hashes)
            .filter(|(a, b)| a != b)
            .count();
        return Err(wrong(format!(
            "the raw bytes differ from what was delivered ({differ} of {} hashes)",
            mailbox.count
        )));
    }
    let found = reader
        .search(SEARCH_WORD, None, 5)
        .map_err(|e| wrong(e.to_string()))?;
    if found.is_empty() {
        return Err(wrong(format!("searching {SEARCH_WORD:?} finds nothing")));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// mpop

/// One full download with mpop into a fresh maildir; returns the wall time of the process.
fn mpop_download(tools: &Tools, target: &Target<'_>) -> Result<Timing, String> {
    let Some(mpop) = &tools.mpop else {
        return Err("mpop is not installed".into());
    };
    let dir = &target.dir;
    let maildir = fresh_maildir(dir)?;
    let rc = dir.join("mpoprc");
    write_private(
        &rc,
        &mpop_config(&MpopTarget {
            host: target.server.host(),
            port: target.port,
            cert: target.server.cert_pem_path(),
            user: target.mailbox.user,
            password: &target.mailbox.password,
            uidls: &dir.join("uidls"),
            maildir: &maildir,
        }),
    )?;
    let mut command = Command::new(mpop);
    command.arg("-C").arg(&rc).args(["-q", "bench"]);
    let (timing, _) = timed(command, "mpop")?;
    check_count("mpop", maildir_count(&maildir)?, target.mailbox)?;
    fs::remove_dir_all(dir).map_err(io_error(dir, "remove the scratch directory"))?;
    Ok(timing)
}

// ---------------------------------------------------------------------------------------------
// fetchmail

/// One full download with fetchmail (keep, fetchall); returns the wall time of the process.
fn fetchmail_download(tools: &Tools, target: &Target<'_>) -> Result<Timing, String> {
    let Some((fetchmail, mode, safecat)) = &tools.fetchmail else {
        return Err("fetchmail is not installed".into());
    };
    let dir = &target.dir;
    let maildir = fresh_maildir(dir)?;
    let bsmtp = dir.join("bsmtp");
    let delivery = match (mode, safecat) {
        (FetchmailMode::Mda, Some(safecat)) => format!(
            "mda \"{} {} {} >/dev/null\"",
            safecat.display(),
            maildir.join("tmp").display(),
            maildir.join("new").display()
        ),
        _ => format!("bsmtp \"{}\"", bsmtp.display()),
    };
    let rc = dir.join("fetchmailrc");
    // fetchmail checks DNS names only, never IP addresses: the certificate's name is
    // "localhost" (its SANs: DNS:localhost, IP:127.0.0.1, IP:::1).
    write_private(
        &rc,
        &format!(
            "set no bouncemail\n\
             set invisible\n\
             set no syslog\n\
             poll {host} protocol pop3 port {port} timeout 120\n\
             \x20 user \"{user}\" there with password \"{password}\" is \"{local}\" here\n\
             \x20 ssl sslcertck sslcertfile \"{cert}\" sslcommonname \"localhost\"\n\
             \x20 keep fetchall no rewrite\n\
             \x20 {delivery}\n",
            host = target.server.host(),
            port = target.port,
            user = target.mailbox.user,
            password = target.mailbox.password,
            local = tools.local_user,
            cert = target.server.cert_pem_path().display(),
        ),
    )?;
    let mut command = Command::new(fetchmail);
    command
        .arg("-f")
        .arg(&rc)
        .arg("--idfile")
        .arg(dir.join("fetchids"))
        .arg("--pidfile")
        .arg(dir.join("fetchmail.pid"))
        .args(["-N", "--silent"])
        // Nothing of the user's own fetchmail state (~/.fetchmail.pid, ~/.netrc) is used.
        .env("FETCHMAILHOME", dir)
        .env("HOME", dir);
    let (timing, _) = timed(command, "fetchmail")?;
    let delivered = match mode {
        FetchmailMode::Mda => maildir_count(&maildir)?,
        FetchmailMode::Bsmtp => bsmtp_count(&bsmtp)?,
    };
    check_count("fetchmail", delivered, target.mailbox)?;
    fs::remove_dir_all(dir).map_err(io_error(dir, "remove the scratch directory"))?;
    Ok(timing)
}

/// The number of messages in a BSMTP file: each one is a `DATA` line, the dot-stuffed
/// message and a line holding only `.`.
fn bsmtp_count(path: &Path) -> Result<usize, String> {
    let text = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .split(|&b| b == b'\n')
        .filter(|line| matches!(*line, b"." | b".\r"))
        .count())
}

// ---------------------------------------------------------------------------------------------
// Python poplib

/// One full download with the poplib script into a fresh maildir; returns the wall time of the
/// Python process.
fn poplib_download(tools: &Tools, target: &Target<'_>) -> Result<Timing, String> {
    let Some((python, script)) = &tools.poplib else {
        return Err("python3 is not installed".into());
    };
    let dir = &target.dir;
    let maildir = fresh_maildir(dir)?;
    let mut command = Command::new(python);
    command
        .arg(script)
        .arg(target.server.host())
        .arg(target.port.to_string())
        .arg(target.mailbox.user)
        .arg(&target.mailbox.password)
        .arg(target.server.cert_pem_path())
        .arg(&maildir);
    let (timing, output) = timed(command, "python poplib")?;
    let said = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if said != target.mailbox.count.to_string() {
        return Err(format!(
            "wrong download: the script reports {said:?} messages, expected {}",
            target.mailbox.count
        ));
    }
    check_count("poplib", maildir_count(&maildir)?, target.mailbox)?;
    fs::remove_dir_all(dir).map_err(io_error(dir, "remove the scratch directory"))?;
    Ok(timing)
}

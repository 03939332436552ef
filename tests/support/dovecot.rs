//! A private Dovecot POP3 server for integration tests and benches.
//!
//! Every [`Dovecot`] owns a fresh temporary directory with its own configuration, runtime
//! directory, state, logs, TLS certificate, passwd-file and maildirs, and listens on two free
//! high ports on 127.0.0.1 only: a plain port (POP3 with STLS) and an implicit-TLS port. Many
//! instances can run at the same time (cargo runs tests on parallel threads). Dropping the
//! value stops the server and removes the directory.
//!
//! Include it with `#[path = "support/dovecot.rs"] mod dovecot;`. It needs only std and
//! `tempfile`, plus the `dovecot` binary (Debian: dovecot-core, dovecot-pop3d) and the
//! `openssl` command at run time.
//!
//! What Dovecot 2.3 serves for the LF files written by [`Dovecot::deliver`] (checked against
//! the real server): the file's bytes with every LF turned into CRLF and nothing added,
//! removed or changed, no header included; a message whose last line has no newline (or an
//! empty file) gets a CRLF appended by the server (see [`served_bytes`]). LIST, STAT and
//! RETR's `+OK <n> octets` report the `W=` size from the file name, i.e. the CRLF size
//! *without* that appended CRLF.
//!
//! As root, the master runs as root and every Dovecot service as the system user
//! [`SERVER_USER_WHEN_ROOT`]; otherwise everything runs as the current user. A start takes
//! about 70-90 ms (EC P-256 certificate via openssl, config, until the plain port greets).
//! A graceful stop takes about 1.1 s; [`Options::fast_stop`] makes drop take a few ms.
#![allow(dead_code)]

use std::collections::HashSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Environment variable: when set to `1`, a missing Dovecot makes tests fail instead of skip.
pub const REQUIRE_ENV: &str = "POPLAR_REQUIRE_DOVECOT";

/// The unprivileged system user every Dovecot process runs as when the tests run as root
/// (Dovecot refuses to serve mail as uid 0). Created with `useradd` if missing.
pub const SERVER_USER_WHEN_ROOT: &str = "poplartest";

/// The POP3 binary Dovecot's master starts for logged-in sessions (package dovecot-pop3d).
pub const POP3_BINARY: &str = "/usr/lib/dovecot/pop3";

/// Users created when [`Options::users`] is not changed: `user1`/`pass1` .. `user3`/`pass3`.
pub const DEFAULT_USERS: [(&str, &str); 3] =
    [("user1", "pass1"), ("user2", "pass2"), ("user3", "pass3")];

/// How long [`Dovecot::start`] waits for both ports to accept connections.
const READY_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a start is retried from scratch when Dovecot could not bind its ports.
const START_ATTEMPTS: u32 = 5;
/// How long a graceful stop waits for the master after SIGTERM before it kills every process
/// of the instance with SIGKILL. Dovecot 2.3 normally needs about 1.1 s; a login process that
/// is still starting up when the master stops can hang for 5 s.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// Locks a mutex, ignoring poisoning (a panicking test must not break the others).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether `path` is a file someone may execute.
pub fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The executable `name` in the first `PATH` folder that has one.
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn find_tool(name: &str, fallbacks: &[&str]) -> Option<PathBuf> {
    find_in_path(name).or_else(|| {
        fallbacks
            .iter()
            .map(PathBuf::from)
            .find(|p| is_executable(p))
    })
}

fn openssl_binary() -> Option<PathBuf> {
    find_tool("openssl", &["/usr/bin/openssl"])
}

/// Finds the `dovecot` binary (in PATH or /usr/sbin/dovecot) and checks that the POP3 service
/// binary ([`POP3_BINARY`]) and the `openssl` command exist. `Err` says what is missing.
pub fn dovecot_available() -> Result<PathBuf, String> {
    let dovecot = find_tool("dovecot", &["/usr/sbin/dovecot"]).ok_or_else(|| {
        "dovecot not found in PATH or /usr/sbin (apt-get install dovecot-core dovecot-pop3d)"
            .to_string()
    })?;
    if !is_executable(Path::new(POP3_BINARY)) {
        return Err(format!(
            "{POP3_BINARY} missing (apt-get install dovecot-pop3d)"
        ));
    }
    if openssl_binary().is_none() {
        return Err("openssl command not found (apt-get install openssl)".to_string());
    }
    Ok(dovecot)
}

/// Decides whether a Dovecot-based test can run. Returns the dovecot binary if it can. If it
/// cannot: panics when `POPLAR_REQUIRE_DOVECOT=1`, otherwise prints
/// `skipped <test_name>: <reason>` to stderr and returns `None`.
pub fn require_or_skip(test_name: &str) -> Option<PathBuf> {
    match dovecot_available() {
        Ok(path) => Some(path),
        Err(reason) => {
            if std::env::var(REQUIRE_ENV).is_ok_and(|v| v.trim() == "1") {
                panic!(
                    "{test_name}: Dovecot is required ({REQUIRE_ENV}=1) but unavailable: {reason}"
                );
            }
            eprintln!("skipped {test_name}: {reason}");
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// who runs the server

/// The account every Dovecot process of an instance runs as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerAccount {
    /// User name.
    pub user: String,
    /// Primary group name.
    pub group: String,
    /// Numeric user id.
    pub uid: u32,
    /// Numeric group id.
    pub gid: u32,
    /// Whether the test process is root (then files are chowned to this account).
    pub as_root: bool,
}

fn run_capture(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(format!(
            "{program} {} failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The effective uid of this process (from /proc/self/status, else `id -u`).
fn effective_uid() -> Result<u32, String> {
    if let Ok(status) = fs::read_to_string("/proc/self/status") {
        for line in status.lines() {
            if let Some(rest) = line.strip_prefix("Uid:")
                && let Some(euid) = rest.split_whitespace().nth(1)
            {
                return euid
                    .parse()
                    .map_err(|e| format!("bad Uid line {line:?}: {e}"));
            }
        }
    }
    run_capture("id", &["-u"])?
        .parse()
        .map_err(|e| format!("bad output of id -u: {e}"))
}

fn account_of(user: Option<&str>, as_root: bool) -> Result<ServerAccount, String> {
    let with_user = |flag: &'static str| -> Vec<&str> {
        let mut v = vec![flag];
        if let Some(u) = user {
            v.push(u);
        }
        v
    };
    let parse = |s: String| {
        s.parse::<u32>()
            .map_err(|e| format!("bad id output {s:?}: {e}"))
    };
    Ok(ServerAccount {
        user: run_capture("id", &with_user("-un"))?,
        group: run_capture("id", &with_user("-gn"))?,
        uid: parse(run_capture("id", &with_user("-u"))?)?,
        gid: parse(run_capture("id", &with_user("-g"))?)?,
        as_root,
    })
}

fn ensure_system_user(name: &str) -> Result<(), String> {
    for attempt in 0..20 {
        if run_capture("id", &["-u", name]).is_ok() {
            return Ok(());
        }
        // Another test binary may be running useradd at the same time (it locks
        // /etc/passwd); failures are re-checked with `id` and retried.
        let result = run_capture(
            "useradd",
            &[
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                name,
            ],
        );
        if run_capture("id", &["-u", name]).is_ok() {
            return Ok(());
        }
        if attempt == 19 {
            return result.map(|_| ());
        }
        thread::sleep(Duration::from_millis(100));
    }
    Err(format!("could not create user {name}"))
}

/// The account Dovecot runs as: [`SERVER_USER_WHEN_ROOT`] (created if missing) when this
/// process is root, otherwise the current user. Computed once per process.
pub fn server_account() -> Result<ServerAccount, String> {
    static ACCOUNT: OnceLock<Result<ServerAccount, String>> = OnceLock::new();
    ACCOUNT
        .get_or_init(|| {
            if effective_uid()? == 0 {
                ensure_system_user(SERVER_USER_WHEN_ROOT)?;
                account_of(Some(SERVER_USER_WHEN_ROOT), true)
            } else {
                account_of(None, false)
            }
        })
        .clone()
}

fn chown_tree(path: &Path, uid: u32, gid: u32) -> std::io::Result<()> {
    std::os::unix::fs::lchown(path, Some(uid), Some(gid))?;
    let meta = fs::symlink_metadata(path)?;
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            chown_tree(&entry?.path(), uid, gid)?;
        }
    }
    Ok(())
}

/// Adds o+x to every ancestor of `path` that lacks it, so an unprivileged server user can
/// reach `path`.
fn make_ancestors_traversable(path: &Path) -> std::io::Result<()> {
    for dir in path.ancestors().skip(1) {
        let meta = fs::metadata(dir)?;
        let mode = meta.permissions().mode();
        if mode & 0o001 == 0 {
            fs::set_permissions(dir, fs::Permissions::from_mode(mode | 0o001))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// certificates

/// Paths of a key pair and certificate made by [`make_cert`].
#[derive(Clone, Debug)]
pub struct CertFiles {
    /// The certificate, PEM.
    pub cert_pem: PathBuf,
    /// The private key (EC P-256), PEM, unencrypted.
    pub key_pem: PathBuf,
    /// The certificate, DER.
    pub cert_der: PathBuf,
}

impl CertFiles {
    /// The DER bytes of the certificate (e.g. to pin its SHA-256).
    pub fn der(&self) -> Vec<u8> {
        fs::read(&self.cert_der).expect("read DER certificate")
    }

    /// The PEM text of the certificate.
    pub fn pem(&self) -> Vec<u8> {
        fs::read(&self.cert_pem).expect("read PEM certificate")
    }
}

/// Makes a self-signed end-entity certificate with the openssl CLI in `dir`: files
/// `<name>.pem`, `<name>.key.pem`, `<name>.der`. `sans` is an OpenSSL subjectAltName value such
/// as `DNS:localhost,IP:127.0.0.1,IP:::1` (or `DNS:wrong.example` for wrong-host tests), `cn`
/// the subject CN. The certificate has CA:FALSE, EKU serverAuth, keyUsage digitalSignature, an
/// EC P-256 key and ten years of validity starting now; OpenSSL, GnuTLS and rustls accept it
/// as a pinned trust anchor. Panics if openssl fails.
pub fn make_cert(dir: &Path, name: &str, sans: &str, cn: &str) -> CertFiles {
    let openssl = openssl_binary().expect("openssl command not found");
    fs::create_dir_all(dir).expect("create certificate directory");
    let cnf = dir.join(format!("{name}.cnf"));
    let files = CertFiles {
        cert_pem: dir.join(format!("{name}.pem")),
        key_pem: dir.join(format!("{name}.key.pem")),
        cert_der: dir.join(format!("{name}.der")),
    };
    let config = format!(
        "[req]\n\
         distinguished_name = dn\n\
         prompt = no\n\
         x509_extensions = ext\n\
         [dn]\n\
         CN = {cn}\n\
         [ext]\n\
         basicConstraints = critical,CA:FALSE\n\
         keyUsage = critical,digitalSignature\n\
         extendedKeyUsage = serverAuth\n\
         subjectAltName = {sans}\n\
         subjectKeyIdentifier = hash\n"
    );
    fs::write(&cnf, config).expect("write openssl config");
    let path_str = |p: &Path| p.to_str().expect("UTF-8 certificate path").to_string();
    let run = |args: &[String]| {
        let out = Command::new(&openssl)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req".into(),
        "-x509".into(),
        "-new".into(),
        "-newkey".into(),
        "ec".into(),
        "-pkeyopt".into(),
        "ec_paramgen_curve:P-256".into(),
        "-nodes".into(),
        "-sha256".into(),
        "-days".into(),
        "3650".into(),
        "-config".into(),
        path_str(&cnf),
        "-keyout".into(),
        path_str(&files.key_pem),
        "-out".into(),
        path_str(&files.cert_pem),
    ]);
    run(&[
        "x509".into(),
        "-in".into(),
        path_str(&files.cert_pem),
        "-outform".into(),
        "DER".into(),
        "-out".into(),
        path_str(&files.cert_der),
    ]);
    fs::set_permissions(&files.key_pem, fs::Permissions::from_mode(0o600))
        .expect("chmod private key");
    files
}

// ---------------------------------------------------------------------------------------------
// ports

static RESERVED_PORTS: Mutex<Option<HashSet<u16>>> = Mutex::new(None);

/// Picks `n` distinct free ports on 127.0.0.1 that no other instance of this process holds.
fn reserve_ports(n: usize) -> Vec<u16> {
    let mut guard = lock(&RESERVED_PORTS);
    let reserved = guard.get_or_insert_with(HashSet::new);
    for _ in 0..100 {
        let listeners: Vec<TcpListener> = (0..n)
            .map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0"))
            .collect();
        let ports: Vec<u16> = listeners
            .iter()
            .map(|l| l.local_addr().expect("local_addr").port())
            .collect();
        if ports.iter().all(|p| !reserved.contains(p)) {
            reserved.extend(ports.iter().copied());
            return ports;
        }
    }
    panic!("could not find {n} free ports on 127.0.0.1");
}

fn release_ports(ports: &[u16]) {
    if let Some(reserved) = lock(&RESERVED_PORTS).as_mut() {
        for p in ports {
            reserved.remove(p);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// options

/// How to configure a [`Dovecot`] instance. `Options::default()` gives users user1..user3
/// (passwords pass1..pass3), `pop3_no_flag_updates = yes`, Dovecot's default
/// `auth_failure_delay` (2 s) and no extra configuration.
#[derive(Clone, Debug)]
pub struct Options {
    /// (name, password) pairs; passwords are stored as `{PLAIN}` so APOP, CRAM-MD5 and
    /// SCRAM-SHA-256 work.
    pub users: Vec<(String, String)>,
    /// Dovecot's `pop3_no_flag_updates`: when true, RETR does not mark mail as seen, so the
    /// maildir stays byte for byte unchanged by downloads.
    pub pop3_no_flag_updates: bool,
    /// Dovecot's `auth_failure_delay` in seconds; `None` keeps Dovecot's default (2 s).
    /// `Some(0)` answers a wrong password at once.
    pub auth_failure_delay_secs: Option<u32>,
    /// Dovecot's authentication penalty (anvil): after a failed login, further attempts from
    /// 127.0.0.1 with a different user/password wait 4 s, then 8 s, up to 15 s (repeating
    /// the same wrong password does not grow it). `false` disables it.
    pub auth_penalty: bool,
    /// Lines appended verbatim to the generated dovecot.conf (later settings win).
    pub extra_config: Vec<String>,
    /// When true, dropping the server kills its processes at once (SIGKILL, a few ms) instead
    /// of the graceful SIGTERM stop (about 1.1 s).
    pub fast_stop: bool,
    /// Adds Dovecot 2.3's `oauth2` passdb for XOAUTH2 and OAUTHBEARER, asking this RFC 7662
    /// introspection endpoint (`POST token=…`) about every token; its answer's `username`
    /// must be the user logging in and `active` must be `true`. The passwd-file passdb
    /// stays, for the other mechanisms.
    pub oauth2_introspection_url: Option<String>,
    /// With [`Options::oauth2_introspection_url`]: the scope a token must have.
    pub oauth2_scope: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            users: DEFAULT_USERS
                .iter()
                .map(|(u, p)| (u.to_string(), p.to_string()))
                .collect(),
            pop3_no_flag_updates: true,
            auth_failure_delay_secs: None,
            auth_penalty: true,
            extra_config: Vec::new(),
            fast_stop: false,
            oauth2_introspection_url: None,
            oauth2_scope: None,
        }
    }
}

impl Options {
    /// Same as `Options::default()`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the user list.
    pub fn users<U: Into<String>, P: Into<String>>(
        mut self,
        users: impl IntoIterator<Item = (U, P)>,
    ) -> Self {
        self.users = users
            .into_iter()
            .map(|(u, p)| (u.into(), p.into()))
            .collect();
        self
    }

    /// Adds one user.
    pub fn user(mut self, name: impl Into<String>, password: impl Into<String>) -> Self {
        self.users.push((name.into(), password.into()));
        self
    }

    /// Sets `pop3_no_flag_updates`.
    pub fn pop3_no_flag_updates(mut self, yes: bool) -> Self {
        self.pop3_no_flag_updates = yes;
        self
    }

    /// Sets `auth_failure_delay` in seconds (0 = answer failed logins at once).
    pub fn auth_failure_delay_secs(mut self, secs: u32) -> Self {
        self.auth_failure_delay_secs = Some(secs);
        self
    }

    /// Turns Dovecot's authentication penalty on or off (see [`Options::auth_penalty`]).
    pub fn auth_penalty(mut self, on: bool) -> Self {
        self.auth_penalty = on;
        self
    }

    /// Wrong passwords answered as fast as Dovecot 2.3 can: `auth_failure_delay = 0` and no
    /// penalty. Dovecot still checks pending failures only every 500 ms, so a failed login
    /// takes up to 0.5 s (instead of about 2 s, then 4.5 s and more).
    pub fn fast_auth_failures(self) -> Self {
        self.auth_failure_delay_secs(0).auth_penalty(false)
    }

    /// Makes drop kill the server at once (see [`Options::fast_stop`]).
    pub fn fast_stop(mut self, yes: bool) -> Self {
        self.fast_stop = yes;
        self
    }

    /// Adds the `oauth2` passdb against `introspection_url` (see
    /// [`Options::oauth2_introspection_url`]).
    pub fn oauth2_introspection_url(mut self, introspection_url: impl Into<String>) -> Self {
        self.oauth2_introspection_url = Some(introspection_url.into());
        self
    }

    /// Makes the `oauth2` passdb require `scope` (see [`Options::oauth2_scope`]).
    pub fn oauth2_scope(mut self, scope: impl Into<String>) -> Self {
        self.oauth2_scope = Some(scope.into());
        self
    }

    /// What the OAuth tests start: fast to stop and to refuse, the `oauth2` passdb against
    /// `introspection_url`, requiring `scope` when one is given.
    pub fn for_oauth(introspection_url: impl Into<String>, scope: Option<&str>) -> Self {
        let options = Self::new()
            .fast_stop(true)
            .fast_auth_failures()
            .oauth2_introspection_url(introspection_url);
        match scope {
            Some(scope) => options.oauth2_scope(scope),
            None => options,
        }
    }

    /// Appends one line to the configuration.
    pub fn extra_config(mut self, line: impl Into<String>) -> Self {
        self.extra_config.push(line.into());
        self
    }
}

// ---------------------------------------------------------------------------------------------
// the server

/// Bytes a POP3 client receives for `message` in a RETR response after dot-unstuffing and
/// without the terminating `.CRLF`, when `message` is stored in a maildir file by
/// [`Dovecot::deliver`]: every LF not already preceded by CR becomes CRLF (existing CRLF and
/// bare CR stay as they are), and if the message does not end with LF (an empty message
/// included), Dovecot appends CRLF. Nothing else is changed: no header is added.
pub fn served_bytes(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + message.len() / 16 + 2);
    let mut prev = 0u8;
    for &b in message {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    if prev != b'\n' {
        // Dovecot ends the data with CRLF itself (also for an empty file).
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The size LIST and STAT report for `message` (the `W=` value of its file name): its length
/// with LF counted as CRLF. RETR's `+OK <n> octets` says the same. Equals
/// `served_bytes(message).len()` unless the message lacks a final newline (then Dovecot sends
/// 2 bytes more than it announced: the CRLF it appends).
pub fn list_size(message: &[u8]) -> usize {
    let mut prev = 0u8;
    let mut size = message.len();
    for &b in message {
        if b == b'\n' && prev != b'\r' {
            size += 1;
        }
        prev = b;
    }
    size
}

/// One message written by [`Dovecot::deliver_detailed`].
#[derive(Clone, Debug)]
pub struct Delivered {
    /// The maildir file.
    pub path: PathBuf,
    /// What RETR serves after dot-unstuffing (see [`served_bytes`]).
    pub served: Vec<u8>,
    /// What LIST/STAT report (see [`list_size`]).
    pub list_size: usize,
}

static INSTANCE_COUNTER: AtomicU64 = AtomicU64::new(0);

enum StartError {
    /// Worth another try with new ports (e.g. a port was taken meanwhile).
    Retry(String),
    /// Will not get better.
    Fatal(String),
}

/// A running private Dovecot POP3 server; stopped and deleted on drop.
pub struct Dovecot {
    child: Option<Child>,
    plain_port: u16,
    tls_port: u16,
    instance_name: String,
    config_path: PathBuf,
    cert: CertFiles,
    users: Vec<(String, String)>,
    account: ServerAccount,
    delivery_seq: AtomicU64,
    start_time: Duration,
    fast_stop: bool,
    // Last: removed after the server is stopped in Drop.
    dir: tempfile::TempDir,
}

impl std::fmt::Debug for Dovecot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dovecot")
            .field("instance_name", &self.instance_name)
            .field("plain_port", &self.plain_port)
            .field("tls_port", &self.tls_port)
            .field("dir", &self.dir.path())
            .finish()
    }
}

impl Dovecot {
    /// Starts a server with `opts`. Panics (with the log tail) if Dovecot is missing or does
    /// not come up within 10 s; a start that loses a port race is retried with new ports.
    pub fn start(opts: Options) -> Dovecot {
        let dovecot = dovecot_available().unwrap_or_else(|e| panic!("cannot start Dovecot: {e}"));
        let account =
            server_account().unwrap_or_else(|e| panic!("cannot set up the server user: {e}"));
        validate_users(&opts.users);
        reap_stale_instances();
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            match Self::try_start(&dovecot, &opts, &account) {
                Ok(server) => return server,
                Err(StartError::Retry(why)) => failures.push(why),
                Err(StartError::Fatal(why)) => panic!("Dovecot failed to start: {why}"),
            }
        }
        panic!(
            "Dovecot failed to start {START_ATTEMPTS} times:\n{}",
            failures.join("\n----\n")
        );
    }

    /// [`Dovecot::start`] with default options, or `None` (after printing
    /// `skipped <test_name>: <reason>`) if Dovecot is not installed; panics instead when
    /// `POPLAR_REQUIRE_DOVECOT=1`.
    pub fn start_or_skip(test_name: &str) -> Option<Dovecot> {
        Self::start_or_skip_with(test_name, Options::default())
    }

    /// Like [`Dovecot::start_or_skip`] with explicit options.
    pub fn start_or_skip_with(test_name: &str, opts: Options) -> Option<Dovecot> {
        require_or_skip(test_name)?;
        Some(Self::start(opts))
    }

    fn try_start(
        dovecot: &Path,
        opts: &Options,
        account: &ServerAccount,
    ) -> Result<Dovecot, StartError> {
        let began = Instant::now();
        let fatal = |what: &str, e: std::io::Error| StartError::Fatal(format!("{what}: {e}"));
        let dir = tempfile::Builder::new()
            .prefix("poplar-dovecot-")
            .tempdir()
            .map_err(|e| fatal("create temp dir", e))?;
        let root = dir.path().to_path_buf();
        let root_str = root
            .to_str()
            .ok_or_else(|| StartError::Fatal(format!("temp dir {root:?} is not UTF-8")))?
            .to_string();
        for sub in ["run", "state", "log", "ssl", "home"] {
            fs::create_dir_all(root.join(sub)).map_err(|e| fatal("create dirs", e))?;
        }

        let cert = make_cert(
            &root.join("ssl"),
            "server",
            "DNS:localhost,IP:127.0.0.1,IP:::1",
            "localhost",
        );

        let mut passwd = String::new();
        for (user, pass) in &opts.users {
            passwd.push_str(&format!("{user}:{{PLAIN}}{pass}::::::\n"));
            for sub in ["cur", "new", "tmp"] {
                fs::create_dir_all(root.join("home").join(user).join("Maildir").join(sub))
                    .map_err(|e| fatal("create maildir", e))?;
            }
        }
        let passwd_path = root.join("passwd");
        fs::write(&passwd_path, passwd).map_err(|e| fatal("write passwd", e))?;
        fs::set_permissions(&passwd_path, fs::Permissions::from_mode(0o600))
            .map_err(|e| fatal("chmod passwd", e))?;
        if let Some(oauth2) = oauth2_config(opts) {
            fs::write(root.join(OAUTH2_CONFIG), oauth2).map_err(|e| fatal("write oauth2", e))?;
        }

        let ports = reserve_ports(2);
        let (plain_port, tls_port) = (ports[0], ports[1]);
        let instance_name = format!(
            "poplar-{}-{}-{}",
            std::process::id(),
            INSTANCE_COUNTER.fetch_add(1, Ordering::Relaxed),
            plain_port
        );
        let config = render_config(
            &root_str,
            &instance_name,
            plain_port,
            tls_port,
            opts,
            account,
            &cert,
        );
        let config_path = root.join("dovecot.conf");
        let spawned = (|| {
            fs::write(&config_path, config).map_err(|e| fatal("write config", e))?;
            if account.as_root {
                chown_tree(&root, account.uid, account.gid)
                    .map_err(|e| fatal("chown temp dir", e))?;
                make_ancestors_traversable(&root).map_err(|e| fatal("chmod o+x ancestors", e))?;
            }
            let stderr = fs::File::create(root.join("log").join("stderr.log"))
                .map_err(|e| fatal("create stderr log", e))?;
            let stdout = stderr
                .try_clone()
                .map_err(|e| fatal("clone stderr log", e))?;
            // -F: the master stays in the foreground as our child, so we can wait for it.
            // As root, the master runs as root and starts every service as the unprivileged
            // account (default_internal_user, default_login_user, userdb uid/gid).
            Command::new(dovecot)
                .arg("-F")
                .arg("-c")
                .arg(&config_path)
                .stdin(Stdio::null())
                .stdout(stdout)
                .stderr(stderr)
                .spawn()
                .map_err(|e| fatal("spawn dovecot", e))
        })();
        let child = match spawned {
            Ok(child) => child,
            Err(e) => {
                release_ports(&ports);
                return Err(e);
            }
        };
        let mut server = Dovecot {
            child: Some(child),
            plain_port,
            tls_port,
            instance_name,
            config_path,
            cert,
            users: opts.users.clone(),
            account: account.clone(),
            delivery_seq: AtomicU64::new(0),
            start_time: Duration::ZERO,
            fast_stop: opts.fast_stop,
            dir,
        };
        // On error, dropping `server` stops the master and releases the ports.
        server.wait_ready()?;
        server.start_time = began.elapsed();
        Ok(server)
    }

    fn wait_ready(&mut self) -> Result<(), StartError> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                let log = self.log_tail();
                let why = format!("dovecot exited during start-up ({status}):\n{log}");
                return Err(if log.contains("Address already in use") {
                    StartError::Retry(why)
                } else {
                    StartError::Fatal(why)
                });
            }
            // The master binds all listeners before it starts any service, so once the plain
            // port greets with our instance name, the TLS port is ours too. It is checked in
            // /proc/net/tcp rather than by connecting, which would start a login process.
            if self.greeting_is_ours() && port_is_listening(self.tls_port) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(StartError::Fatal(format!(
                    "ports {} and {} not ready after {READY_TIMEOUT:?}:\n{}",
                    self.plain_port,
                    self.tls_port,
                    self.log_tail()
                )));
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Connects to the plain port and checks the greeting names this instance (and not some
    /// other server that grabbed the port).
    fn greeting_is_ours(&self) -> bool {
        let Ok(stream) = TcpStream::connect_timeout(&self.plain_addr(), Duration::from_secs(1))
        else {
            return false;
        };
        if stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .is_err()
        {
            return false;
        }
        let mut line = String::new();
        let mut reader = BufReader::new(&stream);
        if reader.read_line(&mut line).is_err() {
            return false;
        }
        let ours = line.starts_with("+OK") && line.contains(&self.instance_name);
        // Finish the session properly, so no login process is busy when a test stops us.
        let mut bye = String::new();
        let _ = (&stream)
            .write_all(b"QUIT\r\n")
            .and_then(|()| reader.read_line(&mut bye));
        ours
    }

    /// Host to connect to: always `"127.0.0.1"`.
    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    /// Port of plain POP3 (STLS offered).
    pub fn plain_port(&self) -> u16 {
        self.plain_port
    }

    /// Port of implicit-TLS POP3 (POP3S).
    pub fn tls_port(&self) -> u16 {
        self.tls_port
    }

    /// 127.0.0.1:plain_port.
    pub fn plain_addr(&self) -> SocketAddr {
        SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, self.plain_port))
    }

    /// 127.0.0.1:tls_port.
    pub fn tls_addr(&self) -> SocketAddr {
        SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, self.tls_port))
    }

    /// The configured (user, password) pairs.
    pub fn users(&self) -> &[(String, String)] {
        &self.users
    }

    /// Password of `user`; panics for an unknown user.
    pub fn password(&self, user: &str) -> &str {
        self.users
            .iter()
            .find(|(u, _)| u == user)
            .map(|(_, p)| p.as_str())
            .unwrap_or_else(|| panic!("unknown user {user}"))
    }

    /// The instance's temporary directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The generated dovecot.conf.
    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// Dovecot's `instance_name` (unique per instance; also part of the greeting).
    pub fn instance_name(&self) -> &str {
        &self.instance_name
    }

    /// The account the server processes run as.
    pub fn account(&self) -> &ServerAccount {
        &self.account
    }

    /// How long the successful start took (certificate, config, until both ports answered).
    pub fn start_time(&self) -> Duration {
        self.start_time
    }

    /// Pid of the Dovecot master process, if it is running.
    pub fn master_pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The server certificate and key (self-signed, CN=localhost, SAN DNS:localhost,
    /// IP:127.0.0.1, IP:::1, CA:FALSE).
    pub fn cert(&self) -> &CertFiles {
        &self.cert
    }

    /// Path of the server certificate (PEM); trust this file in clients.
    pub fn cert_pem_path(&self) -> &Path {
        &self.cert.cert_pem
    }

    /// The server certificate in DER (to pin its SHA-256).
    pub fn cert_der(&self) -> Vec<u8> {
        self.cert.der()
    }

    /// Home directory of `user`.
    pub fn home(&self, user: &str) -> PathBuf {
        self.dir.path().join("home").join(user)
    }

    /// Maildir of `user` (contains cur, new, tmp).
    pub fn maildir(&self, user: &str) -> PathBuf {
        self.home(user).join("Maildir")
    }

    /// Path of the Dovecot log (all levels).
    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("log").join("dovecot.log")
    }

    /// The last 40 lines of the Dovecot log and of the master's stderr.
    pub fn log_tail(&self) -> String {
        let tail = |path: PathBuf| -> String {
            let text = fs::read(&path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_else(|e| format!("({}: {e})", path.display()));
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(40)..].join("\n")
        };
        format!(
            "--- {} ---\n{}\n--- stderr ---\n{}",
            self.log_path().display(),
            tail(self.log_path()),
            tail(self.dir.path().join("log").join("stderr.log"))
        )
    }

    /// Writes `messages` (LF line endings expected) into `user`'s `Maildir/cur` in order, so
    /// they get increasing UIDs and POP3 serves them as the next message numbers. Returns,
    /// for each message, the exact bytes RETR serves after dot-unstuffing
    /// ([`served_bytes`]: LF becomes CRLF, a missing final newline becomes CRLF).
    pub fn deliver<M: AsRef<[u8]>>(&self, user: &str, messages: &[M]) -> Vec<Vec<u8>> {
        self.deliver_detailed(user, messages)
            .into_iter()
            .map(|d| d.served)
            .collect()
    }

    /// Like [`Dovecot::deliver`], also returning file paths and LIST sizes. Files are named
    /// `<unique>.<n>.poplartest,S=<size>,W=<CRLF size>:2,`, where `<unique>` is an increasing
    /// number (Dovecot orders new maildir files by it), and belong to the server account.
    pub fn deliver_detailed<M: AsRef<[u8]>>(&self, user: &str, messages: &[M]) -> Vec<Delivered> {
        assert!(
            self.users.iter().any(|(u, _)| u == user),
            "deliver: unknown user {user}"
        );
        let maildir = self.maildir(user);
        let mut out = Vec::with_capacity(messages.len());
        for message in messages {
            let message = message.as_ref();
            let n = self.delivery_seq.fetch_add(1, Ordering::Relaxed);
            let size = list_size(message);
            let name = format!(
                "{}.{n}.poplartest,S={},W={size}:2,",
                1_600_000_000 + n,
                message.len()
            );
            let tmp = maildir.join("tmp").join(&name);
            let dest = maildir.join("cur").join(&name);
            fs::write(&tmp, message).expect("write message into Maildir/tmp");
            if self.account.as_root {
                std::os::unix::fs::chown(&tmp, Some(self.account.uid), Some(self.account.gid))
                    .expect("chown message file");
            }
            fs::rename(&tmp, &dest).expect("move message into Maildir/cur");
            out.push(Delivered {
                path: dest,
                served: served_bytes(message),
                list_size: size,
            });
        }
        out
    }

    /// Stops the server gracefully: SIGTERM to the master, which closes the ports and stops
    /// its services (about 1.1 s); if it has not exited after 2 s, every process of the
    /// instance gets SIGKILL. Processes of the instance still alive after the master exited
    /// are killed too. Called by drop (unless [`Options::fast_stop`]); calling it earlier is
    /// fine, later calls do nothing.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal(&[child.id()], "TERM");
            let deadline = Instant::now() + STOP_GRACE;
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => {
                        thread::sleep(Duration::from_millis(10))
                    }
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                }
            }
        }
        self.kill_leftovers();
        release_ports(&[self.plain_port, self.tls_port]);
    }

    /// Kills the master and every other process of this instance with SIGKILL at once
    /// (connections are reset, nothing is logged). Later calls do nothing.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let mut pids = instance_pids(&self.instance_name);
            pids.push(child.id());
            signal(&pids, "KILL");
            let _ = child.kill();
            let _ = child.wait();
        }
        self.kill_leftovers();
        release_ports(&[self.plain_port, self.tls_port]);
    }

    /// SIGKILLs processes whose title names this instance (`dovecot-<instance>/...`) and
    /// waits up to 2 s until they are gone.
    fn kill_leftovers(&self) {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let pids = instance_pids(&self.instance_name);
            if pids.is_empty() || Instant::now() > deadline {
                return;
            }
            signal(&pids, "KILL");
            thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Sends signal `name` (e.g. "TERM") to `pids` with the kill command (std has no kill(2)).
fn signal(pids: &[u32], name: &str) {
    if pids.is_empty() {
        return;
    }
    let _ = Command::new("kill")
        .arg(format!("-{name}"))
        .args(pids.iter().map(u32::to_string))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Live (not zombie) processes whose command line contains `dovecot-<instance>/`: every
/// service process of an instance sets such a title.
fn instance_pids(instance: &str) -> Vec<u32> {
    let needle = format!("dovecot-{instance}/");
    processes()
        .filter(|(pid, cmdline)| {
            cmdline
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
                && process_alive(*pid)
        })
        .map(|(pid, _)| pid)
        .collect()
}

/// Every process in /proc with its command line (NUL-separated arguments); none if /proc
/// cannot be read.
fn processes() -> impl Iterator<Item = (u32, Vec<u8>)> {
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let cmdline = fs::read(entry.path().join("cmdline")).ok()?;
            Some((pid, cmdline))
        })
}

/// The test process that owns `instance` ("poplar-<pid>-<n>-<port>"), if it is gone.
fn dead_owner(instance: &str) -> bool {
    instance
        .strip_prefix("poplar-")
        .and_then(|rest| rest.split('-').next())
        .and_then(|pid| pid.parse::<u32>().ok())
        .is_some_and(|pid| pid != std::process::id() && !process_alive(pid))
}

/// Whether `pid` exists and is not a zombie.
fn process_alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
    })
}

/// `instance_name` from a dovecot.conf written by this module.
fn instance_of_config(config: &Path) -> Option<String> {
    let text = fs::read_to_string(config).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("instance_name = "))
        .map(|v| v.trim().to_string())
}

/// Kills Dovecot processes and removes temp directories left behind by test processes that
/// died without dropping their [`Dovecot`] (e.g. killed on a timeout). Only instances whose
/// owning process (the pid in the instance name) no longer exists are touched. Runs once per
/// process, from the first [`Dovecot::start`].
pub fn reap_stale_instances() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let mut victims = Vec::new();
        for (pid, cmdline) in processes() {
            let text = String::from_utf8_lossy(&cmdline);
            let args: Vec<&str> = text.split('\0').collect();
            // Service processes are titled "dovecot-<instance>/<service>".
            let service_of_dead = text
                .split_once("dovecot-poplar-")
                .and_then(|(_, rest)| rest.split_once('/'))
                .is_some_and(|(inst, _)| dead_owner(&format!("poplar-{inst}")));
            // Masters run as "dovecot -F -c <tmp>/poplar-dovecot-*/dovecot.conf".
            let master_of_dead = args
                .iter()
                .position(|a| *a == "-c")
                .and_then(|i| args.get(i + 1))
                .filter(|conf| conf.contains("/poplar-dovecot-"))
                .and_then(|conf| instance_of_config(Path::new(conf)))
                .is_some_and(|inst| dead_owner(&inst));
            if service_of_dead || master_of_dead {
                victims.push(pid);
            }
        }
        signal(&victims, "KILL");
        if let Ok(entries) = fs::read_dir(std::env::temp_dir()) {
            for entry in entries.flatten() {
                let stale = entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with("poplar-dovecot-")
                    && instance_of_config(&entry.path().join("dovecot.conf"))
                        .is_some_and(|inst| dead_owner(&inst));
                if stale {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
    });
}

/// Whether something listens on 127.0.0.1:`port` (or 0.0.0.0), according to /proc/net/tcp.
/// Falls back to a connection attempt if /proc/net/tcp cannot be read.
fn port_is_listening(port: u16) -> bool {
    let Ok(table) = fs::read_to_string("/proc/net/tcp") else {
        return TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok();
    };
    let wanted = [
        format!("0100007F:{port:04X}"),
        format!("00000000:{port:04X}"),
    ];
    table.lines().skip(1).any(|line| {
        let mut fields = line.split_whitespace();
        let local = fields.nth(1).unwrap_or("");
        let state = fields.nth(1).unwrap_or("");
        state == "0A" && wanted.iter().any(|w| w == local)
    })
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if self.fast_stop {
            self.kill();
        } else {
            self.stop();
        }
    }
}

fn validate_users(users: &[(String, String)]) {
    for (user, pass) in users {
        assert!(
            !user.is_empty()
                && user
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-@+".contains(&b)),
            "unsupported user name {user:?}"
        );
        assert!(
            !pass.contains([':', '\n', '\r']),
            "unsupported password for {user} (no ':' or newlines)"
        );
    }
}

/// The `oauth2` passdb's settings file, beside dovecot.conf.
const OAUTH2_CONFIG: &str = "dovecot-oauth2.conf.ext";

/// The `oauth2` passdb's settings for Dovecot 2.3, if the options ask for it.
fn oauth2_config(opts: &Options) -> Option<String> {
    let url = opts.oauth2_introspection_url.as_ref()?;
    let scope = opts
        .oauth2_scope
        .as_ref()
        .map(|s| format!("scope = {s}\n"))
        .unwrap_or_default();
    Some(format!(
        "introspection_url = {url}
introspection_mode = post
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
{scope}timeout_msecs = 10000
debug = yes
"
    ))
}

fn render_config(
    root: &str,
    instance_name: &str,
    plain_port: u16,
    tls_port: u16,
    opts: &Options,
    account: &ServerAccount,
    cert: &CertFiles,
) -> String {
    let ServerAccount {
        user,
        group,
        uid,
        gid,
        ..
    } = account;
    let no_flag_updates = if opts.pop3_no_flag_updates {
        "yes"
    } else {
        "no"
    };
    let failure_delay = opts
        .auth_failure_delay_secs
        .map(|s| format!("auth_failure_delay = {s} secs\n"))
        .unwrap_or_default();
    // Without access to this socket the auth process disables the penalty.
    let penalty = if opts.auth_penalty {
        ""
    } else {
        "\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }"
    };
    let (oauth2_mechanisms, oauth2_passdb) = if opts.oauth2_introspection_url.is_some() {
        (
            " xoauth2 oauthbearer",
            format!(
                "passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  \
                 args = {root}/{OAUTH2_CONFIG}\n}}\n"
            ),
        )
    } else {
        ("", String::new())
    };
    let cert_pem = cert.cert_pem.display();
    let key_pem = cert.key_pem.display();
    let generated = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut conf = format!(
        "# generated by tests/support/dovecot.rs at unix time {generated}
instance_name = {instance_name}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/log/dovecot.log
info_log_path = {root}/log/dovecot.log
debug_log_path = {root}/log/dovecot.log
protocols = pop3
listen = 127.0.0.1
login_greeting = Dovecot ready ({instance_name}).

default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
first_valid_gid = {gid}

ssl = yes
ssl_cert = <{cert_pem}
ssl_key = <{key_pem}
ssl_min_protocol = TLSv1.2

disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5 apop scram-sha-256{oauth2_mechanisms}
auth_verbose = yes
{failure_delay}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
{oauth2_passdb}userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir

pop3_uidl_format = %08Xu%08Xv
pop3_no_flag_updates = {no_flag_updates}
mail_max_userip_connections = 1000
default_process_limit = 500
default_client_limit = 1000

service pop3-login {{
  chroot =
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {plain_port}
  }}
  inet_listener pop3s {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot ={penalty}
}}
"
    );
    for line in &opts.extra_config {
        conf.push_str(line);
        conf.push('\n');
    }
    conf
}

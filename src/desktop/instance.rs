//! One Poplar per data directory.
//!
//! The first Poplar to start takes `instance.lock` in the data directory (an advisory lock the
//! kernel drops when the process ends, however it ends) and listens on a Unix socket. A later
//! start finds the lock taken and hands its request to the running Poplar over the socket:
//! raise the window, open these files, or (for `poplar sync`) check now and report. The lock
//! is the truth, not the socket file: a socket left behind by a crash belongs to nobody who
//! holds the lock, so the next first Poplar removes it and listens anew.
//!
//! The socket is `$XDG_RUNTIME_DIR/poplar-<hash of the data directory>.sock` (in a Flatpak,
//! under `$XDG_RUNTIME_DIR/app/<id>/`), or `instance.sock` in the data directory where there
//! is no runtime directory. The protocol is
//! one line of request, then lines of answer; text that could hold spaces or line breaks
//! (paths, errors, warnings) travels as hex.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::store::AccountId;
use crate::sync::{PassReport, Progress};

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "instance.lock";

/// What a check reports, line by line: the same for a check run here and one run by the
/// window on our behalf.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckLine {
    /// Download progress of an account.
    Progress(AccountId, Progress),
    /// The account's check finished.
    Finished(AccountId, PassReport),
    /// The account's check failed: why, in words.
    Failed(AccountId, String),
}

/// Who got here first.
#[derive(Debug)]
pub enum Claim {
    /// This process is the one Poplar: it should open the window and [`Primary::serve`].
    First(Primary),
    /// Another Poplar runs over this data directory.
    Running(Running),
}

/// The lock of the first Poplar, before it serves.
#[derive(Debug)]
pub struct Primary {
    _lock: File,
    socket: PathBuf,
}

/// A Poplar that is running already.
#[derive(Debug)]
pub struct Running {
    socket: PathBuf,
}

/// The socket of the Poplar over `data_dir`.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    let canonical = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute() && dir.is_dir())
        // Each Flatpak sandbox has a runtime directory of its own; only `app/<id>` in it is
        // shared by all of the app's sandboxes.
        .map(|dir| match std::env::var_os("FLATPAK_ID") {
            Some(id) => dir.join("app").join(id),
            None => dir,
        })
        .filter(|dir| dir.is_dir());
    match runtime {
        Some(dir) => dir.join(format!(
            "poplar-{:016x}.sock",
            fnv1a(canonical.as_os_str().as_encoded_bytes())
        )),
        None => canonical.join("instance.sock"),
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Takes the instance lock of `data_dir`, or finds the Poplar that has it.
pub fn claim(data_dir: &Path) -> io::Result<Claim> {
    std::fs::create_dir_all(data_dir)?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(data_dir.join(LOCK_FILE))?;
    let socket = socket_path(data_dir);
    match file.try_lock() {
        Ok(()) => Ok(Claim::First(Primary {
            _lock: file,
            socket,
        })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(Claim::Running(Running { socket })),
        Err(std::fs::TryLockError::Error(err)) => Err(err),
    }
}

/// The running Poplar over `data_dir`, if one answers on its socket (the command line's way
/// in: it never takes the lock).
pub fn running(data_dir: &Path) -> Option<Running> {
    let running = Running {
        socket: socket_path(data_dir),
    };
    running.connect().ok().map(|_| running)
}

fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "-".to_owned();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text == "-" {
        return Some(Vec::new());
    }
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn unhex_text(text: &str) -> Option<String> {
    unhex(text).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// One line of a check's answer.
pub fn encode_check_line(line: &CheckLine) -> String {
    match line {
        CheckLine::Progress(account, p) => format!(
            "progress {account} {} {} {} {}",
            p.messages_done, p.messages_total, p.bytes_done, p.bytes_total
        ),
        CheckLine::Finished(account, r) => format!(
            "finished {account} {} {} {} {} {} {} {}",
            r.downloaded,
            r.partial,
            r.duplicates,
            r.skipped,
            r.deleted_on_server,
            r.duration.as_millis(),
            hex(r.warnings.join("\n").as_bytes())
        ),
        CheckLine::Failed(account, error) => format!("failed {account} {}", hex(error.as_bytes())),
    }
}

/// Reads one line of a check's answer; `None` for anything else.
pub fn decode_check_line(line: &str) -> Option<CheckLine> {
    let words: Vec<&str> = line.split(' ').collect();
    let number = |i: usize| words.get(i).and_then(|w| w.parse::<u64>().ok());
    let account: AccountId = words.get(1)?.parse().ok()?;
    match *words.first()? {
        "progress" if words.len() == 6 => Some(CheckLine::Progress(
            account,
            Progress {
                messages_done: number(2)?,
                messages_total: number(3)?,
                bytes_done: number(4)?,
                bytes_total: number(5)?,
            },
        )),
        "finished" if words.len() == 9 => {
            let warnings = unhex_text(words[8])?;
            Some(CheckLine::Finished(
                account,
                PassReport {
                    downloaded: number(2)?,
                    partial: number(3)?,
                    duplicates: number(4)?,
                    skipped: number(5)?,
                    deleted_on_server: number(6)?,
                    duration: std::time::Duration::from_millis(number(7)?),
                    login_delay: None,
                    warnings: if warnings.is_empty() {
                        Vec::new()
                    } else {
                        warnings.lines().map(str::to_owned).collect()
                    },
                },
            ))
        }
        "failed" if words.len() == 3 => Some(CheckLine::Failed(account, unhex_text(words[2])?)),
        _ => None,
    }
}

/// A request, as sent on the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Request {
    Raise,
    Open(Vec<PathBuf>),
    Check(Option<AccountId>),
}

/// A path from the bytes [`encode_request`] sent: exactly those bytes on Unix, where a file
/// name need not be UTF-8.
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    #[cfg(unix)]
    return PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes));
    #[cfg(not(unix))]
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

fn encode_request(request: &Request) -> String {
    match request {
        Request::Raise => "raise".to_owned(),
        Request::Open(paths) => {
            let mut line = "open".to_owned();
            for path in paths {
                line.push(' ');
                line.push_str(&hex(path.as_os_str().as_encoded_bytes()));
            }
            line
        }
        Request::Check(None) => "check".to_owned(),
        Request::Check(Some(account)) => format!("check {account}"),
    }
}

fn decode_request(line: &str) -> Option<Request> {
    let mut words = line.split(' ');
    match words.next()? {
        "raise" => Some(Request::Raise),
        "open" => {
            let paths = words
                .map(|w| unhex(w).map(path_from_bytes))
                .collect::<Option<Vec<_>>>()?;
            Some(Request::Open(paths))
        }
        "check" => match words.next() {
            None => Some(Request::Check(None)),
            Some(id) => id.parse().ok().map(|id| Request::Check(Some(id))),
        },
        _ => None,
    }
}

#[cfg(unix)]
mod unix {
    use std::io::{self, BufRead as _, BufReader, Read as _, Write as _};
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::{CheckLine, Primary, Request, Running, decode_check_line, decode_request};
    use super::{encode_check_line, encode_request};
    use crate::desktop::{Reveal, RevealSink};
    use crate::sync::{EngineHandle, Event};

    /// A request line is short; anything longer is not one of ours.
    const MAX_REQUEST: u64 = 1 << 20;

    /// The running server: it stops and removes its socket when dropped (the lock goes with
    /// the process, or with this value).
    #[derive(Debug)]
    pub struct Server {
        _primary: Primary,
        socket: PathBuf,
        stop: Arc<AtomicBool>,
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            // Wake the accept loop so it sees the flag, then take the socket away.
            let _ = UnixStream::connect(&self.socket);
            let _ = std::fs::remove_file(&self.socket);
        }
    }

    impl Primary {
        /// Listens for other Poplars' requests: checks go to `engine`, the rest to `sink`.
        /// A socket file left by a Poplar that crashed is removed first (we hold the lock,
        /// so nobody is listening on it).
        pub fn serve(self, engine: EngineHandle, sink: RevealSink) -> io::Result<Server> {
            let socket = self.socket.clone();
            match std::fs::remove_file(&socket) {
                Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
                _ => {}
            }
            let listener = UnixListener::bind(&socket)?;
            let stop = Arc::new(AtomicBool::new(false));
            let stopped = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("poplar-instance".into())
                .spawn(move || {
                    for connection in listener.incoming() {
                        if stopped.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(connection) = connection else {
                            continue;
                        };
                        let engine = engine.clone();
                        let sink = Arc::clone(&sink);
                        let _ = std::thread::Builder::new()
                            .name("poplar-instance-client".into())
                            .spawn(move || {
                                if let Err(err) = answer(connection, &engine, &sink) {
                                    tracing::debug!("an instance request ended: {err}");
                                }
                            });
                    }
                })?;
            Ok(Server {
                _primary: self,
                socket,
                stop,
            })
        }
    }

    fn answer(stream: UnixStream, engine: &EngineHandle, sink: &RevealSink) -> io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut reader = BufReader::new(stream.try_clone()?).take(MAX_REQUEST);
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let mut out = stream;
        let Some(request) = decode_request(line.trim_end_matches(['\r', '\n'])) else {
            writeln!(out, "error unknown request")?;
            return Ok(());
        };
        match request {
            Request::Raise => {
                sink(Reveal::Window);
                writeln!(out, "ok")
            }
            Request::Open(paths) => {
                sink(Reveal::Open(paths));
                writeln!(out, "ok")
            }
            Request::Check(account) => {
                let events = engine.subscribe();
                engine.check_now(account);
                writeln!(out, "ok")?;
                while let Ok(event) = events.recv_blocking() {
                    let line = match event {
                        Event::Progress { account, progress } => {
                            CheckLine::Progress(account, progress)
                        }
                        Event::Finished { account, report } => CheckLine::Finished(account, report),
                        Event::Failed { account, error, .. } => {
                            CheckLine::Failed(account, crate::app::trouble::for_terminal(&error))
                        }
                        _ => continue,
                    };
                    // The asker hangs up once its accounts are done: that ends this thread.
                    writeln!(out, "{}", encode_check_line(&line))?;
                }
                Ok(())
            }
        }
    }

    /// The lines of a check that the running Poplar makes for us.
    #[derive(Debug)]
    pub struct CheckStream {
        lines: io::Lines<BufReader<UnixStream>>,
    }

    impl Iterator for CheckStream {
        type Item = io::Result<CheckLine>;

        fn next(&mut self) -> Option<Self::Item> {
            loop {
                match self.lines.next()? {
                    Err(err) => return Some(Err(err)),
                    Ok(line) => {
                        if let Some(line) = decode_check_line(&line) {
                            return Some(Ok(line));
                        }
                    }
                }
            }
        }
    }

    impl Running {
        pub(super) fn connect(&self) -> io::Result<UnixStream> {
            UnixStream::connect(&self.socket)
        }

        /// Connects, retrying for a few seconds: a Poplar that has just taken the lock may
        /// not be listening yet.
        fn connect_patiently(&self) -> io::Result<UnixStream> {
            let mut last = None;
            for _ in 0..50 {
                match self.connect() {
                    Ok(stream) => return Ok(stream),
                    Err(err) => last = Some(err),
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(last.unwrap_or_else(|| io::Error::other("no answer")))
        }

        fn send(&self, request: &Request) -> io::Result<BufReader<UnixStream>> {
            let mut stream = self.connect_patiently()?;
            stream.set_read_timeout(Some(Duration::from_secs(10)))?;
            writeln!(stream, "{}", encode_request(request))?;
            let mut reader = BufReader::new(stream);
            let mut answer = String::new();
            reader.read_line(&mut answer)?;
            if answer.trim_end() != "ok" {
                return Err(io::Error::other(format!(
                    "the running Poplar answered {:?}",
                    answer.trim_end()
                )));
            }
            Ok(reader)
        }

        /// Asks the running Poplar to bring its window to the front.
        pub fn raise(&self) -> io::Result<()> {
            self.send(&Request::Raise).map(drop)
        }

        /// Asks the running Poplar to import and show these files.
        pub fn open(&self, paths: Vec<PathBuf>) -> io::Result<()> {
            self.send(&Request::Open(paths)).map(drop)
        }

        /// Asks the running Poplar to check one account, or all, and streams what its check
        /// reports. A check can take long: no time limit once it has started.
        pub fn check(&self, account: Option<crate::store::AccountId>) -> io::Result<CheckStream> {
            let reader = self.send(&Request::Check(account))?;
            reader.get_ref().set_read_timeout(None)?;
            Ok(CheckStream {
                lines: reader.lines(),
            })
        }
    }
}

#[cfg(unix)]
pub use unix::{CheckStream, Server};

#[cfg(not(unix))]
impl Running {
    fn connect(&self) -> io::Result<()> {
        Err(io::Error::other("not on this platform"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_check_lines_survive_the_wire_with_spaces_and_line_breaks() {
        #[allow(unused_mut)]
        let mut paths = vec![
            PathBuf::from("/home/a b/Mail\nx.eml"),
            PathBuf::from("/tmp/ü.mbox"),
        ];
        // A Latin-1 file name is not UTF-8: its bytes must arrive as they are.
        #[cfg(unix)]
        paths.push(path_from_bytes(b"/tmp/Latin-1 \xe4.eml".to_vec()));
        for request in [
            Request::Raise,
            Request::Open(paths),
            Request::Check(None),
            Request::Check(Some(7)),
        ] {
            assert_eq!(decode_request(&encode_request(&request)), Some(request));
        }
        let report = PassReport {
            downloaded: 3,
            partial: 1,
            duplicates: 2,
            skipped: 4,
            deleted_on_server: 5,
            duration: std::time::Duration::from_millis(1234),
            login_delay: None,
            warnings: vec!["first warning".into(), "second one".into()],
        };
        for line in [
            CheckLine::Finished(2, report),
            CheckLine::Finished(2, PassReport::default()),
            CheckLine::Failed(9, "the server said: -ERR no\nreally".into()),
            CheckLine::Progress(
                1,
                Progress {
                    messages_done: 1,
                    messages_total: 2,
                    bytes_done: 3,
                    bytes_total: 4,
                },
            ),
        ] {
            assert_eq!(decode_check_line(&encode_check_line(&line)), Some(line));
        }
        assert_eq!(decode_request("format c:"), None);
        assert_eq!(decode_check_line("finished x"), None);
        assert_eq!(unhex("abc"), None);
    }

    #[test]
    fn a_second_claim_finds_the_first_and_the_lock_goes_with_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let Claim::First(first) = claim(dir.path()).expect("claim") else {
            panic!("the first claim must be first");
        };
        assert!(matches!(claim(dir.path()), Ok(Claim::Running(_))));
        drop(first);
        assert!(matches!(claim(dir.path()), Ok(Claim::First(_))));
    }
}

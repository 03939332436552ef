//! A delay proxy for the benchmarks: latency on loopback without root (no netem).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// One way's delay for a 50 ms round trip.
pub const ONE_WAY_DELAY: Duration = Duration::from_millis(25);
/// Read size of the proxy's pumps.
const PROXY_CHUNK: usize = 256 * 1024;

/// A byte-transparent TCP proxy on 127.0.0.1 that delivers every chunk, in each direction,
/// `delay` after it was read: latency without a bandwidth limit (a chunk waits only for its
/// own due time, never for the delays of the chunks before it). TLS passes through unchanged.
pub struct DelayProxy {
    port: u16,
    stop: Arc<AtomicBool>,
    acceptor: Option<thread::JoinHandle<()>>,
}

impl DelayProxy {
    /// Starts the proxy in front of `upstream`; with `log_phases`, prints when the client's
    /// chunks passed (the benches' POPLAR_BENCH_PHASES).
    pub fn start(upstream: SocketAddr, delay: Duration, log_phases: bool) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let acceptor = thread::Builder::new()
            .name("delay-proxy".into())
            .spawn(move || {
                for client in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = client else { continue };
                    match TcpStream::connect(upstream) {
                        Ok(server) => {
                            if let Err(e) = relay(client, server, delay, log_phases) {
                                eprintln!("delay proxy: cannot relay a connection: {e}");
                            }
                        }
                        Err(e) => {
                            eprintln!("delay proxy: cannot connect to {upstream}: {e}");
                        }
                    }
                }
            })?;
        Ok(Self {
            port,
            stop,
            acceptor: Some(acceptor),
        })
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for DelayProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so the thread sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// Starts the four threads of one proxied connection (a reader and a writer per direction).
fn relay(
    client: TcpStream,
    server: TcpStream,
    delay: Duration,
    log_phases: bool,
) -> std::io::Result<()> {
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    for (from, to, name) in [
        (client.try_clone()?, server.try_clone()?, "c>s"),
        (server, client, "s>c"),
    ] {
        // `None` marks the end of the stream (or a read error).
        let (tx, rx) = mpsc::channel::<(Instant, Option<Vec<u8>>)>();
        let reader_to = to.try_clone()?;
        thread::Builder::new()
            .name(format!("proxy-{name}-read"))
            .spawn(move || {
                let log = pump_reader(from, reader_to, tx, delay);
                if name == "c>s" && log_phases {
                    let shown: Vec<String> =
                        log.iter().map(|(ms, n)| format!("{ms:.0}:{n}")).collect();
                    eprintln!("    proxy c>s ms:bytes {}", shown.join(" "));
                }
            })?;
        thread::Builder::new()
            .name(format!("proxy-{name}-write"))
            .spawn(move || pump_writer(to, rx))?;
    }
    Ok(())
}

/// Reads chunks as they arrive and hands each over with its due time (read time + delay).
/// Returns when each chunk was read (milliseconds since the start) and its size.
fn pump_reader(
    mut from: TcpStream,
    to: TcpStream,
    tx: mpsc::Sender<(Instant, Option<Vec<u8>>)>,
    delay: Duration,
) -> Vec<(f64, usize)> {
    let started = Instant::now();
    let mut log = Vec::new();
    let mut buf = vec![0u8; PROXY_CHUNK];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                log.push((started.elapsed().as_secs_f64() * 1e3, n));
                if tx
                    .send((Instant::now() + delay, Some(buf[..n].to_vec())))
                    .is_err()
                {
                    // The writer failed: nothing more can be delivered in this direction.
                    let _ = from.shutdown(Shutdown::Read);
                    let _ = to.shutdown(Shutdown::Both);
                    return log;
                }
            }
        }
    }
    let _ = tx.send((Instant::now() + delay, None));
    log
}

/// Delivers each chunk at its due time; passes the end of the stream on as a half-close.
fn pump_writer(mut to: TcpStream, rx: mpsc::Receiver<(Instant, Option<Vec<u8>>)>) {
    while let Ok((due, chunk)) = rx.recv() {
        let now = Instant::now();
        if due > now {
            thread::sleep(due - now);
        }
        match chunk {
            Some(bytes) => {
                if to.write_all(&bytes).is_err() {
                    let _ = to.shutdown(Shutdown::Both);
                    return;
                }
            }
            None => {
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
        }
    }
}

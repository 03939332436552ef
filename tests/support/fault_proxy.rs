//! A TCP proxy that cuts connections, for fault tests against a real server.
//!
//! It listens on `127.0.0.1:0` and forwards every accepted connection to one upstream address
//! (Dovecot's plain or TLS port), byte for byte. For each connection a plan (a closure called
//! with the connection's index) says whether and where to cut it: once a chosen number of
//! bytes has gone one way (server→client or client→server), both sockets are shut down at
//! once, the way a dropped network or a dead NAT entry ends a session. TLS passes through
//! untouched, so a cut can land in the handshake, in a record, or between records.
//!
//! ```ignore
//! let proxy = FaultProxy::start(server.tls_addr(), |_index| {
//!     Some(Cut { direction: Direction::ServerToClient, after: 10_000 })
//! });
//! // ... connect to proxy.port() ...
//! assert!(proxy.connections()[0].was_cut);
//! ```
//!
//! Std threads only: one accepting thread, two pumping threads per connection.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Which way the counted bytes flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Bytes from the upstream server to the client.
    ServerToClient,
    /// Bytes from the client to the upstream server.
    ClientToServer,
}

/// Where to cut one connection: after `after` bytes in `direction` were forwarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    /// The direction whose bytes are counted.
    pub direction: Direction,
    /// How many bytes of that direction get through; the next byte is never delivered.
    pub after: u64,
}

/// What happened on one proxied connection (so far).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnStats {
    /// The plan for it (`None`: forwarded until either side closed).
    pub cut: Option<Cut>,
    /// Bytes forwarded server→client.
    pub to_client: u64,
    /// Bytes forwarded client→server.
    pub to_server: u64,
    /// Whether the cut happened (the connection reached its limit).
    pub was_cut: bool,
}

type Plan = Box<dyn FnMut(usize) -> Option<Cut> + Send>;
type Shared = Arc<Mutex<Vec<Arc<Mutex<ConnStats>>>>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A running proxy; stops accepting when dropped (connections in progress run to their end).
pub struct FaultProxy {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    stats: Shared,
}

impl FaultProxy {
    /// Starts forwarding to `upstream`; `plan` is asked once per accepted connection.
    pub fn start<F>(upstream: SocketAddr, plan: F) -> FaultProxy
    where
        F: FnMut(usize) -> Option<Cut> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy on 127.0.0.1:0");
        let addr = listener.local_addr().expect("proxy address");
        listener
            .set_nonblocking(true)
            .expect("make the proxy listener non-blocking");
        let stop = Arc::new(AtomicBool::new(false));
        let stats: Shared = Arc::default();
        let (stop2, stats2) = (Arc::clone(&stop), Arc::clone(&stats));
        let plan: Plan = Box::new(plan);
        let accept = thread::Builder::new()
            .name(format!("fault-proxy-{}", addr.port()))
            .spawn(move || accept_loop(listener, upstream, plan, &stop2, &stats2))
            .expect("spawn the proxy thread");
        FaultProxy {
            addr,
            stop,
            accept: Some(accept),
            stats,
        }
    }

    /// The port to connect to instead of the server's.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every connection accepted so far, in order.
    pub fn connections(&self) -> Vec<ConnStats> {
        lock(&self.stats).iter().map(|s| lock(s).clone()).collect()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    mut plan: Plan,
    stop: &AtomicBool,
    stats: &Shared,
) {
    let mut index = 0;
    while !stop.load(Ordering::Relaxed) {
        let client = match listener.accept() {
            Ok((client, _)) => client,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(2));
                continue;
            }
            Err(_) => continue,
        };
        let cut = plan(index);
        let record = Arc::new(Mutex::new(ConnStats {
            cut,
            ..ConnStats::default()
        }));
        lock(stats).push(Arc::clone(&record));
        index += 1;
        let Ok(server) = TcpStream::connect_timeout(&upstream, Duration::from_secs(5)) else {
            // The client sees the connection close at once, like a refused upstream.
            continue;
        };
        let _ = client.set_nonblocking(false);
        let _ = client.set_nodelay(true);
        let _ = server.set_nodelay(true);
        let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else {
            continue;
        };
        let limit = |direction| cut.filter(|c| c.direction == direction).map(|c| c.after);
        let pumps = [
            (
                server,
                client,
                limit(Direction::ServerToClient),
                Direction::ServerToClient,
            ),
            (
                client2,
                server2,
                limit(Direction::ClientToServer),
                Direction::ClientToServer,
            ),
        ];
        for (from, to, limit, direction) in pumps {
            let record = Arc::clone(&record);
            let spawned = thread::Builder::new()
                .name(format!("fault-proxy-pump-{index}"))
                .spawn(move || pump(from, to, limit, direction, &record));
            // Without a thread the sockets drop here: the client sees a closed connection.
            drop(spawned);
        }
    }
}

/// Copies `from` to `to` until either side ends or `limit` bytes went through; then shuts
/// both connections down completely, so the other direction's pump ends too.
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    limit: Option<u64>,
    direction: Direction,
    record: &Mutex<ConnStats>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut sent = 0u64;
    let mut was_cut = false;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let allowed = limit.map_or(n, |l| (l.saturating_sub(sent)).min(n as u64) as usize);
        if allowed > 0 && to.write_all(&buf[..allowed]).is_err() {
            break;
        }
        sent += allowed as u64;
        {
            let mut r = lock(record);
            match direction {
                Direction::ServerToClient => r.to_client = sent,
                Direction::ClientToServer => r.to_server = sent,
            }
        }
        if limit.is_some_and(|l| sent >= l) {
            was_cut = true;
            break;
        }
    }
    if was_cut {
        lock(record).was_cut = true;
    }
    let _ = to.flush();
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}

//! The HTTP server of `serve`, on a thread of its own: hyper's HTTP/1.1 on a single-threaded
//! tokio runtime, with file reads on a small pool of blocking threads.
//!
//! **The boundary with the build.** The server is started with a [`Served`]: the folder it
//! serves, which the build updates by atomic renames, and the live-reload [`Hub`], through
//! which the build announces each outcome ([`Hub::rebuilt`], [`Hub::failed`]; until the
//! first `rebuilt`, every page says that the site has not built yet) and learns which pages
//! are open ([`Hub::open_pages`]). The server never calls the build.
//!
//! **Limits.** At most [`MAX_CONNECTIONS`] connections are open at once (further clients
//! wait to be accepted, and the log says so once); request headers are at most
//! [`MAX_HEADER_BYTES`] (431 beyond) and must arrive within [`HEADER_TIME`] of the
//! connection, or of the previous response on a kept-alive one; a connection on which
//! nothing moves for [`IDLE_TIME`] is closed.
//!
//! [`Hub`]: super::events::Hub
//! [`Hub::rebuilt`]: super::events::Hub::rebuilt
//! [`Hub::failed`]: super::events::Hub::failed
//! [`Hub::open_pages`]: super::events::Hub::open_pages

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::http::{Served, respond};
use super::idle::Idle;

/// Connections open at once. Each open tab holds one (its live-reload WebSocket) and
/// briefly up to six more while it loads.
pub const MAX_CONNECTIONS: usize = 256;
/// The largest request head (request line and headers), in bytes.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// How long a client has to send a request's head.
pub const HEADER_TIME: Duration = Duration::from_secs(10);
/// How long a connection may go without a byte sent or received.
pub const IDLE_TIME: Duration = Duration::from_secs(60);
/// Threads reading files at most.
const FILE_THREADS: usize = 8;
/// The limit is said again at most this often.
const SAY_AGAIN: Duration = Duration::from_secs(60);

/// Where the server writes a line for the person running it.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// A running server. It runs until the process ends.
pub struct Server {
    addr: SocketAddr,
}

impl Server {
    /// Serves `served` on `listener` from a thread of its own.
    pub fn start(
        listener: std::net::TcpListener,
        served: Served,
        log: Log,
    ) -> Result<Server, String> {
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot listen: {e}"))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("cannot listen: {e}"))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .max_blocking_threads(FILE_THREADS)
            .thread_name("casebook-serve-files")
            .build()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let served = Arc::new(served);
        std::thread::Builder::new()
            .name("casebook-serve-http".into())
            .spawn(move || runtime.block_on(accept(listener, served, log)))
            .map_err(|e| format!("cannot start the server: {e}"))?;
        Ok(Server { addr })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Accepts connections for ever, at most [`MAX_CONNECTIONS`] at once.
async fn accept(listener: std::net::TcpListener, served: Arc<Served>, log: Log) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => return log(&format!("cannot start the server: {e}")),
    };
    let places = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut said: Option<Instant> = None;
    loop {
        let place = wait_for_place(&places, &mut said, &log).await;
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // A client gone before it was accepted (ECONNABORTED) or no file
                // descriptors left: never a reason to stop serving.
                if !matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                ) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                continue;
            }
        };
        let local = match stream.local_addr() {
            Ok(a) => a.ip(),
            Err(_) => continue,
        };
        let _ = stream.set_nodelay(true);
        let io = Idle::new(stream, IDLE_TIME, Some(place));
        tokio::spawn(connection(io, Arc::clone(&served), local));
    }
}

/// A place under the connection limit; says once when the limit is reached.
async fn wait_for_place(
    places: &Arc<Semaphore>,
    said: &mut Option<Instant>,
    log: &Log,
) -> OwnedSemaphorePermit {
    if let Ok(place) = Arc::clone(places).try_acquire_owned() {
        return place;
    }
    if said.is_none_or(|at| at.elapsed() >= SAY_AGAIN) {
        *said = Some(Instant::now());
        log(&format!(
            "{MAX_CONNECTIONS} connections are open, the most casebook serve keeps: new ones wait until one closes \
             (a connection closes after {} s without traffic, or {} s without a complete request).",
            IDLE_TIME.as_secs(),
            HEADER_TIME.as_secs()
        ));
    }
    // The semaphore is never closed.
    loop {
        if let Ok(place) = Arc::clone(places).acquire_owned().await {
            return place;
        }
    }
}

/// Serves the requests of one connection (and its WebSocket, if it becomes one).
async fn connection(io: Idle<tokio::net::TcpStream>, served: Arc<Served>, local: IpAddr) {
    let service = service_fn(move |request| {
        let served = Arc::clone(&served);
        async move { Ok::<_, Infallible>(respond(request, served, local).await) }
    });
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIME)
        .max_header_size(MAX_HEADER_BYTES)
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades()
        .await;
}

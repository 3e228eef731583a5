//! The HTTP server behind `vellum serve`: the built site over loopback, with live reload.
//!
//! In: [`ServeOptions`] (the folder a build wrote, where to listen). Out: a [`Server`] running
//! on its own thread and tokio runtime, so the caller's build-and-watch loop stays plain
//! synchronous code that calls [`Server::reload`] or [`Server::show_error`] after each
//! rebuild. Files are read from disk on every request and streamed (`files`); the server
//! never holds a copy of the site and never writes to it, and the reload script is added to
//! pages as they are served (`reload`). How many clients may connect, how long they may take
//! and which `Host` they may name is `conn`'s and `host`'s business.

mod conn;
mod files;
mod host;
mod range;
mod reload;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::watch;

use crate::{Error, Result};
pub use reload::EVENTS_PATH;

/// The port `vellum serve` tries first.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports are tried, starting at [`ServeOptions::port`], before giving up.
const PORT_ATTEMPTS: usize = 20;

/// How long shutdown waits for requests still under way, and then the runtime for tasks that
/// still hold on.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// How long clients may take and how many may be served at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From the moment a connection is ready for a request (just opened, or its last response
    /// sent) until the request's head has fully arrived; then the connection is closed. This
    /// bounds idle keep-alive connections and clients that send their head a byte at a time,
    /// but not a response being sent, such as a live-reload stream.
    pub header_timeout: Duration,
    /// Connections open at once, live-reload streams included. When all are taken, a new
    /// connection closes those with no request under way; if none can close it is refused.
    pub max_connections: usize,
    /// Live-reload streams open at once (each open page holds one); more are answered 503,
    /// so that they can never take every connection.
    pub max_event_streams: usize,
}

impl Default for Limits {
    /// 15 s, 256 connections, 64 event streams: far more than one person's browser uses
    /// (about six connections per site), well under the usual limit of 1,024 open files.
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(15),
            max_connections: 256,
            max_event_streams: 64,
        }
    }
}

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The built site.
    pub dir: PathBuf,
    /// The address to listen on; loopback unless the site should be seen from other machines.
    pub bind: IpAddr,
    /// The first port to try; if it is taken the next ones are tried. `0` takes any free port.
    pub port: u16,
    /// Pages reload themselves after a rebuild and show build errors.
    pub live_reload: bool,
    /// Timeouts and caps on connections.
    pub limits: Limits,
}

impl ServeOptions {
    /// `dir` on `127.0.0.1:1111`, with live reload.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ServeOptions {
            dir: dir.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            live_reload: true,
            limits: Limits::default(),
        }
    }
}

/// A running server. Dropping it shuts it down, as [`Server::shutdown`] does.
#[derive(Debug)]
pub struct Server {
    /// Where it is listening: the port may differ from the one asked for.
    pub addr: SocketAddr,
    live: Arc<reload::LiveReload>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds (if `port` is taken, tries the next ones, up to 20) and serves on a background
    /// thread running its own tokio runtime. Returns once listening.
    pub fn start(options: ServeOptions) -> Result<Server> {
        let root = options
            .dir
            .canonicalize()
            .map_err(|e| Error::io(&options.dir, e))?;
        if !root.is_dir() {
            let e = io::Error::new(io::ErrorKind::NotADirectory, "not a folder");
            return Err(Error::io(&options.dir, e));
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("vellum-serve")
            .build()
            .map_err(|e| Error::io("the server's runtime", e))?;
        let listener = {
            // Registering the socket with the reactor needs the runtime's context.
            let _context = runtime.enter();
            bind(options.bind, options.port)?
        };
        let addr = listener
            .local_addr()
            .map_err(|e| Error::io(options.bind.to_string(), e))?;
        let (stop, stopping) = watch::channel(false);
        let limits = options.limits;
        let live = Arc::new(reload::LiveReload::new(
            stopping.clone(),
            limits.max_event_streams,
        ));
        let app = router(root, options.live_reload.then(|| Arc::clone(&live)));
        let thread = std::thread::Builder::new()
            .name("vellum-serve".to_string())
            .spawn(move || {
                runtime.block_on(conn::serve(listener, app, limits, stopping));
                runtime.shutdown_timeout(SHUTDOWN_GRACE);
            })
            .map_err(|e| Error::io("the server's thread", e))?;
        Ok(Server {
            addr,
            live,
            stop,
            thread: Some(thread),
        })
    }

    /// Every open page reloads (call after a rebuild has completely finished writing).
    pub fn reload(&self) {
        self.live.reload();
    }

    /// Every open page shows an overlay with this build error; pages opened later show it too,
    /// until the next [`Server::reload`].
    pub fn show_error(&self, message: &str) {
        self.live.show_error(message);
    }

    /// Stops serving and joins the thread. Open event streams are ended, so open pages see the
    /// server go away (and reload when one comes back).
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.stop.send_replace(true);
        if let Some(thread) = self.thread.take() {
            // A panic on the server thread has already been reported by the panic hook.
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

fn router(root: PathBuf, live: Option<Arc<reload::LiveReload>>) -> Router {
    let site = Arc::new(files::Site {
        root,
        live_reload: live.is_some(),
    });
    let mut router = Router::new();
    if let Some(live) = live {
        router = router.route(EVENTS_PATH, get(move || reload::events(Arc::clone(&live))));
    }
    router.fallback(files::handle).with_state(site)
}

/// Listens on `ip:first`, or on one of the ports after it if that one is taken.
fn bind(ip: IpAddr, first: u16) -> Result<TcpListener> {
    // Port 0 lets the system choose a free port: there is nothing to fall back to.
    let attempts = if first == 0 { 1 } else { PORT_ATTEMPTS };
    let mut tried = 0;
    for port in (first..=u16::MAX).take(attempts) {
        let addr = SocketAddr::new(ip, port);
        match listen(addr) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => tried += 1,
            // Not ours to work around: an address this machine does not have, a port that
            // needs privileges.
            Err(e) => return Err(Error::io(addr.to_string(), e)),
        }
    }
    let message = match tried {
        1 => "the port is in use".to_string(),
        n => format!("the port and the {} after it are in use", n - 1),
    };
    let e = io::Error::new(io::ErrorKind::AddrInUse, message);
    Err(Error::io(SocketAddr::new(ip, first).to_string(), e))
}

fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    // A restarted `vellum serve` gets its port back without waiting for the old connections'
    // TIME_WAIT. (On Windows the option would let two servers share the port.)
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    // Room for a browser opening many connections at once, and for load tests.
    socket.listen(1024)
}

/// Resolves once the server is asked to stop (or the [`Server`] is gone).
async fn stopped(mut stopping: watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stopping| *stopping).await;
}

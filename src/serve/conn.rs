//! Connections: accepts them, bounds how many are open and how long a client may dawdle, and
//! hands each request to the router.
//!
//! In: the bound listener, the router, the [`Limits`] and the stop signal. Out: served
//! connections until the signal, then a bounded wait for those still open. `axum::serve`
//! sets none of these bounds, so the loop is written here on hyper's HTTP/1 connection:
//!
//! - hyper's header-read timeout runs from the moment a connection is ready for a request
//!   (just opened, or its last response sent) until the request's head has arrived, so it
//!   closes both slowloris clients and idle keep-alive connections. A response being sent,
//!   such as a live-reload event stream, is not under it.
//! - At most `max_connections` are open. When all are taken, a new connection makes every
//!   connection with no request under way close (idle, or still sending its head), as nginx
//!   drops idle keep-alive connections when it runs short, and waits briefly for a place; if
//!   none frees, it is closed at once. A flood of idle connections therefore cannot shut out a
//!   real request, and the accept loop never queues connections it cannot serve.
//! - Every request's `Host` must name this server ([`host::allowed`]), so a page on another
//!   site cannot reach it through a rebound DNS name.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower_service::Service;

use super::{Limits, SHUTDOWN_GRACE, host, stopped};

/// How long a new connection waits for a place once the idle ones have been told to close.
/// Closing takes a millisecond or so; longer means every place holds a request under way.
const ADMIT_WAIT: Duration = Duration::from_millis(200);

/// How long to pause after an accept error such as running out of file descriptors, so the
/// loop does not spin while nothing can be accepted.
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);

/// Serves connections from `listener` until `stopping` turns true, then waits (at most
/// [`SHUTDOWN_GRACE`]) for the requests under way; the listener is closed on return.
pub(super) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stopping: watch::Receiver<bool>,
) {
    let addr = listener.local_addr().ok();
    let places = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // Each change asks the connections without a request under way to close.
    let (shed, _) = watch::channel(0u64);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    loop {
        let accepted = tokio::select! {
            () = stopped(stopping.clone()) => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Per connection (reset before it was accepted): nothing to wait for.
                if !is_connection_error(&e) {
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                }
                continue;
            }
        };
        let Some(place) = admit(&places, &shed).await else {
            // Dropping the stream closes it: a refused client learns at once.
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            http: http.clone(),
            app: app.clone(),
            addr: addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))),
            shed: shed.subscribe(),
            stopping: stopping.clone(),
            _place: place,
        };
        tokio::spawn(connection.run(stream));
    }
    drop(listener);
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, places.acquire_many(all)).await;
}

/// A place for a new connection: a free one, or one that frees once the connections with no
/// request under way have closed; `None` if every place is busy.
async fn admit(places: &Arc<Semaphore>, shed: &watch::Sender<u64>) -> Option<OwnedSemaphorePermit> {
    if let Ok(place) = Arc::clone(places).try_acquire_owned() {
        return Some(place);
    }
    shed.send_modify(|round| *round = round.wrapping_add(1));
    let waiting = Arc::clone(places).acquire_owned();
    tokio::time::timeout(ADMIT_WAIT, waiting).await.ok()?.ok()
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// One accepted connection and what it needs; its place is given back when it is dropped.
struct Connection {
    http: http1::Builder,
    app: Router,
    addr: SocketAddr,
    shed: watch::Receiver<u64>,
    stopping: watch::Receiver<bool>,
    _place: OwnedSemaphorePermit,
}

impl Connection {
    async fn run(mut self, stream: TcpStream) {
        // Requests under way: from the call to the router until the response body is dropped
        // (sent, or abandoned), so a streaming file or event stream counts as busy.
        let busy = Arc::new(AtomicUsize::new(0));
        let service = {
            let busy = Arc::clone(&busy);
            let app = self.app.clone();
            let addr = self.addr;
            hyper::service::service_fn(move |request: Request<Incoming>| {
                let under_way = UnderWay::start(&busy);
                let mut app = app.clone();
                async move {
                    let response = match host::refusal(&request, addr) {
                        Some(refused) => refused,
                        None => match app.call(request.map(Body::new)).await {
                            Ok(response) => response,
                            Err(never) => match never {},
                        },
                    };
                    Ok::<_, Infallible>(hold_until_sent(response, under_way))
                }
            })
        };
        let connection = self.http.serve_connection(TokioIo::new(stream), service);
        tokio::pin!(connection);
        self.shed.mark_unchanged();
        loop {
            tokio::select! {
                _ = connection.as_mut() => return,
                changed = self.shed.changed() => match changed {
                    // Dropping the connection closes the socket, half-sent head and all.
                    Ok(()) if busy.load(Ordering::SeqCst) == 0 => return,
                    Ok(()) => {}
                    Err(_) => break,
                },
                () = stopped(self.stopping.clone()) => break,
            }
        }
        // Stopping: an idle connection closes now, a busy one after its response.
        connection.as_mut().graceful_shutdown();
        let _ = connection.await;
    }
}

/// Counts one request under way until dropped.
struct UnderWay(Arc<AtomicUsize>);

impl UnderWay {
    fn start(busy: &Arc<AtomicUsize>) -> UnderWay {
        busy.fetch_add(1, Ordering::SeqCst);
        UnderWay(Arc::clone(busy))
    }
}

impl Drop for UnderWay {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The response with `under_way` tied to its body, so the request counts as under way until
/// the body is dropped.
fn hold_until_sent(response: Response<Body>, under_way: UnderWay) -> Response<Body> {
    response.map(|body| {
        Body::new(body.map_frame(move |frame| {
            let _ = &under_way;
            frame
        }))
    })
}

//! Live reload: open pages hear about rebuilds over Server-Sent Events.
//!
//! In: [`LiveReload::reload`] and [`LiveReload::show_error`], called from the build loop's
//! thread. Out: `reload` and `build-error` events on [`EVENTS_PATH`] to every open page, and
//! the small script ([`inject`]) that listens for them, added to HTML as it is served and never
//! to the files on disk. The error that is showing is kept, so a page opened while the build is
//! failing shows it too. Streams are long-lived, so their number is capped (`max_streams`):
//! past the cap a page is answered 503 and goes without live reload.

use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::{Semaphore, broadcast, watch};
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};
use tokio_stream::{Stream, StreamExt};

/// Where pages listen; a path no site would use for its own files.
pub const EVENTS_PATH: &str = "/__vellum/events";

/// How soon a page tries again when the server goes away: a restarted `vellum serve` should
/// be picked up at once.
const RETRY: Duration = Duration::from_millis(500);

/// The listener. `build-error` rather than `error`: `error` is also the name EventSource gives
/// its own connection failures. After a lost connection the page reloads, since the site may
/// have been rebuilt while nobody was listening.
const SCRIPT: &str = concat!(
    r#"<script>(()=>{let lost=false,box=null;const es=new EventSource(""#,
    "/__vellum/events",
    r#"");
es.addEventListener("reload",()=>location.reload());
es.addEventListener("build-error",e=>{if(box)box.remove();box=document.createElement("div");
box.style.cssText="position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:80vh;overflow:auto;margin:0;padding:1em 3em 1em 1em;background:#1a0000;color:#fff;border-bottom:4px solid #ff4d4d;font:14px/1.5 ui-monospace,monospace;text-align:left";
const close=document.createElement("button");close.textContent="\u00d7";close.title="Dismiss";
close.style.cssText="position:absolute;top:.3em;right:.5em;background:none;border:0;color:#fff;font:28px/1 sans-serif;cursor:pointer";
close.onclick=()=>box.remove();const pre=document.createElement("pre");pre.style.cssText="margin:0;white-space:pre-wrap";
pre.textContent=e.data;box.append(close,pre);(document.body||document.documentElement).append(box)});
es.onopen=()=>{if(lost)location.reload()};es.onerror=()=>{lost=true}})();</script>"#
);

/// A message from the build loop to every open page.
#[derive(Debug, Clone)]
enum Signal {
    Reload,
    Error(Arc<str>),
}

/// The channel to the open pages, and the error they should show.
#[derive(Debug)]
pub(crate) struct LiveReload {
    sender: broadcast::Sender<Signal>,
    /// Set by `show_error`, cleared by `reload`. Held while sending, so that a new page gets
    /// either the error as it stood when it subscribed or the event that changed it, not both
    /// and not neither.
    failing: Mutex<Option<Arc<str>>>,
    /// Becomes `true` when the server shuts down: every event stream then ends, so the
    /// graceful shutdown has no open responses to wait for.
    stopping: watch::Receiver<bool>,
    /// One permit per stream that may be open.
    streams: Arc<Semaphore>,
}

impl LiveReload {
    pub(crate) fn new(stopping: watch::Receiver<bool>, max_streams: usize) -> Self {
        // Rebuilds are seconds apart; a page that falls 16 behind is told to reload anyway.
        let (sender, _) = broadcast::channel(16);
        LiveReload {
            sender,
            failing: Mutex::new(None),
            stopping,
            streams: Arc::new(Semaphore::new(max_streams)),
        }
    }

    pub(crate) fn reload(&self) {
        let mut failing = self.lock();
        *failing = None;
        // No receivers (no open page) is not an error.
        let _ = self.sender.send(Signal::Reload);
    }

    pub(crate) fn show_error(&self, message: &str) {
        let message: Arc<str> = Arc::from(message);
        let mut failing = self.lock();
        *failing = Some(Arc::clone(&message));
        let _ = self.sender.send(Signal::Error(message));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<str>>> {
        self.failing.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn subscribe(&self) -> (Option<Arc<str>>, broadcast::Receiver<Signal>) {
        let failing = self.lock();
        (failing.clone(), self.sender.subscribe())
    }
}

/// The event stream for one page: the reconnection delay, the current error if the build is
/// failing, then every signal until the server stops. 503 when too many are open.
pub(crate) async fn events(live: Arc<LiveReload>) -> Response {
    let Ok(place) = Arc::clone(&live.streams).try_acquire_owned() else {
        // EventSource gives up on any status but 200: this page goes without live reload,
        // rather than the pages already open losing theirs.
        return (StatusCode::SERVICE_UNAVAILABLE, "Too many open pages\n").into_response();
    };
    // The place is given back when the stream is dropped.
    let stream = stream(&live).map(move |event| {
        let _ = &place;
        event
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn stream(live: &LiveReload) -> impl Stream<Item = Result<Event, Infallible>> + use<> {
    let (failing, receiver) = live.subscribe();
    let first = std::iter::once(Event::default().retry(RETRY))
        .chain(failing.map(|message| to_event(Signal::Error(message))));
    let signals = BroadcastStream::new(receiver).map(|signal| match signal {
        Ok(signal) => to_event(signal),
        // Missed some: whatever they were, the page is out of date.
        Err(BroadcastStreamRecvError::Lagged(_)) => to_event(Signal::Reload),
    });
    let stop = WatchStream::new(live.stopping.clone())
        .filter(|stopping| *stopping)
        .map(|_| None);
    tokio_stream::iter(first)
        .chain(signals)
        .map(Some)
        .merge(stop)
        .map_while(|event| event.map(Ok))
}

fn to_event(signal: Signal) -> Event {
    match signal {
        Signal::Reload => Event::default().event("reload").data("reload"),
        // SSE cannot carry a carriage return; the lines survive as `data:` lines.
        Signal::Error(message) => Event::default()
            .event("build-error")
            .data(message.replace("\r\n", "\n").replace('\r', "\n")),
    }
}

/// Adds the listener just before the last `</body>`, or at the end of a page that has none.
pub(crate) fn inject(mut html: Vec<u8>) -> Vec<u8> {
    const CLOSE: &[u8] = b"</body";
    let at = html
        .windows(CLOSE.len())
        .rposition(|w| w.eq_ignore_ascii_case(CLOSE))
        .unwrap_or(html.len());
    html.splice(at..at, SCRIPT.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_closing_body() {
        let page = inject(b"<p>a</p></BODY></html>".to_vec());
        let text = String::from_utf8(page).expect("utf-8");
        assert!(text.starts_with("<p>a</p><script>"), "{text}");
        assert!(text.ends_with("</script></BODY></html>"), "{text}");
    }

    #[test]
    fn script_goes_at_the_end_without_a_body() {
        let text = String::from_utf8(inject(b"<p>a</p>".to_vec())).expect("utf-8");
        assert!(text.starts_with("<p>a</p><script>") && text.ends_with("</script>"));
    }

    #[test]
    fn script_listens_on_the_events_path() {
        assert!(SCRIPT.contains(&format!("new EventSource(\"{EVENTS_PATH}\")")));
    }
}

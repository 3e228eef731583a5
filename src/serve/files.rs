//! Answers a request with a file of the built site, and never with anything outside it.
//!
//! In: the canonical site folder and the request's raw, still percent-encoded path. Out: the
//! file with its MIME type, a redirect from `/essay` to `/essay/`, or the site's `404.html`.
//! A path is checked twice: every decoded segment must be a plain file name (so `..`, `%2e%2e`,
//! `%2f`, backslashes and NUL never reach the file system), and the file's canonical path must
//! lie under the canonical site folder (so a symlink pointing out of the site leads nowhere).

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mime_guess::mime;
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use super::reload;

/// What the file handler needs: where the site is and whether pages get the reload script.
#[derive(Debug)]
pub(crate) struct Site {
    /// Canonical, so that canonical file paths can be compared with it.
    pub root: PathBuf,
    pub live_reload: bool,
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    File(PathBuf),
    /// The folder's own URL, with the trailing slash its relative links expect.
    Redirect(String),
    NotFound,
}

/// Characters escaped when a decoded segment goes back into a `Location` header.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The handler for every path that is not the live-reload endpoint.
pub(crate) async fn handle(State(site): State<Arc<Site>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(ALLOW, "GET, HEAD")]).into_response();
    }
    // The file system calls block; they are short, but they must not stall the runtime's
    // workers while other connections wait.
    match tokio::task::spawn_blocking(move || respond(&site, &uri)).await {
        Ok(response) => response,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn respond(site: &Site, uri: &Uri) -> Response {
    match resolve(&site.root, uri.path()) {
        Target::File(path) => match fs::read(&path) {
            Ok(bytes) => file_response(site, StatusCode::OK, &path, bytes),
            // Deleted between the check and the read, as a rebuild may do.
            Err(_) => not_found(site),
        },
        Target::Redirect(to) => redirect(to, uri.query()),
        Target::NotFound => not_found(site),
    }
}

/// Maps a raw URL path onto a file under `root` (which must be canonical).
pub(crate) fn resolve(root: &Path, raw: &str) -> Target {
    let Some(segments) = segments(raw) else {
        return Target::NotFound;
    };
    let mut path = root.to_path_buf();
    path.extend(&segments);
    if segments.is_empty() || raw.ends_with('/') {
        return inside(root, &path.join("index.html")).map_or(Target::NotFound, Target::File);
    }
    if let Some(file) = inside(root, &path) {
        return Target::File(file);
    }
    if inside(root, &path.join("index.html")).is_some() {
        // Rebuilt from the checked segments, never from the raw path: `//host` must not become
        // a redirect to another site.
        let encoded: Vec<String> = segments
            .iter()
            .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
            .collect();
        return Target::Redirect(format!("/{}/", encoded.join("/")));
    }
    Target::NotFound
}

/// The decoded segments of a path, or `None` if any of them is not a plain name.
fn segments(raw: &str) -> Option<Vec<String>> {
    // Some clients send backslashes unencoded; Windows would read them as separators.
    if raw.contains('\\') {
        return None;
    }
    raw.split('/')
        .filter(|s| !s.is_empty())
        .map(decode_segment)
        .collect()
}

fn decode_segment(raw: &str) -> Option<String> {
    let segment = percent_decode_str(raw).decode_utf8().ok()?;
    if segment.contains(['/', '\\', '\0']) {
        return None;
    }
    // `.`, `..`, and on Windows `C:` are not `Normal` components; `Path::join` would also
    // replace the whole path with an absolute one.
    let mut parts = Path::new(segment.as_ref()).components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(_)), None) => Some(segment.into_owned()),
        _ => None,
    }
}

/// The canonical path of `path` if it is a file under `root`, after following every symlink.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

fn file_response(site: &Site, status: StatusCode, path: &Path, bytes: Vec<u8>) -> Response {
    // Built from a MIME type's own characters, so always a valid header value.
    let kind = HeaderValue::try_from(content_type(path))
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let body = if site.live_reload && is_html(path) {
        reload::inject(bytes)
    } else {
        bytes
    };
    let headers = [
        (CONTENT_TYPE, kind),
        // A preview must always show the latest build.
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    (status, headers, Body::from(body)).into_response()
}

fn redirect(to: String, query: Option<&str>) -> Response {
    let location = match query {
        Some(query) => format!("{to}?{query}"),
        None => to,
    };
    match HeaderValue::try_from(location) {
        Ok(location) => (StatusCode::PERMANENT_REDIRECT, [(LOCATION, location)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The site's own `404.html` when it has one, a plain "Not found" otherwise; status 404 either way.
fn not_found(site: &Site) -> Response {
    let page = inside(&site.root, &site.root.join("404.html"))
        .and_then(|path| fs::read(&path).ok().map(|bytes| (path, bytes)));
    match page {
        Some((path, bytes)) => file_response(site, StatusCode::NOT_FOUND, &path, bytes),
        None => (
            StatusCode::NOT_FOUND,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Not found\n",
        )
            .into_response(),
    }
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The `Content-Type` for a file, by its name; text types say they are UTF-8, which is what
/// vellum writes.
pub(crate) fn content_type(path: &Path) -> String {
    // Guessed as `text/xml` by its extension; feed readers and browsers want the real type.
    if path.file_name().is_some_and(|n| n == "atom.xml") {
        return "application/atom+xml; charset=utf-8".to_string();
    }
    let guess = mime_guess::from_path(path).first_or_octet_stream();
    let textual = guess.type_() == mime::TEXT
        || [mime::JSON, mime::XML, mime::JAVASCRIPT].contains(&guess.subtype())
        || [Some(mime::JSON), Some(mime::XML)].contains(&guess.suffix());
    if textual {
        format!("{}; charset=utf-8", guess.essence_str())
    } else {
        guess.essence_str().to_string()
    }
}

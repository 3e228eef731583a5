//! Answers a request with a file of the built site, and never with anything outside it.
//!
//! In: the canonical site folder and the request's raw, still percent-encoded path (and its
//! `Range`). Out: the file with its MIME type, streamed from disk in small chunks (whole or the
//! range asked for), a redirect from `/essay` to `/essay/`, or the site's `404.html`.
//! A path is checked twice: every decoded segment must be a plain file name (so `..`, `%2e%2e`,
//! `%2f`, backslashes and NUL never reach the file system), and the file's canonical path must
//! lie under the canonical site folder (so a symlink pointing out of the site leads nowhere).
//! vellum's own files in the folder (its manifest, staging and temporary files) are never
//! served, by either name.

use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{
    ACCEPT_RANGES, ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, IF_RANGE,
    LOCATION, RANGE, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mime_guess::mime;
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;

use super::range::{self, Selection};
use super::reload;

/// Pages larger than this are streamed without the reload script rather than read into
/// memory to add it: no real page is this large, and a huge one must not cost its size in RAM.
const MAX_INJECTED: u64 = 8 << 20;

/// How much of a file is read at a time.
const CHUNK: usize = 64 << 10;

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
pub(crate) async fn handle(
    State(site): State<Arc<Site>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(ALLOW, "GET, HEAD")]).into_response();
    }
    let range = Asked {
        range: headers
            .get(RANGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        if_range: headers.contains_key(IF_RANGE),
    };
    // The file system calls block; they are short, but they must not stall the runtime's
    // workers while other connections wait.
    match tokio::task::spawn_blocking(move || respond(&site, &uri, &range)).await {
        Ok(response) => response,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The `Range` and `If-Range` a request sent.
#[derive(Debug)]
struct Asked {
    range: Option<String>,
    if_range: bool,
}

fn respond(site: &Site, uri: &Uri, asked: &Asked) -> Response {
    match resolve(&site.root, uri.path()) {
        Target::File(path) => match open(site, &path) {
            Some(contents) => {
                let selection =
                    range::select(asked.range.as_deref(), asked.if_range, contents.len());
                file_response(StatusCode::OK, &path, contents, selection)
            }
            // Deleted between the check and the read, as a rebuild may do.
            None => not_found(site),
        },
        Target::Redirect(to) => redirect(to, uri.query()),
        Target::NotFound => not_found(site),
    }
}

/// A file's contents, ready to send: an open file, or a page with the reload script added.
#[derive(Debug)]
enum Contents {
    File(fs::File, u64),
    Page(Vec<u8>),
}

impl Contents {
    fn len(&self) -> u64 {
        match self {
            Contents::File(_, len) => *len,
            Contents::Page(bytes) => bytes.len() as u64,
        }
    }
}

fn open(site: &Site, path: &Path) -> Option<Contents> {
    let mut file = fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    if site.live_reload && is_html(path) && len <= MAX_INJECTED {
        let mut bytes = Vec::new();
        // Bounded even if the page grows between the check and the read.
        (&mut file)
            .take(MAX_INJECTED)
            .read_to_end(&mut bytes)
            .ok()?;
        return Some(Contents::Page(reload::inject(bytes)));
    }
    Some(Contents::File(file, len))
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
        (Some(Component::Normal(_)), None) if !is_vellums(&segment) => Some(segment.into_owned()),
        _ => None,
    }
}

/// The canonical path of `path` if it is a file under `root`, after following every symlink,
/// and not one of vellum's own.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    let within = real.strip_prefix(root).ok()?;
    let vellums = within
        .components()
        .any(|part| is_vellums(&part.as_os_str().to_string_lossy()));
    (!vellums && real.is_file()).then_some(real)
}

/// Whether a file or folder name is one vellum keeps for itself: the manifest of a build
/// (which lists every file, drafts included), the cache, and the names files have while
/// being written or replaced (see `output`).
fn is_vellums(name: &str) -> bool {
    name == crate::output::MANIFEST
        || name == ".vellum-cache"
        || name.contains(".vellum-tmp")
        || name.contains(".vellum-new")
}

fn file_response(
    status: StatusCode,
    path: &Path,
    contents: Contents,
    selection: Selection,
) -> Response {
    let len = contents.len();
    // Built from a MIME type's own characters, so always a valid header value.
    let kind = HeaderValue::try_from(content_type(path))
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, kind);
    // A preview must always show the latest build.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if status == StatusCode::OK {
        headers.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    }
    let (status, bytes) = match selection {
        Selection::Full => (status, 0..=len.saturating_sub(1)),
        Selection::Part(part) => {
            let (start, end) = part.clone().into_inner();
            let value = format!("bytes {start}-{end}/{len}");
            if let Ok(value) = HeaderValue::try_from(value) {
                headers.insert(CONTENT_RANGE, value);
            }
            (StatusCode::PARTIAL_CONTENT, part)
        }
        Selection::Unsatisfiable => {
            if let Ok(value) = HeaderValue::try_from(format!("bytes */{len}")) {
                headers.insert(CONTENT_RANGE, value);
            }
            return (StatusCode::RANGE_NOT_SATISFIABLE, headers).into_response();
        }
    };
    let (start, end) = bytes.into_inner();
    let count = if len == 0 { 0 } else { end - start + 1 };
    headers.insert(CONTENT_LENGTH, HeaderValue::from(count));
    let body = match contents {
        Contents::Page(page) => {
            let from = usize::try_from(start).unwrap_or(usize::MAX).min(page.len());
            let to = usize::try_from(start + count)
                .unwrap_or(usize::MAX)
                .min(page.len());
            Body::from(page[from..to].to_vec())
        }
        Contents::File(mut file, _) => match file.seek(SeekFrom::Start(start)) {
            Ok(_) => {
                // The length is fixed here: a file that grows while it is sent is cut, one
                // that shrinks ends the connection early, as the length promised more.
                let reader = tokio::fs::File::from_std(file).take(count);
                Body::from_stream(ReaderStream::with_capacity(reader, CHUNK))
            }
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    (status, headers, body).into_response()
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
        .and_then(|path| open(site, &path).map(|contents| (path, contents)));
    match page {
        Some((path, contents)) => {
            file_response(StatusCode::NOT_FOUND, &path, contents, Selection::Full)
        }
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

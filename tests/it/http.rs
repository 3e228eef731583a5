//! HTTP by hand for the tests: a client that sends requests exactly as written, and small
//! local servers (a static folder under a subpath; scripted answers for external-link
//! checking). Nothing here reaches beyond 127.0.0.1.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// One response, read to the end of the connection.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `method target` exactly as written and reads the whole reply.
pub fn send(addr: SocketAddr, method: &str, target: &str) -> Reply {
    send_raw(
        addr,
        &format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `request` (head and all) exactly as written and reads the whole reply.
pub fn send_raw(addr: SocketAddr, request: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    stream
        .write_all(request.as_bytes())
        .expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the reply");
    let split = find(&raw, b"\r\n\r\n").expect("a complete head");
    let head = String::from_utf8(raw[..split].to_vec()).expect("an ASCII head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Reply { status, head, body }
}

/// GETs `target` and counts the body's bytes without keeping them, for large files: the
/// status and the number of bytes after the head.
pub fn get_counting(addr: SocketAddr, target: &str) -> (u16, u64) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("read the head");
        head.push(byte[0]);
    }
    let status = String::from_utf8_lossy(&head)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let mut buffer = vec![0u8; 1 << 16];
    let mut count = 0u64;
    loop {
        match stream.read(&mut buffer).expect("read the body") {
            0 => return (status, count),
            n => count += n as u64,
        }
    }
}

/// Whether the server closes `stream` within `limit`, reading (and dropping) whatever it
/// sends meanwhile.
pub fn closed_within(mut stream: &TcpStream, limit: Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    stream
        .set_read_timeout(Some(Duration::from_millis(50)))
        .expect("timeout");
    let mut buffer = [0u8; 4096];
    while std::time::Instant::now() < deadline {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            // Reset by the server: closed too.
            Err(_) => return true,
        }
    }
    false
}

pub fn get(addr: SocketAddr, target: &str) -> Reply {
    send(addr, "GET", target)
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(end) = find(raw, b"\r\n") {
        let size = std::str::from_utf8(&raw[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .expect("a chunk size");
        if size == 0 {
            break;
        }
        body.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
    body
}

/// What a test server answers to a request path: status, content type and body; `None`
/// closes the connection without a word.
pub type Handler = dyn Fn(&str) -> Option<(u16, &'static str, Vec<u8>)> + Send + Sync;

/// A server on 127.0.0.1 answering each connection on a thread of its own; stops when
/// dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl TestServer {
    pub fn start(handler: Arc<Handler>) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let addr = listener.local_addr().expect("its address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                std::thread::spawn(move || answer(stream, &*handler));
            }
        });
        TestServer {
            addr,
            stop,
            accept: Some(accept),
        }
    }

    /// Serves the files of `dir` under `prefix` (such as `/blog/`), as a static host does:
    /// a folder's `index.html`, 404 for anything else.
    pub fn folder(dir: PathBuf, prefix: &'static str) -> TestServer {
        TestServer::start(Arc::new(move |path: &str| {
            let Some(rel) = path
                .split(['?', '#'])
                .next()
                .and_then(|p| p.strip_prefix(prefix))
            else {
                return Some((404, "text/plain", b"not under the prefix".to_vec()));
            };
            if rel.split('/').any(|part| part == "..") {
                return Some((404, "text/plain", Vec::new()));
            }
            let mut file = dir.join(rel);
            if file.is_dir() {
                file = file.join("index.html");
            }
            match std::fs::read(&file) {
                Ok(bytes) => Some((200, "text/html", bytes)),
                Err(_) => Some((404, "text/plain", b"not found".to_vec())),
            }
        }))
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn answer(mut stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(WAIT));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let method = words.next().unwrap_or("");
    let path = words.next().unwrap_or("/").to_string();
    let Some((status, content_type, body)) = handler(&path) else {
        return;
    };
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Status",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
}

//! `vellum::serve`: files, pretty URLs, the 404 page, refusing paths outside the site, live
//! reload and load. Requests are written by hand over a `TcpStream`, because HTTP client
//! crates normalize paths such as `/../x` before they are sent.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use vellum::serve::{EVENTS_PATH, Limits, ServeOptions, Server};

use crate::http::{closed_within, get, get_counting, send, send_raw};
use crate::support::*;

const SECRET: &str = "TOP-SECRET-7f3a";
const WAIT: Duration = Duration::from_secs(10);

/// A built site under `public/`, with a secret file beside it that must never be served.
fn site() -> Site {
    let site = Site::new()
        .file("secret.txt", SECRET)
        .file("outside/index.html", SECRET)
        .file("outside/inner.txt", SECRET)
        .file(
            "public/index.html",
            "<!doctype html><html><body><h1>Home</h1></body></html>\n",
        )
        .file(
            "public/on-walking/index.html",
            "<html><body><p>Walking.</p></body></html>\n",
        )
        .file("public/style.css", "body { color: red } /* </body> */\n")
        .file("public/atom.xml", "<feed></feed>\n")
        .file("public/sitemap.xml", "<urlset></urlset>\n")
        .file("public/logo.svg", "<svg></svg>\n")
        .file("public/script.js", "1;\n")
        .file("public/robots.txt", "User-agent: *\n")
        .bytes("public/font.woff2", b"wOF2\0\x01")
        .file("public/no-index/note.txt", "note\n")
        .file(
            "public/404.html",
            "<html><body><p>Lost essay.</p></body></html>\n",
        );
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(site.path("secret.txt"), site.path("public/leak.txt")).expect("symlink");
        symlink(site.path("outside"), site.path("public/leak-dir")).expect("symlink");
        symlink("../secret.txt", site.path("public/relative-leak.txt")).expect("symlink");
    }
    site
}

fn start(site: &Site, live_reload: bool) -> Server {
    start_with(site, live_reload, Limits::default())
}

fn start_with(site: &Site, live_reload: bool, limits: Limits) -> Server {
    Server::start(ServeOptions {
        port: 0,
        live_reload,
        limits,
        ..ServeOptions::new(site.path("public"))
    })
    .expect("start the server")
}

/// An open `text/event-stream` response, read as it arrives.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Connects, and returns once the response has begun: the server has subscribed by then.
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        write!(
            stream,
            "GET {EVENTS_PATH} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send the request");
        let mut events = Events {
            stream,
            seen: String::new(),
        };
        events.wait_for("retry:");
        assert!(events.seen.starts_with("HTTP/1.1 200"), "{}", events.seen);
        assert!(events.seen.contains("text/event-stream"), "{}", events.seen);
        events
    }

    /// Reads until `needle` has arrived, failing after a bounded wait.
    #[track_caller]
    fn wait_for(&mut self, needle: &str) {
        let deadline = Instant::now() + WAIT;
        let mut buffer = [0; 4096];
        while !self.seen.contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} within {WAIT:?}; got:\n{}",
                self.seen
            );
            match self.stream.read(&mut buffer) {
                Ok(0) => panic!("the stream ended before {needle:?}; got:\n{}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(e) if is_timeout(&e) => {}
                Err(e) => panic!("reading the event stream: {e}"),
            }
        }
    }

    /// Reads until the server closes the connection, failing after a bounded wait.
    #[track_caller]
    fn wait_for_end(&mut self) {
        let deadline = Instant::now() + WAIT;
        let mut buffer = [0; 4096];
        loop {
            assert!(Instant::now() < deadline, "the event stream stayed open");
            match self.stream.read(&mut buffer) {
                Ok(0) => return,
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(e) if is_timeout(&e) => {}
                // A reset closes it too.
                Err(_) => return,
            }
        }
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

#[test]
fn serves_the_home_page_and_pretty_urls() {
    let site = site();
    let server = start(&site, false);
    let home = get(server.addr, "/");
    assert_eq!(home.status, 200, "{home:?}");
    assert_eq!(home.body, site.read("index.html").as_bytes());
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let essay = get(server.addr, "/on-walking/");
    assert_eq!(essay.status, 200);
    assert!(essay.text().contains("Walking."));
    let direct = get(server.addr, "/on-walking/index.html");
    assert_eq!(direct.body, essay.body);
}

#[test]
fn a_folder_without_its_slash_redirects_to_it() {
    let site = site();
    let server = start(&site, false);
    let reply = get(server.addr, "/on-walking");
    assert!(matches!(reply.status, 301 | 308), "{reply:?}");
    assert_eq!(reply.header("location"), Some("/on-walking/"));
    let with_query = get(server.addr, "/on-walking?ref=feed");
    assert_eq!(with_query.header("location"), Some("/on-walking/?ref=feed"));
    // Never a redirect to another host.
    let doubled = get(server.addr, "//on-walking");
    assert_eq!(doubled.header("location"), Some("/on-walking/"));
}

#[test]
fn a_folder_without_index_html_is_not_found() {
    let site = site();
    let server = start(&site, false);
    for target in ["/no-index", "/no-index/"] {
        assert_eq!(get(server.addr, target).status, 404, "{target}");
    }
    assert_eq!(get(server.addr, "/no-index/note.txt").status, 200);
}

#[test]
fn content_types_follow_the_file_name() {
    let site = site();
    let server = start(&site, false);
    for (target, expected) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/logo.svg", "image/svg+xml; charset=utf-8"),
        ("/script.js", "text/javascript; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/font.woff2", "font/woff2"),
        ("/404.html", "text/html; charset=utf-8"),
    ] {
        let reply = get(server.addr, target);
        assert_eq!(reply.status, 200, "{target}");
        assert_eq!(reply.header("content-type"), Some(expected), "{target}");
    }
    assert_eq!(get(server.addr, "/font.woff2").body, b"wOF2\0\x01");
}

#[test]
fn a_missing_page_gets_the_sites_404_page_with_status_404() {
    let site = site();
    let server = start(&site, false);
    let reply = get(server.addr, "/no/such/essay/");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(reply.text().contains("Lost essay."), "{}", reply.text());
}

#[test]
fn a_site_without_404_html_gets_a_plain_not_found() {
    let site = site();
    site.remove("public/404.html");
    let server = start(&site, false);
    let reply = get(server.addr, "/missing");
    assert_eq!(reply.status, 404);
    assert_eq!(reply.text().trim(), "Not found");
}

#[test]
fn head_has_the_headers_and_no_body() {
    let site = site();
    let server = start(&site, true);
    let full = get(server.addr, "/");
    let head = send(server.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(head.body.is_empty(), "{head:?}");
    // With the reload script counted in.
    assert_eq!(
        head.header("content-length"),
        Some(full.body.len().to_string().as_str())
    );
}

#[test]
fn other_methods_are_refused() {
    let site = site();
    let server = start(&site, false);
    for method in ["POST", "PUT", "DELETE"] {
        let reply = send(server.addr, method, "/index.html");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD"));
    }
}

/// Asserts that `target` is refused and that the secret does not leak.
#[track_caller]
fn refused(addr: SocketAddr, target: &str) {
    let reply = get(addr, target);
    assert!(
        matches!(reply.status, 400 | 403 | 404),
        "{target} answered {}",
        reply.status
    );
    assert!(!reply.text().contains(SECRET), "{target} leaked the secret");
}

#[test]
fn paths_that_climb_out_of_the_site_are_refused() {
    let site = site();
    let server = start(&site, false);
    for target in [
        "/../secret.txt",
        "/on-walking/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/.%2e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/..//secret.txt",
        "/%2fsecret.txt",
        "/index.html%00",
        "/%00/../secret.txt",
        "/../outside/",
        "/../outside",
    ] {
        refused(server.addr, target);
    }
}

#[test]
fn absolute_paths_stay_inside_the_site() {
    let site = site();
    let server = start(&site, false);
    let secret = site.path("secret.txt");
    let secret = secret.to_str().expect("a UTF-8 path");
    let encoded = secret.replace('/', "%2F");
    for target in [
        format!("/{secret}"),
        format!("/{encoded}"),
        format!("http://localhost/..{secret}"),
        "/etc/passwd".to_string(),
        "/%2Fetc%2Fpasswd".to_string(),
    ] {
        refused(server.addr, &target);
    }
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused() {
    let site = site();
    let server = start(&site, false);
    for target in [
        "/leak.txt",
        "/relative-leak.txt",
        "/leak-dir/",
        "/leak-dir/inner.txt",
        "/leak-dir/index.html",
    ] {
        refused(server.addr, target);
    }
    // Not even a redirect that would reveal the folder exists.
    let reply = get(server.addr, "/leak-dir");
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("location"), None);
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_site_are_followed() {
    let site = site();
    std::os::unix::fs::symlink("style.css", site.path("public/alias.css")).expect("symlink");
    let server = start(&site, false);
    let reply = get(server.addr, "/alias.css");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), site.read("style.css"));
}

#[test]
fn the_reload_script_is_added_to_served_html_only() {
    let site = site();
    let on_disk = site.read("index.html");
    let server = start(&site, true);
    let home = get(server.addr, "/").text();
    let script = home.find("<script>").expect("the reload script");
    assert!(home[script..].contains(EVENTS_PATH), "{home}");
    assert!(
        home[script..].contains("</script></body></html>"),
        "script not just before </body>: {home}"
    );
    let missing = get(server.addr, "/missing").text();
    assert!(missing.contains(EVENTS_PATH), "{missing}");
    // Not in other files, even one that mentions </body>; and never on disk.
    assert_eq!(
        get(server.addr, "/style.css").text(),
        site.read("style.css")
    );
    assert_eq!(site.read("index.html"), on_disk);
}

#[test]
fn without_live_reload_nothing_is_added() {
    let site = site();
    let server = start(&site, false);
    assert_eq!(get(server.addr, "/").text(), site.read("index.html"));
    assert_eq!(get(server.addr, EVENTS_PATH).status, 404);
}

#[test]
fn reload_reaches_an_open_page() {
    let site = site();
    let server = start(&site, true);
    let mut page = Events::open(server.addr);
    server.reload();
    page.wait_for("event: reload");
}

#[test]
fn a_build_error_reaches_open_and_new_pages_until_the_next_reload() {
    let site = site();
    let server = start(&site, true);
    let mut open = Events::open(server.addr);
    server.show_error("content/x.md:3: bad date");
    open.wait_for("event: build-error\ndata: content/x.md:3: bad date\n");

    // A page opened while the build is failing still gets the script, and the error at once.
    assert!(get(server.addr, "/").text().contains(EVENTS_PATH));
    let mut late = Events::open(server.addr);
    late.wait_for("data: content/x.md:3: bad date");

    // After a successful rebuild a new page starts clean: the current state comes before any
    // later event, so nothing about the error may precede this reload.
    server.reload();
    let mut fresh = Events::open(server.addr);
    server.reload();
    fresh.wait_for("event: reload");
    assert!(!fresh.seen.contains("build-error"), "{}", fresh.seen);
}

#[test]
fn a_multi_line_error_arrives_whole() {
    let site = site();
    let server = start(&site, true);
    server.show_error("content/a.md:1: first\r\ncontent/b.md:2: second");
    let mut page = Events::open(server.addr);
    page.wait_for("data: content/a.md:1: first\ndata: content/b.md:2: second\n");
}

#[test]
fn shutdown_ends_open_event_streams() {
    let site = site();
    let server = start(&site, true);
    let addr = server.addr;
    let mut page = Events::open(addr);
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        server.shutdown();
        let _ = done.send(());
    });
    finished
        .recv_timeout(WAIT)
        .expect("shutdown returned in time");
    page.wait_for_end();
    assert!(TcpStream::connect(addr).is_err(), "still listening");
}

#[test]
fn two_hundred_concurrent_requests_all_succeed() {
    let site = site();
    let server = start(&site, true);
    let addr = server.addr;
    let expected = get(addr, "/").body;
    let together = Arc::new(Barrier::new(200));
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let together = Arc::clone(&together);
            std::thread::spawn(move || {
                together.wait();
                let target = if i % 2 == 0 { "/" } else { "/style.css" };
                (target, get(addr, target))
            })
        })
        .collect();
    for client in clients {
        let (target, reply) = client.join().expect("a client thread");
        assert_eq!(reply.status, 200, "{target}");
        if target == "/" {
            assert_eq!(reply.body, expected);
        }
    }
}

#[test]
fn a_taken_port_falls_back_to_the_next() {
    let site = site();
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = taken.local_addr().expect("its address").port();
    let server = Server::start(ServeOptions {
        port,
        ..ServeOptions::new(site.path("public"))
    })
    .expect("start on a later port");
    assert!(
        server.addr.port() > port && server.addr.port() <= port + 20,
        "{port} taken, bound {}",
        server.addr
    );
    assert_eq!(get(server.addr, "/").status, 200);
}

#[test]
fn an_address_that_cannot_be_bound_is_an_error() {
    let site = site();
    // TEST-NET-1: no machine has it.
    let error = Server::start(ServeOptions {
        bind: [192, 0, 2, 1].into(),
        port: 0,
        ..ServeOptions::new(site.path("public"))
    })
    .expect_err("an address this machine lacks");
    assert!(error.to_string().contains("192.0.2.1"), "{error}");
}

#[test]
fn a_missing_folder_is_an_error() {
    let site = site();
    let error = Server::start(ServeOptions {
        port: 0,
        ..ServeOptions::new(site.path("never-built"))
    })
    .expect_err("nothing to serve");
    assert!(error.to_string().contains("never-built"), "{error}");
}

/// Limits for tests that must not wait long: a one-second header timeout.
fn quick() -> Limits {
    Limits {
        header_timeout: Duration::from_secs(1),
        ..Limits::default()
    }
}

#[test]
fn a_client_that_sends_its_head_slowly_is_cut_off() {
    let site = site();
    let server = start_with(&site, false, quick());
    let mut slow = TcpStream::connect(server.addr).expect("connect");
    write!(slow, "GET / HTTP/1.1\r\nHost: {}\r\n", server.addr).expect("send");
    // A header byte every 200 ms keeps the connection busy but never ends the head.
    let trickle = slow.try_clone().expect("a second handle");
    let started = Instant::now();
    std::thread::spawn(move || {
        let mut trickle = trickle;
        for _ in 0..20 {
            std::thread::sleep(Duration::from_millis(200));
            if trickle.write_all(b"X").is_err() {
                return;
            }
        }
    });
    assert!(
        closed_within(&slow, Duration::from_secs(4)),
        "a slowloris connection stayed open"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "closed too soon"
    );
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let site = site();
    let server = start_with(&site, false, quick());
    let mut idle = TcpStream::connect(server.addr).expect("connect");
    write!(
        idle,
        "GET /robots.txt HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .expect("send");
    // The reply arrives, then nothing more: the server closes the connection it kept alive.
    assert!(
        closed_within(&idle, Duration::from_secs(4)),
        "an idle connection stayed open"
    );
}

#[test]
fn the_event_stream_outlives_the_header_timeout() {
    let site = site();
    let server = start_with(&site, true, quick());
    let mut page = Events::open(server.addr);
    std::thread::sleep(Duration::from_millis(2500));
    server.reload();
    page.wait_for("event: reload");
}

#[test]
fn idle_connections_beyond_the_cap_are_closed_and_a_request_still_succeeds() {
    let site = site();
    let limits = Limits {
        max_connections: 8,
        max_event_streams: 2,
        ..Limits::default()
    };
    let server = start_with(&site, true, limits);
    let mut pages = [Events::open(server.addr), Events::open(server.addr)];
    // Idle and half-sent connections, far more than the cap, none ever finishing a request.
    let idle: Vec<TcpStream> = (0..40)
        .map(|i| {
            let mut stream = TcpStream::connect(server.addr).expect("connect");
            if i % 2 == 0 {
                let _ = write!(stream, "GET / HTTP/1.1\r\nHost: {}\r\n", server.addr);
            }
            stream
        })
        .collect();
    let started = Instant::now();
    let reply = get(server.addr, "/");
    assert_eq!(reply.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // At most the cap are open, the two event streams among them.
    std::thread::sleep(Duration::from_millis(300));
    let open = idle
        .iter()
        .filter(|s| !closed_within(s, Duration::from_millis(100)))
        .count();
    assert!(open <= 8 - 2, "{open} idle connections still open");
    // A third event stream would pass the limit on them.
    assert_eq!(get(server.addr, EVENTS_PATH).status, 503);
    server.reload();
    for page in &mut pages {
        page.wait_for("event: reload");
    }
}

/// The most memory this process has held (`VmHWM`), in bytes.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("a VmHWM line")
        * 1024
}

#[cfg(target_os = "linux")]
#[test]
fn a_large_file_is_streamed_not_read_into_memory() {
    const SIZE: u64 = 96 << 20;
    let site = site();
    // Sparse: 96 MB to read, hardly any disk.
    let big = std::fs::File::create(site.path("public/big.bin")).expect("create");
    big.set_len(SIZE).expect("set its length");
    let server = start(&site, false);
    let before = peak_memory();
    let clients: Vec<_> = (0..2)
        .map(|_| {
            let addr = server.addr;
            std::thread::spawn(move || get_counting(addr, "/big.bin"))
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().expect("a client"), (200, SIZE));
    }
    let grew = peak_memory().saturating_sub(before);
    assert!(grew < 32 << 20, "the peak grew by {} MB", grew >> 20);
}

#[test]
fn a_byte_range_is_answered_with_206_and_only_those_bytes() {
    let site = site().file("public/digits.txt", "0123456789");
    let server = start(&site, false);
    let ranged = |range: &str| {
        send_raw(
            server.addr,
            &format!(
                "GET /digits.txt HTTP/1.1\r\nHost: {}\r\nRange: {range}\r\nConnection: close\r\n\r\n",
                server.addr
            ),
        )
    };
    let part = ranged("bytes=2-4");
    assert_eq!(part.status, 206, "{part:?}");
    assert_eq!(part.text(), "234");
    assert_eq!(part.header("content-range"), Some("bytes 2-4/10"));
    assert_eq!(ranged("bytes=-3").text(), "789");
    let past = ranged("bytes=10-");
    assert_eq!(past.status, 416);
    assert_eq!(past.header("content-range"), Some("bytes */10"));
    let whole = get(server.addr, "/digits.txt");
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.text(), "0123456789");
}

#[test]
fn a_range_of_a_large_file_sends_only_the_range() {
    let site = site();
    let big = std::fs::File::create(site.path("public/big.bin")).expect("create");
    big.set_len(64 << 20).expect("set its length");
    let server = start(&site, false);
    let reply = send_raw(
        server.addr,
        &format!(
            "GET /big.bin HTTP/1.1\r\nHost: {}\r\nRange: bytes=1000-1009\r\nConnection: close\r\n\r\n",
            server.addr
        ),
    );
    assert_eq!(reply.status, 206);
    assert_eq!(reply.body.len(), 10);
}

#[test]
fn vellums_own_files_are_never_served() {
    let site = site()
        .file(
            "public/.vellum-manifest",
            "index.html\ndrafts/secret/index.html\n",
        )
        .file("public/.vellum-cache/build.tsv", "x")
        .file("public/.index.html.vellum-new-1234", "half-written")
        .file("public/essay/index.html.vellum-tmp", "half-written")
        .file("public/.vellum-tmp/index.html", "half-written");
    #[cfg(unix)]
    std::os::unix::fs::symlink(".vellum-manifest", site.path("public/list.txt")).expect("symlink");
    let server = start(&site, false);
    for target in [
        "/.vellum-manifest",
        "/%2Evellum-manifest",
        "/.vellum-cache/build.tsv",
        "/.index.html.vellum-new-1234",
        "/essay/index.html.vellum-tmp",
        "/.vellum-tmp/",
        "/.vellum-tmp",
        "/list.txt",
    ] {
        let reply = get(server.addr, target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.text().contains("half-written") && !reply.text().contains("drafts/"));
    }
}

#[test]
fn a_request_for_another_host_is_refused() {
    let site = site();
    let server = start(&site, true);
    let port = server.addr.port();
    let asking = |host: &str, target: &str| {
        send_raw(
            server.addr,
            &format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    for host in [
        format!("evil.example:{port}"),
        format!("localhost:{}", port ^ 1),
    ] {
        for target in ["/", EVENTS_PATH] {
            let reply = asking(&host, target);
            assert_eq!(reply.status, 403, "{host} {target}");
            assert!(!reply.text().contains("Home"));
        }
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        assert_eq!(asking(&host, "/").status, 200, "{host}");
    }
}

/// `vellum serve` as a process, with `TMPDIR` set, until dropped (then killed).
struct Serving {
    child: std::process::Child,
    url: String,
}

impl Serving {
    fn start(site: &Site, tmpdir: &std::path::Path) -> Serving {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vellum"))
            .env("TMPDIR", tmpdir)
            .arg("--root")
            .arg(site.root())
            .args(["serve", "--port", "0", "--no-live-reload"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start vellum serve");
        let stdout = child.stdout.take().expect("its stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        // Bounded: the reader ends when the process does, and the process is killed on drop.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Serving at ") {
                    let _ = tx.send(url.split(' ').next().unwrap_or("").to_string());
                }
            }
        });
        let mut serving = Serving {
            child,
            url: String::new(),
        };
        serving.url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("vellum serve says where it serves");
        serving
    }

    fn addr(&self) -> SocketAddr {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("an address")
    }

    /// Ctrl-C, then waits (bounded) for the process to end.
    fn interrupt(self) {
        self.stop_with("-INT");
    }

    /// Sends `signal` (`-INT`, `-TERM`), then waits (bounded) for the process to end.
    fn stop_with(mut self, signal: &str) {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("run kill");
        assert!(sent.success());
        let deadline = Instant::now() + WAIT;
        while self.child.try_wait().expect("its status").is_none() {
            assert!(Instant::now() < deadline, "vellum serve ignored Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A one-essay site for `vellum serve` run as a process.
fn served_site() -> Site {
    Site::new()
        .file(
            "vellum.toml",
            "title = \"T\"\nbase_url = \"https://example.com/\"\n",
        )
        .file("content/a.md", &essay("A", "2026-01-02", "Body."))
}

/// The serve folders (`vellum-serve-*`) in the temporary folder `tmp`, but `except`.
fn serve_folders(tmp: &std::path::Path, except: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(tmp)
        .expect("list the temporary folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p != except
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("vellum-serve-"))
        })
        .collect()
}

/// Regression: `serve` built into `$TMPDIR/vellum-serve-<hash of the site path>`, reusing a
/// folder of that name whoever had made it, and removed the files its manifest listed, through
/// symlinks. Another user could plant one and have your files deleted.
#[cfg(unix)]
#[test]
fn serve_never_uses_a_planted_folder_and_removes_its_own() {
    use std::hash::{DefaultHasher, Hash, Hasher};
    use std::os::unix::fs::PermissionsExt;
    let site = served_site();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let victim = tmp.path().join("victim");
    std::fs::create_dir(&victim).expect("create the victim's folder");
    std::fs::write(victim.join("precious.txt"), "mine").expect("write");
    // The name the old code chose for this site.
    let mut hasher = DefaultHasher::new();
    std::path::absolute(site.root())
        .expect("an absolute path")
        .hash(&mut hasher);
    let planted = tmp
        .path()
        .join(format!("vellum-serve-{:016x}", hasher.finish()));
    std::fs::create_dir(&planted).expect("plant the folder");
    std::os::unix::fs::symlink(&victim, planted.join("home")).expect("symlink");
    std::fs::write(planted.join(".vellum-manifest"), "home/precious.txt\n").expect("write");

    let serving = Serving::start(&site, tmp.path());
    assert_eq!(get(serving.addr(), "/a/").status, 200);
    assert_eq!(
        std::fs::read_to_string(victim.join("precious.txt")).expect("the victim's file"),
        "mine"
    );
    let ours = serve_folders(tmp.path(), &planted);
    assert_eq!(ours.len(), 1, "{ours:?}");
    let mode = std::fs::metadata(&ours[0])
        .expect("stat")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    assert_eq!(
        std::fs::read_to_string(planted.join(".vellum-manifest")).expect("the planted manifest"),
        "home/precious.txt\n"
    );

    serving.interrupt();
    assert!(!ours[0].exists(), "the serve folder outlived serve");
    assert!(victim.join("precious.txt").exists());
}

/// `kill` (SIGTERM, as service managers and `timeout` send it) ends serve as Ctrl-C does: its
/// private folder is removed.
#[cfg(unix)]
#[test]
fn serve_ended_by_sigterm_removes_its_folder() {
    let site = served_site();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let serving = Serving::start(&site, tmp.path());
    assert_eq!(get(serving.addr(), "/a/").status, 200);
    assert_eq!(serve_folders(tmp.path(), tmp.path()).len(), 1);
    serving.stop_with("-TERM");
    assert_eq!(
        serve_folders(tmp.path(), tmp.path()),
        Vec::<std::path::PathBuf>::new(),
        "the serve folder outlived serve"
    );
}

//! Which `Host` a request may name: this server, and nothing a DNS name could be rebound to.
//!
//! In: a request's `Host` (or the authority of an absolute-form target) and the address the
//! server listens on. Out: whether to answer it. A page on another site can make a browser
//! send requests here by pointing its own DNS name at 127.0.0.1 (DNS rebinding); the browser
//! then sends that name as `Host`, and would let the page read the answers, drafts and
//! live-reload stream included. So only names that cannot be rebound pass: `localhost`, the
//! loopback addresses, the address bound, or, when bound to every interface, any IP address;
//! each with the port the server listens on.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::uri::Authority;
use axum::http::{Request, Response, StatusCode};
use axum::response::IntoResponse;

/// `None` if the request may be answered, else the answer that refuses it.
pub(crate) fn refusal<B>(request: &Request<B>, addr: SocketAddr) -> Option<Response<Body>> {
    let header = request.headers().get(HOST).map(|v| v.to_str());
    let target = request.uri().authority().map(Authority::as_str);
    let ok = match (header, target) {
        // HTTP/1.1 requires `Host`; none of the names in it may be refused.
        (None, None) => false,
        (Some(Ok(host)), target) => {
            allowed(host, addr) && target.is_none_or(|target| allowed(target, addr))
        }
        (Some(Err(_)), _) => false,
        (None, Some(target)) => allowed(target, addr),
    };
    (!ok).then(|| {
        let message = format!(
            "vellum serve answers only requests for localhost:{} or an IP address of this machine\n",
            addr.port()
        );
        (
            StatusCode::FORBIDDEN,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response()
    })
}

/// Whether `host` (`name` or `name:port`) names the server listening on `addr`.
pub(crate) fn allowed(host: &str, addr: SocketAddr) -> bool {
    let Ok(authority) = host.parse::<Authority>() else {
        return false;
    };
    // No port means the scheme's own, 80.
    if authority.port_u16().unwrap_or(80) != addr.port() || authority.as_str().contains('@') {
        return false;
    }
    let name = authority.host();
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    let Ok(ip) = bare.parse::<IpAddr>() else {
        // Any other name could be made to point here.
        return false;
    };
    ip == addr.ip()
        || ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
        || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
        // Bound to every interface: the client may use any of this machine's addresses, and
        // an address (unlike a name) cannot be rebound.
        || addr.ip().is_unspecified()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(addr: &str) -> SocketAddr {
        addr.parse().expect("a socket address")
    }

    #[test]
    fn loopback_names_with_the_port_are_allowed() {
        let addr = at("127.0.0.1:1111");
        for host in [
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
        ] {
            assert!(allowed(host, addr), "{host}");
        }
    }

    #[test]
    fn other_names_ports_and_nonsense_are_refused() {
        let addr = at("127.0.0.1:1111");
        for host in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "localhost:2222",
            "localhost",
            "127.0.0.1",
            "10.0.0.5:1111",
            "user@localhost:1111",
            "",
            "localhost:1111/x",
        ] {
            assert!(!allowed(host, addr), "{host}");
        }
    }

    #[test]
    fn a_server_on_every_interface_takes_any_address_but_no_name() {
        let addr = at("0.0.0.0:1111");
        assert!(allowed("192.168.1.20:1111", addr));
        assert!(allowed("[fe80::1]:1111", addr));
        assert!(allowed("localhost:1111", addr));
        assert!(!allowed("laptop.evil.example:1111", addr));
    }

    #[test]
    fn port_80_may_be_left_out() {
        assert!(allowed("localhost", at("127.0.0.1:80")));
    }

    #[test]
    fn a_request_without_host_or_with_a_bad_target_is_refused() {
        let addr = at("127.0.0.1:1111");
        let bare = Request::get("/").body(()).expect("a request");
        assert!(refusal(&bare, addr).is_some());
        let good = Request::get("/")
            .header(HOST, "localhost:1111")
            .body(())
            .expect("a request");
        assert!(refusal(&good, addr).is_none());
        let absolute = Request::get("http://evil.example:1111/")
            .header(HOST, "localhost:1111")
            .body(())
            .expect("a request");
        let refused = refusal(&absolute, addr).expect("refused");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
}

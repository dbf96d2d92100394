//! What a hostile or broken client meets: request smuggling, CR/LF in headers, oversized
//! headers, slow and stalled clients (one and hundreds), a foreign `Host` (DNS rebinding) or
//! `Origin`; a busy port; a warning when not on loopback; and what media players need:
//! `HEAD` on the event stream, `Range` requests.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Instant;

use super::{WAIT, site, together};
use crate::common::serve::Server;

/// Sends `bytes` as they are and reads everything until the server closes the connection.
fn exchange(s: &Server, bytes: &[u8]) -> String {
    let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    tcp.set_read_timeout(Some(WAIT)).unwrap();
    tcp.write_all(bytes).unwrap();
    let mut out = Vec::new();
    let _ = tcp.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The status codes of every response in `text` (a response follows the last line of the
/// body before it).
fn statuses(text: &str) -> Vec<u16> {
    text.split('\n')
        .filter_map(|l| l.strip_prefix("HTTP/1.1 "))
        .filter_map(|l| l.get(..3)?.parse().ok())
        .collect()
}

#[test]
fn smuggling_attempts_get_one_refusal_and_a_closed_connection() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    let host = s.host();
    // A second request hidden in what the Content-Length calls a body, and the other way
    // round: whichever framing a proxy in front would pick, the server answers once, 400,
    // and closes the connection, so the hidden request is never answered.
    let hidden = format!("GET /en/about/ HTTP/1.1\r\nHost: {host}\r\n\r\n");
    let attempts = [
        format!(
            "GET /en/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{hidden}",
            5 + hidden.len()
        ),
        format!(
            "GET /en/ HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n{hidden}"
        ),
        format!(
            "POST /en/ HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{hidden}\r\n0\r\n\r\n{hidden}",
            hidden.len()
        ),
        format!(
            "GET /en/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\n\r\n{hidden}{hidden}",
            hidden.len()
        ),
    ];
    for attempt in &attempts {
        let got = exchange(&s, attempt.as_bytes());
        assert_eq!(statuses(&got), vec![400], "{attempt:?} got:\n{got}");
        assert!(got.contains("takes no request bodies"), "{got}");
        assert!(!got.contains("About the catalogue"), "{got}");
    }
    // Framing hyper refuses by itself: two different lengths, a space before the colon.
    for attempt in [
        format!(
            "GET /en/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab{hidden}"
        ),
        format!(
            "GET /en/ HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n{hidden}"
        ),
    ] {
        let got = exchange(&s, attempt.as_bytes());
        assert_eq!(statuses(&got), vec![400], "{attempt:?} got:\n{got}");
    }
    // Two requests in a row, without bodies, are both answered (keep-alive still works).
    let got = exchange(
        &s,
        format!("GET /en/ HTTP/1.1\r\nHost: {host}\r\n\r\nGET /en/about/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(statuses(&got), vec![200, 200], "{got}");
}

#[test]
fn cr_lf_and_oversized_headers_are_refused() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    let host = s.host();
    // A bare CR inside a header value, as if to start another header.
    let got = exchange(
        &s,
        format!("GET /en/ HTTP/1.1\r\nHost: {host}\r\nX-A: a\rX-Injected: b\r\n\r\n").as_bytes(),
    );
    assert_eq!(statuses(&got), vec![400], "{got}");
    // CR/LF encoded in the query of a redirect stays encoded: no header is injected.
    let moved = s.get("/es?x=%0d%0aSet-Cookie:%20injected=1");
    assert_eq!(moved.status, 301);
    assert_eq!(
        moved.header("Location"),
        Some("/es/?x=%0d%0aSet-Cookie:%20injected=1")
    );
    assert_eq!(moved.header("Set-Cookie"), None);
    // … and refused in the path.
    assert_eq!(s.get("/es%0d%0aSet-Cookie:%20injected=1/").status, 400);

    // Headers of 16 KiB (many cookies on localhost) are fine; 100 KiB are not.
    let cookie = "c=".to_string() + &"x".repeat(16 * 1024);
    let ok = s.raw(&format!(
        "GET /en/ HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}"
    ));
    assert_eq!(ok.status, 200);
    let huge = "c=".to_string() + &"x".repeat(100 * 1024);
    let refused = exchange(
        &s,
        format!("GET /en/ HTTP/1.1\r\nHost: {host}\r\nCookie: {huge}\r\n\r\n").as_bytes(),
    );
    assert_eq!(statuses(&refused), vec![431], "{refused:.200}");
    assert_eq!(s.get("/en/").status, 200);
}

/// The threads of a process, from /proc.
#[cfg(target_os = "linux")]
fn threads(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

#[test]
fn slow_clients_are_cut_off_and_hold_neither_threads_nor_the_server() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    assert_eq!(s.get("/en/").status, 200);
    #[cfg(target_os = "linux")]
    let before = threads(s.pid());
    // 300 clients that send half a request and then nothing: more than the server keeps.
    let slow: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
            c.write_all(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .unwrap();
            c
        })
        .collect();
    s.wait_printed(
        "256 connections are open, the most casebook serve keeps: new ones wait until one closes",
        WAIT,
    );
    #[cfg(target_os = "linux")]
    {
        let during = threads(s.pid());
        assert!(
            during <= before + 2,
            "{during} threads with 300 slow clients, {before} before"
        );
    }
    // A page is still answered: the slow clients are cut off after 10 s.
    assert_eq!(s.get("/en/about/").status, 200);
    // Each slow client was closed by the server.
    for mut c in slow {
        c.set_read_timeout(Some(WAIT)).unwrap();
        // Until the server closes it (or resets it); a timeout fails the test.
        let mut rest = Vec::new();
        if let Err(e) = c.read_to_end(&mut rest) {
            assert_eq!(
                e.kind(),
                ErrorKind::ConnectionReset,
                "a slow client was not cut off: {e}"
            );
        }
    }
    // The limit is said once, not for each client that waited.
    let said = s.printed().matches("connections are open").count();
    assert_eq!(said, 1, "{}", s.printed());
}

#[test]
fn only_this_server_s_names_are_answered() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    let port = s.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "127.0.0.1".to_string(),
    ] {
        let r = s.raw(&format!("GET /en/ HTTP/1.1\r\nHost: {host}"));
        assert_eq!(r.status, 200, "{host}");
    }
    // A page of another site whose name was pointed at 127.0.0.1 (DNS rebinding).
    for request in [
        format!("GET /en/ HTTP/1.1\r\nHost: evil.example:{port}"),
        format!("GET /__casebook/events HTTP/1.1\r\nHost: evil.example:{port}"),
        format!("GET /en/ HTTP/1.1\r\nHost: 127.0.0.1:{}", port + 1),
        "GET /en/ HTTP/1.0".to_string(),
    ] {
        let r = s.raw(&request);
        assert_eq!(r.status, 403, "{request}");
        assert_eq!(r.header("Content-Type"), Some("text/plain; charset=utf-8"));
        let text = r.text();
        assert!(
            text.starts_with("casebook serve refused this request:"),
            "{text}"
        );
        assert!(text.contains("DNS rebinding"), "{text}");
        assert!(
            text.contains(&format!("http://localhost:{port}/")),
            "{text}"
        );
        assert!(!text.contains("CO-CITY"), "{text}");
    }
    // A WebSocket opened by a page of another site (browsers send its Origin).
    let ws = |origin: &str| {
        s.raw(&format!(
            "GET /__casebook/socket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13"
        ))
    };
    assert_eq!(ws(&format!("http://evil.example:{port}")).status, 403);
}

#[test]
fn on_every_address_the_machine_s_address_is_answered() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &["--bind", "0.0.0.0"]);
    // This machine's address on its network, if it has one (the system's choice of source
    // address for a packet out; nothing is sent).
    let udp = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    let Some(ip) = udp
        .connect("192.0.2.1:9")
        .ok()
        .and_then(|()| udp.local_addr().ok())
        .map(|a| a.ip())
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified())
    else {
        eprintln!("no network address here: only loopback is checked");
        assert_eq!(s.get("/en/").status, 200);
        return;
    };
    let get = |host: String| {
        let mut tcp = TcpStream::connect((ip, s.port)).unwrap();
        tcp.set_read_timeout(Some(WAIT)).unwrap();
        tcp.write_all(
            format!("GET /en/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .unwrap();
        let mut out = String::new();
        let _ = tcp.read_to_string(&mut out);
        statuses(&out)
    };
    assert_eq!(get(format!("{ip}:{}", s.port)), vec![200]);
    assert_eq!(get(format!("evil.example:{}", s.port)), vec![403]);
}

#[test]
fn head_on_the_event_stream_and_the_socket_without_upgrade() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    let head = s.raw(&format!(
        "HEAD /__casebook/events HTTP/1.1\r\nHost: {}",
        s.host()
    ));
    assert_eq!(head.status, 200);
    assert_eq!(head.header("Content-Type"), Some("text/event-stream"));
    assert!(head.body.is_empty(), "{}", head.text());
    let plain = s.get("/__casebook/socket");
    assert_eq!(plain.status, 426);
    assert_eq!(plain.header("Upgrade"), Some("websocket"));
}

#[test]
fn the_socket_greets_a_page_with_the_current_build() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    tcp.set_read_timeout(Some(WAIT)).unwrap();
    // The handshake of RFC 6455 §1.3, with its example key.
    tcp.write_all(format!(
        "GET /__casebook/socket?page=%2Fen%2F HTTP/1.1\r\nHost: {}\r\nOrigin: http://{}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        s.host(), s.host()
    ).as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + WAIT;
    // The response head, then one unmasked text frame: the hello event.
    let frame = loop {
        assert!(
            Instant::now() < deadline,
            "{}",
            String::from_utf8_lossy(&got)
        );
        let n = tcp.read(&mut buf).unwrap();
        assert!(n > 0, "closed: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
        let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let rest = &got[end + 4..];
        if rest.len() >= 2 && rest.len() >= 2 + usize::from(rest[1] & 0x7f) {
            break (
                String::from_utf8_lossy(&got[..end]).into_owned(),
                rest.to_vec(),
            );
        }
    };
    let (head, body) = frame;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    assert!(
        head.contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        "{head}"
    );
    assert_eq!(body[0], 0x81, "a final text frame");
    let len = usize::from(body[1] & 0x7f);
    let text = String::from_utf8_lossy(&body[2..2 + len]);
    assert!(text.starts_with(r#"{"data":{"build":""#), "{text}");
    assert!(text.contains(r#""built":true"#), "{text}");
    assert!(text.contains(r#""event":"hello""#), "{text}");
    drop(tcp);
}

#[test]
fn ranges_of_media_are_answered() {
    let _together = together();
    let site = site();
    let small: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    let large: Vec<u8> = (0..600_000u32).map(|i| (i % 241) as u8).collect();
    std::fs::create_dir_all(site.root().join("static/media")).unwrap();
    std::fs::write(site.root().join("static/media/clip.mp4"), &small).unwrap();
    std::fs::write(site.root().join("static/media/film.webm"), &large).unwrap();
    let s = Server::start(site.root(), &[]);
    let host = s.host();
    let get =
        |path: &str, extra: &str| s.raw(&format!("GET {path} HTTP/1.1\r\nHost: {host}{extra}"));

    let whole = get("/media/clip.mp4", "");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("Accept-Ranges"), Some("bytes"));
    assert_eq!(whole.header("Content-Type"), Some("video/mp4"));
    assert_eq!(whole.body, small);

    for (range, start, end) in [
        ("bytes=0-99", 0, 99),
        ("bytes=990-", 990, 999),
        ("bytes=-10", 990, 999),
        ("bytes=500-5000", 500, 999),
        ("bytes=0-", 0, 999),
    ] {
        let r = get("/media/clip.mp4", &format!("\r\nRange: {range}"));
        assert_eq!(r.status, 206, "{range}");
        assert_eq!(
            r.header("Content-Range").map(str::to_string),
            Some(format!("bytes {start}-{end}/1000")),
            "{range}"
        );
        assert_eq!(r.body, small[start..=end], "{range}");
        assert_eq!(r.header("Cache-Control"), Some("no-store"));
    }
    for range in ["bytes=1000-", "bytes=5000-6000", "bytes=-0"] {
        let r = get("/media/clip.mp4", &format!("\r\nRange: {range}"));
        assert_eq!(r.status, 416, "{range}");
        assert_eq!(r.header("Content-Range"), Some("bytes */1000"), "{range}");
    }
    // Several ranges, a malformed one, or one with If-Range: the whole file.
    for extra in [
        "\r\nRange: bytes=0-1,5-6",
        "\r\nRange: bytes=9-2",
        "\r\nRange: bytes=0-9\r\nIf-Range: \"x\"",
    ] {
        let r = get("/media/clip.mp4", extra);
        assert_eq!(r.status, 200, "{extra:?}");
        assert_eq!(r.body, small, "{extra:?}");
    }
    // HEAD: the headers of the part.
    let head = s.raw(&format!(
        "HEAD /media/clip.mp4 HTTP/1.1\r\nHost: {host}\r\nRange: bytes=10-19"
    ));
    assert_eq!(head.status, 206);
    assert_eq!(head.header("Content-Length"), Some("10"));
    assert!(head.body.is_empty());

    // A large file is sent as it is read, whole or in part.
    let r = get("/media/film.webm", "");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Length"), Some("600000"));
    assert!(r.body == large, "the large file differs");
    let r = get("/media/film.webm", "\r\nRange: bytes=100000-499999");
    assert_eq!(r.status, 206);
    assert!(r.body == large[100_000..500_000], "the part differs");

    // Pages are always whole (the live-reload script is injected).
    let page = get("/en/", "\r\nRange: bytes=0-9");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("/__casebook/live.js"));
}

#[test]
fn a_busy_port_moves_to_the_next_and_a_stalled_client_blocks_nobody() {
    let _together = together();
    let site = site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let s = Server::start(site.root(), &["--port", &port.to_string()]);
    assert!(
        s.printed().contains(&format!(
            "Port {port} is in use; serving on port {}",
            s.port
        )),
        "{}",
        s.printed()
    );
    assert_ne!(s.port, port);

    // One client sends half a request and stalls; another never reads its response.
    let mut stalled = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    stalled
        .write_all(b"GET /es/ HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let mut greedy = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    greedy
        .write_all(b"GET /es/practices.json HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    for _ in 0..20 {
        assert_eq!(s.get("/en/").status, 200);
    }
    drop((stalled, greedy));
}

#[test]
fn anything_but_loopback_is_announced_loudly() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &["--bind", "0.0.0.0"]);
    assert!(
        s.printed()
            .contains("WARNING: listening on 0.0.0.0, not on loopback"),
        "{}",
        s.printed()
    );
    assert_eq!(s.get("/en/").status, 200);
}

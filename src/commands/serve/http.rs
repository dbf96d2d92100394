//! The HTTP side of `serve`: files of the output folder with the right types, `index.html`
//! for folders, the theme's 404 page, the live-reload script injected into HTML, and the
//! live-reload event stream. Each request gets its own thread, so one slow or stalled
//! client never holds up the others.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::events::Hub;
use super::mime::content_type;
use super::request_path::{self, Target};
use crate::escape;

/// Where the live-reload events are served.
pub const EVENTS_URL: &str = "/__casebook/events";
/// Where the live-reload script is served.
pub const SCRIPT_URL: &str = "/__casebook/live.js";
const SCRIPT: &str = include_str!("live.js");

/// What the server serves.
pub struct Served {
    /// The output folder (canonical).
    pub dir: PathBuf,
    /// Live reload.
    pub hub: Arc<Hub>,
}

fn header(name: &str, value: &str) -> Header {
    // Names and values are ASCII that we made or checked: this cannot fail.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

/// Answers every request, each in a thread of its own, until the server is dropped.
pub fn run(server: Arc<Server>, served: Arc<Served>) {
    for request in server.incoming_requests() {
        let served = Arc::clone(&served);
        std::thread::spawn(move || respond(request, &served));
    }
}

fn reply(request: Request, status: u16, kind: &str, body: Vec<u8>, extra: &[Header]) {
    let mut response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    for h in extra {
        response.add_header(h.clone());
    }
    let _ = request.respond(response);
}

fn text(request: Request, status: u16, message: &str) {
    reply(
        request,
        status,
        "text/plain; charset=utf-8",
        format!("{message}\n").into_bytes(),
        &[],
    );
}

/// The live-reload script tag for a page served from `file` (its URL path).
fn script_tag(build: &str, file: &str) -> String {
    format!(
        "<script src=\"{SCRIPT_URL}\" data-build=\"{}\" data-file=\"{}\" data-events=\"{EVENTS_URL}\"></script>",
        escape::html(build),
        escape::html(file)
    )
}

/// `html` with the live-reload script before its last `</body>`, or at its end.
pub fn inject(html: &[u8], build: &str, file: &str) -> Vec<u8> {
    let tag = script_tag(build, file);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The page that listens to events (`/events?page=%2Fes%2Fpractices%2Fco-city%2F`): it is
/// rendered first after a change to many pages.
fn listening_page(url: &str) -> String {
    url.split_once('?')
        .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("page=")))
        .and_then(|p| percent_decode_str(p).decode_utf8().ok())
        .map(|p| p.into_owned())
        .unwrap_or_default()
}

fn respond(request: Request, served: &Served) {
    let method = request.method().clone();
    if method != Method::Get && method != Method::Head {
        reply(
            request,
            405,
            "text/plain; charset=utf-8",
            b"casebook serve only answers GET and HEAD\n".to_vec(),
            &[header("Allow", "GET, HEAD")],
        );
        return;
    }
    let url = request.url().to_string();
    let path_only = url.split(['?', '#']).next().unwrap_or("");
    if path_only == EVENTS_URL {
        let page = listening_page(&url);
        let writer = request.into_writer();
        served.hub.stream(writer, &page);
        return;
    }
    if path_only == SCRIPT_URL {
        reply(
            request,
            200,
            content_type("live.js"),
            SCRIPT.as_bytes().to_vec(),
            &[],
        );
        return;
    }
    let (rel, trailing_slash) = match request_path::parse(&url) {
        Target::Bad(why) => return text(request, 400, &format!("bad request: {why}")),
        Target::Path {
            rel,
            trailing_slash,
        } => (rel, trailing_slash),
    };
    let Some(path) = request_path::resolve(&served.dir, &rel) else {
        return not_found(request, served);
    };
    let file = if path.is_dir() {
        if !trailing_slash {
            let query = url
                .split_once('?')
                .map(|(_, q)| format!("?{q}"))
                .unwrap_or_default();
            let location = format!("{path_only}/{query}");
            reply(
                request,
                301,
                "text/plain; charset=utf-8",
                format!("moved to {location}\n").into_bytes(),
                &[header("Location", &location)],
            );
            return;
        }
        path.join("index.html")
    } else {
        path
    };
    match std::fs::read(&file) {
        Ok(bytes) if file.is_file() => {
            let kind = content_type(&file.to_string_lossy());
            let body = if is_html(&file) {
                inject(&bytes, &served.hub.build(), path_only)
            } else {
                bytes
            };
            reply(request, 200, kind, body, &[]);
        }
        _ => not_found(request, served),
    }
}

fn not_found(request: Request, served: &Served) {
    let page = std::fs::read(served.dir.join("404.html")).unwrap_or_else(|_| {
        b"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found</title><body><h1>Not found</h1></body></html>".to_vec()
    });
    reply(
        request,
        404,
        "text/html; charset=utf-8",
        inject(&page, &served.hub.build(), "/404.html"),
        &[],
    );
}

#[cfg(test)]
mod tests {
    use super::{inject, listening_page};

    #[test]
    fn the_listening_page_comes_from_the_query() {
        assert_eq!(
            listening_page("/__casebook/events?page=%2Fes%2Fpractices%2Fco-city%2F"),
            "/es/practices/co-city/"
        );
        assert_eq!(listening_page("/__casebook/events?x=1&page=/en/"), "/en/");
        assert_eq!(listening_page("/__casebook/events"), "");
        assert_eq!(listening_page("/__casebook/events?page=%FF"), "");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, "b\"1", "/es/")).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script src=\"/__casebook/live.js\" data-build=\"b&quot;1\" data-file=\"/es/\""), "{out}");
        assert!(out.ends_with("</script></BODY></html>"), "{out}");
        let bare = String::from_utf8(inject(b"plain", "b", "/x")).unwrap();
        assert!(bare.starts_with("plain<script"), "{bare}");
    }
}

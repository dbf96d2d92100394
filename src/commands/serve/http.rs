//! Answering one request: files of the served folder with the right types, `index.html` for
//! folders (301 to the slashed URL first), the theme's 404 page, byte ranges of media, the
//! live-reload script injected into HTML, and the live-reload endpoints ([`super::live`]).
//! Refused before anything else: a `Host` that is not this server's ([`super::hosts`]),
//! request bodies (no GET carries one: a body here is a smuggling attempt or a mistake),
//! and methods other than GET and HEAD.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use tokio::io::AsyncReadExt;

use super::events::Hub;
use super::hosts::Hosts;
use super::live::{self, EVENTS_URL, SOCKET_URL};
use super::mime::content_type;
use super::range::{self, Part};
use super::request_path::{self, Target};
use super::response::{Body, empty, full, plain, response};
use crate::escape;

/// Where the live-reload script is served.
pub const SCRIPT_URL: &str = "/__casebook/live.js";
const SCRIPT: &str = include_str!("live.js");

/// How long a request for a page not made yet waits for it to be made.
const ASKED_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Files up to this size are read at once; larger ones are sent as they are read.
const READ_AT_ONCE: u64 = 256 * 1024;
/// The size of each piece of a file sent as it is read.
const CHUNK: usize = 64 * 1024;

/// What the server serves: the boundary with the build side.
pub struct Served {
    /// The output folder (canonical). The build replaces files in it atomically (rename),
    /// so a response is always one whole version of a file.
    pub dir: PathBuf,
    /// Live reload, and whether the site has built yet.
    pub hub: Arc<Hub>,
    /// The names requests may give as `Host`.
    pub hosts: Hosts,
}

fn set(r: &mut Response<Body>, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().insert(name, v);
    }
}

/// The live-reload script tag for a page served from `file` (its URL path).
fn script_tag(build: &str, file: &str) -> String {
    format!(
        "<script src=\"{SCRIPT_URL}\" data-build=\"{}\" data-file=\"{}\" data-socket=\"{SOCKET_URL}\"></script>",
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

/// What every page is answered with until the site builds for the first time.
const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"><title>The site has not built yet</title>\
<body style=\"font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; padding: 0 1rem\">\
<h1>The site has not built yet</h1><p>casebook serve could not build the site, so there is \
nothing to show: the terminal lists the problems. Fix them and this page loads the site by \
itself.</p></body></html>";

/// Answers `request`, which arrived on a connection to the local address `local`.
pub async fn respond<B: Send + 'static>(
    request: Request<B>,
    served: Arc<Served>,
    local: IpAddr,
) -> Response<Body> {
    let headers = request.headers();
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(h), None) => h.to_str().ok(),
        _ => None,
    };
    if !host.is_some_and(|h| served.hosts.allows(h, local)) {
        return plain(StatusCode::FORBIDDEN, &served.hosts.refusal(host));
    }
    // hyper has checked the framing (a Content-Length with a Transfer-Encoding counts as
    // the latter); no request here has a body, so one that claims it has is refused and
    // its connection closed, whatever follows it.
    let length = headers
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v.as_bytes() != b"0");
    if headers.contains_key(header::TRANSFER_ENCODING) || length {
        let mut r = plain(
            StatusCode::BAD_REQUEST,
            "casebook serve takes no request bodies (Content-Length or Transfer-Encoding)",
        );
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return r;
    }
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "casebook serve only answers GET and HEAD",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let head = method == Method::HEAD;
    let uri = request.uri().clone();
    if uri.scheme().is_some() || uri.authority().is_some() {
        return plain(
            StatusCode::BAD_REQUEST,
            "bad request: the request path must start with /",
        );
    }
    let path = uri.path();
    match path {
        SOCKET_URL => {
            let origin = headers
                .get(header::ORIGIN)
                .map(|o| o.to_str().unwrap_or(""));
            if origin.is_some_and(|o| !served.hosts.allows_origin(o, local)) {
                return plain(
                    StatusCode::FORBIDDEN,
                    "casebook serve refused this WebSocket: it comes from a page of another site",
                );
            }
            return live::socket(request, &served.hub, live::listening_page(uri.query()));
        }
        EVENTS_URL => return live::events(&served.hub, &live::listening_page(uri.query()), head),
        SCRIPT_URL => return response(StatusCode::OK, content_type("live.js"), full(SCRIPT)),
        _ => {}
    }
    if !served.hub.is_built() {
        let page = inject(NOT_BUILT.as_bytes(), &served.hub.build(), path);
        return response(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            full(page),
        );
    }
    let (rel, trailing_slash) = match request_path::parse(path) {
        Target::Bad(why) => return plain(StatusCode::BAD_REQUEST, &format!("bad request: {why}")),
        Target::Path {
            rel,
            trailing_slash,
        } => (rel, trailing_slash),
    };
    let range = match headers.get(header::IF_RANGE) {
        // The server sends no validators: a client cannot hold a current one.
        Some(_) => None,
        None => headers
            .get(header::RANGE)
            .and_then(|r| r.to_str().ok())
            .map(str::to_string),
    };
    let dir = served.dir.clone();
    let (r, t) = (rel.clone(), trailing_slash);
    let mut found = tokio::task::spawn_blocking(move || find(&dir, &r, t)).await;
    // A page not made yet, while pages are left to make: asked for, made, then served.
    if matches!(found, Ok(Found::Missing(_))) && served.hub.is_pending() {
        served.hub.want(path, ASKED_WAIT).await;
        let dir = served.dir.clone();
        found = tokio::task::spawn_blocking(move || find(&dir, &rel, trailing_slash)).await;
    }
    let build = served.hub.build();
    match found {
        Ok(Found::Folder) => {
            let location = match uri.query() {
                Some(q) => format!("{path}/?{q}"),
                None => format!("{path}/"),
            };
            let mut r = plain(
                StatusCode::MOVED_PERMANENTLY,
                &format!("moved to {location}"),
            );
            set(&mut r, header::LOCATION, &location);
            r
        }
        Ok(Found::Html(bytes)) => response(
            StatusCode::OK,
            "text/html; charset=utf-8",
            full(inject(&bytes, &build, path)),
        ),
        Ok(Found::File { file, len, kind }) => {
            send_file(file, len, kind, range.as_deref(), head).await
        }
        Ok(Found::Missing(page)) => response(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            full(inject(&page, &build, "/404.html")),
        ),
        Err(_) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the file could not be read",
        ),
    }
}

/// What a request path leads to.
enum Found {
    /// A folder asked for without its trailing slash.
    Folder,
    /// An HTML page, read.
    Html(Vec<u8>),
    /// Another file, open.
    File {
        file: File,
        len: u64,
        kind: &'static str,
    },
    /// Nothing: the site's 404 page.
    Missing(Vec<u8>),
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Finds `rel` under `dir` (blocking: run it off the server's thread).
fn find(dir: &Path, rel: &str, trailing_slash: bool) -> Found {
    let missing = || {
        Found::Missing(std::fs::read(dir.join("404.html")).unwrap_or_else(|_| {
            b"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found</title><body><h1>Not found</h1></body></html>".to_vec()
        }))
    };
    let Some(path) = request_path::resolve(dir, rel) else {
        return missing();
    };
    let path = if path.is_dir() {
        if !trailing_slash {
            return Found::Folder;
        }
        path.join("index.html")
    } else {
        path
    };
    // One open file for its length and its bytes, even if the build replaces it meanwhile.
    let Ok(mut file) = File::open(&path) else {
        return missing();
    };
    let Some(len) = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
    else {
        return missing();
    };
    if is_html(&path) {
        let mut bytes = Vec::with_capacity(len as usize);
        return match file.read_to_end(&mut bytes) {
            Ok(_) => Found::Html(bytes),
            Err(_) => missing(),
        };
    }
    Found::File {
        file,
        len,
        kind: content_type(&path.to_string_lossy()),
    }
}

/// A file, whole or the part `range` asks for.
async fn send_file(
    file: File,
    len: u64,
    kind: &'static str,
    range: Option<&str>,
    head: bool,
) -> Response<Body> {
    let (status, start, count) = match range::parse(range, len) {
        Part::Whole => (StatusCode::OK, 0, len),
        Part::Bytes { start, end } => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        Part::Unsatisfiable => {
            let mut r = plain(
                StatusCode::RANGE_NOT_SATISFIABLE,
                &format!("the range asked for is outside the file ({len} bytes)"),
            );
            set(&mut r, header::CONTENT_RANGE, &format!("bytes */{len}"));
            return r;
        }
    };
    let body = if head {
        empty()
    } else if count <= READ_AT_ONCE {
        match tokio::task::spawn_blocking(move || read_part(file, start, count)).await {
            Ok(Ok(bytes)) => full(bytes),
            _ => {
                return plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the file could not be read",
                );
            }
        }
    } else {
        stream_part(file, start, count)
    };
    let mut r = response(status, kind, body);
    set(&mut r, header::CONTENT_LENGTH, &count.to_string());
    r.headers_mut()
        .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if status == StatusCode::PARTIAL_CONTENT {
        let end = start + count - 1;
        set(
            &mut r,
            header::CONTENT_RANGE,
            &format!("bytes {start}-{end}/{len}"),
        );
    }
    r
}

fn read_part(mut file: File, start: u64, count: u64) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::with_capacity(count as usize);
    file.take(count).read_to_end(&mut bytes)?;
    if (bytes.len() as u64) < count {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(bytes)
}

/// `count` bytes of `file` from `start`, read as they are sent.
fn stream_part(file: File, start: u64, count: u64) -> Body {
    let state = (Some(file), None::<tokio::io::Take<tokio::fs::File>>);
    let frames = futures_util::stream::unfold(state, move |(open, reading)| async move {
        let mut reading = match (open, reading) {
            (_, Some(r)) => r,
            (Some(mut file), None) => {
                if let Err(e) = file.seek(SeekFrom::Start(start)) {
                    return Some((Err(e), (None, None)));
                }
                tokio::fs::File::from_std(file).take(count)
            }
            (None, None) => return None,
        };
        let mut buf = vec![0u8; CHUNK];
        match reading.read(&mut buf).await {
            Ok(0) if reading.limit() > 0 => {
                Some((Err(io::ErrorKind::UnexpectedEof.into()), (None, None)))
            }
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Frame::data(Bytes::from(buf))), (None, Some(reading))))
            }
            Err(e) => Some((Err(e), (None, None))),
        }
    });
    StreamBody::new(frames).boxed()
}

#[cfg(test)]
mod tests {
    use super::inject;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, "b\"1", "/es/")).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script src=\"/__casebook/live.js\" data-build=\"b&quot;1\" data-file=\"/es/\" data-socket=\"/__casebook/socket\""), "{out}");
        assert!(out.ends_with("</script></BODY></html>"), "{out}");
        let bare = String::from_utf8(inject(b"plain", "b", "/x")).unwrap();
        assert!(bare.starts_with("plain<script"), "{bare}");
    }
}

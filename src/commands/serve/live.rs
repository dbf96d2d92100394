//! The two ways a client follows the live-reload [`Hub`]:
//!
//! - [`SOCKET_URL`], a WebSocket: what the injected script uses, one per open page. Browsers
//!   do not count WebSockets toward their six HTTP/1.1 connections per host, so any number
//!   of tabs load and reload. Each message is one event as JSON, `{"event": …, "data": …}`;
//! - [`EVENTS_URL`], Server-Sent Events (`event: NAME`, `data: JSON`): the same events, for
//!   tools (`curl -N http://127.0.0.1:1111/__casebook/events`), tests and benchmarks.
//!
//! Both name the page they follow (`?page=/es/practices/co-city/`), so that the server can
//! render open pages first, and both start with a `hello` event: the current build, its
//! problems, and whether the site has built at all.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Empty, StreamBody};
use hyper::body::Frame;
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use percent_encoding::percent_decode_str;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use super::events::Hub;
use super::response::{Body, plain};

/// Where the live-reload WebSocket is.
pub const SOCKET_URL: &str = "/__casebook/socket";
/// Where the live-reload events are served as Server-Sent Events.
pub const EVENTS_URL: &str = "/__casebook/events";

/// How often an idle connection gets a ping (or a comment line), which keeps it under the
/// idle limit and notices closed connections.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// How long an `EventSource` waits before reconnecting after the server went away, in ms.
const RETRY_MS: u32 = 500;

/// Pages send nothing but pongs and a close: anything longer is refused.
const MAX_MESSAGE: usize = 4096;

/// The page that follows the events (`?page=%2Fes%2Fpractices%2Fco-city%2F`).
pub fn listening_page(query: Option<&str>) -> String {
    query
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("page=")))
        .and_then(|p| percent_decode_str(p).decode_utf8().ok())
        .map(|p| p.into_owned())
        .unwrap_or_default()
}

/// The Server-Sent Events stream for `page`; headers only for `HEAD`.
pub fn events(hub: &Arc<Hub>, page: &str, head: bool) -> Response<Body> {
    let body = if head {
        Empty::new().map_err(|never| match never {}).boxed()
    } else {
        let rx = hub.subscribe(page);
        let hello = format!("retry: {RETRY_MS}\n{}", hub.hello().sse());
        let first = futures_util::stream::once(async move { Ok(Frame::data(Bytes::from(hello))) });
        // Then each event, or a comment line when none came for a while; the stream ends
        // when the hub drops the page.
        let rest = futures_util::stream::unfold(rx, |mut rx| async move {
            let text = match tokio::time::timeout(KEEPALIVE, rx.recv()).await {
                Ok(Some(event)) => event.sse(),
                Ok(None) => return None,
                Err(_) => ": keep-alive\n\n".to_string(),
            };
            Some((Ok(Frame::data(Bytes::from(text))), rx))
        });
        BodyExt::boxed(StreamBody::new(first.chain(rest)))
    };
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("X-Accel-Buffering", HeaderValue::from_static("no"));
    r
}

/// Answers a WebSocket handshake for `page` (101), then follows the hub on that connection
/// until the page or the hub lets go. Anything but a WebSocket handshake gets 426 or 400.
pub fn socket<B: Send + 'static>(
    mut request: Request<B>,
    hub: &Arc<Hub>,
    page: String,
) -> Response<Body> {
    let h = request.headers();
    let has = |name: header::HeaderName, token: &str| {
        h.get_all(name).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    if !has(header::UPGRADE, "websocket") || !has(header::CONNECTION, "upgrade") {
        let mut r = plain(
            StatusCode::UPGRADE_REQUIRED,
            &format!("{SOCKET_URL} is a WebSocket; use {EVENTS_URL} for Server-Sent Events"),
        );
        r.headers_mut()
            .insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        return r;
    }
    let key = h.get(header::SEC_WEBSOCKET_KEY).map(|k| k.as_bytes());
    let version = h.get(header::SEC_WEBSOCKET_VERSION).map(|v| v.as_bytes());
    let (Some(key), Some(b"13")) = (key, version) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "bad WebSocket handshake: Sec-WebSocket-Key and Sec-WebSocket-Version: 13 are needed",
        );
    };
    let accept = derive_accept_key(key);
    let upgrade = hyper::upgrade::on(&mut request);
    let hub = Arc::clone(hub);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else { return };
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE))
            .max_frame_size(Some(MAX_MESSAGE));
        let ws =
            WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, Some(config))
                .await;
        follow(ws, &hub, &page).await;
    });
    let mut r = Response::new(Empty::new().map_err(|never| match never {}).boxed());
    *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = r.headers_mut();
    h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    h.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
    if let Ok(v) = HeaderValue::from_str(&accept) {
        h.insert(header::SEC_WEBSOCKET_ACCEPT, v);
    }
    r
}

/// Sends the hub's events for `page` on `ws` until either side closes.
async fn follow<S>(mut ws: WebSocketStream<S>, hub: &Hub, page: &str)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut rx = hub.subscribe(page);
    if ws.send(Message::text(hub.hello().json())).await.is_err() {
        return;
    }
    let mut ping = tokio::time::interval(KEEPALIVE);
    ping.tick().await;
    loop {
        tokio::select! {
            event = rx.recv() => match event {
                Some(event) => {
                    if ws.send(Message::text(event.json())).await.is_err() {
                        return;
                    }
                }
                None => break,
            },
            message = ws.next() => match message {
                // Pongs and pings are answered by tungstenite; the page sends nothing else.
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => {
                if ws.send(Message::Ping(Bytes::new())).await.is_err() {
                    return;
                }
            }
        }
    }
    let _ = ws.close(None).await;
}

#[cfg(test)]
mod tests {
    use super::listening_page;

    #[test]
    fn the_listening_page_comes_from_the_query() {
        assert_eq!(
            listening_page(Some("page=%2Fes%2Fpractices%2Fco-city%2F")),
            "/es/practices/co-city/"
        );
        assert_eq!(listening_page(Some("x=1&page=/en/")), "/en/");
        assert_eq!(listening_page(None), "");
        assert_eq!(listening_page(Some("page=%FF")), "");
    }
}

//! Server-Sent Events for live reload: every open page keeps one `EventSource` connection,
//! and each rebuild is announced to all of them.
//!
//! tiny_http has no streaming response that flushes as it goes (its chunked responses are
//! buffered 8 KiB), so each connection takes the raw writer of its request, writes the
//! headers itself and flushes after each event, in a thread of its own so that a stalled
//! client never holds up the others.

use std::io::Write;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::diagnostics::Diagnostic;
use crate::diagnostics::format;

/// How often an idle connection gets a comment line, to notice closed connections.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// How long the browser waits before reconnecting after the server went away, in ms.
const RETRY_MS: u32 = 500;

/// The state a newly connected page needs: the current build and its problems.
#[derive(Debug, Clone, Default)]
struct Current {
    build: String,
    errors: Value,
}

/// The live-reload hub: connected pages and the current build.
#[derive(Default)]
pub struct Hub {
    /// Each connected page: where to send its events, and its URL path.
    clients: Mutex<Vec<(Sender<Arc<str>>, String)>>,
    current: Mutex<Current>,
}

/// One event in the SSE wire format.
fn frame(event: &str, data: &Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// Diagnostics as the overlay shows them: the JSON fields of `--format json`, plus the text
/// a terminal shows (without colour).
pub fn diagnostics_json(diags: &[Diagnostic]) -> Value {
    Value::Array(
        diags
            .iter()
            .map(|d| {
                let mut v: Value = serde_json::from_str(&format::json(d)).unwrap_or(Value::Null);
                if let Value::Object(map) = &mut v {
                    map.insert("text".into(), Value::from(d.render_human(false)));
                }
                v
            })
            .collect(),
    )
}

impl Hub {
    /// A hub whose first build is `build`.
    pub fn new(build: &str) -> Hub {
        let hub = Hub::default();
        if let Ok(mut c) = hub.current.lock() {
            c.build = build.to_string();
            c.errors = Value::Array(Vec::new());
        }
        hub
    }

    /// The current build id, written into served pages.
    pub fn build(&self) -> String {
        self.current
            .lock()
            .map(|c| c.build.clone())
            .unwrap_or_default()
    }

    fn send(&self, text: String) {
        let text: Arc<str> = Arc::from(text);
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|(c, _)| c.send(Arc::clone(&text)).is_ok());
        }
    }

    /// Announces a successful rebuild: `pages` are the URL paths of the pages that changed
    /// (`all` when every page should reload), `stylesheets` those of changed CSS files.
    pub fn rebuilt(&self, build: &str, pages: &[String], all: bool, stylesheets: &[String]) {
        let had_errors = self
            .current
            .lock()
            .map(|mut c| {
                c.build = build.to_string();
                let had = c.errors.as_array().is_some_and(|a| !a.is_empty());
                c.errors = Value::Array(Vec::new());
                had
            })
            .unwrap_or(false);
        if !stylesheets.is_empty() {
            self.send(frame(
                "css",
                &json!({ "build": build, "files": stylesheets }),
            ));
        }
        if all || !pages.is_empty() || had_errors {
            self.send(frame(
                "reload",
                &json!({ "build": build, "pages": pages, "all": all }),
            ));
        }
    }

    /// Announces a failed rebuild: pages show the problems over the last good version.
    pub fn failed(&self, diags: &[Diagnostic]) {
        let errors = diagnostics_json(diags);
        if let Ok(mut c) = self.current.lock() {
            c.errors = errors.clone();
        }
        self.send(frame("errors", &json!({ "errors": errors })));
    }

    /// Registers the page at `page` (its URL path) and returns what it should be sent first.
    fn subscribe(&self, page: &str) -> (Receiver<Arc<str>>, String) {
        let (tx, rx) = channel();
        let current = self.current.lock().map(|c| c.clone()).unwrap_or_default();
        if let Ok(mut clients) = self.clients.lock() {
            clients.push((tx, page.to_string()));
        }
        let hello = format!(
            "retry: {RETRY_MS}\n{}",
            frame(
                "hello",
                &json!({ "build": current.build, "errors": current.errors }),
            )
        );
        (rx, hello)
    }

    /// Streams events to the page at `page` (its URL path) until it goes away. Blocks: run
    /// it in its own thread.
    pub fn stream(&self, mut out: Box<dyn Write + Send>, page: &str) {
        let (rx, hello) = self.subscribe(page);
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n";
        if out.write_all(head.as_bytes()).is_err()
            || out.write_all(hello.as_bytes()).is_err()
            || out.flush().is_err()
        {
            return;
        }
        loop {
            let text = match rx.recv_timeout(KEEPALIVE) {
                Ok(t) => t,
                Err(RecvTimeoutError::Timeout) => Arc::from(": keep-alive\n\n"),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if out.write_all(text.as_bytes()).is_err() || out.flush().is_err() {
                return;
            }
        }
    }

    /// Number of connected pages (for tests and the terminal).
    pub fn clients(&self) -> usize {
        self.clients.lock().map(|c| c.len()).unwrap_or(0)
    }

    /// The URL paths of the pages connected now, without duplicates.
    pub fn open_pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = self
            .clients
            .lock()
            .map(|c| c.iter().map(|(_, p)| p.clone()).collect())
            .unwrap_or_default();
        pages.sort();
        pages.dedup();
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// A writer that forwards what it is given to a channel.
    struct Pipe(mpsc::Sender<Vec<u8>>);

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .send(buf.to_vec())
                .map_err(|_| std::io::Error::other("closed"))?;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn pages_get_hello_then_each_event() {
        let hub = Arc::new(Hub::new("b1"));
        let (tx, rx) = mpsc::channel();
        let h = Arc::clone(&hub);
        std::thread::spawn(move || h.stream(Box::new(Pipe(tx)), "/en/"));
        let mut seen = String::new();
        let next = || String::from_utf8(rx.recv_timeout(Duration::from_secs(5)).unwrap()).unwrap();
        while !seen.contains("event: hello") {
            seen.push_str(&next());
        }
        assert!(seen.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream"));
        assert!(
            seen.contains(r#"data: {"build":"b1","errors":[]}"#),
            "{seen}"
        );
        while hub.clients() == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(hub.open_pages(), vec!["/en/".to_string()]);
        hub.rebuilt("b2", &["/en/".into()], false, &["/css/main.css".into()]);
        let mut events = String::new();
        while !events.contains("event: reload") {
            events.push_str(&next());
        }
        assert!(events.contains(r#"event: css"#), "{events}");
        assert!(events.contains(r#""pages":["/en/"]"#), "{events}");
        assert_eq!(hub.build(), "b2");
    }

    #[test]
    fn failures_are_sent_with_their_text_and_kept_for_new_pages() {
        let hub = Hub::new("b1");
        let d = Diagnostic::new(crate::diagnostics::Code::UnknownTerm, "unknown topic `x`")
            .at(crate::diagnostics::Location::new(
                "content/practices/a.md",
                9,
                10,
            ))
            .hint("did you mean `y`?");
        hub.failed(&[d]);
        let (_rx, hello) = hub.subscribe("/en/");
        for part in [
            r#""file":"content/practices/a.md""#,
            r#""line":9"#,
            r#""column":10"#,
        ] {
            assert!(hello.contains(part), "{part} in {hello}");
        }
        assert!(hello.contains("did you mean `y`?"), "{hello}");
        assert!(hello.contains(r#""text":"error[E0102]"#), "{hello}");
    }
}

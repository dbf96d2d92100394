//! The live-reload hub: what the build side tells the open pages (a rebuild, a failure),
//! the state a newly opened page needs (the current build, its problems, whether anything
//! built yet), and which pages are open.
//!
//! The hub knows nothing of transports: each connected page gets a channel of [`Event`]s,
//! which [`super::live`] sends as WebSocket messages or Server-Sent Events.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::sync::mpsc::{self, Receiver, Sender};

use crate::diagnostics::Diagnostic;
use crate::diagnostics::format;

/// How many events may wait for a page that does not read them; a page further behind is
/// dropped (its script reconnects and catches up from the `hello` event).
const BACKLOG: usize = 64;

/// One live-reload event: a name (`hello`, `reload`, `css`, `errors`) and its JSON data.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// What happened.
    pub name: &'static str,
    /// Its details.
    pub data: Value,
}

impl Event {
    /// The event in the Server-Sent Events wire format.
    pub fn sse(&self) -> String {
        format!("event: {}\ndata: {}\n\n", self.name, self.data)
    }

    /// The event as one JSON message: `{"event": NAME, "data": …}`.
    pub fn json(&self) -> String {
        json!({ "event": self.name, "data": self.data }).to_string()
    }
}

/// The state a newly connected page needs.
#[derive(Debug, Clone, Default)]
struct Current {
    build: String,
    errors: Value,
    /// The warnings of the current sources (what `check` would say), shown apart from errors.
    warnings: Value,
    /// Whether any build succeeded: until then there is no site to show.
    built: bool,
}

/// A connected page: where to send its events, and its URL path.
struct Client {
    tx: Sender<Arc<Event>>,
    page: String,
}

/// The live-reload hub: connected pages and the current build.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Client>>,
    current: Mutex<Current>,
    /// Pages asked for that are not made yet: the build loop makes them first.
    wanted: Mutex<Vec<String>>,
    /// Whether the build loop has pages left to make (deferred work).
    pending: AtomicBool,
    /// Told when the build loop has made the pages asked for.
    made: tokio::sync::Notify,
    /// Wakes the build loop.
    waker: Mutex<Option<Box<dyn Fn() + Send>>>,
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
    /// A hub for a site that has not built yet; `build` names the state pages are served in.
    pub fn new(build: &str) -> Hub {
        let hub = Hub::default();
        if let Ok(mut c) = hub.current.lock() {
            c.build = build.to_string();
            c.errors = Value::Array(Vec::new());
            c.warnings = Value::Array(Vec::new());
        }
        hub
    }

    /// Announces the warnings of the current sources when they changed: pages list them
    /// apart from errors, without hiding the page.
    pub fn warnings(&self, diags: &[Diagnostic]) {
        let warnings = diagnostics_json(diags);
        let changed = self
            .current
            .lock()
            .map(|mut c| {
                let changed = c.warnings != warnings;
                c.warnings = warnings.clone();
                changed
            })
            .unwrap_or(false);
        if changed {
            self.send(Event {
                name: "warnings",
                data: json!({ "warnings": warnings }),
            });
        }
    }

    /// The current build id, written into served pages.
    pub fn build(&self) -> String {
        self.current
            .lock()
            .map(|c| c.build.clone())
            .unwrap_or_default()
    }

    /// Whether a build succeeded: until then the served folder holds no site.
    pub fn is_built(&self) -> bool {
        self.current.lock().map(|c| c.built).unwrap_or(false)
    }

    fn send(&self, event: Event) {
        let event = Arc::new(event);
        if let Ok(mut clients) = self.clients.lock() {
            // A page gone or too far behind is dropped; its script reconnects.
            clients.retain(|c| c.tx.try_send(Arc::clone(&event)).is_ok());
        }
    }

    /// Announces a successful build of the current sources: `pages` are the URL paths of
    /// the pages that changed (`all` when every page should reload), `stylesheets` those
    /// of changed CSS files. It clears the problems shown. The first successful build makes
    /// the site servable and reloads every page.
    pub fn rebuilt(&self, build: &str, pages: &[String], all: bool, stylesheets: &[String]) {
        self.announce(build, pages, all, stylesheets, true);
    }

    /// Announces pages brought up to date after a build (work deferred until the changes
    /// paused), which may come while the latest sources are broken: the problems shown
    /// stay.
    pub fn caught_up(&self, build: &str, pages: &[String], all: bool, stylesheets: &[String]) {
        self.announce(build, pages, all, stylesheets, false);
    }

    fn announce(&self, build: &str, pages: &[String], all: bool, css: &[String], clear: bool) {
        let (had_errors, first) = self
            .current
            .lock()
            .map(|mut c| {
                c.build = build.to_string();
                let had = clear && c.errors.as_array().is_some_and(|a| !a.is_empty());
                let first = !c.built;
                if clear {
                    c.errors = Value::Array(Vec::new());
                }
                c.built = true;
                (had, first)
            })
            .unwrap_or((false, false));
        let all = all || first;
        if !css.is_empty() && !first {
            self.send(Event {
                name: "css",
                data: json!({ "build": build, "files": css }),
            });
        }
        if all || !pages.is_empty() || had_errors {
            let pages = if all { &[][..] } else { pages };
            self.send(Event {
                name: "reload",
                data: json!({ "build": build, "pages": pages, "all": all }),
            });
        }
    }

    /// Announces a failed build: pages show the problems (over the last good version, if
    /// there is one).
    pub fn failed(&self, diags: &[Diagnostic]) {
        let errors = diagnostics_json(diags);
        let built = self
            .current
            .lock()
            .map(|mut c| {
                c.errors = errors.clone();
                c.built
            })
            .unwrap_or(false);
        self.send(Event {
            name: "errors",
            data: json!({ "errors": errors, "built": built }),
        });
    }

    /// Sets what wakes the build loop when a page is asked for.
    pub fn set_waker(&self, wake: impl Fn() + Send + 'static) {
        if let Ok(mut w) = self.waker.lock() {
            *w = Some(Box::new(wake));
        }
    }

    /// Says whether pages are left to make (set by the build loop after each step).
    pub fn set_pending(&self, pending: bool) {
        self.pending.store(pending, Ordering::SeqCst);
    }

    /// Whether pages are left to make: a missing page may be one of them.
    pub fn is_pending(&self) -> bool {
        self.pending.load(Ordering::SeqCst)
    }

    /// Asks the build loop to make the page at `page` (a URL path) now, and waits until it
    /// has (or `timeout` passed).
    pub async fn want(&self, page: &str, timeout: std::time::Duration) {
        let made = self.made.notified();
        tokio::pin!(made);
        made.as_mut().enable();
        if let Ok(mut w) = self.wanted.lock() {
            w.push(page.to_string());
        }
        if let Ok(wake) = self.waker.lock()
            && let Some(wake) = wake.as_ref()
        {
            wake();
        }
        let _ = tokio::time::timeout(timeout, made).await;
    }

    /// The pages asked for since the last call.
    pub fn take_wanted(&self) -> Vec<String> {
        self.wanted
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default()
    }

    /// Tells the requests waiting in [`Hub::want`] that the build loop is done with them.
    pub fn made_wanted(&self) {
        self.made.notify_waiters();
    }

    /// What a page is told first: the current build, its problems, whether anything built.
    pub fn hello(&self) -> Event {
        let c = self.current.lock().map(|c| c.clone()).unwrap_or_default();
        Event {
            name: "hello",
            data: json!({
                "build": c.build,
                "errors": c.errors,
                "warnings": c.warnings,
                "built": c.built,
            }),
        }
    }

    /// Registers the page at `page` (its URL path): its events come through the receiver,
    /// until it is dropped.
    pub fn subscribe(&self, page: &str) -> Receiver<Arc<Event>> {
        let (tx, rx) = mpsc::channel(BACKLOG);
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| !c.tx.is_closed());
            clients.push(Client {
                tx,
                page: page.to_string(),
            });
        }
        rx
    }

    /// Number of connected pages.
    pub fn clients(&self) -> usize {
        self.clients
            .lock()
            .map(|c| c.iter().filter(|c| !c.tx.is_closed()).count())
            .unwrap_or(0)
    }

    /// The URL paths of the pages connected now, without duplicates.
    pub fn open_pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = self
            .clients
            .lock()
            .map(|c| {
                c.iter()
                    .filter(|c| !c.tx.is_closed())
                    .map(|c| c.page.clone())
                    .collect()
            })
            .unwrap_or_default();
        pages.sort();
        pages.dedup();
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(rx: &mut Receiver<Arc<Event>>) -> Vec<String> {
        let mut out = Vec::new();
        while let Ok(e) = rx.try_recv() {
            out.push(format!("{} {}", e.name, e.data));
        }
        out
    }

    #[test]
    fn the_first_build_reloads_everything_then_each_change_names_its_pages() {
        let hub = Hub::new("b0");
        assert!(!hub.is_built());
        assert_eq!(hub.hello().data["built"], false);
        let mut rx = hub.subscribe("/en/");
        assert_eq!(hub.open_pages(), vec!["/en/".to_string()]);
        hub.rebuilt("b1", &["/es/".into()], false, &["/css/main.css".into()]);
        assert!(hub.is_built());
        // The pages showed no site (or an older server's): all of them reload.
        assert_eq!(
            names(&mut rx),
            vec![r#"reload {"all":true,"build":"b1","pages":[]}"#]
        );
        hub.rebuilt("b2", &["/en/".into()], false, &["/css/main.css".into()]);
        assert_eq!(
            names(&mut rx),
            vec![
                r#"css {"build":"b2","files":["/css/main.css"]}"#,
                r#"reload {"all":false,"build":"b2","pages":["/en/"]}"#
            ]
        );
        assert_eq!(hub.build(), "b2");
        drop(rx);
        assert_eq!(hub.clients(), 0);
        assert!(hub.open_pages().is_empty());
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
        let mut rx = hub.subscribe("/en/");
        hub.failed(&[d]);
        let sent = names(&mut rx);
        assert!(sent[0].starts_with("errors "), "{sent:?}");
        assert!(sent[0].contains(r#""built":false"#), "{sent:?}");
        // Deferred pages written meanwhile reload, and the problems stay.
        hub.caught_up("b2", &["/es/".into()], false, &[]);
        assert!(hub.is_built());
        hub.caught_up("b3", &["/en/".into()], false, &[]);
        assert_eq!(
            names(&mut rx),
            vec![
                r#"reload {"all":true,"build":"b2","pages":[]}"#,
                r#"reload {"all":false,"build":"b3","pages":["/en/"]}"#
            ]
        );
        // A page opened now learns about the problems.
        let hello = hub.hello().sse();
        assert!(hello.starts_with("event: hello\ndata: {"), "{hello}");
        for part in [
            r#""file":"content/practices/a.md""#,
            r#""line":9"#,
            r#""column":10"#,
            r#""built":true"#,
            "did you mean `y`?",
            r#""text":"error[E0102]"#,
        ] {
            assert!(hello.contains(part), "{part} in {hello}");
        }
        let json = hub.hello().json();
        assert!(json.starts_with(r#"{"data":{"#), "{json}");
        assert!(json.contains(r#""event":"hello""#), "{json}");
    }

    #[test]
    fn a_page_that_does_not_read_is_dropped_not_waited_for() {
        let hub = Hub::new("b0");
        hub.rebuilt("b1", &[], true, &[]);
        let _rx = hub.subscribe("/en/");
        for i in 0..=BACKLOG {
            hub.rebuilt(&format!("b{i}"), &["/en/".into()], false, &[]);
        }
        assert_eq!(hub.clients(), 0);
    }
}

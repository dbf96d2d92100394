//! Real headless Chromium for browser tests, driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`, which `.ci/run` installs), and a static file server for built sites.
//!
//! Tests fail with a clear message when the browser is missing: a browser test that
//! silently skips is a test that cannot fail.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::Value;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver, started on a free port: the process and its port.
fn start_driver() -> (Child, u16) {
    let port = free_port();
    let driver = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    (driver, port)
}

/// A headless Chromium session.
pub struct Browser {
    rt: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile, at `width`×`height`.
    pub fn start(width: u32, height: u32) -> Browser {
        Browser::launch(width, height, true)
    }

    /// [`Browser::start`] with JavaScript turned off for pages (the test's own scripts,
    /// [`Browser::eval`], still run).
    pub fn start_without_javascript(width: u32, height: u32) -> Browser {
        Browser::launch(width, height, false)
    }

    fn launch(width: u32, height: u32, javascript: bool) -> Browser {
        for bin in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            assert!(
                Path::new(bin).exists(),
                "{bin} is missing: browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver, or run .ci/run)"
            );
        }
        let profile = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let prefs = if javascript {
            serde_json::json!({})
        } else {
            serde_json::json!({ "profile.managed_default_content_settings.javascript": 2 })
        };
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "prefs": prefs,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                    "--disable-dev-shm-usage", "--hide-scrollbars",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let caps = caps.as_object().unwrap().clone();
        // The port is free when asked for, but another process of the test run can take it
        // before chromedriver does, which then exits: a driver that exits is started again
        // on another port.
        let deadline = Instant::now() + Duration::from_secs(60);
        let (client, driver) = rt.block_on(async {
            let mut driver = start_driver();
            loop {
                let connector = hyper_util::client::legacy::connect::HttpConnector::new();
                let url = format!("http://127.0.0.1:{}", driver.1);
                match ClientBuilder::new(connector)
                    .capabilities(caps.clone())
                    .connect(&url)
                    .await
                {
                    Ok(c) => break (c, driver.0),
                    Err(e) if Instant::now() > deadline => {
                        let _ = driver.0.kill();
                        panic!("cannot start a Chromium session: {e}")
                    }
                    Err(_) if driver.0.try_wait().ok().flatten().is_some() => {
                        driver = start_driver();
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        });
        let browser = Browser {
            rt,
            client: Some(client),
            driver,
            _profile: profile,
        };
        browser.set_size(width, height);
        browser
    }

    fn client(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    /// Resizes the window so that the viewport is `width`×`height`.
    pub fn set_size(&self, width: u32, height: u32) {
        self.rt
            .block_on(self.client().set_window_size(width, height))
            .unwrap();
        let inner: Value = self.eval("return [window.innerWidth, window.innerHeight]");
        let (iw, ih) = (
            inner[0].as_u64().unwrap_or(0) as u32,
            inner[1].as_u64().unwrap_or(0) as u32,
        );
        if (iw, ih) != (width, height) && iw > 0 {
            let _ = self.rt.block_on(self.client().set_window_size(
                width + (width - iw.min(width)),
                height + (height - ih.min(height)),
            ));
        }
    }

    /// Opens `url` and waits for the load event.
    pub fn goto(&self, url: &str) {
        self.rt
            .block_on(self.client().goto(url))
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Opens a new tab and makes it the current one; returns its handle.
    pub fn new_tab(&self) -> fantoccini::wd::WindowHandle {
        let tab = self
            .rt
            .block_on(self.client().new_window(true))
            .expect("open a tab")
            .handle;
        self.switch_to(&tab);
        tab
    }

    /// The handle of the current tab.
    pub fn tab(&self) -> fantoccini::wd::WindowHandle {
        self.rt.block_on(self.client().window()).unwrap()
    }

    /// Makes the tab `tab` the current one (scripts and navigation go to it).
    pub fn switch_to(&self, tab: &fantoccini::wd::WindowHandle) {
        self.rt
            .block_on(self.client().switch_to_window(tab.clone()))
            .expect("switch tabs");
    }

    /// Runs JavaScript (a function body: use `return`) and returns its result.
    pub fn eval(&self, js: &str) -> Value {
        self.rt
            .block_on(self.client().execute(js, vec![]))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{js}"))
    }

    /// Runs asynchronous JavaScript: the last argument, `arguments[arguments.length - 1]`,
    /// is the callback that returns the result.
    pub fn eval_async(&self, js: &str) -> Value {
        self.rt
            .block_on(self.client().execute_async(js, vec![]))
            .unwrap_or_else(|e| panic!("async script failed: {e}\n{js}"))
    }

    /// Waits until `js` (a function body returning a boolean) is true, or panics after
    /// `timeout`.
    pub fn wait_for(&self, js: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.eval(js) == Value::Bool(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("timed out waiting for: {js}");
    }

    /// The current URL.
    pub fn url(&self) -> String {
        self.rt
            .block_on(self.client().current_url())
            .unwrap()
            .to_string()
    }

    /// Goes back in history.
    pub fn back(&self) {
        self.rt.block_on(self.client().back()).unwrap();
    }

    /// Goes forward in history.
    pub fn forward(&self) {
        self.rt.block_on(self.client().forward()).unwrap();
    }

    /// Clicks the element matching `css`, as a person would (WebDriver scrolls it into
    /// view and refuses what a person could not click: hidden or covered elements).
    pub fn click(&self, css: &str) {
        // Scroll first without animation: a smooth scroll still under way makes the click
        // land beside the element.
        self.eval(&format!(
            "const e = document.querySelector({css:?}); if (e) e.scrollIntoView({{block: 'center', behavior: 'instant'}});"
        ));
        self.rt
            .block_on(async { self.client().find(Locator::Css(css)).await?.click().await })
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Moves the mouse to `(x, y)` in CSS pixels from the top left of the viewport and
    /// clicks there with the left button (real input events, whatever lies at that point).
    pub fn click_at(&self, x: f64, y: f64) {
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let mouse = MouseActions::new("mouse".to_string())
            .then(PointerAction::MoveTo {
                duration: None,
                x: x.round(),
                y: y.round(),
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.rt
            .block_on(async {
                self.client().perform_actions(mouse).await?;
                self.client().release_actions().await
            })
            .unwrap_or_else(|e| panic!("cannot click at ({x}, {y}): {e}"));
    }

    /// Types `text` into the element matching `css` (real key events, one per character).
    pub fn type_into(&self, css: &str, text: &str) {
        self.rt
            .block_on(async {
                self.client()
                    .find(Locator::Css(css))
                    .await?
                    .send_keys(text)
                    .await
            })
            .unwrap_or_else(|e| panic!("cannot type into {css}: {e}"));
    }

    /// Sends keys to the focused element; `fantoccini::key::Key` values give special keys
    /// (`&Key::Tab.to_string()`).
    pub fn keys(&self, text: &str) {
        self.rt
            .block_on(async { self.client().active_element().await?.send_keys(text).await })
            .unwrap_or_else(|e| panic!("cannot send keys: {e}"));
    }

    /// Writes a PNG screenshot of the viewport.
    pub fn screenshot(&self, path: &Path) {
        let png = self.rt.block_on(self.client().screenshot()).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Prints the page as the browser would on A4 paper (print stylesheet applied) and
    /// returns the PDF.
    pub fn print_pdf(&self) -> Vec<u8> {
        let config = fantoccini::wd::PrintConfiguration::builder()
            .build()
            .unwrap();
        self.rt
            .block_on(self.client().print(config))
            .unwrap_or_else(|e| panic!("cannot print: {e}"))
    }

    /// Runs axe-core's WCAG 2.1 A and AA rules on the page; returns the violations as
    /// `rule: target` lines.
    pub fn axe_violations(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(axe_path()).unwrap();
        self.eval(&format!("{axe}\n;return true;"));
        let result = self.eval_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})
                .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                .catch(e => done(['axe failed: ' + e]));",
        );
        result
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_string())
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(c) = self.client.take() {
            let _ = self.rt.block_on(c.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Where axe-core's `axe.min.js` is: `$CASEBOOK_AXE`, or where `.ci/run` installs it.
pub fn axe_path() -> PathBuf {
    let path = std::env::var_os("CASEBOOK_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            home.join(".cache/casebook-ci/node_modules/axe-core/axe.min.js")
        });
    assert!(
        path.exists(),
        "axe-core not found at {}: run .ci/run, or `npm install axe-core` and set CASEBOOK_AXE to its axe.min.js",
        path.display()
    );
    path
}

/// Where tests write screenshots and other artifacts for people to look at.
pub fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Serves a folder over HTTP on a free loopback port until dropped.
pub struct StaticServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    port: u16,
    served: std::sync::Arc<std::sync::Mutex<Vec<(String, u16)>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` (directory URLs get `index.html`; unknown paths get `404.html`).
    ///
    /// A plain `std::net` server that answers each connection on its own thread and closes
    /// it after one response. Keep-alive is left out on purpose: with tiny_http, Chromium
    /// now and then sent a request on a kept-alive connection that was never answered
    /// (tiny-http/tiny-http#244), and the page never reached its load event.
    pub fn start(root: &Path) -> StaticServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let root = root.to_path_buf();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let served = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = served.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                let log = log.clone();
                std::thread::spawn(move || {
                    if let Some(answer) = respond(stream, &root) {
                        log.lock().unwrap().push(answer);
                    }
                });
            }
        });
        StaticServer {
            url: format!("http://127.0.0.1:{port}"),
            port,
            served,
            stop,
            thread: Some(thread),
        }
    }
}

impl StaticServer {
    /// Every request answered so far: its path (with the query) and the status sent.
    pub fn served(&self) -> Vec<(String, u16)> {
        self.served.lock().unwrap().clone()
    }

    /// Forgets the requests answered so far.
    pub fn forget(&self) {
        self.served.lock().unwrap().clear();
    }
}

/// Reads one request from `stream` and answers it from the files under `root`; returns
/// the request's target and the status sent.
fn respond(mut stream: std::net::TcpStream, root: &Path) -> Option<(String, u16)> {
    use std::io::{BufRead, Write};
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(30)));
    let mut reader = std::io::BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() || request_line.is_empty() {
        return None;
    }
    // Skip the headers: the server needs only the method and the path.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("GET");
    let target = parts.next().unwrap_or("/");
    let raw = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(raw);
    let mut path = root.to_path_buf();
    for seg in decoded
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
    {
        path.push(seg);
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let (status, code, file) = if path.is_file() {
        ("200 OK", 200, path)
    } else {
        ("404 Not Found", 404, root.join("404.html"))
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        casebook::commands::serve::mime::content_type(&file.to_string_lossy()),
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
    let _ = stream.flush();
    Some((target.to_string(), code))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 3 <= bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

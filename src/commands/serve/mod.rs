//! `casebook serve`: builds the site, serves it on loopback, watches its files and rebuilds
//! what a change touches, and reloads the open pages through a WebSocket each.
//!
//! - [`session`]: the incremental build, into a folder of its own;
//! - [`watch`]: file events, debounced into one batch per burst;
//! - [`server`]: HTTP on a thread of its own, with its limits ([`idle`]); the boundary with
//!   the build is [`http::Served`]: the folder and the [`events::Hub`];
//! - [`http`], [`hosts`], [`request_path`], [`range`], [`mime`]: answering a request, safely;
//! - [`events`], [`live`]: live-reload events, the error overlay's data, and their
//!   transports (WebSocket, Server-Sent Events).
//!
//! The site is built with `http://HOST:PORT/` as base URL and plain (not fingerprinted)
//! asset URLs, so that links work locally and a stylesheet can be swapped in place.

pub mod events;
pub mod hosts;
pub mod http;
pub mod idle;
pub mod live;
pub mod mime;
pub mod range;
pub mod request_path;
pub mod response;
pub mod server;
pub mod session;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::commands::build::BuildOptions;
use crate::diagnostics::Diagnostic;
use crate::render::AssetUrls;
use events::Hub;
use session::{Outcome, Session};

/// The file that marks a folder of the temporary folder as a `serve` session's.
const OWNER: &str = "casebook-serve";

/// How many ports after the one asked for are tried when it is taken.
const PORT_TRIES: u16 = 20;

/// After a body-only change, the search index is caught up once no change came for this long.
const SETTLE_AFTER: Duration = Duration::from_millis(300);
/// Between two batches of deferred work: long enough to take a new change first.
const BATCH_GAP: Duration = Duration::from_millis(10);

/// What `casebook serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; the next free one is taken when it is busy. 0 lets the system choose.
    pub port: u16,
    /// Open the site in the browser.
    pub open: bool,
    /// Include drafts.
    pub drafts: bool,
    /// casebook's cache folder, when not the site's `.casebook/`.
    pub cache_dir: Option<PathBuf>,
}

/// Binds `ip:port`, or the next free port when it is taken (saying so on `log`).
pub fn bind(ip: IpAddr, port: u16, log: &mut dyn Write) -> Result<TcpListener, String> {
    let tries = if port == 0 { 1 } else { PORT_TRIES };
    let mut last = None;
    for p in (0..tries).filter_map(|i| port.checked_add(i)) {
        match TcpListener::bind(SocketAddr::new(ip, p)) {
            Ok(l) => {
                if p != port {
                    let _ = writeln!(log, "Port {port} is in use; serving on port {p} instead.");
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(format!("cannot listen on {ip}:{p}: {e}")),
        }
    }
    Err(format!(
        "ports {port} to {} are all in use ({}); choose another with --port",
        port.saturating_add(tries - 1),
        last.map(|e| e.to_string()).unwrap_or_default()
    ))
}

/// The folder a served site is written to: the system's temporary folder, one per process.
fn work_dir() -> PathBuf {
    let tmp = std::env::temp_dir();
    let dir = tmp.join(format!("casebook-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(OWNER), "casebook serve\n");
    dir
}

/// Removes, on a thread of its own, the folders of earlier servers that are gone (stopped
/// without a chance to clean up): 37,500 files at 10,000 practices take a second or more to
/// delete, which the start does not wait for.
fn remove_left_work_dirs() {
    let tmp = std::env::temp_dir();
    if !Path::new("/proc/self").exists() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("casebook-cleanup".into())
        .spawn(move || {
            let Ok(entries) = std::fs::read_dir(&tmp) else {
                return;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let Some(pid) = name.strip_prefix("casebook-serve-") else {
                    continue;
                };
                let ours = e.path().join(OWNER).is_file();
                if ours && !Path::new("/proc").join(pid).exists() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        });
}

/// The folders to watch, with whether to watch them recursively: the site root (for
/// casebook.yaml and folders that appear), `content/`, `themes/`, and the site's
/// `templates/`, `static/`, `i18n/` and `map/`, where they exist.
pub fn watched(root: &Path) -> Vec<(PathBuf, bool)> {
    let mut out = vec![(root.to_path_buf(), false)];
    for dir in ["content", "themes", "templates", "static", "i18n", "map"] {
        let dir = root.join(dir);
        if dir.is_dir() {
            out.push((dir, true));
        }
    }
    out
}

/// Prints diagnostics for a person.
fn print_diagnostics(log: &mut dyn Write, diags: &[Diagnostic]) {
    for d in diags {
        let _ = write!(log, "{}", d.render_human(false));
    }
}

/// Reports a rebuild on the terminal and to the open pages.
struct Reporter {
    hub: Arc<Hub>,
    started: u128,
    builds: u64,
    warned: Vec<String>,
}

impl Reporter {
    fn build_id(&self) -> String {
        format!("{:x}-{}", self.started, self.builds)
    }

    fn report(&mut self, o: &Outcome, log: &mut dyn Write) {
        let shown: Vec<String> = o.warnings.iter().map(|w| w.render_human(false)).collect();
        if shown != self.warned {
            print_diagnostics(log, &o.warnings);
            self.warned = shown;
        }
        self.hub.warnings(&o.warnings);
        if !o.errors.is_empty() {
            print_diagnostics(log, &o.errors);
            let n = o.errors.len();
            let s = if n == 1 { "" } else { "s" };
            let _ = if self.hub.is_built() {
                writeln!(
                    log,
                    "The change does not build ({n} error{s}); still serving the last good version."
                )
            } else {
                writeln!(
                    log,
                    "The site does not build ({n} error{s}): nothing to show until they are fixed; pages say so and load the site once it builds."
                )
            };
            self.hub.failed(&o.errors);
            return;
        }
        if o.changed() {
            self.builds += 1;
        }
        let _ = writeln!(
            log,
            "Rebuilt ({}) in {} ms: {} page{} rendered, {} file{} written, {} removed.",
            o.path,
            o.elapsed.as_millis(),
            o.rendered,
            if o.rendered == 1 { "" } else { "s" },
            o.written,
            if o.written == 1 { "" } else { "s" },
            o.removed
        );
        // Many pages: every open page reloads, except after a batch of deferred pages
        // (the open ones were rendered first and need no second reload).
        let all = o.assets || (o.pages.len() > 500 && o.path != "pages");
        let pages = if all { Vec::new() } else { o.pages.clone() };
        // Deferred work comes from the last good build, also when the latest change broke
        // the build: its problems stay on the pages.
        let deferred = matches!(o.path, "index" | "pages" | "asked");
        if deferred {
            self.hub
                .caught_up(&self.build_id(), &pages, all, &o.stylesheets);
        } else {
            self.hub
                .rebuilt(&self.build_id(), &pages, all, &o.stylesheets);
        }
    }
}

/// Runs the server until the process is stopped. Returns only when it cannot start.
pub fn run(opts: &ServeOptions, log: &mut dyn Write) -> Result<(), String> {
    let listener = bind(opts.bind, opts.port, log)?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?
        .port();
    let host = match opts.bind {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{port}/");
    let work = work_dir();
    let dir = work.join("site");
    let build = BuildOptions {
        output: Some(dir.clone()),
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        assets: AssetUrls::Plain,
        cache_dir: opts.cache_dir.clone(),
        ..BuildOptions::new(&opts.root)
    };
    // Watch before the first build, so that nothing saved meanwhile is missed.
    let root = crate::output::absolute(&opts.root);
    let mut watch = watch::Watch::new(&root).map_err(|e| format!("cannot watch files: {e}"))?;
    for problem in watch.start(&watched(&root)) {
        let _ = writeln!(log, "{problem}");
    }
    let (mut session, first) = Session::start(build, dir.clone(), work.join("staging"));
    let dir = dir.canonicalize().unwrap_or(dir);
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let mut reporter = Reporter {
        hub: Arc::new(Hub::new("")),
        started,
        builds: 0,
        warned: Vec::new(),
    };
    reporter.hub = Arc::new(Hub::new(&reporter.build_id()));
    if first.errors.is_empty() {
        let _ = writeln!(
            log,
            "Built {} pages in {} ms.",
            first.rendered,
            first.elapsed.as_millis()
        );
        print_diagnostics(log, &first.warnings);
        reporter.warned = first
            .warnings
            .iter()
            .map(|w| w.render_human(false))
            .collect();
        reporter.hub.warnings(&first.warnings);
        reporter.hub.rebuilt(&reporter.build_id(), &[], true, &[]);
    } else {
        reporter.report(&first, log);
    }

    let served = http::Served {
        dir,
        hub: Arc::clone(&reporter.hub),
        hosts: hosts::Hosts::new(opts.bind, port),
    };
    let say: server::Log = Arc::new(|line: &str| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    });
    reporter.hub.set_waker(watch.waker());
    reporter.hub.set_pending(session.has_deferred_work());
    server::Server::start(listener, served, say)?;
    remove_left_work_dirs();

    let cleanup = work.clone();
    let _ = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&cleanup);
        std::process::exit(130);
    });

    if !opts.bind.is_loopback() {
        let _ = writeln!(
            log,
            "WARNING: listening on {}, not on loopback: anyone who can reach this machine can read the site and its drafts.",
            opts.bind
        );
    }
    let _ = writeln!(
        log,
        "Serving {} at {url} (written to {}). Watching for changes; press Ctrl+C to stop.",
        opts.root.display(),
        session.dir().display()
    );
    let _ = log.flush();
    if opts.open
        && let Err(e) = open::that_detached(&url)
    {
        let _ = writeln!(log, "cannot open a browser: {e}");
    }

    let mut settling = false;
    loop {
        // The first batch of deferred work waits for a pause in the changes; the next ones
        // follow at once unless a change came.
        let gap = if settling { BATCH_GAP } else { SETTLE_AFTER };
        let wait = session.has_deferred_work().then_some(gap);
        reporter.hub.set_pending(session.has_deferred_work());
        let changed = watch.next(wait);
        session.set_open_pages(reporter.hub.open_pages());
        // Pages asked for that are not made yet: made first, and their requests answered.
        let wanted = reporter.hub.take_wanted();
        if !wanted.is_empty() {
            let outcome = session.make_now(&wanted);
            if outcome.path != "none" || !outcome.errors.is_empty() {
                reporter.report(&outcome, log);
            }
            reporter.hub.set_pending(session.has_deferred_work());
            reporter.hub.made_wanted();
        }
        if changed.as_ref().is_some_and(Vec::is_empty) {
            continue;
        }
        settling = changed.is_none();
        let outcome = match changed {
            Some(mut paths) => {
                // Folders that appeared, went or were replaced: watched (again) before the
                // rebuild, which reads every file of a folder watched anew.
                let resync = watch.resync(&watched(&root));
                for note in &resync.notes {
                    let _ = writeln!(log, "{note}");
                }
                paths.extend(resync.files);
                paths.sort();
                paths.dedup();
                session.apply(&paths)
            }
            None if session.has_deferred_work() => session.settle(),
            None => return Err("the file watcher stopped".into()),
        };
        if outcome.path != "none" || !outcome.errors.is_empty() {
            reporter.report(&outcome, log);
            if settling && outcome.errors.is_empty() && !session.has_deferred_work() {
                let _ = writeln!(log, "Every page is up to date.");
            }
            let _ = log.flush();
        }
    }
}

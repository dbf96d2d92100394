//! Live-reload latency of `casebook serve` on the synthetic corpus:
//!
//! ```sh
//! cargo bench --bench serve            # 5,000 practices × 3 languages
//! cargo bench --bench serve -- 1000    # another size
//! ```
//!
//! It writes the corpus (examples/synth.rs) into a temporary folder, starts the release
//! `casebook serve` on it, connects to the live-reload stream as a browser does, and times,
//! from the moment a file is saved to the moment the reload event arrives:
//!
//! - 20 edits of a practice's body (the budget: at most 50 ms, median),
//! - 10 edits of a practice's summary (its card in the listings; budget 100 ms, median)
//!   and 10 of its title (its place in every listing too),
//! - 5 edits of the practice template, 5 of the card partial, and 5 of the stylesheet.
//!
//! A template edit touches thousands of pages: the server renders the page open in the
//! browser first (the reload event), then the others in batches while idle; both times are
//! reported ("every page").
//!
//! Before each edit it waits for the previous one's deferred work (the search index) to be
//! done, so that each figure is one edit on a quiet server. Figures, not pass/fail.
//!
//! First, the start: from launching `casebook serve` to the first practice page answered,
//! with an empty cache folder and then with the cache the first start left, and the
//! server's peak RSS once every page is up to date.

#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Stream {
    tcp: TcpStream,
    seen: String,
}

impl Stream {
    /// Connects as the live-reload script of the page at `page` (its URL path) does.
    fn connect(port: u16, page: &str) -> Stream {
        let mut tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_millis(2)))
            .unwrap();
        tcp.write_all(
            format!(
                "GET /__casebook/events?page={page} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
        let mut s = Stream {
            tcp,
            seen: String::new(),
        };
        s.wait_for_event("hello", "", Duration::from_secs(30));
        s
    }

    fn read(&mut self) {
        let mut buf = [0u8; 65536];
        if let Ok(n) = self.tcp.read(&mut buf) {
            assert!(n > 0, "the event stream closed");
            self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }

    /// Waits for an event named `name` whose data contains `text`; returns when it came.
    fn wait_for_event(&mut self, name: &str, text: &str, timeout: Duration) -> Instant {
        let deadline = Instant::now() + timeout;
        let head = format!("event: {name}\ndata: ");
        loop {
            while let Some(end) = self.seen.find("\n\n") {
                let event: String = self.seen.drain(..end + 2).collect();
                if let Some(data) = event.split_once(&head).map(|(_, d)| d)
                    && data.contains(text)
                {
                    return Instant::now();
                }
            }
            assert!(
                Instant::now() < deadline,
                "no {name} event with {text:?} in time"
            );
            self.read();
        }
    }

    /// Drops whatever has arrived.
    fn drain(&mut self) {
        self.read();
        self.seen.clear();
    }
}

fn median_and_p90(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let p90 = v[((v.len() as f64 * 0.9).ceil() as usize)
        .saturating_sub(1)
        .min(v.len() - 1)];
    (v[v.len() / 2], p90)
}

fn report(what: &str, times: Vec<f64>) {
    let (m, p90) = median_and_p90(times.clone());
    let all: Vec<String> = times.iter().map(|t| format!("{t:.0}")).collect();
    println!(
        "{what:<34} median {m:>7.1} ms   p90 {p90:>7.1} ms   ({} runs: {})",
        times.len(),
        all.join(" ")
    );
}

/// Starts `casebook serve` on `site` and times the first answer of a practice page; then
/// waits until every page is up to date and reads the process's peak RSS. Returns both.
fn startup(site: &Path) -> (f64, f64) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let t0 = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let request = format!(
        "GET /en/practices/practice-00000/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    let first = loop {
        if let Ok(mut tcp) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = tcp.write_all(request.as_bytes());
            let mut answer = String::new();
            let _ = tcp.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                break t0.elapsed().as_secs_f64() * 1e3;
            }
        }
        assert!(
            t0.elapsed() < Duration::from_secs(600),
            "serve never answered"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let out = BufReader::new(child.stdout.take().unwrap());
    for line in out.lines().map_while(Result::ok) {
        if line.starts_with("Every page is up to date") {
            break;
        }
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let peak_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    let _ = child.kill();
    let _ = child.wait();
    (first, peak_kb / 1024.0)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5000);
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    synth::write_site(n, &site).unwrap();
    // An editor's files are older than the second `serve` starts in. A file saved within a
    // second of being read is read again by the next start (its stamp could hide an edit),
    // which would make the second start below a first one again.
    std::thread::sleep(Duration::from_millis(2100));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));

    let (cold, cold_rss) = startup(&site);
    let (warm, warm_rss) = startup(&site);
    println!(
        "start, empty cache folder:  first practice page answered after {cold:.0} ms; peak RSS {cold_rss:.0} MB once every page is up to date"
    );
    println!(
        "start, cache folder kept:   first practice page answered after {warm:.0} ms; peak RSS {warm_rss:.0} MB"
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let printed = Arc::new(Mutex::new(String::new()));
    let out = child.stdout.take().unwrap();
    let p = Arc::clone(&printed);
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            p.lock().unwrap().push_str(&(line + "\n"));
        }
    });
    let started = Instant::now();
    let port: u16 = loop {
        let text = printed.lock().unwrap().clone();
        if let Some(line) = text.lines().find(|l| l.starts_with("Serving ")) {
            break line
                .split("http://127.0.0.1:")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .and_then(|p| p.parse().ok())
                .unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "serve did not start: {text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let first = printed.lock().unwrap().clone();
    println!(
        "casebook serve on {n} practices × 3 languages, {} cores, load average {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!("{}", first.lines().next().unwrap_or(""));
    // The browser shows the first practice: a change to many pages renders it first.
    let open = "/en/practices/practice-00000/";
    let mut events = Stream::connect(port, open);
    // Waits for the deferred work of an edit (the index, feeds and open data after body
    // and front-matter edits: the server says "Every page is up to date."), then drops
    // whatever events it sent: the next edit starts on a quiet server.
    let rebuilt = || {
        printed
            .lock()
            .unwrap()
            .matches("Every page is up to date.")
            .count()
    };
    let settle = |events: &mut Stream, deferred: bool, before: usize| {
        let deadline = Instant::now() + Duration::from_secs(300);
        let caught_up = || rebuilt() > before;
        while deferred && !caught_up() {
            assert!(Instant::now() < deadline, "the index never caught up");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(300));
        events.drain();
    };

    // The first build's deferred pages first.
    let deadline = Instant::now() + Duration::from_secs(600);
    while rebuilt() == 0 {
        assert!(Instant::now() < deadline, "the first build never settled");
        std::thread::sleep(Duration::from_millis(20));
    }
    events.drain();

    let practice = |i: usize| site.join(format!("content/practices/practice-{i:05}.md"));
    let url = |i: usize| format!("\"/en/practices/practice-{i:05}/\"");
    let mut times = Vec::new();
    for k in 0..20 {
        let i = k * 97 % n;
        let text = std::fs::read_to_string(practice(i)).unwrap();
        let before = rebuilt();
        let t0 = Instant::now();
        std::fs::write(
            practice(i),
            format!(
                "{text}\nEdited paragraph {k}, zq{k}x{}.\n",
                std::process::id()
            ),
        )
        .unwrap();
        let t1 = events.wait_for_event("reload", &url(i), Duration::from_secs(60));
        times.push((t1 - t0).as_secs_f64() * 1e3);
        settle(&mut events, true, before);
    }
    report("practice body (budget 50 ms)", times);

    // 10 edits of one front-matter field of different practices: `field: ` gains a prefix.
    let mut front_matter = |field: &str, stride: usize, first: usize, label: &str| {
        let mut times = Vec::new();
        for k in 0..10 {
            let i = k * stride % n + first;
            let text = std::fs::read_to_string(practice(i)).unwrap();
            let edited = text.replacen(field, &format!("{field}Edited {k}. "), 1);
            let before = rebuilt();
            let t0 = Instant::now();
            std::fs::write(practice(i), edited).unwrap();
            let t1 = events.wait_for_event("reload", &url(i), Duration::from_secs(120));
            times.push((t1 - t0).as_secs_f64() * 1e3);
            settle(&mut events, true, before);
        }
        report(label, times);
    };
    front_matter(
        "summary: ",
        89,
        1,
        "practice front matter: summary (budget 100 ms)",
    );
    front_matter("title: ", 83, 2, "practice front matter: title");

    let up_to_date = || {
        printed
            .lock()
            .unwrap()
            .matches("Every page is up to date.")
            .count()
    };
    for (name, template, marker) in [
        ("practice template", "practice.html", "</article>"),
        ("card partial", "partials/card.html", "</article>"),
    ] {
        let theme =
            std::fs::read_to_string(repo.join("themes/default/templates").join(template)).unwrap();
        let target = site.join("templates").join(template);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let (mut times, mut whole) = (Vec::new(), Vec::new());
        for k in 0..5 {
            let edited = theme.replacen(marker, &format!("<!-- edit {k} -->{marker}"), 1);
            let done_before = up_to_date();
            let t0 = Instant::now();
            std::fs::write(&target, edited).unwrap();
            let t1 =
                events.wait_for_event("reload", &format!("\"{open}\""), Duration::from_secs(300));
            times.push((t1 - t0).as_secs_f64() * 1e3);
            let deadline = Instant::now() + Duration::from_secs(600);
            while up_to_date() == done_before {
                assert!(Instant::now() < deadline, "the pages never caught up");
                std::thread::sleep(Duration::from_millis(10));
            }
            whole.push(t0.elapsed().as_secs_f64() * 1e3);
            settle(&mut events, false, 0);
        }
        report(&format!("{name}: open page"), times);
        report(&format!("{name}: every page"), whole);
    }

    let css = std::fs::read_to_string(repo.join("themes/default/static/css/main.css")).unwrap();
    let target = site.join("static/css/main.css");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let mut times = Vec::new();
    for k in 0..5 {
        let t0 = Instant::now();
        std::fs::write(&target, format!("{css}\n/* edit {k} */\n")).unwrap();
        let t1 = events.wait_for_event("css", "/css/main.css", Duration::from_secs(60));
        times.push((t1 - t0).as_secs_f64() * 1e3);
        settle(&mut events, false, 0);
    }
    report("stylesheet (swapped, no reload)", times);

    println!("\nwhat the server printed:");
    for line in printed
        .lock()
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("Rebuilt"))
    {
        println!("  {line}");
    }
    let _ = child.kill();
    let _ = child.wait();
}

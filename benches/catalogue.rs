//! The catalogue's budgets, measured on the synthetic corpus in headless Chromium:
//!
//! ```sh
//! cargo bench --bench catalogue            # 5,000 practices × 3 languages
//! cargo bench --bench catalogue -- 1000    # another size
//! cargo bench --bench catalogue -- 5000 --fields   # with two declared facets
//! ```
//!
//! It writes the corpus (examples/synth.rs) into a temporary folder, builds it with the
//! library (release profile), serves it on loopback and opens `/en/` in Chromium. It reports:
//!
//! - the first load of the catalogue page: every file the page fetched before the first
//!   interaction (HTML, CSS, JS, index, and the map file, fetched when the map comes into
//!   view, which at 1280×900 it is), raw and gzip-compressed (levels 6 and 9);
//! - what the first query adds (card details and search chunks);
//! - how long a filter change, a typed character and a sort change take to update the cards:
//!   from the input event to the next frame after the `casebook:results` event, median and
//!   90th percentile of 20; and until the frame after the map caught up (it draws the
//!   selection in the frame after the cards' frame);
//! - the build time, with the index phase on its own.
//!
//! Figures, not pass/fail: the budgets (250 KB compressed first load, 50 ms per update) are
//! checked by reading them. docs/catalogue.md records the figures and the decision.

#[path = "../tests/common/browser.rs"]
mod browser;
#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use browser::{Browser, StaticServer};

const RUNS: usize = 20;

fn gzip(bytes: &[u8], level: u32) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

/// Output file behind a URL of the static server.
fn file_of(out: &Path, server: &str, url: &str) -> Option<std::path::PathBuf> {
    let path = url.strip_prefix(server)?.split(['?', '#']).next()?;
    let mut p = out.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        p.push("index.html");
    }
    p.is_file().then_some(p)
}

struct Weight {
    files: Vec<(String, usize, usize, usize)>,
}

impl Weight {
    fn of(urls: &[String], out: &Path, server: &str) -> Weight {
        let mut files = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for u in urls {
            if !seen.insert(u.clone()) {
                continue;
            }
            if let Some(p) = file_of(out, server, u) {
                let bytes = std::fs::read(&p).unwrap();
                files.push((
                    u.strip_prefix(server).unwrap_or(u).to_string(),
                    bytes.len(),
                    gzip(&bytes, 6),
                    gzip(&bytes, 9),
                ));
            }
        }
        Weight { files }
    }

    fn print(&self, title: &str) {
        println!("\n{title}");
        println!("  {:>10} {:>10} {:>10}  file", "raw", "gzip -6", "gzip -9");
        let (mut r, mut g6, mut g9) = (0, 0, 0);
        for (name, raw, z6, z9) in &self.files {
            println!("  {raw:>10} {z6:>10} {z9:>10}  {name}");
            r += raw;
            g6 += z6;
            g9 += z9;
        }
        println!(
            "  {r:>10} {g6:>10} {g9:>10}  total ({:.1} KB gzip -6, {:.1} KB gzip -9)",
            g6 as f64 / 1000.0,
            g9 as f64 / 1000.0
        );
    }
}

/// The page's URL and every resource it fetched so far.
fn resources(b: &Browser) -> Vec<String> {
    let v = b.eval(
        "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]",
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn settle(b: &Browser) {
    b.wait_for(
        "return document.documentElement.dataset.catalogue === 'ready' && casebook.catalogue.pending === 0",
        Duration::from_secs(60),
    );
}

/// Waits until the catalogue map (if the page has one) draws the selection from the index.
fn map_drawn(b: &Browser) {
    b.wait_for(
        "const m = document.querySelector('[data-map]'); return !m || (m.dataset.layer === 'selection' && !m.hasAttribute('data-stale'))",
        Duration::from_secs(60),
    );
    let dots =
        b.eval("const m = document.querySelector('[data-map]'); return m ? m.dataset.dots : null");
    println!("  map: {dots} dots drawn");
}

/// Runs `action` (JS statements) in the page and returns the milliseconds until the cards
/// were redrawn (the `casebook:results` event), until the frame after that, and until the
/// frame after the map (which follows the cards) caught up, if the page has a map.
fn timed(b: &Browser, action: &str) -> (f64, f64, Option<f64>) {
    let js = format!(
        "const done = arguments[arguments.length - 1];
         const t0 = performance.now();
         const fig = document.querySelector('[data-map]');
         const out = {{ drawn: null, frame: null, map: fig ? null : -1 }};
         const after = (key) => requestAnimationFrame(() => {{
           const ch = new MessageChannel();
           ch.port1.onmessage = () => {{
             out[key] = performance.now() - t0;
             if (out.frame !== null && out.map !== null) done([out.drawn, out.frame, out.map]);
           }};
           ch.port2.postMessage(0);
         }});
         document.addEventListener('casebook:results', () => {{
           out.drawn = performance.now() - t0;
           after('frame');
         }}, {{ once: true }});
         if (fig) {{
           let queued = false;
           new MutationObserver((records, observer) => {{
             if (fig.hasAttribute('data-stale')) {{ queued = true; return; }}
             if (!queued) return;
             observer.disconnect();
             after('map');
           }}).observe(fig, {{ attributes: true, attributeFilter: ['data-stale'] }});
         }}
         {action}"
    );
    let v = b.eval_async(&js);
    settle(b);
    let map = v[2].as_f64().unwrap();
    (
        v[0].as_f64().unwrap(),
        v[1].as_f64().unwrap(),
        (map >= 0.0).then_some(map),
    )
}

/// Prints the figures of a series of [`timed`] runs.
fn report(name: &str, runs: &[(f64, f64, Option<f64>)]) {
    stats(
        &format!("{name}: to next frame"),
        runs.iter().map(|r| r.1).collect(),
    );
    stats(
        &format!("{name}: script only"),
        runs.iter().map(|r| r.0).collect(),
    );
    let map: Vec<f64> = runs.iter().filter_map(|r| r.2).collect();
    if !map.is_empty() {
        stats(&format!("{name}: map, next frame"), map);
    }
}

fn stats(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = if ms.len() % 2 == 1 {
        ms[ms.len() / 2]
    } else {
        (ms[ms.len() / 2 - 1] + ms[ms.len() / 2]) / 2.0
    };
    let p90 = ms[(ms.len() * 9 / 10).min(ms.len() - 1)];
    println!(
        "  {name:<32} median {median:>6.1} ms   p90 {p90:>6.1} ms   min {:>6.1}   max {:>6.1}   (n = {})",
        ms[0],
        ms[ms.len() - 1],
        ms.len()
    );
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(5000);
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = dir.path().join("out");
    let with_fields = std::env::args().any(|a| a == "--fields");
    println!(
        "catalogue benchmark: {n} practices × 3 languages{}",
        if with_fields {
            ", with two declared fields as extra facets"
        } else {
            ""
        }
    );
    let t = Instant::now();
    synth::write_site(n, &site).unwrap();
    if with_fields {
        synth::add_declared_fields(&site).unwrap();
    }
    println!("corpus written in {:.1} s", t.elapsed().as_secs_f64());

    let summary = casebook::build(&casebook::BuildOptions {
        output: Some(out.clone()),
        ..casebook::BuildOptions::new(&site)
    })
    .unwrap_or_else(|f| panic!("synthetic site does not build: {:?}", f.diagnostics));
    let tm = &summary.timings;
    println!(
        "build: {} pages, {} files in {:.2} s (index {:.0} ms, render+write {:.0} ms, parse {:.0} ms)",
        summary.pages,
        summary.files,
        summary.elapsed.as_secs_f64(),
        tm.index.as_secs_f64() * 1e3,
        tm.render.as_secs_f64() * 1e3,
        tm.parse.as_secs_f64() * 1e3,
    );
    let index_bytes: u64 = walk(&out)
        .iter()
        .filter(|p| p.to_string_lossy().contains("/search/"))
        .map(|p| p.metadata().unwrap().len())
        .sum();
    println!(
        "index on disk, all languages: {:.1} MB",
        index_bytes as f64 / 1e6
    );

    let server = StaticServer::start(&out);
    let b = Browser::start(1280, 900);
    b.goto(&format!("{}/en/", server.url));
    settle(&b);
    map_drawn(&b);
    let first = resources(&b);
    Weight::of(&first, &out, &server.url).print("first load of /en/ (before any interaction)");

    // The first query: card details and the search chunks it needs.
    b.eval(
        "const q = document.getElementById('catalogue-q'); q.focus(); q.value = 'community'; q.dispatchEvent(new Event('input'));",
    );
    settle(&b);
    b.wait_for(
        "return !document.querySelector('.results .summary-loading')",
        Duration::from_secs(30),
    );
    let after: Vec<String> = resources(&b)
        .into_iter()
        .skip(1)
        .filter(|u| !first.contains(u))
        .collect();
    Weight::of(&after, &out, &server.url).print("fetched by the first query ('community')");
    let count = b.eval("return document.getElementById('results-heading').textContent");
    println!("  → {}", count.as_str().unwrap_or(""));

    println!("\nupdates, from the input event to the next frame after the cards are redrawn:");
    // Typing runs twice: the first pass includes fetching the search chunks the words need
    // (over loopback), the second measures the updates alone.
    let words = "community neighbourhood";
    b.goto(&format!("{}/en/", server.url));
    settle(&b);
    map_drawn(&b);
    let mut facet = Vec::new();
    for i in 0..RUNS {
        // Alternate: check a topic, then uncheck it, on different topics.
        let k = i / 2 % 6;
        facet.push(timed(
            &b,
            &format!("document.querySelectorAll('#facet-form input[name=topics]')[{k}].click();"),
        ));
    }
    report("filter change", &facet);
    let mut cold = Vec::new();
    let mut typing = Vec::new();
    for round in 0..2 {
        b.eval("const q = document.getElementById('catalogue-q'); q.value = ''; q.dispatchEvent(new Event('input'));");
        settle(&b);
        for (i, _) in words.char_indices().skip(1) {
            let prefix = &words[..=i];
            let t = timed(
                &b,
                &format!(
                    "const q = document.getElementById('catalogue-q'); q.value = {prefix:?}; q.dispatchEvent(new Event('input'));"
                ),
            );
            if round == 1 {
                typing.push(t);
            } else {
                cold.push(t);
            }
        }
    }
    report("typing, 1st pass", &cold);
    report("typing, 2nd pass", &typing);
    let mut sorts = Vec::new();
    for s in ["title", "city", "newest", "relevance"]
        .iter()
        .cycle()
        .take(RUNS)
    {
        sorts.push(timed(
            &b,
            &format!(
                "const s = document.getElementById('catalogue-sort'); s.value = {s:?}; s.dispatchEvent(new Event('change'));"
            ),
        ));
    }
    report("sort change", &sorts);
    println!("\n(the machine may be shared: re-run on a quiet one for figures to publish)");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

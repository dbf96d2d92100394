//! `casebook serve` end to end, over real HTTP on an ephemeral port: pages, types, 404s and
//! redirects; every path-traversal trick; live reload after an edit; a broken edit that
//! keeps the last good pages and shows its problems; recovery; a site that never built;
//! fifty clients reading pages while the site rebuilds. Hostile, slow and stalled clients,
//! the Host check, a busy port and ranges: [`safety`].

mod common;
#[path = "serve_http/safety.rs"]
mod safety;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use common::serve::Server;
use common::{Site, practice, translation};

const WAIT: Duration = Duration::from_secs(30);

/// The git-checkout test times a burst of file events, which other servers building sites
/// on a busy machine can split: it runs alone, the other tests of this file together.
static ALONE: RwLock<()> = RwLock::new(());

fn together() -> RwLockReadGuard<'static, ()> {
    ALONE.read().unwrap_or_else(|e| e.into_inner())
}

fn alone() -> RwLockWriteGuard<'static, ()> {
    ALONE.write().unwrap_or_else(|e| e.into_inner())
}

fn site() -> Site {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "urban-commons, poverty", ""),
    )
    .write(
        "content/practices/co-city.es.md",
        &translation("CO-CITY", ""),
    )
    .write(
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", ""),
    )
    .write(
        "content/pages/about.md",
        "---\ntitle: About\nmenu: 1\n---\nAbout the catalogue.\n",
    )
    .write("static/docs/pràctiques.txt", "accents in a file name\n")
    .write(
        "static/img/dot.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .write("static/fonts/a.woff2", "wOF2")
    .write("static/pkg/a.wasm", "\0asm")
    .write("static/data/a.json", "{}");
    site
}

#[test]
fn pages_types_redirects_and_404s() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);

    let page = s.get("/es/practices/co-city/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("Cache-Control"), Some("no-store"));
    assert!(page.text().contains("CO-CITY"));
    // Links work locally: the base URL is the server's.
    assert!(
        page.text().contains(&format!(
            "http://127.0.0.1:{}/es/practices/co-city/",
            s.port
        )),
        "canonical URL on the served host"
    );
    // The live-reload script, in served HTML only.
    assert!(page.text().contains("<script src=\"/__casebook/live.js\""));
    let built = std::fs::read_to_string(s.dir.join("es/practices/co-city/index.html")).unwrap();
    assert!(
        !built.contains("__casebook"),
        "the script is injected when serving, not written"
    );

    let moved = s.get("/es/practices/co-city?x=1");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("Location"), Some("/es/practices/co-city/?x=1"));

    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/es/", "text/html; charset=utf-8"),
        ("/css/main.css", "text/css; charset=utf-8"),
        ("/js/catalogue.js", "text/javascript; charset=utf-8"),
        ("/es/practices.json", "application/json"),
        ("/sitemap.xml", "application/xml"),
        ("/es/atom.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/img/dot.svg", "image/svg+xml"),
        ("/img/share.png", "image/png"),
        ("/fonts/a.woff2", "font/woff2"),
        ("/pkg/a.wasm", "application/wasm"),
        ("/data/a.json", "application/json"),
        ("/docs/pr%C3%A0ctiques.txt", "text/plain; charset=utf-8"),
        ("/__casebook/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(kind), "{path}");
        assert_eq!(r.header("Cache-Control"), Some("no-store"), "{path}");
    }
    assert_eq!(
        s.get("/docs/pr%C3%A0ctiques.txt").text(),
        "accents in a file name\n"
    );

    let missing = s.get("/es/practices/nothing-here/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let theme_404 = std::fs::read_to_string(s.dir.join("404.html")).unwrap();
    let title = theme_404
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert!(missing.text().contains(title), "the theme's 404 page");
    assert!(
        missing.text().contains("/__casebook/live.js"),
        "404s reload too"
    );

    let head = s.raw(&format!("HEAD /es/ HTTP/1.1\r\nHost: {}", s.host()));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(
        head.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        head.header("Content-Length").map(str::to_string),
        Some(s.get("/es/").body.len().to_string())
    );

    let post = s.raw(&format!(
        "POST /es/ HTTP/1.1\r\nHost: {}\r\nContent-Length: 0",
        s.host()
    ));
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
}

#[test]
fn nothing_outside_the_output_is_ever_served() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    // A secret beside the served folder, and the site's own sources above it.
    let secret = s.dir.parent().unwrap().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET").unwrap();
    let abs = secret.to_string_lossy().into_owned();
    let attempts = [
        "/../secret.txt".to_string(),
        "/es/../../secret.txt".into(),
        "/%2e%2e/secret.txt".into(),
        "/%2E%2E/secret.txt".into(),
        "/.%2e/secret.txt".into(),
        "/..%2fsecret.txt".into(),
        "/%2e%2e%2fsecret.txt".into(),
        "/..%5csecret.txt".into(),
        "/..\\secret.txt".into(),
        "/es/..%5c..%5csecret.txt".into(),
        format!("/{abs}"),
        format!("/{}", abs.replace('/', "%2f")),
        format!("//{abs}"),
        "/secret.txt%00.html".into(),
        "/%00".into(),
        "/../../../../../../etc/passwd".into(),
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".into(),
        "http://127.0.0.1/../secret.txt".into(),
        "../secret.txt".into(),
    ];
    for path in &attempts {
        let r = s.raw(&format!("GET {path} HTTP/1.1\r\nHost: {}", s.host()));
        assert!(
            r.status == 400 || r.status == 404,
            "{path} answered {}",
            r.status
        );
        let body = r.text();
        assert!(!body.contains("TOP-SECRET"), "{path} leaked the secret");
        assert!(!body.contains("root:x:0:0"), "{path} leaked /etc/passwd");
    }
    // The server still works afterwards.
    assert_eq!(s.get("/es/").status, 200);
}

#[test]
fn an_edit_reloads_a_broken_edit_shows_its_problems_and_a_fix_recovers() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    let mut events = s.events();
    let file = site.root().join("content/practices/co-city.md");
    let good = std::fs::read_to_string(&file).unwrap();

    // An edit: an event naming the page, then the new content.
    std::fs::write(&file, format!("{good}\nA sentence added while serving.\n")).unwrap();
    let data = events.next("reload", WAIT);
    assert!(data.contains("\"/en/practices/co-city/\""), "{data}");
    assert!(
        s.get("/en/practices/co-city/")
            .text()
            .contains("A sentence added while serving.")
    );

    // A broken edit: the problems, located, on every page and in the terminal; the last
    // good pages stay.
    std::fs::write(
        &file,
        good.replace("urban-commons, poverty", "urban-comons, poverty"),
    )
    .unwrap();
    let data = events.next("errors", WAIT);
    assert!(
        data.contains(r#""file":"content/practices/co-city.md""#),
        "{data}"
    );
    assert!(
        data.contains(r#""line":5"#) && data.contains(r#""column":10"#),
        "{data}"
    );
    assert!(data.contains("did you mean `urban-commons`?"), "{data}");
    s.wait_printed("content/practices/co-city.md:5:10", WAIT);
    s.wait_printed("still serving the last good version", WAIT);
    let page = s.get("/en/practices/co-city/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("A sentence added while serving."),
        "the last good page"
    );
    // A page opened now learns about the problem as soon as it connects.
    let late = s.events();
    assert!(
        late.hello.contains("did you mean `urban-commons`?"),
        "{}",
        late.hello
    );

    // The fix: the overlay clears by itself and the page shows the fixed version.
    std::fs::write(&file, format!("{good}\nFixed.\n")).unwrap();
    // (Pages of the first edit's deferred work may reload before: the catalogue pages.)
    let mut data = events.next("reload", WAIT);
    while !data.contains("\"/en/practices/co-city/\"") {
        assert!(data.contains("\"all\":false"), "{data}");
        data = events.next("reload", WAIT);
    }
    assert!(s.get("/en/practices/co-city/").text().contains("Fixed."));
}

#[test]
fn a_page_asked_for_before_its_batch_is_made_at_once() {
    let _together = together();
    // More pages than a first build makes at once (200): the others come in batches of
    // 1,000 while the server is idle, the last ones after several seconds here.
    let site = Site::new();
    for i in 0..1300 {
        site.write(
            &format!("content/practices/p{i:04}.md"),
            &practice(&format!("Practice {i}"), "poverty", ""),
        );
    }
    let s = Server::start(site.root(), &[]);
    let page = s.get("/en/practices/p1299/");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Practice 1299"));
    s.wait_printed("Rebuilt (asked)", WAIT);
    // A catalogue page too, which names its language's index: made with it.
    let catalogue = s.get("/es/page/2/");
    assert_eq!(catalogue.status, 200, "{}", catalogue.text());
    assert!(catalogue.text().contains("/es/search/catalogue."));
    // And the site still settles: every page, the feeds and the sitemap.
    s.wait_printed("Every page is up to date.", Duration::from_secs(120));
    assert_eq!(s.get("/sitemap.xml").status, 200);
    assert_eq!(s.get("/en/practices/p0700/").status, 200);
}

#[test]
fn a_site_that_never_built_says_so_until_it_builds() {
    let _together = together();
    let site = site();
    let file = site.root().join("content/practices/co-city.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace("urban-commons, poverty", "urban-comons, poverty"),
    )
    .unwrap();
    let s = Server::start(site.root(), &[]);
    assert!(
        s.printed().contains("The site does not build (1 error)"),
        "{}",
        s.printed()
    );
    assert!(
        !s.printed().contains("last good version"),
        "{}",
        s.printed()
    );
    // Every page says what is true, with the live-reload script to show the problems.
    for path in [
        "/en/",
        "/en/practices/co-city/",
        "/css/main.css",
        "/nothing/",
    ] {
        let page = s.get(path);
        assert_eq!(page.status, 503, "{path}");
        assert!(
            page.text().contains("The site has not built yet"),
            "{path}: {}",
            page.text()
        );
        assert!(page.text().contains("/__casebook/live.js"), "{path}");
    }
    let mut events = s.events();
    assert!(
        events.hello.contains(r#""built":false"#),
        "{}",
        events.hello
    );
    assert!(
        events.hello.contains("did you mean `urban-commons`?"),
        "{}",
        events.hello
    );
    // The fix: every open page reloads, and the site is there.
    std::fs::write(&file, &good).unwrap();
    let data = events.next("reload", WAIT);
    assert!(data.contains(r#""all":true"#), "{data}");
    assert_eq!(s.get("/en/practices/co-city/").status, 200);
    assert!(s.get("/en/").text().contains("CO-CITY"));
}

/// Runs git in `dir`, failing the test with git's output if it fails.
fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Rebuilds after changes, leaving out the deferred work done when idle.
fn rebuilds(s: &Server) -> usize {
    s.printed()
        .lines()
        .filter(|l| {
            l.contains("Rebuilt (")
                && !l.contains("Rebuilt (index)")
                && !l.contains("Rebuilt (pages)")
        })
        .count()
}

#[test]
fn a_git_checkout_of_500_files_is_one_rebuild_and_pages_come_and_go() {
    let _alone = alone();
    let site = site();
    let root = site.root();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "site"]);
    git(root, &["checkout", "-qb", "many"]);
    for i in 0..500 {
        site.write(
            &format!("content/practices/p{i:03}.md"),
            &practice(&format!("P{i}"), "poverty", ""),
        );
    }
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "500 practices"]);
    git(root, &["checkout", "-q", "main"]);

    let s = Server::start(root, &[]);
    let before = rebuilds(&s);
    // Each checkout is one rebuild, then the deferred work, after which the server says
    // that every page is up to date: counted once it says so.
    let settled = |s: &Server| s.printed().matches("Every page is up to date.").count();
    git(root, &["checkout", "-q", "many"]);
    s.wait_printed_times("Every page is up to date.", 1, WAIT);
    assert_eq!(rebuilds(&s), before + 1, "{}", s.printed());
    assert_eq!(s.get("/en/practices/p499/").status, 200);
    assert_eq!(s.get("/en/practices/p000/").status, 200);

    git(root, &["checkout", "-q", "main"]);
    s.wait_printed_times("Every page is up to date.", settled(&s) + 1, WAIT);
    assert_eq!(rebuilds(&s), before + 2, "{}", s.printed());
    assert_eq!(s.get("/en/practices/p499/").status, 404);
    assert_eq!(s.get("/en/practices/co-city/").status, 200);
}

#[test]
fn an_atomic_save_and_a_rename_are_seen() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    let mut events = s.events();
    let dir = site.root().join("content/practices");
    // Save by writing a temporary file and renaming it over the original.
    let good = std::fs::read_to_string(dir.join("b-mincome.md")).unwrap();
    std::fs::write(
        dir.join(".b-mincome.md.tmp1234"),
        format!("{good}\nSaved atomically.\n"),
    )
    .unwrap();
    std::fs::rename(dir.join(".b-mincome.md.tmp1234"), dir.join("b-mincome.md")).unwrap();
    events.next("reload", WAIT);
    assert!(
        s.get("/en/practices/b-mincome/")
            .text()
            .contains("Saved atomically.")
    );
    // Rename a practice: the old page goes, the new one comes.
    std::fs::rename(dir.join("b-mincome.md"), dir.join("basic-income.md")).unwrap();
    let data = events.next("reload", WAIT);
    assert!(
        data.contains("/en/practices/basic-income/") || data.contains("\"all\":true"),
        "{data}"
    );
    assert_eq!(s.get("/en/practices/b-mincome/").status, 404);
    assert_eq!(s.get("/en/practices/basic-income/").status, 200);
    // Add and remove a translation.
    std::fs::write(
        dir.join("basic-income.es.md"),
        translation("Renta básica", ""),
    )
    .unwrap();
    events.next("reload", WAIT);
    assert_eq!(s.get("/es/practices/basic-income/").status, 200);
    std::fs::remove_file(dir.join("basic-income.es.md")).unwrap();
    events.next("reload", WAIT);
    assert_eq!(s.get("/es/practices/basic-income/").status, 404);
}

#[test]
fn a_stylesheet_change_is_announced_as_css_only() {
    let _together = together();
    let site = site();
    site.write("static/css/extra.css", "p { color: #111; }\n");
    let s = Server::start(site.root(), &[]);
    let mut events = s.events();
    site.write("static/css/extra.css", "p { color: #222; }\n");
    let data = events.next("css", WAIT);
    assert!(data.contains("\"/css/extra.css\""), "{data}");
    assert_eq!(s.get("/css/extra.css").text(), "p { color: #222; }\n");
    let rest = events.pending();
    assert!(!rest.contains("\"all\":true"), "no full reload: {rest}");
}

#[test]
fn fifty_clients_read_pages_while_the_site_rebuilds() {
    let _together = together();
    let site = site();
    let s = Server::start(site.root(), &[]);
    let port = s.port;
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let pages = [
        "/en/",
        "/es/",
        "/en/practices/co-city/",
        "/es/practices/co-city/",
        "/en/practices/b-mincome/",
        "/en/topics/poverty/",
        "/en/about/",
        "/css/main.css",
    ];
    let clients: Vec<_> = (0..50)
        .map(|i| {
            let stop = Arc::clone(&stop);
            let served = Arc::clone(&served);
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                let mut n = i;
                while !stop.load(Ordering::Relaxed) {
                    let path = pages[n % pages.len()];
                    n += 1;
                    let r = common::serve::raw(
                        port,
                        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
                    );
                    let whole = !path.ends_with('/') || r.text().trim_end().ends_with("</html>");
                    if r.status != 200 || !whole {
                        failures.push(format!("{path}: {} ({} bytes)", r.status, r.body.len()));
                    }
                    served.fetch_add(1, Ordering::Relaxed);
                }
                failures
            })
        })
        .collect();
    let mut events = s.events();
    let file = site.root().join("content/practices/b-mincome.md");
    let good = std::fs::read_to_string(&file).unwrap();
    for i in 0..6 {
        // Body edits and front-matter edits, which rewrite cards, facets and listings.
        let text = if i % 2 == 0 {
            format!("{good}\nEdit {i}.\n")
        } else {
            good.replace("A summary of B-MINCOME.", &format!("Summary {i}."))
        };
        std::fs::write(&file, text).unwrap();
        events.next("reload", WAIT);
    }
    stop.store(true, Ordering::Relaxed);
    let failures: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        served.load(Ordering::Relaxed) >= 50,
        "the clients did read pages"
    );
}

#[test]
fn folders_left_by_servers_that_are_gone_are_removed_and_no_others() {
    let _together = together();
    let site = site();
    let tmp = tempfile::tempdir().unwrap();
    // The folder of a server stopped without a chance to clean up, whose process is gone
    // (a process number above Linux's largest); one of a process still running (this
    // test's); and one with casebook's name that casebook did not make.
    let gone = tmp.path().join("casebook-serve-4194400");
    let running = tmp
        .path()
        .join(format!("casebook-serve-{}", std::process::id()));
    let not_ours = tmp.path().join("casebook-serve-4194401");
    for dir in [&gone, &running] {
        std::fs::create_dir_all(dir.join("site/en")).unwrap();
        std::fs::write(dir.join("casebook-serve"), "casebook serve\n").unwrap();
        std::fs::write(dir.join("site/en/index.html"), "an old page").unwrap();
    }
    std::fs::create_dir_all(&not_ours).unwrap();
    std::fs::write(not_ours.join("notes.txt"), "someone else's").unwrap();

    let mut casebook = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"));
    casebook.env("TMPDIR", tmp.path());
    let s = Server::start_with(site.root(), &[], casebook);
    assert_eq!(s.get("/en/practices/co-city/").status, 200);
    let deadline = std::time::Instant::now() + WAIT;
    while gone.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "{} is still there",
            gone.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(running.join("site/en/index.html").is_file());
    assert!(not_ours.join("notes.txt").is_file());
}

//! Rebuilding into an existing output: an unchanged site is left as it is, a change rewrites
//! only the files whose bytes change (the others keep their inode and modification time),
//! and a failed build still leaves the output exactly as it was.

mod common;
#[path = "rebuild/incremental.rs"]
mod incremental;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::{Site, practice, snapshot};

/// Inode and modification time of every file under `dir`.
fn stamps(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let meta = entry.metadata().unwrap();
            let rel = entry.path().strip_prefix(dir).unwrap();
            out.insert(
                rel.to_string_lossy().into_owned(),
                (meta.ino(), meta.mtime(), meta.mtime_nsec()),
            );
        }
    }
    out
}

fn site() -> Site {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    site.write(
        "content/practices/b-mincome.md",
        &practice("B-MINCOME", "poverty", ""),
    );
    site
}

/// The output as a fresh build into an empty folder writes it.
fn fresh(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let out = site.root().join("fresh");
    let (code, _, stderr) = site.cli(&["build", "--output", "fresh"]);
    assert_eq!(code, 0, "{stderr}");
    let files = snapshot(&out);
    std::fs::remove_dir_all(&out).unwrap();
    files
}

fn output(site: &Site) -> BTreeMap<String, Vec<u8>> {
    snapshot(&site.out())
}

#[test]
fn an_unchanged_site_is_up_to_date_and_its_files_untouched() {
    let site = site();
    assert!(!site.build_ok().up_to_date);
    let before = stamps(&site.out());
    let bytes = snapshot(&site.out());
    let again = site.build_ok();
    assert!(again.up_to_date, "the second build rewrote the site");
    assert_eq!(again.pages, site.build_ok().pages);
    assert!(stamps(&site.out()) == before, "inodes or mtimes changed");
    assert!(snapshot(&site.out()) == bytes);
    // casebook itself is an input: the command line is another program than this test.
    let (code, stdout, stderr) = site.cli(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Built"), "{stdout}");
    let (code, stdout, stderr) = site.cli(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Up to date"), "{stdout}");
}

#[test]
fn an_unchanged_rebuild_parses_nothing_and_reports_the_same_warnings() {
    let site = site();
    // A template asking for a UI string no language has: a warning only rendering finds.
    let social = std::fs::read_to_string(
        site.root()
            .join("themes/default/templates/partials/social.html"),
    )
    .unwrap();
    site.write(
        "templates/partials/social.html",
        &format!("{social}{{{{ t(key=\"no.such.key\") }}}}"),
    );
    let first = site.build_ok();
    assert!(!first.up_to_date);
    assert!(
        first
            .warnings
            .iter()
            .any(|w| w.code == casebook::diagnostics::Code::MissingTranslationKey),
        "{:#?}",
        first.warnings
    );
    let again = site.build_ok();
    assert!(again.up_to_date);
    // The short way: the files were hashed, not parsed, and no model was built.
    assert_eq!(again.timings.model, std::time::Duration::ZERO);
    assert_eq!(again.warnings, first.warnings);
    assert_eq!(
        (again.pages, again.practices, again.languages, again.files),
        (first.pages, first.practices, first.languages, first.files)
    );
    // One byte of one content file changed: the long way again.
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "").replace("Body", "body"),
    );
    let changed = site.build_ok();
    assert!(!changed.up_to_date);
    assert_ne!(changed.timings.model, std::time::Duration::ZERO);
    // A file changed behind casebook's back in the output: rebuilt, not trusted.
    std::fs::write(site.out().join("robots.txt"), "changed").unwrap();
    let repaired = site.build_ok();
    assert!(!repaired.up_to_date);
    assert_ne!(site.read("robots.txt"), "changed");
}

#[test]
fn files_saved_just_before_a_build_are_read_again_once_then_trusted_wherever_the_site_is() {
    let site = site();
    let files = site.build_ok().parsed;
    assert!(files >= 2, "{files}");
    // The files were written within a second of that build: their stamps could hide an edit
    // made in the same second, so the next build reads them again...
    let written = std::fs::metadata(site.root().join("content/practices/co-city.md"))
        .unwrap()
        .modified()
        .unwrap();
    let trusted = written + std::time::Duration::from_millis(2100);
    if let Ok(wait) = trusted.duration_since(std::time::SystemTime::now()) {
        std::thread::sleep(wait);
    }
    assert_eq!(site.build_ok().parsed, files);
    // ...and then, their stamps being older than that reading, no build reads them again,
    // even with the site's folder named another way (`serve` resolves it, `build .` not) or
    // moved, and what the parses do not keep (the bodies) is read where the files are now.
    assert_eq!(site.build_ok().parsed, 0);
    let spelt = casebook::BuildOptions::new(site.root().join("content/.."));
    assert_eq!(casebook::build(&spelt).unwrap().parsed, 0);
    let moved = site.root().with_extension("moved");
    std::fs::rename(site.root(), &moved).unwrap();
    let built = casebook::build(&casebook::BuildOptions::new(&moved));
    std::fs::rename(&moved, site.root()).unwrap();
    let built = built.unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    assert_eq!((built.parsed, built.up_to_date), (0, false));
    assert_eq!(site.build_ok().parsed, 0);
    let page = site.read("en/practices/co-city/index.html");
    assert!(page.contains("Body"), "{page}");
}

/// The output and warnings of a build from an empty output and an empty cache folder.
fn from_scratch(site: &Site) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let (out, cache) = (
        site.root().join("scratch"),
        site.root().join("scratch-cache"),
    );
    let built = casebook::build(&casebook::BuildOptions {
        output: Some(out.clone()),
        cache_dir: Some(cache.clone()),
        ..casebook::BuildOptions::new(site.root())
    })
    .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    let files = snapshot(&out);
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(&cache).unwrap();
    (files, warnings(&built))
}

#[test]
fn a_rebuild_patches_the_model_the_last_build_saved_wherever_the_site_is() {
    let site = site();
    let model = site.root().join(".casebook/model");
    let stamp = || {
        let m = std::fs::metadata(&model).expect("a saved model");
        (m.ino(), m.mtime(), m.mtime_nsec())
    };
    let body = |title: &str, text: &str| {
        practice(title, "poverty", "").replace(&format!("Body of {title}."), text)
    };
    let as_from_scratch = |built: &casebook::BuildSummary| {
        assert_eq!((output(&site), warnings(built)), from_scratch(&site));
    };
    // The first build into an output saves no model; the next one that builds it does.
    site.build_ok();
    assert!(!model.exists());
    site.write(
        "content/practices/co-city.md",
        &body("CO-CITY", "A first edit."),
    );
    site.build_ok();
    let saved = stamp();

    // A body edit, with the site moved: the saved model is patched (not built and saved
    // again), and the bodies it holds are read where the files are now.
    site.write(
        "content/practices/b-mincome.md",
        &body("B-MINCOME", "A new body."),
    );
    let moved = site.root().with_extension("moved");
    std::fs::rename(site.root(), &moved).unwrap();
    let built = casebook::build(&casebook::BuildOptions::new(&moved));
    std::fs::rename(&moved, site.root()).unwrap();
    let built = built.unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    assert_eq!(stamp(), saved);
    as_from_scratch(&built);
    assert!(
        site.read("en/practices/co-city/index.html")
            .contains("A first edit.")
    );
    assert!(
        site.read("en/practices/b-mincome/index.html")
            .contains("A new body.")
    );

    // A new summary: patched too, and not saved again.
    let summary = body("CO-CITY", "A first edit.").replace("A summary of", "Another summary of");
    site.write("content/practices/co-city.md", &summary);
    as_from_scratch(&site.build_ok());
    assert_eq!(stamp(), saved);

    // A new title, which changes the catalogue's order: patched, and saved again, so that
    // the builds after it do not list and plan the site again.
    let rename = practice("CO-CITY renamed", "poverty", "");
    site.write("content/practices/co-city.md", &rename);
    as_from_scratch(&site.build_ok());
    assert_ne!(stamp(), saved);
    let saved = stamp();

    // A new practice: the model is built anew, and saved again.
    let added = practice("AS-FABRIK", "poverty", "");
    site.write("content/practices/as-fabrik.md", &added);
    as_from_scratch(&site.build_ok());
    assert_ne!(stamp(), saved);
}

#[test]
fn a_model_saved_again_where_the_site_was_moved_reads_the_bodies_there() {
    let site = site();
    let pages = |root: &Path, word: &str| {
        for n in 0..21 {
            let text = format!("---\ntitle: Page {n}\n---\n{word} {n}.\n");
            std::fs::write(root.join(format!("content/pages/p-{n}.md")), text).unwrap();
        }
    };
    std::fs::create_dir_all(site.root().join("content/pages")).unwrap();
    pages(site.root(), "First");
    site.build_ok();
    let body = practice("CO-CITY", "poverty", "").replace("Body of CO-CITY.", "A first edit.");
    site.write("content/practices/co-city.md", &body);
    site.build_ok();
    let model = |root: &Path| std::fs::read(root.join(".casebook/model")).expect("a model");
    let saved = model(site.root());

    // Moved, and more than 20 pages edited: the model is patched and saved again there,
    // with its practices' shard as it was (no practice changed), though the paths of their
    // files are no longer those it holds. A template edited next renders every page again,
    // reading each body where the model says its file is.
    let moved = site.root().with_extension("moved");
    std::fs::rename(site.root(), &moved).unwrap();
    let build = || casebook::build(&casebook::BuildOptions::new(&moved));
    pages(&moved, "Second");
    let saved_again = build().map(|_| model(&moved));
    let social = moved.join("themes/default/templates/partials/social.html");
    let social = std::fs::read_to_string(social).unwrap();
    let template = moved.join("templates/partials/social.html");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    std::fs::write(template, format!("{social}{{# edited #}}")).unwrap();
    let built = build();
    std::fs::rename(&moved, site.root()).unwrap();
    assert_ne!(
        saved_again.unwrap_or_else(|f| panic!("{:#?}", f.diagnostics)),
        saved
    );
    let built = built.unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    assert!(built.rendered > 2, "{}", built.rendered);
    let page = site.read("en/practices/co-city/index.html");
    assert!(page.contains("A first edit."), "{page}");
}

#[test]
fn a_model_saved_again_keeps_the_shards_a_patch_did_not_touch() {
    // More practices than one shard of the saved model holds (500), so that saving it again
    // after a title edit in the first shard writes the second as it was.
    let site = Site::new();
    let file = |n: usize| format!("content/practices/p-{n:03}.md");
    for n in 0..520 {
        site.write(&file(n), &practice(&format!("P-{n:03}"), "poverty", ""));
    }
    let model = site.root().join(".casebook/model");
    site.build_ok();
    site.write(
        &file(0),
        &practice("P-000", "poverty", "subtitle: A first edit.\n"),
    );
    site.build_ok();
    let saved = std::fs::read(&model).expect("a saved model");
    // A new title: the listings change, and the model is saved again.
    site.write(&file(1), &practice("P-001 renamed", "poverty", ""));
    site.build_ok();
    let saved_again = std::fs::read(&model).unwrap();
    assert_ne!(saved_again, saved);
    // A body edit in the second shard, patched into the model saved again (which a model
    // that could not be decoded would not be: it would be built anew, and saved).
    let edited = practice("P-510", "poverty", "").replace("Body of P-510.", "A new body.");
    site.write(&file(510), &edited);
    let built = site.build_ok();
    assert_eq!(std::fs::read(&model).unwrap(), saved_again);
    assert_eq!((output(&site), warnings(&built)), from_scratch(&site));
    assert!(
        site.read("en/practices/p-510/index.html")
            .contains("A new body.")
    );
}

fn warnings(built: &casebook::BuildSummary) -> Vec<String> {
    built
        .warnings
        .iter()
        .map(|d| d.render_human(false))
        .collect()
}

#[test]
fn a_change_rewrites_only_the_files_whose_bytes_change() {
    let site = site();
    site.build_ok();
    let before = stamps(&site.out());
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "").replace("Body of CO-CITY.", "New body text."),
    );
    let summary = site.build_ok();
    assert!(!summary.up_to_date);
    let after = stamps(&site.out());
    // The changed practice's page is a new file with the new text …
    let page = "en/practices/co-city/index.html";
    assert_ne!(before[page].0, after[page].0, "{page} kept its inode");
    assert!(site.read(page).contains("New body text."));
    // … while the other practice's page and the static files were not written again.
    for unchanged in [
        "en/practices/b-mincome/index.html",
        "robots.txt",
        "404.html",
    ] {
        assert_eq!(
            before[unchanged], after[unchanged],
            "{unchanged} was rewritten"
        );
    }
    assert!(output(&site) == fresh(&site), "differs from a fresh build");

    // Once more, now that the previous output is kept beside it and reused as the staging
    // folder: a file that changes back, and one removed, are handled too.
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", ""),
    );
    std::fs::remove_file(site.root().join("content/practices/b-mincome.md")).unwrap();
    site.build_ok();
    assert!(!site.exists("en/practices/b-mincome/index.html"));
    assert!(!site.out().join("en/practices/b-mincome").exists());
    assert!(output(&site) == fresh(&site), "differs from a fresh build");
    let third = stamps(&site.out());
    site.build_ok();
    assert!(stamps(&site.out()) == third);
}

#[test]
fn what_was_put_into_the_older_output_is_not_published() {
    let site = site();
    site.build_ok();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "").replace("Body of CO-CITY.", "New body text."),
    );
    site.build_ok();
    // The older output waits in the cache folder to be written into by the next build. A
    // file put into one of its practice folders is removed, whatever its name.
    let builds = site.root().join(".casebook/builds");
    let entries: Vec<_> = std::fs::read_dir(&builds).unwrap().flatten().collect();
    let [older] = entries.as_slice() else {
        panic!("one older output expected in {}", builds.display());
    };
    let folder = older.path().join("staging/en/practices/b-mincome");
    assert!(folder.join("index.html").exists(), "{}", folder.display());
    std::fs::write(folder.join("stray.html"), "not casebook's").unwrap();
    site.write(
        "content/practices/co-city.md",
        &practice("CO-CITY", "poverty", "").replace("Body of CO-CITY.", "Newer body text."),
    );
    site.build_ok();
    assert!(!site.exists("en/practices/b-mincome/stray.html"));
    assert!(output(&site) == fresh(&site), "differs from a fresh build");
}

#[test]
fn a_failed_rebuild_leaves_the_output_as_it_was() {
    let site = site();
    site.build_ok();
    // Twice: the second failure happens while the previous output is kept beside it.
    for round in 0..2 {
        site.write(
            "content/practices/co-city.md",
            &practice("CO-CITY", "poverty", &format!("subtitle: Round {round}\n")),
        );
        site.build_ok();
        let bytes = snapshot(&site.out());
        let before = stamps(&site.out());
        site.write(
            "content/practices/b-mincome.md",
            &practice("B-MINCOME", "no-such-topic", ""),
        );
        assert!(site.build().is_err());
        site.write(
            "templates/practice.html",
            "{% extends \"base.html\" %}{% block main %}{{ no_such_variable }}{% endblock main %}",
        );
        site.write(
            "content/practices/b-mincome.md",
            &practice("B-MINCOME", "poverty", ""),
        );
        assert!(site.build().is_err(), "the broken template did not fail");
        assert!(
            snapshot(&site.out()) == bytes,
            "round {round}: output changed"
        );
        assert!(
            stamps(&site.out()) == before,
            "round {round}: output touched"
        );
        std::fs::remove_file(site.root().join("templates/practice.html")).unwrap();
    }
    site.build_ok();
    assert!(output(&site) == fresh(&site), "differs from a fresh build");
}

#[test]
fn an_output_changed_by_hand_is_rebuilt() {
    let site = site();
    site.build_ok();
    let page = "en/practices/co-city/index.html";
    let original = site.read(page);
    std::fs::write(site.out().join(page), "edited").unwrap();
    std::fs::remove_file(site.out().join("robots.txt")).unwrap();
    std::fs::write(site.out().join("extra.html"), "mine").unwrap();
    assert!(!site.build_ok().up_to_date);
    assert_eq!(site.read(page), original);
    assert!(site.exists("robots.txt"));
    assert!(!site.exists("extra.html"));
}

#[test]
fn the_output_holds_the_site_and_the_cache_can_go() {
    let site = site();
    site.build_ok();
    // Nothing of casebook's in the output or beside it: its state is in .casebook/.
    let names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(names, [".casebook"], "hidden files in the site root");
    assert!(
        !snapshot(&site.out())
            .keys()
            .any(|k| k.starts_with('.') || k.contains("/.")),
        "hidden files in the output"
    );
    let before = output(&site);
    // Deleting the cache is safe: the next build is a full one with the same bytes, and
    // it takes the output over (it is recognisably casebook's).
    let (code, stdout, stderr) = site.cli(&["clean"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Removed"), "{stdout}");
    assert!(!site.root().join(".casebook").exists());
    let again = site.build_ok();
    assert!(!again.up_to_date);
    assert_eq!(again.rendered, again.pages, "a full build");
    assert!(output(&site) == before);
    // A cache elsewhere (a CI cache): the same, and nothing in the site.
    let elsewhere = tempfile::tempdir().unwrap();
    let cache = elsewhere.path().join("cache");
    let cache_arg = cache.to_string_lossy().into_owned();
    let (code, _, stderr) = site.cli(&["clean"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = site.cli(&["build", "--cache-dir", &cache_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(cache.join("documents").is_dir());
    assert!(!site.root().join(".casebook").exists());
    let (code, stdout, stderr) = site.cli(&["build", "--cache-dir", &cache_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Up to date"), "{stdout}");
    assert!(output(&site) == before);
}

#[test]
fn the_cache_forgets_an_output_once_it_is_gone() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let builds = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(site.root().join(".casebook/builds"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    // Two preview builds (one beside the site's output, one elsewhere), built twice so
    // that each keeps an older copy of its output in the cache.
    let beside = site.root().join("preview");
    let away = elsewhere.path().join("away");
    for out in [&beside, &away] {
        for _ in 0..2 {
            let out = out.to_string_lossy().into_owned();
            let (code, _, stderr) = site.cli(&["build", "--output", &out]);
            assert_eq!(code, 0, "{stderr}");
            site.write(
                "content/pages/about.en.md",
                &format!("---\ntitle: About\n---\n{out}\n"),
            );
        }
    }
    site.build_ok();
    let all = builds();
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all.iter().any(|n| n.starts_with("preview-")), "{all:?}");
    assert!(all.iter().any(|n| n.starts_with("away-")), "{all:?}");
    // A preview deleted: the next build removes its folder, whichever output it builds.
    std::fs::remove_dir_all(&beside).unwrap();
    site.build_ok();
    let left = builds();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(!left.iter().any(|n| n.starts_with("preview-")), "{left:?}");
    // The other one goes with the folder that held it; the site's own output stays.
    std::fs::remove_dir_all(elsewhere.path()).unwrap();
    site.build_ok();
    let left = builds();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with("output-"), "{left:?}");
    assert!(site.exists("index.html"));
}

#[test]
fn a_file_that_becomes_a_folder_and_back() {
    let site = site();
    site.write("static/thing", "a file");
    site.build_ok();
    // Twice, so that the second build reuses the kept output, where `thing` is a file.
    for round in 0..2 {
        std::fs::remove_file(site.root().join("static/thing")).unwrap();
        site.write("static/thing/inner.txt", &format!("a folder {round}"));
        site.build_ok();
        assert_eq!(site.read("thing/inner.txt"), format!("a folder {round}"));
        std::fs::remove_dir_all(site.root().join("static/thing")).unwrap();
        site.write("static/thing", &format!("a file {round}"));
        site.build_ok();
        assert_eq!(site.read("thing"), format!("a file {round}"));
    }
    assert!(output(&site) == fresh(&site), "differs from a fresh build");
}

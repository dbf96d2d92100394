//! Fixture sites for integration tests: a temporary site with the default theme, small
//! helpers to write content, build through the library or the CLI, and read what was built.

#![allow(dead_code)]

pub mod browser;
pub mod cms;
pub mod edits;
pub mod fuzz;
pub mod hostile;
pub mod serve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use casebook::{BuildFailure, BuildOptions, BuildSummary};
use scraper::{Html, Selector};

/// The repository root (the demo site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A minimal configuration in English and Spanish with a few topics and programmes.
pub const CONFIG: &str = "\
base_url: https://example.org/
default_language: en
languages: [en, es]
taxonomies:
  topics:
    poverty: { en: Poverty, es: Pobreza }
    housing: { en: Housing, es: Vivienda }
    urban-commons: { en: Urban commons, es: Bienes comunes urbanos }
  programmes:
    uia: { en: Urban Innovative Actions, es: Acciones Urbanas Innovadoras }
";

/// A practice file in the default language.
pub fn practice(title: &str, topics: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\ncity: Turin\ncountry: IT\ntopics: [{topics}]\nsummary: A summary of {title}.\npublished: 2024-01-15\n{extra}---\n## The challenge\n\nBody of {title}.\n"
    )
}

/// A translation file (facets inherited).
pub fn translation(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: Resumen de {title}.\npublished: 2024-02-01\n{extra}---\nCuerpo de {title}.\n"
    )
}

/// A real JPEG of `width × height` pixels of one colour (images under static/ are decoded).
pub fn tiny_jpeg(width: u32, height: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let pixels = vec![128u8; (width * height * 3) as usize];
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut out)
        .write_image(&pixels, width, height, image::ExtendedColorType::Rgb8)
        .expect("encode a JPEG");
    out
}

/// A site in a temporary folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A site with the default config and theme, and no content.
    pub fn new() -> Site {
        Site::with_config(CONFIG)
    }

    /// A site with the given casebook.yaml and the repository's default theme.
    pub fn with_config(config: &str) -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        std::fs::write(dir.path().join("casebook.yaml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("content/practices")).unwrap();
        std::fs::create_dir_all(dir.path().join("content/pages")).unwrap();
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("output")
    }

    /// Writes a file relative to the site root.
    pub fn write(&self, rel: &str, text: &str) -> &Site {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Records in every translation of the site that it is up to date with its source
    /// (`casebook translations mark` on each).
    pub fn mark_translations(&self) -> &Site {
        let mut files = Vec::new();
        for section in ["practices", "pages"] {
            let dir = self.root().join("content").join(section);
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".md") && name.matches('.').count() == 2 {
                    files.push(entry.path());
                }
            }
        }
        if let Err(d) = casebook::commands::translations::mark(self.root(), &files) {
            panic!("cannot mark the translations: {d:?}");
        }
        self
    }

    /// Builds through the library.
    pub fn build(&self) -> Result<BuildSummary, BuildFailure> {
        casebook::build(&BuildOptions::new(self.root()))
    }

    /// Builds and panics with the diagnostics on failure.
    pub fn build_ok(&self) -> BuildSummary {
        match self.build() {
            Ok(s) => s,
            Err(f) => panic!(
                "build failed:\n{}",
                f.diagnostics
                    .iter()
                    .map(|d| d.render_human(false))
                    .collect::<String>()
            ),
        }
    }

    /// Runs the casebook binary with `args` in the site root.
    pub fn cli(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run casebook");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Reads an output file.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel))
            .unwrap_or_else(|e| panic!("cannot read output/{rel}: {e}"))
    }

    /// Parses an output HTML file.
    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
/// Each file of a site's cache of processed images (`.casebook/images/`): its inode and modification time.
pub fn cached_images(root: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(root.join(".casebook/images"))
        .unwrap()
        .flatten()
        .map(|e| {
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (m.ino(), m.mtime(), m.mtime_nsec()),
            )
        })
        .collect()
}

/// Every file under `dir`: relative path → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// Texts of the elements matching `selector`.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Values of attribute `attr` of the elements matching `selector`.
pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(String::from))
        .collect()
}

/// The output file a root-relative URL path points at (`/es/` → `es/index.html`).
pub fn file_for(url_path: &str) -> String {
    let path = url_path.split(['#', '?']).next().unwrap_or("");
    casebook::urls::output_file(path)
}

/// Every broken internal link in a built site: `href`/`src` values that do not resolve to a
/// file in `out` (and `#fragments` that name no element). Absolute URLs under `base_url`
/// count as internal.
pub fn broken_links(out: &Path, base_url: &str) -> Vec<String> {
    let files = snapshot(out);
    let base_path = {
        let after = base_url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(base_url);
        after
            .find('/')
            .map(|i| after[i..].to_string())
            .unwrap_or_else(|| "/".into())
    };
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut docs = Vec::new();
    for (rel, bytes) in &files {
        if rel.ends_with(".html") {
            let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
            ids.insert(rel.clone(), attrs(&doc, "[id]", "id"));
            docs.push((rel.clone(), doc));
        }
    }
    let mut broken = Vec::new();
    for (rel, doc) in &docs {
        let page_dir = format!(
            "/{}",
            rel.rsplit_once('/')
                .map(|(d, _)| format!("{d}/"))
                .unwrap_or_default()
        );
        let mut targets = attrs(doc, "a[href]", "href");
        targets.extend(attrs(doc, "link[href]", "href"));
        targets.extend(attrs(doc, "img[src]", "src"));
        targets.extend(attrs(doc, "script[src]", "src"));
        for target in targets {
            let t = match target.strip_prefix(base_url.trim_end_matches('/')) {
                Some(rest) => format!("/{}", rest.trim_start_matches('/')),
                None => target.clone(),
            };
            if t.starts_with("http://")
                || t.starts_with("https://")
                || t.starts_with("mailto:")
                || t.starts_with("//")
            {
                continue;
            }
            let (path, fragment) = match t.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (t.clone(), None),
            };
            let path = path.split('?').next().unwrap_or("").to_string();
            let resolved = if path.is_empty() {
                format!("/{rel}")
            } else if path.starts_with('/') {
                match path.strip_prefix(base_path.trim_end_matches('/')) {
                    Some(p) => p.to_string(),
                    None => {
                        broken.push(format!("{rel}: {target} (outside the base path)"));
                        continue;
                    }
                }
            } else {
                // Relative: resolve against the page's folder.
                let mut parts: Vec<&str> = page_dir.split('/').filter(|s| !s.is_empty()).collect();
                for seg in path.split('/') {
                    match seg {
                        ".." => {
                            parts.pop();
                        }
                        "." | "" => {}
                        s => parts.push(s),
                    }
                }
                format!(
                    "/{}{}",
                    parts.join("/"),
                    if path.ends_with('/') { "/" } else { "" }
                )
            };
            let file = if resolved.ends_with(".html")
                || resolved.rsplit('/').next().is_some_and(|l| l.contains('.'))
            {
                resolved.trim_start_matches('/').to_string()
            } else {
                file_for(&format!("{}/", resolved.trim_end_matches('/')))
            };
            if !files.contains_key(&file) {
                broken.push(format!("{rel}: {target} (no {file})"));
                continue;
            }
            if let Some(f) = fragment
                && !f.is_empty()
                && !ids.get(&file).is_some_and(|list| list.contains(&f))
            {
                broken.push(format!("{rel}: {target} (no #{f} in {file})"));
            }
        }
    }
    broken
}

/// A property test's settings: `cases` inputs, drawn from a fixed seed so that every run
/// tries the same ones and CI fails only on a change of casebook's. `PROPTEST_RNG_SEED=…`
/// explores others, `PROPTEST_CASES=…` tries more.
pub fn property_cases(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let asked = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            asked.cases
        } else {
            cases
        },
        failure_persistence: None,
        rng_seed: match asked.rng_seed {
            RngSeed::Random => RngSeed::Fixed(17),
            seed => seed,
        },
        ..asked
    }
}

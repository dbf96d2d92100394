//! The theme: templates, static files and i18n files, from the site's `themes/<name>/` or
//! built into casebook (`default`), with the site's own `templates/`, `static/` and `i18n/`
//! overriding the theme's files of the same path.

pub mod embedded;
pub mod i18n;
pub mod map;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic, Location, display_path};
use crate::input::config::Config;
use crate::input::content::is_editor_temp;
use crate::input::files::{self, SiteRoot};
use i18n::I18nFile;

/// A template file.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// How it is shown in diagnostics (relative to the site root).
    pub shown: PathBuf,
    /// Its text.
    pub text: String,
}

/// Where a theme file's bytes are.
#[derive(Debug, Clone)]
pub enum FileSource {
    /// A file on disk.
    Disk(PathBuf),
    /// A file of the built-in default theme.
    Embedded(&'static [u8]),
}

/// A static file to copy.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Where its bytes are.
    pub source: FileSource,
    /// How it is shown in diagnostics (relative to the site root).
    pub shown: PathBuf,
    /// Its version, looked up when first asked for (see [`StaticFile::version`]).
    version: std::sync::OnceLock<Version>,
}

/// A static file's version, as a build sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    /// For a file on disk, its size and modification time (seconds, nanoseconds); none
    /// when it cannot be looked at (and for a file built in).
    pub disk: Option<(u64, (i64, i64))>,
    /// A hash of the above, or of the bytes of a file built in.
    pub hash: u64,
}

impl StaticFile {
    /// The static file whose bytes are in `source`.
    pub fn new(source: FileSource, shown: PathBuf) -> StaticFile {
        StaticFile {
            source,
            shown,
            version: std::sync::OnceLock::new(),
        }
    }

    /// Its contents.
    pub fn bytes(&self) -> std::io::Result<Cow<'static, [u8]>> {
        match &self.source {
            FileSource::Disk(path) => std::fs::read(path).map(Cow::Owned),
            FileSource::Embedded(bytes) => Ok(Cow::Borrowed(bytes)),
        }
    }

    /// Its version: looked up once per theme (the theme is loaded again when a static file
    /// changes), so that every step of a build sees the same one for one `stat`.
    pub fn version(&self) -> Version {
        *self.version.get_or_init(|| match &self.source {
            FileSource::Disk(path) => {
                use std::os::unix::fs::MetadataExt;
                let disk = std::fs::metadata(path)
                    .ok()
                    .map(|m| (m.len(), (m.mtime(), m.mtime_nsec())));
                Version {
                    disk,
                    hash: crate::hash::hash_value(&disk),
                }
            }
            FileSource::Embedded(bytes) => Version {
                disk: None,
                hash: xxhash_rust::xxh3::xxh3_64(bytes),
            },
        })
    }
}

/// The theme in use, merged with the site's overrides.
#[derive(Debug)]
pub struct Theme {
    /// The theme's folder, as shown to users.
    pub dir: PathBuf,
    /// Whether this is the built-in default theme.
    pub built_in: bool,
    /// Templates by name (`practice.html`, `partials/card.html`).
    pub templates: BTreeMap<String, TemplateFile>,
    /// Static files by output path (`css/main.css`).
    pub static_files: BTreeMap<String, StaticFile>,
    /// UI strings files, theme first then site, so that later ones override earlier ones.
    pub i18n_files: Vec<I18nFile>,
    /// The map of practices (`map/europe.json` in the site, else in the theme), if any.
    pub map: Option<crate::theme::map::Map>,
}

/// How the built-in theme's files are shown in diagnostics.
pub const BUILT_IN_DIR: &str = "<built-in>/themes/default";

/// The files under `dir`, by path relative to it. Symbolic links are followed while they
/// stay inside the site; one that leads outside it, and a special file (a named pipe, a
/// socket, a device), are reported and skipped.
fn walk_files(
    site: &SiteRoot,
    root: &Path,
    dir: &Path,
) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let diags = std::cell::RefCell::new(Vec::new());
    if !dir.is_dir() {
        return (Vec::new(), Vec::new());
    }
    // In the order the folders list them: the layers put the files in order of name.
    let dir_text = dir.to_str();
    let files = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_editor_temp(&e.file_name().to_string_lossy()) {
                return false;
            }
            match files::vet_entry(site, e) {
                None => true,
                Some(refusal) => {
                    diags
                        .borrow_mut()
                        .push(refusal.diagnostic(&display_path(root, e.path())));
                    false
                }
            }
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let name = match dir_text.and_then(|d| text_below(e.path(), d)) {
                Some(name) => name.to_string(),
                None => e
                    .path()
                    .strip_prefix(dir)
                    .ok()?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            };
            Some((name, e.into_path()))
        })
        .collect();
    (files, diags.into_inner())
}

/// What `path` holds below the folder whose path is `dir`, as text (`photos/a.jpg`), when
/// `path` is `dir` joined with plain names, as a walk of `dir` gives: its text is then cut,
/// not both paths split into components (a site's photos are thousands of files). `None`
/// otherwise.
fn text_below<'p>(path: &'p Path, dir: &str) -> Option<&'p str> {
    let dir = dir.trim_end_matches('/');
    let rest = path.to_str()?.strip_prefix(dir)?.strip_prefix('/')?;
    let plain = !dir.is_empty() && rest.split('/').all(|part| !matches!(part, "" | "." | ".."));
    plain.then_some(rest)
}

fn text_of(bytes: &[u8], shown: &Path, what: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes.to_vec())
        .map(files::normalize_line_breaks)
        .map_err(|_| {
            Diagnostic::new(Code::NotUtf8, format!("{what} is not valid UTF-8"))
                .at(Location::file(shown))
                .hint("save the file as UTF-8")
        })
}

/// Theme and site files of one kind (`templates`, `static`, `i18n`), later ones overriding.
struct Layers {
    files: BTreeMap<String, (PathBuf, FileSource)>,
    /// Files that were refused while walking.
    refused: Vec<Diagnostic>,
}

impl Layers {
    fn new() -> Layers {
        Layers {
            files: BTreeMap::new(),
            refused: Vec::new(),
        }
    }

    fn disk(&mut self, root: &Path, dir: &Path) {
        let (files, refused) = walk_files(&SiteRoot::new(root), root, dir);
        self.refused.extend(refused);
        // Shown from the site's root: the folder's path from there, then the file's name.
        let base = root.to_str().and_then(|r| text_below(dir, r));
        let mut files: BTreeMap<String, (PathBuf, FileSource)> = files
            .into_iter()
            .map(|(name, path)| {
                let shown = match base {
                    Some(base) => PathBuf::from([base, "/", &name].concat()),
                    None => display_path(root, &path),
                };
                (name, (shown, FileSource::Disk(path)))
            })
            .collect();
        // Built in one go, then merged: a later layer's file takes the place of the same
        // name's.
        self.files.append(&mut files);
    }

    fn embedded(&mut self, kind: &str) {
        for (name, bytes) in crate::theme::embedded::under(&format!("{kind}/")) {
            let shown = Path::new(BUILT_IN_DIR).join(kind).join(name);
            self.files
                .insert(name.to_string(), (shown, FileSource::Embedded(bytes)));
        }
    }
}

fn read_text(
    site: &SiteRoot,
    shown: &Path,
    source: &FileSource,
    what: &str,
) -> Result<String, Diagnostic> {
    match source {
        FileSource::Embedded(bytes) => text_of(bytes, shown, what),
        FileSource::Disk(path) => match site.read(path, files::MAX_TEXT_FILE_BYTES) {
            Ok(bytes) => text_of(&bytes, shown, what),
            Err(refusal) => Err(refusal.diagnostic(shown)),
        },
    }
}

impl Theme {
    /// Loads the theme named in the config: `<root>/themes/<name>/` when the site has it,
    /// else, for `default`, the theme built into casebook. The site's own `templates/`,
    /// `static/` and `i18n/` override the theme's files of the same path.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(&config.theme);
        let on_disk = dir.join("templates").is_dir();
        if !on_disk && config.theme != "default" {
            let mut available: Vec<String> = std::fs::read_dir(root.join("themes"))
                .map(|rd| {
                    rd.flatten()
                        .filter(|e| e.path().join("templates").is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            available.sort();
            if !available.iter().any(|a| a == "default") {
                available.insert(0, "default (built in)".into());
            }
            return Err(vec![
                Diagnostic::new(
                    Code::ThemeMissing,
                    format!(
                        "theme `{}` not found (no themes/{}/templates/)",
                        config.theme, config.theme
                    ),
                )
                .at(Location::file(crate::input::config::CONFIG_FILE))
                .hint(format!(
                    "a theme is a folder themes/<name>/ with templates/, static/ and i18n/; themes available: {}",
                    available.join(", ")
                )),
            ]);
        }
        let site = SiteRoot::new(root);
        let mut diags = Vec::new();
        let mut layers = |kind: &str| {
            let mut l = Layers::new();
            if on_disk {
                l.disk(root, &dir.join(kind));
            } else {
                l.embedded(kind);
            }
            l.disk(root, &root.join(kind));
            diags.append(&mut l.refused);
            l.files
        };
        let template_files = layers("templates");
        let static_files = layers("static")
            .into_iter()
            .map(|(name, (shown, source))| (name, StaticFile::new(source, shown)))
            .collect();
        let mut templates = BTreeMap::new();
        for (name, (shown, source)) in template_files {
            match read_text(&site, &shown, &source, "template") {
                Ok(text) => {
                    templates.insert(name, TemplateFile { shown, text });
                }
                Err(d) => diags.push(d),
            }
        }
        // i18n files are read in layer order: every theme file, then every site file.
        let mut i18n_files = Vec::new();
        let mut theme_layer = Layers::new();
        if on_disk {
            theme_layer.disk(root, &dir.join("i18n"));
        } else {
            theme_layer.embedded("i18n");
        }
        let mut site_layer = Layers::new();
        site_layer.disk(root, &root.join("i18n"));
        for mut layer in [theme_layer, site_layer] {
            diags.append(&mut layer.refused);
            for (rel, (shown, source)) in layer.files {
                if !rel.ends_with(".yaml") {
                    continue;
                }
                match read_text(&site, &shown, &source, "i18n file") {
                    Ok(text) => i18n_files.push(I18nFile { rel, shown, text }),
                    Err(d) => diags.push(d),
                }
            }
        }
        // The map: the site's own `map/europe.json`, else the theme's.
        let map_file = crate::theme::map::MAP_FILE;
        let site_map = root.join(map_file);
        // A link or a special file in its place is refused when read, not passed over.
        let present = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir());
        let map_source = if present(&site_map) {
            Some((display_path(root, &site_map), FileSource::Disk(site_map)))
        } else if on_disk {
            let p = dir.join(map_file);
            present(&p).then(|| (display_path(root, &p), FileSource::Disk(p)))
        } else {
            crate::theme::embedded::file(map_file).map(|bytes| {
                (
                    Path::new(BUILT_IN_DIR).join(map_file),
                    FileSource::Embedded(bytes),
                )
            })
        };
        let map = match map_source {
            Some((shown, source)) => match read_text(&site, &shown, &source, "map asset")
                .and_then(|text| crate::theme::map::Map::parse(&text, &shown))
            {
                Ok(m) => Some(m),
                Err(d) => {
                    diags.push(d);
                    None
                }
            },
            None => None,
        };
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Theme {
            dir: if on_disk {
                display_path(root, &dir)
            } else {
                PathBuf::from(BUILT_IN_DIR)
            },
            built_in: !on_disk,
            templates,
            static_files,
            i18n_files,
            map,
        })
    }

    /// The fingerprinted output path of a static file (`css/main.css` →
    /// `css/main.1a2b3c4d5e.css`, a hash of its bytes), or `None` when there is no such
    /// file or it cannot be read.
    pub fn fingerprinted(&self, path: &str) -> Option<String> {
        let bytes = self.static_files.get(path)?.bytes().ok()?;
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        Some(match path.rsplit_once('.') {
            Some((stem, ext)) if !stem.ends_with('/') && !stem.is_empty() => {
                format!("{stem}.{}.{ext}", &hash[..10])
            }
            _ => format!("{path}.{}", &hash[..10]),
        })
    }

    /// The static files that templates name in `asset(path="…")` calls, with their
    /// fingerprinted paths, sorted: the fingerprinted copies a build publishes. A template
    /// names them literally (see [`asset_paths`]).
    pub fn assets(&self) -> Vec<(String, String)> {
        let mut named: Vec<String> = self
            .templates
            .values()
            .flat_map(|t| asset_paths(&t.text))
            .collect();
        named.sort();
        named.dedup();
        named
            .into_iter()
            .filter_map(|p| self.fingerprinted(&p).map(|h| (p, h)))
            .collect()
    }
}

/// The paths named in `asset(path="…")` calls in a template's text (single or double
/// quotes, spaces allowed around `(` and `=`), without a leading `/`.
pub fn asset_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("asset(") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "asset(".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let args = rest.trim_start();
        let Some(args) = args.strip_prefix("path") else {
            continue;
        };
        let Some(args) = args.trim_start().strip_prefix('=') else {
            continue;
        };
        let args = args.trim_start();
        let Some(quote) = args.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        // Only a whole literal: `"languages." ~ code` is made when the page is rendered.
        if let Some(end) = args[1..].find(quote)
            && !args[2 + end..].trim_start().starts_with('~')
        {
            out.push(args[1..1 + end].trim_start_matches('/').to_string());
        }
    }
    out
}

#[cfg(test)]
mod asset_tests {
    use super::asset_paths;

    #[test]
    fn finds_the_paths_named_in_asset_calls() {
        let text = r#"<link href="{{ asset(path='css/main.css') }}">{{ asset( path = "/img/a.png", absolute=true) }}{{ my_asset(path="no.css") }}{{ asset(path=name) }}"#;
        assert_eq!(asset_paths(text), ["css/main.css", "img/a.png"]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walked_path_is_cut_below_its_folder_only_when_plain() {
        fn below<'p>(path: &'p str, dir: &str) -> Option<&'p str> {
            text_below(Path::new(path), dir)
        }
        assert_eq!(
            below("site/static/photos/a.jpg", "site/static"),
            Some("photos/a.jpg")
        );
        assert_eq!(below("site/static/a.jpg", "site/static/"), Some("a.jpg"));
        assert_eq!(below("/a.jpg", "/"), None);
        assert_eq!(below("site/staticx/a.jpg", "site/static"), None);
        assert_eq!(below("site/static/./a.jpg", "site/static"), None);
        assert_eq!(below("site/static/../a.jpg", "site/static"), None);
        assert_eq!(below("site/static", "site/static"), None);
    }
}

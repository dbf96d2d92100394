//! The theme: templates, static files and i18n folders, with the site's own `templates/`,
//! `static/` and `i18n/` overriding the theme's files of the same path.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Location, display_path};
use crate::source::is_editor_temp;

/// A template file.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Where it is.
    pub path: PathBuf,
    /// How it is shown in diagnostics (relative to the site root).
    pub shown: PathBuf,
    /// Its text.
    pub text: String,
}

/// A static file to copy.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Where it is.
    pub path: PathBuf,
}

/// The theme in use, merged with the site's overrides.
#[derive(Debug)]
pub struct Theme {
    /// The theme's folder.
    pub dir: PathBuf,
    /// Templates by name (`practice.html`, `partials/card.html`).
    pub templates: BTreeMap<String, TemplateFile>,
    /// Static files by output path (`css/main.css`).
    pub static_files: BTreeMap<String, StaticFile>,
    /// i18n folders, theme first then site: `(folder, folder as shown)`.
    pub i18n_dirs: Vec<(PathBuf, PathBuf)>,
    /// The map of practices (`map/europe.json` in the site, else in the theme), if any.
    pub map: Option<crate::publish::map::Map>,
    fingerprints: Mutex<HashMap<String, String>>,
}

fn walk_files(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_editor_temp(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Some((name, e.into_path()))
        })
        .collect()
}

impl Theme {
    /// Loads the theme named in the config, from `<root>/themes/<name>/`.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(&config.theme);
        if !dir.join("templates").is_dir() {
            let available: Vec<String> = std::fs::read_dir(root.join("themes"))
                .map(|rd| {
                    rd.flatten()
                        .filter(|e| e.path().is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            let hint = if available.is_empty() {
                "a theme is a folder themes/<name>/ with templates/, static/ and i18n/; copy themes/default from the casebook repository".to_string()
            } else {
                format!("themes found: {}", available.join(", "))
            };
            return Err(vec![
                Diagnostic::new(
                    Code::ThemeMissing,
                    format!(
                        "theme `{}` not found (no themes/{}/templates/)",
                        config.theme, config.theme
                    ),
                )
                .at(Location::file(crate::config::CONFIG_FILE))
                .hint(hint),
            ]);
        }
        let mut diags = Vec::new();
        let mut templates = BTreeMap::new();
        for base in [dir.join("templates"), root.join("templates")] {
            for (name, path) in walk_files(&base) {
                match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        templates.insert(
                            name,
                            TemplateFile {
                                shown: display_path(root, &path),
                                path,
                                text,
                            },
                        );
                    }
                    Err(e) => diags.push(
                        Diagnostic::new(Code::ReadError, format!("cannot read template: {e}"))
                            .at(Location::file(display_path(root, &path)))
                            .hint("templates must be UTF-8 text files"),
                    ),
                }
            }
        }
        let mut static_files = BTreeMap::new();
        for base in [dir.join("static"), root.join("static")] {
            for (name, path) in walk_files(&base) {
                static_files.insert(name, StaticFile { path });
            }
        }
        let i18n_dirs = [dir.join("i18n"), root.join("i18n")]
            .into_iter()
            .filter(|d| d.is_dir())
            .map(|d| {
                let shown = display_path(root, &d);
                (d, shown)
            })
            .collect();
        let map_path = [
            root.join(crate::publish::map::MAP_FILE),
            dir.join(crate::publish::map::MAP_FILE),
        ]
        .into_iter()
        .find(|p| p.is_file());
        let map = match map_path {
            Some(path) => match crate::publish::map::Map::load(&path, &display_path(root, &path)) {
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
            dir,
            templates,
            static_files,
            i18n_dirs,
            map,
            fingerprints: Mutex::new(HashMap::new()),
        })
    }

    /// The fingerprinted output path of a static file (`css/main.css` →
    /// `css/main.1a2b3c4d5e.css`), or `None` when there is no such file.
    pub fn fingerprinted(&self, path: &str) -> Option<String> {
        let file = self.static_files.get(path)?;
        if let Some(done) = self.fingerprints.lock().ok()?.get(path) {
            return Some(done.clone());
        }
        let bytes = std::fs::read(&file.path).ok()?;
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        let hashed = match path.rsplit_once('.') {
            Some((stem, ext)) if !stem.ends_with('/') && !stem.is_empty() => {
                format!("{stem}.{}.{ext}", &hash[..10])
            }
            _ => format!("{path}.{}", &hash[..10]),
        };
        self.fingerprints
            .lock()
            .ok()?
            .insert(path.to_string(), hashed.clone());
        Some(hashed)
    }

    /// The fingerprinted copies asked for so far: `(static path, fingerprinted path)`.
    pub fn fingerprinted_files(&self) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = self
            .fingerprints
            .lock()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        all.sort();
        all
    }
}

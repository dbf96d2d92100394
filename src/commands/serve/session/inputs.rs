//! Reading the inputs of a rebuild: casebook.yaml, the theme, and the content files, each
//! re-read only when named by the watcher and re-parsed only when its text changed.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::{Cached, Session};
use crate::diagnostics::Diagnostic;
use crate::document;
use crate::input::config::{self, Config};
use crate::input::content::{self, Section};
use crate::render;
use crate::theme::Theme;
use crate::theme::i18n::I18n;

impl Session {
    pub(super) fn reload_config(&mut self) {
        self.inputs.config_text = std::fs::read_to_string(self.root.join(config::CONFIG_FILE)).ok();
        let (config, diags) = config::load(&self.root, self.opts.base_url.as_deref());
        self.inputs.config = config;
        self.inputs.config_diags = diags;
        self.reload_theme();
    }

    pub(super) fn reload_theme(&mut self) {
        self.inputs.theme = None;
        self.inputs.i18n = None;
        self.inputs.engine = None;
        self.inputs.theme_diags.clear();
        let Some(config) = &self.inputs.config else {
            return;
        };
        let theme = match Theme::load(&self.root, config) {
            Ok(t) => Arc::new(t),
            Err(d) => {
                self.inputs.theme_diags = d;
                return;
            }
        };
        let (i18n, d) = I18n::load(
            &theme.i18n_files,
            &config.languages,
            &config.default_language,
        );
        self.inputs.theme_diags.extend(d);
        let i18n = Arc::new(i18n);
        match render::engine(&theme, config, &i18n, self.opts.assets) {
            Ok(engine) => self.inputs.engine = Some(Arc::new(engine)),
            Err(d) => self.inputs.theme_diags.extend(d),
        }
        self.inputs.theme = Some(theme);
        self.inputs.i18n = Some(i18n);
    }

    /// Discovers the content tree anew. Reads and parses the files it did not know, and
    /// those of `named` (all of them with `None`) whose text changed.
    pub(super) fn rescan_content(&mut self, named: Option<&[PathBuf]>) {
        let Some(config) = self.inputs.config.clone() else {
            return;
        };
        let (found, diags) = content::discover(&self.root);
        self.inputs.discover_diags = diags;
        let keys: BTreeSet<(Section, PathBuf)> = found.into_iter().collect();
        let before = self.inputs.files.len();
        self.inputs.files.retain(|k, _| keys.contains(k));
        let named: Option<HashSet<&Path>> = named.map(|n| n.iter().map(PathBuf::as_path).collect());
        let mut added = false;
        let to_read: Vec<(Section, PathBuf)> = keys
            .into_iter()
            .filter(|k| {
                let new = !self.inputs.files.contains_key(k);
                added |= new;
                new || named.as_ref().is_none_or(|n| n.contains(k.1.as_path()))
            })
            .collect();
        if added || self.inputs.files.len() != before {
            self.inputs.tree_changed = true;
        }
        self.refresh(&config, &to_read);
    }

    /// Re-reads `files`, in parallel, and re-parses those whose text changed.
    pub(super) fn refresh(&mut self, config: &Config, files: &[(Section, PathBuf)]) {
        let root = &self.root;
        let cache = &self.inputs.files;
        let fresh: Vec<((Section, PathBuf), Option<Cached>)> = files
            .par_iter()
            .map(|(section, path)| {
                let key = (*section, path.clone());
                let entry = match content::read(root, config, *section, path) {
                    Err(d) => Some(Cached::Unreadable(d)),
                    Ok(file) => {
                        let text_hash = xxh3_64(file.text.as_bytes());
                        match cache.get(&key) {
                            Some(Cached::Read { text_hash: h, .. }) if *h == text_hash => None,
                            _ => Some(Cached::Read {
                                text_hash,
                                result: document::parse(&file, config),
                            }),
                        }
                    }
                };
                (key, entry)
            })
            .collect();
        for (key, entry) in fresh {
            if let Some(e) = entry {
                self.inputs.changed.insert(key.clone());
                self.inputs.files.insert(key, e);
            }
        }
    }

    /// Takes changed paths under `content/`: re-reads the files it knows that are still
    /// files, and discovers the tree anew when Markdown files or folders appeared,
    /// disappeared or were renamed.
    pub(super) fn update_content(&mut self, paths: &[PathBuf]) {
        let Some(config) = self.inputs.config.clone() else {
            return;
        };
        let mut modified = Vec::new();
        let mut structural = false;
        for path in paths {
            let known = [Section::Practices, Section::Pages]
                .into_iter()
                .find(|s| self.inputs.files.contains_key(&(*s, path.clone())));
            match known {
                Some(section) if path.is_file() => modified.push((section, path.clone())),
                Some(_) => structural = true,
                None => {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    // A new Markdown file or a folder changes the tree; an image beside the
                    // practices or an editor's temporary file does not.
                    if !content::is_editor_temp(&name)
                        && (name.ends_with(".md") || path.is_dir() || !path.exists())
                    {
                        structural = true;
                    }
                }
            }
        }
        if structural {
            self.rescan_content(Some(paths));
        } else if !modified.is_empty() {
            self.refresh(&config, &modified);
        }
    }

    /// Every problem of the inputs, before the model.
    pub(super) fn input_problems(&self) -> Vec<Diagnostic> {
        let mut diags: Vec<Diagnostic> = Vec::new();
        diags.extend(self.inputs.config_diags.iter().cloned());
        diags.extend(self.inputs.theme_diags.iter().cloned());
        diags.extend(self.inputs.discover_diags.iter().cloned());
        for entry in self.inputs.files.values() {
            match entry {
                Cached::Unreadable(d) => diags.push(d.clone()),
                Cached::Read { result: Err(d), .. } => diags.extend(d.iter().cloned()),
                Cached::Read { .. } => {}
            }
        }
        diags
    }
}

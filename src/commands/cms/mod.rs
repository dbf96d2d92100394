//! `casebook cms`: writes a web editing interface into the site, `static/admin/index.html`
//! (Decap CMS) and `static/admin/config.yml`, generated from casebook.yaml: the CMS's forms
//! have the site's fields, vocabularies, languages, required fields and patterns. The build
//! publishes static/ as it is, so the admin is versioned and reviewed with the site.
//!
//! config.yml has two parts: the site's own settings (backend, media folder, editorial
//! workflow…), written once and then left as the site edits them, and the part between the
//! `# BEGIN casebook cms` and `# END casebook cms` lines, which `casebook cms` rewrites and
//! `casebook check` compares with casebook.yaml ([`out_of_sync`]).

mod fields;
mod files;
pub mod yaml;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::config::{self, Config};
use crate::theme::Theme;
use crate::theme::i18n::I18n;

pub use fields::{PARTIAL_DATE, WEB_URL};
pub use files::rename_default_files;

/// Where the admin lives in the site.
pub const ADMIN_DIR: &str = "static/admin";
/// The first line of the generated part of config.yml.
pub const BEGIN: &str = "# BEGIN casebook cms";
/// The last line of the generated part of config.yml.
pub const END: &str = "# END casebook cms";
/// Where the admin page loads Decap CMS from unless the site serves it itself.
pub const DECAP_CDN: &str = "https://unpkg.com/decap-cms@^3.0.0/dist/decap-cms.js";
/// The name of a self-hosted copy of Decap CMS in static/admin/.
pub const SELF_HOSTED: &str = "decap-cms.js";

const ADMIN_PAGE: &str = include_str!("admin.html");

/// What `casebook cms` does.
#[derive(Debug, Clone, Default)]
pub struct CmsOptions {
    /// The site root.
    pub root: PathBuf,
    /// Copy this file (npm's `decap-cms/dist/decap-cms.js`) into static/admin/ and load it
    /// from there rather than from a CDN.
    pub self_host: Option<PathBuf>,
    /// Rename `slug.md` to `slug.LANG.md` (LANG the default language), the names the CMS reads.
    pub rename_default_files: bool,
}

/// The generated part of config.yml, marker lines included.
pub fn generated_part(config: &Config, i18n: &I18n) -> String {
    format!(
        "{BEGIN}: generated from casebook.yaml; `casebook cms` rewrites it, edit casebook.yaml instead.\n{}{END}\n",
        yaml::to_string(&fields::generated(config, i18n))
    )
}

/// config.yml as first written: the site's settings to fill in, then the generated part.
fn first_config(config: &Config, generated: &str) -> String {
    format!(
        "# Decap CMS settings of this site (docs/cms.md; https://decapcms.org/docs/configuration-options/).
# Everything outside the generated part below is yours: `casebook cms` keeps it as you write it.

# Where the CMS commits: your repository and branch (docs/cms.md shows GitHub, GitLab, Gitea).
backend:
  name: github
  repo: your-organisation/your-site
  branch: main
# Changes as pull requests, with drafts and review, rather than commits to the branch:
# publish_mode: editorial_workflow

# To try it on your computer: run `npx decap-server` in the site folder, serve the built
# site on localhost and open /admin/: the CMS then writes into this folder.
local_backend: true

# Uploads go into static/images/ and are written as `images/NAME.jpg`: a path under
# static/, as casebook's `image.src` takes it.
media_folder: static/images
public_folder: images

# The language of the CMS's own buttons and messages.
locale: {}

{generated}",
        config.default_language
    )
}

/// Where the generated part is in a config.yml: the byte range of its lines.
fn generated_range(text: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    let mut begin = None;
    for line in text.split_inclusive('\n') {
        if begin.is_none() && line.starts_with(BEGIN) {
            begin = Some(offset);
        } else if begin.is_some() && line.trim_end() == END {
            return Some(begin?..offset + line.len());
        }
        offset += line.len();
    }
    None
}

/// The site's configuration and UI strings (for country names), or why they do not load.
fn load(root: &Path) -> Result<(Config, I18n), Vec<Diagnostic>> {
    let (config, mut diags) = config::load(root, None);
    let Some(config) = config else {
        return Err(diags);
    };
    let theme = Theme::load(root, &config)?;
    let (i18n, d) = I18n::load(
        &theme.i18n_files,
        &config.languages,
        &config.default_language,
    );
    diags.extend(d);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok((config, i18n))
}

fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::WriteFailed,
        format!("cannot write {}: {e}", path.display()),
    )
    .hint("check that the folder exists and is writable")
}

/// Writes `static/admin/index.html` and `static/admin/config.yml` (keeping the site's part
/// of an existing one); returns what it did, a line per file.
pub fn write(opts: &CmsOptions) -> Result<Vec<String>, Vec<Diagnostic>> {
    let root = &opts.root;
    let (config, i18n) = load(root)?;
    let mut done = Vec::new();
    if opts.rename_default_files {
        done.extend(rename_default_files(root, &config)?);
    }
    let dir = root.join(ADMIN_DIR);
    let config_path = dir.join("config.yml");
    let rel = PathBuf::from(ADMIN_DIR).join("config.yml");
    let generated = generated_part(&config, &i18n);
    let text = match std::fs::read_to_string(&config_path) {
        Ok(old) => match generated_range(&old) {
            Some(range) => format!("{}{generated}{}", &old[..range.start], &old[range.end..]),
            None => {
                return Err(vec![
                    Diagnostic::new(
                        Code::FileExists,
                        format!("{} has no part generated by casebook", rel.display()),
                    )
                    .at(Location::file(&rel))
                    .hint(format!(
                        "casebook writes its part between a line `{BEGIN}` and a line `{END}`: add these two lines where it should go (the collections and i18n you wrote there will be replaced), or move the file away to start afresh"
                    )),
                ]);
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => first_config(&config, &generated),
        Err(e) => {
            return Err(vec![
                Diagnostic::new(
                    Code::ReadError,
                    format!("cannot read {}: {e}", rel.display()),
                )
                .at(Location::file(&rel)),
            ]);
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| vec![write_error(&dir, &e)])?;
    let script = match &opts.self_host {
        Some(source) => {
            copy_script(source, &dir.join(SELF_HOSTED))?;
            done.push(format!(
                "Copied {} to {ADMIN_DIR}/{SELF_HOSTED}",
                source.display()
            ));
            SELF_HOSTED
        }
        None if dir.join(SELF_HOSTED).is_file() => SELF_HOSTED,
        None => DECAP_CDN,
    };
    let page = admin_page(script);
    for (name, content) in [("config.yml", text), ("index.html", page)] {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == content) {
            done.push(format!("{ADMIN_DIR}/{name} is up to date"));
            continue;
        }
        std::fs::write(&path, content).map_err(|e| vec![write_error(&path, &e)])?;
        done.push(format!("Wrote {ADMIN_DIR}/{name}"));
    }
    Ok(done)
}

/// The admin page, loading Decap CMS from `script`.
pub fn admin_page(script: &str) -> String {
    let source = if script == SELF_HOSTED {
        "this site (static/admin/decap-cms.js)"
    } else {
        script
    };
    ADMIN_PAGE
        .replace("SCRIPT_SOURCE", source)
        .replace("SCRIPT_URL", script)
}

fn copy_script(source: &Path, target: &Path) -> Result<(), Vec<Diagnostic>> {
    let bytes = std::fs::read(source).map_err(|e| {
        vec![
            Diagnostic::new(Code::ReadError, format!("cannot read {}: {e}", source.display()))
                .hint("give the path of Decap CMS's script: `npm install decap-cms@3`, then `--self-host node_modules/decap-cms/dist/decap-cms.js`"),
        ]
    })?;
    std::fs::write(target, bytes).map_err(|e| vec![write_error(target, &e)])
}

/// Warnings when the site has an admin (`static/admin/config.yml`) that no longer matches:
/// its generated part differs from what `casebook cms` would write now, or content files
/// are named in a way the CMS does not read (`slug.md` rather than `slug.LANG.md`).
pub fn out_of_sync(root: &Path, config: &Config, i18n: &I18n) -> Vec<Diagnostic> {
    let rel = PathBuf::from(ADMIN_DIR).join("config.yml");
    let Ok(text) = std::fs::read_to_string(root.join(&rel)) else {
        return Vec::new();
    };
    let mut diags = Vec::new();
    let wanted = generated_part(config, i18n);
    match generated_range(&text) {
        None => diags.push(
            Diagnostic::new(
                Code::CmsOutOfSync,
                format!("{} has no part generated by casebook", rel.display()),
            )
            .at(Location::file(&rel))
            .hint(format!(
                "the CMS's forms may not match casebook.yaml: add a line `{BEGIN}` and a line `{END}` where the collections go, then run `casebook cms`"
            )),
        ),
        Some(range) if text[range.clone()] != wanted => {
            let before = text[..range.start].matches('\n').count();
            let differs = text[range.clone()]
                .lines()
                .zip(wanted.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| wanted.lines().count().min(text[range].lines().count()));
            diags.push(
                Diagnostic::new(
                    Code::CmsOutOfSync,
                    format!(
                        "the CMS's settings in {} no longer match casebook.yaml",
                        rel.display()
                    ),
                )
                .at(Location::new(&rel, before + differs + 1, 1))
                .hint("run `casebook cms` to write its generated part again (your settings outside it are kept), and commit the change"),
            );
        }
        Some(_) => {}
    }
    diags.extend(files::unsuffixed_warning(root, config));
    diags
}

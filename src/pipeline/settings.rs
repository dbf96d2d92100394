//! What every output depends on besides the content and the templates, hashed: casebook
//! itself, the options, casebook.yaml, the UI strings, the fingerprinted static files and
//! the map; and a hash of everything a build reads, for telling an unchanged rebuild.

use rayon::prelude::*;

use super::BuildOptions;
use crate::input::config;
use crate::publish;
use crate::render::AssetUrls;
use crate::theme::Theme;

/// A hash of what parsing a content file depends on besides its text: casebook itself and
/// casebook.yaml (not `--base-url`, which no file's parse reads: `build`, `check` and
/// `serve` on any port share the parses). The documents' cache is kept per key.
pub fn parse_key(opts: &BuildOptions) -> u64 {
    let config = config_bytes(opts);
    crate::incremental::fingerprints::hash_value(&(
        casebook_stamp(),
        xxhash_rust::xxh3::xxh3_64(&config),
    ))
}

/// casebook itself: its version, and the size and time of the running program (a rebuilt
/// casebook may make other bytes).
fn casebook_stamp() -> String {
    use std::os::unix::fs::MetadataExt;
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {} {}", m.len(), m.mtime(), m.mtime_nsec()))
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION"))
}

/// A hash of how the site is built, besides its content and templates: casebook itself,
/// the options, casebook.yaml, UI strings, the names of the fingerprinted static files
/// and the map. Every output depends on it.
pub(super) fn settings_hash(opts: &BuildOptions, theme: &Theme) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    casebook_stamp().hash(&mut h);
    (&opts.base_url, opts.drafts, opts.assets == AssetUrls::Plain).hash(&mut h);
    config_bytes(opts).hash(&mut h);
    for f in &theme.i18n_files {
        (&f.rel, &f.text).hash(&mut h);
    }
    if opts.assets == AssetUrls::Fingerprinted {
        theme.assets().hash(&mut h);
    }
    theme.map.as_ref().map(|m| m.sprite()).hash(&mut h);
    h.finish()
}

/// A hash of everything a build reads: its settings, the templates, the static files (by
/// size and time), and every content file (`contents`: a hash of their paths and texts,
/// [`crate::incremental::Read::contents`]). Two builds with the same hash write the same
/// bytes.
pub fn inputs_hash(settings: u64, theme: &Theme, contents: u64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    settings.hash(&mut h);
    for (name, t) in &theme.templates {
        (name, &t.text).hash(&mut h);
    }
    // Each file looked at once (see `StaticFile::version`), on every core: a site's photos
    // are thousands of files.
    let stamps: Vec<u64> = theme
        .static_files
        .par_iter()
        .map(|(rel, file)| publish::static_stamp(rel, file))
        .collect();
    stamps.hash(&mut h);
    contents.hash(&mut h);
    h.finish()
}

/// casebook.yaml's bytes, read the safe way (a regular file, not too large; see
/// [`crate::input::files`]); none when it cannot be read (the build then stops at its
/// diagnostic).
fn config_bytes(opts: &BuildOptions) -> Vec<u8> {
    crate::input::files::read_regular(
        &opts.root.join(config::CONFIG_FILE),
        crate::input::files::MAX_TEXT_FILE_BYTES,
    )
    .unwrap_or_default()
}

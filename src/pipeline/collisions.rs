//! Two outputs at one path: refused, naming the static file and what needs its path.

use rustc_hash::FxHashMap;

use super::Loaded;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::plan::Planned;
use crate::publish;
use crate::render::AssetUrls;
use crate::theme::Theme;

/// The collisions between the outputs of a loaded site and its `plan` (see
/// [`write`]): a static file at a path a page needs, say.
pub fn collisions(loaded: &Loaded, plan: &[Planned]) -> Vec<Diagnostic> {
    let assets = match loaded.assets {
        AssetUrls::Fingerprinted => loaded.theme.assets(),
        AssetUrls::Plain => Vec::new(),
    };
    let groups = publish::groups(
        &loaded.site,
        &loaded.i18n,
        &loaded.theme,
        &assets,
        plan,
        &|_| true,
    );
    check_collisions(plan, &groups, &loaded.theme)
        .err()
        .unwrap_or_default()
}

/// A hash of the paths of every output of `plan` and `groups`, in order: the only thing
/// [`check_collisions`] looks at, so a list with the hash of one that passed passes too
/// (a rebuild after an edit that adds or removes no output skips the check).
pub(super) fn paths_hash(plan: &[Planned], groups: &[publish::Group]) -> u64 {
    use std::hash::Hasher;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let paths = plan
        .iter()
        .map(Planned::file)
        .chain(groups.iter().map(|g| g.name.as_str()));
    for path in paths {
        h.write(path.as_bytes());
        // No path holds a NUL: the boundaries between paths count.
        h.write_u8(0);
    }
    h.finish()
}

/// Refuses two outputs at one path, or a file where another output needs a folder (a
/// static file `en` beside the pages of `/en/`), naming the static file and what needs the
/// path: the output would depend on which was written last.
pub(super) fn check_collisions(
    plan: &[Planned],
    groups: &[publish::Group],
    theme: &Theme,
) -> Result<(), Vec<Diagnostic>> {
    // What needs each path: a page (by position in `plan`) or a group (after the pages).
    let describe = |i: usize| -> String {
        match plan.get(i) {
            Some(p) => format!("the page {}", p.url),
            None => {
                let g = &groups[i - plan.len()];
                match theme.static_files.get(&g.name) {
                    Some(f) => format!("the static file {}", f.shown.display()),
                    None => g.name.clone(),
                }
            }
        }
    };
    let paths = plan
        .iter()
        .map(Planned::file)
        .chain(groups.iter().map(|g| g.name.as_str()));
    let n = plan.len() + groups.len();
    let mut owner: FxHashMap<&str, usize> = FxHashMap::default();
    owner.reserve(n);
    let mut folders: FxHashMap<&str, usize> = FxHashMap::default();
    folders.reserve(n);
    let mut clashes = Vec::new();
    for (i, path) in paths.enumerate() {
        // The folders above the path, up to the first one already known (whose own
        // folders are known with it): each is needed by the first output under it.
        let mut at = path;
        while let Some((parent, _)) = at.rsplit_once('/') {
            if folders.contains_key(parent) {
                break;
            }
            folders.insert(parent, i);
            at = parent;
        }
        if let Some(other) = owner.insert(path, i) {
            clashes.push((path, other, i));
        }
    }
    let mut diags: Vec<Diagnostic> = clashes
        .into_iter()
        .map(|(path, first, second)| collision(path, &describe(first), &describe(second)))
        .collect();
    for (path, &what) in &owner {
        if let Some(&needs) = folders.get(path) {
            diags.push(collision(path, &describe(what), &describe(needs)));
        }
    }
    diags.sort_by(|a, b| a.message.cmp(&b.message));
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

fn collision(path: &str, first: &str, second: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::OutputCollision,
        format!("{first} and {second} both need `{path}` in the output"),
    )
    .hint("rename or move the static file: the site's pages, feeds and data keep their paths");
    let file = [first, second]
        .into_iter()
        .find_map(|w| w.strip_prefix("the static file "));
    if let Some(f) = file {
        d = d.at(Location::file(f));
    }
    d
}

//! Two outputs at one path: refused, naming the static file and what needs its path.

use std::collections::HashMap;

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
    let groups = publish::groups(&loaded.site, &loaded.i18n, &loaded.theme, &assets, plan);
    check_collisions(plan, &groups, &loaded.theme)
        .err()
        .unwrap_or_default()
}

/// Refuses two outputs at one path, or a file where another output needs a folder (a
/// static file `en` beside the pages of `/en/`), naming the static file and what needs the
/// path: the output would depend on which was written last.
pub(super) fn check_collisions(
    plan: &[Planned],
    groups: &[publish::Group],
    theme: &Theme,
) -> Result<(), Vec<Diagnostic>> {
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut folders: HashMap<String, String> = HashMap::new();
    let mut note = |path: String, what: String| -> Option<(String, String, String)> {
        let mut at = path.as_str();
        while let Some((parent, _)) = at.rsplit_once('/') {
            folders
                .entry(parent.to_string())
                .or_insert_with(|| what.clone());
            at = parent;
        }
        owner
            .insert(path.clone(), what.clone())
            .map(|other| (path, other, what))
    };
    let mut clashes = Vec::new();
    for p in plan {
        clashes.extend(note(p.file(), format!("the page {}", p.url)));
    }
    for g in groups {
        let what = match theme.static_files.get(&g.name) {
            Some(f) => format!("the static file {}", f.shown.display()),
            None => g.name.clone(),
        };
        clashes.extend(note(g.name.clone(), what));
    }
    let mut diags: Vec<Diagnostic> = clashes
        .into_iter()
        .map(|(path, first, second)| collision(&path, &first, &second))
        .collect();
    for (path, what) in &owner {
        if let Some(needs) = folders.get(path) {
            diags.push(collision(path, what, needs));
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

//! Files a CMS writes for languages nobody has translated yet. Decap CMS, with one file per
//! language, writes a file for every language of the site when an entry is saved, even
//! those the editor left empty (decap-cms #6932): such a file holds the fields shared by
//! every language, copied from the default one, and sometimes defaults (`draft: false`),
//! but no title, no summary and no text. casebook leaves it out, as if it did not exist,
//! and says so once in a warning, rather than failing on its missing title.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::config::Config;
use crate::input::content::{Section, SourceFile};
use crate::input::yaml::YamlSource;

/// A translation file with nothing translated in it yet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Placeholder {
    /// Practices or pages.
    pub section: Section,
    /// Slug.
    pub slug: String,
    /// Language.
    pub lang: String,
    /// File, relative to the site root.
    pub rel: PathBuf,
}

impl Placeholder {
    /// The warning that says it is left out.
    pub fn warning(&self) -> Diagnostic {
        let texts = match self.section {
            Section::Practices => "no title, no summary and no text",
            Section::Pages => "no title and no text",
        };
        Diagnostic::new(
            Code::Untranslated,
            format!(
                "{} is not translated yet: it has {texts}, only fields copied from another language (as a CMS writes for every language), so it is left out",
                self.rel.display()
            ),
        )
        .at(Location::file(&self.rel))
        .hint(format!(
            "translate it (title, summary and text) to publish it in `{}`, or delete it; `--allow untranslated` leaves this out",
            self.lang
        ))
    }
}

fn blank(map: &serde_json::Map<String, serde_json::Value>, key: &str) -> bool {
    match map.get(key) {
        None | Some(serde_json::Value::Null) => true,
        Some(serde_json::Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    }
}

/// `file` as a placeholder, when it is one: a translation (not the default language)
/// whose front matter gives no title (and, for a practice, no summary) and whose body is
/// empty.
pub fn of(file: &SourceFile, config: &Config, src: &YamlSource, body: &str) -> Option<Placeholder> {
    if file.lang == config.default_language || !body.trim().is_empty() {
        return None;
    }
    let map = match src.parse::<serde_json::Value>().ok()? {
        serde_json::Value::Object(m) => m,
        serde_json::Value::Null => serde_json::Map::new(),
        _ => return None,
    };
    let empty = blank(&map, "title")
        && (file.section == Section::Pages || blank(&map, "summary"))
        && blank(&map, "menu_title");
    empty.then(|| Placeholder {
        section: file.section,
        slug: file.slug.clone(),
        lang: file.lang.clone(),
        rel: file.rel.clone(),
    })
}

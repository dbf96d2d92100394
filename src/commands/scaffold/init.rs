//! `casebook init`: a minimal site that builds with the built-in theme.

use std::path::{Path, PathBuf};

use super::{write_error, write_new};
use crate::diagnostics::{Code, Diagnostic};
use crate::input::config;

const INIT_CONFIG: &str = "\
# casebook site configuration. Every key is described in casebook's README, \"Site
# configuration\". The built-in theme is used unless the site has themes/default/.
base_url: https://practices.example.org/   # where the site will be published
languages: [en]                            # add languages here, e.g. [en, es]; the first is the default
share_cards: drawn                         # a practice without a photo gets a share card drawn by casebook
title: Good practices
description: Case studies of how cities co-produce public services with their residents.
taxonomies:
  # Each term has a label in every language of the site.
  topics:
    urban-commons: { en: Urban commons }
    poverty: { en: Poverty }
  programmes:
    uia: { en: Urban Innovative Actions }
";

fn init_practice(today: &str) -> String {
    format!(
        "---
title: CO-CITY
subtitle: Pacts of collaboration that turn neglected public spaces into urban commons
city: Turin
country: IT
coordinates: [45.07, 7.69]
programme: uia
topics: [urban-commons, poverty]
level: local
key_figures:
  - {{ value: \"50\", label: pacts of collaboration signed }}
summary: >
  Turin hands neglected public spaces to residents under pacts of collaboration,
  co-managed by the city and citizens' organisations.
published: {today}
---

An example practice: replace it with your own, or start a new one with
`casebook new practice <slug>`.

## The challenge

Distressed neighbourhoods with under-used public spaces.

## The solution

Pacts of collaboration: residents and the city look after a space together.
"
    )
}

const INIT_PAGE: &str = "---
title: About this catalogue
menu: 1
menu_title: About
summary: What this catalogue collects, and how to contribute a practice.
---

This catalogue collects good practices. Each practice is a Markdown file in
`content/practices/`; this page is `content/pages/about.md`.
";

/// Creates a minimal site in `dir` (new, or an empty folder): casebook.yaml, one practice,
/// one page and a .gitignore for the output. It builds with the built-in theme.
pub fn init(dir: &Path, today: String) -> Result<(), Diagnostic> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !dir.is_dir() || !empty {
            return Err(Diagnostic::new(
                Code::FileExists,
                format!("{} exists and is not an empty folder", dir.display()),
            )
            .hint("casebook init creates a new site; choose a new folder name"));
        }
    }
    let files = [
        (PathBuf::from(config::CONFIG_FILE), INIT_CONFIG.to_string()),
        (
            Path::new("content").join("practices").join("co-city.md"),
            init_practice(&today),
        ),
        (
            Path::new("content").join("pages").join("about.md"),
            INIT_PAGE.to_string(),
        ),
        (
            PathBuf::from(".gitignore"),
            "/output/\n# casebook's cache (parsed files, the last build's records): safe to delete\n/.casebook/\n".to_string(),
        ),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
        }
        write_new(&path, &text)?;
    }
    Ok(())
}

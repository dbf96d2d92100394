//! Vocabulary hygiene: topics and programmes that casebook.yaml declares but no practice uses.
//! (Labels missing in a language are reported when casebook.yaml is loaded.)

use std::collections::BTreeSet;

use crate::diagnostics::{Code, Diagnostic};
use crate::input::config::Vocabulary;
use crate::model::Site;

/// One warning per declared term that no practice uses. `config_text` is casebook.yaml's
/// text, to show the line.
pub fn unused(site: &Site, config_text: Option<&str>) -> Vec<Diagnostic> {
    let topics: BTreeSet<&str> = site
        .practices
        .iter()
        .flat_map(|p| p.topics.iter().map(String::as_str))
        .collect();
    let programmes: BTreeSet<&str> = site
        .practices
        .iter()
        .filter_map(|p| p.programme.as_deref())
        .collect();
    let mut out = Vec::new();
    let mut report = |vocab: &Vocabulary, used: &BTreeSet<&str>, name: &str, field: &str| {
        for term in vocab
            .terms
            .iter()
            .filter(|t| !used.contains(t.key.as_str()))
        {
            let d = Diagnostic::new(
                Code::UnusedTerm,
                format!("{name} `{}` is declared but no practice uses it", term.key),
            );
            let d = match config_text {
                Some(text) => d.at_source(term.location.clone(), text, term.key.len()),
                None => d.at(term.location.clone()),
            };
            out.push(d.hint(format!(
                "give it to a practice (`{field}`), or remove it from casebook.yaml; an unused term has no page in the catalogue"
            )));
        }
    };
    report(&site.config.topics, &topics, "topic", "topics: [...]");
    report(
        &site.config.programmes,
        &programmes,
        "programme",
        "programme: ...",
    );
    out
}

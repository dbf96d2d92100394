//! A translation file made from translated texts and body: the front matter holds the
//! per-language fields (`title`, `summary`, `key_figures`…) in the translation's language
//! and the version of the source it was made from; an existing translation keeps the rest
//! of its front matter (its dates, `draft`, comments, any shared field it gives) as it
//! was written.

use std::collections::BTreeMap;

use crate::document::Document;
use crate::input::front_matter::{self, top_level_entries};

use super::record;
use super::source::Source;

/// The front matter fields a translation writes in its own language.
pub fn translated_fields(source: &Source) -> &'static [&'static str] {
    match source.document {
        Document::Page(_) => &["title", "menu_title", "summary"],
        _ => &[
            "title",
            "subtitle",
            "city",
            "region",
            "partners",
            "owner",
            "key_figures",
            "summary",
            "image",
        ],
    }
}

/// A text as a YAML scalar: plain where YAML reads it back unchanged as a string, else
/// double-quoted.
pub fn scalar(s: &str) -> String {
    let first = s.chars().next();
    let plain = !s.is_empty()
        && s.trim() == s
        && !first.is_some_and(|c| "-?:,[]{}#&*!|>'\"%@`+.".contains(c) || c.is_ascii_digit())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(|c| c.is_control())
        && ![
            "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
        ]
        .contains(&s.to_ascii_lowercase().as_str());
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// What a translation is made of: its texts (by key, as
/// [`crate::document::translatable::Text::key`] names them) and its body.
pub struct Translated<'a> {
    /// The source.
    pub source: &'a Source,
    /// The translation as it is now, if there is one.
    pub existing: Option<&'a Source>,
    /// The translated texts.
    pub texts: &'a BTreeMap<String, String>,
    /// The translated body.
    pub body: &'a str,
    /// The date a new translation is published, `YYYY-MM-DD`.
    pub today: &'a str,
}

impl Translated<'_> {
    /// The entry of front matter field `key`, if the translation has it.
    fn entry(&self, key: &str) -> Option<String> {
        let t = |k: &str| self.texts.get(k).map(|v| scalar(v));
        let indexed = |prefix: &str| -> Vec<(usize, String)> {
            let mut v: Vec<(usize, String)> = self
                .texts
                .keys()
                .filter_map(|k| {
                    let rest = k.strip_prefix(prefix)?;
                    let n: usize = rest.split('.').next()?.parse().ok()?;
                    Some((n, k.clone()))
                })
                .collect();
            v.sort();
            v.dedup_by_key(|(n, _)| *n);
            v
        };
        let practice = |s: &Source| match &s.document {
            Document::Practice(p) => Some(p.clone()),
            _ => None,
        };
        match key {
            "partners" => {
                let items = indexed("partners.");
                (!items.is_empty()).then(|| {
                    let lines: String = items
                        .iter()
                        .filter_map(|(_, k)| t(k))
                        .map(|v| format!("  - {v}\n"))
                        .collect();
                    format!("partners:\n{lines}")
                })
            }
            "key_figures" => {
                let items = indexed("key_figures.");
                (!items.is_empty()).then(|| {
                    let lines: String = items
                        .iter()
                        .map(|(n, _)| {
                            let v = self
                                .texts
                                .get(&format!("key_figures.{n}.value"))
                                .cloned()
                                .unwrap_or_default();
                            let l = t(&format!("key_figures.{n}.label")).unwrap_or_default();
                            format!(
                                "  - value: {}\n    label: {l}\n",
                                serde_json::to_string(&v).unwrap_or_default()
                            )
                        })
                        .collect();
                    format!("key_figures:\n{lines}")
                })
            }
            "owner" => {
                let organisation = t("owner.organisation")?;
                let url = self
                    .existing
                    .and_then(practice)
                    .and_then(|p| p.owner.and_then(|o| o.url))
                    .or_else(|| practice(self.source).and_then(|p| p.owner.and_then(|o| o.url)));
                let url = url
                    .map(|u| format!("  url: {}\n", scalar(&u)))
                    .unwrap_or_default();
                Some(format!("owner:\n  organisation: {organisation}\n{url}"))
            }
            "image" => {
                let alt = t("image.alt")?;
                let src = practice(self.source).and_then(|p| p.facets.image.map(|i| i.value))?;
                Some(format!("image:\n  src: {}\n  alt: {alt}\n", scalar(&src)))
            }
            _ => t(key).map(|v| format!("{key}: {v}\n")),
        }
    }

    /// The translation file's text.
    pub fn file(&self) -> String {
        let fields = translated_fields(self.source);
        let mut generated: Vec<(&str, String)> = fields
            .iter()
            .filter_map(|k| Some((*k, self.entry(k)?)))
            .collect();
        let mut yaml = String::new();
        let existing_yaml = self.existing.and_then(|e| {
            front_matter::split(&e.file.text)
                .ok()
                .map(|s| s.yaml.to_string())
        });
        match existing_yaml {
            Some(old) => {
                for (key, text) in top_level_entries(&old) {
                    if key == record::FIELD {
                        continue;
                    }
                    if !fields.contains(&key.as_str()) {
                        yaml.push_str(&text);
                        if !text.ends_with('\n') {
                            yaml.push('\n');
                        }
                        continue;
                    }
                    if let Some(i) = generated.iter().position(|(k, _)| *k == key) {
                        let (_, entry) = generated.remove(i);
                        yaml.extend(
                            text.lines()
                                .take_while(|l| l.starts_with('#') || l.trim().is_empty())
                                .map(|l| format!("{l}\n")),
                        );
                        yaml.push_str(&entry);
                    }
                }
                for (_, entry) in generated {
                    yaml.push_str(&entry);
                }
            }
            None => {
                for (_, entry) in generated {
                    yaml.push_str(&entry);
                }
                match &self.source.document {
                    Document::Page(p) => {
                        if let Some(menu) = p.menu {
                            yaml.push_str(&format!("menu: {menu}\n"));
                        }
                    }
                    _ => yaml.push_str(&format!("published: {}\n", self.today)),
                }
            }
        }
        yaml.push_str(&format!(
            "{}: {}\n",
            record::FIELD,
            self.source.fingerprint()
        ));
        format!("---\n{yaml}---\n{}", self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::scalar;

    #[test]
    fn scalars_are_plain_where_yaml_reads_them_back() {
        assert_eq!(scalar("Pactos de colaboración"), "Pactos de colaboración");
        assert_eq!(scalar("CO-CITY: pacts"), "\"CO-CITY: pacts\"");
        assert_eq!(scalar("#MarketPlace"), "\"#MarketPlace\"");
        assert_eq!(scalar("50 pactos"), "\"50 pactos\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("L'Hospitalet"), "L'Hospitalet");
        assert_eq!(scalar("'quoted'"), "\"'quoted'\"");
        assert_eq!(scalar("say \"hi\""), "say \"hi\"");
        assert_eq!(scalar(""), "\"\"");
    }

    #[test]
    fn scalars_read_back_as_written() {
        #[derive(serde::Deserialize)]
        struct Field {
            k: String,
        }
        for v in [
            "CO-CITY: pacts",
            "#tag",
            "- item",
            "[list]",
            "{map}",
            "a # b",
            "a:",
            "50",
            "3.7",
            "2024-01-01",
            "true",
            "No",
            "~",
            "null",
            "'q'",
            "\"q\"",
            "tab\there",
            "back\\slash",
            "*alias",
            "&anchor",
            "!tag",
            "|",
            ">",
            "%",
            "@",
            "`",
            "ñandú",
            "a: b: c",
            " lead",
            "trail ",
            "?",
            ",",
            ".inf",
            "0x1F",
            "+1",
        ] {
            let yaml = format!("k: {}\n", scalar(v));
            let f: Field = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
            assert_eq!(f.k, v, "{yaml}");
        }
    }
}

//! YAML parsing shared by front matter, casebook.yaml and i18n files: one set of parser
//! options, errors turned into located diagnostics, and a map type that keeps key positions.

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_saphyr::{MessageFormatter, Spanned, UserMessageFormatter};

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::yaml_mistakes::{self, Mistake};

/// The deepest a YAML file of casebook's may nest its lists and maps. The deepest any needs
/// is four or five levels (casebook.yaml's taxonomies: topics, a term, its labels); the
/// limit keeps the parser's recursion well within a thread's stack, in a debug build too,
/// whatever a file holds.
pub const MAX_NESTING: usize = 16;

/// The parser's options for every YAML text casebook reads.
pub fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        with_snippet: false,
        // Every file is a map: its flow lists and maps sit at least one level down.
        budget: serde_saphyr::budget! {
            max_depth: MAX_NESTING,
            flow_nesting_limit: MAX_NESTING - 1,
        },
    }
}

/// A YAML text and where it sits in its file, so errors point at the file's own lines.
#[derive(Clone, Copy)]
pub struct YamlSource<'a> {
    /// The YAML text.
    pub text: &'a str,
    /// The whole file, for showing the offending line.
    pub file_text: &'a str,
    /// The file, as shown to the user.
    pub file: &'a Path,
    /// The file line of the YAML's first line (1-based).
    pub first_line: usize,
}

impl YamlSource<'_> {
    /// The file location of a YAML-relative line and column.
    pub fn location(&self, line: u64, column: u64) -> Location {
        if line == 0 {
            return Location::new(self.file, self.first_line.saturating_sub(1).max(1), 1);
        }
        Location::new(
            self.file,
            self.first_line + line as usize - 1,
            column as usize,
        )
    }

    /// The file location of a spanned value.
    pub fn at<T>(&self, spanned: &Spanned<T>) -> Location {
        self.location(spanned.referenced.line(), spanned.referenced.column())
    }

    /// A diagnostic pointing at `spanned`, with the offending line attached.
    pub fn diag<T>(
        &self,
        code: Code,
        spanned: &Spanned<T>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let len = spanned.referenced.span().len() as usize;
        Diagnostic::new(code, message).at_source(self.at(spanned), self.file_text, len)
    }

    /// Deserializes the text, turning a parse error into a located diagnostic. A mistake
    /// YAML accepts silently but that changes a value (`title: #MarketPlace` is a comment) is
    /// an error too.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        let value = serde_saphyr::from_str_with_options::<T>(self.text, options())
            .map_err(|e| self.error(&e))?;
        match yaml_mistakes::silent(self.text, self.offset()) {
            Some(m) => Err(self.mistake(m)),
            None => Ok(value),
        }
    }

    /// What to add to a YAML line number to get the file's.
    fn offset(&self) -> usize {
        self.first_line.saturating_sub(1)
    }

    /// A diagnostic for a mistake found in the text.
    fn mistake(&self, m: Mistake) -> Diagnostic {
        let location = self.location(m.line as u64, m.column as u64);
        let mut diag = Diagnostic::new(Code::YamlSyntax, m.message)
            .at_source(location, self.file_text, m.len)
            .hint(m.hint);
        if let Some((line, column, message)) = m.other {
            diag = diag.note(self.location(line as u64, column as u64), message);
        }
        diag
    }

    fn error(&self, err: &serde_saphyr::Error) -> Diagnostic {
        let message = UserMessageFormatter
            .format_message(err.without_snippet())
            .into_owned();
        let (line, column) = err
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        // Too deep: the budget's depth, or the parser's own limit on `[[[[…` (which it finds
        // first when the brackets run far past the budget's).
        let too_deep = matches!(
            err.without_snippet(),
            serde_saphyr::Error::Budget {
                breach: serde_saphyr::budget::BudgetBreach::Depth { .. },
                ..
            }
        ) || message == "recursion limit exceeded";
        if too_deep {
            return Diagnostic::new(
                Code::YamlSyntax,
                format!("lists and maps are nested here more than {MAX_NESTING} levels deep"),
            )
            .at_source(self.location(line, column), self.file_text, 1)
            .hint("no field needs this much nesting: look for a stray `-` or `[` repeated on this line or the lines above");
        }
        let code = classify(&message);
        // The common mistakes, said plainly with the corrected line; a type error only when
        // the mistake is on its line (`topics:` then `-poverty`).
        if matches!(code, Code::YamlSyntax | Code::WrongType)
            && let Some(m) =
                yaml_mistakes::explain(self.text, line as usize, &message, self.offset())
            && (code == Code::YamlSyntax || m.line == line as usize)
        {
            return self.mistake(m);
        }
        let location = self.location(line, column);
        let mut diag =
            Diagnostic::new(code, message.clone()).at_source(location.clone(), self.file_text, 1);

        let key = (location.line > 0)
            .then(|| self.file_text.lines().nth(location.line - 1))
            .flatten()
            .and_then(line_key)
            .map(str::to_string);
        if code != Code::UnknownField
            && let Some(plain) = yaml_mistakes::plain_message(&message, key.as_deref())
        {
            diag.message = plain;
        }
        if let Some(hint) = hint_for(code, &message, key.as_deref()) {
            diag = diag.hint(hint);
        }
        diag
    }
}

fn classify(message: &str) -> Code {
    if message.starts_with("unknown field") {
        Code::UnknownField
    } else if message.starts_with("invalid type")
        || message.starts_with("expected")
        || message.starts_with("invalid length")
        || message.starts_with("invalid value")
    {
        Code::WrongType
    } else {
        Code::YamlSyntax
    }
}

/// The mapping key written on a source line, e.g. `title` for `  title: CO-CITY`.
fn line_key(line: &str) -> Option<&str> {
    let trimmed = line.trim_start().trim_start_matches("- ");
    let (key, _) = trimmed.split_once(':')?;
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-'))
    .then_some(key)
}

fn hint_for(code: Code, message: &str, key: Option<&str>) -> Option<String> {
    match code {
        Code::UnknownField => {
            let unknown = message.split('`').nth(1)?;
            let expected: Vec<&str> = message
                .split("expected one of ")
                .nth(1)
                .map(|s| s.split(", ").map(|w| w.trim_matches('`')).collect())
                .unwrap_or_default();
            Some(
                match crate::suggest::closest(unknown, expected.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`? Field names are case-sensitive."),
                    None => format!(
                        "remove `{unknown}`; the fields allowed here are: {}",
                        expected.join(", ")
                    ),
                },
            )
        }
        Code::WrongType => {
            let example = key.and_then(field_example);
            Some(match (key, example) {
                (Some(k), Some(ex)) => format!("`{k}` is written like this: `{ex}`"),
                (Some(k), None) => format!(
                    "check the value of `{k}` against the front matter reference in README.md"
                ),
                _ => "check this value against the front matter reference in README.md".into(),
            })
        }
        _ => {
            if message.contains("too large or too complex") {
                Some("the YAML expands to too many values, as an alias bomb does (`&a` and `*a` repeated): write the values out instead of referring to them".into())
            } else if message.contains("duplicate") {
                Some("each key may appear only once in a mapping; delete one of them".into())
            } else if message.contains("tab") {
                Some("YAML indentation must use spaces, not tabs".into())
            } else {
                Some("YAML is sensitive to indentation and to `:` inside values; quote values that contain `: ` or start with `#`, `[`, `{`, `&`, `*`, `@`".into())
            }
        }
    }
}

/// A valid example for each well-known field, used in type-error hints.
fn field_example(key: &str) -> Option<&'static str> {
    Some(match key {
        "title" => "title: CO-CITY",
        "subtitle" => "subtitle: Urban commons against poverty",
        "city" => "city: Turin",
        "region" => "region: Piedmont",
        "country" => "country: IT",
        "coordinates" => "coordinates: [45.07, 7.69]",
        "programme" => "programme: uia",
        "topics" => "topics: [urban-commons, poverty]",
        "level" => "level: local",
        "start" => "start: 2017-03",
        "end" => "end: 2020-02",
        "budget" => "budget: { total: 5100000, eu: 4080000, currency: EUR }",
        "total" | "eu" => "total: 5100000",
        "currency" => "currency: EUR",
        "partners" => "partners: [City of Turin, University of Turin]",
        "owner" => "owner: { organisation: City of Turin, url: https://www.comune.torino.it/ }",
        "key_figures" => "key_figures: [{ value: \"50\", label: pacts signed }]",
        "summary" => "summary: One paragraph of plain text.",
        "published" => "published: 2021-03-01",
        "updated" => "updated: 2022-01-10",
        "draft" => "draft: true",
        "related" => "related: [b-mincome]",
        "image" => "image: { src: images/cumiana15.jpg, alt: The Cumiana 15 hub }",
        "menu" => "menu: 2",
        "paginate" => "paginate: 24",
        "languages" => "languages: [en, es]",
        _ => return None,
    })
}

/// A YAML mapping whose keys keep their source positions, in file order.
#[derive(Debug)]
pub struct SpannedMap<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for SpannedMap<V> {
    fn default() -> Self {
        SpannedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = SpannedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(SpannedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        title: Option<String>,
        #[allow(dead_code)]
        terms: Option<SpannedMap<String>>,
    }

    fn src(text: &str) -> YamlSource<'_> {
        YamlSource {
            text,
            file_text: text,
            file: Path::new("f.md"),
            first_line: 1,
        }
    }

    #[test]
    fn unknown_field_gets_suggestion_and_location() {
        let err = src("title: a\ntitel: b\n").parse::<Doc>().unwrap_err();
        assert_eq!(err.code, Code::UnknownField);
        assert_eq!(err.location.unwrap().line, 2);
        assert!(err.hint.unwrap().contains("did you mean `title`"));
    }

    #[test]
    fn wrong_type_names_the_field() {
        let err = src("title: [a]\n").parse::<Doc>().unwrap_err();
        assert_eq!(err.code, Code::WrongType);
        assert!(err.hint.unwrap().contains("title: CO-CITY"));
    }

    #[test]
    fn lines_are_shifted_by_the_first_line() {
        let text = "---\ntitle: [a]\n---\n";
        let source = YamlSource {
            text: "title: [a]\n",
            file_text: text,
            file: Path::new("f.md"),
            first_line: 2,
        };
        let err = source.parse::<Doc>().unwrap_err();
        let loc = err.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 8));
        assert_eq!(err.source_line.as_deref(), Some("title: [a]"));
    }

    #[test]
    fn spanned_map_keeps_key_positions() {
        let doc: Doc = src("terms:\n  a: x\n  b: y\n").parse().unwrap();
        let terms = doc.terms.unwrap();
        assert_eq!(terms.0[1].0.value, "b");
        assert_eq!(terms.0[1].0.referenced.line(), 3);
    }
}

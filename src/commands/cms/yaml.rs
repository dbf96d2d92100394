//! A small YAML writer for the generated part of the CMS's config.yml: block style, keys in
//! the order given, strings quoted whenever a plain scalar could be read as something else.
//! Same tree, same bytes.

use std::fmt::Write;

/// A YAML value: what config.yml needs and nothing more.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    /// A string, quoted when needed.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A sequence.
    List(Vec<Yaml>),
    /// A mapping, in this order.
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// A mapping from `(key, value)` pairs.
    pub fn map<const N: usize>(pairs: [(&str, Yaml); N]) -> Yaml {
        Yaml::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// Adds `key: value` at the end of a mapping (nothing for other values).
    pub fn push(&mut self, key: &str, value: Yaml) {
        if let Yaml::Map(m) = self {
            m.push((key.to_string(), value));
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// `Yaml::Str` from anything string-like.
pub fn s(text: impl Into<String>) -> Yaml {
    Yaml::Str(text.into())
}

/// A list of strings.
pub fn strs<'a>(items: impl IntoIterator<Item = &'a str>) -> Yaml {
    Yaml::List(items.into_iter().map(s).collect())
}

/// Writes `value` as a block of YAML at indentation 0 (a mapping's keys each on a line).
pub fn to_string(value: &Yaml) -> String {
    let mut out = String::new();
    block(value, 0, &mut out);
    out
}

fn block(value: &Yaml, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Yaml::Map(pairs) => {
            for (k, v) in pairs {
                let _ = write!(out, "{pad}{k}:");
                after_key(v, indent, out);
            }
        }
        Yaml::List(items) => {
            for item in items {
                let _ = write!(out, "{pad}- ");
                match item {
                    Yaml::Map(pairs) if !pairs.is_empty() => {
                        // The first key goes on the dash's line, the others below it.
                        let mut inner = String::new();
                        block(item, indent + 2, &mut inner);
                        out.push_str(&inner[indent + 2..]);
                    }
                    _ => {
                        out.push_str(&inline(item));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", inline(other));
        }
    }
}

fn after_key(v: &Yaml, indent: usize, out: &mut String) {
    match v {
        Yaml::Map(p) if !p.is_empty() => {
            out.push('\n');
            block(v, indent + 2, out);
        }
        // Short lists of scalars fit on the key's line.
        Yaml::List(items)
            if !items.is_empty()
                && items
                    .iter()
                    .all(|i| !matches!(i, Yaml::Map(_) | Yaml::List(_)))
                && inline(v).len() <= 80 =>
        {
            let _ = writeln!(out, " {}", inline(v));
        }
        Yaml::List(items) if !items.is_empty() => {
            out.push('\n');
            block(v, indent + 2, out);
        }
        _ => {
            let _ = writeln!(out, " {}", inline(v));
        }
    }
}

/// A value in flow style, on one line.
fn inline(value: &Yaml) -> String {
    match value {
        Yaml::Str(text) => scalar(text),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(n) => n.to_string(),
        Yaml::List(items) => format!(
            "[{}]",
            items.iter().map(inline).collect::<Vec<_>>().join(", ")
        ),
        Yaml::Map(pairs) => format!(
            "{{ {} }}",
            pairs
                .iter()
                .map(|(k, v)| format!("{k}: {}", inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A string as a plain scalar when that reads back as the same string, else double-quoted
/// (JSON's escapes are YAML's).
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '/' | '(' | ')'))
        && text.chars().next().is_some_and(char::is_alphabetic)
        && !text.ends_with(' ')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_block_yaml_that_quotes_what_needs_it() {
        let v = Yaml::map([
            ("name", s("practices")),
            ("locales", strs(["en", "es"])),
            (
                "fields",
                Yaml::List(vec![
                    Yaml::map([("name", s("title")), ("required", Yaml::Bool(true))]),
                    Yaml::map([
                        ("name", s("yes")),
                        ("pattern", strs(["^[0-9]{4}$", "A year"])),
                    ]),
                ]),
            ),
            ("empty", Yaml::List(vec![])),
        ]);
        assert_eq!(
            to_string(&v),
            "name: practices\nlocales: [en, es]\nfields:\n  - name: title\n    required: true\n  - name: \"yes\"\n    pattern: [\"^[0-9]{4}$\", A year]\nempty: []\n"
        );
    }
}

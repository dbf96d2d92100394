//! The columns casebook knows and what their cells hold: a front-matter field's name
//! (`title`), a name of casebook's CSV export (`budget_total`, `latitude`, `image_url`),
//! `slug`, `lang`, `body`, a declared field's name, or one of these with a language suffix
//! (`title_es`, `body_es`) for a per-language field.

use super::fields::{Given, Origin, Scope, Value, number, scope};
use super::source::{Input, at};
use crate::diagnostics::{Code, Diagnostic};
use crate::input::config::{Config, FieldKind};

/// How a cell is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parse {
    /// Text, written as a YAML string (dates too: the practice parser checks them).
    Text,
    /// A date (the practice parser checks it).
    Date,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// Terms or slugs, separated by `;` or `,`.
    Terms,
    /// Texts separated by `;` (a text may hold a comma).
    Items,
    /// Key figures, `value label` separated by `;`.
    Figures,
    /// The latitude of `coordinates`.
    Latitude,
    /// The longitude of `coordinates`.
    Longitude,
    /// `lat, lon` in one cell.
    Coordinates,
    /// The image: a path under `static/`, an https URL, or the site's absolute URL of a
    /// static file (as the export writes it).
    ImageUrl,
    /// The practice's slug.
    Slug,
    /// The row's language.
    Lang,
    /// The Markdown body.
    Body,
}

/// Columns of casebook's CSV export that say nothing to import: they are made by the build.
const EXPORT_ONLY: &[&str] = &["url", "languages", "fallback", "adapted_from"];

/// The built-in columns: name, front-matter key, how a cell is read.
const BUILT_IN: &[(&str, &str, Parse)] = &[
    ("slug", "slug", Parse::Slug),
    ("lang", "lang", Parse::Lang),
    ("title", "title", Parse::Text),
    ("subtitle", "subtitle", Parse::Text),
    ("city", "city", Parse::Text),
    ("region", "region", Parse::Text),
    ("country", "country", Parse::Text),
    ("latitude", "coordinates", Parse::Latitude),
    ("longitude", "coordinates", Parse::Longitude),
    ("coordinates", "coordinates", Parse::Coordinates),
    ("programme", "programme", Parse::Text),
    ("topics", "topics", Parse::Terms),
    ("level", "level", Parse::Text),
    ("start", "start", Parse::Date),
    ("end", "end", Parse::Date),
    ("budget_total", "budget.total", Parse::Number),
    ("budget_eu", "budget.eu", Parse::Number),
    ("budget_currency", "budget.currency", Parse::Text),
    ("partners", "partners", Parse::Items),
    ("owner_organisation", "owner.organisation", Parse::Text),
    ("owner_url", "owner.url", Parse::Text),
    ("key_figures", "key_figures", Parse::Figures),
    ("summary", "summary", Parse::Text),
    ("published", "published", Parse::Date),
    ("updated", "updated", Parse::Date),
    ("draft", "draft", Parse::Bool),
    ("related", "related", Parse::Terms),
    ("adapted_by", "adapted_by", Parse::Items),
    ("image_url", "image.src", Parse::ImageUrl),
    ("image", "image.src", Parse::ImageUrl),
    ("image_src", "image.src", Parse::ImageUrl),
    ("image_alt", "image.alt", Parse::Text),
    ("body", "body", Parse::Body),
];

fn declared(kind: FieldKind) -> Parse {
    match kind {
        FieldKind::Number => Parse::Number,
        FieldKind::Boolean => Parse::Bool,
        FieldKind::List => Parse::Items,
        FieldKind::Terms => Parse::Terms,
        FieldKind::Date => Parse::Date,
        FieldKind::Text | FieldKind::Markdown | FieldKind::Url => Parse::Text,
        FieldKind::Term => Parse::Text,
    }
}

/// The column `name` (lowercase): its key, how it is read (`None`: left out), and the
/// language of a suffixed column.
pub fn column(config: &Config, name: &str) -> Option<(String, Option<Parse>, Option<String>)> {
    if EXPORT_ONLY.contains(&name) {
        return Some((name.to_string(), None, None));
    }
    if let Some(found) = exact(config, name) {
        return Some((found.0, Some(found.1), None));
    }
    // `title_es`: a per-language column in another language.
    let (base, lang) = name.rsplit_once('_')?;
    if !config.has_language(lang) {
        return None;
    }
    let (key, parse) = exact(config, base)?;
    let per_language = key == "body" || scope(config, &key) == Some(Scope::Language);
    per_language.then(|| (key, Some(parse), Some(lang.to_string())))
}

fn exact(config: &Config, name: &str) -> Option<(String, Parse)> {
    if let Some((_, key, parse)) = BUILT_IN.iter().find(|(n, _, _)| *n == name) {
        return Some((key.to_string(), *parse));
    }
    config
        .fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| (f.name.clone(), declared(f.kind)))
}

/// Every column name casebook knows, for "did you mean".
pub fn column_names(config: &Config) -> Vec<String> {
    let mut names: Vec<String> = BUILT_IN.iter().map(|(n, _, _)| n.to_string()).collect();
    names.extend(config.fields.iter().map(|f| f.name.clone()));
    names.extend(EXPORT_ONLY.iter().map(|n| n.to_string()));
    names
}

/// A site language, from a `lang` cell; else the message and hint.
pub fn language(config: &Config, written: &str) -> Result<String, (String, String)> {
    if config.has_language(written) {
        return Ok(written.to_string());
    }
    let site = config.languages.join(", ");
    let hint = match crate::input::language_codes::suggest(written, &config.languages) {
        Some(s) if config.has_language(&s.code) => format!(
            "did you mean `{}`? {}The site's languages: {site}",
            s.code,
            s.why.map(|w| format!("{w}. ")).unwrap_or_default()
        ),
        _ => format!(
            "the site's languages are {site}; add `{written}` to `languages` in casebook.yaml first"
        ),
    };
    Err((format!("`{written}` is not a language of the site"), hint))
}

/// A cell as written before casebook's export defused it for spreadsheets (`'=x` → `=x`).
pub fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '@', '+', '-', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The path of an image under `static/` from what the export writes: the site's absolute
/// URL of the file (`https://example.org/images/a.jpg` → `images/a.jpg`).
pub fn image_src(written: &str, base_url: &str) -> String {
    match written.strip_prefix(base_url) {
        Some(rest) if !base_url.is_empty() => rest.to_string(),
        _ => written.to_string(),
    }
}

/// `coordinates` from `latitude` and `longitude` (or one `coordinates` cell).
#[derive(Debug, Default)]
pub struct Coordinates {
    latitude: Option<(f64, Origin)>,
    longitude: Option<(f64, Origin)>,
    both: Option<(f64, f64, Origin)>,
}

impl Coordinates {
    /// `[lat, lon]`, when the row gives them; a problem when it gives only one.
    pub fn value(&self, input: &Input) -> Result<Option<Given>, Diagnostic> {
        let (lat, lon, origin) = match (&self.latitude, &self.longitude, &self.both) {
            (_, _, Some((lat, lon, o))) => (*lat, *lon, o.clone()),
            (Some((lat, o)), Some((lon, _)), None) => (*lat, *lon, o.clone()),
            (Some((_, o)), None, None) | (None, Some((_, o)), None) => {
                return Err(at(
                    input,
                    o,
                    Code::BadValue,
                    "the row gives only one of `latitude` and `longitude`",
                )
                .hint("give both, in degrees (`45.07` and `7.69`), or neither"));
            }
            (None, None, None) => return Ok(None),
        };
        Ok(Some(Given {
            value: Value::Raw(format!("[{}, {}]", number(lat), number(lon))),
            origin,
        }))
    }
}

fn parse_number(input: &Input, cell: &str, origin: &Origin) -> Result<f64, Diagnostic> {
    match cell.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        _ => Err(at(
            input,
            origin,
            Code::WrongType,
            format!("`{cell}` in column `{}` is not a number", origin.name),
        )
        .hint("write plain numbers with a dot for decimals and no thousands separators: `5100000`, `45.07`")),
    }
}

/// The value of one cell, or `None` for an empty one.
pub fn value(
    input: &Input,
    config: &Config,
    parse: Parse,
    cell: &str,
    origin: &Origin,
    coordinates: &mut Coordinates,
) -> Result<Option<Value>, Diagnostic> {
    if cell.trim().is_empty() {
        return Ok(None);
    }
    let split = |seps: &[char]| -> Vec<String> {
        cell.split(seps)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    Ok(Some(match parse {
        Parse::Text | Parse::Slug | Parse::Lang | Parse::Body => Value::Text(cell.to_string()),
        Parse::Date => super::fields::date(cell),
        Parse::Number => Value::Raw(number(parse_number(input, cell, origin)?)),
        Parse::Bool => match cell.to_ascii_lowercase().as_str() {
            "true" => Value::Raw("true".into()),
            "false" => Value::Raw("false".into()),
            _ => {
                return Err(at(
                    input,
                    origin,
                    Code::WrongType,
                    format!("`{cell}` in column `{}` is not true or false", origin.name),
                )
                .hint("write `true` or `false` (or leave the cell empty)"));
            }
        },
        Parse::Terms => Value::List(split(&[';', ','])),
        Parse::Items => Value::List(split(&[';'])),
        Parse::Figures => Value::Figures(
            split(&[';'])
                .into_iter()
                .map(|f| match f.split_once(char::is_whitespace) {
                    Some((v, l)) => (v.to_string(), l.trim().to_string()),
                    None => (f, String::new()),
                })
                .collect(),
        ),
        Parse::Latitude => {
            coordinates.latitude = Some((parse_number(input, cell, origin)?, origin.clone()));
            return Ok(None);
        }
        Parse::Longitude => {
            coordinates.longitude = Some((parse_number(input, cell, origin)?, origin.clone()));
            return Ok(None);
        }
        Parse::Coordinates => {
            let parts: Vec<&str> = cell
                .trim_matches(['[', ']'])
                .split([',', ';'])
                .map(str::trim)
                .collect();
            let [lat, lon] = parts.as_slice() else {
                return Err(at(
                    input,
                    origin,
                    Code::BadValue,
                    format!("`{cell}` is not `latitude, longitude`"),
                )
                .hint("write the two numbers in degrees, latitude first: `45.07, 7.69`"));
            };
            coordinates.both = Some((
                parse_number(input, lat, origin)?,
                parse_number(input, lon, origin)?,
                origin.clone(),
            ));
            return Ok(None);
        }
        Parse::ImageUrl => Value::Text(image_src(cell, &config.base_url)),
    }))
}

#[cfg(test)]
mod tests {
    use super::{image_src, undefuse};

    #[test]
    fn cells_read_back_what_the_export_wrote() {
        assert_eq!(undefuse("'=1+2"), "=1+2");
        assert_eq!(undefuse("'-cmd"), "-cmd");
        assert_eq!(undefuse("L'Hospitalet"), "L'Hospitalet");
        assert_eq!(undefuse("'quoted'"), "'quoted'");
        assert_eq!(
            image_src("https://example.org/images/a.jpg", "https://example.org/"),
            "images/a.jpg"
        );
        assert_eq!(
            image_src("https://cdn.example.net/a.jpg", "https://example.org/"),
            "https://cdn.example.net/a.jpg"
        );
        assert_eq!(image_src("images/a.jpg", ""), "images/a.jpg");
    }
}

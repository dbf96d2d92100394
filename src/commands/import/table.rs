//! A CSV file as imported practices: UTF-8 with or without a byte-order mark, comma,
//! semicolon or tab (whichever the header line uses most), one row per practice and
//! language (a `lang` column) or one row per practice with `title_es`-style columns, or
//! both. Columns are named like front-matter fields, or as casebook's own CSV export names
//! them; `--map` renames others. Rows are counted as a spreadsheet shows them (the header
//! is row 1) and columns from 1.

use std::collections::BTreeMap;

use super::cells::{self, Parse};
use super::fields::{Given, Origin, Practice, Scope, Value, Version, scope};
use super::header::{Column, header_columns};
use super::source::{Input, at};
use crate::diagnostics::{Code, Diagnostic};
use crate::input::config::Config;
use crate::input::file_name::suggest_slug;

/// The delimiter the header line uses most, outside quotes: `,`, `;` or a tab.
fn delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// Reads the practices of a CSV file; problems of the file as a whole (its header) are
/// returned as `Err`, problems of a row are the practice's (or, for a row that makes no
/// practice, in the second list).
pub fn read(
    input: &Input,
    config: &Config,
    map: &[(String, String)],
) -> Result<(Vec<Practice>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&input.text))
        .has_headers(false)
        .flexible(true)
        .from_reader(input.text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![csv_error(input, &e)]),
        None => {
            return Err(vec![
                at(
                    input,
                    &Origin::default(),
                    Code::ImportInvalid,
                    "the file is empty",
                )
                .hint("the first row names the columns: slug, lang, title, summary…"),
            ]);
        }
    };
    let columns = header_columns(input, config, map, &header)?;
    let mut practices: Vec<Practice> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut orphans = Vec::new();
    // A spreadsheet's row: the line the record starts on, less the line breaks inside
    // the cells before it (a blank line is a row too).
    let mut inner_breaks = breaks(&header);
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                orphans.push(csv_error(input, &e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let row = line.saturating_sub(inner_breaks).max(2);
        inner_breaks += breaks(&record);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != columns.len() {
            orphans.push(ragged(input, row, record.len(), columns.len()));
            continue;
        }
        match one_row(input, config, &columns, &record, row) {
            Ok((slug, shared, versions, problems)) => {
                let n = *index.entry(slug.clone()).or_insert_with(|| {
                    practices.push(Practice {
                        slug: slug.clone(),
                        shared: Values::new(),
                        decided: Default::default(),
                        versions: Vec::new(),
                        problems: Vec::new(),
                    });
                    practices.len() - 1
                });
                let p = &mut practices[n];
                p.problems.extend(problems);
                merge(input, p, shared, versions);
            }
            Err(d) => orphans.extend(d),
        }
    }
    Ok((practices, orphans))
}

type Values = super::fields::Values;

/// The line breaks inside the cells of a record.
fn breaks(record: &csv::StringRecord) -> usize {
    record.iter().map(|c| c.matches('\n').count()).sum()
}

/// What one row says: its practice's slug, shared values (with the keys it has columns
/// for), its versions, and the problems of its cells.
type Row = (
    String,
    (Values, BTreeMap<String, Origin>),
    Vec<Version>,
    Vec<Diagnostic>,
);

fn one_row(
    input: &Input,
    config: &Config,
    columns: &[Column],
    record: &csv::StringRecord,
    row: usize,
) -> Result<Row, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let origin = |i: usize| Origin {
        line: row,
        column: i + 1,
        name: columns[i].header.clone(),
    };
    let find = |name: &str| {
        columns
            .iter()
            .position(|c| matches!(&c.parse, Some((k, _)) if k == name) && c.lang.is_none())
    };
    let mut base = config.default_language.clone();
    if let Some(i) = find("lang") {
        let written = record[i].trim();
        if !written.is_empty() {
            match cells::language(config, written) {
                Ok(l) => base = l,
                Err((message, hint)) => {
                    return Err(vec![
                        at(input, &origin(i), Code::UnknownLanguage, message).hint(hint),
                    ]);
                }
            }
        }
    }
    let mut shared = Values::new();
    let mut shared_decided = BTreeMap::new();
    let mut versions: BTreeMap<String, Version> = BTreeMap::new();
    let mut coordinates = cells::Coordinates::default();
    for (i, col) in columns.iter().enumerate() {
        let Some((key, parse)) = &col.parse else {
            continue;
        };
        if matches!(key.as_str(), "slug" | "lang") {
            continue;
        }
        let o = origin(i);
        let cell = cells::undefuse(if *parse == Parse::Body {
            &record[i]
        } else {
            record[i].trim()
        });
        let lang = col.lang.clone().unwrap_or_else(|| base.clone());
        let version = versions.entry(lang.clone()).or_insert_with(|| Version {
            lang,
            origin: Origin {
                line: row,
                column: 1,
                name: String::new(),
            },
            values: Values::new(),
            decided: Default::default(),
            body: None,
        });
        if *parse == Parse::Body {
            if !cell.trim().is_empty() {
                version.body = Some(Given {
                    value: Value::Text(cell.to_string()),
                    origin: o,
                });
            }
            continue;
        }
        let value = match cells::value(input, config, *parse, cell, &o, &mut coordinates) {
            Ok(v) => v,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let key = if matches!(parse, Parse::Latitude | Parse::Longitude) {
            "coordinates".to_string()
        } else {
            key.clone()
        };
        match scope(config, &key) {
            Some(Scope::Shared) => {
                shared_decided.insert(key.clone(), o.clone());
                if let Some(value) = value.filter(|v| !v.is_empty()) {
                    shared.insert(key, Given { value, origin: o });
                }
            }
            _ => {
                version.decided.insert(key.clone(), o.clone());
                if let Some(value) = value.filter(|v| !v.is_empty()) {
                    version.values.insert(key, Given { value, origin: o });
                }
            }
        }
    }
    match coordinates.value(input) {
        Ok(Some(g)) => {
            shared.insert("coordinates".into(), g);
        }
        Ok(None) => {}
        Err(d) => problems.push(d),
    }
    // The row's own language is always a version; a `_es` column makes one when it says
    // something.
    let versions: Vec<Version> = versions
        .into_values()
        .filter(|v| v.lang == base || !v.values.is_empty() || v.body.is_some())
        .collect();
    let slug = match find("slug").map(|i| (i, record[i].trim())) {
        Some((i, s)) if !s.is_empty() => {
            if !crate::input::config::is_slug(s) {
                problems.push(
                    at(input, &origin(i), Code::BadFileName, format!("`{s}` is not a valid slug"))
                        .hint(format!("the slug becomes the file name and the URL: lowercase ASCII letters, digits and hyphens, e.g. `{}`", suggest_slug(s))),
                );
            }
            s.to_string()
        }
        _ => {
            let title = versions
                .iter()
                .find(|v| v.lang == base)
                .into_iter()
                .chain(versions.iter())
                .find_map(|v| match v.values.get("title").map(|g| &g.value) {
                    Some(Value::Text(t)) => Some(t.clone()),
                    _ => None,
                });
            match title {
                Some(t) => suggest_slug(&t),
                None => {
                    return Err(vec![at(
                        input,
                        &Origin { line: row, column: 1, name: String::new() },
                        Code::ImportInvalid,
                        format!("row {row} has neither a slug nor a title"),
                    )
                    .hint("give the practice a `slug` column (lowercase letters, digits and hyphens) or a `title`, from which the slug is made")]);
                }
            }
        }
    };
    Ok((slug, (shared, shared_decided), versions, problems))
}

/// Adds a row's values to its practice: shared values must agree with the rows before.
pub(super) fn merge(
    input: &Input,
    p: &mut Practice,
    shared: (Values, BTreeMap<String, Origin>),
    versions: Vec<Version>,
) {
    let (values, decided) = shared;
    for (k, o) in decided {
        p.decided.entry(k).or_insert(o);
    }
    for (key, given) in values {
        match p.shared.get(&key) {
            Some(first) if first.value != given.value => {
                let d = at(
                    input,
                    &given.origin,
                    Code::FacetConflict,
                    format!(
                        "`{key}` of practice `{}` differs from {} {}",
                        p.slug, unit(input), first.origin.line
                    ),
                )
                .note(
                    super::source::location(input, &first.origin),
                    format!("{} {} gives another `{key}`", unit(input), first.origin.line),
                )
                .hint(format!("`{key}` describes the practice, not a language: give it the same value in every row of `{}`, or leave it empty in all but one", p.slug));
                p.problems.push(d);
            }
            Some(_) => {}
            None => {
                p.shared.insert(key, given);
            }
        }
    }
    for v in versions {
        if let Some(first) = p.versions.iter().find(|f| f.lang == v.lang) {
            let d = at(
                input,
                &v.origin,
                Code::DuplicateSlug,
                format!(
                    "practice `{}` in `{}` is given twice: here and at {} {}",
                    p.slug, v.lang, unit(input), first.origin.line
                ),
            )
            .note(super::source::location(input, &first.origin), "first given here")
            .hint("each practice has one row per language; without a `slug` column, two practices with the same title get the same slug: add one");
            p.problems.push(d);
            continue;
        }
        p.versions.push(v);
    }
}

/// What a place's number counts: CSV rows or JSON lines.
fn unit(input: &Input) -> &'static str {
    if input.csv { "row" } else { "line" }
}

fn ragged(input: &Input, row: usize, cells: usize, expected: usize) -> Diagnostic {
    let column = cells.min(expected) + 1;
    let message = if cells < expected {
        format!("row {row} has {cells} cells; the header has {expected}")
    } else {
        format!("row {row} has {cells} cells; the header has only {expected}")
    };
    at(
        input,
        &Origin {
            line: row,
            column,
            name: String::new(),
        },
        Code::ImportInvalid,
        message,
    )
    .hint("a cell that holds the delimiter or a line break must be in double quotes (`\"Turin, Italy\"`), and a quote inside one is doubled (`\"\"`); a spreadsheet's \"Save as CSV\" does both")
}

fn csv_error(input: &Input, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(0, |p| p.line() as usize);
    at(
        input,
        &Origin {
            line,
            column: 0,
            name: String::new(),
        },
        Code::ImportInvalid,
        format!("the CSV cannot be read: {e}"),
    )
    .hint("save the file again as CSV (UTF-8) from the spreadsheet")
}

#[cfg(test)]
mod tests {
    use super::delimiter;

    #[test]
    fn the_header_line_says_the_delimiter() {
        assert_eq!(delimiter("slug,title,city\na;b;c;d\n"), b',');
        assert_eq!(delimiter("slug;title;\"city, town\"\n"), b';');
        assert_eq!(delimiter("slug\ttitle\tcity\n"), b'\t');
        assert_eq!(delimiter("title\n"), b',');
    }
}

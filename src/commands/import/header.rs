//! The header row of a CSV file: each column understood as a field (after `--map`), with
//! every problem of the header at once: a column casebook does not know (with the closest
//! name), two columns for one field, a `--map` that names no column.

use super::cells::{self, Parse};
use super::fields::Origin;
use super::source::{Input, at, column_letter};
use crate::diagnostics::{Code, Diagnostic};
use crate::input::config::Config;

/// A column of the file, as understood.
#[derive(Debug, Clone)]
pub(super) struct Column {
    /// Its header as written.
    pub(super) header: String,
    /// What it holds; `None` for a column left out (`--map NAME=`, or an export-only
    /// column such as `url`).
    pub(super) parse: Option<(String, Parse)>,
    /// The language of a `title_es`-style column.
    pub(super) lang: Option<String>,
}

/// The columns of the header row, after `--map`; every problem of the header at once.
pub(super) fn header_columns(
    input: &Input,
    config: &Config,
    map: &[(String, String)],
    header: &csv::StringRecord,
) -> Result<Vec<Column>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    for (from, _) in map {
        if !header.iter().any(|h| h.trim().eq_ignore_ascii_case(from)) {
            let guess = crate::suggest::closest(from, header.iter().map(str::trim));
            problems.push(
                at(
                    input,
                    &Origin {
                        line: 1,
                        column: 0,
                        name: String::new(),
                    },
                    Code::ImportInvalid,
                    format!("`--map {from}=…` names a column the file does not have"),
                )
                .hint(match guess {
                    Some(g) => format!("did you mean `{g}`?"),
                    None => format!(
                        "the columns are: {}",
                        header.iter().collect::<Vec<_>>().join(", ")
                    ),
                }),
            );
        }
    }
    for (i, raw) in header.iter().enumerate() {
        let written = if i == 0 {
            raw.trim_start_matches('\u{feff}').trim()
        } else {
            raw.trim()
        };
        let origin = Origin {
            line: 1,
            column: i + 1,
            name: written.to_string(),
        };
        let mapped = map
            .iter()
            .find(|(from, _)| from.eq_ignore_ascii_case(written))
            .map(|(_, to)| to.as_str());
        let name = mapped.unwrap_or(written).to_ascii_lowercase();
        if name.is_empty() {
            columns.push(Column {
                header: written.to_string(),
                parse: None,
                lang: None,
            });
            continue;
        }
        match cells::column(config, &name) {
            Some((key, parse, lang)) => {
                let column = Column {
                    header: written.to_string(),
                    parse: parse.map(|p| (key, p)),
                    lang,
                };
                if let Some(first) = columns.iter().position(|c| {
                    c.parse.is_some() && c.parse == column.parse && c.lang == column.lang
                }) {
                    problems.push(
                        at(
                            input,
                            &origin,
                            Code::ImportInvalid,
                            format!(
                                "column {} (`{written}`) gives the same field as column {} (`{}`)",
                                column_letter(i + 1),
                                column_letter(first + 1),
                                columns[first].header
                            ),
                        )
                        .hint(
                            "keep one of the two columns, or rename one with `--map COLUMN=FIELD`",
                        ),
                    );
                }
                columns.push(column);
            }
            None => {
                let known = cells::column_names(config);
                let guess = crate::suggest::closest(&name, known.iter().map(String::as_str));
                let what = if mapped.is_some() {
                    format!("`--map {written}={name}` names no field casebook knows")
                } else {
                    format!(
                        "column {} (`{written}`) is not a field casebook knows",
                        column_letter(i + 1)
                    )
                };
                columns.push(Column {
                    header: written.to_string(),
                    parse: None,
                    lang: None,
                });
                problems.push(at(input, &origin, Code::ImportInvalid, what).hint(match guess {
                    Some(g) => format!("did you mean `{g}`? Rename the column, or map it: `--map \"{written}={g}\"`; `--map \"{written}=\"` leaves it out"),
                    None => format!("name it like a front-matter field (title, summary, country, topics…), map it with `--map \"{written}=FIELD\"`, or leave it out with `--map \"{written}=\"`; see docs/import.md"),
                }));
            }
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

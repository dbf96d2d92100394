//! Each language's catalogue as CSV (`/{lang}/practices.csv`), for spreadsheets: the same
//! records as the JSON, one row per practice, lists joined by `;`.

use super::{AdopterOut, facets, texts};
use crate::document::FieldValue;
use crate::model::Site;
use crate::output::Pieces;

/// The columns of the CSV files, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "slug",
    "url",
    "lang",
    "languages",
    "fallback",
    "title",
    "subtitle",
    "city",
    "region",
    "country",
    "latitude",
    "longitude",
    "programme",
    "topics",
    "level",
    "start",
    "end",
    "budget_total",
    "budget_eu",
    "budget_currency",
    "partners",
    "owner_organisation",
    "owner_url",
    "key_figures",
    "summary",
    "published",
    "updated",
    "related",
    "adapted_by",
    "adapted_from",
    "image_url",
    "image_alt",
];

/// `/{lang}/practices.csv`: RFC 4180 (comma-separated, CRLF line ends, fields quoted when
/// needed, quotes doubled), UTF-8 without a byte-order mark, one header row, one row per
/// practice in catalogue order. Lists are joined by `;` (a `;` inside an item becomes `,`).
/// A cell that a spreadsheet would run as a formula starts with `'`.
pub fn catalogue_csv(site: &Site, lang: &str) -> Pieces {
    let mut out = Pieces::new();
    let fields = &site.config.fields;
    row(
        &mut out,
        CSV_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .chain(fields.iter().map(|f| f.name.clone())),
    );
    for e in &site.listings[lang].entries {
        let p = &site.practices[e.practice];
        let v = &p.versions[e.version];
        let f = facets(site, p);
        let t = texts(site, p, v);
        let list = |items: &mut dyn Iterator<Item = String>| {
            items
                .map(|s| s.replace(';', ","))
                .collect::<Vec<_>>()
                .join(";")
        };
        let num = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
        let opt = |s: Option<&str>| s.unwrap_or("").to_string();
        let mut cells = vec![
            p.slug.clone(),
            t.url.clone(),
            t.lang.to_string(),
            list(&mut p.versions.iter().map(|x| x.doc.lang.clone())),
            e.fallback.to_string(),
            t.title.to_string(),
            opt(t.subtitle),
            opt(t.city),
            opt(t.region),
            p.country.clone(),
            num(p.coordinates.map(|c| c.0)),
            num(p.coordinates.map(|c| c.1)),
            opt(f.programme),
            list(&mut p.topics.iter().cloned()),
            opt(f.level),
            f.start.clone().unwrap_or_default(),
            f.end.clone().unwrap_or_default(),
            num(p.budget.as_ref().and_then(|b| b.total)),
            num(p.budget.as_ref().and_then(|b| b.eu)),
            opt(p.budget.as_ref().map(|b| b.currency.as_str())),
            list(&mut t.partners.iter().cloned()),
            opt(t.owner.as_ref().map(|o| o.organisation)),
            opt(t.owner.as_ref().and_then(|o| o.url)),
            list(
                &mut t
                    .key_figures
                    .iter()
                    .map(|k| format!("{} {}", k.value, k.label)),
            ),
            t.summary.to_string(),
            t.published.clone(),
            t.updated.clone().unwrap_or_default(),
            list(&mut f.related.iter().map(|s| s.to_string())),
            list(&mut f.adapted_by.iter().map(|a| match a {
                AdopterOut::Slug(s) | AdopterOut::Name(s) => s.to_string(),
            })),
            list(&mut f.adapted_from.iter().map(|s| s.to_string())),
            f.image.clone().unwrap_or_default(),
            opt(t.image_alt),
        ];
        // The declared fields, after the built-in columns, in declaration order.
        cells.extend(fields.iter().map(|spec| {
            let value = p.declared_value(v, spec);
            match value {
                Some(FieldValue::List(items)) => list(&mut items.iter().cloned()),
                Some(FieldValue::Number(n)) => crate::document::number_text(*n),
                Some(other) => other.show(),
                None => String::new(),
            }
        }));
        row(&mut out, cells.into_iter());
    }
    out
}

fn row(out: &mut Pieces, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push_str(",");
        }
        out.push_str(&csv_cell(&cell));
    }
    out.push_str("\r\n");
}

/// One CSV field: formula-looking text defused, quoted when it holds a comma, quote, CR or
/// LF (or leading/trailing spaces), quotes doubled.
pub fn csv_cell(value: &str) -> String {
    let is_number = |s: &str| !s.is_empty() && s.parse::<f64>().is_ok();
    let defused = match value.chars().next() {
        Some('=' | '@' | '\t' | '\r') => format!("'{value}"),
        Some('+' | '-') if !is_number(value) && !is_number(value.trim_end_matches('%')) => {
            format!("'{value}")
        }
        _ => value.to_string(),
    };
    if defused.contains([',', '"', '\r', '\n']) || defused.trim() != defused {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=1+2"), "'=1+2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+500"), "+500");
        assert_eq!(csv_cell("-12%"), "-12%");
        assert_eq!(csv_cell("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
    }
}

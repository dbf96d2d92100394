//! Dates as editors write them (`2017`, `2017-03`, `2017-03-01`), checked and formatted.

use serde::Deserialize;

/// A date with optional month and day.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct PartialDate {
    /// Four-digit year.
    pub year: u16,
    /// 1–12.
    pub month: Option<u8>,
    /// 1–31, only with a month.
    pub day: Option<u8>,
}

/// How a date is written in YAML: a string, or a bare year read as a number.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawDate {
    /// `2017-03`, `"2017-03-01"`.
    Text(String),
    /// `2017`.
    Year(i64),
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. The error says what is wrong.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        PartialDate::parse_in(text, "YYYY, YYYY-MM or YYYY-MM-DD")
    }

    /// [`PartialDate::parse`], for a field that takes `forms`: the error names them.
    fn parse_in(text: &str, forms: &str) -> Result<PartialDate, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let shape_ok = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.len() == 2,
            [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
            _ => false,
        } && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !shape_ok {
            return Err(format!("`{text}` is not a date in the form {forms}"));
        }
        let year: u16 = parts[0]
            .parse()
            .map_err(|_| format!("`{text}` has no valid year"))?;
        if year < 1000 {
            return Err(format!("year {year} is out of range"));
        }
        let month = match parts.get(1) {
            Some(m) => {
                let m: u8 = m.parse().unwrap_or(0);
                if !(1..=12).contains(&m) {
                    return Err(format!("month {m:02} does not exist"));
                }
                Some(m)
            }
            None => None,
        };
        let day = match (parts.get(2), month) {
            (Some(d), Some(m)) => {
                let d: u8 = d.parse().unwrap_or(0);
                let max = days_in_month(year, m);
                if d == 0 || d > max {
                    return Err(format!("{year}-{m:02} has no day {d}"));
                }
                Some(d)
            }
            _ => None,
        };
        Ok(PartialDate { year, month, day })
    }

    /// Parses a YAML date value.
    pub fn from_raw(raw: &RawDate) -> Result<PartialDate, String> {
        PartialDate::read(raw, false)
    }

    /// Parses a YAML date value of a field that takes a `full` date (or any precision):
    /// the error names the forms the field takes. A partial date is not an error here.
    pub fn read(raw: &RawDate, full: bool) -> Result<PartialDate, String> {
        let forms = if full {
            "YYYY-MM-DD"
        } else {
            "YYYY, YYYY-MM or YYYY-MM-DD"
        };
        match raw {
            RawDate::Text(t) => PartialDate::parse_in(t, forms),
            RawDate::Year(y) => PartialDate::parse_in(&y.to_string(), forms),
        }
    }

    /// Whether month and day are both given.
    pub fn is_full(&self) -> bool {
        self.day.is_some()
    }

    /// ISO 8601 text with the precision given: `2017`, `2017-03`, `2017-03-01`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

/// English month names, for reading `March 2017`.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// What a date written another way most likely means, in ISO form: `20/11/2026` is
/// `2026-11-20` (20 can only be a day), `2026/11/20` too, `11.2017` is `2017-11` and
/// `March 2017` is `2017-03`. Two readings when day and month could be either
/// (`05/03/2026`: day first, then month first); none when it cannot be read.
pub fn readings(text: &str) -> Vec<String> {
    let parts: Vec<&str> = text
        .split(['/', '.', '-', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    let number = |p: &str| {
        (p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u16>().ok())
            .flatten()
    };
    let month_name = |p: &str| {
        let p = p.to_lowercase();
        (p.len() >= 3)
            .then(|| MONTHS.iter().position(|m| m.starts_with(&p)))
            .flatten()
            .map(|i| i as u16 + 1)
    };
    let is_year = |p: &str| p.len() == 4 && number(p).is_some();
    let mut out: Vec<String> = Vec::new();
    let mut add = |y: u16, m: u16, d: Option<u16>| {
        let iso = match d {
            Some(d) => format!("{y:04}-{m:02}-{d:02}"),
            None => format!("{y:04}-{m:02}"),
        };
        if PartialDate::parse(&iso).is_ok() && !out.contains(&iso) {
            out.push(iso);
        }
    };
    if let Some(m) = parts.iter().find_map(|p| month_name(p)) {
        // `March 2017`, `1 March 2017`, `March 1, 2017`.
        let year = parts.iter().find(|p| is_year(p)).and_then(|p| number(p));
        let day = parts
            .iter()
            .find(|p| p.len() <= 2 && number(p).is_some())
            .and_then(|p| number(p));
        if let Some(y) = year {
            add(y, m, day);
        }
        return out;
    }
    if let [p] = parts.as_slice()
        && p.len() == 8
        && p.bytes().all(|b| b.is_ascii_digit())
    {
        let digits = |r: std::ops::Range<usize>| p[r].parse::<u16>().unwrap_or(0);
        add(digits(0..4), digits(4..6), Some(digits(6..8)));
        return out;
    }
    let n: Vec<u16> = parts.iter().filter_map(|p| number(p)).collect();
    if n.len() != parts.len() {
        return out;
    }
    match (parts.as_slice(), n.as_slice()) {
        ([y, ..], [_, m, d]) if is_year(y) => add(n[0], *m, Some(*d)),
        ([.., y], [a, b, _]) if is_year(y) => {
            if *a > 12 || *b <= 12 {
                add(n[2], *b, Some(*a));
            }
            if *b > 12 || *a <= 12 {
                add(n[2], *a, Some(*b));
            }
        }
        ([y, _], [_, m]) if is_year(y) => add(n[0], *m, None),
        ([_, y], [m, _]) if is_year(y) => add(n[1], *m, None),
        _ => {}
    }
    out
}

/// How to write a date that did not parse: as the file meant it, when that can be read
/// (`20/11/2026` is `2026-11-20`), else the forms the field takes.
pub fn hint(raw: &RawDate, field: &str, full: bool) -> String {
    let written = match raw {
        RawDate::Text(t) => t.trim().to_string(),
        RawDate::Year(y) => y.to_string(),
    };
    let readings = readings(&written);
    let complete: Vec<&String> = readings.iter().filter(|r| !full || r.len() == 10).collect();
    match complete.as_slice() {
        [one] => format!("write `{field}: {one}` (YYYY-MM-DD, year first)"),
        [a, b] => format!(
            "`{written}` could be read day first or month first: write `{field}: {a}` or `{field}: {b}` (YYYY-MM-DD, year first)"
        ),
        _ if full => match readings.first() {
            Some(month) => format!("`{field}` needs the day too: e.g. `{field}: {month}-01`"),
            None => format!("write `{field}: YYYY-MM-DD`, e.g. `{field}: 2021-03-01`"),
        },
        _ => format!("write `{field}: YYYY`, `YYYY-MM` or `YYYY-MM-DD`, e.g. `{field}: 2017-03`"),
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// The strings that say how a language writes dates.
#[derive(Debug, Clone, Default)]
pub struct DateFormat {
    /// Month names as used alone or with a year (`March`, `marzo`).
    pub months: Vec<String>,
    /// Month names as used after a day, where the language inflects them (`d'abril`).
    pub months_in_date: Vec<String>,
    /// Pattern for a full date, with `{day}`, `{month}` and `{year}`.
    pub full: String,
    /// Pattern for a month and year.
    pub month_year: String,
}

impl DateFormat {
    /// Formats `date` for reading.
    pub fn format(&self, date: &PartialDate) -> String {
        let month_name = |names: &[String], m: u8| {
            names
                .get(m as usize - 1)
                .cloned()
                .unwrap_or_else(|| format!("{m:02}"))
        };
        match (date.month, date.day) {
            (Some(m), Some(d)) => {
                let names = if self.months_in_date.len() == 12 {
                    &self.months_in_date
                } else {
                    &self.months
                };
                self.full
                    .replace("{day}", &d.to_string())
                    .replace("{month}", &month_name(names, m))
                    .replace("{year}", &date.year.to_string())
            }
            (Some(m), None) => self
                .month_year
                .replace("{month}", &month_name(&self.months, m))
                .replace("{year}", &date.year.to_string()),
            _ => date.year.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_precisions() {
        assert_eq!(PartialDate::parse("2017").unwrap().iso(), "2017");
        assert_eq!(PartialDate::parse("2017-03").unwrap().iso(), "2017-03");
        assert_eq!(
            PartialDate::parse("2024-02-29").unwrap().iso(),
            "2024-02-29"
        );
        assert!(PartialDate::parse("2021-03-01").unwrap().is_full());
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(
            PartialDate::parse("2023-02-29")
                .unwrap_err()
                .contains("has no day 29")
        );
        assert!(
            PartialDate::parse("2017-13")
                .unwrap_err()
                .contains("month 13")
        );
        assert!(PartialDate::parse("17-03").is_err());
        assert!(PartialDate::parse("2017/03/01").is_err());
        assert!(PartialDate::parse("March 2017").is_err());
        assert!(PartialDate::parse("2017-3").is_err());
    }

    #[test]
    fn reads_dates_written_other_ways() {
        assert_eq!(readings("20/11/2026"), ["2026-11-20"]);
        assert_eq!(readings("11/20/2026"), ["2026-11-20"]);
        assert_eq!(readings("05/03/2026"), ["2026-03-05", "2026-05-03"]);
        assert_eq!(readings("04.04.2026"), ["2026-04-04"]);
        assert_eq!(readings("2026/11/20"), ["2026-11-20"]);
        assert_eq!(readings("2017-3-1"), ["2017-03-01"]);
        assert_eq!(readings("11.2017"), ["2017-11"]);
        assert_eq!(readings("March 2017"), ["2017-03"]);
        assert_eq!(readings("1 March 2017"), ["2017-03-01"]);
        assert_eq!(readings("20261120"), ["2026-11-20"]);
        assert!(readings("31/02/2026").is_empty());
        assert!(readings("soon").is_empty());
    }

    #[test]
    fn formats_per_language() {
        let ca = DateFormat {
            months: [
                "gener", "febrer", "març", "abril", "maig", "juny", "juliol", "agost", "setembre",
                "octubre", "novembre", "desembre",
            ]
            .map(String::from)
            .to_vec(),
            months_in_date: [
                "de gener",
                "de febrer",
                "de març",
                "d'abril",
                "de maig",
                "de juny",
                "de juliol",
                "d'agost",
                "de setembre",
                "d'octubre",
                "de novembre",
                "de desembre",
            ]
            .map(String::from)
            .to_vec(),
            full: "{day} {month} de {year}".into(),
            month_year: "{month} de {year}".into(),
        };
        assert_eq!(
            ca.format(&PartialDate::parse("2021-04-01").unwrap()),
            "1 d'abril de 2021"
        );
        assert_eq!(
            ca.format(&PartialDate::parse("2021-04").unwrap()),
            "abril de 2021"
        );
        assert_eq!(ca.format(&PartialDate::parse("2021").unwrap()), "2021");
    }
}

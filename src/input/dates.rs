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
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let shape_ok = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.len() == 2,
            [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
            _ => false,
        } && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !shape_ok {
            return Err(format!(
                "`{text}` is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD"
            ));
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
        match raw {
            RawDate::Text(t) => PartialDate::parse(t),
            RawDate::Year(y) => PartialDate::parse(&y.to_string()),
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

//! The checks of a practice's front matter, one field at a time, each problem collected
//! with where it is and a hint.

use std::collections::HashSet;

use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic};
use crate::document::raw::{RawBudget, RawImage};
use crate::document::types::{Budget, Level, Located, MAX_SUMMARY_CHARS, Owner};
use crate::document::{is_web_url, missing};
use crate::input::config::Vocabulary;
use crate::input::content::SourceFile;
use crate::input::countries::is_country_code;
use crate::input::dates::{PartialDate, RawDate};
use crate::input::yaml::YamlSource;

/// The file being checked, and the problems found so far.
pub(super) struct Checks<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) src: &'a YamlSource<'a>,
    pub(super) diags: Vec<Diagnostic>,
}

impl Checks<'_> {
    pub(super) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A text that must not be empty when given.
    pub(super) fn text(&mut self, s: Option<Spanned<String>>, field: &str) -> Option<String> {
        let s = s?;
        if s.value.trim().is_empty() {
            let d = self
                .src
                .diag(Code::BadValue, &s, format!("`{field}` is empty"));
            self.push(d.hint(format!("write a value, or remove `{field}`")));
            return None;
        }
        Some(s.value.trim().to_string())
    }

    pub(super) fn summary(&mut self, summary: Option<Spanned<String>>) -> Option<String> {
        let Some(s) = summary else {
            let example = "summary: One paragraph of plain text, at most 300 characters.";
            self.push(missing(self.file, "summary", example));
            return None;
        };
        let trimmed = s.value.trim().to_string();
        let count = trimmed.chars().count();
        if count > MAX_SUMMARY_CHARS {
            let d = self.src.diag(
                Code::SummaryTooLong,
                &s,
                format!("summary has {count} characters; the limit is {MAX_SUMMARY_CHARS}"),
            );
            self.push(d.hint("the summary is shown on cards and in search results: keep one or two sentences and move the rest to the body"));
        } else if trimmed.is_empty() {
            let d = self.src.diag(Code::BadValue, &s, "`summary` is empty");
            self.push(d.hint("write one paragraph that says what the practice does"));
        }
        Some(trimmed)
    }

    /// A date; `full` ones need a day (`published`), others may stop at the year.
    pub(super) fn date(
        &mut self,
        d: Option<Spanned<RawDate>>,
        field: &str,
        full: bool,
    ) -> Option<Located<PartialDate>> {
        let d = d?;
        match PartialDate::read(&d.value, full) {
            Ok(date) if full && !date.is_full() => {
                let example = format!("{}-{:02}-01", date.year, date.month.unwrap_or(1));
                let why = format!("`{field}` needs a full date, not `{}`", date.iso());
                let d = self.src.diag(Code::BadDate, &d, why);
                self.push(d.hint(format!(
                    "write `{field}: YYYY-MM-DD`, e.g. `{field}: {example}`"
                )));
                None
            }
            Ok(date) => Some(Located {
                value: date,
                location: self.src.at(&d),
            }),
            Err(why) => {
                let hint = crate::input::dates::hint(&d.value, field, full);
                let d = self
                    .src
                    .diag(Code::BadDate, &d, format!("bad date in `{field}`: {why}"));
                self.push(d.hint(hint));
                None
            }
        }
    }

    /// `start` and `end`, the end not before the start.
    pub(super) fn period(
        &mut self,
        start: Option<Spanned<RawDate>>,
        end: Option<Spanned<RawDate>>,
    ) -> (Option<Located<PartialDate>>, Option<Located<PartialDate>>) {
        let start = self.date(start, "start", false);
        let end = self.date(end, "end", false);
        if let (Some(s), Some(e)) = (&start, &end)
            && e.value < s.value
        {
            let (e_iso, s_iso) = (e.value.iso(), s.value.iso());
            let d = Diagnostic::new(
                Code::BadDate,
                format!("`end` ({e_iso}) is before `start` ({s_iso})"),
            )
            .at_source(e.location.clone(), &self.file.text, e_iso.len())
            .hint("check the two dates");
            self.push(d);
        }
        (start, end)
    }

    pub(super) fn country(&mut self, c: Spanned<String>) -> Option<Located<String>> {
        let code = c.value.trim();
        if is_country_code(code) {
            return Some(Located {
                value: code.to_string(),
                location: self.src.at(&c),
            });
        }
        let upper = code.to_ascii_uppercase();
        let hint = if is_country_code(&upper) {
            format!("country codes are uppercase: `country: {upper}`")
        } else {
            "use the ISO 3166-1 alpha-2 code, e.g. `country: ES` for Spain, `IT` for Italy, `GB` for the United Kingdom".into()
        };
        let why = format!("`{code}` is not an ISO 3166-1 country code");
        let d = self.src.diag(Code::UnknownCountry, &c, why);
        self.push(d.hint(hint));
        None
    }

    pub(super) fn coordinates(&mut self, c: Spanned<(f64, f64)>) -> Option<Located<(f64, f64)>> {
        let (lat, lon) = c.value;
        let on_earth = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        if on_earth {
            return Some(Located {
                value: (lat, lon),
                location: self.src.at(&c),
            });
        }
        let why = format!("coordinates [{lat}, {lon}] are not a place on Earth");
        let d = self.src.diag(Code::BadValue, &c, why);
        self.push(d.hint("write `[latitude, longitude]` in degrees, latitude first: `coordinates: [45.07, 7.69]`"));
        None
    }

    /// Whether `t` is a term of `vocab`; if not, a diagnostic with the closest one.
    pub(super) fn term(&mut self, t: &Spanned<String>, vocab: &Vocabulary, name: &str) -> bool {
        if vocab.position(&t.value).is_some() {
            return true;
        }
        let d = self.src.diag(
            Code::UnknownTerm,
            t,
            format!("unknown {name} `{}`", t.value),
        );
        let hint = match crate::suggest::closest(&t.value, vocab.keys()) {
            Some(best) => format!(
                "did you mean `{best}`? The {name}s are declared in casebook.yaml under `taxonomies`"
            ),
            None => format!(
                "declare it in casebook.yaml under `taxonomies`, or use one of: {}",
                vocab.keys().collect::<Vec<_>>().join(", ")
            ),
        };
        self.push(d.hint(hint));
        false
    }

    /// Known topics, each once, in the order written.
    pub(super) fn topics(
        &mut self,
        ts: Spanned<Vec<Spanned<String>>>,
        vocab: &Vocabulary,
    ) -> Option<Located<Vec<String>>> {
        if ts.value.is_empty() {
            let d = self.src.diag(Code::BadValue, &ts, "`topics` is empty");
            self.push(d.hint("give at least one topic, e.g. `topics: [poverty]`"));
            return None;
        }
        let mut keys: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for t in &ts.value {
            if self.term(t, vocab, "topic") && seen.insert(t.value.as_str()) {
                keys.push(t.value.clone());
            }
        }
        Some(Located {
            value: keys,
            location: self.src.at(&ts),
        })
    }

    pub(super) fn level(&mut self, l: Spanned<String>) -> Option<Located<Level>> {
        if let Some(level) = Level::parse(&l.value) {
            return Some(Located {
                value: level,
                location: self.src.at(&l),
            });
        }
        let hint = match crate::suggest::closest(&l.value, Level::ALL.map(Level::key)) {
            Some(best) => format!("did you mean `{best}`? Levels are local, regional and national"),
            None => "use `local`, `regional` or `national`".into(),
        };
        let d = self.src.diag(
            Code::UnknownTerm,
            &l,
            format!("unknown level `{}`", l.value),
        );
        self.push(d.hint(hint));
        None
    }

    pub(super) fn budget(&mut self, b: Spanned<RawBudget>) -> Option<Located<Budget>> {
        let mut ok = true;
        for amount in [&b.value.total, &b.value.eu].into_iter().flatten() {
            if !amount.value.is_finite() || amount.value < 0.0 {
                let d = self.src.diag(
                    Code::BadValue,
                    amount,
                    "a budget amount must be a positive number",
                );
                self.push(d.hint("write plain numbers without separators: `total: 5100000`"));
                ok = false;
            }
        }
        let currency = match &b.value.currency {
            Some(c) if c.value.len() == 3 && c.value.bytes().all(|x| x.is_ascii_uppercase()) => {
                c.value.clone()
            }
            Some(c) => {
                let why = format!("`{}` is not an ISO 4217 currency code", c.value);
                let d = self.src.diag(Code::BadValue, c, why);
                self.push(d.hint("e.g. `currency: EUR`"));
                ok = false;
                String::new()
            }
            None => "EUR".into(),
        };
        if b.value.total.is_none() && b.value.eu.is_none() {
            let d = self.src.diag(Code::BadValue, &b, "`budget` has no amount");
            self.push(d.hint("give `total`, `eu` or both: `budget: { total: 5100000, eu: 4080000, currency: EUR }`"));
            ok = false;
        }
        ok.then(|| Located {
            value: Budget {
                total: b.value.total.as_ref().map(|t| t.value),
                eu: b.value.eu.as_ref().map(|t| t.value),
                currency,
            },
            location: self.src.at(&b),
        })
    }

    pub(super) fn owner(&mut self, o: Spanned<Owner>) -> Option<Owner> {
        if let Some(url) = &o.value.url
            && !is_web_url(url)
        {
            let why = format!("`owner.url` `{url}` is not a web address");
            let d = self.src.diag(Code::BadUrl, &o, why);
            self.push(
                d.hint("write a full http(s) address, e.g. `url: https://www.comune.torino.it/`"),
            );
            return None;
        }
        Some(o.value)
    }

    pub(super) fn related(
        &self,
        r: Spanned<Vec<Spanned<String>>>,
    ) -> Located<Vec<Located<String>>> {
        let value = r
            .value
            .iter()
            .map(|s| Located {
                value: s.value.clone(),
                location: self.src.at(s),
            })
            .collect();
        Located {
            value,
            location: self.src.at(&r),
        }
    }

    pub(super) fn adapted_by(
        &mut self,
        r: Spanned<Vec<Spanned<String>>>,
    ) -> Located<Vec<Located<String>>> {
        let mut places = Vec::new();
        for s in &r.value {
            let v = s.value.trim();
            if v.is_empty() {
                let d = self
                    .src
                    .diag(Code::BadValue, s, "an entry of `adapted_by` is empty");
                self.push(d.hint("list city names (`Terrassa`) or slugs of practices (`co-city`)"));
            } else {
                places.push(Located {
                    value: v.to_string(),
                    location: self.src.at(s),
                });
            }
        }
        Located {
            value: places,
            location: self.src.at(&r),
        }
    }

    /// The image's focal point, when given and inside the picture.
    pub(super) fn focus(&mut self, img: &Spanned<RawImage>) -> Option<(f64, f64)> {
        let f = img.value.focus.as_ref()?;
        let (x, y) = f.value;
        if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) {
            return Some((x, y));
        }
        let d = self
            .src
            .diag(Code::BadValue, f, "`image.focus` is outside the picture");
        self.push(d.hint("give fractions of the width and the height, from 0 to 1: `focus: [0.5, 0.3]` keeps the middle of the upper third"));
        None
    }

    /// The image's path under `static/` (or https URL), and its alt text.
    pub(super) fn image(
        &mut self,
        img: Spanned<RawImage>,
    ) -> (Option<Located<String>>, Option<String>) {
        let alt = img
            .value
            .alt
            .as_ref()
            .map(|a| a.value.trim().to_string())
            .filter(|a| !a.is_empty());
        if alt.is_none() {
            let d = self
                .src
                .diag(Code::ImageWithoutAlt, &img, "image has no alt text");
            self.push(d.hint("describe what the image shows for people who cannot see it: `image: { src: …, alt: \"Volunteers painting a mural\" }`"));
        }
        let Some(s) = &img.value.src else {
            let d = self
                .src
                .diag(Code::MissingField, &img, "image has no `src`");
            self.push(d.hint("e.g. `image: { src: images/cumiana15.jpg, alt: … }`"));
            return (None, alt);
        };
        let v = s.value.trim();
        if let Some(under) = v.trim_start_matches('/').strip_prefix("static/") {
            let why =
                format!("image `{v}` names static/, but `src` is already a path under static/");
            let d = self.src.diag(Code::BadUrl, s, why);
            self.push(d.hint(format!("write `src: {under}`")));
            return (None, alt);
        }
        let refused = v.is_empty()
            || v.contains("..")
            || v.starts_with("//")
            || (v.contains(':') && !v.starts_with("https://"));
        if refused {
            let why = format!("image `{v}` is not a path under static/ or an https URL");
            let d = self.src.diag(Code::BadUrl, s, why);
            self.push(d.hint(
                "put the image in static/ and write its path, e.g. `src: images/cumiana15.jpg`",
            ));
            return (None, alt);
        }
        let path = Located {
            value: v.trim_start_matches('/').to_string(),
            location: self.src.at(s),
        };
        (Some(path), alt)
    }
}

//! "Cite this practice": a BibTeX entry with the permanent URL and the date. The plain-text
//! citation is written by the theme from translated strings.

use crate::input::dates::PartialDate;

/// Escapes text for a BibTeX field in braces.
pub fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// What a citation needs.
pub struct Work<'a> {
    /// Practice slug (the key).
    pub slug: &'a str,
    /// Title, with the subtitle if any.
    pub title: &'a str,
    /// The catalogue, as author and publisher.
    pub site: &'a str,
    /// Permanent URL.
    pub url: &'a str,
    /// Language code.
    pub lang: &'a str,
    /// Publication date.
    pub published: PartialDate,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A BibTeX `@misc` entry (also read by biblatex: `date`, `url`, `langid`).
pub fn bibtex(w: &Work) -> String {
    let key: String = format!("{}-{}", w.slug, w.published.year)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let mut out = format!("@misc{{{key},\n");
    out.push_str(&format!("  title = {{{{{}}}}},\n", bibtex_escape(w.title)));
    out.push_str(&format!("  author = {{{{{}}}}},\n", bibtex_escape(w.site)));
    out.push_str(&format!("  year = {{{}}},\n", w.published.year));
    if let Some(m) = w.published.month {
        out.push_str(&format!("  month = {},\n", MONTHS[(m - 1) as usize]));
    }
    out.push_str(&format!("  date = {{{}}},\n", w.published.iso()));
    out.push_str(&format!("  url = {{{}}},\n", bibtex_escape(w.url)));
    out.push_str(&format!("  langid = {{{}}},\n", bibtex_escape(w.lang)));
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_formats() {
        assert_eq!(bibtex_escape("50% & {x}_#"), "50\\% \\& \\{x\\}\\_\\#");
        let b = bibtex(&Work {
            slug: "co-city",
            title: "CO-CITY: commons}",
            site: "Good practices",
            url: "https://x.org/en/practices/co-city/",
            lang: "en",
            published: PartialDate::parse("2024-09-19").unwrap(),
        });
        assert!(b.starts_with("@misc{co-city-2024,\n  title = {{CO-CITY: commons\\}}},"));
        assert!(b.contains("month = sep,") && b.contains("date = {2024-09-19},"));
        assert!(b.ends_with("}"));
    }
}

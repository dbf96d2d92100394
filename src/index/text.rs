//! Text for search: folding (lowercase, no accents), tokens and light stemmers.
//!
//! The same rules run in the browser (`themes/default/static/js/catalogue.js`, functions
//! `fold`, `tokens` and `stem`): the index holds what these functions make of the text, and
//! the page makes the same of what a reader types. A test runs both on the same words.

use unicode_normalization::char::is_combining_mark;

pub use crate::document::words::{MAX_COUNT, fold, for_each_token, tokens, word_bag};

/// The languages that have a stemmer. Others are folded and prefix-matched, not stemmed.
pub const STEMMED: &[&str] = &["ca", "de", "en", "es", "fr", "it"];

/// The stem of a folded word in `lang`: light stemmers that remove plural and gender
/// endings (Savoy's for Spanish and Italian, Lucene's minimal ones for English, French and
/// German, and one in the same spirit for Catalan). Words with digits are left whole.
pub fn stem(word: &str, lang: &str) -> String {
    let mut buf = Vec::new();
    let mut out = String::new();
    stem_into(word, lang, &mut buf, &mut out);
    out
}

/// [`stem`] into `out`, with `buf` as scratch space.
pub(super) fn stem_into(word: &str, lang: &str, buf: &mut Vec<char>, out: &mut String) {
    out.clear();
    if word.chars().any(|c| c.is_numeric()) {
        out.push_str(word);
        return;
    }
    buf.clear();
    buf.extend(word.chars());
    let s = buf.as_mut_slice();
    let len = match lang {
        "en" => stem_en(s),
        "es" => stem_es(s),
        "it" => stem_it(s),
        "ca" => stem_ca(s),
        "fr" => stem_fr(s),
        "de" => stem_de(s),
        _ => s.len(),
    };
    out.extend(&buf[..len]);
}

/// Calls `f` with each search term of `text` in `lang`: folded, split and stemmed.
pub fn for_each_term(text: &str, lang: &str, mut f: impl FnMut(&str)) {
    let (mut buf, mut out) = (Vec::new(), String::new());
    for_each_token(&fold(text), |t| {
        stem_into(t, lang, &mut buf, &mut out);
        f(&out);
    });
}

/// The search terms of `text` in `lang` (see [`for_each_term`]).
pub fn terms(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, lang, |t| out.push(t.to_string()));
    out
}

/// How many edits a "did you mean" may be from a word of `chars` characters: none under
/// four, one up to seven, two from eight.
pub fn max_edits(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The edits (insert, delete, substitute, or swap two neighbours, each part of the text
/// edited once) between `a` and `b`, or `None` when more than `max`.
pub fn edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return None;
    }
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=m).collect();
    for i in 1..=n {
        let mut row = Vec::with_capacity(m + 1);
        row.push(i);
        let mut low = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row.push(d);
            low = low.min(d);
        }
        if low > max {
            return None;
        }
        before = std::mem::replace(&mut prev, row);
    }
    (prev[m] <= max).then_some(prev[m])
}

/// "Did you mean": for a folded query word that matched nothing, the closest of
/// `candidates` (term, word shown for it, number of entries), as the word shown: fewest
/// edits from the word to the word shown (folded) or from the word's stem in `lang` to the
/// term, at most [`max_edits`]; then the most entries; then the first. The catalogue
/// script (`suggest` in catalogue.js) applies the same rule to the search chunks' `words`.
pub fn suggest<'a>(
    word: &str,
    lang: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str, usize)>,
) -> Option<&'a str> {
    let w: Vec<char> = word.chars().collect();
    let max = max_edits(w.len());
    if max == 0 {
        return None;
    }
    let s: Vec<char> = stem(word, lang).chars().collect();
    let mut best: Option<(&str, usize, usize)> = None;
    for (term, shown, count) in candidates {
        let t: Vec<char> = term.chars().collect();
        let f: Vec<char> = fold(shown).chars().collect();
        let d = match (edit_distance(&s, &t, max), edit_distance(&w, &f, max)) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => continue,
        };
        let better = match best {
            None => true,
            Some((_, edits, n)) => d < edits || (d == edits && count > n),
        };
        if better {
            best = Some((shown, d, count));
        }
    }
    best.map(|(shown, _, _)| shown)
}

/// The words of `text` as written, lowercased and in composed form, each with its folded
/// form when that is one search token ([`for_each_token`]): `València` gives
/// (`valència`, `valencia`), `col·lectiu` (`col·lectiu`, `collectiu`). Words joined by a
/// hyphen are given apart.
pub fn for_each_written_word(text: &str, mut f: impl FnMut(&str, &str)) {
    let lower = text.to_lowercase();
    let is_part =
        |c: char| c.is_alphanumeric() || is_combining_mark(c) || c == '\u{b7}' || c == '\u{2027}';
    for word in lower.split(|c: char| !is_part(c)).filter(|w| !w.is_empty()) {
        // Most words: letters and digits of ASCII, already composed and folded, one token
        // when longer than one character (as `for_each_token` gives it).
        if word.is_ascii() {
            if word.len() > 1 {
                f(word, word);
            }
            continue;
        }
        if let Some((written, folded)) = written_and_folded(word) {
            f(&written, &folded);
        }
    }
}

/// A lowercased word in composed form and its folded form, when that is one search token.
fn written_and_folded(word: &str) -> Option<(String, String)> {
    use unicode_normalization::UnicodeNormalization;
    let written: String = word.nfc().collect();
    let folded = fold(&written);
    let mut tokens = 0;
    let mut same = false;
    for_each_token(&folded, |t| {
        tokens += 1;
        same = t == folded;
    });
    (tokens == 1 && same).then_some((written, folded))
}

fn stem_en(s: &mut [char]) -> usize {
    let len = s.len();
    if len < 3 || s[len - 1] != 's' {
        return len;
    }
    match s[len - 2] {
        'u' | 's' => len,
        'e' if len > 3 && s[len - 3] == 'i' && s[len - 4] != 'a' && s[len - 4] != 'e' => {
            s[len - 3] = 'y';
            len - 2
        }
        'e' if matches!(s[len - 3], 'i' | 'a' | 'o' | 'e') => len,
        _ => len - 1,
    }
}

fn stem_es(s: &mut [char]) -> usize {
    let len = s.len();
    if len < 5 {
        return len;
    }
    match s[len - 1] {
        'o' | 'a' | 'e' => len - 1,
        's' if s[len - 2] == 'e' && s[len - 3] == 's' && s[len - 4] == 'e' => len - 2,
        's' if s[len - 2] == 'e' && s[len - 3] == 'c' => {
            s[len - 3] = 'z';
            len - 2
        }
        's' if matches!(s[len - 2], 'o' | 'a' | 'e') => len - 2,
        _ => len,
    }
}

fn stem_it(s: &[char]) -> usize {
    let len = s.len();
    if len < 6 {
        return len;
    }
    match (s[len - 1], s[len - 2]) {
        ('e', 'i' | 'h') | ('i', 'h' | 'i') | ('a', 'i') | ('o', 'i') => len - 2,
        ('e' | 'i' | 'a' | 'o', _) => len - 1,
        _ => len,
    }
}

fn stem_ca(s: &[char]) -> usize {
    let mut len = s.len();
    if len < 5 {
        return len;
    }
    if s[len - 1] == 's' {
        len -= if matches!(s[len - 2], 'e' | 'n') {
            2
        } else {
            1
        };
    }
    if len > 3 && matches!(s[len - 1], 'a' | 'e' | 'i' | 'o') {
        len -= 1;
    }
    len
}

fn stem_fr(s: &mut [char]) -> usize {
    let mut len = s.len();
    if len < 6 {
        return len;
    }
    if s[len - 1] == 'x' {
        if s[len - 3] == 'a' && s[len - 2] == 'u' {
            s[len - 2] = 'l';
        }
        return len - 1;
    }
    for end in ['s', 'r', 'e'] {
        if s[len - 1] == end {
            len -= 1;
        }
    }
    if s[len - 1] == s[len - 2] && s[len - 1].is_alphabetic() {
        len -= 1;
    }
    len
}

fn stem_de(s: &[char]) -> usize {
    let len = s.len();
    if len < 5 {
        return len;
    }
    if len > 6 && s[len - 3] == 'n' && s[len - 2] == 'e' && s[len - 1] == 'n' {
        return len - 3;
    }
    if len > 5 {
        match (s[len - 1], s[len - 2]) {
            ('n', 'e') | ('e', 'n') | ('r', 'e') | ('s', 'e') => return len - 2,
            _ => {}
        }
    }
    match s[len - 1] {
        'n' | 'e' | 's' | 'r' => len - 1,
        _ => len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_within_a_few_edits_and_prefer_common_words() {
        assert_eq!(edit_distance(&['a', 'b'], &['b', 'a'], 1), Some(1));
        assert_eq!(
            edit_distance(
                &"kitten".chars().collect::<Vec<_>>(),
                &"sitting".chars().collect::<Vec<_>>(),
                3
            ),
            Some(3)
        );
        assert_eq!(
            edit_distance(
                &"kitten".chars().collect::<Vec<_>>(),
                &"sitting".chars().collect::<Vec<_>>(),
                2
            ),
            None
        );
        let candidates = [
            ("cooperative", "cooperatives", 2),
            ("corporate", "corporate", 5),
            ("poverty", "poverty", 3),
            ("property", "property", 9),
        ];
        assert_eq!(
            suggest("cooperativs", "en", candidates),
            Some("cooperatives")
        );
        // One edit from both: the word in more practices wins.
        assert_eq!(suggest("proverty", "en", candidates), Some("property"));
        assert_eq!(suggest("povrety", "en", candidates), Some("poverty"));
        // Short words are left alone, and strangers get nothing.
        assert_eq!(suggest("pvrt", "en", candidates), None);
        assert_eq!(suggest("mobility", "en", candidates), None);
    }

    #[test]
    fn written_words_keep_their_accents() {
        let mut seen = Vec::new();
        for_each_written_word(
            "València, COL·LECTIU i l'economia co-produïda 2019",
            |w, f| {
                seen.push(format!("{w}={f}"));
            },
        );
        assert_eq!(
            seen,
            [
                "valència=valencia",
                "col·lectiu=collectiu",
                "economia=economia",
                "co=co",
                "produïda=produida",
                "2019=2019"
            ]
        );
    }

    #[test]
    fn ascii_words_take_the_short_way_to_the_same_result() {
        for word in ["a", "ab", "x1", "2019", "co", "participation"] {
            let short = (word.len() > 1).then(|| (word.to_string(), word.to_string()));
            assert_eq!(written_and_folded(word), short, "{word}");
        }
    }

    #[test]
    fn stemmers_conflate_singular_and_plural() {
        for (lang, a, b) in [
            ("es", "renta", "rentas"),
            ("es", "ciudad", "ciudades"),
            ("es", "político", "políticas"),
            ("ca", "acció", "accions"),
            ("ca", "persona", "persones"),
            ("ca", "barri", "barris"),
            ("it", "città", "città"),
            ("it", "povertà", "povertà"),
            ("it", "comune", "comuni"),
            ("en", "city", "cities"),
            ("en", "practice", "practices"),
            ("fr", "social", "sociaux"),
            ("de", "Stadt", "Städte"),
        ] {
            assert_eq!(
                stem(&fold(a), lang),
                stem(&fold(b), lang),
                "{lang}: {a} / {b}"
            );
        }
        assert_eq!(stem("renta", "es"), "rent");
        assert_eq!(stem("2019", "es"), "2019");
        assert_eq!(stem("valencia", "xx"), "valencia");
    }
}

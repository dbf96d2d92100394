//! Text for search: folding (lowercase, no accents), tokens and light stemmers.
//!
//! The same rules run in the browser (`themes/default/static/js/catalogue.js`, functions
//! `fold`, `tokens` and `stem`): the index holds what these functions make of the text, and
//! the page makes the same of what a reader types. A test runs both on the same words.

use unicode_normalization::char::is_combining_mark;

/// The languages that have a stemmer. Others are folded and prefix-matched, not stemmed.
pub const STEMMED: &[&str] = &["ca", "de", "en", "es", "fr", "it"];

/// Lowercase, accents and other combining marks removed (`València` → `valencia`), and
/// the Catalan middle dot dropped (`col·lectiu` → `collectiu`); a few letters without a
/// decomposition are spelled out (`ß` → `ss`, `ø` → `o`, final `ς` → `σ`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        // Decomposing character by character is the same as decomposing the whole text and
        // then dropping the marks: canonical reordering only ever moves marks.
        for lower in c.to_lowercase() {
            unicode_normalization::char::decompose_canonical(lower, |d| {
                if is_combining_mark(d) {
                    return;
                }
                match d {
                    '\u{b7}' | '\u{2027}' => {}
                    'ß' => out.push_str("ss"),
                    'æ' => out.push_str("ae"),
                    'œ' => out.push_str("oe"),
                    'ø' => out.push('o'),
                    'đ' => out.push('d'),
                    'ł' => out.push('l'),
                    'ı' => out.push('i'),
                    'ς' => out.push('σ'),
                    _ => out.push(d),
                }
            });
        }
    }
    out
}

/// Calls `f` with each word of folded text: runs of letters and digits, at least two
/// characters long. A word written with hyphens (`co-production`) also gives its parts
/// joined (`coproduction`), after the parts.
pub fn for_each_token(folded: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    // Where the current hyphenated word starts in `word`, and where its parts end.
    let mut parts: Vec<usize> = Vec::new();
    let mut flush = |word: &mut String, parts: &mut Vec<usize>| {
        if word.is_empty() {
            parts.clear();
            return;
        }
        let mut start = 0;
        for &end in parts.iter().chain(std::iter::once(&word.len())) {
            let part = &word[start..end];
            if part.chars().nth(1).is_some() {
                f(part);
            }
            start = end;
        }
        if !parts.is_empty() {
            f(word);
        }
        word.clear();
        parts.clear();
    };
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.push(c);
        } else if (c == '-' || c == '\u{2010}')
            && !word.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            parts.push(word.len());
        } else {
            flush(&mut word, &mut parts);
        }
    }
    flush(&mut word, &mut parts);
}

/// The words of folded text (see [`for_each_token`]).
pub fn tokens(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(folded, |t| out.push(t.to_string()));
    out
}

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
fn stem_into(word: &str, lang: &str, buf: &mut Vec<char>, out: &mut String) {
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
    let folded = fold(text);
    let mut buf = Vec::new();
    let mut out = String::new();
    for_each_token(&folded, |t| {
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
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("València"), "valencia");
        assert_eq!(fold("LEÓN"), "leon");
        assert_eq!(fold("Col·laboració"), "collaboracio");
        assert_eq!(fold("Straße Øresund"), "strasse oresund");
    }

    #[test]
    fn tokens_split_words_and_join_hyphenated_ones() {
        assert_eq!(
            tokens(&fold("Co-production in l'eix Besòs, 2017–2019!")),
            [
                "co",
                "production",
                "coproduction",
                "in",
                "eix",
                "besos",
                "2017",
                "2019"
            ]
        );
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

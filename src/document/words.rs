//! The words of a text as search reads them: folded (lowercase, no accents) and split into
//! tokens. Bodies keep a bag of their words for the catalogue's search index
//! ([`crate::index`]), which stems them.
//!
//! The same rules run in the browser (`themes/default/static/js/catalogue.js`, functions
//! `fold` and `tokens`): a test runs both on the same words.

use rustc_hash::FxHashMap;
use unicode_normalization::char::is_combining_mark;

/// Lowercase, accents and other combining marks removed (`València` → `valencia`), and
/// the Catalan middle dot dropped (`col·lectiu` → `collectiu`); a few letters without a
/// decomposition are spelled out (`ß` → `ss`, `ø` → `o`, final `ς` → `σ`).
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // A run of ASCII at once, then one other character.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let from = out.len();
        out.push_str(&rest[..ascii]);
        out[from..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
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
    let bytes = folded.as_bytes();
    let n = bytes.len();
    // The length in bytes of the character at `i` (a character boundary), and whether it
    // is a letter or digit. ASCII is classified directly.
    let char_at = |i: usize| -> (usize, bool) {
        let b = bytes[i];
        if b.is_ascii() {
            return (1, b.is_ascii_alphanumeric());
        }
        match folded[i..].chars().next() {
            Some(c) => (c.len_utf8(), c.is_alphanumeric()),
            None => (1, false),
        }
    };
    // The byte ranges of the parts of the current word.
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut joined = String::new();
    let mut i = 0;
    while i < n {
        let (len, word) = char_at(i);
        if !word {
            i += len;
            continue;
        }
        parts.clear();
        loop {
            let start = i;
            loop {
                while i < n && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                if i < n && !bytes[i].is_ascii() {
                    let (len, word) = char_at(i);
                    if word {
                        i += len;
                        continue;
                    }
                }
                break;
            }
            parts.push((start, i));
            // A hyphen between letters or digits joins the parts of one word.
            let hyphen = if bytes.get(i) == Some(&b'-') {
                1
            } else if folded[i..].starts_with('\u{2010}') {
                '\u{2010}'.len_utf8()
            } else {
                0
            };
            if hyphen > 0 && i + hyphen < n && char_at(i + hyphen).1 {
                i += hyphen;
                continue;
            }
            break;
        }
        for &(a, b) in &parts {
            let part = &folded[a..b];
            if part.chars().nth(1).is_some() {
                f(part);
            }
        }
        if parts.len() > 1 {
            joined.clear();
            for &(a, b) in &parts {
                joined.push_str(&folded[a..b]);
            }
            f(&joined);
        }
    }
}

/// How often a term counts in one field of one catalogue entry, at most.
pub const MAX_COUNT: u8 = 3;

/// The words of `text` as the search index reads them (folded and split, see
/// [`for_each_token`]), each written as often as it occurs but at most [`MAX_COUNT`]
/// times, separated by spaces. The index counts a term at most that often in a field, so
/// this gives it the counts of the whole text in a fraction of the memory: what a body
/// keeps for search ([`crate::document::markdown::Rendered::words`]).
pub fn word_bag(text: &str) -> String {
    let folded = fold(text);
    let mut seen: FxHashMap<Box<str>, u8> = FxHashMap::default();
    let mut out = String::new();
    for_each_token(&folded, |t| {
        let n = match seen.get_mut(t) {
            Some(n) => n,
            None => seen.entry(t.into()).or_insert(0),
        };
        if *n < MAX_COUNT {
            *n += 1;
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(t);
        }
    });
    out.shrink_to_fit();
    out
}

/// The words of folded text (see [`for_each_token`]).
pub fn tokens(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(folded, |t| out.push(t.to_string()));
    out
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

    /// The first tokenizer, character by character: the reference for the fast one.
    fn reference_tokens_with(folded: &str, mut f: impl FnMut(&str)) {
        // The byte ranges of the parts of the current word, and where the current part starts.
        let mut parts: Vec<(usize, usize)> = Vec::new();
        let mut start: Option<usize> = None;
        let mut joined = String::new();
        let mut flush = |parts: &mut Vec<(usize, usize)>| {
            for &(a, b) in parts.iter() {
                let part = &folded[a..b];
                if part.chars().nth(1).is_some() {
                    f(part);
                }
            }
            if parts.len() > 1 {
                joined.clear();
                for &(a, b) in parts.iter() {
                    joined.push_str(&folded[a..b]);
                }
                f(&joined);
            }
            parts.clear();
        };
        // Bytes below 0x80 are classified directly; others are decoded as the character they
        // start.
        let char_at = |i: usize| -> (char, usize) {
            let b = folded.as_bytes()[i];
            if b.is_ascii() {
                (char::from(b), 1)
            } else {
                let c = folded[i..].chars().next().unwrap_or(' ');
                (c, c.len_utf8())
            }
        };
        let is_word = |c: char| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                c.is_alphanumeric()
            }
        };
        let mut i = 0;
        while i < folded.len() {
            let (c, len) = char_at(i);
            if is_word(c) {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                parts.push((s, i));
                let hyphen = (c == '-' || c == '\u{2010}')
                    && i + len < folded.len()
                    && is_word(char_at(i + len).0);
                if !hyphen {
                    flush(&mut parts);
                }
            }
            i += len;
        }
        if let Some(s) = start {
            parts.push((s, folded.len()));
        }
        flush(&mut parts);
    }

    #[test]
    fn the_tokenizer_splits_as_the_reference_one_on_random_text() {
        let alphabet: Vec<char> = "ab z09-‐ ·.,'’é ßøç中ā\u{301}😀\n–_".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 40) {
                let r = seed.rotate_left(k as u32 * 7) ^ k;
                text.push(alphabet[(r % alphabet.len() as u64) as usize]);
            }
            let mut fast = Vec::new();
            for_each_token(&text, |t| fast.push(t.to_string()));
            let mut slow = Vec::new();
            reference_tokens_with(&text, |t| slow.push(t.to_string()));
            assert_eq!(fast, slow, "{text:?}");
        }
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
}

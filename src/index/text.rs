//! Text for search: folding (lowercase, no accents), tokens and light stemmers.
//!
//! The same rules run in the browser (`themes/default/static/js/catalogue.js`, functions
//! `fold`, `tokens` and `stem`): the index holds what these functions make of the text, and
//! the page makes the same of what a reader types. A test runs both on the same words.

use std::sync::Arc;

use unicode_normalization::char::is_combining_mark;

use crate::fx::FxMap;

/// The languages that have a stemmer. Others are folded and prefix-matched, not stemmed.
pub const STEMMED: &[&str] = &["ca", "de", "en", "es", "fr", "it"];

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
/// keeps for search ([`crate::markdown::Rendered::words`]).
pub fn word_bag(text: &str) -> String {
    let folded = fold(text);
    let mut seen: FxMap<Box<str>, u8> = FxMap::default();
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
    let mut stems = Stems::new(lang);
    let mut ids = Vec::new();
    stems.for_each_term(text, |id| ids.push(id));
    for id in ids {
        f(stems.term(id));
    }
}

/// The search terms of one language, numbered as they are met: remembers the term of every
/// word it has seen (texts of a catalogue share most of their words, so each is folded and
/// stemmed once), and gives words with the same stem the same number.
pub struct Stems {
    lang: String,
    of_word: FxMap<Box<str>, u32>,
    of_stem: FxMap<Arc<str>, u32>,
    terms: Vec<Arc<str>>,
    buf: Vec<char>,
    out: String,
}

impl Stems {
    /// No terms yet, for `lang`.
    pub fn new(lang: &str) -> Stems {
        Stems {
            lang: lang.to_string(),
            of_word: FxMap::default(),
            of_stem: FxMap::default(),
            terms: Vec::new(),
            buf: Vec::new(),
            out: String::new(),
        }
    }

    /// The number of the term of a folded word (see [`stem`]).
    pub fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.of_word.get(word) {
            return id;
        }
        stem_into(word, &self.lang, &mut self.buf, &mut self.out);
        let id = match self.of_stem.get(self.out.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.terms.len() as u32;
                let term: Arc<str> = Arc::from(self.out.as_str());
                self.terms.push(Arc::clone(&term));
                self.of_stem.insert(term, id);
                id
            }
        };
        self.of_word.insert(word.into(), id);
        id
    }

    /// The term numbered `id`.
    pub fn term(&self, id: u32) -> &Arc<str> {
        &self.terms[id as usize]
    }

    /// How many terms there are: numbers go from 0 to this.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no terms yet.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Calls `f` with the number of each search term of `text` (see [`for_each_term`]).
    pub fn for_each_term(&mut self, text: &str, mut f: impl FnMut(u32)) {
        let folded = fold(text);
        for_each_token(&folded, |t| f(self.id(t)));
    }

    /// Calls `f` with the number of the term of each word of a [`word_bag`].
    pub fn for_each_bag_term(&mut self, bag: &str, mut f: impl FnMut(u32)) {
        for word in bag.split(' ').filter(|w| !w.is_empty()) {
            f(self.id(word));
        }
    }
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
    use unicode_normalization::UnicodeNormalization;
    let lower = text.to_lowercase();
    let is_part =
        |c: char| c.is_alphanumeric() || is_combining_mark(c) || c == '\u{b7}' || c == '\u{2027}';
    for word in lower.split(|c: char| !is_part(c)).filter(|w| !w.is_empty()) {
        let written: String = word.nfc().collect();
        let folded = fold(&written);
        let mut tokens = 0;
        let mut same = false;
        for_each_token(&folded, |t| {
            tokens += 1;
            same = t == folded;
        });
        if tokens == 1 && same {
            f(&written, &folded);
        }
    }
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
    fn a_word_bag_gives_the_capped_counts_of_its_text() {
        let text = "Houses, houses and HOUSE; co-production: València, valencia, Valencias, \
                    valencias and a house. Col·lectiu col·lectius";
        let bag = word_bag(text);
        // Each word at most three times, however often it is written.
        assert_eq!(
            word_bag(&[text; 10].join(" ")),
            word_bag(&[text; 3].join(" "))
        );
        for lang in ["en", "es", "ca", "xx"] {
            let capped = |ids: Vec<u32>, stems: &Stems| {
                let mut counts: std::collections::BTreeMap<String, u8> = Default::default();
                for id in ids {
                    let n = counts.entry(stems.term(id).to_string()).or_default();
                    *n = (*n + 1).min(MAX_COUNT);
                }
                counts
            };
            let mut stems = Stems::new(lang);
            let mut ids = Vec::new();
            stems.for_each_term(text, |id| ids.push(id));
            let whole = capped(ids, &stems);
            let mut ids = Vec::new();
            stems.for_each_bag_term(&bag, |id| ids.push(id));
            assert_eq!(capped(ids, &stems), whole, "{lang}");
        }
    }

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

//! "Did you mean …?" suggestions for misspelt names.

/// The candidate closest to `input`, if it is close enough to be a plausible typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&input_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| {
            let longest = input.chars().count().max(c.chars().count());
            *d <= (longest / 3).max(1)
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let terms = ["poverty", "urban-commons", "social-cohesion"];
        assert_eq!(closest("povrety", terms), Some("poverty"));
        assert_eq!(closest("Poverty", terms), Some("poverty"));
        assert_eq!(closest("urban-comons", terms), Some("urban-commons"));
        assert_eq!(closest("mobility", terms), None);
    }
}

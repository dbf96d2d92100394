//! "Did you mean …?" suggestions for misspelt names.

/// The candidate closest to `input`, if it is close enough to be a plausible typo.
///
/// A candidate whose length differs from the input's by more than the distance allowed is
/// passed over without computing the distance (which is at least that difference): a long
/// input, or a long list of candidates, costs little more than reading them.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    let input_len = input.chars().count();
    candidates
        .into_iter()
        .filter_map(|c| {
            let len = c.chars().count();
            let allowed = (input_len.max(len) / 3).max(1);
            if input_len.abs_diff(len) > allowed {
                return None;
            }
            let d = strsim::damerau_levenshtein(&input_lower, &c.to_lowercase());
            (d <= allowed).then_some((d, c))
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

//! The default theme, built into the binary by build.rs: a site without `themes/default/`
//! uses these files.

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// The built-in file at `path` (under themes/default/), if any.
pub fn file(path: &str) -> Option<&'static [u8]> {
    FILES
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| FILES[i].1)
}

/// The built-in files under `dir` (e.g. `templates/`), with the prefix removed.
pub fn under(dir: &str) -> impl Iterator<Item = (&'static str, &'static [u8])> + '_ {
    FILES
        .iter()
        .filter_map(move |(p, bytes)| p.strip_prefix(dir).map(|rest| (rest, *bytes)))
}

//! Limits on the lists of front matter. Past them a list gets one diagnostic, at the list,
//! instead of one per entry: a list of 100,000 unknown topics would otherwise cost time and
//! memory that grow with the square of its length (docs/diagnostics.md, "Limits").

use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic};
use crate::input::yaml::YamlSource;

/// The most topics a practice may have.
pub const MAX_TOPICS: usize = 50;

/// The most entries of `related`, `adapted_by`, `partners` and `key_figures`.
pub const MAX_LIST_ITEMS: usize = 200;

/// The list `field` as given, or `None` with a diagnostic when it is longer than its limit.
pub fn within<T>(
    src: &YamlSource,
    list: Option<Spanned<Vec<T>>>,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<Vec<T>>> {
    let list = list?;
    let (limit, noun, advice) = match field {
        "topics" => (MAX_TOPICS, "terms", "the ones the practice is mostly about"),
        "related" => (
            MAX_LIST_ITEMS,
            "entries",
            "the closest practices; similar ones are listed from the topics anyway",
        ),
        "adapted_by" => (MAX_LIST_ITEMS, "entries", "and name the others in the body"),
        _ => (MAX_LIST_ITEMS, "entries", "and put the others in the body"),
    };
    if list.value.len() <= limit {
        return Some(list);
    }
    let what = if field == "topics" {
        "topics"
    } else {
        "entries"
    };
    let mut d = src
        .diag(
            Code::BadValue,
            &list,
            format!(
                "`{field}` lists {} {noun}; the limit is {limit}",
                list.value.len()
            ),
        )
        .hint(format!("give at most {limit} {what}, {advice}"));
    // The caret marks where the list starts, not all of it.
    d.span_len = 1;
    diags.push(d);
    None
}

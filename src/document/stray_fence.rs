//! A `---` line too many. The front matter ends at the first `---` line after the opening
//! one, so fields written below a stray `---` would be read as text and reported missing
//! one by one; a single diagnostic at that line says what happened instead.

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::config::BUILT_IN_FIELDS;
use crate::input::content::{Section, SourceFile};
use crate::input::front_matter::Split;

/// The front matter fields of a page.
const PAGE_FIELDS: &[&str] = &["title", "summary", "menu", "menu_title", "draft"];

/// A diagnostic at the closing `---` when the body starts with a front matter field.
pub fn fields_below(file: &SourceFile, split: &Split) -> Option<Diagnostic> {
    let fields = match file.section {
        Section::Practices => BUILT_IN_FIELDS,
        Section::Pages => PAGE_FIELDS,
    };
    let (i, line) = split
        .body
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())?;
    let key = line.split_once(':')?.0;
    if !fields.contains(&key) {
        return None;
    }
    let fence = split.body_line - 1;
    let field_line = split.body_line + i;
    let next_fence = split
        .body
        .lines()
        .enumerate()
        .skip(i)
        .find(|(_, l)| l.trim_end() == "---")
        .map(|(j, _)| split.body_line + j);
    let hint = match next_fence {
        Some(n) => {
            format!("delete this line: the front matter then goes on to the `---` on line {n}")
        }
        None => format!("move `{key}:` and the fields after it above this line"),
    };
    Some(
        Diagnostic::new(
            Code::YamlSyntax,
            format!(
                "the front matter ends at this `---`, but `{key}:` on line {field_line} below it is a field"
            ),
        )
        .at_source(Location::new(&file.rel, fence, 1), &file.text, 3)
        .hint(hint),
    )
}

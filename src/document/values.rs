//! Control characters that front matter holds without showing them: YAML escapes in double
//! quotes (`"\x1b"`, `"\0"`), which the scan of the file's text cannot see. Each is refused
//! at its value (see [`crate::input::control_chars`]); a practice's fields are gone through
//! by `practice::control_chars`.

use serde_saphyr::Spanned;

use crate::diagnostics::Diagnostic;
use crate::input::control_chars;
use crate::input::yaml::YamlSource;

/// The diagnostic for `value` of `field` if it holds a control character.
pub(super) fn control_char(
    src: &YamlSource,
    field: &str,
    value: &Spanned<String>,
) -> Option<Diagnostic> {
    let (_, c) = control_chars::first_forbidden(&value.value)?;
    Some(control_chars::in_value(
        field,
        c,
        src.at(value),
        src.file_text,
    ))
}

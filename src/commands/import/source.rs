//! The imported file: read (UTF-8, with or without a byte-order mark, CSV or JSON), and
//! the places in it that diagnostics point at.

use std::path::{Path, PathBuf};

use super::fields::Origin;
use crate::diagnostics::{Code, Diagnostic, Location, display_path};
use crate::input::files;

/// The largest file `import` reads: a CSV with the bodies of thousands of practices.
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

/// The imported file: its name as shown, its text, and which format it is.
pub struct Input {
    /// The path as the user knows it.
    pub shown: PathBuf,
    /// Its text, without a byte-order mark.
    pub text: String,
    /// CSV rows and columns, or JSON lines and columns.
    pub csv: bool,
}

/// The location of `origin` in the imported file.
pub fn location(input: &Input, origin: &Origin) -> Location {
    Location::new(&input.shown, origin.line, origin.column)
}

/// A diagnostic at `origin` in the imported file.
pub fn at(input: &Input, origin: &Origin, code: Code, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(code, message).at(location(input, origin))
}

/// A spreadsheet's name of column `n` (1-based): `A`, `Z`, `AA`.
pub fn column_letter(n: usize) -> String {
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Reads the imported file: UTF-8, with or without a byte-order mark.
pub fn read_input(root: &Path, path: &Path) -> Result<Input, Vec<Diagnostic>> {
    let shown = display_path(root, path);
    let bytes = files::read_regular(path, MAX_IMPORT_BYTES).map_err(|e| {
        vec![
            Diagnostic::new(
                Code::ReadError,
                format!("cannot read {}: {e}", shown.display()),
            )
            .at(Location::file(&shown))
            .hint(format!(
                "give a regular file of at most {} MB, as a path from the current folder",
                MAX_IMPORT_BYTES / 1024 / 1024
            )),
        ]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&e.as_bytes()[..e.utf8_error().valid_up_to()]).unwrap_or("");
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        vec![Diagnostic::new(Code::NotUtf8, "the file is not UTF-8 text")
            .at(Location::new(&shown, line, column))
            .hint("save it as UTF-8: in a spreadsheet, \"CSV UTF-8\" (Excel) or \"Text CSV\" with the character set Unicode (UTF-8) (LibreOffice)")]
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let csv = match extension.as_deref() {
        Some("json") => false,
        Some("csv" | "tsv" | "txt") => true,
        _ => !text.trim_start().starts_with('{'),
    };
    Ok(Input { shown, text, csv })
}

#[cfg(test)]
mod tests {
    use super::column_letter;

    #[test]
    fn spreadsheet_column_names() {
        assert_eq!(column_letter(1), "A");
        assert_eq!(column_letter(26), "Z");
        assert_eq!(column_letter(27), "AA");
        assert_eq!(column_letter(53), "BA");
    }
}

//! The `translated_from` line of a translation's front matter: written in place, the rest
//! of the file (comments, order, line breaks, a byte-order mark) left as it was.

use crate::input::front_matter;

/// The front matter field that records the source version.
pub const FIELD: &str = "translated_from";

/// `text` with its front matter's `translated_from` set to `fingerprint`: the line
/// replaced where there is one, else added as the front matter's last line. `None` when
/// the text has no front matter. Line breaks (`\r\n` or `\n`) and a byte-order mark are
/// kept as the file has them.
pub fn set(text: &str, fingerprint: &str) -> Option<String> {
    let (bom, rest) = match text.strip_prefix('\u{feff}') {
        Some(r) => ("\u{feff}", r),
        None => ("", text),
    };
    let crlf = rest.contains("\r\n");
    let normalized = rest.replace("\r\n", "\n");
    let split = front_matter::split(&normalized).ok()?;
    let line = format!("{FIELD}: {fingerprint}");
    let mut yaml = String::with_capacity(split.yaml.len() + line.len() + 1);
    let mut replaced = false;
    for l in split.yaml.split_inclusive('\n') {
        let is_field = l
            .strip_prefix(FIELD)
            .is_some_and(|after| after.trim_start().starts_with(':'));
        if is_field && !replaced {
            yaml.push_str(&line);
            yaml.push('\n');
            replaced = true;
        } else if !is_field {
            yaml.push_str(l);
        }
    }
    if !replaced {
        if !yaml.is_empty() && !yaml.ends_with('\n') {
            yaml.push('\n');
        }
        yaml.push_str(&line);
        yaml.push('\n');
    }
    let out = format!("---\n{yaml}---\n{}", split.body);
    let out = if crlf { out.replace('\n', "\r\n") } else { out };
    Some(format!("{bom}{out}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_the_line_at_the_end_of_the_front_matter() {
        let text = "---\ntitle: A # the name\nsummary: >\n  one\n---\n## Body\n";
        assert_eq!(
            set(text, "0123456789ab").unwrap(),
            "---\ntitle: A # the name\nsummary: >\n  one\ntranslated_from: 0123456789ab\n---\n## Body\n"
        );
    }

    #[test]
    fn replaces_the_line_in_place() {
        let text =
            "---\ntitle: A\ntranslated_from: 000000000000\npublished: 2024-01-01\n---\nBody\n";
        assert_eq!(
            set(text, "0123456789ab").unwrap(),
            "---\ntitle: A\ntranslated_from: 0123456789ab\npublished: 2024-01-01\n---\nBody\n"
        );
    }

    #[test]
    fn keeps_crlf_and_the_byte_order_mark() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n";
        assert_eq!(
            set(text, "0123456789ab").unwrap(),
            "\u{feff}---\r\ntitle: A\r\ntranslated_from: 0123456789ab\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn a_file_without_front_matter_is_left_alone() {
        assert_eq!(set("Body\n", "0123456789ab"), None);
        assert_eq!(set("---\ntitle: A\n", "0123456789ab"), None);
    }
}

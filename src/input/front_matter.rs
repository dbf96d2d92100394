//! Splits a content file into its YAML front matter and Markdown body, keeping line numbers.

/// The parts of a content file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (may be empty).
    pub yaml: &'a str,
    /// File line (1-based) of the YAML's first line.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// File line (1-based) of the body's first line.
    pub body_line: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "---"
}

/// Splits `text` (without BOM) at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::Missing)?;
    if !is_fence(first) {
        return Err(SplitError::Missing);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(lines) {
        if is_fence(line) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

/// The top-level entries of a YAML mapping, as text: `(key, lines)`, comments kept with the
/// entry that follows them.
pub fn top_level_entries(yaml: &str) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut pending = String::new();
    for line in yaml.split_inclusive('\n') {
        let starts_key = !line.starts_with([' ', '\t', '#', '-'])
            && !line.trim().is_empty()
            && line.contains(':');
        if starts_key {
            let key = line.split(':').next().unwrap_or("").trim().to_string();
            entries.push((key, std::mem::take(&mut pending) + line));
        } else if line.starts_with('#') || line.trim().is_empty() {
            pending.push_str(line);
        } else if let Some((_, text)) = entries.last_mut() {
            text.push_str(&pending);
            pending.clear();
            text.push_str(line);
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!((s.yaml_line, s.body_line, s.body_offset), (2, 4, 17));
    }

    #[test]
    fn handles_crlf_and_trailing_spaces_on_fences() {
        let s = split("---  \r\ntitle: A\r\n--- \r\nBody\r\n").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn empty_front_matter_and_empty_body() {
        let s = split("---\n---\n").unwrap();
        assert_eq!((s.yaml, s.body, s.body_line), ("", "", 3));
        let s = split("---\na: 1\n---").unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("title: A\n"), Err(SplitError::Missing));
        assert_eq!(split("----\n"), Err(SplitError::Missing));
        assert_eq!(split("---"), Err(SplitError::Unclosed));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split("---\ntitle: A\n----\n"), Err(SplitError::Unclosed));
    }

    #[test]
    fn top_level_entries_keep_blocks_and_comments() {
        let yaml = "title: A\n# the summary\nsummary: >\n  one\n  two\ntopics:\n  - x\n";
        let e = top_level_entries(yaml);
        let keys: Vec<&str> = e.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["title", "summary", "topics"]);
        assert_eq!(e[1].1, "# the summary\nsummary: >\n  one\n  two\n");
        assert_eq!(e[2].1, "topics:\n  - x\n");
    }

    #[test]
    fn a_fence_inside_the_body_is_body() {
        let s = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.body, "text\n---\nmore\n");
    }
}

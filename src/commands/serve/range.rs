//! `Range` requests (RFC 9110 §14), so that video and audio in `static/` can be played and
//! sought: one range of bytes is answered with 206 and its `Content-Range`; a range that
//! starts past the end gets 416. Several ranges at once (multipart responses, which no
//! browser needs for media), other units, malformed ranges and `If-Range` (the server sends
//! no validators to compare with) get the whole file, as the RFC allows.

/// What to send of a file of a known length.
#[derive(Debug, PartialEq, Eq)]
pub enum Part {
    /// The whole file.
    Whole,
    /// Bytes `start..=end`.
    Bytes {
        /// The first byte.
        start: u64,
        /// The last byte, included.
        end: u64,
    },
    /// Nothing: the range is outside the file (416).
    Unsatisfiable,
}

/// The part of a file of `len` bytes that a `Range` header asks for.
pub fn parse(range: Option<&str>, len: u64) -> Part {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Part::Whole;
    };
    if spec.contains(',') {
        return Part::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Part::Whole;
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (first.trim().is_empty(), last.trim().is_empty()) {
        // `-N`: the last N bytes.
        (true, false) => match number(last) {
            Some(0) => Part::Unsatisfiable,
            Some(_) if len == 0 => Part::Unsatisfiable,
            Some(n) => Part::Bytes {
                start: len - n.min(len),
                end: len - 1,
            },
            None => Part::Whole,
        },
        // `A-` or `A-B`.
        (false, open) => {
            let Some(start) = number(first) else {
                return Part::Whole;
            };
            let end = if open {
                u64::MAX
            } else {
                match number(last) {
                    Some(end) if end >= start => end,
                    _ => return Part::Whole,
                }
            };
            if start >= len {
                Part::Unsatisfiable
            } else {
                Part::Bytes {
                    start,
                    end: end.min(len - 1),
                }
            }
        }
        (true, true) => Part::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(start: u64, end: u64) -> Part {
        Part::Bytes { start, end }
    }

    #[test]
    fn one_range_of_bytes() {
        assert_eq!(parse(Some("bytes=0-"), 100), bytes(0, 99));
        assert_eq!(parse(Some("bytes=0-9"), 100), bytes(0, 9));
        assert_eq!(parse(Some("bytes=90-200"), 100), bytes(90, 99));
        assert_eq!(parse(Some("bytes=99-99"), 100), bytes(99, 99));
        assert_eq!(parse(Some("bytes=-10"), 100), bytes(90, 99));
        assert_eq!(parse(Some("bytes=-500"), 100), bytes(0, 99));
        assert_eq!(parse(Some(" bytes= 5 - 6 "), 100), bytes(5, 6));
    }

    #[test]
    fn past_the_end_is_unsatisfiable() {
        assert_eq!(parse(Some("bytes=100-"), 100), Part::Unsatisfiable);
        assert_eq!(parse(Some("bytes=100-200"), 100), Part::Unsatisfiable);
        assert_eq!(parse(Some("bytes=-0"), 100), Part::Unsatisfiable);
        assert_eq!(parse(Some("bytes=0-"), 0), Part::Unsatisfiable);
        assert_eq!(parse(Some("bytes=-5"), 0), Part::Unsatisfiable);
    }

    #[test]
    fn anything_else_gets_the_whole_file() {
        for r in [
            None,
            Some("bytes=0-1,5-6"),
            Some("items=0-1"),
            Some("bytes=5-2"),
            Some("bytes=a-b"),
            Some("bytes=-"),
            Some("bytes=1"),
            Some("bytes=+1-2"),
            Some("bytes=99999999999999999999999-"),
        ] {
            assert_eq!(parse(r, 100), Part::Whole, "{r:?}");
        }
    }
}

//! Where each value of a JSON text is: its line and column by path
//! (`practices[3].translations[0].published`), so that a problem of an imported
//! `practices.json` points at the value. Run on text serde_json has already parsed (which
//! limits nesting); on anything else it stops early and knows fewer places.

use std::collections::HashMap;

/// Line and column (1-based, in characters) of each value, by path.
#[derive(Debug, Default)]
pub struct Positions(HashMap<String, (usize, usize)>);

impl Positions {
    /// The line and column of the value at `path`, else of the closest enclosing value.
    pub fn of(&self, path: &str) -> (usize, usize) {
        let mut p = path;
        loop {
            if let Some(at) = self.0.get(p) {
                return *at;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return self.0.get("").copied().unwrap_or((1, 1)),
            }
        }
    }
}

/// The positions of every value of `text`.
pub fn positions(text: &str) -> Positions {
    let mut w = Walker {
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        column: 1,
        map: HashMap::new(),
    };
    w.value(String::new());
    Positions(w.map)
}

struct Walker<'a> {
    bytes: &'a [u8],
    i: usize,
    line: usize,
    column: usize,
    map: HashMap<String, (usize, usize)>,
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    fn advance(&mut self) {
        let Some(b) = self.peek() else { return };
        self.i += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if b & 0xC0 != 0x80 {
            self.column += 1;
        }
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.advance();
        }
    }

    fn value(&mut self, path: String) {
        self.space();
        self.map.insert(path.clone(), (self.line, self.column));
        match self.peek() {
            Some(b'{') => self.object(&path),
            Some(b'[') => self.array(&path),
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.advance();
                }
            }
            None => {}
        }
    }

    fn string(&mut self) -> String {
        self.advance();
        let start = self.i;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => {
                    self.advance();
                    self.advance();
                }
                b'"' => break,
                _ => self.advance(),
            }
        }
        let s =
            String::from_utf8_lossy(&self.bytes[start..self.i.min(self.bytes.len())]).into_owned();
        self.advance();
        s
    }

    fn object(&mut self, path: &str) {
        self.advance();
        loop {
            self.space();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => return self.advance(),
                _ => return,
            }
            let key = self.string();
            self.space();
            if self.peek() != Some(b':') {
                return;
            }
            self.advance();
            let child = if path.is_empty() {
                key
            } else {
                format!("{path}.{key}")
            };
            self.value(child);
            self.space();
            match self.peek() {
                Some(b',') => self.advance(),
                Some(b'}') => return self.advance(),
                _ => return,
            }
        }
    }

    fn array(&mut self, path: &str) {
        self.advance();
        let mut n = 0;
        loop {
            self.space();
            if self.peek() == Some(b']') {
                return self.advance();
            }
            if self.peek().is_none() {
                return;
            }
            self.value(format!("{path}[{n}]"));
            n += 1;
            self.space();
            match self.peek() {
                Some(b',') => self.advance(),
                Some(b']') => return self.advance(),
                _ => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::positions;

    #[test]
    fn finds_values_by_path() {
        let p = positions("{\n  \"a\": [1, {\"b\": \"é\", \"c\": null}],\n  \"d\": true\n}");
        assert_eq!(p.of("a"), (2, 8));
        assert_eq!(p.of("a[1].c"), (2, 28));
        assert_eq!(p.of("a[1].missing"), (2, 12));
        assert_eq!(p.of("d"), (3, 8));
    }
}

//! XLIFF 2 in: the languages, and per `<file>` casebook's metadata and each unit's
//! translated content (its segments' targets, in order), codes kept by id. Checking them
//! against the site is the importer's job; here every problem of the document itself is
//! found, each at the byte offset of the element it is about.

use std::collections::BTreeMap;

use super::dom::{Element, Node};
use super::{MDA_NAMESPACE, XLIFF_NAMESPACE};

/// A problem in an XLIFF document, at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub at: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

fn problem(at: usize, message: impl Into<String>, hint: Option<&str>) -> Problem {
    Problem {
        at,
        message: message.into(),
        hint: hint.map(str::to_string),
    }
}

/// A piece of translated content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text.
    Text(String),
    /// A code: a `<ph>` (not `paired`), or a `<pc>` or `<sc>`…`<ec>` with its content.
    Code {
        /// Its id.
        id: String,
        /// Whether it encloses content.
        paired: bool,
        /// The enclosed content.
        content: Vec<Piece>,
        /// Where it is.
        at: usize,
    },
}

/// A unit as it came back.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Its id.
    pub id: String,
    /// Where it is.
    pub at: usize,
    /// Its translation: its segments' targets in order; `None` when a segment has none.
    pub target: Option<Vec<Piece>>,
    /// Where its translation is (its first `<target>`), or where one is missing.
    pub target_at: usize,
}

/// A `<file>` as it came back.
#[derive(Debug, Clone)]
pub struct File {
    /// Where it is.
    pub at: usize,
    /// casebook's metadata: type → (value, where).
    pub meta: BTreeMap<String, (String, usize)>,
    /// Its units, in order.
    pub units: Vec<Unit>,
}

/// An XLIFF document as it came back.
#[derive(Debug, Clone)]
pub struct Returned {
    /// `srcLang`.
    pub src_lang: String,
    /// `trgLang`.
    pub trg_lang: String,
    /// Where the root element is.
    pub at: usize,
    /// Its files.
    pub files: Vec<File>,
}

/// What an XLIFF document holds, or every problem found in it.
pub fn read(root: &Element) -> Result<Returned, Vec<Problem>> {
    if !root.is(XLIFF_NAMESPACE, "xliff") {
        return Err(vec![problem(
            root.at,
            format!("`<{}>` is not an XLIFF 2 document", root.name),
            Some(
                "casebook reads XLIFF 2.0 and 2.1 (namespace urn:oasis:names:tc:xliff:document:2.0), as `casebook translations export` writes them",
            ),
        )]);
    }
    let mut problems = Vec::new();
    let version = root.attribute("version").unwrap_or("");
    if !version.starts_with("2.") {
        problems.push(problem(
            root.at,
            format!("XLIFF version `{version}` is not 2.x"),
            Some("save the file as XLIFF 2.1 (or 2.0)"),
        ));
    }
    let src_lang = root.attribute("srcLang").unwrap_or("").to_string();
    let trg_lang = root.attribute("trgLang").unwrap_or("").to_string();
    if trg_lang.is_empty() {
        problems.push(problem(
            root.at,
            "the document has no target language (`trgLang`)",
            Some("export the file again: `casebook translations export LANG`"),
        ));
    }
    let mut files = Vec::new();
    for f in root.named(XLIFF_NAMESPACE, "file") {
        let mut meta = BTreeMap::new();
        for m in f.named(MDA_NAMESPACE, "metadata") {
            for g in m
                .named(MDA_NAMESPACE, "metaGroup")
                .filter(|g| g.attribute("category") == Some("casebook"))
            {
                for item in g.named(MDA_NAMESPACE, "meta") {
                    let kind = item.attribute("type").unwrap_or("").to_string();
                    meta.insert(kind, (item.text().trim().to_string(), item.at));
                }
            }
        }
        let mut units = Vec::new();
        collect_units(f, &mut units, &mut problems);
        files.push(File {
            at: f.at,
            meta,
            units,
        });
    }
    if files.is_empty() {
        problems.push(problem(root.at, "the document has no `<file>`", None));
    }
    if problems.is_empty() {
        Ok(Returned {
            src_lang,
            trg_lang,
            at: root.at,
            files,
        })
    } else {
        Err(problems)
    }
}

fn collect_units(parent: &Element, units: &mut Vec<Unit>, problems: &mut Vec<Problem>) {
    for e in parent.elements().filter(|e| e.namespace == XLIFF_NAMESPACE) {
        match e.name.as_str() {
            "group" => collect_units(e, units, problems),
            "unit" => units.push(unit(e, problems)),
            _ => {}
        }
    }
}

fn unit(e: &Element, problems: &mut Vec<Problem>) -> Unit {
    let id = e.attribute("id").unwrap_or("").to_string();
    let mut target: Option<Vec<Piece>> = Some(Vec::new());
    let mut target_at = None;
    for part in e.elements().filter(|p| p.namespace == XLIFF_NAMESPACE) {
        let (t, s) = (
            part.named(XLIFF_NAMESPACE, "target").next(),
            part.named(XLIFF_NAMESPACE, "source").next(),
        );
        let chosen = match (part.name.as_str(), t) {
            ("segment", Some(t)) => Some(t),
            ("segment", None) => {
                target = None;
                target_at.get_or_insert(part.at);
                continue;
            }
            ("ignorable", t) => t.or(s),
            _ => continue,
        };
        let Some(chosen) = chosen else { continue };
        target_at.get_or_insert(chosen.at);
        let pieces = pieces(&chosen.children, problems);
        if let Some(all) = target.as_mut() {
            all.extend(pieces);
        }
    }
    Unit {
        id,
        at: e.at,
        target,
        target_at: target_at.unwrap_or(e.at),
    }
}

/// Inline content: text, codes (`<sc>`…`<ec>` paired up), annotations (`<mrk>`) read
/// through, code points (`<cp>`) as characters.
fn pieces(nodes: &[Node], problems: &mut Vec<Problem>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    // Open `<sc>` codes: (id, where, content before it).
    let mut open: Vec<(String, usize, Vec<Piece>)> = Vec::new();
    for n in nodes {
        let e = match n {
            Node::Text(t) => {
                push_text(&mut out, t);
                continue;
            }
            Node::Element(e) => e,
        };
        let id = e.attribute("id").unwrap_or("").to_string();
        match (e.namespace == XLIFF_NAMESPACE, e.name.as_str()) {
            (true, "ph") => out.push(Piece::Code {
                id,
                paired: false,
                content: Vec::new(),
                at: e.at,
            }),
            (true, "pc") => out.push(Piece::Code {
                id,
                paired: true,
                content: pieces(&e.children, problems),
                at: e.at,
            }),
            (true, "sc") => open.push((id, e.at, std::mem::take(&mut out))),
            (true, "ec") => {
                let start = e.attribute("startRef").map(str::to_string).unwrap_or(id);
                match open.iter().rposition(|(i, _, _)| *i == start) {
                    Some(k) if k == open.len() - 1 => {
                        let (sid, at, before) = open.pop().expect("an open code");
                        let content = std::mem::replace(&mut out, before);
                        out.push(Piece::Code { id: sid, paired: true, content, at });
                    }
                    _ => problems.push(problem(
                        e.at,
                        format!("the code closed here (`{start}`) does not close the last code opened"),
                        Some("codes stand for Markdown, which nests: close codes in the reverse order they were opened"),
                    )),
                }
            }
            (true, "cp") => {
                let c = e
                    .attribute("hex")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32);
                match c {
                    Some(c) => push_text(&mut out, c.encode_utf8(&mut [0; 4])),
                    None => problems.push(problem(
                        e.at,
                        "`<cp>` without a valid `hex` code point",
                        None,
                    )),
                }
            }
            (true, "mrk") => {
                for p in pieces(&e.children, problems) {
                    match p {
                        Piece::Text(t) => push_text(&mut out, &t),
                        code => out.push(code),
                    }
                }
            }
            (true, "sm" | "em") => {}
            _ => problems.push(problem(
                e.at,
                format!("`<{}>` has no place in a translation", e.name),
                Some("a target holds text and the codes of its source (`<ph>`, `<pc>`)"),
            )),
        }
    }
    for (id, at, before) in open.into_iter().rev() {
        problems.push(problem(
            at,
            format!("the code opened here (`{id}`) is not closed in the same segment"),
            Some("keep each pair of codes inside one segment, around the words it belongs to"),
        ));
        let content = std::mem::replace(&mut out, before);
        out.extend(content);
    }
    out
}

fn push_text(out: &mut Vec<Piece>, t: &str) {
    if let Some(Piece::Text(last)) = out.last_mut() {
        last.push_str(t);
    } else {
        out.push(Piece::Text(t.to_string()));
    }
}

//! What a translator translates in one practice or page: one unit per translatable text of
//! the front matter and per block of the body, each with its source content, a label
//! and help for translators, and, where an existing translation says it, a target to start
//! from. Export writes these units; import rebuilds them from the source to check what
//! comes back.

use super::blocks::{self, Block};
use super::inline::{self, Code, Inline};
use super::source::Source;

/// One thing to translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Its id: the front matter key (`title`, `key_figures.0.label`) or `body.N`.
    pub id: String,
    /// What it is, for translators.
    pub label: String,
    /// How to translate it.
    pub help: Option<String>,
    /// The source's content.
    pub source: Vec<Inline>,
    /// An existing translation's content, where it matches the source's codes.
    pub target: Option<Vec<Inline>>,
}

impl Unit {
    /// Whether it is a block of the body (else a text of the front matter).
    pub fn is_body(&self) -> bool {
        self.id.starts_with("body.")
    }
}

/// The units of `source`, with targets from `translation` where it has them: every text
/// it translates, and the blocks of its body when they have the source's structure.
pub fn units(source: &Source, translation: Option<&Source>) -> Vec<Unit> {
    let theirs = translation.map(Source::texts).unwrap_or_default();
    let mut out: Vec<Unit> = source
        .texts()
        .into_iter()
        .map(|t| Unit {
            target: theirs
                .iter()
                .find(|x| x.key == t.key)
                .map(|x| vec![Inline::Text(x.value.clone())]),
            id: t.key,
            label: t.label,
            help: Some(t.help.to_string()),
            source: vec![Inline::Text(t.value)],
        })
        .collect();
    let ours = blocks::blocks(source.body());
    let translated = translation.map(|t| blocks::blocks(t.body()));
    let aligned = translated
        .filter(|t| t.len() == ours.len() && t.iter().zip(&ours).all(|(a, b)| a.kind == b.kind));
    for (i, block) in ours.into_iter().enumerate() {
        let target = aligned.as_ref().and_then(|t| matched(&block, &t[i]));
        out.push(Unit {
            id: format!("body.{}", i + 1),
            label: format!("Body, {}", block.kind.describe()),
            help: None,
            source: block.content,
            target,
        });
    }
    out
}

/// The content of `theirs` with its codes made the source's own, when each of its codes is
/// one of `ours`, written the same, and every code of `ours` is there.
fn matched(ours: &Block, theirs: &Block) -> Option<Vec<Inline>> {
    let source_codes = inline::codes(&ours.content);
    let mut used = vec![false; source_codes.len()];
    let content = remap(&theirs.content, &source_codes, &mut used)?;
    used.iter().all(|u| *u).then_some(content)
}

/// The first code of `codes` not `used` yet written as `c` is, marked used.
fn find(c: &Code, codes: &[&Code], used: &mut [bool]) -> Option<Code> {
    let i = (0..codes.len()).find(|&i| {
        let s = codes[i];
        !used[i] && s.kind == c.kind && s.start == c.start && s.end == c.end
    })?;
    used[i] = true;
    Some(codes[i].clone())
}

fn remap(content: &[Inline], codes: &[&Code], used: &mut [bool]) -> Option<Vec<Inline>> {
    let mut out = Vec::with_capacity(content.len());
    for i in content {
        out.push(match i {
            Inline::Text(t) => Inline::Text(t.clone()),
            Inline::Code(c) => Inline::Code(find(c, codes, used)?),
            Inline::Pair(c, inner) => {
                let code = find(c, codes, used)?;
                Inline::Pair(code, remap(inner, codes, used)?)
            }
        });
    }
    Some(out)
}

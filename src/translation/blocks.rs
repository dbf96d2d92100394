//! A Markdown body cut into the blocks translators translate: the inline content of each
//! heading, paragraph, list item and table cell, with its place in the body. Everything
//! else (list markers, `>` quotes, code blocks, raw HTML blocks, link definitions, table
//! rules) stays as written, and [`reassemble`] puts translated blocks back in its place,
//! so that a translation has the structure of its source.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::inline::{Code, Inline, Kind, Layout, to_markdown_in};
use crate::document::markdown::parser_options;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading of this level.
    Heading(u8),
    /// A paragraph.
    Paragraph,
    /// The text of a list item (of a tight list).
    ListItem,
    /// A table cell (header cells included).
    TableCell,
}

impl BlockKind {
    /// How translators see it: `heading (level 2)`, `paragraph`…
    pub fn describe(self) -> String {
        match self {
            BlockKind::Heading(l) => format!("heading (level {l})"),
            BlockKind::Paragraph => "paragraph".into(),
            BlockKind::ListItem => "list item".into(),
            BlockKind::TableCell => "table cell".into(),
        }
    }
}

/// One block of translatable inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Where its inline content is in the body (bytes).
    pub range: Range<usize>,
    /// The content.
    pub content: Vec<Inline>,
}

/// An element being read: its code (for enclosing codes) and content so far.
struct Open {
    code: Option<(Kind, Range<usize>, LinkType)>,
    content: Vec<Inline>,
    /// The end of the last event inside it.
    end: usize,
}

/// The blocks of `body`, in order.
pub fn blocks(body: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut containers: Vec<BlockKind> = Vec::new();
    // The inline run being read: its start, and the stack of open elements.
    let mut run: Option<(usize, Vec<Open>)> = None;
    let mut in_code_block = false;
    let mut next_id = 1;
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        if in_code_block {
            in_code_block = !matches!(event, Event::End(TagEnd::CodeBlock));
            continue;
        }
        if !is_inline(&event) {
            if let Some((start, stack)) = run.take() {
                close_run(&mut out, &containers, start, stack);
            }
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
                Event::Start(Tag::Heading { level, .. }) => {
                    containers.push(BlockKind::Heading(level as u8))
                }
                Event::Start(Tag::Paragraph) => containers.push(BlockKind::Paragraph),
                Event::Start(Tag::Item) => containers.push(BlockKind::ListItem),
                Event::Start(Tag::TableCell) => containers.push(BlockKind::TableCell),
                Event::End(
                    TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell,
                ) => {
                    containers.pop();
                }
                _ => {}
            }
            continue;
        }
        // An escaped character's text starts after its backslash: the run starts before it.
        let escaped = matches!(&event, Event::Text(t) if t.starts_with(|c: char| c.is_ascii_punctuation()))
            && range.start > 0
            && body.as_bytes()[range.start - 1] == b'\\';
        let start = if escaped {
            range.start - 1
        } else {
            range.start
        };
        let (_, stack) = run.get_or_insert_with(|| {
            (
                start,
                vec![Open {
                    code: None,
                    content: Vec::new(),
                    end: range.start,
                }],
            )
        });
        let top = stack.last_mut().expect("the run's root");
        if !matches!(event, Event::End(_)) {
            top.end = top.end.max(range.end);
        }
        match event {
            Event::Text(t) => push_text(&mut top.content, &t),
            Event::SoftBreak => push_text(&mut top.content, " "),
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::InlineMath(_) => {
                let kind = if matches!(event, Event::Code(_)) {
                    Kind::CodeSpan
                } else {
                    Kind::Other
                };
                let code = lone(&mut next_id, kind, &body[range]);
                top.content.push(Inline::Code(code));
            }
            Event::HardBreak => {
                let code = lone(&mut next_id, Kind::LineBreak, &body[range]);
                top.content.push(Inline::Code(code));
            }
            Event::Start(tag) => {
                let (kind, link_type) = match tag {
                    Tag::Strong => (Kind::Strong, LinkType::Inline),
                    Tag::Emphasis => (Kind::Emphasis, LinkType::Inline),
                    Tag::Strikethrough => (Kind::Strike, LinkType::Inline),
                    Tag::Link { link_type, .. } => (Kind::Link, link_type),
                    Tag::Image { link_type, .. } => (Kind::Image, link_type),
                    _ => (Kind::Other, LinkType::Inline),
                };
                stack.push(Open {
                    code: Some((kind, range.clone(), link_type)),
                    content: Vec::new(),
                    end: range.start,
                });
            }
            Event::End(_) => {
                let done = stack.pop().expect("an open element");
                let parent = stack.last_mut().expect("the run's root");
                parent.end = parent.end.max(range.end);
                parent.content.push(enclose(body, done, &mut next_id));
            }
            _ => {}
        }
    }
    if let Some((start, stack)) = run.take() {
        close_run(&mut out, &containers, start, stack);
    }
    out
}

fn is_inline(event: &Event) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

fn push_text(content: &mut Vec<Inline>, t: &str) {
    if let Some(Inline::Text(last)) = content.last_mut() {
        last.push_str(t);
    } else {
        content.push(Inline::Text(t.to_string()));
    }
}

fn lone(next_id: &mut usize, kind: Kind, written: &str) -> Code {
    let id = next_id.to_string();
    *next_id += 1;
    let start = if kind == Kind::LineBreak {
        written.to_string()
    } else {
        one_line(written)
    };
    Code {
        id,
        kind,
        start,
        end: String::new(),
    }
}

/// Markdown written over several lines, on one: each line break and the indentation
/// after it made a space (as code spans, link titles and HTML read them), so that the
/// block it is in can be written on one line.
fn one_line(written: &str) -> String {
    if !written.contains('\n') {
        return written.to_string();
    }
    let mut out = String::with_capacity(written.len());
    let mut lines = written.split('\n');
    out.push_str(lines.next().unwrap_or(""));
    for l in lines {
        out.push(' ');
        out.push_str(l.trim_start_matches([' ', '\t', '>']).trim_start());
    }
    out
}

/// An element read in full: a code enclosing its content, or a lone code when its content
/// cannot be cut from its Markdown (an autolink, an empty link).
fn enclose(body: &str, open: Open, next_id: &mut usize) -> Inline {
    let (kind, range, link_type) = open.code.expect("an element has a code");
    let written = &body[range.clone()];
    let delimiter = |n: usize| -> Option<(String, String)> {
        let c = written.chars().next()?;
        let lead = written.chars().take_while(|x| *x == c).count().min(n);
        let trail = written.chars().rev().take_while(|x| *x == c).count().min(n);
        (lead > 0 && lead == trail && written.len() > lead + trail).then(|| {
            (
                written[..lead].to_string(),
                written[written.len() - trail..].to_string(),
            )
        })
    };
    let parts = match kind {
        Kind::Strong => delimiter(2),
        Kind::Emphasis => delimiter(1),
        Kind::Strike => delimiter(2),
        Kind::Link | Kind::Image => {
            let opening = if kind == Kind::Image { "![" } else { "[" };
            let cut = matches!(
                link_type,
                LinkType::Inline | LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
            ) && !open.content.is_empty()
                && written.starts_with(opening)
                && open.end > range.start + opening.len()
                && open.end <= range.end;
            cut.then(|| (opening.to_string(), one_line(&body[open.end..range.end])))
        }
        _ => None,
    };
    let id = next_id.to_string();
    *next_id += 1;
    match parts {
        Some((start, end)) => Inline::Pair(
            Code {
                id,
                kind,
                start,
                end,
            },
            open.content,
        ),
        None => Inline::Code(Code {
            id,
            kind: Kind::Other,
            start: one_line(written),
            end: String::new(),
        }),
    }
}

fn close_run(out: &mut Vec<Block>, containers: &[BlockKind], start: usize, mut stack: Vec<Open>) {
    // Elements left open cannot happen in a parsed body; keep whatever was read.
    while stack.len() > 1 {
        let done = stack.pop().expect("an open element");
        let parent = stack.last_mut().expect("the run's root");
        parent.end = parent.end.max(done.end);
        parent.content.extend(done.content);
    }
    let root = stack.pop().expect("the run's root");
    let only_space = root
        .content
        .iter()
        .all(|i| matches!(i, Inline::Text(t) if t.trim().is_empty()));
    if only_space {
        return;
    }
    out.push(Block {
        kind: containers.last().copied().unwrap_or(BlockKind::Paragraph),
        range: start..root.end,
        content: root.content,
    });
}

/// The widest line of a paragraph or list item a translation writes.
pub const WRAP: usize = 80;

/// `body` with the content of each of its `blocks` replaced by `translated` (one per
/// block, in order), written as Markdown: paragraphs and list items wrapped at [`WRAP`]
/// columns, each line after the first starting as the block's container asks (the
/// indentation of a list item, the `>` of a quote); headings and table cells on one line.
pub fn reassemble(body: &str, blocks: &[Block], translated: &[Vec<Inline>]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (b, t) in blocks.iter().zip(translated) {
        let line_start = body[..b.range.start].rfind('\n').map_or(0, |i| i + 1);
        let lead = &body[line_start..b.range.start];
        // The container's marks on the block's first line, as its other lines repeat them.
        let prefix: String = lead
            .chars()
            .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
            .collect();
        let wraps = matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem);
        let layout = Layout {
            width: if wraps { WRAP } else { 0 },
            first: lead.chars().count(),
            prefix: &prefix,
        };
        out.push_str(&body[at..b.range.start]);
        out.push_str(&to_markdown_in(t, layout));
        at = b.range.end;
    }
    out.push_str(&body[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::inline::to_markdown;
    use super::*;

    fn shape(body: &str) -> Vec<(BlockKind, String)> {
        blocks(body)
            .into_iter()
            .map(|b| (b.kind, to_markdown(&b.content)))
            .collect()
    }

    #[test]
    fn bodies_are_cut_at_their_blocks() {
        let body = "## The challenge {#challenge}\n\nA *first*\nparagraph with [a link](@/practices/b.md \"B\").\n\n- one\n- **two**\n  lines\n\n1. [ ] task\n\n> quoted\n> text\n\n```\ncode stays\n```\n\n| A | B |\n|---|---|\n| `x` | y \\| z |\n\nSee [B][b] and <https://example.org>.[^1]\n\n[b]: https://example.org/b\n[^1]: A note.\n";
        assert_eq!(
            shape(body),
            [
                (BlockKind::Heading(2), "The challenge".to_string()),
                (
                    BlockKind::Paragraph,
                    "A *first* paragraph with [a link](@/practices/b.md \"B\").".into()
                ),
                (BlockKind::ListItem, "one".into()),
                (BlockKind::ListItem, "**two** lines".into()),
                (BlockKind::ListItem, "task".into()),
                (BlockKind::Paragraph, "quoted text".into()),
                (BlockKind::TableCell, "A".into()),
                (BlockKind::TableCell, "B".into()),
                (BlockKind::TableCell, "`x`".into()),
                (BlockKind::TableCell, "y \\| z".into()),
                (
                    BlockKind::Paragraph,
                    "See [B][b] and <https://example.org>.[^1]".into()
                ),
                (BlockKind::Paragraph, "A note.".into()),
            ]
        );
    }

    #[test]
    fn long_blocks_wrap_as_their_container_asks() {
        let long = "word ".repeat(30);
        let body = format!("{long}\n\n- {long}\n\n> 1. {long}\n\n| {long} |\n|---|\n");
        let bs = blocks(&body);
        let texts: Vec<Vec<Inline>> = bs.iter().map(|b| b.content.clone()).collect();
        let again = reassemble(&body, &bs, &texts);
        let lines: Vec<&str> = again.lines().map(str::trim_end).collect();
        assert!(
            lines
                .iter()
                .filter(|l| !l.starts_with('|'))
                .all(|l| l.chars().count() <= WRAP),
            "{again}"
        );
        assert!(
            lines.contains(
                &"  word word word word word word word word word word word word word word word"
            ),
            "{again}"
        );
        assert!(lines.iter().any(|l| l.starts_with(">    word")), "{again}");
        assert_eq!(
            lines.iter().filter(|l| l.starts_with('|')).count(),
            2,
            "cells stay on one line"
        );
        let kinds = |b: &str| blocks(b).into_iter().map(|b| b.kind).collect::<Vec<_>>();
        assert_eq!(kinds(&again), kinds(&body));
    }

    #[test]
    fn reassembling_the_source_keeps_its_structure() {
        let body = "## The challenge {#challenge}\n\nA *first*\nparagraph.\n\n- one\n- **two**\n  lines\n\n> quoted\n> text\n\n| A | B |\n|---|---|\n| `x` | y |\n";
        let bs = blocks(body);
        let texts: Vec<Vec<Inline>> = bs.iter().map(|b| b.content.clone()).collect();
        let again = reassemble(body, &bs, &texts);
        assert_eq!(
            again,
            "## The challenge {#challenge}\n\nA *first* paragraph.\n\n- one\n- **two** lines\n\n> quoted text\n\n| A | B |\n|---|---|\n| `x` | y |\n"
        );
        let kinds = |b: &str| blocks(b).into_iter().map(|b| b.kind).collect::<Vec<_>>();
        assert_eq!(kinds(&again), kinds(body));
    }
}

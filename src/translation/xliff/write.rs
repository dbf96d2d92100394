//! XLIFF 2.1 out: one `<file>` per practice or page, its texts and body blocks as units,
//! Markdown as inline codes that translators cannot delete or copy (`<pc>` around text,
//! `<ph>` alone, the Markdown itself in `<originalData>`), and what casebook needs to take
//! the file back in the metadata module (`mda:`).

use std::fmt::Write as _;

use quick_xml::escape::escape;

use super::{Document, MDA_NAMESPACE, XLIFF_NAMESPACE};
use crate::translation::inline::{Code, Inline, Kind, codes};
use crate::translation::units::Unit;

/// An XLIFF 2.1 document of `documents`, from `src_lang` into `trg_lang`.
pub fn xliff(src_lang: &str, trg_lang: &str, documents: &[Document]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<xliff xmlns=\"{XLIFF_NAMESPACE}\" xmlns:mda=\"{MDA_NAMESPACE}\" version=\"2.1\" srcLang=\"{}\" trgLang=\"{}\">",
        escape(src_lang),
        escape(trg_lang)
    );
    for d in documents {
        file(&mut out, d);
    }
    out.push_str("</xliff>\n");
    out
}

fn file(out: &mut String, d: &Document) {
    let _ = writeln!(
        out,
        " <file id=\"{}\" original=\"{}\" canResegment=\"no\">",
        escape(format!("{}-{}", d.section, d.slug)),
        escape(&d.source_file)
    );
    out.push_str("  <mda:metadata>\n   <mda:metaGroup category=\"casebook\">\n");
    for (t, v) in [
        ("section", d.section.as_str()),
        ("slug", &d.slug),
        ("source-version", &d.fingerprint),
        ("target-file", &d.target_file),
    ] {
        let _ = writeln!(out, "    <mda:meta type=\"{t}\">{}</mda:meta>", escape(v));
    }
    out.push_str("   </mda:metaGroup>\n  </mda:metadata>\n");
    let _ = writeln!(
        out,
        "  <notes>\n   <note category=\"instructions\">{}</note>\n  </notes>",
        escape(INSTRUCTIONS)
    );
    let (fields, body): (Vec<&Unit>, Vec<&Unit>) = d.units.iter().partition(|u| !u.is_body());
    for (id, name, units) in [("fields", "front matter", fields), ("body", "body", body)] {
        if units.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  <group id=\"{id}\" name=\"{name}\">");
        for u in units {
            unit(out, u, d.target_state);
        }
        out.push_str("  </group>\n");
    }
    out.push_str(" </file>\n");
}

/// What the file's note tells translators.
const INSTRUCTIONS: &str = "Translate every segment; a segment that needs no translation (a name) is left as its source, copied into the target. The inline codes stand for Markdown (emphasis, links, code, line breaks): keep each one, around the words it belongs to.";

fn unit(out: &mut String, u: &Unit, state: &str) {
    let _ = writeln!(
        out,
        "   <unit id=\"{}\" name=\"{}\">",
        escape(&u.id),
        escape(&u.id)
    );
    out.push_str("    <notes>\n");
    let _ = writeln!(
        out,
        "     <note category=\"label\">{}</note>",
        escape(&u.label)
    );
    if let Some(h) = &u.help {
        let _ = writeln!(out, "     <note category=\"help\">{}</note>", escape(h));
    }
    out.push_str("    </notes>\n");
    let all = codes(&u.source);
    if !all.is_empty() {
        out.push_str("    <originalData>\n");
        for c in &all {
            let _ = writeln!(
                out,
                "     <data id=\"d{}\">{}</data>",
                c.id,
                escape(&c.start)
            );
            if c.kind.is_paired() {
                let _ = writeln!(
                    out,
                    "     <data id=\"d{}e\">{}</data>",
                    c.id,
                    escape(&c.end)
                );
            }
        }
        out.push_str("    </originalData>\n");
    }
    match &u.target {
        Some(t) => {
            let _ = writeln!(out, "    <segment state=\"{state}\">");
            let _ = writeln!(out, "     <source>{}</source>", content(&u.source));
            let _ = writeln!(out, "     <target>{}</target>", content(t));
        }
        None => {
            out.push_str("    <segment>\n");
            let _ = writeln!(out, "     <source>{}</source>", content(&u.source));
        }
    }
    out.push_str("    </segment>\n   </unit>\n");
}

/// Inline content as XLIFF: text escaped, codes as `<ph>` and `<pc>`.
pub fn content(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Code(c) => {
                let _ = write!(
                    out,
                    "<ph id=\"{}\" dataRef=\"d{}\" canCopy=\"no\" canDelete=\"no\"{} disp=\"{}\"/>",
                    c.id,
                    c.id,
                    kind(c),
                    escape(shown(&c.start))
                );
            }
            Inline::Pair(c, inner) => {
                let _ = write!(
                    out,
                    "<pc id=\"{}\" dataRefStart=\"d{}\" dataRefEnd=\"d{}e\" canCopy=\"no\" canDelete=\"no\"{}>{}</pc>",
                    c.id,
                    c.id,
                    c.id,
                    kind(c),
                    content(inner)
                );
            }
        }
    }
    out
}

/// The `type` (and `subType`) of a code, as XLIFF names them.
fn kind(c: &Code) -> &'static str {
    match c.kind {
        Kind::Strong => " type=\"fmt\" subType=\"xlf:b\"",
        Kind::Emphasis => " type=\"fmt\" subType=\"xlf:i\"",
        Kind::Strike | Kind::CodeSpan => " type=\"fmt\"",
        Kind::LineBreak => " type=\"fmt\" subType=\"xlf:lb\"",
        Kind::Link => " type=\"link\"",
        Kind::Image => " type=\"image\"",
        Kind::Other => " type=\"other\"",
    }
}

/// A lone code as a translator's tool shows it: its Markdown, shortened.
fn shown(markdown: &str) -> String {
    let one_line = markdown.replace('\n', "↵");
    let mut s: String = one_line.chars().take(40).collect();
    if one_line.chars().count() > 40 {
        s.push('…');
    }
    s
}

//! Bodies cut into blocks for translators and put back together: with each block's source
//! content written back as Markdown, every body of the demo (and a body with every kind
//! of markup, and generated ones) renders to the same HTML as before, but for line breaks
//! inside paragraphs; and whatever a translator types stays text in the structure of the
//! source.

mod common;

use casebook::document::markdown::{MarkdownOptions, render};
use casebook::translation::blocks::{blocks, reassemble};

/// The HTML of a body with white space runs made one space (a paragraph's line breaks
/// become spaces when its blocks are written back on one line).
fn html(body: &str) -> String {
    let html = render(body, MarkdownOptions::default()).html;
    html.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts that two HTML texts are the same, showing where they part.
fn same(got: &str, want: &str) {
    if got == want {
        return;
    }
    let at = got
        .char_indices()
        .zip(want.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or(got.len().min(want.len()));
    let from = got[..at]
        .char_indices()
        .rev()
        .nth(80)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let near = |s: &str| {
        s.get(from..)
            .unwrap_or("")
            .chars()
            .take(200)
            .collect::<String>()
    };
    panic!(
        "the HTML differs:\n got: {}\nwant: {}",
        near(got),
        near(want)
    );
}

fn round_trip(body: &str) -> String {
    let bs = blocks(body);
    let texts: Vec<_> = bs.iter().map(|b| b.content.clone()).collect();
    reassemble(body, &bs, &texts)
}

#[test]
fn every_demo_body_survives_the_round_trip() {
    let mut checked = 0;
    for section in ["practices", "pages"] {
        let dir = common::repo().join("content").join(section);
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let body = text.splitn(3, "---\n").nth(2).unwrap();
            same(&html(&round_trip(body)), &html(body));
            checked += 1;
        }
    }
    assert!(checked > 30);
}

#[test]
fn every_kind_of_markup_survives_the_round_trip() {
    let body = r#"Intro with *emphasis*, _more_, **strong**, ***both***, ~~gone~~ and `code`.

## A heading with [a link](https://example.org "title") {#custom}

A paragraph\
with a hard break, and another  
one, an ![image of *things*](/img/a.png), <span>raw</span>, a footnote[^n] and an
autolink <https://example.org/x>, escaped \*stars\* and \[brackets\], AT&T &amp; &copy;.

- item one
- item *two* with
  a second line
  - nested [reference][ref]
1. ordered
2) other

> quoted *text*
> on lines
>
> - a list in a quote

| Name | Value |
|:-----|------:|
| `a|b` | 3 \| 4 |

* [ ] a task
* [x] done

Setext heading
==============

    indented code stays

<div>
block html stays
</div>

[ref]: https://example.org/ref
[^n]: The footnote's *text*.
"#;
    same(&html(&round_trip(body)), &html(body));
}

mod property {
    use super::*;
    use proptest::prelude::*;

    fn without_ids(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find(" id=\"") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 5..];
            rest = after.find('"').map_or("", |j| &after[j + 1..]);
        }
        out.push_str(rest);
        out
    }

    /// Pieces of Markdown lines: block starts, inline markup, characters that mean
    /// something to Markdown, and words.
    fn line() -> impl Strategy<Value = String> {
        let start = prop_oneof![
            Just(""),
            Just("## "),
            Just("- "),
            Just("1. "),
            Just("> "),
            Just("  "),
            Just("| a | "),
            Just("* [ ] "),
        ];
        let piece = prop_oneof![
            Just("word"),
            Just(" "),
            Just("*em*"),
            Just("**strong**"),
            Just("_u_"),
            Just("~~gone~~"),
            Just("`code`"),
            Just("[link](https://example.org)"),
            Just("![alt](/a.png)"),
            Just("<https://example.org>"),
            Just("\\*"),
            Just("\\["),
            Just("&amp;"),
            Just("#"),
            Just("-"),
            Just("1."),
            Just("|"),
            Just("<b>"),
            Just("a_b"),
            Just("[^1]"),
            Just("  \n"),
            Just("\\\n"),
            Just("{#id}"),
            Just("é"),
        ];
        (start, prop::collection::vec(piece, 0..8))
            .prop_map(|(s, pieces)| format!("{s}{}", pieces.concat()))
    }

    proptest! {
        // A fixed seed (the known case below was found by a random one).
        #![proptest_config(crate::common::property_cases(256))]

        /// Whatever the body, writing its blocks back from their content keeps its HTML
        /// (but for the ids of headings written over several lines, whose line breaks
        /// become spaces).
        #[test]
        fn the_round_trip_keeps_any_body(lines in prop::collection::vec(line(), 0..12)) {
            let body = lines.join("\n") + "\n\n[^1]: A note.\n";
            prop_assert_eq!(without_ids(&html(&round_trip(&body))), without_ids(&html(&body)), "{}", body);
        }
    }

    /// Known, not yet fixed: text that was a code's delimiters (`**` left unpaired) is
    /// escaped when written back, and the `\` beside the closing `**` before it changes
    /// which delimiters pair up, so the second `**strong**` becomes text.
    #[test]
    #[ignore = "known: escaped delimiters beside a code's own can change its pairing"]
    fn unpaired_delimiters_beside_a_code_keep_their_meaning() {
        let body = "*em***strong****strong****strong**\n";
        assert_eq!(html(&round_trip(body)), html(body));
    }

    /// What a translator may type: words, and everything that means something to Markdown.
    fn typed() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("palabra"),
            Just(" "),
            Just("# "),
            Just("- "),
            Just("+ "),
            Just("1. "),
            Just("2) "),
            Just("> "),
            Just("*"),
            Just("**"),
            Just("_"),
            Just("`"),
            Just("["),
            Just("]"),
            Just("("),
            Just(")"),
            Just("!"),
            Just("<b>"),
            Just("<https://x.org>"),
            Just("&amp;"),
            Just("&"),
            Just("|"),
            Just("\\"),
            Just("---"),
            Just("==="),
            Just("~"),
            Just("{#x}"),
            Just("^"),
            Just("    "),
            Just("\n"),
            Just("ñ"),
            Just(" una frase bastante larga para que la línea se parta en dos o tres "),
        ];
        prop::collection::vec(piece, 1..16)
            .prop_map(|p| p.concat())
            .prop_filter("import refuses empty translations", |s| {
                !s.trim().is_empty()
            })
    }

    proptest! {
        #![proptest_config(crate::common::property_cases(256))]

        /// Whatever a translator types, it stays text: the body keeps its structure, and
        /// each block reads back as what was typed.
        #[test]
        fn typed_text_stays_text(
            lines in prop::collection::vec(line(), 1..8),
            typed in prop::collection::vec(typed(), 1..20),
        ) {
            use casebook::translation::inline::{Inline, plain_text};
            let body = lines.join("\n") + "\n";
            let bs = blocks(&body);
            prop_assume!(!bs.is_empty());
            let texts: Vec<Vec<Inline>> = bs
                .iter()
                .enumerate()
                .map(|(i, _)| vec![Inline::Text(typed[i % typed.len()].clone())])
                .collect();
            let again = reassemble(&body, &bs, &texts);
            let back = blocks(&again);
            let kinds = |b: &[casebook::translation::blocks::Block]| b.iter().map(|b| b.kind).collect::<Vec<_>>();
            prop_assert_eq!(kinds(&back), kinds(&bs), "{}", again);
            for (i, b) in back.iter().enumerate() {
                let want = typed[i % typed.len()].split_whitespace().collect::<Vec<_>>().join(" ");
                let got = plain_text(&b.content).split_whitespace().collect::<Vec<_>>().join(" ");
                prop_assert_eq!(got, want, "{}", again);
            }
        }
    }
}

//! Bodies cut into blocks for translators and put back together: with each block's source
//! content written back as Markdown, every body of the demo (and a body with every kind
//! of markup) renders to the same HTML as before, but for line breaks inside paragraphs.

mod common;

use casebook::document::markdown::{MarkdownOptions, render};
use casebook::translation::blocks::{blocks, reassemble};
use casebook::translation::inline::to_markdown;

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
    let texts: Vec<String> = bs.iter().map(|b| to_markdown(&b.content)).collect();
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

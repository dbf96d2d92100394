//! Markdown bodies to HTML with pulldown-cmark: tables, footnotes, strikethrough, task
//! lists, heading ids, highlighted code, and no raw HTML unless the site allows it.

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

/// What rendering a body produced.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// The words of the body's plain text, for search: a word bag
    /// ([`crate::document::words::word_bag`]), not the text.
    pub words: String,
    /// Heading ids in document order.
    pub heading_ids: Vec<String>,
    /// Every link and image target, with its byte offset in the body.
    pub links: Vec<LinkRef>,
    /// Raw HTML that was shown as text, with its byte offset (when raw HTML is off).
    pub escaped_html: Vec<usize>,
    /// Whether the body has a code block (pages then load the highlighting stylesheet).
    pub has_code: bool,
    /// Whether the HTML was left out ([`scan`]), to be rendered again from the file when
    /// its page is rendered ([`crate::model::links::body_html`]).
    pub html_deferred: bool,
}

/// A link or image in a body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkRef {
    /// The target as written.
    pub url: String,
    /// Byte offset of the link in the body.
    pub offset: usize,
    /// Its length in the body, in bytes (the whole `[text](target)`).
    pub len: usize,
    /// Whether it is an image.
    pub image: bool,
    /// The image's alt text (images only).
    pub alt: String,
    /// Whether the HTML holds [`placeholder`] for this link, to be replaced by the resolved
    /// URL once the site model knows every page (see [`crate::model::links`]).
    pub deferred: bool,
}

/// The text written in place of a link target that is resolved after the site model is
/// built: `@/practices/<slug>.md`, relative `.md` links and site paths such as `/img/a.png`.
pub fn placeholder(index: usize) -> String {
    format!("@@casebook-link-{index}@@")
}

/// Rendering options.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownOptions {
    /// Pass raw HTML through.
    pub unsafe_html: bool,
}

impl MarkdownOptions {
    /// The options the site's configuration sets.
    pub fn of(config: &crate::input::config::Config) -> MarkdownOptions {
        MarkdownOptions {
            unsafe_html: config.markdown.unsafe_html,
        }
    }
}

/// The Markdown extensions casebook reads bodies with.
pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether a link target uses a scheme that runs code.
pub fn is_dangerous_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// A heading id from its text: lowercase letters and digits joined by hyphens.
pub fn slugify_heading(text: &str) -> String {
    let mut id = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !id.is_empty()
            && !id.ends_with('-')
        {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() { "section".into() } else { id }
}

/// Records a link and returns the target to write: a placeholder for links resolved later,
/// `#` for schemes that run code, else the target as written.
fn deferred_or_safe<'a>(
    out: &mut Rendered,
    dest_url: CowStr<'a>,
    range: std::ops::Range<usize>,
    image: bool,
) -> CowStr<'a> {
    let deferred = crate::document::link_target::is_deferred(&dest_url);
    let index = out.links.len();
    out.links.push(LinkRef {
        url: dest_url.to_string(),
        offset: range.start,
        len: range.len(),
        image,
        alt: String::new(),
        deferred,
    });
    if deferred {
        CowStr::from(placeholder(index))
    } else if is_dangerous_url(&dest_url) {
        CowStr::from("#")
    } else {
        dest_url
    }
}

/// Renders a Markdown body.
pub fn render(body: &str, options: MarkdownOptions) -> Rendered {
    run(body, options, true, true)
}

/// [`render`] without the words: for a body whose words were taken at parse.
pub fn render_html(body: &str, options: MarkdownOptions) -> Rendered {
    run(body, options, true, false)
}

/// Reads a Markdown body for everything but its HTML: [`render`] without writing HTML or
/// highlighting code, the HTML left empty and [`Rendered::html_deferred`] set. The same
/// links, heading ids and words as [`render`].
pub fn scan(body: &str, options: MarkdownOptions) -> Rendered {
    run(body, options, false, true)
}

fn run(body: &str, options: MarkdownOptions, keep_html: bool, words: bool) -> Rendered {
    let mut out = Rendered {
        html_deferred: !keep_html,
        ..Rendered::default()
    };
    // The plain text, for search.
    let mut plain = String::new();
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut next_suffix: std::collections::HashMap<String, usize> = Default::default();
    let parser = Parser::new_ext(body, parser_options()).into_offset_iter();

    // Buffers for constructs that are rewritten as a whole.
    let mut heading: Option<(Tag, Vec<Event>, String)> = None;
    let mut code: Option<(String, String)> = None;
    let mut image_alt: Option<(usize, String)> = None;

    for (event, range) in parser {
        if let Some((lang, buf)) = code.as_mut() {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    if keep_html {
                        let html = crate::document::highlight::highlight(buf, lang);
                        events.push(Event::Html(CowStr::from(html)));
                    }
                    plain.push_str(buf);
                    plain.push('\n');
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                out.has_code = true;
                continue;
            }
            Event::Html(h) | Event::InlineHtml(h) if !options.unsafe_html => {
                out.escaped_html.push(range.start);
                Event::Text(h)
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = deferred_or_safe(&mut out, dest_url, range.clone(), false);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                image_alt = Some((out.links.len(), String::new()));
                let dest_url = deferred_or_safe(&mut out, dest_url, range.clone(), true);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => {
                if let Some((i, alt)) = image_alt.take() {
                    out.links[i].alt = alt;
                }
                Event::End(TagEnd::Image)
            }
            other => other,
        };
        if let (Some((_, alt)), Event::Text(t) | Event::Code(t)) = (image_alt.as_mut(), &event) {
            alt.push_str(t);
        }
        // Plain text for search.
        match &event {
            Event::Text(t) | Event::Code(t) => plain.push_str(t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => plain.push('\n'),
            _ => {}
        }
        // Headings get ids once their text is known.
        match event {
            Event::Start(tag @ Tag::Heading { .. }) => {
                heading = Some((tag, Vec::new(), String::new()))
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((
                    Tag::Heading {
                        id, classes, attrs, ..
                    },
                    inner,
                    text,
                )) = heading.take()
                {
                    let base = match id {
                        Some(id) => id.to_string(),
                        None => slugify_heading(&text),
                    };
                    // The first of `base`, `base-1`, `base-2`… not taken yet; the search
                    // goes on from where the last one of this base stopped, so that 20,000
                    // headings of one text cost 20,000 tries, not 200 million.
                    let mut unique = base.clone();
                    if !used_ids.insert(unique.clone()) {
                        let n = next_suffix.entry(base.clone()).or_insert(1);
                        loop {
                            unique = format!("{base}-{n}");
                            *n += 1;
                            if used_ids.insert(unique.clone()) {
                                break;
                            }
                        }
                    }
                    out.heading_ids.push(unique.clone());
                    if !keep_html {
                        continue;
                    }
                    events.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(unique)),
                        classes,
                        attrs,
                    }));
                    events.extend(inner);
                    events.push(Event::End(TagEnd::Heading(level)));
                }
            }
            other => match heading.as_mut() {
                Some((_, inner, text)) => {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        text.push_str(t);
                    }
                    if keep_html {
                        inner.push(other);
                    }
                }
                None if keep_html => events.push(other),
                None => {}
            },
        }
    }
    if words {
        out.words = crate::document::words::word_bag(&plain);
    }
    if !keep_html {
        return out;
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if options.unsafe_html {
        html = crate::document::sanitize::sanitize(&html);
    }
    // Every body of the site stays in memory until it is rendered: no spare capacity.
    html.shrink_to_fit();
    out.html = html;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, MarkdownOptions::default()).html
    }

    #[test]
    fn a_scan_finds_what_rendering_finds() {
        let md = "## Intro\n\nSee [a](@/practices/co-city.md) and ![alt](/img/a.png).\n\n\
                  ## Intro\n\n```yaml\ntitle: x\n```\n\n<b>raw</b>\n";
        let (r, s) = (
            render(md, MarkdownOptions::default()),
            scan(md, MarkdownOptions::default()),
        );
        assert!(s.html_deferred && s.html.is_empty() && !r.html_deferred);
        assert_eq!(s.heading_ids, r.heading_ids);
        assert_eq!(s.links, r.links);
        assert_eq!(s.escaped_html, r.escaped_html);
        assert_eq!((s.has_code, &s.words), (r.has_code, &r.words));
    }

    #[test]
    fn extensions_are_on() {
        assert!(html("| a | b |\n|---|---|\n| 1 | 2 |\n").contains("<table>"));
        assert!(html("x[^1]\n\n[^1]: note\n").contains("footnote-definition"));
        assert!(html("~~gone~~").contains("<del>gone</del>"));
        assert!(html("- [x] done\n").contains("type=\"checkbox\""));
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render(
            "## The challenge\n\n## The challenge\n\n## Über `code` {#custom}\n",
            MarkdownOptions::default(),
        );
        assert_eq!(
            r.heading_ids,
            vec!["the-challenge", "the-challenge-1", "custom"]
        );
        assert!(r.html.contains("<h2 id=\"the-challenge-1\">"));
        assert_eq!(slugify_heading("Què és? Resultats!"), "què-és-resultats");
    }

    #[test]
    fn raw_html_is_text_unless_allowed() {
        let r = render(
            "<script>alert(1)</script>\n\nok <b>x</b>\n",
            MarkdownOptions::default(),
        );
        assert!(!r.html.contains("<script>") && r.html.contains("&lt;script&gt;"));
        assert_eq!(r.escaped_html.len(), 3);
        let r = render("ok <b>x</b>\n", MarkdownOptions { unsafe_html: true });
        assert!(r.html.contains("<b>x</b>"));
    }

    #[test]
    fn dangerous_links_are_neutralised() {
        let out = html("[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1)) ![i](data:text/html,x)");
        assert!(
            !out.to_lowercase().contains("javascript:") && !out.contains("data:"),
            "{out}"
        );
    }

    #[test]
    fn code_blocks_are_highlighted_and_collects_links() {
        let r = render(
            "```yaml\ntitle: x\n```\n\n[a](@/practices/co-city.md) ![alt text](img.png)\n",
            MarkdownOptions::default(),
        );
        assert!(r.html.contains("hl-"), "{}", r.html);
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].url, "@/practices/co-city.md");
        assert!(r.links[0].deferred && !r.links[1].deferred);
        assert!(
            r.html.contains("href=\"@@casebook-link-0@@\""),
            "{}",
            r.html
        );
        assert!(r.links[1].image && r.links[1].alt == "alt text");
        assert!(r.words.split(' ').any(|w| w == "title"));
    }
}

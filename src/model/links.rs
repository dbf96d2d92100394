//! Links in Markdown bodies. Links to content files, written `@/practices/<slug>.md`,
//! `@/pages/<slug>.md` or as relative links to the `.md` file (`co-city.md`,
//! `../pages/about.md`), become the URL of that page in the linking page's language, or of
//! its fallback when it is not translated; a language suffix (`co-city.it.md`) asks for that
//! language. Site paths (`/images/map.png`, `/es/topics/poverty/`) get the site's base path.
//! The model resolves these once it knows every page ([`rewrite`]); `casebook check` checks
//! every other link with the same rules.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;

use super::site::{Page, Practice};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::document::link_target::{Target, classify};
use crate::document::markdown::{self, LinkRef, MarkdownOptions, Rendered, placeholder};
use crate::document::{PageDoc, PracticeDoc, SourceText};
use crate::input::config::Config;
use crate::input::content::Section;
use crate::urls;

/// A resolved link to a practice or page.
#[derive(Debug)]
pub struct Resolved<'a> {
    /// Its URL path from the site root, e.g. `/es/practices/co-city/`.
    pub path: String,
    /// The heading ids of the version linked to.
    pub headings: &'a [String],
}

/// Why a link does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Finds practices and pages by slug, for resolving links.
pub struct Index<'a> {
    config: &'a Config,
    practices: &'a [Practice],
    pages: &'a [Page],
    drafts: Option<&'a BTreeSet<(Section, String)>>,
}

impl<'a> Index<'a> {
    /// An index over the model's practices and pages (both sorted by slug).
    pub fn new(config: &'a Config, practices: &'a [Practice], pages: &'a [Page]) -> Self {
        Index {
            config,
            practices,
            pages,
            drafts: None,
        }
    }

    /// Knows the drafts left out of the build, so that a link to one says so.
    pub fn with_drafts(mut self, drafts: &'a BTreeSet<(Section, String)>) -> Self {
        self.drafts = Some(drafts);
        self
    }

    /// Resolves a link to `slug` from a page in `from_lang`.
    pub fn resolve(
        &self,
        section: Section,
        slug: &str,
        lang: Option<&str>,
        from_lang: &str,
    ) -> Result<Resolved<'a>, LinkError> {
        match section {
            Section::Practices => {
                let Ok(i) = self
                    .practices
                    .binary_search_by(|p| p.slug.as_str().cmp(slug))
                else {
                    return Err(self.no_such(section, slug));
                };
                let p = &self.practices[i];
                let version = match lang {
                    Some(l) => p.version(l).ok_or_else(|| LinkError {
                        message: format!("practice `{slug}` has no `{l}` version"),
                        hint: format!(
                            "it exists in: {}; link to `@/practices/{slug}.md` to get the reader's language or the fallback",
                            p.versions.iter().map(|v| v.doc.lang.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    })?,
                    None => p.display_version(from_lang, self.config.fallbacks(from_lang)),
                };
                Ok(Resolved {
                    path: urls::practice(&version.doc.lang, slug),
                    headings: &version.doc.body.heading_ids,
                })
            }
            Section::Pages => {
                let Ok(i) = self.pages.binary_search_by(|p| p.slug.as_str().cmp(slug)) else {
                    return Err(self.no_such(section, slug));
                };
                let page = &self.pages[i];
                let doc = match lang {
                    Some(l) => page.versions.get(l).ok_or_else(|| LinkError {
                        message: format!("page `{slug}` has no `{l}` version"),
                        hint: format!(
                            "it exists in: {}; link to `@/pages/{slug}.md` to get the reader's language or the fallback",
                            page.versions.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    })?,
                    None => page
                        .versions
                        .get(from_lang)
                        .or_else(|| {
                            let chain = self.config.fallbacks(from_lang);
                            chain.iter().find_map(|l| page.versions.get(l))
                        })
                        .or_else(|| page.versions.values().next())
                        .ok_or_else(|| self.no_such(section, slug))?,
                };
                Ok(Resolved {
                    path: urls::page(&doc.lang, slug),
                    headings: &doc.body.heading_ids,
                })
            }
        }
    }

    fn no_such(&self, section: Section, slug: &str) -> LinkError {
        let (kind, slugs): (&str, Vec<&str>) = match section {
            Section::Practices => (
                "practice",
                self.practices.iter().map(|p| p.slug.as_str()).collect(),
            ),
            Section::Pages => ("page", self.pages.iter().map(|p| p.slug.as_str()).collect()),
        };
        let dir = section.dir();
        if self
            .drafts
            .is_some_and(|d| d.contains(&(section, slug.to_string())))
        {
            return LinkError {
                message: format!("link to a {kind} that is a draft: `{slug}`"),
                hint: format!(
                    "a published page cannot link to a draft: publish it (remove `draft: true` from content/{dir}/{slug}.md), remove the link, or build with --drafts"
                ),
            };
        }
        let hint = match crate::suggest::closest(slug, slugs.iter().copied()) {
            Some(best) => format!("did you mean `@/{dir}/{best}.md`?"),
            None => format!(
                "link to a file of content/{dir}/ by its name, e.g. `@/{dir}/<slug>.md`; drafts are only there with --drafts"
            ),
        };
        LinkError {
            message: format!("link to a {kind} that does not exist: `{slug}`"),
            hint,
        }
    }
}

/// Line and column (1-based, in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// A body with where it comes from, for resolving its links and pointing at them.
#[derive(Clone, Copy)]
pub struct Body<'a> {
    /// The rendered body.
    pub rendered: &'a Rendered,
    /// Practices or pages.
    pub section: Section,
    /// The language of the page it is on.
    pub lang: &'a str,
    /// The slug of the page it is on.
    pub slug: &'a str,
    /// The file, as shown to the user.
    pub file: &'a Path,
    /// The whole file, read only when a problem needs to show a line of it.
    pub source: &'a SourceText,
    /// Byte offset of the body in the file.
    pub offset: usize,
}

impl<'a> Body<'a> {
    /// The body of a practice file.
    pub fn practice(doc: &'a PracticeDoc) -> Body<'a> {
        Body {
            rendered: &doc.body,
            section: Section::Practices,
            lang: &doc.lang,
            slug: &doc.slug,
            file: &doc.rel,
            source: &doc.source,
            offset: doc.body_offset,
        }
    }

    /// The body of a page file.
    pub fn page(doc: &'a PageDoc) -> Body<'a> {
        Body {
            rendered: &doc.body,
            section: Section::Pages,
            lang: &doc.lang,
            slug: &doc.slug,
            file: &doc.rel,
            source: &doc.source,
            offset: doc.body_offset,
        }
    }

    /// The URL path of the page this body is on.
    pub fn page_url(&self) -> String {
        match self.section {
            Section::Practices => urls::practice(self.lang, self.slug),
            Section::Pages => urls::page(self.lang, self.slug),
        }
    }

    /// A diagnostic pointing at `link` in this body, underlining it.
    pub fn diagnostic(&self, code: Code, message: impl Into<String>, link: &LinkRef) -> Diagnostic {
        let text = self
            .source
            .get()
            .get(self.offset + link.offset..self.offset + link.offset + link.len)
            .unwrap_or("");
        let width = text.lines().next().map(|l| l.chars().count()).unwrap_or(1);
        self.at_offset(code, message, link.offset, width)
    }

    /// A diagnostic pointing at a byte offset of this body.
    pub fn at_offset(
        &self,
        code: Code,
        message: impl Into<String>,
        offset: usize,
        width: usize,
    ) -> Diagnostic {
        let source = self.source.get();
        let (line, column) = line_col(source, self.offset + offset);
        Diagnostic::new(code, message).at_source(
            Location::new(self.file, line, column),
            source,
            width,
        )
    }

    /// The href for a deferred link, or the problem with it.
    fn href(&self, index: &Index, base_path: &str, link: &LinkRef) -> Result<String, LinkError> {
        let with_fragment = |path: String, fragment: Option<String>| match fragment {
            Some(f) => format!("{}#{f}", urls::prefixed(base_path, &path)),
            None => urls::prefixed(base_path, &path),
        };
        match classify(&link.url, self.section) {
            Target::Content {
                section,
                slug,
                lang,
                fragment,
            } => {
                let r = index.resolve(section, &slug, lang.as_deref(), self.lang)?;
                Ok(with_fragment(r.path, fragment))
            }
            Target::SitePath { path, fragment } => Ok(with_fragment(path, fragment)),
            Target::Invalid(hint) => Err(LinkError {
                message: format!("cannot understand the link `{}`", link.url),
                hint,
            }),
            // Not deferred: never asked for.
            Target::External | Target::Fragment(_) | Target::Relative { .. } => {
                Ok(link.url.clone())
            }
        }
    }

    /// The HTML with deferred links resolved, or `None` when it has none.
    fn rewritten(
        &self,
        index: &Index,
        base_path: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        if !self.rendered.links.iter().any(|l| l.deferred) {
            return None;
        }
        let mut targets: Vec<Option<String>> = vec![None; self.rendered.links.len()];
        let mut problems = crate::diagnostics::PerFile::default();
        for (i, link) in self.rendered.links.iter().enumerate() {
            if !link.deferred {
                continue;
            }
            targets[i] = Some(match self.href(index, base_path, link) {
                Ok(h) => h,
                Err(e) => {
                    problems.push(Code::BrokenLink, || {
                        self.diagnostic(Code::BrokenLink, e.message, link)
                            .hint(e.hint)
                    });
                    "#".to_string()
                }
            });
        }
        diags.extend(problems.finish(self.file));
        Some(fill_placeholders(&self.rendered.html, &targets))
    }
}

/// `html` with each quoted placeholder of a link (`"@@casebook-link-3@@"`, see
/// [`placeholder`]) replaced by its target, quoted and escaped, in one pass: a body of 50,000
/// links once took as many passes over its whole HTML.
fn fill_placeholders(html: &str, targets: &[Option<String>]) -> String {
    let marker = placeholder(0);
    let marker = format!("\"{}", &marker[..marker.len() - "0@@".len()]);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let target = after[..digits]
            .parse::<usize>()
            .ok()
            .filter(|_| after[digits..].starts_with("@@\""))
            .and_then(|i| targets.get(i)?.as_deref());
        match target {
            Some(t) => {
                out.push('"');
                out.push_str(&crate::escape::html(t));
                out.push('"');
                rest = &after[digits + "@@\"".len()..];
            }
            None => {
                out.push_str(&marker);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The HTML of a body with its links resolved: the HTML kept at parse, or, for a body whose
/// HTML was deferred ([`crate::document::BodyHtml::Deferred`]), the body read from its file
/// again and rendered. `None` when the file changed since it was parsed (what was checked
/// is no longer what would be published: the build must stop).
pub fn body_html<'b>(
    config: &Config,
    practices: &[Practice],
    pages: &[Page],
    body: Body<'b>,
) -> Option<Cow<'b, str>> {
    if !body.rendered.html_deferred {
        return Some(Cow::Borrowed(&body.rendered.html));
    }
    let text = body.source.read_unchanged()?;
    let md = MarkdownOptions::of(config);
    let rendered = match crate::input::front_matter::split(&text) {
        Ok(split) => markdown::render_html(split.body, md),
        Err(_) => Rendered::default(),
    };
    let fresh = Body {
        rendered: &rendered,
        ..body
    };
    let index = Index::new(config, practices, pages);
    // Its problems were reported when the model resolved the links.
    let mut ignored = Vec::new();
    let html = fresh.rewritten(&index, config.base_path(), &mut ignored);
    Some(Cow::Owned(html.unwrap_or(rendered.html)))
}

/// Resolves the deferred links of one body against the site's practices and pages: its HTML
/// with the links filled in (`None` when it has no deferred link), and one error per link
/// that does not resolve. `rewrite` does the same for every body of the site.
pub fn resolve_body(
    config: &Config,
    practices: &[Practice],
    pages: &[Page],
    body: Body,
) -> (Option<String>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let index = Index::new(config, practices, pages);
    let html = body.rewritten(&index, config.base_path(), &mut diags);
    (html, diags)
}

/// Replaces the placeholders of deferred links in every body with their URLs. Returns one
/// error per link that does not resolve; `drafts` are the drafts left out of the build.
pub fn rewrite(
    config: &Config,
    practices: &mut [Practice],
    pages: &mut [Page],
    drafts: &BTreeSet<(Section, String)>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let base_path = config.base_path().to_string();
    let mut practice_html: Vec<(usize, usize, String)> = Vec::new();
    let mut page_html: Vec<(usize, String, String)> = Vec::new();
    {
        let index = Index::new(config, practices, pages).with_drafts(drafts);
        for (pi, p) in practices.iter().enumerate() {
            for (vi, v) in p.versions.iter().enumerate() {
                if let Some(html) = Body::practice(&v.doc).rewritten(&index, &base_path, &mut diags)
                    && !v.doc.body.html_deferred
                {
                    practice_html.push((pi, vi, html));
                }
            }
        }
        for (pi, p) in pages.iter().enumerate() {
            for (lang, d) in &p.versions {
                if let Some(html) = Body::page(d).rewritten(&index, &base_path, &mut diags)
                    && !d.body.html_deferred
                {
                    page_html.push((pi, lang.clone(), html));
                }
            }
        }
    }
    for (pi, vi, html) in practice_html {
        std::sync::Arc::make_mut(&mut practices[pi].versions[vi].doc.body).html = html;
    }
    for (pi, lang, html) in page_html {
        if let Some(d) = pages[pi].versions.get_mut(&lang) {
            std::sync::Arc::make_mut(&mut d.body).html = html;
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_of_offsets() {
        let text = "ab\ncdé f\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 8), (2, 5));
        assert_eq!(line_col(text, 99), (3, 1));
    }
}

//! What bodies and front matter point at: links to pages and `#anchors`, images in bodies
//! and the front-matter image, each checked against the planned pages and the static
//! files; and raw HTML shown as text. `build`, `check` and `serve` all run it: a missing
//! file or a broken link is an error wherever it is found.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Code, Diagnostic, PerFile};
use crate::document::link_target::{Target, classify};
use crate::model::Site;
use crate::model::links::{Body, Index};
use crate::plan::Planned;
use crate::theme::Theme;

/// Everything a site path may point at: planned pages and static files.
struct SitePaths<'a> {
    urls: rustc_hash::FxHashSet<&'a str>,
    theme: &'a Theme,
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl SitePaths<'_> {
    fn page(&self, path: &str) -> bool {
        self.urls.contains(path)
            || (!path.ends_with('/') && self.urls.contains(format!("{path}/").as_str()))
            || path == "/sitemap.xml"
    }

    fn file(&self, path: &str) -> bool {
        let rel = percent_decode(path.trim_start_matches('/'));
        self.theme.static_files.contains_key(rel.as_str())
    }
}

/// Resolves `path` against the folder of the page at `page_url`.
fn resolve_relative(page_url: &str, path: &str) -> String {
    let mut parts: Vec<&str> = page_url.split('/').filter(|s| !s.is_empty()).collect();
    if !page_url.ends_with('/') {
        parts.pop();
    }
    for seg in path.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let trailing = if path.ends_with('/') { "/" } else { "" };
    format!("/{}{trailing}", parts.join("/"))
}

/// The hint for a broken anchor; `suggest` looks for the closest heading, which costs a
/// look at every heading of the page (done for the first broken anchors of a body only).
fn anchor_hint(fragment: &str, headings: &[String], suggest: bool) -> String {
    let closest = suggest
        .then(|| crate::suggest::closest(fragment, headings.iter().map(String::as_str)))
        .flatten();
    match closest {
        Some(best) => format!(
            "did you mean `#{best}`? Heading ids are the heading text in lowercase, words joined by hyphens"
        ),
        None if headings.is_empty() => "that page has no headings to link to".into(),
        None => {
            // A page may have thousands of headings, and every broken anchor this hint.
            const SHOWN: usize = 20;
            let mut list = headings
                .iter()
                .take(SHOWN)
                .map(|h| format!("#{h}"))
                .collect::<Vec<_>>()
                .join(", ");
            if headings.len() > SHOWN {
                list.push_str(&format!(" and {} more", headings.len() - SHOWN));
            }
            format!("the headings there are: {list}")
        }
    }
}

fn check_body(body: Body, index: &Index, paths: &SitePaths, out: &mut Vec<Diagnostic>) {
    let headings = &body.rendered.heading_ids;
    // Sets of heading ids, this page's and each linked page's, made once (and only when a
    // link needs them): a page with thousands of anchors and headings is then checked in
    // linear time.
    let own = std::cell::OnceCell::new();
    let own =
        || -> &HashSet<&str> { own.get_or_init(|| headings.iter().map(String::as_str).collect()) };
    let mut others: HashMap<*const String, HashSet<&str>> = HashMap::new();
    // Past the diagnostics a file shows, broken anchors get a hint without a suggestion:
    // 20,000 broken anchors on a page of 20,000 headings would otherwise compare 400 million
    // pairs.
    let mut problems = PerFile::default();
    let mut broken_anchors = 0usize;
    let mut suggest = || {
        broken_anchors += 1;
        broken_anchors <= crate::diagnostics::MAX_DIAGNOSTICS_PER_FILE
    };
    for link in &body.rendered.links {
        if link.image && link.alt.trim().is_empty() {
            problems.push(Code::ImageWithoutAlt, || {
                body.diagnostic(Code::ImageWithoutAlt, "image has no alt text", link)
                    .hint("describe what the image shows for people who cannot see it: `![Volunteers painting a mural](/images/mural.jpg)`")
            });
        }
        let missing = |what: String, hint: &str| {
            let code = if link.image {
                Code::MissingImage
            } else {
                Code::BrokenLink
            };
            body.diagnostic(code, what, link).hint(hint.to_string())
        };
        match classify(&link.url, body.section) {
            Target::External if link.image && link.url.contains("://") => {
                problems.push(Code::ExternalImage, || {
                    body.diagnostic(
                        Code::ExternalImage,
                        "image is loaded from another site",
                        link,
                    )
                    .hint("the site loads nothing from other hosts (privacy, speed, links that last): put the file in static/ and write its path, `![…](/images/photo.jpg)`; casebook then publishes it in sizes for every screen")
                });
            }
            Target::External | Target::Invalid(_) => {}
            Target::Fragment(f) => {
                if !f.is_empty() && !own().contains(f.as_str()) {
                    problems.push(Code::BrokenAnchor, || {
                        body.diagnostic(
                            Code::BrokenAnchor,
                            format!("no heading `#{f}` on this page"),
                            link,
                        )
                        .hint(anchor_hint(&f, headings, suggest()))
                    });
                }
            }
            Target::Content {
                section,
                slug,
                lang,
                fragment,
            } => {
                // A link that does not resolve was reported when the model was built.
                if let (Ok(r), Some(f)) = (
                    index.resolve(section, &slug, lang.as_deref(), body.lang),
                    fragment,
                ) && !others
                    .entry(r.headings.as_ptr())
                    .or_insert_with(|| r.headings.iter().map(String::as_str).collect())
                    .contains(f.as_str())
                {
                    problems.push(Code::BrokenAnchor, || {
                        body.diagnostic(
                            Code::BrokenAnchor,
                            format!("no heading `#{f}` on {}", r.path),
                            link,
                        )
                        .hint(anchor_hint(&f, r.headings, suggest()))
                    });
                }
            }
            Target::SitePath { path, .. } => {
                let found = if link.image {
                    paths.file(&path)
                } else {
                    paths.page(&path) || paths.file(&path)
                };
                if let Some(rest) = path.strip_prefix("/static/")
                    && !found
                {
                    problems.push(Code::BrokenLink, || {
                        missing(
                            format!("nothing is published at `{path}`"),
                            &format!(
                                "the files of static/ are published at the site's root, without `static/`: write `/{rest}`"
                            ),
                        )
                    });
                } else if !found {
                    problems.push(Code::BrokenLink, || missing(
                        format!("nothing is published at `{path}`"),
                        if link.image {
                            "images live in static/: `/images/map.png` is the file static/images/map.png"
                        } else {
                            "site paths name a page (`/es/practices/co-city/`) or a file of static/ (`/files/report.pdf`); link to a practice as `@/practices/<slug>.md`"
                        },
                    ));
                }
            }
            Target::Relative { path, .. } => {
                let resolved = resolve_relative(&body.page_url(), &path);
                let found = if link.image {
                    paths.file(&resolved)
                } else {
                    paths.page(&resolved) || paths.file(&resolved)
                };
                if !found {
                    problems.push(Code::BrokenLink, || missing(
                        format!("`{path}` leads to `{resolved}`, where nothing is published"),
                        "relative links are resolved from the page's address; write files of static/ from the site root (`/images/map.png`) and practices as `@/practices/<slug>.md`",
                    ));
                }
            }
        }
    }
    // One warning per line with raw HTML; the offsets come in order, so the lines are
    // counted as the offsets go, in one pass over the text. (The file is read again only
    // then: a build holds no file's text.)
    if body.rendered.escaped_html.is_empty() {
        out.extend(problems.finish(body.file));
        return;
    }
    let source = body.source.get();
    let (mut at, mut line, mut last_warned) = (0usize, 1usize, 0usize);
    for &offset in &body.rendered.escaped_html {
        let to = (body.offset + offset).min(source.len());
        if to >= at {
            line += source.as_bytes()[at..to]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            at = to;
        }
        if line != last_warned {
            last_warned = line;
            problems.push(Code::RawHtmlEscaped, || {
                body.at_offset(Code::RawHtmlEscaped, "raw HTML is shown as text", offset, 1)
                    .hint("write it in Markdown instead; a site that trusts every editor can set `markdown: { unsafe_html: true }` in casebook.yaml")
            });
        }
    }
    out.extend(problems.finish(body.file));
}

/// Every problem of what the site's bodies and front matter point at, given its `plan`.
pub fn references(site: &Site, theme: &Theme, plan: &[Planned]) -> Vec<Diagnostic> {
    let mut out = bodies(site, theme, plan);
    out.extend(front_matter_images(site, theme));
    out
}

/// Checks every link and image in every body.
fn bodies(site: &Site, theme: &Theme, plan: &[Planned]) -> Vec<Diagnostic> {
    let index = Index::new(&site.config, &site.practices, &site.pages);
    let paths = SitePaths {
        urls: plan.iter().map(|p| p.url.as_str()).collect(),
        theme,
    };
    use rayon::prelude::*;
    let practices = site
        .practices
        .par_iter()
        .flat_map_iter(|p| p.versions.iter().map(|v| Body::practice(&v.doc)));
    let pages = site
        .pages
        .par_iter()
        .flat_map_iter(|p| p.versions.values().map(Body::page));
    practices
        .chain(pages)
        .filter(|b| !b.rendered.links.is_empty() || !b.rendered.escaped_html.is_empty())
        .flat_map_iter(|b| {
            let mut out = Vec::new();
            check_body(b, &index, &paths, &mut out);
            out
        })
        .collect()
}

/// The front-matter `image` of every practice must be a file of static/ (or an https URL).
fn front_matter_images(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in &site.practices {
        let Some(src) = &p.image else { continue };
        if src.starts_with("https://") || theme.static_files.contains_key(src.as_str()) {
            continue;
        }
        let Some((doc, at)) = p
            .versions
            .iter()
            .find_map(|v| v.doc.facets.image.as_ref().map(|i| (&v.doc, i)))
        else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::MissingImage,
                format!("image `{src}` is not in static/"),
            )
            .at_source(at.location.clone(), &doc.source, src.chars().count())
            .hint(format!(
                "put the file at static/{src}, or correct the path: `src` is relative to static/"
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_from_the_page() {
        assert_eq!(
            resolve_relative("/en/practices/a/", "../b/"),
            "/en/practices/b/"
        );
        assert_eq!(
            resolve_relative("/en/practices/a/", "img/x.png"),
            "/en/practices/a/img/x.png"
        );
        assert_eq!(resolve_relative("/en/about/", "../../x.pdf"), "/x.pdf");
        assert_eq!(percent_decode("my%20file%zz.pdf"), "my file%zz.pdf");
    }
}

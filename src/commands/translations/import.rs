//! `casebook translations import FILE…`: XLIFF files back from translators, checked
//! (every unit translated, every code kept, made from the source as it is now) and
//! written as `SLUG.LANG.md` with the version of the source recorded. Every problem is
//! reported at its line and column in the XLIFF file, and nothing is written unless every
//! file is valid.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::commands::scaffold::load_config;
use crate::diagnostics::{Code, Diagnostic, Location, display_path};
use crate::document::{self, MAX_SUMMARY_CHARS};
use crate::input::config::Config;
use crate::input::content::{self, Section, SourceFile};
use crate::input::files;
use crate::translation::blocks::{self, reassemble};
use crate::translation::compose::Translated;
use crate::translation::inline::{self, Code as InlineCode, Inline};
use crate::translation::source::{ContentFiles, Source};
use crate::translation::units::{Unit, units};
use crate::translation::xliff::dom;
use crate::translation::xliff::read::{self, Piece, Problem};

/// A translation written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The Markdown file written, relative to the site root.
    pub file: PathBuf,
    /// The XLIFF file it came from.
    pub from: PathBuf,
    /// Whether the file is new (else an existing translation was rewritten).
    pub created: bool,
}

impl std::fmt::Display for Imported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.created { "Wrote" } else { "Updated" };
        write!(
            f,
            "{verb} {} from {}",
            self.file.display(),
            self.from.display()
        )
    }
}

/// One XLIFF file being read: its name and text, for locating problems.
struct Xliff<'a> {
    shown: &'a Path,
    text: &'a str,
}

impl Xliff<'_> {
    fn at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let len = self.text[offset..].find(['>', '\n']).map_or(1, |n| n + 1);
        Diagnostic::new(Code::XliffInvalid, message).at_source(
            Location::new(self.shown, line, column),
            self.text,
            len,
        )
    }

    fn problem(&self, p: Problem) -> Diagnostic {
        let d = self.at(p.at, p.message);
        match p.hint {
            Some(h) => d.hint(h),
            None => d,
        }
    }
}

/// Imports the XLIFF files `files` into the site at `root`; `today` dates new translations.
pub fn import(
    root: &Path,
    files: &[PathBuf],
    today: &str,
) -> Result<Vec<Imported>, Vec<Diagnostic>> {
    let config = load_config(root).map_err(|d| vec![d])?;
    let content = ContentFiles::find(root);
    let mut problems = Vec::new();
    let mut planned: Vec<(PathBuf, String, Imported)> = Vec::new();
    for path in files {
        let shown = display_path(root, path);
        let text = match read_text(path) {
            Ok(t) => t,
            Err(message) => {
                problems.push(Diagnostic::new(Code::ReadError, message).at(Location::file(&shown)));
                continue;
            }
        };
        let x = Xliff {
            shown: &shown,
            text: &text,
        };
        match one_file(root, &config, &content, &x, today) {
            Ok(written) => {
                for (target, text, created) in written {
                    if planned.iter().any(|(t, _, _)| *t == target) {
                        problems.push(
                            Diagnostic::new(
                                Code::XliffInvalid,
                                format!(
                                    "{} is translated twice",
                                    display_path(root, &target).display()
                                ),
                            )
                            .at(Location::file(&shown))
                            .hint("import one XLIFF file per practice and language"),
                        );
                        continue;
                    }
                    let file = display_path(root, &target);
                    planned.push((
                        target,
                        text,
                        Imported {
                            file,
                            from: shown.clone(),
                            created,
                        },
                    ));
                }
            }
            Err(d) => problems.extend(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut done = Vec::new();
    for (target, text, imported) in planned {
        std::fs::write(&target, text).map_err(|e| {
            vec![
                Diagnostic::new(
                    Code::WriteFailed,
                    format!("cannot write {}: {e}", imported.file.display()),
                )
                .hint("check the folder's permissions"),
            ]
        })?;
        done.push(imported);
    }
    Ok(done)
}

fn read_text(path: &Path) -> Result<String, String> {
    let bytes = files::read_regular(path, files::MAX_TEXT_FILE_BYTES).map_err(|_| {
        format!(
            "cannot read {} (a regular file, at most {} MB)",
            path.display(),
            files::MAX_TEXT_FILE_BYTES / 1_000_000
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// The translation files of one XLIFF file: (path, text, whether new).
fn one_file(
    root: &Path,
    config: &Config,
    content: &ContentFiles,
    x: &Xliff,
    today: &str,
) -> Result<Vec<(PathBuf, String, bool)>, Vec<Diagnostic>> {
    let tree = dom::parse(x.text).map_err(|e| {
        vec![x.at(e.at, format!("not well-formed XML: {}", e.message))
            .hint("the file was damaged on its way: export it again, or repair it in the translation tool")]
    })?;
    let returned =
        read::read(&tree).map_err(|ps| ps.into_iter().map(|p| x.problem(p)).collect::<Vec<_>>())?;
    let mut problems = Vec::new();
    if returned.src_lang != config.default_language {
        problems.push(
            x.at(
                returned.at,
                format!(
                    "the source language is `{}`, not the site's default language `{}`",
                    returned.src_lang, config.default_language
                ),
            )
            .hint("import files that `casebook translations export` wrote for this site"),
        );
    }
    let lang = returned.trg_lang.as_str();
    if let Err(d) = super::export::check_language(config, lang) {
        problems.extend(d.into_iter().map(|d| {
            let hint = d.hint.clone().unwrap_or_default();
            x.at(returned.at, d.message).hint(hint)
        }));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut out = Vec::new();
    for f in &returned.files {
        match translation(root, config, content, x, f, lang, today) {
            Ok(t) => out.push(t),
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn meta<'a>(x: &Xliff, f: &'a read::File, key: &str) -> Result<(&'a str, usize), Diagnostic> {
    f.meta
        .get(key)
        .map(|(v, at)| (v.as_str(), *at))
        .ok_or_else(|| {
            x.at(f.at, format!("the file has no casebook `{key}` in its metadata (`<mda:meta type=\"{key}\">`)"))
                .hint("import files that `casebook translations export` wrote; translation tools keep their metadata")
        })
}

/// The translation file of one `<file>`.
fn translation(
    root: &Path,
    config: &Config,
    content: &ContentFiles,
    x: &Xliff,
    f: &read::File,
    lang: &str,
    today: &str,
) -> Result<(PathBuf, String, bool), Vec<Diagnostic>> {
    let (section, section_at) = meta(x, f, "section").map_err(|d| vec![d])?;
    let (slug, slug_at) = meta(x, f, "slug").map_err(|d| vec![d])?;
    let (version, version_at) = meta(x, f, "source-version").map_err(|d| vec![d])?;
    let section = match section {
        "practices" => Section::Practices,
        "pages" => Section::Pages,
        other => {
            return Err(vec![
                x.at(section_at, format!("`{other}` is not practices or pages")),
            ]);
        }
    };
    let Some(path) = content.version(config, section, slug, &config.default_language) else {
        return Err(vec![
            x.at(
                slug_at,
                format!(
                    "this site has no {} `{slug}` in {}",
                    section.dir(),
                    config.default_language
                ),
            )
            .hint("import the file into the site it was exported from"),
        ]);
    };
    let read_source = |path: &Path| -> Result<Source, Vec<Diagnostic>> {
        let file = content::read(root, config, section, path).map_err(|d| vec![d])?;
        Source::parse(file, config)
    };
    let source = read_source(path)?;
    if version != source.fingerprint() {
        return Err(vec![x.at(version_at, format!(
            "made from version {version} of {}, which is now version {}",
            source.file.rel.display(),
            source.fingerprint()
        ))
        .hint(format!("the source changed after the export: export it again (`casebook translations export {lang} {slug}`); translation tools fill the segments that did not change from their memory"))]);
    }
    let existing = content
        .version(config, section, slug, lang)
        .and_then(|p| read_source(p).ok());
    let expected = units(&source, None);
    let translated = translated_units(x, f, &expected)?;
    let mut texts = BTreeMap::new();
    let mut body_blocks = Vec::new();
    for (u, (content, at)) in expected.iter().zip(&translated) {
        if u.is_body() {
            body_blocks.push(content.clone());
        } else {
            let value = inline::plain_text(content)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if u.id == "summary" && value.chars().count() > MAX_SUMMARY_CHARS {
                return Err(vec![x.at(*at, format!("the summary has {} characters; the limit is {MAX_SUMMARY_CHARS}", value.chars().count()))
                    .hint("the summary is shown on cards and in search results: keep one or two sentences")]);
            }
            texts.insert(u.id.clone(), value);
        }
    }
    let source_blocks = blocks::blocks(source.body());
    let body = reassemble(source.body(), &source_blocks, &body_blocks);
    let made = blocks::blocks(&body);
    if let Some(i) = (0..source_blocks.len())
        .find(|&i| made.get(i).map(|b| b.kind) != Some(source_blocks[i].kind))
    {
        let at = translated.get(texts.len() + i).map_or(f.at, |(_, at)| *at);
        return Err(vec![x.at(at, "this translation changes the structure of the body (a heading, list item or paragraph more or less)")
            .hint("translate the words, and keep the codes as they are")]);
    }
    let text = Translated {
        source: &source,
        existing: existing.as_ref(),
        texts: &texts,
        body: &body,
        today,
    }
    .file();
    let target = source.file.path.with_file_name(format!("{slug}.{lang}.md"));
    let file = SourceFile {
        section,
        rel: display_path(root, &target),
        path: target.clone(),
        slug: slug.to_string(),
        lang: lang.to_string(),
        explicit_lang: true,
        text: text.clone(),
    };
    let parsed = match document::parse(&file, config) {
        Ok(document::Document::BrokenDraft(d)) => Err(d.problems),
        other => other.map(|_| ()),
    };
    if let Err(problems) = parsed {
        return Err(problems
            .into_iter()
            .map(|d| {
                x.at(
                    f.at,
                    format!("the translation would not build: {}", d.message),
                )
                .hint(d.hint.unwrap_or_default())
            })
            .collect());
    }
    Ok((target, text, existing.is_none()))
}

/// The translated content of each expected unit, in order, with where it is; every problem
/// otherwise: a unit missing, unknown or repeated, a segment without translation, a code
/// missing, added, repeated or of another kind.
fn translated_units(
    x: &Xliff,
    f: &read::File,
    expected: &[Unit],
) -> Result<Vec<(Vec<Inline>, usize)>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut by_id: HashMap<&str, &read::Unit> = HashMap::new();
    for u in &f.units {
        if !expected.iter().any(|e| e.id == u.id) {
            problems.push(
                x.at(
                    u.at,
                    format!("unit `{}` is not part of this practice or page", u.id),
                )
                .hint("translate the units of the exported file, without adding any"),
            );
        } else if by_id.insert(u.id.as_str(), u).is_some() {
            problems.push(x.at(u.at, format!("unit `{}` is there twice", u.id)));
        }
    }
    let mut out = Vec::new();
    for e in expected {
        let Some(u) = by_id.get(e.id.as_str()) else {
            problems.push(
                x.at(f.at, format!("unit `{}` ({}) is missing", e.id, e.label))
                    .hint("translate every unit of the exported file"),
            );
            continue;
        };
        let Some(target) = &u.target else {
            problems.push(
                x.at(
                    u.target_at,
                    format!("unit `{}` ({}) is not translated", e.id, e.label),
                )
                .hint(
                    "translate it; to keep it as it is (a name), copy the source into the target",
                ),
            );
            continue;
        };
        let codes: Vec<&InlineCode> = inline::codes(&e.source);
        let mut seen = vec![false; codes.len()];
        match to_inline(x, &e.id, target, &codes, &mut seen) {
            Ok(content) => {
                let missing: Vec<String> = codes
                    .iter()
                    .zip(&seen)
                    .filter(|(_, s)| !**s)
                    .map(|(c, _)| format!("{} (`{}`)", c.id, shown(c)))
                    .collect();
                if !missing.is_empty() {
                    problems.push(x.at(u.target_at, format!("unit `{}`: the translation lacks code {}", e.id, missing.join(", ")))
                        .hint("each code stands for Markdown (emphasis, a link…): keep it, around the words it belongs to"));
                } else if inline::plain_text(&content).trim().is_empty()
                    && !inline::plain_text(&e.source).trim().is_empty()
                {
                    problems.push(
                        x.at(
                            u.target_at,
                            format!("unit `{}` ({}) has an empty translation", e.id, e.label),
                        )
                        .hint("translate it; to keep it as it is, copy the source into the target"),
                    );
                } else {
                    out.push((content, u.target_at));
                }
            }
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn shown(c: &InlineCode) -> String {
    if c.kind.is_paired() {
        format!("{}…{}", c.start, c.end)
    } else {
        c.start.clone()
    }
}

/// Translated pieces as inline content, each code taken from the source by its id.
fn to_inline(
    x: &Xliff,
    unit: &str,
    pieces: &[Piece],
    codes: &[&InlineCode],
    seen: &mut [bool],
) -> Result<Vec<Inline>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push(Inline::Text(t.clone())),
            Piece::Code {
                id,
                paired,
                content,
                at,
            } => {
                let Some(i) = codes.iter().position(|c| c.id == *id) else {
                    problems.push(
                        x.at(
                            *at,
                            format!("unit `{unit}`: code `{id}` is not in the source"),
                        )
                        .hint("use only the codes of the source segment"),
                    );
                    continue;
                };
                if seen[i] {
                    problems.push(
                        x.at(*at, format!("unit `{unit}`: code `{id}` is there twice"))
                            .hint("each code stands for Markdown written once: keep one"),
                    );
                    continue;
                }
                seen[i] = true;
                let code = codes[i].clone();
                if code.kind.is_paired() != *paired {
                    problems.push(x.at(*at, format!("unit `{unit}`: code `{id}` encloses words in the source but not here, or the other way round"))
                        .hint("keep each code as the source has it"));
                    continue;
                }
                if *paired {
                    match to_inline(x, unit, content, codes, seen) {
                        Ok(inner) => out.push(Inline::Pair(code, inner)),
                        Err(d) => problems.extend(d),
                    }
                } else {
                    out.push(Inline::Code(code));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

//! Tera's errors turned into diagnostics that read like content errors: the template's file
//! as the site knows it (`templates/practice.html`, or the built-in theme's), its line and
//! column, a one-line message and a hint. Tera gives some errors with a location
//! (syntax, rendering), some as text reports (unknown filters, functions, tests and
//! included templates, all found when templates are loaded), and some with template names
//! only (circular includes and extends, a missing parent): those are located here, at the
//! `include` or `extends` that names the template.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tera::ErrorKind;

use crate::diagnostics::{Code, Diagnostic, Location};

/// Template names mapped to the file they came from (as shown) and their text.
pub(super) type Files = BTreeMap<String, (PathBuf, String)>;

/// Every problem a Tera error reports, located in the templates' files.
pub(super) fn diagnostics(files: &Files, err: &tera::Error) -> Vec<Diagnostic> {
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let len = if span.start_line == span.end_line {
                span.end_col.saturating_sub(span.start_col).max(1)
            } else {
                1
            };
            vec![at(
                files,
                report.filename(),
                (span.start_line, span.start_col + 1, len),
                first_line(report.message()),
            )]
        }
        ErrorKind::Msg(text) if text.contains("\n --> ") => reports(files, text),
        ErrorKind::Msg(text) if text.starts_with("Maximum render recursion depth") => {
            vec![recursion(files, text)]
        }
        ErrorKind::CircularInclude { include_chain, .. } => {
            vec![circular(files, include_chain, "includes")]
        }
        ErrorKind::CircularExtend {
            inheritance_chain, ..
        } => vec![circular(files, inheritance_chain, "extends")],
        ErrorKind::MissingParent { current, parent } => {
            let d = naming(
                files,
                current,
                parent,
                format!("`{current}` extends `{parent}`, which is not a template"),
            );
            vec![d.hint(NAME_HINT)]
        }
        ErrorKind::TemplateNotFound(name) => {
            let user = files
                .keys()
                .find(|k| text_of(files, k).contains(name.as_str()));
            let message = format!("template `{name}` not found");
            let d = match user {
                Some(u) => naming(files, u, name, message),
                None => Diagnostic::new(Code::TemplateError, message),
            };
            vec![d.hint(NAME_HINT)]
        }
        _ => {
            let d = Diagnostic::new(Code::TemplateError, first_line(&root_message(err)));
            vec![with_hint(d)]
        }
    }
}

/// How templates are named, for hints about includes and extends.
const NAME_HINT: &str = "name a template by its path under templates/, e.g. `partials/card.html` (the site's templates/ and the theme's share one set of names); an absolute path or `..` never names a template";

fn text_of<'a>(files: &'a Files, name: &str) -> &'a str {
    files.get(name).map_or("", |(_, t)| t.as_str())
}

/// The first line of a message (Tera's may carry a report after it).
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("");
    line.strip_prefix("error: ")
        .unwrap_or(line)
        .trim()
        .to_string()
}

fn root_message(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    message
}

/// A diagnostic at `(line, column, length)` of template `name`.
fn at(
    files: &Files,
    name: &str,
    (line, column, len): (usize, usize, usize),
    message: String,
) -> Diagnostic {
    let (file, text) = files
        .get(name)
        .map(|(p, t)| (p.clone(), t.as_str()))
        .unwrap_or_else(|| (PathBuf::from(name), ""));
    let d = Diagnostic::new(Code::TemplateError, message);
    with_hint(d.at_source(Location::new(file, line, column), text, len))
}

/// The diagnostic for template `user` naming template `named` (in an include or extends),
/// located at the quoted name.
fn naming(files: &Files, user: &str, named: &str, message: String) -> Diagnostic {
    let text = text_of(files, user);
    let quoted = [format!("\"{named}\""), format!("'{named}'")];
    let offset = quoted.iter().filter_map(|q| text.find(q.as_str())).min();
    let (line, column) = match offset {
        Some(o) => {
            let before = &text[..o];
            (
                before.matches('\n').count() + 1,
                before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            )
        }
        None => (1, 1),
    };
    at(
        files,
        user,
        (line, column, named.chars().count() + 2),
        message,
    )
}

/// A loop of includes or extends, located where its first template names the next.
fn circular(files: &Files, chain: &[String], verb: &str) -> Diagnostic {
    let first = chain.first().map_or("", String::as_str);
    let next = chain.get(1).map_or(first, String::as_str);
    let message = format!("`{first}` {verb} itself: {}", chain.join(" → "));
    let mut d = naming(files, first, next, message);
    d.hint = Some(if verb == "includes" {
        "a template cannot include itself, directly or through other templates: remove one of the includes of the chain".into()
    } else {
        "a template cannot extend itself, directly or through other templates: one of the chain must extend none".into()
    });
    d
}

/// A component that renders itself without end, located where it calls itself.
fn recursion(files: &Files, text: &str) -> Diagnostic {
    for (name, (_, source)) in files {
        let mut rest = source.as_str();
        while let Some(i) = rest.find("{% component ") {
            let after = &rest[i + "{% component ".len()..];
            let ident: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body_end = after.find("{% endcomponent").unwrap_or(after.len());
            let body = &after[..body_end];
            let call = [
                format!("<{ident} "),
                format!("<{ident}/"),
                format!("< {ident} "),
            ]
            .iter()
            .filter_map(|c| body.find(c.as_str()))
            .min();
            if let (false, Some(at_in_body)) = (ident.is_empty(), call) {
                let offset = source.len() - after.len() + at_in_body;
                let before = &source[..offset];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                let mut d = at(
                    files,
                    name,
                    (line, column, ident.chars().count() + 1),
                    format!("component `{ident}` renders itself without end"),
                );
                d.hint = Some("a component may render itself only under a condition that ends, e.g. `{% if depth < 3 %}`".into());
                return d;
            }
            rest = &after[body_end..];
        }
    }
    with_hint(Diagnostic::new(Code::TemplateError, first_line(text)))
}

/// The problems of a text report (`error: …`, ` --> name:line:col`, a snippet, a caret
/// line), one diagnostic each.
fn reports(files: &Files, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut message: Option<String> = None;
    let mut place: Option<(String, usize, usize)> = None;
    let mut flush =
        |message: &mut Option<String>, place: &mut Option<(String, usize, usize)>, len: usize| {
            if let (Some(m), Some((name, line, column))) = (message.take(), place.take()) {
                out.push(at(files, &name, (line, column, len.max(1)), m));
            }
        };
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            flush(&mut message, &mut place, 1);
            message = Some(m.trim().to_string());
        } else if let Some(loc) = line.trim_start().strip_prefix("--> ") {
            let mut parts = loc.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
            let line = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
            place = parts.next().map(|name| (name.to_string(), line, column));
        } else if line.contains('^') && line.chars().all(|c| matches!(c, ' ' | '|' | '^')) {
            let len = line.matches('^').count();
            flush(&mut message, &mut place, len);
        }
    }
    flush(&mut message, &mut place, 1);
    if out.is_empty() {
        out.push(with_hint(Diagnostic::new(
            Code::TemplateError,
            first_line(text),
        )));
    }
    out
}

/// The hint for a template error, from its message.
fn with_hint(d: Diagnostic) -> Diagnostic {
    let m = &d.message;
    let hint = if m.contains("not defined") || m.contains("not found in") {
        "this variable does not exist in this page's context; the variables of each template are listed in docs/templates.md".to_string()
    } else if m.starts_with("Unknown function") {
        "casebook's template functions are t(), url() and asset(), besides Tera's range() and throw(); see docs/templates.md".into()
    } else if m.starts_with("Unknown filter") {
        "the filters are Tera's own (upper, truncate, join…) and casebook's json_script; see docs/templates.md".into()
    } else if m.starts_with("Unknown test") {
        "the tests are Tera's own (defined, string, number…); see docs/templates.md".into()
    } else if m.starts_with("Unknown template") || m.starts_with("Unknown component") {
        NAME_HINT.into()
    } else {
        "check the template syntax: {{ value }}, {% if %}…{% endif %}, {% for x in list %}…{% endfor %}".into()
    };
    d.hint(hint)
}

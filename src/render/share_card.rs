//! The SVG of a drawn share card ([`crate::images::share_card`]): the theme's
//! `share-card.svg`, rendered by a Tera instance of its own that holds that template alone
//! and no function (no `t()`, no `url()`): the template sees only the card's context, so a
//! card's name, a hash of that context, changes whenever its pixels could.
//!
//! The template is given (values escaped for XML, as in every `.svg` template):
//!
//! - `width`, `height`: the card's size in pixels (1200 × 630);
//! - `lang`, `title`, `city`, `region`, `country` (its name in `lang`), `country_code`,
//!   `place` (city or region, and country), `site_title`;
//! - `text`: the UI strings under `share_card.` in `lang` (`text.label`);
//! - `font`: the family of the bundled fonts (regular and bold);
//! - `map`, when the practice is on the theme's map: `transform` (from map units to the
//!   card's pixels, framing the practice at three quarters of the width and half the
//!   height), `view_box` (the same frame in map units), `unit` (map units per pixel),
//!   `countries` (`code`, `d`, `current`) and `dot` (`x`, `y` in map units, `cx`, `cy` in
//!   pixels, `approximate` when only its country is known);
//!
//! and filters that measure with the bundled fonts: `wrap(width, size, lines=3,
//! bold=false)`, a text broken into lines, the last ending in an ellipsis when it does not
//! fit; `fit(width, sizes, lines=3, bold=false)`, `{size, lines}` at the first of `sizes`
//! at which the text fits whole (else at the last, with an ellipsis); and
//! `text_width(size, bold=false)`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::engine::TemplateFiles;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::images::share_card::{self, Card, HEIGHT, TEMPLATE, WIDTH, text};
use crate::theme::Theme;
use crate::theme::map::{self, Map};

/// Map units per card pixel: the map shows about 1,000 km beside the text.
const UNIT: f64 = 1.0 / 2.4;
/// Where the practice's dot sits, as fractions of the card's width and height.
const DOT_AT: (f64, f64) = (0.76, 0.5);

/// The theme's card template, ready to render.
pub struct CardTemplate {
    tera: Tera,
    files: TemplateFiles,
    shown: PathBuf,
    text: String,
}

fn wrap(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let width = kwargs.must_get::<f64>("width")?;
    let size = kwargs.must_get::<f64>("size")?;
    let lines = kwargs.get::<i64>("lines")?.unwrap_or(3).clamp(1, 20) as usize;
    let bold = kwargs.get::<bool>("bold")?.unwrap_or(false);
    Ok(Value::from(text::wrap(
        value,
        size as f32,
        width as f32,
        lines,
        bold,
    )))
}

fn fit(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let width = kwargs.must_get::<f64>("width")?;
    let sizes: Vec<f32> = match kwargs.get::<Value>("sizes")? {
        Some(v) => v
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_f64)
                    .map(|s| s as f32)
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    };
    if sizes.is_empty() {
        return Err(tera::Error::message(
            "fit needs `sizes`, a list of font sizes to try, largest first: `fit(width=700, sizes=[72, 60, 52])`",
        ));
    }
    let lines = kwargs.get::<i64>("lines")?.unwrap_or(3).clamp(1, 20) as usize;
    let bold = kwargs.get::<bool>("bold")?.unwrap_or(false);
    let (size, lines) = text::fit(value, &sizes, width as f32, lines, bold);
    let mut out = BTreeMap::new();
    out.insert("size", Value::from(f64::from(size)));
    out.insert("lines", Value::from(lines));
    Ok(Value::from(out))
}

fn text_width(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<f64> {
    let size = kwargs.must_get::<f64>("size")?;
    let bold = kwargs.get::<bool>("bold")?.unwrap_or(false);
    Ok(f64::from(text::width(value, size as f32, bold)))
}

impl CardTemplate {
    /// The card template of `theme`, or its problems; `None` when the theme has none.
    pub fn load(theme: &Theme) -> Result<Option<CardTemplate>, Vec<Diagnostic>> {
        let Some(file) = theme.templates.get(TEMPLATE) else {
            return Ok(None);
        };
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".svg"]);
        tera.set_escape_fn(crate::escape::html_into);
        tera.register_filter("wrap", wrap);
        tera.register_filter("fit", fit);
        tera.register_filter("text_width", text_width);
        let files = TemplateFiles::of(TEMPLATE, &file.shown, &file.text);
        tera.add_raw_template(TEMPLATE, &file.text)
            .map_err(|e| files.diagnostics(&e))?;
        Ok(Some(CardTemplate {
            tera,
            files,
            shown: file.shown.clone(),
            text: file.text.clone(),
        }))
    }

    /// The template's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The SVG of `card`, on `map` (the theme's).
    pub fn svg(&self, card: &Card, map: Option<&Map>) -> Result<String, Diagnostic> {
        let ctx = context(card, map);
        self.tera
            .render(TEMPLATE, &ctx)
            .map_err(|e| self.files.diagnostic(&e, Some(&card.path)))
    }

    /// The PNG of `card`, on `map`.
    pub fn draw(&self, card: &Card, map: Option<&Map>) -> Result<Vec<u8>, Diagnostic> {
        let svg = self.svg(card, map)?;
        share_card::raster::png(&svg).map_err(|why| {
            Diagnostic::new(
                Code::TemplateError,
                format!("the share card `{}` cannot be drawn: {why}", card.path),
            )
            .at(Location::file(&self.shown))
            .hint("the template must make an SVG document: check its markup, and that every value is written through {{ }}, which escapes it")
        })
    }
}

impl CardTemplate {
    /// The problems of drawing `cards` on `map`, for `check`: every card's SVG is made
    /// (each distinct error once), and the first card is drawn.
    pub fn errors(&self, cards: &[Card], map: Option<&Map>) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        let errors: Vec<(usize, Diagnostic)> = cards
            .par_iter()
            .enumerate()
            .filter_map(|(i, c)| self.svg(c, map).err().map(|d| (i, d)))
            .collect();
        let mut out = super::distinct(errors);
        if out.is_empty()
            && let Some(first) = cards.first()
            && let Err(d) = self.draw(first, map)
        {
            out.push(d);
        }
        out
    }
}

/// What the template of `card` sees.
fn context(card: &Card, map: Option<&Map>) -> tera::Context {
    let f = &card.fields;
    let mut ctx = tera::Context::new();
    ctx.insert("width", &WIDTH);
    ctx.insert("height", &HEIGHT);
    ctx.insert("lang", &f.lang);
    ctx.insert("title", &f.title);
    ctx.insert("city", &f.city);
    ctx.insert("region", &f.region);
    ctx.insert("country", &f.country);
    ctx.insert("country_code", &f.country_code);
    let near = if f.city.is_empty() {
        f.region.as_deref().unwrap_or_default()
    } else {
        &f.city
    };
    let place: Vec<&str> = [near, f.country.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    ctx.insert("place", &place.join(", "));
    ctx.insert("site_title", &f.site_title);
    ctx.insert("text", &f.strings);
    ctx.insert("font", text::FAMILY);
    ctx.insert("map", &locator(card, map));
    ctx
}

/// The `map` of a card's context, when it has a place on the map.
fn locator(card: &Card, map: Option<&Map>) -> Value {
    let (Some(m), Some((x, y, approximate))) = (map, card.fields.dot) else {
        return Value::none();
    };
    let (x, y) = (x as f64 / 10.0, y as f64 / 10.0);
    let (w, h) = (f64::from(WIDTH) * UNIT, f64::from(HEIGHT) * UNIT);
    let view = [x - DOT_AT.0 * w, y - DOT_AT.1 * h, w, h];
    let countries: Vec<Value> = m
        .outlines_in(view)
        .map(|(code, d)| {
            let mut c = BTreeMap::new();
            c.insert("code", Value::from(code));
            c.insert("d", Value::from(d));
            c.insert("current", Value::from(code == card.fields.country_code));
            Value::from(c)
        })
        .collect();
    let tenth = |v: f64| (v * 10.0).round() / 10.0;
    let mut dot = BTreeMap::new();
    dot.insert("x", Value::from(tenth(x)));
    dot.insert("y", Value::from(tenth(y)));
    dot.insert("cx", Value::from(tenth(DOT_AT.0 * f64::from(WIDTH))));
    dot.insert("cy", Value::from(tenth(DOT_AT.1 * f64::from(HEIGHT))));
    dot.insert("approximate", Value::from(approximate));
    let mut out = BTreeMap::new();
    out.insert(
        "view_box",
        Value::from(
            view.iter()
                .map(|v| map::units(*v))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    );
    // Map units to card pixels: cheaper to draw than a nested <svg viewBox>, which
    // resvg clips through a layer of its own (docs/performance.md, "Images").
    let k = 1.0 / UNIT;
    out.insert(
        "transform",
        Value::from(format!(
            "matrix({k} 0 0 {k} {} {})",
            tenth(-view[0] * k),
            tenth(-view[1] * k)
        )),
    );
    out.insert("unit", Value::from(UNIT));
    out.insert("countries", Value::from(countries));
    out.insert("dot", Value::from(dot));
    Value::from(out)
}

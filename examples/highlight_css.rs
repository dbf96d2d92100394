//! Prints syntect's stylesheet for a bundled theme with casebook's `hl-` class prefix.
//! The default theme's `static/css/highlight.css` started from
//! `cargo run --example highlight_css -- InspiredGitHub`, with colours then darkened
//! where needed to reach WCAG AA contrast (a unit test checks them).

use syntect::highlighting::ThemeSet;
use syntect::html::css_for_theme_with_class_style;

fn main() {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "InspiredGitHub".into());
    let themes = ThemeSet::load_defaults();
    let Some(theme) = themes.themes.get(&name) else {
        eprintln!(
            "unknown theme `{name}`; available: {}",
            themes.themes.keys().cloned().collect::<Vec<_>>().join(", ")
        );
        std::process::exit(2);
    };
    match css_for_theme_with_class_style(theme, casebook::document::highlight::CLASS_STYLE) {
        Ok(css) => print!("{css}"),
        Err(e) => {
            eprintln!("cannot generate CSS: {e}");
            std::process::exit(1);
        }
    }
}

//! The time casebook takes to draw one share card (`share_cards: drawn`), with the default
//! theme's template: `cargo run --release --example share_card -- [RUNS] [OUT.png]`.
//!
//! Draws RUNS cards (default 200) of the demo site's practices, each with another title so
//! that nothing is reused, one at a time on one core, and prints the median and the 90th
//! percentile of each step: the SVG from the template, the SVG parsed and its text laid
//! out (usvg), the pixels (resvg), the PNG. Writes the last card to OUT.png when given.

use std::path::Path;
use std::time::Instant;

use casebook::images::share_card;
use casebook::render::share_card::CardTemplate;
use resvg::usvg;

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let out = args.next();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = casebook::pipeline::load(
        &casebook::BuildOptions::new(root),
        &mut casebook::incremental::Documents::default(),
    )
    .unwrap_or_else(|f| panic!("the demo site does not load: {:?}", f.diagnostics));
    let mut site = loaded.site;
    // Every practice without its photo, so that each gets a card.
    for p in &mut site.practices {
        p.image = None;
    }
    let template = CardTemplate::load(&loaded.theme)
        .expect("the theme's template")
        .expect("the default theme has a card template");
    let mut cards = share_card::plan(&site, &loaded.i18n, &loaded.theme, Some(template.text()));
    if cards.is_empty() {
        // The demo's casebook.yaml does not draw cards: plan as if it did.
        site.config.share_cards = casebook::input::config::ShareCards::Drawn;
        cards = share_card::plan(&site, &loaded.i18n, &loaded.theme, Some(template.text()));
    }
    let map = loaded.theme.map.as_ref();
    let mut steps: [Vec<f64>; 5] = Default::default();
    let mut last = Vec::new();
    for i in 0..runs {
        let mut card = cards[i % cards.len()].clone();
        card.fields.title = format!("{} ({i})", card.fields.title);
        let t = Instant::now();
        let svg = template.svg(&card, map).expect("the SVG");
        let made = t.elapsed().as_secs_f64();
        let opts = usvg::Options {
            fontdb: share_card::raster::fonts(),
            ..usvg::Options::default()
        };
        let t1 = Instant::now();
        let tree = usvg::Tree::from_str(&svg, &opts).expect("parse");
        let parsed = t1.elapsed().as_secs_f64();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(1200, 630).expect("pixmap");
        let t2 = Instant::now();
        resvg::render(&tree, Default::default(), &mut pixmap.as_mut());
        let drawn = t2.elapsed().as_secs_f64();
        // The whole of it, as a build does it (SVG, parse, draw, PNG).
        let t3 = Instant::now();
        last = template.draw(&card, map).expect("draw");
        let whole = t3.elapsed().as_secs_f64();
        let png = whole - (made + parsed + drawn);
        for (s, v) in steps
            .iter_mut()
            .zip([made, parsed, drawn, png.max(0.0), whole])
        {
            s.push(v * 1e3);
        }
    }
    for (name, mut times) in ["svg", "parse", "draw", "png", "card"]
        .into_iter()
        .zip(steps)
    {
        times.sort_by(f64::total_cmp);
        println!(
            "{name:>5}: median {:.2} ms, p90 {:.2} ms",
            times[times.len() / 2],
            times[times.len() * 9 / 10]
        );
    }
    println!("{runs} cards, the last {:.1} KB", last.len() as f64 / 1e3);
    if let Some(out) = out {
        std::fs::write(&out, &last).expect("write the card");
        println!("wrote {out}");
    }
}

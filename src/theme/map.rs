//! The map of practices: country outlines from the theme's map asset (Natural Earth,
//! converted at development time by scripts/map/build-europe-map.mjs), and a dot for each
//! practice at its coordinates, or at its country's centroid when it gives none. No tiles,
//! no network: the outlines are inline SVG paths.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, Location};

/// Where a theme keeps its map, relative to the theme (or site) folder.
pub const MAP_FILE: &str = "map/europe.json";

#[derive(Debug, Clone, Deserialize)]
struct Projection {
    name: String,
    lat0: f64,
    lon0: f64,
    scale: f64,
}

/// One country of the asset.
#[derive(Debug, Clone, Deserialize)]
pub struct Country {
    /// `[lat, lon]` of the centroid of its main polygon.
    pub centroid: [f64; 2],
    /// Bounding box of its outline in map units, `[x0, y0, x1, y1]`, when it is in view.
    pub bbox: Option<[f64; 4]>,
    /// SVG path of its outline, when it is in view.
    pub d: Option<String>,
}

/// A map asset: a projection, a view and the countries' outlines.
#[derive(Debug, Clone, Deserialize)]
pub struct Map {
    projection: Projection,
    /// `[x, y, width, height]` of the whole map.
    pub view_box: [f64; 4],
    /// Countries by ISO 3166-1 alpha-2 code.
    pub countries: BTreeMap<String, Country>,
    /// The sprite (see [`Map::sprite`]), made when first asked for: a build asks for it a
    /// few times.
    #[serde(skip)]
    sprite: std::sync::OnceLock<String>,
}

/// Where a practice sits on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    /// Map units.
    pub x: f64,
    /// Map units.
    pub y: f64,
    /// True when placed at the country's centroid for want of coordinates.
    pub approximate: bool,
}

impl Map {
    /// Parses and checks a map asset (`shown` names it in diagnostics).
    pub fn parse(text: &str, shown: &Path) -> Result<Map, Diagnostic> {
        let map: Map = serde_json::from_str(text).map_err(|e| {
            Diagnostic::new(
                Code::ThemeMissing,
                format!("the map asset is not valid: {e}"),
            )
            .at(Location::new(shown, e.line(), e.column().max(1)))
            .hint("regenerate it with scripts/map/build-europe-map.mjs (see scripts/map/README.md)")
        })?;
        if map.projection.name != "laea" || map.view_box[2] <= 0.0 || map.view_box[3] <= 0.0 {
            return Err(Diagnostic::new(
                Code::ThemeMissing,
                "the map asset needs the `laea` projection and a view box with a size",
            )
            .at(Location::file(shown))
            .hint("regenerate it with scripts/map/build-europe-map.mjs"));
        }
        Ok(map)
    }

    /// Projects `(lat, lon)` in degrees to map units (Lambert azimuthal equal-area).
    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        let p = &self.projection;
        let (phi, lambda, phi0) = (
            lat.to_radians(),
            (lon - p.lon0).to_radians(),
            p.lat0.to_radians(),
        );
        let k =
            (2.0 / (1.0 + phi0.sin() * phi.sin() + phi0.cos() * phi.cos() * lambda.cos())).sqrt();
        let x = k * phi.cos() * lambda.sin();
        let y = k * (phi0.cos() * phi.sin() - phi0.sin() * phi.cos() * lambda.cos());
        (x * p.scale, -y * p.scale)
    }

    /// Whether a point in map units is inside the view.
    pub fn in_view(&self, x: f64, y: f64) -> bool {
        let [vx, vy, w, h] = self.view_box;
        x.is_finite() && y.is_finite() && x >= vx && x <= vx + w && y >= vy && y <= vy + h
    }

    /// Where a practice goes: at its `coordinates`, else at its `country`'s centroid;
    /// `None` when that is outside the map (the practice is still in every list).
    pub fn place(&self, coordinates: Option<(f64, f64)>, country: &str) -> Option<Dot> {
        let (lat, lon, approximate) = match coordinates {
            Some((lat, lon)) => (lat, lon, false),
            None => {
                let c = self.countries.get(country)?;
                (c.centroid[0], c.centroid[1], true)
            }
        };
        let (x, y) = self.project(lat, lon);
        self.in_view(x, y).then_some(Dot { x, y, approximate })
    }

    /// A view of `width`×`height` units centred on `(x, y)`, kept inside the map.
    pub fn crop(&self, x: f64, y: f64, width: f64, height: f64) -> [f64; 4] {
        let [vx, vy, w, h] = self.view_box;
        let (width, height) = (width.min(w), height.min(h));
        let left = (x - width / 2.0).clamp(vx, vx + w - width);
        let top = (y - height / 2.0).clamp(vy, vy + h - height);
        [left, top, width, height]
    }

    /// The view that frames `points` with `margin` around them: at least `min` in size,
    /// `aspect` (width / height), kept inside the map; the whole map when there are none.
    pub fn fit(
        &self,
        points: &[(f64, f64)],
        margin: f64,
        min: (f64, f64),
        aspect: f64,
    ) -> [f64; 4] {
        if points.is_empty() {
            return self.view_box;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in points {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let mut w = (x1 - x0 + 2.0 * margin).max(min.0);
        let mut h = (y1 - y0 + 2.0 * margin).max(min.1);
        if w / h < aspect {
            w = h * aspect;
        } else {
            h = w / aspect;
        }
        let scale = (w / self.view_box[2]).max(h / self.view_box[3]).max(1.0);
        self.crop((x0 + x1) / 2.0, (y0 + y1) / 2.0, w / scale, h / scale)
    }

    /// Countries whose outline meets `view` (`[x, y, width, height]`), by code.
    pub fn outlines_in(&self, view: [f64; 4]) -> impl Iterator<Item = (&str, &str)> {
        self.countries.iter().filter_map(move |(code, c)| {
            let [x0, y0, x1, y1] = c.bbox?;
            let meets = x1 >= view[0]
                && x0 <= view[0] + view[2]
                && y1 >= view[1]
                && y0 <= view[1] + view[3];
            meets.then_some((code.as_str(), c.d.as_deref()?))
        })
    }
}

impl Map {
    /// The outlines as an SVG file of paths with ids (`c-IT`), for pages that draw a part
    /// of the map with `<use href="…#c-IT">` rather than repeating the paths inline.
    pub fn sprite(&self) -> &str {
        self.sprite.get_or_init(|| self.make_sprite())
    }

    fn make_sprite(&self) -> String {
        let mut svg = String::from(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><!-- Country outlines: Natural Earth (public domain), see scripts/map/README.md --><defs>",
        );
        for (code, c) in &self.countries {
            if let Some(d) = &c.d {
                svg.push_str(&format!(
                    "<path id=\"c-{}\" d=\"{}\"/>",
                    crate::escape::xml(code),
                    crate::escape::xml(d)
                ));
            }
        }
        svg.push_str("</defs></svg>\n");
        svg
    }

    /// Where the sprite is written: `map/europe.{hash}.svg`, named after its content so that
    /// it can be cached forever.
    pub fn sprite_path(sprite: &str) -> String {
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(sprite.as_bytes()));
        format!("/map/europe.{}.svg", &hash[..10])
    }
}

/// Spreads dots that would sit on top of each other (same city) around their point, so
/// that each stays visible and clickable. `dots` are `(x, y)`; `radius` in map units.
pub fn spread(dots: &mut [(f64, f64)], radius: f64) {
    let mut groups: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (i, (x, y)) in dots.iter().enumerate() {
        groups
            .entry(((x * 2.0).round() as i64, (y * 2.0).round() as i64))
            .or_default()
            .push(i);
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let n = members.len() as f64;
        for (k, &i) in members.iter().enumerate() {
            let angle = std::f64::consts::TAU * k as f64 / n - std::f64::consts::FRAC_PI_2;
            dots[i].0 += radius * angle.cos();
            dots[i].1 += radius * angle.sin();
        }
    }
}

/// A number in map units as SVG text: one decimal, no trailing `.0`.
pub fn units(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> Map {
        serde_json::from_str(
            r#"{"projection":{"name":"laea","lat0":52,"lon0":10,"scale":1500},
                "view_box":[-436,-540,1001,954],
                "countries":{"ES":{"centroid":[40.4,-3.56],"bbox":[-400,100,-100,300],"d":"M0 0z"}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn projects_the_centre_to_the_origin_and_north_up() {
        let m = map();
        let (x, y) = m.project(52.0, 10.0);
        assert!(x.abs() < 1e-9 && y.abs() < 1e-9);
        let (_, north) = m.project(60.0, 10.0);
        assert!(north < 0.0, "north is up (negative SVG y)");
        let (west, _) = m.project(52.0, 0.0);
        assert!(west < 0.0);
        // Turin is in view; New York is not.
        let (tx, ty) = m.project(45.07, 7.69);
        assert!(m.in_view(tx, ty));
        let (nx, ny) = m.project(40.7, -74.0);
        assert!(!m.in_view(nx, ny));
    }

    #[test]
    fn spreads_dots_at_one_place() {
        let mut dots = vec![(10.0, 10.0), (10.0, 10.0), (50.0, 50.0)];
        spread(&mut dots, 5.0);
        assert_ne!(dots[0], dots[1]);
        assert_eq!(dots[2], (50.0, 50.0));
        assert_eq!(units(1.0), "1");
        assert_eq!(units(-2.25), "-2.3");
    }
}

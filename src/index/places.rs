//! The map file of a catalogue's index, `map.<hash>.json`: where each entry sits on the
//! theme's map, so that the page can draw the dots of any selection without carrying them
//! in its HTML.
//!
//! ```json
//! {"version": 1, "x": [412, null, …], "y": [-131, null, …], "approximate": [7, 12]}
//! ```
//!
//! `x` and `y` are in the map's units (the coordinate system of the catalogue map's SVG),
//! rounded to whole units, one per entry in catalogue order; `null` for an entry with no
//! place in view. `approximate` lists the entries placed at their country's centre for
//! want of coordinates.

use serde::Serialize;

use crate::model::{Entry, Site};
use crate::theme::map::Map;

#[derive(Serialize, Default, Debug, PartialEq)]
pub(crate) struct Places {
    version: u32,
    x: Vec<Option<i32>>,
    y: Vec<Option<i32>>,
    approximate: Vec<usize>,
}

/// The places of `entries` on `map`.
pub(crate) fn places(site: &Site, entries: &[Entry], map: &Map) -> Places {
    let mut out = Places {
        version: super::VERSION,
        ..Places::default()
    };
    for (i, e) in entries.iter().enumerate() {
        let p = &site.practices[e.practice];
        match map.place(p.coordinates, &p.country) {
            Some(dot) => {
                out.x.push(Some(dot.x.round() as i32));
                out.y.push(Some(dot.y.round() as i32));
                if dot.approximate {
                    out.approximate.push(i);
                }
            }
            None => {
                out.x.push(None);
                out.y.push(None);
            }
        }
    }
    out
}

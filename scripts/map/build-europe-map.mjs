// Converts Natural Earth's 1:50m country outlines (npm `world-atlas`, TopoJSON) into the
// compact map asset of the default theme: one SVG path per country, already projected,
// plus each country's centroid in degrees for practices without coordinates.
//
//   cd scripts/map && npm ci && npm run build
//
// Projection: spherical Lambert azimuthal equal-area centred on 52°N 10°E (the centre of
// EPSG:3035, the EU's statistical map projection). src/publish/map.rs applies the same
// formula to place dots, reading `projection` from the asset, so the two must agree.
// Data: Natural Earth (public domain), via world-atlas 2.0.2 (ISC, © Michael Bostock).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const topo = require('world-atlas/countries-50m.json');
const out = process.argv[2];

const LAT0 = 52, LON0 = 10;
// Projected units per Earth radius; the view box is then about 1000 units wide.
const SCALE = 1500;
const rad = Math.PI / 180;

function project(lon, lat) {
  const phi = lat * rad, lambda = (lon - LON0) * rad, phi0 = LAT0 * rad;
  const k = Math.sqrt(2 / (1 + Math.sin(phi0) * Math.sin(phi) + Math.cos(phi0) * Math.cos(phi) * Math.cos(lambda)));
  const x = k * Math.cos(phi) * Math.sin(lambda);
  const y = k * (Math.cos(phi0) * Math.sin(phi) - Math.sin(phi0) * Math.cos(phi) * Math.cos(lambda));
  return [x * SCALE, -y * SCALE];
}

// The view: from Iceland and Portugal to Cyprus and the North Cape.
const anchors = [[-24.5, 66.5], [-24.5, 63.2], [-10, 36.5], [-9.5, 35], [34.7, 34.4], [34, 33.6], [36, 35.5], [28, 71.3], [42, 56], [40, 45]];
const pts = anchors.map(([lon, lat]) => project(lon, lat));
const pad = 16;
const minX = Math.floor(Math.min(...pts.map(p => p[0])) - pad);
const maxX = Math.ceil(Math.max(...pts.map(p => p[0])) + pad);
const minY = Math.floor(Math.min(...pts.map(p => p[1])) - pad);
const maxY = Math.ceil(Math.max(...pts.map(p => p[1])) + pad);

// Sutherland–Hodgman clipping of a projected ring to the view (with a margin, so that
// clipped edges fall outside what is shown).
const M = 20;
const box = { x0: minX - M, x1: maxX + M, y0: minY - M, y1: maxY + M };
function clip(ring) {
  const edges = [
    [p => p[0] >= box.x0, (a, b) => lerpX(a, b, box.x0)],
    [p => p[0] <= box.x1, (a, b) => lerpX(a, b, box.x1)],
    [p => p[1] >= box.y0, (a, b) => lerpY(a, b, box.y0)],
    [p => p[1] <= box.y1, (a, b) => lerpY(a, b, box.y1)],
  ];
  let poly = ring;
  for (const [inside, cut] of edges) {
    const next = [];
    for (let i = 0; i < poly.length; i++) {
      const cur = poly[i], prev = poly[(i + poly.length - 1) % poly.length];
      if (inside(cur)) {
        if (!inside(prev)) next.push(cut(prev, cur));
        next.push(cur);
      } else if (inside(prev)) {
        next.push(cut(prev, cur));
      }
    }
    poly = next;
    if (poly.length === 0) break;
  }
  return poly;
}
const lerpX = (a, b, x) => [x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])];
const lerpY = (a, b, y) => [a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y];

// ISO 3166-1 numeric → alpha-2, for the countries in and around the view. Natural Earth
// gives Kosovo no numeric code; it is matched by name.
const ALPHA2 = {
  '008': 'AL', '012': 'DZ', '020': 'AD', '031': 'AZ', '040': 'AT', '051': 'AM', '056': 'BE',
  '070': 'BA', '100': 'BG', '112': 'BY', '191': 'HR', '196': 'CY', '203': 'CZ', '208': 'DK',
  '233': 'EE', '234': 'FO', '246': 'FI', '248': 'AX', '250': 'FR', '268': 'GE', '276': 'DE',
  '292': 'GI', '300': 'GR', '304': 'GL', '336': 'VA', '348': 'HU', '352': 'IS', '364': 'IR',
  '368': 'IQ', '372': 'IE', '376': 'IL', '380': 'IT', '400': 'JO', '422': 'LB', '428': 'LV',
  '434': 'LY', '438': 'LI', '440': 'LT', '442': 'LU', '470': 'MT', '492': 'MC', '498': 'MD',
  '499': 'ME', '504': 'MA', '528': 'NL', '578': 'NO', '616': 'PL', '620': 'PT', '642': 'RO',
  '643': 'RU', '674': 'SM', '688': 'RS', '703': 'SK', '705': 'SI', '724': 'ES', '752': 'SE',
  '756': 'CH', '760': 'SY', '788': 'TN', '792': 'TR', '804': 'UA', '807': 'MK', '818': 'EG',
  '826': 'GB', '831': 'GG', '832': 'JE', '833': 'IM',
};
const BY_NAME = { 'Kosovo': 'XK' };

// Signed area of a ring in degrees², for picking each country's main polygon.
function area(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] * ring[i][1]) - (ring[i][0] * ring[j][1]);
  return a / 2;
}
// Centroid of the largest polygon's outer ring, so that overseas territories (French
// Guiana, the Canaries, Svalbard) do not pull a country's centre into the sea.
function centroid(geometry) {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best = null, bestArea = 0;
  for (const p of polys) {
    const a = Math.abs(area(p[0]));
    if (a > bestArea) { bestArea = a; best = p[0]; }
  }
  let cx = 0, cy = 0, a6 = 0;
  for (let i = 0, j = best.length - 1; i < best.length; j = i++) {
    const f = best[j][0] * best[i][1] - best[i][0] * best[j][1];
    cx += (best[j][0] + best[i][0]) * f;
    cy += (best[j][1] + best[i][1]) * f;
    a6 += f * 3;
  }
  return [+(cy / a6).toFixed(2), +(cx / a6).toFixed(2)];
}

const r1 = v => Math.round(v);
// The SVG path of a country's rings inside the view, and their bounding box.
function pathOf(geometry) {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let d = '';
  const bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polys) {
    for (const ring of poly) {
      const projected = clip(ring.map(([lon, lat]) => project(lon, lat)));
      // Round to whole units and drop points closer than 2.5 units to the last one kept.
      const kept = [];
      for (const [x, y] of projected) {
        const p = [r1(x), r1(y)];
        const last = kept[kept.length - 1];
        if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= 2.5) kept.push(p);
      }
      if (kept.length < 3) continue;
      const xs = kept.map(p => p[0]), ys = kept.map(p => p[1]);
      if (Math.max(...xs) < minX || Math.min(...xs) > maxX || Math.max(...ys) < minY || Math.min(...ys) > maxY) continue;
      bbox[0] = Math.min(bbox[0], ...xs); bbox[1] = Math.min(bbox[1], ...ys);
      bbox[2] = Math.max(bbox[2], ...xs); bbox[3] = Math.max(bbox[3], ...ys);
      // Relative coordinates after the first point: shorter text.
      let prev = kept[0];
      d += `M${prev[0]} ${prev[1]}l`;
      d += kept.slice(1).map(p => { const s = `${r1(p[0] - prev[0])} ${r1(p[1] - prev[1])}`; prev = p; return s; }).join(' ');
      d += 'z';
    }
  }
  return { d: d.replace(/ -/g, '-'), bbox };
}

const countries = {};
for (const f of feature(topo, topo.objects.countries).features) {
  const code = ALPHA2[f.id] || BY_NAME[f.properties.name];
  if (!code || !f.geometry) continue;
  const { d, bbox } = pathOf(f.geometry);
  countries[code] = { centroid: centroid(f.geometry), ...(d ? { bbox, d } : {}) };
}
const sorted = Object.fromEntries(Object.keys(countries).sort().map(k => [k, countries[k]]));
const asset = {
  source: 'Natural Earth 1:50m Admin 0 countries (public domain, naturalearthdata.com), via the npm package world-atlas 2.0.2 (ISC licence, © 2013-2019 Michael Bostock); converted by scripts/map/build-europe-map.mjs',
  licence: 'Public domain (Natural Earth); conversion under the project licence',
  projection: { name: 'laea', lat0: LAT0, lon0: LON0, scale: SCALE },
  view_box: [minX, minY, maxX - minX, maxY - minY],
  countries: sorted,
};
const text = JSON.stringify(asset) + '\n';
if (out) fs.writeFileSync(out, text); else process.stdout.write(text);
console.error(`${Object.keys(sorted).length} countries, ${text.length} bytes, view box ${asset.view_box.join(' ')}`);

#!/usr/bin/env node
// Build-time tool: converts Natural Earth 1:50m countries (npm world-atlas, TopoJSON, public domain) and ISO 3166-1
// codes (npm i18n-iso-countries) into src/UrbanScore/Geo/countries.geojson.gz, the resource behind --country.
//
//   mkdir /tmp/c && cd /tmp/c && npm install world-atlas@2 i18n-iso-countries topojson-client
//   NODE_PATH=/tmp/c/node_modules node tools/countries/convert-countries.js src/UrbanScore/Geo/countries.geojson.gz
//
// world-atlas v2 stitches rings across the antimeridian (Russia, Fiji, Antarctica jump from +180 to -180). We unwrap
// each ring so its longitudes are continuous (they may then exceed ±180) and close rings that circle a pole through
// the pole; the library cuts the result at ±180 when it loads a country. Coordinates are rounded to 1e-4 degrees
// (about 11 m), far below the 1:50m source's own accuracy (about 1 km).
'use strict';
const fs = require('fs');
const zlib = require('zlib');
const { feature } = require('topojson-client');
const countries = require('i18n-iso-countries');
const topo = require('world-atlas/countries-50m.json');

const out = process.argv[2];
if (!out) {
  console.error('usage: convert-countries.js OUTPUT.geojson.gz');
  process.exit(2);
}

const round = (v) => Math.round(v * 1e4) / 1e4;

function unwrap(ring, reference) {
  const result = [];
  let shift = 0;
  if (reference !== undefined) {
    while (ring[0][0] + shift - reference > 180) shift -= 360;
    while (ring[0][0] + shift - reference < -180) shift += 360;
  }
  let previous = null;
  for (const [lon, lat] of ring) {
    if (previous !== null) {
      if (lon + shift - previous > 180) shift -= 360;
      else if (lon + shift - previous < -180) shift += 360;
    }
    previous = lon + shift;
    result.push([round(lon + shift), round(lat)]);
  }
  const first = result[0];
  const last = result[result.length - 1];
  if (Math.abs(last[0] - first[0]) > 180) {
    // A ring around a pole (Antarctica): close it through the pole on the side of its mean latitude.
    const pole = result.reduce((s, p) => s + p[1], 0) < 0 ? -90 : 90;
    result.push([last[0], pole], [first[0], pole], [first[0], first[1]]);
  }
  return result;
}

function polygon(rings) {
  const shell = unwrap(rings[0]);
  const mean = shell.reduce((s, p) => s + p[0], 0) / shell.length;
  return [shell, ...rings.slice(1).map((r) => unwrap(r, mean))];
}

const collection = feature(topo, topo.objects.countries);
const features = [];
for (const f of collection.features) {
  if (!f.geometry) continue;
  const numeric = f.id === undefined ? '' : String(f.id).padStart(3, '0');
  const iso2 = numeric ? countries.numericToAlpha2(numeric) || '' : '';
  const iso3 = numeric ? countries.numericToAlpha3(numeric) || '' : '';
  const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  features.push({
    type: 'Feature',
    properties: {
      name: f.properties.name,
      official: iso2 ? countries.getName(iso2, 'en') || f.properties.name : f.properties.name,
      iso2,
      iso3,
      numeric,
    },
    geometry: { type: 'MultiPolygon', coordinates: polygons.map(polygon) },
  });
}

features.sort((a, b) => (a.properties.name < b.properties.name ? -1 : a.properties.name > b.properties.name ? 1 : 0));
const json = JSON.stringify({ type: 'FeatureCollection', features });
// mtime 0 keeps the gzip bytes reproducible.
fs.writeFileSync(out, zlib.gzipSync(Buffer.from(json), { level: 9 }));
console.log(`${features.length} countries, ${json.length} bytes of GeoJSON, ${fs.statSync(out).size} bytes gzipped -> ${out}`);

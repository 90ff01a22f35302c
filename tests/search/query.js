#!/usr/bin/env node
// Runs queries through the theme's search.js (its window.bylineSearch API)
// against a built site's index, reading the files from disk as a browser
// would fetch them, and prints the results as JSON: for each query, the
// total, the top URLs, the facet counts, and the bytes fetched.
//
// Usage: node query.js SITE_DIR QUERIES.json
//   QUERIES.json: [{"q": "...", "filters": {...}, "sort": "relevance"}, ...]
'use strict';
const fs = require('fs');
const path = require('path');

const [site, queriesFile] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
let fetched = new Set(), bytes = 0;
global.fetch = async (url) => {
  const file = path.join(site, decodeURIComponent(url.replace(/^\//, '')));
  if (!fs.existsSync(file)) return { ok: false, status: 404 };
  const data = fs.readFileSync(file);
  if (!fetched.has(file)) { fetched.add(file); bytes += data.length; }
  return {
    ok: true, status: 200,
    arrayBuffer: async () => data.buffer.slice(data.byteOffset, data.byteOffset + data.length),
    json: async () => JSON.parse(data.toString('utf8')),
  };
};
global.window = {};
global.document = { currentScript: null };
const script = path.join(__dirname, '..', '..', 'themes', 'default', 'static', 'search.js');
eval(fs.readFileSync(script, 'utf8'));
const api = global.window.bylineSearch;

(async () => {
  const out = [];
  for (const q of queries) {
    fetched = new Set(); bytes = 0;
    const index = await api.open('/search/index.json');
    // Each query as a fresh visitor would run it: nothing cached.
    index.files.clear();
    const opts = { filters: q.filters || {}, sort: q.sort || 'relevance' };
    // "ahead": the query one letter shorter first, its records, and what
    // the page fetches ahead while its results are read; then `fetched`
    // is what the query itself still needs.
    let ahead = null;
    if (q.ahead) {
      const before = q.q.slice(0, -1);
      await (await index.search(before, opts)).records(0, 10);
      ahead = await index.anticipate(before, opts, 10, 3, () => true);
      fetched = new Set(); bytes = 0;
    }
    const r = await index.search(q.q, opts);
    const recs = await r.records(0, 10);
    out.push({
      ahead,
      q: q.q, total: r.total,
      top: recs.map((x) => ({ url: x.url, score: r.score(x.id), id: x.id })),
      facets: r.facets, files: fetched.size, bytes,
      html: recs.map((x) => x.titleHtml + ' | ' + x.html).join('\n'),
    });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });

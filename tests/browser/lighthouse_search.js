#!/usr/bin/env node
// Lighthouse's accessibility audit of the search page must score 100: the
// empty page, and the page showing a query's results, facet chips and the
// "More results" button (tests/sites/search, served locally, audited by
// the shared runner lighthouse.js with Lighthouse's desktop preset). Each
// failing audit is printed with the elements it names.
//
// Usage: node lighthouse_search.js BYLINE_BINARY SOURCE_DIR WORK_DIR
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { audit } = require('./lighthouse.js');
const { staticServer } = require('./static_server.js');

function die(message) {
  console.error('browser_lighthouse_search: ' + message);
  process.exit(1);
}

const [byline, source, work] = process.argv.slice(2);
if (!work) die('usage: lighthouse_search.js BYLINE_BINARY SOURCE_DIR WORK_DIR');
async function main() {
  try {
    await import('lighthouse');
  } catch (e) {
    die('lighthouse is missing: run scripts/install-deps.sh, or `npm ci` in tests/browser (' + e.message + ')');
  }
  const site = path.join(work, 'site');
  const server = staticServer(site);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = 'http://127.0.0.1:' + server.address().port;
  fs.rmSync(site, { recursive: true, force: true });
  const b = spawnSync(byline, ['build', '-q', '-s', path.join(source, 'tests/sites/search'), '-d', site,
    '--base-url', base + '/', '--now', '2026-01-01T00:00:00Z'], { encoding: 'utf8' });
  if (b.status !== 0) die('build failed: ' + b.stdout + b.stderr);

  const failures = [];
  try {
    // The page empty, then with results: "kash" finds three posts, with
    // chips for every facet; "press" shows the live status line.
    for (const url of ['/search/', '/search/?q=kash', '/search/?q=press&tag=Economy']) {
      const r = await audit(base + url, ['accessibility'], { desktop: true });
      const score = r.lhr.categories.accessibility.score;
      const audits = r.lhr.categories.accessibility.auditRefs.map((a) => r.lhr.audits[a.id])
        .filter((a) => a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'informative' &&
          a.scoreDisplayMode !== 'manual' && a.score !== null && a.score < 1);
      const ran = r.lhr.categories.accessibility.auditRefs.filter((a) =>
        r.lhr.audits[a.id].scoreDisplayMode === 'binary').length;
      console.log('browser_lighthouse_search: %s: accessibility %d (%d audits applied)', url, Math.round(score * 100), ran);
      if (ran < 10) failures.push(url + ': only ' + ran + ' audits applied: the page did not load?');
      if (score !== 1) {
        failures.push(url + ': accessibility score ' + Math.round(score * 100) + ', expected 100');
        for (const a of audits) {
          const items = (a.details && a.details.items) || [];
          failures.push('  ' + a.id + ': ' + a.title + items.slice(0, 5).map((i) =>
            '\n    ' + ((i.node && (i.node.selector + ' ' + (i.node.snippet || ''))) || JSON.stringify(i))).join(''));
        }
      }
    }
  } catch (e) {
    failures.push(e.stack || String(e));
  } finally {
    // audit() stops its Chromium whatever happened.
    server.close();
  }
  if (failures.length) die('\n' + failures.join('\n'));
  console.log('browser_lighthouse_search: ok');
}

main().catch((e) => die(e.stack || String(e)));

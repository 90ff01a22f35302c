#!/usr/bin/env node
// Search in headless Chromium on tests/sites/search: typing in the header
// box shows highlighted results as you type, the arrow keys move into them
// and Escape closes them; Enter lands on /search/?q=, where a facet chip
// narrows the results and goes into the URL, the back button restores the
// query's results, the arrow keys move between the box and the results, a
// result is followed with Enter and Back from it restores the query.
// Without JavaScript the header form still lands on the search page.
//
// Usage: node search.js BYLINE_BINARY SOURCE_DIR WORK_DIR
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { staticServer } = require('./static_server.js');

function die(message) {
  console.error('browser_search: ' + message);
  process.exit(1);
}
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  die('playwright-core is missing: run scripts/install-deps.sh, or `npm ci` in tests/browser');
}

const [byline, source, work] = process.argv.slice(2);
async function main() {
  const server = staticServer(path.join(work, 'site'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = 'http://127.0.0.1:' + server.address().port;
  fs.rmSync(path.join(work, 'site'), { recursive: true, force: true });
  const b = spawnSync(byline, ['build', '-q', '-s', path.join(source, 'tests/sites/search'),
    '-d', path.join(work, 'site'), '--base-url', base + '/', '--now', '2026-01-01T00:00:00Z'],
  { encoding: 'utf8' });
  if (b.status !== 0) die('build failed: ' + b.stdout + b.stderr);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const timer = setTimeout(() => die('timed out'), 120000);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

    // 0. A page's load runs no search script: search.js comes when the
    // reader reaches for the box (and the search page loads it at once).
    const scripts = [];
    page.on('request', (r) => { if (r.url().endsWith('/search.js')) scripts.push(r.url()); });
    await page.goto(base + '/2025/hong-kong-press/', { waitUntil: 'load' });
    await page.waitForTimeout(300);
    if (scripts.length) die('a post\'s load fetched ' + scripts.join(', '));
    if (await page.evaluate(() => 'bylineSearch' in window)) die('search.js ran on a post\'s load');

    // 1. Results as you type in the header box, highlighted (typed at once:
    // the script is fetched on the box's focus and picks up what is there).
    await page.fill('#site-search-q', 'kash');
    await page.waitForSelector('.search-panel .search-result', { timeout: 10000 });
    const panel = await page.$$eval('.search-panel .search-result', (l) => l.length);
    if (panel !== 3) die('header box: ' + panel + ' results for "kash", expected 3');
    if (!(await page.$('.search-panel mark'))) die('header box: no highlighted word');
    // Arrow down moves into the results, Escape closes them.
    await page.press('#site-search-q', 'ArrowDown');
    const focused = await page.evaluate(() => document.activeElement.closest('.search-result') !== null);
    if (!focused) die('ArrowDown did not move to the first result');
    await page.keyboard.press('Escape');
    if (!(await page.$eval('.search-panel', (p) => p.hidden))) die('Escape did not close the results');
    if ((await page.evaluate(() => document.activeElement.id)) !== 'site-search-q') die('Escape did not return to the box');

    // 2. Enter lands on the search page with the query in the URL.
    await page.focus('#site-search-q');
    await Promise.all([page.waitForURL(/\/search\/\?q=kash/), page.press('#site-search-q', 'Enter')]);
    await page.waitForFunction(() => /results?$/.test(document.getElementById('search-status').textContent));
    const status = await page.textContent('#search-status');
    if (status !== '3 results') die('search page: status "' + status + '", expected "3 results"');
    if ((await page.getAttribute('#search-status', 'aria-live')) !== 'polite') die('no live region');

    // 3. A facet chip narrows the results and goes into the URL.
    const chip = await page.$('button.chip[data-facet="tag"][data-value="Economy"]');
    if (!chip) die('no "Economy" tag chip');
    if ((await chip.textContent()).trim() !== 'Economy 1') die('chip count: ' + (await chip.textContent()));
    await chip.click();
    await page.waitForFunction(() => document.getElementById('search-status').textContent === '1 result');
    if (!/tag=Economy/.test(page.url())) die('facet not in the URL: ' + page.url());

    // 4. Back restores the unfiltered results.
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('search-status').textContent === '3 results');

    // 5. Typing on the search page updates the results and the URL.
    await page.fill('#search-q', '"press freedom"');
    await page.waitForFunction(() => document.getElementById('search-status').textContent === '2 results');
    // The URL follows once typing pauses.
    await page.waitForURL(/q=%22press/, { timeout: 5000 }).catch(() => die('query not in the URL: ' + page.url()));

    // 6. The keyboard: ArrowDown from the box to the first result and the
    // next, ArrowUp back up to the box; Enter on a result follows it.
    await page.focus('#search-q');
    const active = () => page.evaluate(() => document.activeElement.getAttribute('href') || document.activeElement.id);
    const links = await page.$$eval('#search-results .search-result a', (l) => l.map((a) => a.getAttribute('href')));
    if (links.length !== 2) die('search page: ' + links.length + ' result links for "press freedom", expected 2');
    await page.keyboard.press('ArrowDown');
    if ((await active()) !== links[0]) die('ArrowDown from the box went to ' + (await active()));
    await page.keyboard.press('ArrowDown');
    if ((await active()) !== links[1]) die('ArrowDown from the first result went to ' + (await active()));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    if ((await active()) !== 'search-q') die('ArrowUp from the first result went to ' + (await active()));
    await page.keyboard.press('ArrowDown');

    // 7. Following a result (Enter on the focused one).
    await Promise.all([page.waitForURL(base + links[0]), page.keyboard.press('Enter')]);
    const h1 = await page.textContent('h1');
    if (!/press/i.test(h1)) die('followed a result to "' + h1 + '"');

    // 8. Back from it restores the query, in the box and in the results.
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('search-status').textContent === '2 results');
    const back = await page.inputValue('#search-q');
    if (back !== '"press freedom"') die('back from a result: the box holds ' + JSON.stringify(back));
    const again = await page.$$eval('#search-results .search-result a', (l) => l.map((a) => a.getAttribute('href')));
    if (again.join() !== links.join()) die('back from a result: results ' + again + ', expected ' + links);

    // 8b. A key whose query needs no file that is not here yet is
    // answered at once, not after the debounce: its query starts in the
    // input event's own task. The index's here() view is what decides.
    await page.fill('#search-q', 'kash');
    await page.waitForFunction(() => document.getElementById('search-status').textContent === '3 results');
    await page.waitForTimeout(300); // what the page fetches ahead after the results
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.evaluate(() => {
      const input = document.getElementById('search-q');
      window.__keyAt = null;
      input.addEventListener('input', (e) => { window.__keyAt = e.timeStamp; }, { once: true, capture: true });
    });
    await page.press('#search-q', 'm');
    await page.waitForFunction(() => performance.getEntriesByName('byline-search:shown').some((m) => m.detail === 'kashm'));
    const atOnce = await page.evaluate(() => {
      const q = performance.getEntriesByName('byline-search:query').filter((m) => m.detail === 'kashm');
      return { starts: q.length, gap: q.length ? q[0].startTime - window.__keyAt : null,
        status: document.getElementById('search-status').textContent };
    });
    if (atOnce.starts !== 1 || !(atOnce.gap < 60)) {
      die('"kashm" after "kash" (its files here) did not run at once: ' + JSON.stringify(atOnce));
    }
    if (requested.some((u) => u.includes('/search/'))) die('"kashm" after "kash" fetched ' + requested.join(', '));
    const view = await page.evaluate(async () => {
      // A second Index of the same files (another URL for the manifest): nothing fetched yet.
      const index = await bylineSearch.open('/search/index.json?again');
      let first;
      try {
        await index.here().search('economy');
        first = 'answered';
      } catch (e) {
        first = e.message;
      }
      const full = await index.search('economy');
      const here = await index.here().search('economy');
      return { first, full: full.ids.join(), here: here.ids.join() };
    });
    if (!/not fetched/.test(view.first)) die('here() answered with nothing fetched: ' + view.first);
    if (!view.full || view.here !== view.full) die('here() after a search: ' + JSON.stringify(view));

    if (errors.length) die('page errors: ' + errors.join('; '));

    // 9. Without JavaScript the form lands on the search page, which says why.
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    const p2 = await nojs.newPage();
    await p2.goto(base + '/');
    await p2.fill('#site-search-q', 'kashmir');
    await Promise.all([p2.waitForURL(/\/search\/\?q=kashmir/), p2.press('#site-search-q', 'Enter')]);
    if (!(await p2.$('#search-q'))) die('no-JS search page has no form');
    const html = await p2.content();
    if (!html.includes('Searching needs JavaScript')) die('no-JS search page does not say what to do');
    console.log('browser_search: ok');
  } finally {
    clearTimeout(timer);
    await browser.close();
    server.close();
  }
}

main().catch((e) => die(e.stack || String(e)));

#!/usr/bin/env node
// Keystroke to results in Chromium, through the default theme's search page
// on a built site served over HTTP from 127.0.0.1 (a static server in this
// process; .bin files sent as they are, so the page inflates them with
// DecompressionStream). Types WORD into /search/'s box one key at a time,
// the next once the last one's results are shown, and for each key gives:
//
//   total_ms     from the `input` event to the frame after the results were
//                put in the page (requestAnimationFrame, then a task queued
//                from it: the frame has been painted by then);
//   debounce_ms  from the `input` event to the start of the query that
//                was shown, read from the page's `byline-search:query`
//                User Timing marks: about 0 when the files it needed were
//                fetched already (the theme runs it at once), else the
//                theme's 120 ms debounce and however late its timer fired;
//   work_ms      total_ms - debounce_ms: the search itself, every fetch,
//                decompression, decoding, ranking, facet counts, the
//                records of the first 10 results, the DOM update and the
//                paint;
//   search_ms    of work_ms, the part before the results are in the DOM
//                (the rest is the frame: style, layout, paint);
//   fetched      how many files the query waited for (requested between its
//                start and its results).
//
// The first key's search fetches the manifest and the chunks (the page has
// only just loaded and prefetched the facets); the next ones mostly find
// them cached, as typing does. `median_next_work_ms` is the figure: the
// median work_ms over the keys after the first that search (3 letters and
// more or a whole word). Prints JSON. Used by bench/search.py.
//
// Usage: node search_keystroke.js SITE_DIR WORD PLAYWRIGHT_DIR [--trace FILE]
'use strict';
const path = require('path');
const [rootArg, word, pw] = process.argv.slice(2);
const traceAt = process.argv.indexOf('--trace');
const traceFile = traceAt > 0 ? process.argv[traceAt + 1] : null;
const root = path.resolve(rootArg);
const { chromium } = require(path.resolve(pw, 'node_modules', 'playwright-core'));
// The browser checks' static server (PLAYWRIGHT_DIR is tests/browser).
const { staticServer } = require(path.resolve(pw, 'static_server.js'));
const server = staticServer(root, { 'Cache-Control': 'max-age=3600' });

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
}

(async () => {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = 'http://127.0.0.1:' + server.address().port;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/search/');
  await page.evaluate(() => performance.setResourceTimingBufferSize(100000));
  await page.waitForSelector('#search-page.search-live');
  await page.evaluate(() => {
    const input = document.querySelector('#search-page input[name=q]');
    window.__inputs = [];
    window.__painted = [];
    input.addEventListener('input', (e) => window.__inputs.push([e.timeStamp, input.value]), true);
    // The page marks when its results are in the DOM; the paint follows
    // the next animation frame.
    new PerformanceObserver((list) => {
      for (const m of list.getEntries()) {
        if (m.name !== 'byline-search:shown') continue;
        requestAnimationFrame(() => setTimeout(() => window.__painted.push([performance.now(), m.detail])));
      }
    }).observe({ entryTypes: ['mark'] });
  });
  await page.focus('#search-page input[name=q]');
  await page.waitForTimeout(500); // the page's own first fetches (manifest, facets)
  if (traceFile) await browser.startTracing(page, { path: traceFile, screenshots: false });
  const per = [];
  for (let i = 0; i < word.length; ++i) {
    const typed = word.slice(0, i + 1);
    await page.keyboard.type(word[i]);
    const handle = await page.waitForFunction((q) => {
      const input = window.__inputs.filter((x) => x[1] === q).pop();
      if (!input) return null;
      const starts = performance.getEntriesByName('byline-search:query')
        .filter((m) => m.detail === q && m.startTime >= input[0]);
      const painted = window.__painted.find((x) => x[1] === q && x[0] >= input[0]);
      if (!starts.length || !painted) return null;
      const shown = performance.getEntriesByName('byline-search:shown')
        .find((m) => m.detail === q && m.startTime >= starts[0].startTime);
      if (!shown) return null;
      // The query shown is the last to start before its results: a key's
      // query first runs at once on the files already here and, when they
      // were not enough, again after the debounce, fetching.
      const start = starts.filter((m) => m.startTime <= shown.startTime).pop();
      // The files the query waited for: those requested between its start
      // and its results (what the page fetches ahead starts after).
      const files = performance.getEntriesByType('resource')
        .filter((r) => r.startTime >= start.startTime && r.startTime <= shown.startTime).length;
      const m = /^(\d+) results?$/.exec(document.getElementById('search-status').textContent);
      return { total_ms: painted[0] - input[0], debounce_ms: start.startTime - input[0],
        work_ms: painted[0] - start.startTime, search_ms: shown.startTime - start.startTime, fetched: files,
        results: m ? Number(m[1]) : null };
    }, typed, { timeout: 20000, polling: 50 });
    per.push({ typed, ...(await handle.jsonValue()) });
    await page.waitForTimeout(200);
  }
  if (traceFile) await browser.stopTracing();
  await browser.close();
  server.close();
  const round = (x) => Math.round(x * 10) / 10;
  per.forEach((p) => {
    p.total_ms = round(p.total_ms); p.debounce_ms = round(p.debounce_ms); p.work_ms = round(p.work_ms);
    p.search_ms = round(p.search_ms);
  });
  let next = per.slice(1).filter((p) => p.typed.length >= 3);
  if (!next.length) next = per;
  process.stdout.write(JSON.stringify({
    keys: per,
    first_ms: per[0].total_ms, first_work_ms: per[0].work_ms,
    median_next_ms: median(next.map((p) => p.total_ms)),
    median_next_debounce_ms: median(next.map((p) => p.debounce_ms)),
    median_next_work_ms: median(next.map((p) => p.work_ms)),
    median_next_search_ms: median(next.map((p) => p.search_ms)),
    next_keys_fetching: next.filter((p) => p.fetched > 0).length, next_keys: next.length,
    // Keys whose results came from the query run at the key itself (the
    // theme waits 120 ms only for a query that needs a file).
    next_keys_at_once: next.filter((p) => p.debounce_ms < 100).length,
  }));
})().catch((e) => { console.error(e); process.exit(1); });

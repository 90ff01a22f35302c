#!/usr/bin/env node
// Keystroke to results in Chromium, through the default theme's search page
// on a built site: types WORD into /search/'s box one key at a time (a key
// the next once the last one's results are shown) and times,
// for each key, from the keydown event to the moment the result list was
// rewritten for it. The page waits 120 ms after the last key before it
// searches (the theme's debounce), so each time is also given without it:
// the work the browser did. The first key's search fetches the manifest and
// the index's chunks; the next ones mostly find them cached, as typing does.
// The site's files are served from disk by intercepting every request, so
// its base URL does not matter. Prints JSON. Used by bench/search.py.
//
// Usage: node search_keystroke.js SITE_DIR WORD PLAYWRIGHT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const [rootArg, word, pw] = process.argv.slice(2);
const root = path.resolve(rootArg);
const { chromium } = require(path.resolve(pw, 'node_modules', 'playwright-core'));
const DEBOUNCE_MS = 120;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml' };

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    let p = decodeURIComponent(new URL(route.request().url()).pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, p);
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      return route.fulfill({ status: 404, body: 'not found' });
    }
    return route.fulfill({ status: 200, contentType: TYPES[path.extname(file)] || 'application/octet-stream',
      body: fs.readFileSync(file) });
  });
  const page = await context.newPage();
  await page.goto('https://site.invalid/search/');
  await page.waitForSelector('#search-page.search-live');
  await page.evaluate(() => {
    const input = document.querySelector('#search-page input[name=q]');
    const list = document.getElementById('search-results');
    const status = document.getElementById('search-status');
    window.__keys = [];
    window.__shown = [];
    input.addEventListener('keydown', (e) => window.__keys.push(e.timeStamp), true);
    // The status line is rewritten with every result, even an empty one;
    // the list is filled after it, once the first records are fetched.
    const seen = new MutationObserver(() => {
      const m = /^(\d+) results?$/.exec(status.textContent);
      if (!m) return;
      const total = Number(m[1]);
      if (list.children.length >= Math.min(total, 1))
        window.__shown.push([performance.now(), input.value, total]);
    });
    seen.observe(list, { childList: true });
    seen.observe(status, { childList: true, characterData: true, subtree: true });
  });
  await page.focus('#search-page input[name=q]');
  const per = [];
  for (let i = 0; i < word.length; ++i) {
    const typed = word.slice(0, i + 1);
    await page.keyboard.type(word[i]);
    // Its results: the first time the list shows them for this text.
    const handle = await page.waitForFunction((q) => {
      const k = window.__keys[window.__keys.length - 1];
      const s = window.__shown.find((x) => x[0] >= k && x[1] === q);
      return s ? { ms: s[0] - k, results: s[2] } : null;
    }, typed, { timeout: 20000 });
    per.push({ typed, ...(await handle.jsonValue()) });
    await page.waitForTimeout(200);
  }
  await browser.close();
  const warm = per.slice(1).map((p) => p.ms).sort((a, b) => a - b);
  const median = warm.length ? warm[Math.floor(warm.length / 2)] : per[0].ms;
  process.stdout.write(JSON.stringify({
    debounce_ms: DEBOUNCE_MS, keys: per,
    first_ms: per[0].ms, first_work_ms: per[0].ms - DEBOUNCE_MS,
    median_next_ms: median, median_next_work_ms: median - DEBOUNCE_MS,
  }));
})().catch((e) => { console.error(e); process.exit(1); });

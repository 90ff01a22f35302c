#!/usr/bin/env node
// Bytes a browser fetches for a one-word query, script and index included,
// with byline's search and with Pagefind's, over one built site served with
// gzip for text files (as static hosts do); and byline's time from query
// to rendered-ready results. Prints JSON. Used by bench/search.py.
//
// Usage: node search_bytes.js SITE_DIR WORD PLAYWRIGHT_DIR
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const zlib = require('zlib');
const [root, word, pw] = process.argv.slice(2);
const { chromium } = require(path.resolve(pw, 'node_modules', 'playwright-core'));
const TEXT = /\.(html|js|json|css|svg)$/;

const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (p.endsWith('/')) p += 'index.html';
  const file = path.join(root, p);
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
  let body = fs.readFileSync(file);
  const headers = { 'Content-Type': p.endsWith('.js') ? 'text/javascript' : p.endsWith('.html') ? 'text/html'
    : p.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream' };
  if (TEXT.test(p)) { body = zlib.gzipSync(body, { level: 6 }); headers['Content-Encoding'] = 'gzip'; }
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(body);
});

async function measure(browser, base, fn, arg) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/404.html');
  const sizes = [];
  page.on('requestfinished', async (r) => {
    const s = await r.sizes();
    sizes.push([new URL(r.url()).pathname, s.responseBodySize]);
  });
  const out = await page.evaluate(fn, arg);
  await page.waitForTimeout(300);
  await context.close();
  return { ...out, files: sizes.length, bytes: sizes.reduce((a, s) => a + s[1], 0), list: sizes };
}

(async () => {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = 'http://127.0.0.1:' + server.address().port;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const result = {};
  result.byline = await measure(browser, base, async (w) => {
    await new Promise((res, rej) => {
      const s = document.createElement('script');
      s.src = '/search.js'; s.onload = res; s.onerror = rej;
      document.head.appendChild(s);
    });
    const index = await window.bylineSearch.open('/search/index.json');
    const r = await index.search(w);
    const recs = await r.records(0, 10);
    // Time from a keystroke's query to results with everything cached:
    // another word's prefix, as typing does.
    const t0 = performance.now();
    const r2 = await index.search(w.slice(0, 4));
    await r2.records(0, 10);
    const warm = performance.now() - t0;
    return { total: r.total, shown: recs.length, warm_ms: warm };
  }, word);
  if (fs.existsSync(path.join(root, 'pagefind', 'pagefind.js'))) {
    result.pagefind = await measure(browser, base, async (w) => {
      const pf = await import('/pagefind/pagefind.js');
      await pf.init();
      const r = await pf.search(w);
      const recs = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
      return { total: r.results.length, shown: recs.length };
    }, word);
  }
  await browser.close();
  server.close();
  process.stdout.write(JSON.stringify(result));
})().catch((e) => { console.error(e); process.exit(1); });

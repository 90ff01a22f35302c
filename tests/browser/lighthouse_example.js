#!/usr/bin/env node
// Lighthouse's performance score of the example site must be 100 (issue
// 27): its home and a post with a figure, built by `byline build` and
// served as plain files by a small server here (as a web server or CDN
// would serve them; `byline serve` adds its live-reload script). The
// throttling, and its calibration to a slow host, is lighthouse.js's.
//
// Usage: node lighthouse_example.js BYLINE_BINARY SOURCE_DIR
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'post', path: '/2018/11/hong-kong-press-freedom-slow-erosion/' },
];
const MIN = 100;
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.xml': 'application/xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function die(message) {
  console.error('browser_lighthouse: ' + message);
  process.exit(1);
}

// The built site, as files: a folder's index.html, the site's 404.html.
function serve(root) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    const inside = file.startsWith(root + path.sep);
    let status = 200;
    let body;
    try {
      if (!inside) throw new Error('outside');
      body = fs.readFileSync(file);
    } catch (e) {
      status = 404;
      body = fs.existsSync(path.join(root, '404.html')) ? fs.readFileSync(path.join(root, '404.html')) : '';
    }
    const type = status === 200 ? TYPES[path.extname(file)] || 'application/octet-stream' : TYPES['.html'];
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const [byline, source] = process.argv.slice(2).map((p) => p && path.resolve(p));
  if (!source) die('usage: lighthouse_example.js BYLINE_BINARY SOURCE_DIR');
  let runner;
  try {
    runner = require('./lighthouse.js');
    require.resolve('lighthouse');
  } catch (e) {
    die('lighthouse is missing: run scripts/install-deps.sh, or `npm ci` in tests/browser');
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-lighthouse-'));
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const public_ = path.join(tmp, 'public');
  const server = await serve(public_);
  const origin = 'http://127.0.0.1:' + server.address().port;
  try {
    const built = spawnSync(byline, ['build', '--quiet', '-s', path.join(source, 'examples'), '-d', public_,
      '--base-url', origin + '/'], { encoding: 'utf8' });
    if (built.status !== 0) die('byline build failed:\n' + built.stderr);
    let failed = 0;
    // Lighthouse's scores vary from run to run (its docs on variability
    // advise the median of five): a page is audited up to five times and
    // passes when the median reaches MIN, i.e. three runs do. (CI at
    // a59cada, alone on its two cores: the home scored 100, 98 and 99.)
    const RUNS = 5;
    const NEEDED = Math.ceil(RUNS / 2);
    for (const page of PAGES) {
      const attempts = [];
      let good = 0;
      while (good < NEEDED && attempts.length - good < RUNS - NEEDED + 1) {
        const runs = await runner.auditCalibrated(origin + page.path, ['performance'], MIN);
        attempts.push(runs);
        if (runs[runs.length - 1].scores.performance === MIN) good++;
      }
      const how = attempts.map((runs) => runs.map((r) => r.scores.performance + ' at ' + r.cpuSlowdown +
        'x CPU (host benchmarkIndex ' + Math.round(r.benchmarkIndex) + ')').join(', then ')).join('; again: ');
      if (good >= NEEDED) {
        console.log('ok    ' + page.name.padEnd(6) + ' performance ' + how);
      } else {
        failed++;
        console.log('FAIL  ' + page.name.padEnd(6) + ' performance ' + how + ': the median is below ' + MIN);
        for (const runs of attempts) {
          const last = runs[runs.length - 1];
          for (const f of last.failing) console.log('        ' + f.id + ' ' + f.score + ' ' + f.displayValue);
        }
      }
    }
    console.log(failed ? 'failed' : 'ok');
    process.exitCode = failed ? 1 : 0;
  } finally {
    server.close();
  }
}

main().catch((e) => die(e.stack || String(e)));

#!/usr/bin/env node
// The default theme styles what WordPress's classic editor and core blocks
// write into a post (issue 24): a post holding that markup, as an import
// keeps it, is built and opened in headless Chromium (Debian's chromium,
// driven by playwright-core), and the layout each class asks for is
// measured: floats for alignleft/alignright (and none on a phone), a
// centred aligncenter, columns side by side, a gallery grid, buttons, a
// cover with its text over it, a pull quote.
//
// Usage: node wp_blocks.js BYLINE_BINARY SCREENSHOT_DIR
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function die(message) {
  console.error('browser_wp_blocks: ' + message);
  process.exit(1);
}

// The blocks as WordPress 6 saves them (comments stripped, as the importer
// does), in a Markdown post: raw HTML stays as written.
const POST = `---
title: "Blocks"
date: 2024-01-02
url: "/blocks/"
---

<div id="left" class="alignleft" style="width:120px;height:60px;background:#ccc"></div>

<div id="right" class="alignright" style="width:120px;height:60px;background:#ccc"></div>

Text beside the floats, long enough to wrap around them on a desktop.

<div style="clear:both"></div>

<p id="center" class="aligncenter" style="width:200px">Centred</p>

<div class="wp-block-columns" id="columns"><div class="wp-block-column"><p>One</p></div><div class="wp-block-column"><p>Two</p></div></div>

<figure class="wp-block-gallery has-nested-images columns-3 is-cropped" id="gallery"><figure class="wp-block-image"><img src="/a.png" alt="a"></figure><figure class="wp-block-image"><img src="/a.png" alt="b"></figure><figure class="wp-block-image"><img src="/a.png" alt="c"></figure></figure>

<div class="wp-block-buttons"><div class="wp-block-button"><a class="wp-block-button__link" id="button" href="/">Read</a></div></div>

<div class="wp-block-cover" id="cover" style="background-color:#345"><span class="wp-block-cover__background has-background-dim"></span><div class="wp-block-cover__inner-container"><p id="cover-text">Over the cover</p></div></div>

<figure class="wp-block-pullquote" id="pullquote"><blockquote><p>Quoted</p></blockquote></figure>
`;

// A 4x3 PNG, made here.
function png() {
  const zlib = require('zlib');
  const crcTable = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(3, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = Buffer.alloc(3 * (1 + 4 * 3), 0x80);
  for (let r = 0; r < 3; r++) rows[r * 13] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function serve(root) {
  const types = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png' };
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, path.normalize(p));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// What the page shows, measured in it.
function measure() {
  const box = (id) => document.getElementById(id).getBoundingClientRect();
  const style = (id) => getComputedStyle(document.getElementById(id));
  const cols = [...document.querySelectorAll('#columns > .wp-block-column')].map((e) => e.getBoundingClientRect());
  const shots = [...document.querySelectorAll('#gallery > figure')].map((e) => e.getBoundingClientRect());
  const center = box('center');
  const parent = document.getElementById('center').parentElement.getBoundingClientRect();
  return {
    leftFloat: style('left').float,
    rightFloat: style('right').float,
    centerGap: [center.left - parent.left, parent.right - center.right],
    columnsSideBySide: cols.length === 2 && Math.abs(cols[0].top - cols[1].top) < 1 && cols[1].left > cols[0].right,
    galleryDisplay: style('gallery').display,
    galleryOneRow: shots.length === 3 && shots.every((s) => Math.abs(s.top - shots[0].top) < 1),
    buttonPadding: parseFloat(style('button').paddingLeft),
    buttonBackground: style('button').backgroundColor,
    coverDisplay: style('cover').display,
    coverHeight: box('cover').height,
    coverTextColor: style('cover-text').color,
    coverTextOnTop: parseInt(getComputedStyle(document.getElementById('cover-text').parentElement).zIndex, 10) >= 1,
    pullquoteAlign: style('pullquote').textAlign,
    pullquoteBorder: parseFloat(style('pullquote').borderTopWidth),
  };
}

async function main() {
  const [byline, shots] = process.argv.slice(2);
  if (!byline || !shots) die('usage: node wp_blocks.js BYLINE_BINARY SCREENSHOT_DIR');
  let chromium;
  try {
    chromium = require('playwright-core').chromium;
  } catch (e) {
    die('playwright-core is missing: run scripts/install-deps.sh, or `npm ci` in tests/browser');
  }
  if (!fs.existsSync(CHROMIUM)) die(CHROMIUM + ' is missing: run scripts/install-deps.sh');
  fs.mkdirSync(shots, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-wp-blocks-'));
  let server = null;
  let browser = null;
  const failures = [];
  let checked = 0;
  try {
    const site = path.join(tmp, 'site');
    fs.mkdirSync(path.join(site, 'content', 'posts'), { recursive: true });
    fs.mkdirSync(path.join(site, 'static'), { recursive: true });
    fs.writeFileSync(path.join(site, 'byline.toml'), 'title = "Blocks"\nbase_url = "http://127.0.0.1/"\n');
    fs.writeFileSync(path.join(site, 'content', 'posts', 'blocks.md'), POST);
    fs.writeFileSync(path.join(site, 'static', 'a.png'), png());
    const built = spawnSync(byline, ['build', '-q', '-s', site, '--now', '2025-01-01'], { encoding: 'utf8' });
    if (built.status !== 0) die('byline build failed:\n' + built.stderr);
    server = await serve(path.join(site, 'public'));
    const url = 'http://127.0.0.1:' + server.address().port + '/blocks/';
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30000 });
    for (const [name, width, mobile] of [['desktop', 1280, false], ['phone', 390, true]]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, isMobile: mobile });
      const tab = await context.newPage();
      const response = await tab.goto(url, { waitUntil: 'load', timeout: 15000 });
      if (!response || response.status() !== 200) die(url + ' answered ' + (response && response.status()));
      const m = await tab.evaluate(measure);
      await tab.screenshot({ path: path.join(shots, 'wp-blocks-' + name + '.png'), fullPage: true });
      await context.close();
      const expect = (ok, what) => {
        checked++;
        console.log((ok ? 'ok    ' : 'FAIL  ') + name.padEnd(8) + ' ' + what);
        if (!ok) failures.push(name + ': ' + what + ' ' + JSON.stringify(m));
      };
      if (name === 'desktop') {
        expect(m.leftFloat === 'left' && m.rightFloat === 'right', 'alignleft and alignright float');
        expect(m.columnsSideBySide, 'wp-block-columns side by side');
        expect(m.galleryDisplay === 'grid' && m.galleryOneRow, 'gallery images in a grid row');
      } else {
        expect(m.leftFloat === 'none' && m.rightFloat === 'none', 'no floats on a phone');
        expect(m.galleryDisplay === 'grid', 'gallery a grid');
      }
      expect(Math.abs(m.centerGap[0] - m.centerGap[1]) < 1 && m.centerGap[0] > 10, 'aligncenter centred');
      expect(m.buttonPadding > 5 && m.buttonBackground !== 'rgba(0, 0, 0, 0)', 'a button looks like one');
      expect(m.coverDisplay === 'flex' && m.coverHeight >= 200 && m.coverTextColor === 'rgb(255, 255, 255)' &&
             m.coverTextOnTop, 'cover: tall, white text over the background');
      expect(m.pullquoteAlign === 'center' && m.pullquoteBorder >= 2, 'pull quote centred between rules');
    }
  } finally {
    if (browser) await browser.close();
    if (server) server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(checked - failures.length + ' passed, ' + failures.length + ' failed');
  if (failures.length) {
    for (const f of failures) console.error(f);
    process.exit(1);
  }
}

main().catch((e) => die(e.stack || String(e)));

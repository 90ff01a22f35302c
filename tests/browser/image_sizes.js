#!/usr/bin/env node
// A post's photograph in headless Chromium at a phone's width (390 px) and
// a desktop's (1280 px): the page must load exactly one size of it, the one
// its viewport needs, and no other (issue 27). The example site is copied
// with a post added that shows a 2400x1600 JPEG made here with Debian's
// `vips` (libvips-tools), and served by `byline serve`. What "needed" means
// is worked out in the page: the width the picture is laid out at, and the
// narrowest WebP candidate of its `srcset` at least that wide (at a device
// pixel ratio of 1, which both viewports use here so that they differ only
// in width). The slot its `sizes` gives is printed beside it.
//
// Usage: node image_sizes.js BYLINE_BINARY SOURCE_DIR
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { freePort } = require('./static_server.js');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844, mobile: true },
  { name: 'desktop', width: 1280, height: 800, mobile: false },
];
const PAGE_PATH = '/image-sizes/';
const PHOTO = 'photo.jpg';
const WHOLE_RUN_TIMEOUT_MS = 150000;

function die(message) {
  console.error('browser_image_sizes: ' + message);
  process.exit(1);
}

let serverProcess = null;

function startServer(byline, site, dest, port) {
  return new Promise((resolve, reject) => {
    const child = spawn(byline, ['serve', '-s', site, '-d', dest, '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serverProcess = child;
    let out = '';
    const timer = setTimeout(() => reject(new Error('byline serve did not start in 60 s:\n' + out)), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Serving ')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const err = new Error('byline serve exited (' + (signal || 'status ' + code) + '):\n' + out);
      err.portTaken = out.includes('cannot listen');
      reject(err);
    });
  });
}

// The example site plus a post showing a photograph wider than every
// configured width.
function makeSite(source, tmp) {
  const site = path.join(tmp, 'site');
  fs.cpSync(path.join(source, 'examples'), site, { recursive: true });
  const bundle = path.join(site, 'content', 'posts', 'image-sizes');
  fs.mkdirSync(bundle, { recursive: true });
  const vips = spawnSync('vips', ['black', path.join(bundle, PHOTO), '2400', '1600', '--bands', '3']);
  if (vips.status !== 0) {
    die('cannot make the photograph with `vips` (Debian libvips-tools): ' + (vips.stderr || vips.error));
  }
  fs.writeFileSync(
    path.join(bundle, 'index.md'),
    '---\ntitle: "A photograph at two widths"\ndate: 2024-05-01\nurl: ' + PAGE_PATH + '\n---\n' +
      'A paragraph before the picture.\n\n![A dark harbour](' + PHOTO + ' "The harbour at night")\n'
  );
  return site;
}

// Runs in the page: the photograph's <picture>, what its `sizes` gives at
// this viewport, and the candidate that fits it.
function expectedCandidate(dpr) {
  const img = document.querySelector('picture img');
  if (!img) return { error: 'no <picture> on the page' };
  const source = img.parentElement.querySelector('source[type="image/webp"]');
  if (!source) return { error: 'the <picture> has no WebP <source>' };
  // The first size whose media condition matches (the last has none).
  const lengthInPx = (length) => {
    const probe = document.createElement('div');
    probe.style.cssText = 'position:absolute;visibility:hidden;height:0;width:' + length;
    document.body.appendChild(probe);
    const px = probe.getBoundingClientRect().width;
    probe.remove();
    return px;
  };
  let slot = null;
  for (const part of source.getAttribute('sizes').split(',')) {
    const m = part.trim().match(/^(\(.*\))?\s*(\S+)$/);
    if (!m) return { error: 'cannot read sizes="' + source.getAttribute('sizes') + '"' };
    if (!m[1] || window.matchMedia(m[1]).matches) {
      slot = lengthInPx(m[2]);
      break;
    }
  }
  const candidates = source
    .getAttribute('srcset')
    .split(',')
    .map((c) => {
      const [url, w] = c.trim().split(/\s+/);
      return { url: new URL(url, document.baseURI).href, width: parseInt(w, 10) };
    })
    .sort((a, b) => a.width - b.width);
  const need = slot * dpr;
  const fitting = (px) => candidates.find((c) => c.width >= px) || candidates[candidates.length - 1];
  const fit = fitting(need);
  // What the picture is laid out at: `sizes` must not promise less (a
  // blurred picture) nor so much more that a larger file is chosen.
  const rendered = img.getBoundingClientRect().width;
  const fitRendered = fitting(rendered * dpr);
  const all = [...candidates.map((c) => c.url)];
  for (const s of img.getAttribute('srcset').split(',')) all.push(new URL(s.trim().split(/\s+/)[0], document.baseURI).href);
  all.push(img.src);
  return { slot, need, fit, fitRendered, rendered, all, currentSrc: img.currentSrc };
}

async function check(browser, origin, viewport) {
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    isMobile: viewport.mobile,
    hasTouch: viewport.mobile,
    deviceScaleFactor: 1,
    serviceWorkers: 'block',
  });
  const requested = [];
  context.on('request', (req) => {
    if (req.resourceType() === 'image') requested.push(req.url());
  });
  const tab = await context.newPage();
  const problems = [];
  try {
    await tab.goto(origin + PAGE_PATH, { waitUntil: 'load' });
    await tab.waitForLoadState('networkidle');
    const e = await tab.evaluate(expectedCandidate, 1);
    if (e.error) return { problems: [e.error] };
    // Every URL of the photograph the page could have asked for: its
    // variants and the original file.
    const photoUrls = new Set([...e.all, origin + PAGE_PATH + PHOTO]);
    const loaded = requested.filter((u) => photoUrls.has(u) || u.includes('/' + PHOTO.replace('.jpg', '')));
    // Needed: the narrowest file at least as wide as the picture is laid
    // out; the one `sizes` makes Chromium choose must be that one.
    const need = e.fitRendered;
    if (loaded.length !== 1 || loaded[0] !== need.url) {
      problems.push(
        'expected only ' + need.url + ' (' + need.width + 'w for a picture laid out at ' +
          Math.round(e.rendered) + ' px; sizes gives a ' + Math.round(e.slot) + ' px slot), loaded: ' +
          (loaded.join(', ') || 'nothing')
      );
    }
    if (e.currentSrc !== need.url) problems.push('the image shows ' + e.currentSrc + ', not ' + need.url);
    return { problems, fit: need, slot: e.slot, rendered: e.rendered, loaded };
  } finally {
    await context.close();
  }
}

async function main() {
  const [byline, source] = process.argv.slice(2).map((p) => p && path.resolve(p));
  if (!source) die('usage: image_sizes.js BYLINE_BINARY SOURCE_DIR');
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    die('playwright-core is missing: run scripts/install-deps.sh, or `npm ci` in tests/browser');
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-image-sizes-'));
  const stop = () => {
    const s = serverProcess;
    if (s && s.exitCode === null && s.signalCode === null) s.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on('exit', stop);
  process.on('SIGINT', () => process.exit(130));
  process.on('SIGTERM', () => process.exit(143));
  setTimeout(() => die('took longer than ' + WHOLE_RUN_TIMEOUT_MS / 1000 + ' s; stopped'),
    WHOLE_RUN_TIMEOUT_MS).unref();

  const site = makeSite(source, tmp);
  let port = 0;
  for (let attempt = 1; !serverProcess || serverProcess.exitCode !== null; attempt++) {
    port = await freePort();
    try {
      await startServer(byline, site, path.join(tmp, 'public'), port);
      break;
    } catch (e) {
      if (!e.portTaken || attempt === 3) throw e;
    }
  }
  const origin = 'http://127.0.0.1:' + port;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  let failed = 0;
  const widths = {};
  try {
    for (const viewport of VIEWPORTS) {
      const r = await check(browser, origin, viewport);
      const label = (viewport.name + ' ' + viewport.width + 'px').padEnd(16);
      if (r.problems.length) {
        failed++;
        console.log('FAIL  ' + label + r.problems.join('; '));
      } else {
        widths[viewport.name] = r.fit.width;
        console.log('ok    ' + label + 'loaded only ' + r.loaded[0] + ' (' + Math.round(r.slot) + ' px slot, laid out at ' + Math.round(r.rendered) + ' px)');
      }
    }
  } finally {
    await browser.close();
  }
  // The two viewports need different sizes: a phone does not get the
  // desktop's file.
  if (!failed && !(widths.phone < widths.desktop)) {
    failed++;
    console.log('FAIL  the phone loaded ' + widths.phone + 'w, the desktop ' + widths.desktop + 'w');
  }
  console.log(failed ? 'failed' : 'ok');
  process.exit(failed ? 1 : 0);
}

main().catch((e) => die(e.stack || String(e)));

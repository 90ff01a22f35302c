#!/usr/bin/env node
// `byline serve`'s live reload as a writer sees it, in headless Chromium:
// a post is open; its file is edited and the open page shows the new text
// without the test navigating; a template is broken and the page shows the
// error over it (file:line:col); the template is fixed and the page shows
// the site again; a stylesheet is edited and applies without a reload.
// Then, under `--navigate-to-changed`, a tab open on the home page follows
// the writer to the post they just saved.
// Screenshots of each step land in SCREENSHOT_DIR.
//
// Usage: node live_reload.js BYLINE_BINARY SOURCE_DIR SCREENSHOT_DIR
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CHROMIUM = '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 20000;
const WHOLE_RUN_TIMEOUT_MS = 150000;
const POST = 'content/posts/2019/interview-on-disinformation.md';
const POST_URL = '/2019/08/interview-on-disinformation/';

function die(message) {
  console.error('live_reload: ' + message);
  process.exit(1);
}

// Starts `byline serve -p 0` and resolves with its origin once it serves.
function startServer(byline, site, extra = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(byline, ['serve', '-s', site, '-p', '0', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Serving .* at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve({ child, origin: m[1] });
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('exit', (code) => reject(new Error('byline serve exited (' + code + '):\n' + out)));
    setTimeout(() => reject(new Error('byline serve did not start')), 30000).unref();
  });
}

async function main() {
  const [byline, source, shots] = process.argv.slice(2).map((p) => p && path.resolve(p));
  if (!shots) die('usage: live_reload.js BYLINE_BINARY SOURCE_DIR SCREENSHOT_DIR');
  let playwright;
  try {
    playwright = require('playwright-core');
  } catch (e) {
    die('playwright-core is missing: run scripts/install-deps.sh, or `npm ci` in tests/browser');
  }
  fs.mkdirSync(shots, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-live-'));
  const site = path.join(tmp, 'site');
  fs.cpSync(path.join(source, 'examples'), site, {
    recursive: true,
    filter: (p) => !/\/(public|\.byline)$/.test(p),
  });
  let server = null;
  let follower = null;
  // Ctrl-C to a server, and its exit.
  const stop = (s) => new Promise((resolve) => {
    if (!s || s.child.exitCode !== null) return resolve();
    s.child.on('exit', resolve);
    s.child.kill('SIGINT');
  });
  process.on('exit', () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGINT');
    if (follower && follower.child.exitCode === null) follower.child.kill('SIGINT');
    // A server killed here may still be writing its preview: retried.
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 10 });
  });
  setTimeout(() => die('took longer than ' + WHOLE_RUN_TIMEOUT_MS / 1000 + ' s'), WHOLE_RUN_TIMEOUT_MS).unref();

  server = await startServer(byline, site);
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const steps = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const navigations = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });
    await page.goto(server.origin + POST_URL);
    // Time for the page's event stream to open before the first edit.
    await page.waitForTimeout(500);

    // 1. A body edit shows in the open page, reloaded by itself.
    const postFile = path.join(site, POST);
    const original = fs.readFileSync(postFile, 'utf8');
    fs.writeFileSync(postFile, original + '\nA sentence added while the page was open: MARMOT.\n');
    await page.waitForFunction(() => document.body.innerText.includes('MARMOT'), null, { timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: path.join(shots, 'live-1-edited.png') });
    steps.push('body edit shown');

    // 2. A broken template: the error is laid over the page, located.
    const footer = path.join(site, 'templates', 'partials', 'footer.html');
    fs.mkdirSync(path.dirname(footer), { recursive: true });
    fs.writeFileSync(footer, '<footer>\n{% if %}\n</footer>\n');
    await page.waitForSelector('#byline-error', { timeout: STEP_TIMEOUT_MS });
    const text = await page.textContent('#byline-error');
    if (!/footer\.html:2:\d+: error/.test(text)) throw new Error('the overlay does not locate the error:\n' + text);
    if (!text.includes('^')) throw new Error('the overlay has no caret:\n' + text);
    await page.screenshot({ path: path.join(shots, 'live-2-error.png') });
    steps.push('error overlay shown: ' + text.split('\n')[2]);

    // 3. Fixed: the overlay goes, the page is the site again.
    fs.writeFileSync(footer, '<footer><p>KESTREL footer</p></footer>\n');
    await page.waitForFunction(
      () => !document.getElementById('byline-error') && document.body.innerText.includes('KESTREL'),
      null,
      { timeout: STEP_TIMEOUT_MS }
    );
    await page.screenshot({ path: path.join(shots, 'live-3-fixed.png') });
    steps.push('overlay cleared after the fix');

    // 4. A stylesheet edit applies without a reload.
    const css = path.join(site, 'static', 'css', 'live.css');
    fs.mkdirSync(path.dirname(css), { recursive: true });
    fs.writeFileSync(css, 'body { outline: 0; }\n');
    fs.writeFileSync(footer, '<footer><link rel="stylesheet" href="/css/live.css"><p>KESTREL footer</p></footer>\n');
    await page.waitForFunction(() => !!document.querySelector('link[href^="/css/live.css"]'), null, { timeout: STEP_TIMEOUT_MS });
    await page.waitForTimeout(300);
    const before = navigations.length;
    fs.writeFileSync(css, 'body { outline: 7px solid rgb(200, 0, 0); }\n');
    await page.waitForFunction(() => getComputedStyle(document.body).outlineWidth === '7px', null, { timeout: STEP_TIMEOUT_MS });
    if (navigations.length !== before) throw new Error('the stylesheet edit reloaded the page');
    steps.push('stylesheet swapped without a reload');
    for (const url of navigations) {
      if (!url.startsWith(server.origin + POST_URL)) throw new Error('the page went elsewhere: ' + url);
    }

    // 5. --navigate-to-changed: the tab on the home page goes to the post
    // that was saved. (The first server stops first: both watch the site.)
    await page.close();
    await stop(server);
    follower = await startServer(byline, site, ['--navigate-to-changed']);
    const home = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await home.goto(follower.origin + '/');
    await home.waitForTimeout(500);
    fs.writeFileSync(postFile, original + '\nSaved with a tab open on the home page: OSPREY.\n');
    await home.waitForURL(follower.origin + POST_URL, { timeout: STEP_TIMEOUT_MS });
    await home.waitForFunction(() => document.body.innerText.includes('OSPREY'), null, { timeout: STEP_TIMEOUT_MS });
    await home.screenshot({ path: path.join(shots, 'live-5-navigated.png') });
    steps.push('--navigate-to-changed took the home page to the saved post');
  } finally {
    await browser.close();
  }
  // Stopped before the site is removed: a server still finishing a build
  // wrote into .byline/serve/ while it went (CI at ddaf1bf: ENOTEMPTY).
  await stop(follower);
  for (const s of steps) console.log('ok    ' + s);
  process.exit(0);
}

main().catch((e) => die(e.stack || String(e)));

#!/usr/bin/env node
// Loads pages of the example site in headless Chromium (Debian's chromium,
// driven by playwright-core) at a phone and a desktop width, and fails on any
// console error, page error, failed or >= 400 request, external request,
// broken image or horizontal overflow. Saves a screenshot of each for humans.
//
// Usage: node check_pages.js BYLINE_BINARY SOURCE_DIR SCREENSHOT_DIR
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { freePort } = require('./static_server.js');

// What is checked. `expect` is a selector the page must contain, so the test
// notices when the page it names stops being the one it meant to check.
const PAGES = [
  { name: 'home', path: '/' },
  // A republished piece with a figure, the outlet line and an appearance.
  {
    name: 'post',
    path: '/2018/11/hong-kong-press-freedom-slow-erosion/',
    expect: 'figure',
  },
  { name: 'tag', path: '/tag/hong-kong/' },
  { name: 'outlets', path: '/outlets/' },
  { name: 'appearances', path: '/appearances/' },
];

const WIDTHS = [
  // A phone: mobile emulation, so the page's <meta name="viewport"> matters
  // as it does on a real phone.
  { name: 'phone', width: 390, height: 844, mobile: true },
  { name: 'desktop', width: 1280, height: 800, mobile: false },
];

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PAGE_TIMEOUT_MS = 15000;
const SERVER_START_TIMEOUT_MS = 30000;
// Below ctest's TIMEOUT, so the server is stopped by us, not left running.
const WHOLE_RUN_TIMEOUT_MS = 150000;

function die(message) {
  console.error('browser_check: ' + message);
  process.exit(1);
}

function loadPlaywright() {
  try {
    return require('playwright-core');
  } catch (e) {
    die(
      'playwright-core is missing (' +
        path.join(__dirname, 'node_modules') +
        '): run scripts/install-deps.sh, or `npm ci` in tests/browser'
    );
  }
}

// The running `byline serve`, known from the moment it starts so that no way
// out of this script leaves it behind.
let serverProcess = null;

// `byline serve` builds into `dest` with base_url set to the address it
// serves on, so absolute links in the pages point at this server.
function startServer(byline, site, dest, port) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      byline,
      ['serve', '-s', site, '-d', dest, '--bind', '127.0.0.1', '-p', String(port)],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    serverProcess = child;
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('byline serve did not start within ' + SERVER_START_TIMEOUT_MS / 1000 + ' s'));
    }, SERVER_START_TIMEOUT_MS);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('Serving ')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error('cannot run ' + byline + ': ' + e.message));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const err = new Error(
        'byline serve exited (' + (signal || 'status ' + code) + ') before serving:\n' + stdout + stderr
      );
      err.portTaken = stderr.includes('cannot listen');
      reject(err);
    });
  });
}

// Runs in the page: the horizontal overflow, if any, and the widest element
// that reaches past the right edge, named by a CSS selector.
function measureOverflow(viewportWidth) {
  const limit = Math.min(window.innerWidth, viewportWidth);
  const scrollWidth = document.documentElement.scrollWidth;
  const result = {
    scrollWidth,
    layoutWidth: document.documentElement.clientWidth,
    limit,
    culprit: null,
  };
  if (scrollWidth <= limit) return result;
  const selectorOf = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && e !== document.documentElement; e = e.parentElement) {
      if (e.id) {
        parts.unshift('#' + CSS.escape(e.id));
        break;
      }
      let part = e.localName;
      for (const c of e.classList) part += '.' + CSS.escape(c);
      const parent = e.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter((s) => s.localName === e.localName);
        if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(e) + 1) + ')';
      }
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  let widest = null;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= limit + 0.5 || r.width === 0) continue;
    if (!widest || r.width > widest.width) {
      widest = { selector: selectorOf(el), width: Math.round(r.width), right: Math.round(r.right) };
    }
  }
  result.culprit = widest;
  return result;
}

// Runs in the page: the site header's height and the links of its menu
// that reach past the right edge or onto a third line.
function measureHeader(viewportWidth) {
  const header = document.querySelector('.site-header');
  if (!header) return null;
  const links = Array.from(header.querySelectorAll('.site-nav a'));
  const tops = [...new Set(links.map((a) => Math.round(a.getBoundingClientRect().top)))];
  return {
    height: Math.round(header.getBoundingClientRect().height),
    menuLines: tops.length,
    outside: links
      .filter((a) => a.getBoundingClientRect().right > viewportWidth + 0.5)
      .map((a) => a.textContent.trim()),
  };
}

// Runs in the page: the icon the page links, and the HTTP status it is
// served with (browsers ask for /favicon.ico when a page links none).
async function checkIcon() {
  const link = document.querySelector('link[rel="icon"]');
  if (!link) return { href: null, status: 0 };
  const res = await fetch(link.href);
  return { href: link.getAttribute('href'), status: res.status };
}

// Runs in the page: lazy images below the fold would never load in a
// screenshot-less check, so load them all now and report any that fail.
async function loadAllImages() {
  const images = Array.from(document.images);
  for (const img of images) if (img.loading === 'lazy') img.loading = 'eager';
  await Promise.all(
    images.map((img) =>
      img.complete
        ? null
        : new Promise((resolve) => {
            img.addEventListener('load', resolve, { once: true });
            img.addEventListener('error', resolve, { once: true });
          })
    )
  );
  return images
    .filter((img) => img.complete && img.naturalWidth === 0)
    .map((img) => img.currentSrc || img.src);
}

async function checkPage(browser, origin, page, width, screenshotDir) {
  const context = await browser.newContext({
    viewport: { width: width.width, height: width.height },
    isMobile: width.mobile,
    hasTouch: width.mobile,
    deviceScaleFactor: 1,
    serviceWorkers: 'block',
  });
  const problems = [];
  // Chromium also logs each failed load as a console error ("Failed to load
  // resource"); those are kept apart and reported only for URLs that are not
  // already reported as failed requests, since events arrive in any order.
  const failedUrls = new Set();
  const loadErrors = [];
  // Only this server: a theme must not load fonts or scripts from a CDN, and
  // the CI machine could not reach one anyway.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
    failedUrls.add(url);
    problems.push('request to another host: ' + url);
    return route.abort('blockedbyclient');
  });
  const tab = await context.newPage();
  tab.setDefaultTimeout(PAGE_TIMEOUT_MS);
  tab.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location() || {};
    const where = loc.url ? ' (' + loc.url + (loc.lineNumber ? ':' + loc.lineNumber : '') + ')' : '';
    const text = 'console error: ' + msg.text() + where;
    if (msg.text().startsWith('Failed to load resource')) loadErrors.push({ url: loc.url, text });
    else problems.push(text);
  });
  tab.on('pageerror', (err) => problems.push('page error: ' + err.message));
  tab.on('requestfailed', (req) => {
    if (failedUrls.has(req.url())) return;
    failedUrls.add(req.url());
    const failure = req.failure();
    const why = failure ? failure.errorText : 'unknown error';
    problems.push('request failed: ' + req.url() + ' (' + why + ')');
  });
  tab.on('response', (res) => {
    if (res.status() < 400) return;
    failedUrls.add(res.url());
    const what = res.url() === origin + page.path ? ' (the page itself)' : '';
    problems.push('HTTP ' + res.status() + ' for ' + res.url() + what);
  });

  const url = origin + page.path;
  const shot = path.join(screenshotDir, page.name + '-' + width.name + '.png');
  let overflow = null;
  try {
    await tab.goto(url, { waitUntil: 'load' });
    const broken = await tab.evaluate(loadAllImages);
    await tab.waitForLoadState('networkidle');
    for (const src of broken) {
      if (!failedUrls.has(src)) problems.push('image did not decode: ' + src);
    }
    if (page.expect && (await tab.locator(page.expect).count()) === 0) {
      problems.push('no "' + page.expect + '" on the page: is ' + page.path + ' still the page meant here?');
    }
    overflow = await tab.evaluate(measureOverflow, width.width);
    if (width.mobile && overflow.layoutWidth > width.width) {
      // A phone lays out a page without a viewport meta tag at 980px and
      // shrinks it: nothing overflows, and nothing can be read either.
      problems.push(
        'the page is laid out ' +
          overflow.layoutWidth +
          'px wide on a ' +
          width.width +
          'px phone: is <meta name="viewport" content="width=device-width, initial-scale=1"> missing?'
      );
    } else if (overflow.scrollWidth > overflow.limit) {
      let msg = 'horizontal overflow: the page is ' + overflow.scrollWidth + 'px wide';
      msg += ' in a ' + overflow.limit + 'px viewport';
      const c = overflow.culprit;
      if (c) {
        msg += '; widest element past the edge: ' + c.selector;
        msg += ' (' + c.width + 'px wide, right edge at ' + c.right + 'px)';
      }
      problems.push(msg);
    }
    const icon = await tab.evaluate(checkIcon);
    if (!icon.href) problems.push('no <link rel="icon">: browsers will ask for /favicon.ico');
    else if (icon.status >= 400) problems.push('HTTP ' + icon.status + ' for the icon ' + icon.href);
    if (width.mobile) {
      // A phone's header and menu fit in the width, on at most two lines of
      // menu, and leave the first screen to the page: at most 15% of it
      // (the example site's header took 151px of 844 before it was made
      // compact, with "About" alone on a second line of menu).
      const header = await tab.evaluate(measureHeader, width.width);
      if (!header) {
        problems.push('no .site-header on the page');
      } else {
        if (header.outside.length) problems.push('menu links past the right edge: ' + header.outside.join(', '));
        if (header.menuLines > 2) problems.push('the menu takes ' + header.menuLines + ' lines');
        if (header.height > width.height * 0.15) {
          problems.push('the header is ' + header.height + 'px tall on a ' + width.height + 'px screen');
        }
      }
    }
    await tab.screenshot({ path: shot, fullPage: true });
  } catch (e) {
    problems.push('could not load and check ' + url + ': ' + e.message.split('\n')[0]);
  } finally {
    await context.close();
  }
  for (const e of loadErrors) if (!failedUrls.has(e.url)) problems.push(e.text);
  return { problems, shot: fs.existsSync(shot) ? shot : null };
}

async function main() {
  const [byline, source, screenshotDir] = process.argv.slice(2).map((p) => p && path.resolve(p));
  if (!screenshotDir) die('usage: check_pages.js BYLINE_BINARY SOURCE_DIR SCREENSHOT_DIR');
  const { chromium } = loadPlaywright();
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK);
  } catch (e) {
    die(CHROMIUM + ' is missing: install Debian\'s chromium package (scripts/install-deps.sh does)');
  }
  fs.mkdirSync(screenshotDir, { recursive: true });
  for (const f of fs.readdirSync(screenshotDir)) {
    if (f.endsWith('.png')) fs.rmSync(path.join(screenshotDir, f));
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-browser-'));
  let server = null;
  let browser = null;
  const stop = () => {
    const s = serverProcess;
    if (s && s.exitCode === null && s.signalCode === null) s.kill();
    try {
      fs.rmSync(tmp, { recursive: true, force: true });
    } catch (e) {
      console.error('browser_check: could not remove ' + tmp + ': ' + e.message);
    }
  };
  // However this process ends (a signal, a closed stdout, an uncaught error),
  // the server must not outlive it.
  process.on('exit', stop);
  process.on('SIGINT', () => process.exit(130));
  process.on('SIGTERM', () => process.exit(143));
  process.on('SIGHUP', () => process.exit(129));
  process.stdout.on('error', () => process.exit(1));
  setTimeout(() => {
    die('the check took longer than ' + WHOLE_RUN_TIMEOUT_MS / 1000 + ' s; stopped');
  }, WHOLE_RUN_TIMEOUT_MS).unref();
  let failed = 0;
  let checked = 0;
  try {
    let port = 0;
    for (let attempt = 1; !server; attempt++) {
      port = await freePort();
      try {
        server = await startServer(byline, path.join(source, 'examples'), path.join(tmp, 'site'), port);
      } catch (e) {
        if (!e.portTaken || attempt === 3) throw e;
      }
    }
    const origin = 'http://127.0.0.1:' + port;

    // playwright gives each launch a new, empty profile (--user-data-dir in
    // the system's temp folder) and deletes it when the browser closes.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30000,
    });

    for (const page of PAGES) {
      for (const width of WIDTHS) {
        const { problems, shot } = await checkPage(browser, origin, page, width, screenshotDir);
        checked++;
        const size = width.width + 'x' + width.height;
        const label = (page.name + ' ' + size).padEnd(20) + ' ' + page.path;
        if (problems.length === 0) {
          console.log('ok    ' + label + '  screenshot: ' + shot);
        } else {
          failed++;
          console.log('FAIL  ' + label + (shot ? '  screenshot: ' + shot : ''));
          for (const p of [...new Set(problems)]) console.log('        ' + p);
        }
      }
    }
  } finally {
    if (browser) await browser.close();
    stop();
  }
  console.log(checked - failed + ' passed, ' + failed + ' failed (pages x widths checked in Chromium)');
  process.exit(failed ? 1 : 0);
}

main().catch((e) => die(e.stack || String(e)));

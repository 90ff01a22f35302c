// A static file server for the browser checks and benches: ROOT's files on
// whatever address the caller listens on, a folder's index.html for the
// folder's URL, 404 for anything else (a path outside ROOT included).
// `headers` are added to every file's response (e.g. Cache-Control). And
// freePort(), for the checks that start `byline serve` on a port of their own.
'use strict';

const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml' };

function staticServer(root, headers = {}) {
  const top = path.resolve(root);
  return http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(top, p);
    if (!file.startsWith(top) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    const body = fs.readFileSync(file);
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Content-Length': body.length, ...headers });
    res.end(body);
  });
}

// A port nobody listens on right now. Another process could take it before
// byline binds it; the callers then try again with a fresh one.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

module.exports = { staticServer, freePort };

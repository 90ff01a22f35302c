/* byline's search: reads the index byline writes at build time (docs/search.md)
   and drives the header box and the /search/ page. No framework, no
   WebAssembly. Themes can use the index alone through window.bylineSearch:
     const index = await bylineSearch.open('/search/index.json');
     const r = await index.search('kashmir -cricket', {filters: {year: ['2019']}, sort: 'relevance'});
     r.total; r.facets.tag  // [[value, count], ...] for this query
     const page = await r.records(0, 10);  // [{url, title, date, kind, outlet, tags, excerpt, html}]
*/
(function () {
  'use strict';
  // Loaded twice (the search page's own tag and its header box's loader): once is enough.
  if (window.bylineSearch) return;
  var cmp = function (a, b) { return a < b ? -1 : a > b ? 1 : 0; };

  // Case folding and diacritics removal, as the index's analyser does.
  function fold(s) {
    return s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase().replace(/ß/g, 'ss');
  }
  function words(s) { return fold(s).match(/[\p{L}\p{N}]+/gu) || []; }

  function gunzip(buf) {
    var b = new Uint8Array(buf);
    if (b[0] !== 0x1f || b[1] !== 0x8b) return Promise.resolve(b); // the server decoded it
    // Written straight into the stream: a Blob around it would copy it.
    var ds = new DecompressionStream('gzip'), w = ds.writable.getWriter();
    w.write(b).catch(function () {});
    w.close().catch(function () {});
    return new Response(ds.readable).arrayBuffer().then(function (a) { return new Uint8Array(a); });
  }

  function Reader(b) { this.b = b; this.i = 0; }
  Reader.prototype.num = function () {
    var v = 0, m = 1, c;
    do { c = this.b[this.i++]; v += (c & 127) * m; m *= 128; } while (c & 128);
    return v;
  };
  var utf8 = new TextDecoder();
  Reader.prototype.str = function () {
    var n = this.num(), s = utf8.decode(this.b.subarray(this.i, this.i + n));
    this.i += n;
    return s;
  };
  Reader.prototype.more = function () { return this.i < this.b.length; };

  // What a view of the index (Index.here) fails with when a query needs a
  // file not yet fetched.
  var NOT_HERE = new Error('search: a file it needs is not fetched yet');
  function Index(url, manifest) {
    this.dir = url.slice(0, url.lastIndexOf('/') + 1);
    this.m = manifest;
    this.stop = new Set(manifest.stop);
    this.files = new Map(); // every file and decoded chunk, by name: promises
  }
  // A file, fetched once (`low`: at low priority, for a guess).
  Index.prototype.bytes = function (name, low) {
    var p = this.files.get(name);
    if (!p) {
      if (this.hereOnly) return Promise.reject(NOT_HERE);
      p = fetch(this.dir + name, low ? { priority: 'low' } : undefined).then(function (r) {
        if (!r.ok) throw new Error('search: ' + name + ': ' + r.status);
        return r.arrayBuffer();
      }).then(gunzip);
      this.files.set(name, p);
    }
    return p;
  };
  // The index seen through a view that, while its `hereOnly` is set,
  // answers only from the files fetched already (or on their way): a query
  // that needs another fails with NOT_HERE instead of requesting it. The
  // view shares the index's files; with `hereOnly` cleared it is the index.
  Index.prototype.here = function () {
    var view = Object.create(this);
    view.hereOnly = true;
    return view;
  };
  // A file decoded once by `decode`, kept under `key`.
  Index.prototype.decoded = function (key, name, decode, low) {
    var p = this.files.get(key);
    if (!p) {
      if (this.hereOnly && !this.files.has(name)) return Promise.reject(NOT_HERE);
      p = this.bytes(name, low).then(decode);
      this.files.set(key, p);
    }
    return p;
  };
  function chunkIndex(list, key) {
    var lo = 0, hi = list.length - 1, at = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(list[mid][0], key) <= 0) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  }
  // The chunks of `list` that may hold `key` and, with `prefix`, the keys
  // beginning with it (at most `most` chunks).
  function chunksFor(list, key, prefix, most) {
    var first = chunkIndex(list, key), out = [];
    if (first >= 0) out.push(first);
    if (prefix) {
      for (var i = first + 1; i < list.length && out.length < most; i++) {
        if (list[i][0].slice(0, key.length) > key) break;
        out.push(i);
      }
    }
    return out;
  }
  // A term chunk: its stems in order, and where each one's postings start;
  // the postings (documents and weighted frequencies) are decoded, and
  // scored, when first asked for.
  function TermChunk(b) {
    var r = new Reader(b), prev = '';
    this.b = b;
    this.stems = [];
    this.at = new Map();
    while (r.more()) {
      var t = prev.slice(0, r.num()) + r.str(), df = r.num();
      this.stems.push(t);
      this.at.set(t, [r.i, df]);
      for (var k = 0; k < 2 * df; k++) while (b[r.i++] & 128); // skip the varints
      prev = t;
    }
    this.postings = new Map();
  }
  // A stem's documents and their scores: BM25F (docs/search.md,
  // "Ranking") from each posting's weighted frequency and, by document,
  // k1 × (1 − b + b × dl / avgdl) (`L`, Index.lengths), round(score ×
  // scale) and at least 1, computed in the order the writer's reference
  // (bm25_stored_score) does.
  TermChunk.prototype.get = function (stem, L) {
    var p = this.postings.get(stem), where = this.at.get(stem);
    if (p || !where) return p;
    var r = new Reader(this.b), df = where[1], docs = new Uint32Array(df), scores = new Uint32Array(df), d = 0;
    var idf = Math.log(1 + (L.n - df + 0.5) / (df + 0.5)), k1 = L.k1, w = L.w, scale = L.scale, K = L.K;
    r.i = where[0];
    for (var k = 0; k < df; k++) {
      d += r.num();
      docs[k] = d;
      var tf = r.num() / w, s = idf * tf * (k1 + 1) / (tf + K[d]);
      scores[k] = Math.max(1, Math.floor(s * scale + 0.5));
    }
    p = [docs, scores];
    this.postings.set(stem, p);
    return p;
  };
  // The stems in the chunk that begin with `prefix`.
  TermChunk.prototype.starting = function (prefix) {
    var out = [], lo = 0, hi = this.stems.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (this.stems[mid] < prefix) lo = mid + 1; else hi = mid; }
    for (var i = lo; i < this.stems.length && this.stems[i].startsWith(prefix); i++) out.push(this.stems[i]);
    return out;
  };
  // The documents' weighted lengths and what scoring needs with them.
  Index.prototype.lengths = function (low) {
    var m = this.m;
    return this.decoded('lengths', m.lengths, function (b) {
      var r = new Reader(b), n = r.num(), len = new Float64Array(n), total = 0, d;
      for (d = 0; d < n; d++) { len[d] = r.num(); total += len[d]; }
      var w = m.bm25.weights, k1 = m.bm25.k1, bb = m.bm25.b, avgdl = n ? total / w / n : 0;
      // k1 × (1 − b + b × dl / avgdl), once a document.
      var K = new Float64Array(n);
      for (d = 0; d < n; d++) K[d] = k1 * (1 - bb + bb * (avgdl > 0 ? (len[d] / w) / avgdl : 1));
      return { K: K, n: n, k1: k1, w: w, scale: m.scale };
    }, low);
  };
  Index.prototype.terms = function (i, low) {
    return this.decoded('t' + i, this.m.terms[i][1], function (b) { return new TermChunk(b); }, low);
  };
  // A vocabulary chunk: its words in order and their stems.
  Index.prototype.vocab = function (i, low) {
    return this.decoded('w' + i, this.m.vocab[i][1], function (b) {
      var r = new Reader(b), words = [], stems = [], prev = '';
      while (r.more()) {
        var w = prev.slice(0, r.num()) + r.str();
        words.push(w);
        stems.push(w.slice(0, r.num()) + r.str());
        prev = w;
      }
      return { words: words, stems: stems };
    }, low);
  };
  function wordsFrom(v, word, prefix, into) {
    var lo = 0, hi = v.words.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (v.words[mid] < word) lo = mid + 1; else hi = mid; }
    for (var i = lo; i < v.words.length && (v.words[i] === word || (prefix && v.words[i].startsWith(word))); i++) {
      into.add(v.stems[i]);
    }
  }
  // The stem of a word (the word itself when the vocabulary has no other).
  Index.prototype.stem = function (word) {
    var i = chunkIndex(this.m.vocab, word);
    if (i < 0) return Promise.resolve(word);
    return this.vocab(i).then(function (v) {
      var s = new Set();
      wordsFrom(v, word, false, s);
      return s.size ? s.values().next().value : word;
    });
  };
  // What a search needs before its first query: the facets and the
  // vocabulary when it is small. Called when a search box gets the focus.
  Index.prototype.warm = function () {
    var all = [this.facets(), this.lengths()];
    if (this.m.vocab.length <= 4) for (var i = 0; i < this.m.vocab.length; i++) all.push(this.vocab(i));
    return Promise.all(all).then(function () {}, function () {});
  };
  var MOST_CHUNKS = 4;
  // Documents and scores of one query word: `score[d]` is document d's
  // score, 0 where it does not match. The word's stem counts; with
  // `prefix`, so does every stem that begins with the word and the stem of
  // every vocabulary word that does (a typed prefix can be longer than the
  // stem of the word it begins: "fudorl" of "fudorli", stem "fudor"), the
  // best score of any. The term and vocabulary chunks are fetched at once.
  Index.prototype.lookup = function (word, prefix) {
    var self = this, m = this.m;
    var tv = chunksFor(m.vocab, word, prefix, MOST_CHUNKS), tt = chunksFor(m.terms, word, prefix, MOST_CHUNKS);
    var vocabs = Promise.all(tv.map(function (i) { return self.vocab(i); }));
    var terms = Promise.all(tt.map(function (i) { return self.terms(i); }));
    return Promise.all([vocabs, terms, this.lengths()]).then(function (got) {
      var L = got[2];
      var stems = new Set(), stemOfWord = new Set();
      got[0].forEach(function (v) { wordsFrom(v, word, false, stemOfWord); });
      stems.add(stemOfWord.size ? stemOfWord.values().next().value : word);
      if (prefix) {
        got[0].forEach(function (v) { wordsFrom(v, word, true, stems); });
        got[1].forEach(function (c) { c.starting(word).forEach(function (t) { stems.add(t); }); });
      }
      // The chunks of stems outside those fetched (a stem sorts before
      // its words): usually none, else one more round.
      var need = new Set();
      stems.forEach(function (t) { var i = chunkIndex(m.terms, t); if (i >= 0) need.add(i); });
      return Promise.all(Array.from(need).map(function (i) { return self.terms(i); })).then(function (chunks) {
        var score = new Uint32Array(m.docs);
        chunks.forEach(function (c) {
          stems.forEach(function (t) {
            var p = c.get(t, L);
            if (!p) return;
            for (var k = 0; k < p[0].length; k++) if (score[p[0][k]] < p[1][k]) score[p[0][k]] = p[1][k];
          });
        });
        return score;
      });
    });
  };
  Index.prototype.facets = function () {
    return this.decoded('facets', this.m.facets, function (b) {
      var r = new Reader(b), out = {}, n = r.num();
      for (var f = 0; f < n; f++) {
        var name = r.str(), values = [], count = r.num();
        for (var v = 0; v < count; v++) {
          var value = r.str(), len = r.num(), ids = new Uint32Array(len), d = 0;
          for (var k = 0; k < len; k++) { d += r.num(); ids[k] = d; }
          values.push([value, ids]);
        }
        out[name] = values;
      }
      return out;
    });
  };
  Index.prototype.record = function (id, low) {
    var per = this.m.records.per, c = Math.floor(id / per);
    var name = 'd-' + this.m.records.hashes.substr(c * 12, 12) + '.bin';
    return this.decoded('r' + c, name, function (b) { return JSON.parse(utf8.decode(b)); }, low).then(function (all) {
      var e = all[id % per];
      return { id: id, url: e[0], title: e[1], date: e[2], kind: e[3], outlet: e[4], tags: e[5], excerpt: e[6] };
    });
  };

  // "a "b c" -d e": required words, exclusions; the last bare word is
  // also a prefix unless the query ends in a space.
  function parse(q, stop) {
    var out = { words: [], not: [] }, re = /(-?)"([^"]*)"?|(-?)(\S+)/g, m, last = null;
    while ((m = re.exec(q))) {
      var neg = (m[1] || m[3]) === '-', phrase = m[2] !== undefined;
      words(phrase ? m[2] : m[4]).forEach(function (w) {
        if (stop.has(w)) return;
        var item = { word: w, prefix: false };
        (neg ? out.not : out.words).push(item);
        last = !neg && !phrase ? item : null;
      });
    }
    if (last && !/\s$/.test(q) && last.word.length >= 3) last.prefix = true;
    return out;
  }

  Index.prototype.search = function (q, opts) {
    opts = opts || {};
    var self = this, query = parse(q, this.stop), n = this.m.docs;
    if (!query.words.length) return Promise.resolve(result(self, query, [], {}));
    var all = query.words.concat(query.not);
    // The facets are fetched alongside the words' chunks, not after them.
    var facets = this.facets();
    return Promise.all(all.map(function (w) { return self.lookup(w.word, w.prefix); }).concat([facets]))
      .then(function (lists) {
        var facets = lists.pop(), scores = lists[0], d;
        for (var i = 1; i < query.words.length; i++) {
          var next = lists[i];
          for (d = 0; d < n; d++) scores[d] = scores[d] && next[d] ? scores[d] + next[d] : 0;
        }
        for (var j = query.words.length; j < lists.length; j++) {
          var not = lists[j];
          for (d = 0; d < n; d++) if (not[d]) scores[d] = 0;
        }
        var filters = opts.filters || {}, ok = new Uint8Array(n);
        for (d = 0; d < n; d++) ok[d] = scores[d] ? 1 : 0;
        Object.keys(filters).forEach(function (name) {
          if (!filters[name] || !filters[name].length || !facets[name]) return;
          var keep = new Uint8Array(n);
          facets[name].forEach(function (v) {
            if (filters[name].indexOf(v[0]) < 0) return;
            for (var k = 0; k < v[1].length; k++) keep[v[1][k]] = ok[v[1][k]];
          });
          ok = keep;
        });
        var count = 0, top = 0;
        for (d = 0; d < n; d++) if (ok[d]) { count++; if (scores[d] > top) top = scores[d]; }
        var ids = new Array(count), at = 0;
        if (opts.sort === 'date') {
          // Documents are numbered oldest first: newest first is the
          // highest number first.
          for (d = n - 1; d >= 0; d--) if (ok[d]) ids[at++] = d;
        } else {
          // Best score first, then the newer (the higher number): one
          // numeric sort of (top - score) * 2^24 + (n - 1 - d), exact in a
          // double.
          var keys = new Float64Array(count), SHIFT = 16777216;
          for (d = 0; d < n; d++) if (ok[d]) keys[at++] = (top - scores[d]) * SHIFT + (n - 1 - d);
          keys.sort();
          for (at = 0; at < count; at++) ids[at] = n - 1 - (keys[at] % SHIFT);
        }
        var counts = {};
        Object.keys(facets).forEach(function (name) {
          counts[name] = facets[name].map(function (v) {
            var c = 0, list = v[1];
            for (var k = 0; k < list.length; k++) c += ok[list[k]];
            return [v[0], c];
          }).filter(function (c) { return c[1] > 0; }).sort(function (a, b) {
            return name === 'year' ? cmp(b[0], a[0]) : b[1] - a[1] || cmp(a[0], b[0]);
          });
        });
        return result(self, query, ids, counts, scores);
      });
  };

  // Typing ahead: while the reader looks at the results of `q`, fetch at
  // low priority the records of the first `count` results of the queries
  // one more letter would make, for the `most` letters that begin the
  // most documents' words after the last word (from the chunks already
  // here), so that the next key finds them cached. Stops as soon as
  // `current()` is false (the reader typed on). Resolves to the letters,
  // once their records are here.
  Index.prototype.anticipate = function (q, opts, count, most, current) {
    var self = this, query = parse(q, this.stop), last = query.words[query.words.length - 1];
    // A word of two letters becomes a prefix with the next: its chunks are
    // fetched (at low priority) to guess from.
    var end = /(?:^|\s)([\p{L}\p{N}]{2})$/u.exec(q);
    var two = last && !last.prefix && end && fold(end[1]) === last.word;
    if (!last || !(last.prefix || two)) return Promise.resolve([]);
    var word = last.word, weight = new Map(), m = this.m;
    var add = function (rest, df) {
      if (!rest) return;
      var c = String.fromCodePoint(rest.codePointAt(0));
      weight.set(c, (weight.get(c) || 0) + df);
    };
    var here = function (key) {
      if (two && key[0] === 't' && key !== 't-1') return self.terms(Number(key.slice(1)), true);
      if (two && key[0] === 'w') return self.vocab(Number(key.slice(1)), true);
      return self.files.get(key) || Promise.resolve(null);
    };
    var tv = chunksFor(m.vocab, word, true, MOST_CHUNKS), words = [];
    return Promise.all(tv.map(function (i) { return here('w' + i); })).then(function (vocabs) {
      // The vocabulary's words beginning with the word, and their stems.
      vocabs.forEach(function (v) {
        for (var i = 0; v && i < v.words.length; i++) if (v.words[i].startsWith(word)) words.push([v.words[i], v.stems[i]]);
      });
      var tt = new Set(chunksFor(m.terms, word, true, MOST_CHUNKS));
      words.forEach(function (w) { tt.add(chunkIndex(m.terms, w[1])); });
      return Promise.all(Array.from(tt).map(function (i) { return here('t' + i); }));
    }).catch(function () { return []; }).then(function (chunks) {
      var df = function (stem) {
        for (var i = 0; i < chunks.length; i++) if (chunks[i] && chunks[i].at.has(stem)) return chunks[i].at.get(stem)[1];
        return 0;
      };
      chunks.forEach(function (c) {
        if (c) c.starting(word).forEach(function (t) { add(t.slice(word.length), df(t)); });
      });
      words.forEach(function (w) { add(w[0].slice(word.length), df(w[1])); });
      var letters = Array.from(weight.keys()).sort(function (a, b) { return weight.get(b) - weight.get(a) || cmp(a, b); });
      var fetching = [];
      var next = function (k) {
        if (k >= Math.min(letters.length, most) || !current()) return Promise.all(fetching);
        return self.search(q + letters[k], opts).then(function (r) {
          if (!current()) return Promise.all(fetching);
          r.ids.slice(0, count).forEach(function (id) { fetching.push(self.record(id, true).catch(function () {})); });
          // A task of its own for each guess: a key typed meanwhile is
          // handled first.
          return new Promise(function (resolve) { setTimeout(resolve, 0); }).then(function () { return next(k + 1); });
        });
      };
      return next(0).then(function () { return letters.slice(0, most); });
    });
  };

  function escape(s) {
    return s.replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }
  // Text with the query's words marked: a word matches when its folded
  // form starts with a query word (or with that word's stem).
  function highlight(text, keys) {
    var out = '', at = 0, re = /[\p{L}\p{N}\p{M}]+/gu, m;
    while ((m = re.exec(text))) {
      var f = fold(m[0]);
      if (keys.some(function (k) { return f.startsWith(k); })) {
        out += escape(text.slice(at, m.index)) + '<mark>' + escape(m[0]) + '</mark>';
        at = m.index + m[0].length;
      }
    }
    return out + escape(text.slice(at));
  }
  function result(index, query, ids, facets, scores) {
    var keys = query.words.map(function (w) { return w.word; });
    return {
      total: ids.length, ids: ids, facets: facets,
      score: function (id) { return scores ? scores[id] : 0; },
      records: function (from, count) {
        return Promise.all(query.words.map(function (w) { return index.stem(w.word); })).then(function (stems) {
          var k = keys.concat(stems.filter(function (s) { return s.length >= 3; }));
          return Promise.all(ids.slice(from, from + count).map(function (id) {
            return index.record(id).then(function (r) {
              r.titleHtml = highlight(r.title, k);
              r.html = highlight(r.excerpt, k);
              return r;
            });
          }));
        });
      }
    };
  }

  var opened = new Map();
  function open(url) {
    if (!opened.has(url)) {
      opened.set(url, fetch(url).then(function (r) { return r.json(); }).then(function (m) { return new Index(url, m); }));
    }
    return opened.get(url);
  }
  window.bylineSearch = { open: open, fold: fold, parse: function (q, stop) { return parse(q, new Set(stop || [])); } };

  // ---- The default theme's UI ----
  var script = document.currentScript;
  var indexUrl = script && script.dataset.index;
  if (!indexUrl) return;
  var FACETS = [['kind', 'Kind'], ['year', 'Year'], ['outlet', 'Outlet'], ['tag', 'Tag']];
  var PAGE = 10;
  var AHEAD = 3; // letters typed ahead: see Index.anticipate

  function item(r) {
    var meta = [r.date, r.outlet, r.kind !== 'post' ? r.kind : ''].filter(Boolean).map(escape).join(' · ');
    return '<li class="search-result"><a href="' + escape(r.url) + '">' + r.titleHtml + '</a>' +
      (meta ? '<p class="search-meta">' + meta + '</p>' : '') +
      (r.html ? '<p class="search-excerpt">' + r.html + '</p>' : '') + '</li>';
  }
  // User Timing marks, for profiling and bench/search_keystroke.js: when
  // a query starts (after the debounce) and when its results are in the
  // page.
  function mark(name, q) {
    try { performance.mark(name, { detail: q }); } catch (e) { /* no User Timing */ }
  }
  // After the next frame is painted: work that must not delay it.
  function afterPaint(fn) {
    requestAnimationFrame(function () { setTimeout(fn, 0); });
  }
  function debounce(fn, ms) {
    var t;
    var f = function () { clearTimeout(t); t = setTimeout(fn, ms); };
    f.cancel = function () { clearTimeout(t); };
    return f;
  }
  // Results as you type: each key's query runs at once on the files
  // already fetched (`show(true)`) and is shown if they were enough, as
  // they mostly are once a word's first letters are in; a query that
  // needs a file waits until typing pauses for 120 ms and then fetches
  // (`show(false)`), so that half-typed words send no requests. show()
  // resolves to true (shown), false (it needed a file) or undefined (a
  // later key overtook it); `after` follows a query shown.
  function asYouType(show, after) {
    var later = debounce(function () { show(false).then(function (done) { if (done) after(); }); }, 120);
    return function () {
      show(true).then(function (done) {
        if (done) { later.cancel(); after(); } else if (done === false) later();
      });
    };
  }
  // Arrow keys move between the input and the result links.
  function arrows(input, list) {
    function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }
    function move(e) {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      var l = links(), i = l.indexOf(document.activeElement);
      if (!l.length) return;
      e.preventDefault();
      if (e.key === 'ArrowDown') (l[i + 1] || l[i] || l[0]).focus();
      else if (i <= 0) input.focus();
      else l[i - 1].focus();
    }
    input.addEventListener('keydown', move);
    list.addEventListener('keydown', move);
  }

  // The search page.
  var page = document.getElementById('search-page');
  if (page) {
    var form = page.querySelector('form'), input = form.querySelector('input[name=q]');
    var status = document.getElementById('search-status'), list = document.getElementById('search-results');
    var chips = document.getElementById('search-facets'), sort = document.getElementById('search-sort');
    var more = document.getElementById('search-more');
    var state = { q: '', filters: {}, sort: 'relevance' }, current = null, shown = 0, seq = 0;
    page.classList.add('search-live');
    var fromUrl = function () {
      var p = new URLSearchParams(location.search);
      state.q = p.get('q') || '';
      state.sort = p.get('sort') === 'date' ? 'date' : 'relevance';
      state.filters = {};
      FACETS.forEach(function (f) { var v = p.getAll(f[0]); if (v.length) state.filters[f[0]] = v; });
      input.value = state.q;
      sort.value = state.sort;
    };
    var toUrl = function (push) {
      var p = new URLSearchParams();
      if (state.q) p.set('q', state.q);
      if (state.sort === 'date') p.set('sort', 'date');
      FACETS.forEach(function (f) { (state.filters[f[0]] || []).forEach(function (v) { p.append(f[0], v); }); });
      var url = location.pathname + (p.toString() ? '?' + p : '');
      if (url !== location.pathname + location.search) history[push ? 'pushState' : 'replaceState'](null, '', url);
    };
    var showMore = function () {
      var r = current, from = shown;
      return r.records(from, PAGE).then(function (recs) {
        if (r !== current) return;
        list.insertAdjacentHTML('beforeend', recs.map(item).join(''));
        shown = from + recs.length;
        more.hidden = shown >= r.total;
      });
    };
    var renderChips = function (r) {
      chips.innerHTML = FACETS.map(function (f) {
        var values = (r.facets[f[0]] || []).slice(0, 12), sel = state.filters[f[0]] || [];
        sel.forEach(function (v) { if (!values.some(function (x) { return x[0] === v; })) values.push([v, 0]); });
        if (!values.length) return '';
        return '<div class="facet" role="group" aria-label="' + f[1] + '"><span class="facet-name">' + f[1] + '</span>' +
          values.map(function (v) {
            return '<button type="button" class="chip" data-facet="' + f[0] + '" data-value="' + escape(v[0]) +
              '" aria-pressed="' + (sel.indexOf(v[0]) >= 0) + '">' + escape(v[0]) + ' <span class="count">' + v[1] + '</span></button>';
          }).join('') + '</div>';
      }).join('');
    };
    // The count, the chips and the first results are put in the page
    // together, once the results' records are here: one repaint, no empty
    // list in between.
    // With `hereOnly`, only from the files fetched already (asYouType).
    var run = function (hereOnly) {
      var mine = ++seq, q = state.q;
      if (!q.trim()) {
        list.innerHTML = ''; chips.innerHTML = ''; more.hidden = true; status.textContent = '';
        return Promise.resolve(true);
      }
      mark('byline-search:query', q);
      var opts = { filters: state.filters, sort: state.sort }, index;
      return open(indexUrl).then(function (i) {
        index = hereOnly ? i.here() : i;
        return index.search(q, opts);
      }).then(function (r) {
        return r.records(0, PAGE).then(function (recs) {
          if (mine !== seq) return undefined;
          index.hereOnly = false; // "More results" fetches
          current = r;
          status.textContent = r.total === 1 ? '1 result' : r.total + ' results';
          renderChips(r);
          list.innerHTML = recs.map(item).join('');
          shown = recs.length;
          more.hidden = shown >= r.total;
          mark('byline-search:shown', q);
          afterPaint(function () { index.anticipate(q, opts, PAGE, AHEAD, function () { return mine === seq; }); });
          return true;
        });
      }).catch(function (e) {
        if (mine !== seq) return undefined;
        if (e === NOT_HERE) return false;
        status.textContent = 'Search is unavailable: ' + e.message;
      });
    };
    // The URL follows the box once typing pauses, after the results are
    // painted: replacing the history entry takes long enough to delay them.
    var syncUrl = debounce(function () { toUrl(false); }, 300);
    var typed = asYouType(function (hereOnly) {
      state.q = input.value;
      return run(hereOnly);
    }, function () { afterPaint(syncUrl); });
    input.addEventListener('input', typed);
    form.addEventListener('submit', function (e) { e.preventDefault(); state.q = input.value; toUrl(true); run(); });
    sort.addEventListener('change', function () { state.sort = sort.value; toUrl(true); run(); });
    more.addEventListener('click', function () { showMore(); });
    chips.addEventListener('click', function (e) {
      var b = e.target.closest('button.chip');
      if (!b) return;
      var f = b.dataset.facet, v = b.dataset.value, sel = state.filters[f] || [];
      state.filters[f] = sel.indexOf(v) >= 0 ? sel.filter(function (x) { return x !== v; }) : sel.concat([v]);
      toUrl(true);
      run();
    });
    window.addEventListener('popstate', function () { fromUrl(); run(); });
    arrows(input, list);
    fromUrl();
    run();
    open(indexUrl).then(function (index) { return index.warm(); }, function () {});
  }

  // The header box: results as you type, below it.
  var box = document.querySelector('.site-search');
  if (box && !page) {
    var hin = box.querySelector('input[name=q]'), panel = document.createElement('div');
    panel.className = 'search-panel';
    panel.id = 'search-panel';
    panel.hidden = true;
    panel.innerHTML = '<p class="search-status" aria-live="polite"></p><ol class="search-results"></ol>';
    box.appendChild(panel);
    hin.setAttribute('aria-controls', 'search-panel');
    var hstatus = panel.firstChild, hlist = panel.lastChild, hseq = 0;
    var go = asYouType(function (hereOnly) {
      var q = hin.value, mine = ++hseq;
      if (!q.trim()) { panel.hidden = true; return Promise.resolve(true); }
      mark('byline-search:query', q);
      var index;
      return open(indexUrl).then(function (i) {
        index = hereOnly ? i.here() : i;
        return index.search(q);
      }).then(function (r) {
        return r.records(0, 8).then(function (recs) {
          if (mine !== hseq) return undefined;
          index.hereOnly = false;
          hstatus.textContent = r.total === 1 ? '1 result' : r.total + ' results';
          hlist.innerHTML = recs.map(item).join('') +
            (r.total > recs.length ? '<li class="search-all"><a href="' + escape(box.action + '?q=' + encodeURIComponent(q)) + '">All ' + r.total + ' results</a></li>' : '');
          panel.hidden = false;
          mark('byline-search:shown', q);
          afterPaint(function () { index.anticipate(q, {}, 8, AHEAD, function () { return mine === hseq; }); });
          return true;
        });
      }).catch(function (e) {
        if (mine !== hseq) return undefined;
        if (e === NOT_HERE) return false;
        hstatus.textContent = 'Search is unavailable: ' + e.message;
        panel.hidden = false;
      });
    }, function () {});
    hin.addEventListener('input', go);
    hin.addEventListener('focus', function () {
      open(indexUrl).then(function (index) { return index.warm(); }, function () {});
    });
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { panel.hidden = true; hin.focus(); }
    });
    document.addEventListener('click', function (e) { if (!box.contains(e.target)) panel.hidden = true; });
    arrows(hin, hlist);
    // The base template's loader fetched this script on the reader's first
    // move towards the box: they may be in it, and typing, already.
    if (document.activeElement === hin) open(indexUrl).then(function (index) { return index.warm(); }, function () {});
    if (hin.value.trim()) go();
  }
})();

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
  var cmp = function (a, b) { return a < b ? -1 : a > b ? 1 : 0; };

  // Case folding and diacritics removal, as the index's analyser does.
  function fold(s) {
    return s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase().replace(/ß/g, 'ss');
  }
  function words(s) { return fold(s).match(/[\p{L}\p{N}]+/gu) || []; }

  function gunzip(buf) {
    var b = new Uint8Array(buf);
    if (b[0] !== 0x1f || b[1] !== 0x8b) return Promise.resolve(b); // the server decoded it
    var stream = new Blob([b]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer().then(function (a) { return new Uint8Array(a); });
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

  function Index(url, manifest) {
    this.dir = url.slice(0, url.lastIndexOf('/') + 1);
    this.m = manifest;
    this.stop = new Set(manifest.stop);
    this.files = new Map();
  }
  Index.prototype.bytes = function (name) {
    var p = this.files.get(name);
    if (!p) {
      p = fetch(this.dir + name).then(function (r) {
        if (!r.ok) throw new Error('search: ' + name + ': ' + r.status);
        return r.arrayBuffer();
      }).then(gunzip);
      this.files.set(name, p);
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
  // A term chunk: stem → [documents, scores].
  Index.prototype.terms = function (i) {
    var key = 't' + i, self = this;
    if (!this.files.has(key)) {
      this.files.set(key, this.bytes(this.m.terms[i][1]).then(function (b) {
        var r = new Reader(b), map = new Map(), prev = '';
        while (r.more()) {
          var t = prev.slice(0, r.num()) + r.str(), df = r.num();
          var docs = new Uint32Array(df), scores = new Uint32Array(df), d = 0;
          for (var k = 0; k < df; k++) { d += r.num(); docs[k] = d; scores[k] = r.num(); }
          map.set(t, [docs, scores]);
          prev = t;
        }
        return map;
      }));
    }
    return this.files.get(key);
  };
  Index.prototype.stem = function (word) {
    var i = chunkIndex(this.m.vocab, word);
    if (i < 0) return Promise.resolve(word);
    var key = 'w' + i, self = this;
    if (!this.files.has(key)) {
      this.files.set(key, this.bytes(this.m.vocab[i][1]).then(function (b) {
        var r = new Reader(b), map = new Map(), prev = '';
        while (r.more()) {
          var w = prev.slice(0, r.num()) + r.str();
          map.set(w, w.slice(0, r.num()) + r.str());
          prev = w;
        }
        return map;
      }));
    }
    return this.files.get(key).then(function (map) { return map.get(word) || word; });
  };
  // Documents and scores of one query word: its stem, and with `prefix`
  // every stem that begins with the word (up to 3 chunks of them), the
  // best score of any counting.
  Index.prototype.lookup = function (word, prefix) {
    var self = this, terms = this.m.terms;
    return this.stem(word).then(function (stem) {
      var want = [chunkIndex(terms, stem)];
      if (prefix) {
        var first = chunkIndex(terms, word);
        for (var i = Math.max(first, 0); i < terms.length && i < first + 3; i++) {
          if (i > first && terms[i][0].slice(0, word.length) > word) break;
          want.push(i);
        }
      }
      want = want.filter(function (i, k) { return i >= 0 && want.indexOf(i) === k; });
      return Promise.all(want.map(function (i) { return self.terms(i); })).then(function (maps) {
        var hits = new Map();
        var add = function (p) {
          for (var k = 0; k < p[0].length; k++) {
            var d = p[0][k], s = p[1][k];
            if (!(hits.get(d) >= s)) hits.set(d, s);
          }
        };
        maps.forEach(function (map) {
          if (map.has(stem)) add(map.get(stem));
          if (prefix) map.forEach(function (p, t) { if (t !== stem && t.startsWith(word)) add(p); });
        });
        return hits;
      });
    });
  };
  Index.prototype.facets = function () {
    var self = this;
    if (!this.facetData) {
      this.facetData = this.bytes(this.m.facets).then(function (b) {
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
    }
    return this.facetData;
  };
  Index.prototype.record = function (id) {
    var per = this.m.records.per, c = Math.floor(id / per);
    var name = 'd-' + this.m.records.hashes.substr(c * 12, 12) + '.bin';
    return this.bytes(name).then(function (b) {
      var e = JSON.parse(utf8.decode(b))[id % per];
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
    var self = this, query = parse(q, this.stop);
    if (!query.words.length) return Promise.resolve(result(self, query, [], {}));
    var all = query.words.concat(query.not);
    return Promise.all(all.map(function (w) { return self.lookup(w.word, w.prefix); }))
      .then(function (lists) {
        var scores = lists[0];
        for (var i = 1; i < query.words.length; i++) {
          var next = new Map();
          scores.forEach(function (s, d) { if (lists[i].has(d)) next.set(d, s + lists[i].get(d)); });
          scores = next;
        }
        for (var j = query.words.length; j < lists.length; j++)
          lists[j].forEach(function (s, d) { scores.delete(d); });
        return self.facets().then(function (facets) {
          var filters = opts.filters || {}, ok = new Uint8Array(self.m.docs);
          scores.forEach(function (s, d) { ok[d] = 1; });
          Object.keys(filters).forEach(function (name) {
            if (!filters[name] || !filters[name].length || !facets[name]) return;
            var keep = new Uint8Array(self.m.docs);
            facets[name].forEach(function (v) {
              if (filters[name].indexOf(v[0]) >= 0) v[1].forEach(function (d) { keep[d] = ok[d]; });
            });
            ok = keep;
          });
          var ids = [];
          scores.forEach(function (s, d) { if (ok[d]) ids.push(d); });
          ids.sort(opts.sort === 'date' ? newerFirst
            : function (a, b) { return scores.get(b) - scores.get(a) || newerFirst(a, b); });
          var counts = {};
          Object.keys(facets).forEach(function (name) {
            counts[name] = facets[name].map(function (v) {
              var n = 0;
              v[1].forEach(function (d) { n += ok[d]; });
              return [v[0], n];
            }).filter(function (c) { return c[1] > 0; }).sort(function (a, b) {
              return name === 'year' ? cmp(b[0], a[0]) : b[1] - a[1] || cmp(a[0], b[0]);
            });
          });
          return result(self, query, ids, counts, scores);
        });
      });
  };

  // Documents are numbered oldest first (docs/search.md): the newer of two
  // is the higher number.
  function newerFirst(a, b) { return b - a; }

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
      score: function (id) { return scores ? scores.get(id) : 0; },
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

  function item(r) {
    var meta = [r.date, r.outlet, r.kind !== 'post' ? r.kind : ''].filter(Boolean).map(escape).join(' · ');
    return '<li class="search-result"><a href="' + escape(r.url) + '">' + r.titleHtml + '</a>' +
      (meta ? '<p class="search-meta">' + meta + '</p>' : '') +
      (r.html ? '<p class="search-excerpt">' + r.html + '</p>' : '') + '</li>';
  }
  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
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
    var run = function () {
      var mine = ++seq;
      if (!state.q.trim()) {
        list.innerHTML = ''; chips.innerHTML = ''; more.hidden = true; status.textContent = '';
        return Promise.resolve();
      }
      return open(indexUrl).then(function (index) {
        return index.search(state.q, { filters: state.filters, sort: state.sort });
      }).then(function (r) {
        if (mine !== seq) return;
        current = r; shown = 0; list.innerHTML = '';
        status.textContent = r.total === 1 ? '1 result' : r.total + ' results';
        renderChips(r);
        return showMore();
      }).catch(function (e) { status.textContent = 'Search is unavailable: ' + e.message; });
    };
    var typed = debounce(function () { state.q = input.value; toUrl(false); run(); }, 120);
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
    var go = debounce(function () {
      var q = hin.value, mine = ++hseq;
      if (!q.trim()) { panel.hidden = true; return; }
      open(indexUrl).then(function (index) { return index.search(q); }).then(function (r) {
        return r.records(0, 8).then(function (recs) {
          if (mine !== hseq) return;
          hstatus.textContent = r.total === 1 ? '1 result' : r.total + ' results';
          hlist.innerHTML = recs.map(item).join('') +
            (r.total > recs.length ? '<li class="search-all"><a href="' + escape(box.action + '?q=' + encodeURIComponent(q)) + '">All ' + r.total + ' results</a></li>' : '');
          panel.hidden = false;
        });
      }).catch(function (e) { hstatus.textContent = 'Search is unavailable: ' + e.message; panel.hidden = false; });
    }, 120);
    hin.addEventListener('input', go);
    hin.addEventListener('focus', function () { open(indexUrl); });
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { panel.hidden = true; hin.focus(); }
    });
    document.addEventListener('click', function (e) { if (!box.contains(e.target)) panel.hidden = true; });
    arrows(hin, hlist);
  }
})();

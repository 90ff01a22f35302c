#!/usr/bin/python3
"""Result quality: the search the browser runs against the index byline
writes must rank like a brute-force BM25F over the same documents,
computed here independently.

Builds tests/sites/search and the 1,000-post corpus (gen_corpus.py, seed
82). For the brute force, each post's text is read from the built page's
HTML (its <h1> and its <div class="content">) and from its Markdown front
matter (standfirst, tags, categories, outlet), analysed with PyStemmer (the
same Snowball algorithms, through another binding), and scored for each
query with the documented formula. The queries (single words, stems,
prefixes, phrases, exclusions, facets) run through the theme's search.js in
node (tests/search/query.js). The top 10 must be the same documents in the
same order, allowing only swaps of documents whose scores differ by less
than the index's rounding (0.01 a term), and the scores the browser
computes (from the index's frequencies and lengths) must be the brute
force's, within that rounding.

Usage: quality_test.py BYLINE WORK_DIR
"""
import html.parser
import json
import math
import os
import re
import shutil
import subprocess
import sys
import unicodedata

import Stemmer
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED_BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench")
NOW = "2026-01-01T00:00:00Z"
WEIGHTS = {"title": 4.0, "standfirst": 2.0, "body": 1.0, "tags": 2.0, "outlet": 1.0, "authors": 1.0}
K1, B = 1.2, 0.75
BLOCK = {"p", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "div", "td", "th", "tr",
         "blockquote", "figcaption", "pre", "hr", "table", "dd", "dt", "dl", "figure", "section",
         "article", "aside", "header", "footer", "nav", "sup", "img"}


def fail(msg):
    print("search quality: " + msg, file=sys.stderr)
    sys.exit(1)


def words(text):
    out, cur = [], []
    for ch in text:
        if unicodedata.category(ch)[0] in "LMN":
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    folded = []
    for w in out:
        d = unicodedata.normalize("NFD", w.casefold())
        f = unicodedata.normalize("NFC", "".join(c for c in d if unicodedata.category(c)[0] != "M"))
        if f:
            folded.append(f)
    return folded


class Text(html.parser.HTMLParser):
    """The text inside <div class="content"> and the page's <h1>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.body = []
        self.title = []
        self.in_h1 = False

    def handle_starttag(self, tag, attrs):
        if self.depth:
            if tag == "div":
                self.depth += 1
            if tag in BLOCK:
                self.body.append(" ")
        elif tag == "div" and ("class", "content") in attrs:
            self.depth = 1
        elif tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag):
        if self.depth:
            if tag == "div":
                self.depth -= 1
            if tag in BLOCK:
                self.body.append(" ")
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.depth:
            self.body.append(data)
        elif self.in_h1:
            self.title.append(data)


def documents(source, dest):
    """(url, date, fields, tags, outlet) of every searchable post."""
    docs = []
    for dirpath, _, files in os.walk(os.path.join(source, "content")):
        for name in files:
            if not name.endswith(".md") or name.startswith("_"):
                continue
            text = open(os.path.join(dirpath, name), encoding="utf-8").read()
            fm = yaml.safe_load(text.split("---", 2)[1])
            if fm.get("search") is False or "Private" in (fm.get("tags") or []):
                continue
            docs.append(fm)
    # The built page of each: found by its title in the sitemap's pages.
    pages = {}
    for dirpath, _, files in os.walk(dest):
        if "index.html" not in files or "/tag/" in dirpath + "/" or "/category/" in dirpath + "/":
            continue
        path = os.path.join(dirpath, "index.html")
        t = Text()
        t.feed(open(path, encoding="utf-8").read())
        if t.depth == 0 and t.body:
            url = "/" + os.path.relpath(dirpath, dest).replace(os.sep, "/") + "/"
            pages.setdefault(tuple(words("".join(t.title))), (url, "".join(t.body)))
    out = []
    for fm in docs:
        title = str(fm["title"])
        if tuple(words(title)) not in pages:
            fail("no built page for " + title)
        url, body = pages[tuple(words(title))]
        tags = [str(t) for t in fm.get("tags") or []]
        cats = [str(t) for t in fm.get("categories") or []]
        standfirst = str(fm.get("standfirst") or fm.get("description") or fm.get("summary") or "")
        outlet = str(fm.get("outlet") or "")
        fields = {"title": title, "standfirst": standfirst, "body": body,
                  "tags": "\n".join(tags + cats), "outlet": outlet, "authors": ""}
        date = str(fm["date"])[:10]
        out.append({"url": url, "date": date, "fields": fields, "tags": tags, "outlet": outlet,
                    "kind": "post"})
    out.sort(key=lambda d: d["url"])
    out.sort(key=lambda d: d["date"], reverse=True)
    return out


class Brute:
    def __init__(self, docs, stop):
        self.docs = docs
        self.stop = set(stop)
        stemmer = Stemmer.Stemmer("english")
        self.vocab = {}
        tf, dl = [], []
        for d in docs:
            counts, length = {}, 0.0
            for field, w in WEIGHTS.items():
                for word in words(d["fields"][field]):
                    if word in self.stop:
                        continue
                    stem = self.vocab.setdefault(word, stemmer.stemWord(word))
                    counts[stem] = counts.get(stem, 0.0) + w
                    length += w
            tf.append(counts)
            dl.append(length)
        n = len(docs)
        avgdl = sum(dl) / n
        df = {}
        for counts in tf:
            for t in counts:
                df[t] = df.get(t, 0) + 1
        self.stems = sorted(df)
        self.scores = {}  # stem -> {doc: quantized score}
        for i, counts in enumerate(tf):
            for t, f in counts.items():
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                s = idf * f * (K1 + 1) / (f + K1 * (1 - B + B * dl[i] / avgdl))
                self.scores.setdefault(t, {})[i] = max(1, int(math.floor(s * 100 + 0.5)))

    def term(self, word, prefix):
        """A word's documents and scores; a prefix matches every stem
        and every word that begins with it (a word through its stem, which
        can be shorter than the prefix: "electi" of "elections", stem
        "elect"), the best score of any."""
        stems = {self.vocab.get(word, word)}
        if prefix:
            stems.update(t for t in self.stems if t.startswith(word))
            stems.update(s for w, s in self.vocab.items() if w.startswith(word))
        hits = {}
        for t in stems:
            for d, s in self.scores.get(t, {}).items():
                hits[d] = max(hits.get(d, 0), s)
        return hits

    def search(self, q, filters=None):
        required, excluded, last = [], [], None
        for m in re.finditer(r'(-?)"([^"]*)"?|(-?)(\S+)', q):
            neg = (m.group(1) or m.group(3)) == "-"
            phrase = m.group(2) is not None
            for w in words(m.group(2) if phrase else m.group(4)):
                if w in self.stop:
                    continue
                item = [w, False]
                (excluded if neg else required).append(item)
                last = item if not neg and not phrase else None
        if last and not q.endswith(" ") and len(last[0]) >= 3:
            last[1] = True
        if not required:
            return []
        scores = self.term(*required[0])
        for w in required[1:]:
            other = self.term(*w)
            scores = {d: s + other[d] for d, s in scores.items() if d in other}
        for w in excluded:
            for d in self.term(*w):
                scores.pop(d, None)
        for facet, values in (filters or {}).items():
            def value(d):
                doc = self.docs[d]
                return {"tag": doc["tags"], "outlet": [doc["outlet"]], "year": [doc["date"][:4]],
                        "kind": [doc["kind"]]}[facet]
            scores = {d: s for d, s in scores.items() if set(value(d)) & set(values)}
        ranked = sorted(scores, key=lambda d: (-scores[d], d))
        return [(self.docs[d]["url"], scores[d]) for d in ranked]


def check(name, byline, source, work, queries, expect_hits):
    dest = os.path.join(work, name + "-out")
    shutil.rmtree(dest, ignore_errors=True)
    r = subprocess.run([byline, "build", "-q", "-s", source, "-d", dest, "--now", NOW],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        fail(name + ": build failed:\n" + r.stdout)
    manifest = json.load(open(os.path.join(dest, "search", "index.json")))
    docs = documents(source, dest)
    if manifest["docs"] != len(docs):
        fail("%s: the index has %d documents, the site %d posts" % (name, manifest["docs"], len(docs)))
    brute = Brute(docs, manifest["stop"])
    qfile = os.path.join(work, name + "-queries.json")
    json.dump(queries, open(qfile, "w"))
    r = subprocess.run(["node", os.path.join(HERE, "query.js"), dest, qfile],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode:
        fail(name + ": query.js failed:\n" + r.stderr)
    results = json.loads(r.stdout)
    for q, got in zip(queries, results):
        want = brute.search(q["q"], q.get("filters"))
        label = "%s: %r %s" % (name, q["q"], json.dumps(q.get("filters", {})))
        if got["total"] != len(want):
            fail("%s: %d results, brute force %d" % (label, got["total"], len(want)))
        by_url = dict(want)
        top = [x["url"] for x in got["top"]]
        # The browser computes each score from the stored frequencies and
        # lengths: it must be the brute force's, within its rounding.
        for x in got["top"]:
            mine = by_url.get(x["url"])
            if mine is None or abs(mine - x["score"]) > 2 * max(1, len(q["q"].split())):
                fail("%s: %s scores %s in the browser, %s by brute force"
                     % (label, x["url"], x["score"], mine))
        for i, (url, score) in enumerate(want[:10]):
            if top[i] == url:
                continue
            # A swap is allowed only between scores within rounding.
            mine = by_url.get(top[i])
            if mine is None or abs(mine - score) > 2 * max(1, len(q["q"].split())):
                fail("%s: rank %d is %s (brute force score %s), expected %s (%s)\n  got  %s\n  want %s"
                     % (label, i + 1, top[i], mine, url, score, top, [u for u, _ in want[:10]]))
        hits = q.get("expect")
        if hits is not None and top[:len(hits)] != hits:
            fail("%s: top %s, expected %s" % (label, top, hits))
    nonempty = sum(1 for g in results if g["total"])
    if nonempty < expect_hits:
        fail("%s: only %d of %d queries found anything" % (name, nonempty, len(queries)))
    print("%s: %d queries agree with the brute force (%d documents)" % (name, len(queries), len(docs)))
    return results


def main():
    byline, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    fixture = os.path.join(ROOT, "tests", "sites", "search")
    queries = [
        {"q": "kashmir"},
        {"q": "election"},                       # a stem: elections, elected
        {"q": "Elections "},                     # no prefix after a space
        {"q": "kash"},                           # a prefix
        {"q": "electi"},                         # a prefix longer than the stem (elect) of its words
        {"q": "kashmir electio"},
        {"q": "LODZ"},                           # case and diacritics
        {"q": "cafe"},
        {"q": "naive"},
        {"q": "\"press freedom\""},
        {"q": "press -hong"},
        {"q": "kashmir -economy"},
        {"q": "running numbers"},
        {"q": "water economy", "expect": ["/2017/long-read/"]},
        {"q": "kashmir", "filters": {"tag": ["Economy"]}},
        {"q": "press", "filters": {"year": ["2025"]}},
        {"q": "counted", "filters": {"outlet": ["Mint"]}},
        {"q": "the"},                            # only a stop word: nothing
        {"q": "notes"},                          # only in excluded pages
    ]
    res = check("fixture", byline, fixture, work, queries, 12)
    facets = {q["q"] + json.dumps(q.get("filters", {})): r for q, r in zip(queries, res)}
    # Facet counts are for the current query.
    tags = dict((v, c) for v, c in facets['kashmir{}']["facets"]["tag"])
    if tags.get("Kashmir") != 2 or tags.get("Economy") != 1 or "Private" in tags:
        fail("fixture: tag counts for 'kashmir' are %s" % tags)
    # "electi" begins "elections" (stem "elect", as "elected" in a third
    # post); two of the three posts name Kashmir.
    if facets['electi{}']["total"] != 3 or facets['kashmir electio{}']["total"] != 2:
        fail("fixture: a prefix longer than its words' stem: %d and %d results, expected 3 and 2"
             % (facets['electi{}']["total"], facets['kashmir electio{}']["total"]))
    if facets['the{}']["total"] or facets['notes{}']["total"]:
        fail("fixture: a stop word or an excluded page was found")
    if "<mark>" not in facets['kashmir{}']["html"] and "<mark>" not in json.dumps(facets['kashmir{}']):
        fail("fixture: no highlighted excerpt")

    corpus = os.path.join(work, "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    subprocess.run(["/usr/bin/python3", os.path.join(SHARED_BENCH, "gen_corpus.py"), corpus,
                    "--posts", "1000", "--seed", "82"], check=True, stdout=subprocess.DEVNULL)
    shutil.copy(os.path.join(SHARED_BENCH, "byline.toml"), corpus)
    sample = open(sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(corpus, "content"))
                         for f in fs if f.endswith(".md"))[0], encoding="utf-8").read()
    fm = yaml.safe_load(sample.split("---", 2)[1])
    title = words(str(fm["title"]))
    tag = str((fm.get("tags") or ["x"])[0])
    # A prefix of a word that is longer than the word's stem (as "fudorl"
    # of "fudorli", stem "fudor", on the 10,000-post corpus): found through
    # the vocabulary, not the stems.
    # The first word (in order) whose prefix one letter longer than its
    # stem begins no stem: only the vocabulary can find it.
    stemmer = Stemmer.Stemmer("english")
    corpus_words = set()
    for d, _, fs in os.walk(os.path.join(corpus, "content")):
        for f in fs:
            if f.endswith(".md"):
                corpus_words.update(words(open(os.path.join(d, f), encoding="utf-8").read()))
    stems = {stemmer.stemWord(w) for w in corpus_words}
    longer = None
    for w in sorted(corpus_words):
        st = stemmer.stemWord(w)
        p = w[:len(st) + 1]
        if len(st) >= 3 and len(w) > len(p) and w.startswith(st) and not any(t.startswith(p) for t in stems):
            longer = p
            break
    if longer is None:
        fail("corpus: no word whose prefix is longer than its stem")
    # Typing ahead: after the results of a title word's first three
    # letters, the letter that begins the most documents' words after them
    # (the page guesses it among three) must need no fetch.
    stem_df = {}
    for d, _, fs in os.walk(os.path.join(corpus, "content")):
        for f in fs:
            if f.endswith(".md"):
                for st in {stemmer.stemWord(w) for w in words(open(os.path.join(d, f), encoding="utf-8").read())}:
                    stem_df[st] = stem_df.get(st, 0) + 1
    start = title[0][:3]
    weight = {}
    for st, n in stem_df.items():
        if st.startswith(start) and len(st) > 3:
            weight[st[3]] = weight.get(st[3], 0) + n
    for w in corpus_words:
        if w.startswith(start) and len(w) > 3 and stemmer.stemWord(w) != w:
            weight[w[3]] = weight.get(w[3], 0) + stem_df.get(stemmer.stemWord(w), 0)
    ahead = start + max(sorted(weight), key=lambda c: weight[c])
    queries = [
        {"q": title[0]}, {"q": title[-1]}, {"q": " ".join(title[:2])},
        {"q": title[0][:3]}, {"q": title[1][:4]},
        {"q": '"%s %s"' % (title[0], title[1])},
        {"q": "%s -%s" % (title[0], title[1])},
        {"q": title[0], "filters": {"tag": [tag]}},
        {"q": title[1], "filters": {"year": ["2019", "2020"]}},
        {"q": title[0], "sort": "relevance"},
        {"q": longer},
        {"q": ahead, "ahead": True},
    ]
    res = check("corpus", byline, corpus, work, queries, 10)
    if not res[-2]["total"]:
        fail("corpus: the prefix %r (longer than its word's stem) found nothing" % longer)
    if not res[-1]["total"] or ahead[-1] not in (res[-1]["ahead"] or []) or res[-1]["files"]:
        fail("corpus: typing %r after %r: %d results, letters guessed %s, %d files fetched after the guess "
             "(expected results and none)" % (ahead[-1], ahead[:-1], res[-1]["total"], res[-1]["ahead"],
                                              res[-1]["files"]))
    print("corpus: typing %r after %r needs no fetch (letters guessed: %s)" % (ahead[-1], ahead[:-1],
                                                                               "".join(res[-1]["ahead"])))


main()

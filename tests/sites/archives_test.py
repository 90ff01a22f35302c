#!/usr/bin/python3
"""Archive, feed and sitemap checks on built sites.

For the fixture site tests/sites/basic and a 1,000-post corpus from
../shared/bench/gen_corpus.py, independently of byline's own code:
- the set of terms and each term's posts equal what the front matter says,
  lists are newest first, and pagination covers each list exactly once;
- every RSS, Atom and JSON feed parses with feedparser (or json) with the
  right items in the right order and the right dates;
- the sitemap and feeds are well-formed XML (xmllint).

Usage: archives_test.py BYLINE_BINARY SOURCE_DIR
"""
import datetime as dt
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import unittest

import tomllib

import feedparser
import yaml

BYLINE = SOURCE = SHARED = None
PAGINATE = 10


def slugify(name):
    """An independent reading of byline's documented slug rule."""
    out, hyphen = [], False
    for ch in name:
        if ch in "'\u2019\u2018":
            continue
        base = unicodedata.normalize("NFD", ch.lower())
        base = "".join(c for c in base if not unicodedata.combining(c)) if base[0] < "\u0080" else ch.lower()
        if base.isalnum():
            if hyphen and out:
                out.append("-")
            hyphen = False
            out.append(base)
        else:
            hyphen = True
    return "".join(out)


def front_matter(path):
    text = open(path, encoding="utf-8").read()
    if text.startswith("---"):
        return yaml.safe_load(text.split("---", 2)[1]) or {}
    if text.startswith("+++"):
        return tomllib.loads(text.split("+++", 2)[1])
    return {}


def as_datetime(value):
    if isinstance(value, dt.datetime):
        d = value
    elif isinstance(value, dt.date):
        d = dt.datetime(value.year, value.month, value.day)
    else:
        d = dt.datetime.fromisoformat(str(value))
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    return d


def list_links(html, known):
    """Post URLs linked from a list page, in order, each once."""
    seen = []
    for href in re.findall(r'<h2><a href="([^"]+)"', html):
        if href in known and href not in seen:
            seen.append(href)
    return seen


class Corpus:
    """Expected archives, computed from the sources alone."""

    def __init__(self, content_dir):
        self.posts = {}  # url -> (date, title, tags, categories)
        now = dt.datetime.now(dt.timezone.utc)
        for path in glob.glob(os.path.join(content_dir, "*", "**", "*.md"), recursive=True):
            rel = os.path.relpath(path, content_dir).split(os.sep)
            if rel[-1] == "_index.md" or (len(rel) == 2 and rel[1] == "index.md"):
                continue  # section pages and top-level bundles are not posts
            fm = front_matter(path)
            if fm.get("draft") or "date" not in fm:
                continue
            date = as_datetime(fm["date"])
            if date > now or ("expiry_date" in fm and as_datetime(fm["expiry_date"]) <= now):
                continue
            name = rel[-2] if rel[-1] == "index.md" else rel[-1][:-3]
            slug = fm.get("slug") or slugify(name)
            if rel[0] == "posts":
                url = "/%04d/%02d/%s/" % (date.year, date.month, slug)
            else:
                folder = rel[:-2] if rel[-1] == "index.md" else rel[:-1]
                url = "/" + "/".join(folder) + "/" + slug + "/"
            tags = fm.get("tags") or []
            cats = fm.get("categories") or []
            self.posts[url] = (date, fm.get("title", ""), [str(t) for t in tags], [str(c) for c in cats])

    def newest_first(self, urls):
        return sorted(urls, key=lambda u: (-self.posts[u][0].timestamp(), self.posts[u][1], u))

    def terms(self, index):
        terms = {}
        for url, post in self.posts.items():
            for name in post[index]:
                terms.setdefault(slugify(name), set()).add(url)
        return {slug: self.newest_first(urls) for slug, urls in terms.items()}


class ArchiveChecks:
    out = corpus = None

    def read(self, rel):
        with open(os.path.join(self.out, rel), encoding="utf-8") as f:
            return f.read()

    def paged(self, base):
        """Every post linked from a paginated list, page by page."""
        pages, n = [], 1
        while True:
            rel = base.strip("/") + ("/" if base != "/" else "") + ("" if n == 1 else "page/%d/" % n)
            path = os.path.join(self.out, rel.lstrip("/"), "index.html")
            if not os.path.exists(path):
                break
            pages.append(list_links(self.read(os.path.relpath(path, self.out)), self.corpus.posts))
            n += 1
        return pages

    def check_list(self, base, expected):
        pages = self.paged(base)
        self.assertEqual(len(pages), max(1, -(-len(expected) // PAGINATE)), base)
        for page in pages[:-1]:
            self.assertEqual(len(page), PAGINATE, base)
        self.assertEqual([u for page in pages for u in page], expected, base)

    def test_terms_and_term_pages(self):
        for index, base in ((2, "/tag/"), (3, "/category/")):
            expected = self.corpus.terms(index)
            built = sorted(os.path.basename(os.path.dirname(p))
                           for p in glob.glob(os.path.join(self.out, base.strip("/"), "*", "index.html"))
                           if os.path.basename(os.path.dirname(p)) != "page")
            self.assertEqual(built, sorted(expected))
            term_list = self.read(os.path.join(base.strip("/"), "index.html"))
            for slug, urls in expected.items():
                self.check_list(base + slug + "/", urls)
                self.assertRegex(term_list, r'href="%s%s/">[^<]+</a> \(%d\)' % (base, re.escape(slug), len(urls)))

    def test_home_is_every_post_newest_first(self):
        self.check_list("/", self.corpus.newest_first(self.corpus.posts))

    def test_date_archives(self):
        months = {}
        for url, post in self.corpus.posts.items():
            months.setdefault("/%04d/%02d/" % (post[0].year, post[0].month), []).append(url)
        for base, urls in months.items():
            self.check_list(base, self.corpus.newest_first(urls))

    def check_feeds(self, base, expected):
        limit = min(20, len(expected))
        rss = feedparser.parse(os.path.join(self.out, base.lstrip("/"), "rss.xml"))
        atom = feedparser.parse(os.path.join(self.out, base.lstrip("/"), "atom.xml"))
        for feed, version in ((rss, "rss20"), (atom, "atom10")):
            self.assertFalse(feed.bozo, (base, feed.get("bozo_exception")))
            self.assertEqual(feed.version, version)
            links = [e.link.replace(self.base_url, "/", 1) for e in feed.entries]
            self.assertEqual(links, expected[:limit], base)
            for e in feed.entries:
                url = e.link.replace(self.base_url, "/", 1)
                want = self.corpus.posts[url][0].astimezone(dt.timezone.utc)
                got = e.published_parsed
                self.assertEqual(dt.datetime(*got[:6], tzinfo=dt.timezone.utc), want.replace(microsecond=0))
                self.assertEqual(e.title, self.corpus.posts[url][1])
                self.assertTrue(e.link.startswith(self.base_url))
        with open(os.path.join(self.out, base.lstrip("/"), "feed.json"), encoding="utf-8") as f:
            js = json.load(f)
        self.assertEqual(js["version"], "https://jsonfeed.org/version/1.1")
        self.assertEqual([i["url"].replace(self.base_url, "/", 1) for i in js["items"]], expected[:limit])
        for item in js["items"]:
            want = self.corpus.posts[item["url"].replace(self.base_url, "/", 1)][0]
            self.assertEqual(dt.datetime.fromisoformat(item["date_published"].replace("Z", "+00:00")), want)

    def test_feeds(self):
        self.check_feeds("/", self.corpus.newest_first(self.corpus.posts))
        for slug, urls in self.corpus.terms(2).items():
            self.check_feeds("/tag/%s/" % slug, urls)

    def test_xml_is_well_formed(self):
        files = glob.glob(os.path.join(self.out, "**", "*.xml"), recursive=True)
        self.assertGreater(len(files), 3)
        for start in range(0, len(files), 200):
            r = subprocess.run(["xmllint", "--noout", *files[start:start + 200]], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr[:2000])

    def test_sitemap_lists_every_post(self):
        sitemap = self.read("sitemap.xml")
        locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
        for url in self.corpus.posts:
            self.assertIn(self.base_url + url[1:], locs)
        self.assertIn("Sitemap: %ssitemap.xml" % self.base_url, self.read("robots.txt"))


def build(site, out, extra=()):
    r = subprocess.run([BYLINE, "build", "-q", "-s", site, "-d", out, *extra], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(r.stderr)


class FixtureSite(ArchiveChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        global PAGINATE
        cls.tmp = tempfile.mkdtemp(prefix="byline-archives-")
        cls.out = os.path.join(cls.tmp, "public")
        site = os.path.join(SOURCE, "tests", "sites", "basic")
        build(site, cls.out)
        cls.corpus = Corpus(os.path.join(site, "content"))
        cls.base_url = "https://fixture.example.org/"

    def setUp(self):
        global PAGINATE
        PAGINATE = 2

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_merged_terms_keep_the_common_spelling(self):
        self.assertIn(">Hong Kong</a> (2)", self.read("tag/index.html"))
        self.assertEqual(sorted(self.corpus.terms(2)), ["energy", "hong-kong", "russia"])


class GeneratedCorpus(ArchiveChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="byline-archives-")
        site = os.path.join(cls.tmp, "corpus")
        subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "bench", "gen_corpus.py"), site,
                        "--posts", "1000"], check=True, capture_output=True)
        shutil.copy(os.path.join(SHARED, "bench", "byline.toml"), site)
        # The bench config asks for what Hugo's reference site writes; these
        # checks also cover date archives and the Atom and JSON feeds.
        with open(os.path.join(site, "byline.toml"), encoding="utf-8") as f:
            config = f.read()
        config = config.replace("[permalinks]", "date_archives = true\n\n[permalinks]", 1)
        config += '\n[feeds]\natom = "atom.xml"\njson = "feed.json"\n'
        with open(os.path.join(site, "byline.toml"), "w", encoding="utf-8") as f:
            f.write(config)
        cls.out = os.path.join(cls.tmp, "public")
        build(site, cls.out)
        cls.corpus = Corpus(os.path.join(site, "content"))
        cls.base_url = "https://bench.example.org/"

    def setUp(self):
        global PAGINATE
        PAGINATE = 10

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)


if __name__ == "__main__":
    BYLINE = os.path.abspath(sys.argv[1])
    SOURCE = os.path.abspath(sys.argv[2])
    SHARED = os.path.join(os.path.dirname(SOURCE), "shared")
    unittest.main(argv=[sys.argv[0], "-v"])

#!/usr/bin/python3
"""Command-line tests for byline: new, build, serve, version, help, exit codes.

Usage: cli_test.py BYLINE_BINARY SOURCE_DIR
"""
import glob
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

BYLINE = None
SOURCE = None
SHARED = None


def run(*args, cwd=None):
    return subprocess.run([BYLINE, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="byline-cli-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_help_on_every_command(self):
        for args in ([], ["new"], ["new", "site"], ["new", "post"], ["build"], ["serve"],
                     ["version"], ["help"]):
            r = run(*args, "--help")
            self.assertEqual(r.returncode, 0, args)
            self.assertIn("Usage", r.stdout + r.stderr, args)
        r = run("help", "build")
        self.assertEqual(r.returncode, 0)
        self.assertIn("--destination", r.stdout)
        self.assertIn("Usage: byline build", r.stdout)
        r = run("help")
        self.assertEqual(r.returncode, 0)
        for command in ("new", "build", "serve", "import", "template", "version"):
            self.assertRegex(r.stdout, r"\n  %s +\S" % command)

    def test_version(self):
        r = run("version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^byline \d+\.\d+\.\d+\n$")

    def test_usage_errors_exit_2(self):
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("frobnicate").returncode, 2)
        r = run("build", "--no-such-flag")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--no-such-flag", r.stderr)
        self.assertEqual(run("help", "nothing").returncode, 2)

    def test_new_site_new_post_build(self):
        site = os.path.join(self.tmp, "s")
        r = run("new", "site", site)
        self.assertEqual(r.returncode, 0, r.stderr)
        for f in ("byline.toml", "content/_index.md", "content/about.md"):
            self.assertTrue(os.path.exists(os.path.join(site, f)), f)
        self.assertTrue(os.path.isdir(os.path.join(site, "static")))
        with open(os.path.join(site, ".gitignore"), encoding="utf-8") as f:
            self.assertEqual(f.read().split(), ["/public/", "/.byline/"])
        r = run("new", "post", "Hello, “World”: café", "--tags", "Russia, Energy",
                "--outlet", "The Morning Ledger", "--publish", cwd=site)
        self.assertEqual(r.returncode, 0, r.stderr)
        year = time.strftime("%Y")
        path = os.path.join(site, "content", "posts", year, "hello-world-cafe.md")
        text = open(path, encoding="utf-8").read()
        self.assertIn('title: "Hello, “World”: café"\n', text)
        self.assertIn('tags: ["Russia", "Energy"]\n', text)
        self.assertIn('outlet: "The Morning Ledger"\n', text)
        # Refuses to overwrite.
        r = run("new", "post", "Hello, “World”: café", "-s", site)
        self.assertEqual(r.returncode, 1)
        self.assertIn("refusing to overwrite", r.stderr)
        # Refuses a non-empty folder for a new site.
        self.assertEqual(run("new", "site", site).returncode, 1)

        r = run("build", cwd=site)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^Built \d+ pages, \d+ list pages, \d+ feeds, \d+ redirects, "
                                   r"\d+ static files in [\d.]+ s\n$")
        self.assertTrue(os.path.exists(os.path.join(site, "public", "index.html")))
        posts = glob.glob(os.path.join(site, "public", year, "*", "hello-world-cafe", "index.html"))
        self.assertEqual(len(posts), 1)
        page = open(posts[0], encoding="utf-8").read()
        self.assertIn("The Morning Ledger", page)
        r = run("build", "-q", "-s", site, "-d", os.path.join(self.tmp, "out"))
        self.assertEqual((r.returncode, r.stdout), (0, ""))
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "out", "index.html")))

    def test_now_pins_the_build_date(self):
        site = os.path.join(SOURCE, "tests", "sites", "basic")
        out = os.path.join(self.tmp, "out")
        r = run("build", "-q", "-s", site, "-d", out, "--now", "2021-01-01")
        self.assertEqual(r.returncode, 0, r.stderr)
        home = open(os.path.join(out, "index.html"), encoding="utf-8").read()
        self.assertIn("&copy; 2021 Ada Writer", home)
        self.assertEqual(glob.glob(os.path.join(out, "2999", "*", "*", "index.html")), [])
        r = run("build", "-q", "-s", site, "-d", out, "--now", "3000-01-01T00:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        home = open(os.path.join(out, "index.html"), encoding="utf-8").read()
        self.assertIn("&copy; 3000 Ada Writer", home)
        self.assertEqual(len(glob.glob(os.path.join(out, "2999", "01", "*", "index.html"))), 1)
        r = run("build", "-s", site, "-d", out, "--now", "last Tuesday")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--now", r.stderr)
        self.assertIn("not a date", r.stderr)

    def test_example_site_builds_without_a_warning(self):
        # `make run` builds it first thing: any warning is the first thing a
        # new user reads (a [feeds] table once swallowed the site's
        # description line below it).
        out = os.path.join(self.tmp, "out")
        r = run("build", "-s", os.path.join(SOURCE, "examples"), "-d", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        home = open(os.path.join(out, "index.html"), encoding="utf-8").read()
        self.assertIn('<meta name="description" content="Columns, analysis and interviews', home)

    def test_post_json_ld_is_json_with_the_posts_facts(self):
        # post.html writes its JSON-LD by hand, key by key: it must stay
        # valid JSON, keys sorted as tojson writes them, and carry the facts.
        out = os.path.join(self.tmp, "out")
        r = run("build", "-q", "-s", os.path.join(SOURCE, "examples"), "-d", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        seen = {"publisher": 0, "isBasedOn": 0, "dateModified": 0, "Person": 0}
        posts = 0
        for path in glob.glob(os.path.join(out, "[0-9]*", "*", "*", "index.html")):
            with open(path, encoding="utf-8") as f:
                html = f.read()
            if 'class="kind-post"' not in html:
                continue  # an alias's redirect page
            m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html)
            self.assertIsNotNone(m, path)
            ld = json.loads(m.group(1))
            posts += 1
            self.assertEqual(list(ld), sorted(ld), path)
            self.assertEqual(ld["@context"], "https://schema.org")
            self.assertIn(ld["@type"], ("NewsArticle", "BlogPosting"))
            self.assertEqual(ld["url"], ld["mainEntityOfPage"])
            self.assertTrue(ld["headline"], path)
            self.assertIsInstance(ld["author"], list)
            if "publisher" in ld:
                seen["publisher"] += 1
                self.assertEqual(ld["@type"], "NewsArticle", path)
                self.assertEqual(ld["publisher"]["@type"], "Organization")
            for key in ("isBasedOn", "dateModified"):
                seen[key] += key in ld
            seen["Person"] += any(a.get("@type") == "Person" for a in ld["author"])
        self.assertGreater(posts, 10)
        for key, n in seen.items():
            self.assertGreater(n, 0, "no post's JSON-LD has " + key)

    def test_build_error_exit_1_and_output_kept(self):
        site = os.path.join(SOURCE, "tests", "sites", "invalid", "bad-date")
        out = os.path.join(self.tmp, "out")
        os.makedirs(out)
        with open(os.path.join(out, "index.html"), "w") as f:
            f.write("previous")
        r = run("build", "-s", site, "-d", out)
        self.assertEqual(r.returncode, 1)
        self.assertIn("content/posts/x.md:3:7: error: 'date' is not a valid date", r.stderr)
        self.assertIn("  date: last Tuesday\n        ^\n", r.stderr)
        self.assertIn("1 error; nothing was written.", r.stderr)
        self.assertEqual(open(os.path.join(out, "index.html")).read(), "previous")

    def test_corpus_of_1000_posts(self):
        corpus = os.path.join(self.tmp, "corpus")
        subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "bench", "gen_corpus.py"), corpus,
                        "--posts", "1000"], check=True, capture_output=True)
        shutil.copy(os.path.join(SHARED, "bench", "byline.toml"), corpus)
        r = run("build", "-s", corpus)
        self.assertEqual(r.returncode, 0, r.stderr)
        # The corpus links images it does not have: a warning for each, but
        # only the first 50 are printed, then how many more there were.
        missing = sum(open(p, encoding="utf-8").read().count("](/images/")
                      for p in glob.glob(os.path.join(corpus, "content", "posts", "*", "*.md")))
        self.assertGreater(missing, 50)
        self.assertEqual(r.stderr.count(": warning: image '/images/"), 50, r.stderr[-500:])
        self.assertIn("… and %d more warnings not shown (%d in all).\n" % (missing - 50, missing),
                      r.stderr)
        out = os.path.join(corpus, "public")
        sources = glob.glob(os.path.join(corpus, "content", "posts", "*", "*.md"))
        self.assertEqual(len(sources), 1000)
        footnoted = curly = 0
        for src in sources:
            text = open(src, encoding="utf-8").read()
            date = re.search(r"^date: (\d{4})-(\d{2})", text, re.M)
            slug = os.path.basename(src)[:-3]
            page = os.path.join(out, date.group(1), date.group(2), slug, "index.html")
            self.assertTrue(os.path.exists(page), page)
            if "[^1]" in text:
                html = open(page, encoding="utf-8").read()
                self.assertIn('class="footnotes"', html)
                footnoted += 1
        self.assertGreater(footnoted, 50)
        # The corpus's figures carry a credit as their title.
        figures = 0
        for page in glob.glob(os.path.join(out, "20*", "*", "*", "index.html"))[:200]:
            html = open(page, encoding="utf-8").read()
            figures += html.count('<span class="credit">CREDIT: ')
        self.assertGreater(figures, 20)
        home = open(os.path.join(out, "index.html"), encoding="utf-8").read()
        self.assertEqual(home.count("<article>"), 10)
        self.assertTrue(os.path.exists(os.path.join(out, "page", "2", "index.html")))
        self.assertTrue(os.path.exists(os.path.join(out, "page", "100", "index.html")))
        self.assertFalse(os.path.exists(os.path.join(out, "page", "101")))

    def test_import_wordpress(self):
        export = os.path.join(SHARED, "testdata", "wxr", "themeunittestdata.wordpress.xml")
        site = os.path.join(self.tmp, "wp")
        r = run("import", "wordpress", export, "-o", site)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("published posts", r.stdout)
        self.assertTrue(os.path.exists(os.path.join(site, "byline.toml")))
        r = run("build", "-q", "-s", site)
        self.assertEqual(r.returncode, 0, r.stderr)
        bad = os.path.join(SHARED, "testdata", "wxr", "malformed.xml")
        r = run("import", "wordpress", bad, "-o", os.path.join(self.tmp, "bad"))
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"malformed\.xml:\d+:\d+: error: ")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "bad")))

    def test_template_render(self):
        tdir = os.path.join(self.tmp, "t")
        os.makedirs(tdir)
        with open(os.path.join(tdir, "hi.html"), "w") as f:
            f.write("Hello {{ name }}{% if x %}")
        with open(os.path.join(tdir, "ok.html"), "w") as f:
            f.write("Hello {{ name }}!")
        ctx = os.path.join(self.tmp, "ctx.json")
        with open(ctx, "w") as f:
            f.write('{"name": "<World>"}')
        r = run("template", "render", "ok.html", "--templates", tdir, "--context", ctx)
        self.assertEqual((r.returncode, r.stdout), (0, "Hello &lt;World&gt;!"))
        r = run("template", "render", "hi.html", "--templates", tdir, "--context", ctx)
        self.assertEqual(r.returncode, 1)
        self.assertIn("hi.html:1:", r.stderr)
        self.assertIn("^", r.stderr)

    def test_serve(self):
        site = os.path.join(self.tmp, "s")
        self.assertEqual(run("new", "site", site).returncode, 0)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([BYLINE, "serve", "-s", site, "-p", str(port)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = ""
            deadline = time.time() + 30
            while "Serving" not in line and time.time() < deadline:
                line = proc.stdout.readline()
            self.assertIn("http://127.0.0.1:%d/" % port, line)

            def get(path):
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                try:
                    c.request("GET", path)
                    r = c.getresponse()
                    body = r.read().decode("utf-8", "replace")
                    return r.status, r.getheader("Content-Type"), r.getheader("Location"), body
                finally:
                    c.close()

            status, ctype, _, body = get("/")
            self.assertEqual((status, ctype), (200, "text/html; charset=utf-8"))
            self.assertIn("My Archive", body)
            # serve builds with its own address as the base URL.
            self.assertIn("http://127.0.0.1:%d/rss.xml" % port, body)
            status, _, location, _ = get("/about")
            self.assertEqual((status, location), (301, "/about/"))
            self.assertEqual(get("/about/")[0], 200)
            self.assertEqual(get("/style.css")[1], "text/css; charset=utf-8")
            self.assertEqual(get("/rss.xml")[1], "application/xml; charset=utf-8")
            status, _, _, body = get("/no/such/page/")
            self.assertEqual(status, 404)
            self.assertIn("Page not found", body)
            self.assertEqual(get("/../../etc/passwd")[0], 404)
        finally:
            proc.terminate()
            proc.communicate(timeout=10)


if __name__ == "__main__":
    BYLINE = os.path.abspath(sys.argv[1])
    SOURCE = os.path.abspath(sys.argv[2])
    SHARED = os.path.join(os.path.dirname(SOURCE), "shared")
    unittest.main(argv=[sys.argv[0], "-v"])

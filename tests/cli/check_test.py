#!/usr/bin/python3
"""`byline check` run as a user runs it: the fixture site tests/sites/links
(broken links, fragments, images, a link to a draft, below a base path),
feeds and sitemaps tampered with after the build, external links against a
local HTTP server this test starts (never the network), and the WordPress
theme unit test export imported with `byline import wordpress`.

Usage: check_test.py BYLINE_BINARY SOURCE_DIR
"""
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import xml.etree.ElementTree as ET

BYLINE = None
SOURCE = None
WXR = None


def run(*args, cwd=None):
    return subprocess.run([BYLINE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def place(path, needle):
    """The 1-based line and column where needle starts in the file."""
    for n, line in enumerate(read(path).split("\n"), 1):
        col = line.find(needle)
        if col >= 0:
            return n, col + 1
    raise AssertionError(f"{needle} not in {path}")


def errors(stderr):
    return [l for l in stderr.split("\n") if ": error: " in l]


def short(stderr):
    """The errors and warnings of a report, for a failure's message."""
    return "\n".join(l for l in stderr.split("\n") if ": error: " in l or "old URL" in l)[:6000]


class FixtureTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="byline-check-")
        self.site = os.path.join(self.tmp, "site")
        shutil.copytree(os.path.join(SOURCE, "tests/sites/links"), self.site)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_every_broken_link_is_reported_at_its_markdown_line(self):
        r = run("check", "-s", self.site)
        self.assertEqual(r.returncode, 1, r.stdout + short(r.stderr))
        post = os.path.join(self.site, "content/posts/2020/broken.md")
        out = os.path.join(self.site, "public/2020/02/broken/index.html")
        expected = {
            "/blog/2019/01/nowhere/": "broken link: /blog/2019/01/nowhere/ is not in the output",
            "/blog/about/#no-such-id":
                "broken fragment: /blog/about/#no-such-id names no id on about/index.html",
            "/blog/images/missing.png": "broken image: /blog/images/missing.png is not in the output",
            "/blog/2020/03/unpublished/":
                "link to a draft: /blog/2020/03/unpublished/ is "
                + os.path.join(self.site, "content/posts/2020/unpublished.md")
                + ", a draft (draft: true), which a build does not publish",
            "/elsewhere/": "broken link: /elsewhere/ is outside the site",
        }
        errs = errors(r.stderr)
        self.assertEqual(len(errs), len(expected), short(r.stderr))
        for url, message in expected.items():
            line, col = place(post, "(" + url)
            want = f"{post}:{line}:{col + 1}: error: {message}"
            self.assertTrue(any(e.startswith(want) and e.endswith(f"({out})") for e in errs),
                            f"{want}\n{short(r.stderr)}")
        # The source line and a caret under the link.
        self.assertIn("  A post that moved: [gone](/blog/2019/01/nowhere/).\n" + " " * 28 + "^",
                      r.stderr)
        # A summary always, with the counts by kind.
        self.assertRegex(r.stdout, r"Checked 12 pages: \d+ links \(\d+ internal, 1 external\)")
        self.assertIn("5 broken (1 draft, 1 fragment, 1 image, 2 link).", r.stdout)

    def test_a_fixed_site_passes(self):
        post = os.path.join(self.site, "content/posts/2020/broken.md")
        text = read(post)
        for bad, good in [("/blog/2019/01/nowhere/", "/blog/2020/01/good/"),
                          ("#no-such-id", "#team"),
                          ("/blog/images/missing.png", "/blog/images/ok.svg"),
                          ("/blog/2020/03/unpublished/", "/blog/about/"),
                          ("/elsewhere/", "/blog/")]:
            text = text.replace(bad, good)
        write(post, text)
        r = run("check", "-s", self.site)
        self.assertEqual(r.returncode, 0, r.stdout + short(r.stderr))
        self.assertEqual(errors(r.stderr), [])
        self.assertIn("nothing broken.", r.stdout)
        # Publishing the draft also mends a link to it.
        r = run("check", "-s", self.site, "--no-build")
        self.assertEqual(r.returncode, 0, short(r.stderr))

    def test_template_links_are_reported_once_in_the_output(self):
        # A theme link that is broken on every page is one error, at the
        # first page, with how many other places have it.
        write(os.path.join(self.site, "templates/partials/footer.html"),
              '<footer><a href="/blog/colophon/">Colophon</a></footer>\n')
        r = run("check", "-s", self.site)
        self.assertEqual(r.returncode, 1)
        colophon = [e for e in errors(r.stderr) if "/blog/colophon/" in e]
        self.assertEqual(len(colophon), 1, short(r.stderr))
        self.assertRegex(colophon[0], r"public/[^:]+\.html:\d+:\d+: error: broken link: "
                                      r"/blog/colophon/ is not in the output "
                                      r"\(and \d+ other places\)$")

    def test_without_the_builds_state_the_content_names_the_source(self):
        # An output whose saved state is gone: the Markdown file of each
        # page is found by reading the content instead.
        out = os.path.join(self.tmp, "out")
        self.assertEqual(run("build", "-s", self.site, "-d", out).returncode, 0)
        shutil.rmtree(os.path.join(self.site, ".byline"))
        r = run("check", "-s", self.site, "-d", out, "--no-build")
        self.assertEqual(r.returncode, 1)
        post = os.path.join(self.site, "content/posts/2020/broken.md")
        line, col = place(post, "(/blog/2019/01/nowhere/")
        self.assertIn(f"{post}:{line}:{col + 1}: error: broken link: /blog/2019/01/nowhere/ is not "
                      f"in the output ({out}/2020/02/broken/index.html)", r.stderr)
        self.assertEqual(len(errors(r.stderr)), 5, short(r.stderr))

    def test_no_build_needs_an_output(self):
        r = run("check", "-s", self.site, "--no-build", "-d", os.path.join(self.tmp, "none"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("error: no built site here", short(r.stderr))

    def test_feeds_and_sitemap_are_parsed_and_their_entries_checked(self):
        self.assertEqual(run("build", "-s", self.site).returncode, 0)
        public = os.path.join(self.site, "public")
        rss = os.path.join(public, "rss.xml")
        text = read(rss).replace(
            "</channel>",
            "<item><title>Gone</title><link>https://links.example.org/blog/gone/</link></item>"
            "</channel>")
        write(rss, text)
        # An item pointing at the draft's address.
        feed = os.path.join(public, "feed.json")
        write(feed, read(feed).replace('"items":[', '"items":[{"id":"x","url":'
                                       '"https://links.example.org/blog/2020/03/unpublished/"},', 1))
        write(os.path.join(public, "atom.xml"), "<feed><entry><link href='x'")
        sitemap = os.path.join(public, "sitemap.xml")
        write(sitemap, read(sitemap).replace(
            "</urlset>", "<url><loc>https://links.example.org/blog/old-about/</loc></url></urlset>"))
        r = run("check", "-s", self.site, "--no-build")
        self.assertEqual(r.returncode, 1)
        errs = errors(r.stderr)
        line, _ = place(rss, "/blog/gone/")
        self.assertTrue(any(e.startswith(f"{rss}:{line}:") and
                            "feed entry https://links.example.org/blog/gone/ is not in the output"
                            in e for e in errs), short(r.stderr))
        self.assertTrue(any(e.startswith(feed) and "link to a draft: " in e and
                            "unpublished.md, a draft" in e for e in errs), short(r.stderr))
        self.assertTrue(any(e.startswith(os.path.join(public, "atom.xml")) and
                            "feed does not parse" in e for e in errs), short(r.stderr))
        self.assertTrue(any(e.startswith(sitemap) and "sitemap entry "
                            "https://links.example.org/blog/old-about/ is an alias (a redirect to /about/), not a page" in e
                            for e in errs), short(r.stderr))
        # Two drafts: the post's link to it, and the feed's item.
        self.assertIn("9 broken (2 draft, 2 feed, 1 fragment, 1 image, 2 link, 1 sitemap).",
                      r.stdout)


class Handler(http.server.BaseHTTPRequestHandler):
    """/ok 200, /missing 404, /flaky 503 once then 200, /slow sleeps past
    the timeout, /delay/N answers after 0.2 s; counts requests and the
    most at once."""
    lock = threading.Lock()
    counts = {}
    active = 0
    most = 0

    def log_message(self, *args):
        pass

    def answer(self, body):
        path = self.path
        # Concurrency is measured on the /delay/ requests alone, from their
        # arrival to just before their answer: an abandoned /slow request
        # goes on sleeping here after the client has moved on, rightly.
        delayed = path.startswith("/delay/")
        with Handler.lock:
            Handler.counts[path] = Handler.counts.get(path, 0) + 1
            n = Handler.counts[path]
            if delayed:
                Handler.active += 1
                Handler.most = max(Handler.most, Handler.active)
        if path == "/ok":
            status = 200
        elif path == "/missing":
            status = 404
        elif path == "/flaky":
            status = 503 if n == 1 else 200
        elif path == "/slow":
            time.sleep(2.5)
            status = 200
        elif delayed:
            time.sleep(0.2)
            status = 200
        else:
            status = 404
        if delayed:
            with Handler.lock:
                Handler.active -= 1
        try:
            self.send_response(status)
            self.send_header("Content-Length", "2" if body else "0")
            self.end_headers()
            if body:
                self.wfile.write(b"ok")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_HEAD(self):
        self.answer(False)

    def do_GET(self):
        self.answer(True)


class ExternalTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="byline-check-ext-")
        self.site = os.path.join(self.tmp, "site")
        shutil.copytree(os.path.join(SOURCE, "tests/sites/links"), self.site)
        os.remove(os.path.join(self.site, "content/posts/2020/broken.md"))
        # Never the network: only links to the server below.
        good = os.path.join(self.site, "content/posts/2020/good.md")
        write(good, read(good).replace("[another site](https://example.com/)", "another site"))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        Handler.counts = {}
        Handler.most = 0

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_external_links(self):
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        links = "\n".join(f"[{p}]({base}{p})" for p in
                          ["/ok", "/missing", "/flaky", "/slow"] +
                          [f"/delay/{i}" for i in range(6)])
        post = os.path.join(self.site, "content/posts/2020/external.md")
        write(post, "---\ntitle: External\ndate: 2020-02-01\n---\n" + links + "\n")
        args = ["check", "-s", self.site, "--external", "--timeout", "1", "--retries", "1",
                "--per-host", "2"]
        r = run(*args)
        self.assertEqual(r.returncode, 1, r.stdout + short(r.stderr))
        errs = errors(r.stderr)
        self.assertEqual(len(errs), 2, short(r.stderr))
        line, col = place(post, f"({base}/missing")
        self.assertTrue(errs[0].startswith(f"{post}:{line}:{col + 1}: error: broken external: "
                                           f"{base}/missing answered HTTP 404"), short(r.stderr))
        line, col = place(post, f"({base}/slow")
        self.assertTrue(errs[1].startswith(f"{post}:{line}:{col + 1}: error: broken external: "
                                           f"{base}/slow timed out"), short(r.stderr))
        self.assertIn("(2 tries)", errs[1])
        # The flaky link passed on its retry; the 404 was not retried.
        self.assertEqual(Handler.counts.get("/flaky"), 2)
        self.assertEqual(Handler.counts.get("/missing"), 1)
        self.assertEqual(Handler.counts.get("/slow"), 2)
        # Never more than two requests at once to the one host, and more
        # than one at times: the checks run side by side.
        self.assertEqual(Handler.most, 2)
        self.assertIn("2 broken (2 external)", r.stdout)
        self.assertTrue(os.path.exists(os.path.join(self.site, ".byline/check-external.tsv")))

        # The cache answers for the good links; the broken ones are asked again.
        before = dict(Handler.counts)
        r = run(*args, "--no-build")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(Handler.counts.get("/ok"), before.get("/ok"))
        self.assertEqual(Handler.counts.get("/delay/3"), before.get("/delay/3"))
        self.assertEqual(Handler.counts.get("/missing"), before["/missing"] + 1)
        self.assertIn("10 external URLs requested (8 answered by the cache)", r.stdout)
        # --no-cache asks about every one.
        r = run(*args, "--no-build", "--no-cache")
        self.assertEqual(Handler.counts.get("/ok"), before["/ok"] + 1)
        self.assertIn("(0 answered by the cache)", r.stdout)


class WordPressTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="byline-check-wp-")
        self.site = os.path.join(self.tmp, "site")
        r = run("import", "wordpress", WXR, "-o", self.site)
        self.assertEqual(r.returncode, 0, short(r.stderr))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def wordpress_errors(self, stderr):
        return [e for e in errors(stderr) if "error: old URL " in e]

    def test_theme_unit_test_export(self):
        self.assertEqual(run("build", "-s", self.site).returncode, 0)
        r = run("check", "-s", self.site, "--no-build", "--wordpress", WXR)
        self.assertEqual(r.returncode, 0, short(r.stderr))
        self.assertRegex(r.stdout, r", \d+ WordPress URLs in ")
        count = int(re.search(r", (\d+) WordPress URLs", r.stdout).group(1))
        self.assertGreater(count, 250)
        self.assertEqual(self.wordpress_errors(r.stderr), [])
        # The child "Foo A" (under "Foo Parent") keeps its own archive next
        # to the top-level "Foo A", and the tag whose items name a stale
        # slug ("content") keeps the listed one (content-2).
        public = os.path.join(self.site, "public")
        for path in ["category/foo-parent/foo-a-foo-parent", "category/foo-a", "tag/content-2"]:
            self.assertTrue(os.path.exists(os.path.join(public, path, "index.html")), path)
        # The media the export does not carry: counted and explained, no
        # failure of the migration.
        missing = len(read(os.path.join(self.site, "attachments.csv")).strip().split("\n")) - 1
        self.assertGreater(missing, 0)
        self.assertRegex(r.stdout, r"nothing broken\. Not the migration's: \d+ uploads not in "
                         r"the export \(--uploads DIR\)")
        self.assertRegex(r.stderr, r"attachments\.csv: warning: \d+ uploads the posts use the "
                         r"WordPress export carried no file for .*--uploads DIR")
        # The password-protected post, which the import keeps as a draft,
        # is a warning at its <item>, not an error.
        self.assertIn("warning: old URL https://wpthemetestdata.wordpress.com/2012/01/04/"
                      "template-password-protected/", r.stderr)
        # The tag's stale nicename: /tag/content/ redirects to the archive
        # WordPress served, and the check proves it.
        alias = read(os.path.join(public, "tag", "content", "index.html"))
        self.assertIn('<meta http-equiv="refresh" content="0; url=/tag/content-2/">', alias)
        os.remove(os.path.join(public, "tag", "content", "index.html"))
        r = run("check", "-s", self.site, "--no-build", "--wordpress", WXR)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(self.wordpress_errors(r.stderr)), 1, r.stderr)
        self.assertIn(": error: old URL https://wpthemetestdata.wordpress.com/tag/content/ (tag "
                      "'content' archive, as the posts named content περιεχόμενο (the export lists "
                      "it as content-2)) is not in the output", r.stderr)

    def test_a_lost_post_and_its_id_are_found(self):
        self.assertEqual(run("build", "-s", self.site).returncode, 0)
        # Take a published post away from the output and its _redirects rule.
        root = ET.parse(WXR).getroot()
        wp = "{" + re.search(r'xmlns:wp="([^"]+)"', read(WXR)).group(1) + "}"
        item = next(i for i in root.iter("item")
                    if i.findtext(wp + "post_type") == "post"
                    and i.findtext(wp + "status") == "publish"
                    and "keyboard-navigation" in i.findtext("link"))
        link, post_id = item.findtext("link"), item.findtext(wp + "post_id")
        title = item.findtext("title")
        path = link.split("wordpress.com/", 1)[1]
        public = os.path.join(self.site, "public")
        os.remove(os.path.join(public, path, "index.html"))
        redirects = os.path.join(public, "_redirects")
        write(redirects, "".join(l + "\n" for l in read(redirects).split("\n")
                                 if l and f" p={post_id} " not in l))
        r = run("check", "-s", self.site, "--no-build", "--wordpress", WXR)
        self.assertEqual(r.returncode, 1)
        lost = self.wordpress_errors(r.stderr)
        self.assertTrue(any(f"old URL {link} (post '{title}' (id {post_id})) is not in the "
                            "output" in e for e in lost), short(r.stderr))
        self.assertTrue(any(f"?p={post_id} (post '{title}'" in e and
                            f"has no _redirects rule for ?p={post_id}" in e for e in lost),
                        r.stderr)
        self.assertTrue(all(re.match(re.escape(WXR) + r"(:\d+:1)?: error: ", e) for e in lost))


# A 1x1 PNG, made here.
def png():
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


SMALL_EXPORT = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Small</title>
<link>https://small.example</link>
<wp:base_blog_url>https://small.example</wp:base_blog_url>
<item>
<title>First</title>
<link>https://small.example/2020/01/02/first/</link>
<content:encoded><![CDATA[A <a href="https://small.example/wp-content/uploads/2020/01/report.pdf">report</a>,
<img src="https://small.example/wp-content/uploads/2020/01/dot.png" alt="dot">,
the <a href="https://small.example/wp-admin/">dashboard</a>, a <a href="/never-was/">page that never was</a>,
<a href="https://small.example/2020/01/03/second/">the second post</a> and <a href="#gone">a theme's anchor</a>.]]></content:encoded>
<wp:post_id>1</wp:post_id>
<wp:post_date>2020-01-02 10:00:00</wp:post_date>
<wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt>
<wp:post_name>first</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>Second</title>
<link>https://small.example/2020/01/03/second/</link>
<content:encoded><![CDATA[Two.]]></content:encoded>
<wp:post_id>2</wp:post_id>
<wp:post_date>2020-01-03 10:00:00</wp:post_date>
<wp:post_date_gmt>2020-01-03 10:00:00</wp:post_date_gmt>
<wp:post_name>second</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
</item>
</channel>
</rss>
"""


class MigrationClassesTest(unittest.TestCase):
    """What check --wordpress does not hold against the migration: uploads
    the export never carried, links the export had broken already; and
    what it still does."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="byline-check-classes-")
        self.export = os.path.join(self.tmp, "small.xml")
        write(self.export, SMALL_EXPORT)
        self.site = os.path.join(self.tmp, "site")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def check(self, *extra):
        return run("check", "-s", self.site, "--wordpress", self.export, *extra)

    def test_uploads_the_export_never_had(self):
        r = run("import", "wordpress", self.export, "-o", self.site)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.check()
        self.assertEqual(r.returncode, 0, short(r.stderr))
        self.assertIn("Not the migration's: 2 uploads not in the export (--uploads DIR)", r.stdout)
        self.assertIn("attachments.csv: warning: 2 uploads the posts use the WordPress export "
                      "carried no file for (/wp-content/uploads/2020/01/dot.png, "
                      "/wp-content/uploads/2020/01/report.pdf)",
                      r.stderr)
        self.assertEqual(errors(r.stderr), [])
        # A plain check proves the site, and the site has no such files:
        # broken, said once for the site with the first places.
        r = run("check", "-s", self.site, "--no-build")
        self.assertEqual(r.returncode, 1)
        self.assertIn("5 broken (1 fragment, 2 link, 2 upload)", r.stdout)
        post = os.path.join(self.site, "content", "posts", "2020", "first.md")
        pdf = "%d:%d" % place(post, "/wp-content/uploads/2020/01/report.pdf")
        dot = "%d:%d" % place(post, "/wp-content/uploads/2020/01/dot.png")
        self.assertEqual([e for e in errors(r.stderr) if "upload" in e], [
            os.path.join(self.site, "attachments.csv") + ": error: 2 uploads the pages use are "
            "not in the output (/wp-content/uploads/2020/01/report.pdf at " + post + ":" + pdf +
            ", /wp-content/uploads/2020/01/dot.png at " + post + ":" + dot + "): the WordPress export "
            "carried no file for them; import again with --uploads DIR (the old site's "
            "wp-content/uploads) to copy them in, or fetch the files attachments.csv lists into "
            "static/ (--verbose shows every place)"])
        # --verbose shows each place as well, counted once.
        r = run("check", "-s", self.site, "--no-build", "--verbose")
        self.assertEqual(r.returncode, 1)
        self.assertIn("5 broken (1 fragment, 2 link, 2 upload)", r.stdout)
        self.assertTrue(any(e.startswith(post + ":" + pdf + ": error: broken link: /wp-content/uploads/"
                                         "2020/01/report.pdf is not in the output (an upload the "
                                         "WordPress export carried no file for")
                            for e in errors(r.stderr)), r.stderr)

    def test_a_build_says_it_once_and_a_real_missing_image_where_it_is(self):
        export = SMALL_EXPORT.replace(
            "<content:encoded><![CDATA[Two.]]>",
            "<content:encoded><![CDATA[Two <img src=\"https://small.example/wp-content/uploads/"
            "2020/01/dot.png\" alt=\"dot again\"> and "
            "<img src=\"https://small.example/wp-content/uploads/2020/02/wide.jpg\" alt=\"w\">.]]>")
        write(self.export, export)
        r = run("import", "wordpress", self.export, "-o", self.site)
        self.assertEqual(r.returncode, 0, r.stderr)
        # A post of the writer's own, whose image is simply missing.
        mine = os.path.join(self.site, "content", "posts", "2020", "mine.md")
        write(mine, '---\ntitle: "Mine"\ndate: 2020-02-01\n---\n\n![chart](/images/chart.png)\n')
        r = run("build", "-s", self.site)
        self.assertEqual(r.returncode, 0, r.stderr)
        warnings = [l for l in r.stderr.split("\n") if ": warning: " in l]
        csv = os.path.join(self.site, "attachments.csv")
        self.assertEqual(len(warnings), 2, r.stderr)
        self.assertTrue(warnings[1].startswith(
            mine + ":6:1: warning: image '/images/chart.png' not found"), warnings)
        first = os.path.join(self.site, "content", "posts", "2020", "first.md")
        self.assertTrue(warnings[0].startswith(
            csv + ": warning: 2 images the pages show (3 places: /wp-content/uploads/2020/01/"
            "dot.png at " + first + ":9:1, "), warnings)
        self.assertIn("are uploads the WordPress export carried no file for", warnings[0])
        self.assertIn("--uploads DIR", warnings[0])
        # --verbose: every place as well.
        r = run("build", "-s", self.site, "--full", "-v")
        located = [l for l in r.stderr.split("\n")
                   if ": warning: image '/wp-content/uploads/" in l]
        self.assertEqual(len(located), 3, r.stderr)
        # check: the upload is one error for the site, the writer's own
        # image an error at its line.
        r = run("check", "-s", self.site)
        self.assertEqual(r.returncode, 1)
        self.assertIn("(1 fragment, 1 image, 2 link, 3 upload)", r.stdout)
        errs = errors(r.stderr)
        self.assertTrue(any(e.startswith(mine + ":6:10: error: broken image: /images/chart.png")
                            for e in errs), r.stderr)
        self.assertTrue(any(e.startswith(csv + ": error: 3 uploads the pages use") for e in errs),
                        r.stderr)
        self.assertFalse(any(": warning: image '/wp-content/uploads/" in l
                             for l in r.stderr.split("\n")), r.stderr)

    def test_uploads_folder_copies_the_files_and_a_lost_one_fails(self):
        uploads = os.path.join(self.tmp, "wp-content", "uploads")
        write(os.path.join(uploads, "2020", "01", "report.pdf"), "%PDF-1.4\n")
        os.makedirs(os.path.join(uploads, "2020", "01"), exist_ok=True)
        with open(os.path.join(uploads, "2020", "01", "dot.png"), "wb") as f:
            f.write(png())
        r = run("import", "wordpress", self.export, "-o", self.site, "--uploads", uploads)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"uploads copied +2")
        self.assertFalse(os.path.exists(os.path.join(self.site, "attachments.csv")))
        self.assertTrue(os.path.exists(os.path.join(self.site, "static/wp-content/uploads/2020/01/dot.png")))
        r = self.check()
        self.assertEqual(r.returncode, 0, short(r.stderr))
        self.assertNotIn("uploads not in the export", r.stdout)
        # A file the import had, lost since: the migration's fault.
        os.remove(os.path.join(self.site, "public/wp-content/uploads/2020/01/report.pdf"))
        r = self.check("--no-build")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(any("/wp-content/uploads/2020/01/report.pdf is not in the output" in e
                            for e in errors(r.stderr)), r.stderr)
        self.assertTrue(any("error: old URL https://small.example/wp-content/uploads/2020/01/"
                            "report.pdf" in e for e in errors(r.stderr)), r.stderr)

    def test_links_broken_in_the_export_warn_and_links_the_migration_broke_fail(self):
        r = run("import", "wordpress", self.export, "-o", self.site)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.check()
        self.assertEqual(r.returncode, 0, short(r.stderr))
        self.assertIn("3 links already broken in the export", r.stdout)
        warnings = [l for l in r.stderr.split("\n") if ": warning: " in l]
        post = os.path.join("content", "posts", "2020", "first.md")
        for needle, why in [("/wp-admin/", "it is WordPress's dashboard"),
                            ("/never-was/", "the export has nothing at /never-was/"),
                            ("#gone", 'no element of the export has the id "gone"')]:
            self.assertTrue(any(post + ":" in w and needle in w and
                                "already broken in the export: " + why in w
                                for w in warnings), (needle, r.stderr))
        # The second post is in the export: losing it is the migration's.
        os.remove(os.path.join(self.site, "public/2020/01/03/second/index.html"))
        r = self.check("--no-build")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(any(post + ":" in e and "broken link: /2020/01/03/second/" in e and
                            "already broken" not in e for e in errors(r.stderr)), r.stderr)


    def test_a_link_to_a_draft_is_still_an_error(self):
        # A draft is in the site, to publish or unlink: the export having
        # the link is no excuse.
        write(self.export, SMALL_EXPORT.replace(
            "and <a href=\"#gone\">", "<a href=\"https://small.example/2020/01/04/third/\">"
            "draft</a> (unpublished since) and "
            "<a href=\"#gone\">").replace(
            "</channel>", "<item><title>Third</title><link>https://small.example/?p=3</link>"
            "<content:encoded><![CDATA[Soon.]]></content:encoded><wp:post_id>3</wp:post_id>"
            "<wp:post_date>2020-01-04 10:00:00</wp:post_date><wp:post_name>third</wp:post_name>"
            "<wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>\n</channel>"))
        r = run("import", "wordpress", self.export, "-o", self.site)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.check()
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertTrue(any("link to a draft: /2020/01/04/third/" in e for e in errors(r.stderr)),
                        r.stderr)
        self.assertIn("3 links already broken in the export", r.stdout)

    def test_featured_image_is_the_list_thumbnail(self):
        export = SMALL_EXPORT.replace(
            "<wp:post_name>first</wp:post_name>",
            "<wp:post_name>first</wp:post_name>\n<wp:postmeta><wp:meta_key>_thumbnail_id"
            "</wp:meta_key><wp:meta_value>9</wp:meta_value></wp:postmeta>").replace(
            "</channel>", "<item><title>dot</title><wp:post_id>9</wp:post_id>"
            "<wp:post_parent>1</wp:post_parent><wp:post_type>attachment</wp:post_type>"
            "<wp:status>inherit</wp:status><wp:attachment_url>https://small.example/wp-content/"
            "uploads/2020/01/dot.png</wp:attachment_url></item>\n</channel>")
        write(self.export, export)
        uploads = os.path.join(self.tmp, "uploads")
        os.makedirs(os.path.join(uploads, "2020", "01"))
        with open(os.path.join(uploads, "2020", "01", "dot.png"), "wb") as f:
            f.write(png())
        r = run("import", "wordpress", self.export, "-o", self.site, "--uploads", uploads)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('image: "/wp-content/uploads/2020/01/dot.png"',
                      read(os.path.join(self.site, "content/posts/2020/first.md")))
        r = self.check()
        self.assertEqual(r.returncode, 0, short(r.stderr))
        home = read(os.path.join(self.site, "public", "index.html"))
        thumbs = re.findall(r'<a class="entry-thumb" href="([^"]+)"[^>]*><img src="([^"]+)"', home)
        # Only the post with a featured image has one, linking to the post.
        self.assertEqual(len(thumbs), 1, home)
        self.assertEqual(thumbs[0][0], "/2020/01/02/first/")
        self.assertTrue(thumbs[0][1].startswith("/wp-content/uploads/2020/01/dot"), thumbs)
        self.assertTrue(os.path.exists(os.path.join(self.site, "public", thumbs[0][1][1:])))
        # The post's social card and JSON-LD image are cut from it.
        post = read(os.path.join(self.site, "public", "2020", "01", "02", "first", "index.html"))
        card = re.search(r'<meta property="og:image" content="https://small\.example(/[^"]+)">',
                         post)
        self.assertTrue(card and card.group(1).startswith("/wp-content/uploads/2020/01/dot-card"),
                        post)
        self.assertIn('"image": "https://small.example' + card.group(1) + '"', post)
        self.assertTrue(os.path.exists(os.path.join(self.site, "public", card.group(1)[1:])))


class RealExportTest(unittest.TestCase):
    """Real exports whose imported sites have nothing broken: no tags, or
    no outlets, must not leave the theme linking to a list that is not
    built (the navigation, the 404 and the search page linked /tag/ and
    /outlets/ on every page of such a site)."""

    def test_sites_without_tags_or_outlets_check_clean(self):
        folder = os.path.join(os.path.dirname(WXR), "..", "wxr-real")
        for name in ["chunked-meta", "term-meta", "ghost-has-meta", "authors-multiline"]:
            with self.subTest(export=name), tempfile.TemporaryDirectory() as tmp:
                export = os.path.join(folder, name + ".xml")
                site = os.path.join(tmp, "site")
                r = run("import", "wordpress", export, "-o", site)
                self.assertEqual(r.returncode, 0, short(r.stderr))
                r = run("check", "-s", site, "--wordpress", export)
                self.assertEqual(r.returncode, 0, short(r.stderr))
                self.assertRegex(r.stdout, r"nothing broken")
                self.assertNotIn('href="/tag/"', read(os.path.join(site, "public", "index.html")))


if __name__ == "__main__":
    BYLINE = os.path.abspath(sys.argv[1])
    SOURCE = os.path.abspath(sys.argv[2])
    WXR = os.path.normpath(os.path.join(
        SOURCE, "..", "shared/testdata/wxr/themeunittestdata.wordpress.xml"))
    if not os.path.exists(WXR):
        WXR = "/work/shared/testdata/wxr/themeunittestdata.wordpress.xml"
    unittest.main(argv=sys.argv[:1], verbosity=2)

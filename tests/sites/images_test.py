#!/usr/bin/python3
"""Image processing on the fixture site tests/sites/images (issue 27).

A JPEG turned by EXIF, a PNG with alpha, a GIF and an SVG (passed through),
a WebP, a CMYK JPEG, one smaller than every width, a truncated JPEG, a
decompression bomb and a text file named .jpg; a static image shown on two
pages. Checks the <picture> markup, every variant file (its size read by
vipsheader, never wider than the source), the located warnings and the
originals copied as they are, strict_images, the cache (reused, deterministic
bytes, `byline clean --images`) and that an incremental build after an
image changes equals a clean one.

Usage: images_test.py BYLINE_BINARY SOURCE_DIR
"""
import difflib
import filecmp
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

BYLINE = SOURCE = None
WIDTHS = [100, 200, 400]  # the fixture's [images] widths



def ld_json(public, page):
    """The post's schema.org JSON-LD, parsed."""
    with open(os.path.join(public, page, "index.html"), encoding="utf-8") as f:
        m = re.search(r'<script type="application/ld\+json">(.*?)</script>', f.read(), re.S)
    return json.loads(m.group(1))


class Markup(html.parser.HTMLParser):
    """The <picture>s and lone <img>s of a page, in order."""

    def __init__(self):
        super().__init__()
        self.items, self.picture = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self.picture = {"sources": []}
        elif tag == "source" and self.picture is not None:
            self.picture["sources"].append(attrs)
        elif tag == "img":
            if self.picture is not None:
                self.picture["img"] = attrs
            else:
                self.items.append({"sources": [], "img": attrs})

    def handle_endtag(self, tag):
        if tag == "picture" and self.picture is not None:
            self.items.append(self.picture)
            self.picture = None


def markup(path):
    m = Markup()
    with open(path, encoding="utf-8") as f:
        m.feed(f.read())
    return {item["img"]["alt"]: item for item in m.items if "alt" in item["img"]}


def srcset(value):
    """'a-100w.webp 100w, a-200w.webp 200w' -> [('a-100w.webp', 100), ...]"""
    out = []
    for part in value.split(","):
        url, w = part.strip().rsplit(" ", 1)
        out.append((url, int(w[:-1])))
    return out


def header(path, field):
    return subprocess.run(["vipsheader", "-f", field, path], capture_output=True, text=True,
                          check=True).stdout.strip()


def size_of(path):
    return int(header(path, "width")), int(header(path, "height"))


def run(*args):
    return subprocess.run([BYLINE, *args], capture_output=True, text=True, timeout=300)


def tree(root):
    files = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            files[os.path.relpath(p, root)] = p
    return files


def same_trees(test, a, b):
    ta, tb = tree(a), tree(b)
    test.assertEqual(sorted(ta), sorted(tb))
    for rel in ta:
        if filecmp.cmp(ta[rel], tb[rel], shallow=False):
            continue
        # Say how they differ: a flake seen once in CI is then readable.
        with open(ta[rel], "rb") as fa, open(tb[rel], "rb") as fb:
            la = fa.read().decode("utf-8", "replace").splitlines()
            lb = fb.read().decode("utf-8", "replace").splitlines()
        diff = "\n".join(difflib.unified_diff(la, lb, a, b, lineterm="", n=1))
        test.fail(f"{rel} differs:\n{diff[:4000]}")


class ImagesSite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="byline-images-")
        cls.site = os.path.join(cls.tmp, "site")
        shutil.copytree(os.path.join(SOURCE, "tests/sites/images"), cls.site,
                        ignore=shutil.ignore_patterns(".byline", "make_images.py"))
        cls.public = os.path.join(cls.tmp, "public")
        cls.result = run("build", "-s", cls.site, "-d", cls.public)
        cls.gallery = os.path.join(cls.public, "posts/gallery")
        cls.items = markup(os.path.join(cls.gallery, "index.html"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def source(self, name):
        return os.path.join(self.site, "content/posts/gallery", name)

    def check_picture(self, alt, stem, fallback, source_size, lazy=True):
        item = self.items[alt]
        img = item["img"]
        sw, sh = source_size
        widths = [w for w in WIDTHS if w < sw] + ([sw] if sw <= WIDTHS[-1] else [])
        expected = {"webp": widths, fallback: widths}
        ext = {"jpeg": "jpg"}.get(fallback, fallback)
        sets = {"webp": srcset(item["sources"][0]["srcset"]) if item["sources"] else None,
                fallback: srcset(img["srcset"])}
        if fallback == "webp":
            self.assertEqual(item["sources"], [])
            sets = {"webp": srcset(img["srcset"])}
        else:
            self.assertEqual(item["sources"][0]["type"], "image/webp")
            self.assertEqual(item["sources"][0]["sizes"], img["sizes"])
        for fmt, entries in sets.items():
            self.assertEqual([w for _, w in entries], expected[fmt], (alt, fmt))
            for url, w in entries:
                e = "webp" if fmt == "webp" else ext
                self.assertEqual(url, f"{stem}-{w}w.{e}")
                path = os.path.join(os.path.dirname(self.page), url) if not url.startswith("/") \
                    else os.path.join(self.public, url[1:])
                self.assertTrue(os.path.isfile(path), path)
                vw, vh = size_of(path)
                self.assertEqual(vw, w, path)
                self.assertLessEqual(vw, sw, "upscaled: " + path)
                self.assertAlmostEqual(vh, sh * w / sw, delta=1, msg=path)
        top = widths[-1]
        self.assertEqual(img["src"], f"{stem}-{top}w.{ext}")
        self.assertEqual((int(img["width"]), int(img["height"])),
                         size_of(os.path.join(os.path.dirname(self.page), img["src"])
                                 if not img["src"].startswith("/")
                                 else os.path.join(self.public, img["src"][1:])))
        self.assertEqual(img.get("loading"), "lazy" if lazy else None, alt)
        self.assertEqual(img.get("decoding"), "async" if lazy else None, alt)

    @property
    def page(self):
        return os.path.join(self.gallery, "index.html")

    def test_builds_with_located_warnings(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        found = re.findall(r"(content/posts/gallery/index\.md):(\d+):(\d+): warning: image '([^']+)'",
                           self.result.stderr)
        self.assertEqual([(f, int(l), int(c), u) for f, l, c, u in found], [
            ("content/posts/gallery/index.md", 22, 1, "corrupt.jpg"),
            ("content/posts/gallery/index.md", 24, 1, "bomb.png"),
            ("content/posts/gallery/index.md", 26, 1, "notes.jpg"),
        ])
        self.assertRegex(self.result.stderr, r"content/posts/lost/index\.md:4:8: warning: "
                         r"featured image 'nowhere\.jpg' not found")
        self.assertIn("cannot decode it", self.result.stderr)
        self.assertIn("declares 60000×60000 pixels", self.result.stderr)
        self.assertIn("not an image byline can process", self.result.stderr)
        self.assertEqual(self.result.stderr.count("published as it is"), 3)

    def test_jpeg_turned_by_exif_is_first_and_eager(self):
        self.check_picture("Turned by EXIF", "rotated", "jpeg", (240, 320), lazy=False)

    def test_png_with_alpha_keeps_it(self):
        self.check_picture("Transparent stripes", "alpha", "png", (300, 150))
        for w in (100, 200, 300):
            self.assertEqual(header(os.path.join(self.gallery, f"alpha-{w}w.png"), "bands"), "4")
            self.assertEqual(header(os.path.join(self.gallery, f"alpha-{w}w.webp"), "bands"), "4")

    def test_webp_gets_webp_sizes_only(self):
        self.check_picture("Already WebP", "photo", "webp", (500, 250))

    def test_cmyk_jpeg_becomes_srgb(self):
        self.check_picture("Printed in CMYK", "cmyk", "jpeg", (250, 250))
        for w in (100, 200, 250):
            path = os.path.join(self.gallery, f"cmyk-{w}w.jpg")
            self.assertEqual(header(path, "bands"), "3", path)
            self.assertIn("sRGB", header(path, "interpretation"), path)

    def test_small_image_is_never_upscaled(self):
        self.check_picture("Smaller than every width", "small", "jpeg", (80, 60))
        self.assertFalse([n for n in os.listdir(self.gallery)
                          if n.startswith("small-") and n != "small-80w.jpg" and
                          n != "small-80w.webp"])

    def test_static_image_on_two_pages(self):
        self.check_picture("A banner from static", "/images/banner", "jpeg", (450, 150))
        other = markup(os.path.join(self.public, "posts/plain/index.html"))["The banner again"]
        self.assertEqual(other["img"]["src"], "/images/banner-400w.jpg")
        self.assertNotIn("loading", other["img"])  # the first image of its page

    def test_gif_svg_and_bad_files_pass_through_as_they_are(self):
        for alt, src, size in [("An animated GIF", "anim.gif", ("120", "80")),
                               ("A vector logo", "logo.svg", ("60", "40")),
                               ("Cut short", "corrupt.jpg", ("400", "400")),  # its header reads
                               ("Sixty thousand squared", "bomb.png", (None, None)),
                               ("Not a picture", "notes.jpg", (None, None))]:
            item = self.items[alt]
            self.assertEqual(item["sources"], [], alt)
            self.assertEqual(item["img"]["src"], src)
            self.assertNotIn("srcset", item["img"])
            self.assertEqual((item["img"].get("width"), item["img"].get("height")), size, alt)
            self.assertTrue(filecmp.cmp(self.source(src), os.path.join(self.gallery, src),
                                        shallow=False), src)
            stem = src.rsplit(".", 1)[0]
            self.assertFalse([n for n in os.listdir(self.gallery) if n.startswith(stem + "-")],
                             src)

    def test_social_cards(self):
        def meta(page):
            with open(os.path.join(self.public, page, "index.html"), encoding="utf-8") as f:
                text = f.read()
            return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:]+)" '
                                   r'content="([^"]*)">', text))
        cards = {
            "posts/gallery": "posts/gallery/photo-card-1200x630.jpg",   # front matter image
            "posts/plain": "images/banner-card-1200x630.jpg",           # first image
            "posts/featured": "posts/gallery/cmyk-card-1200x630.jpg",   # image: ../gallery/cmyk.jpg
        }
        for page, card in cards.items():
            m = meta(page)
            self.assertEqual(m["og:image"], "https://example.org/" + card, page)
            self.assertEqual(m["twitter:image"], m["og:image"])
            self.assertEqual(m["twitter:card"], "summary_large_image")
            # Search engines read the same card from the post's JSON-LD.
            if page.startswith("posts/"):
                self.assertEqual(ld_json(self.public, page).get("image"), m["og:image"], page)
            path = os.path.join(self.public, card)
            self.assertEqual(size_of(path), (1200, 630), card)
            self.assertEqual(header(path, "bands"), "3")
        lost = meta("posts/lost")
        self.assertNotIn("og:image", lost)
        self.assertEqual(lost["twitter:card"], "summary")
        self.assertNotIn("image", ld_json(self.public, "posts/lost"))
        # The featured image's variants are published like the body's.
        self.assertTrue(os.path.isfile(os.path.join(self.gallery, "photo-400w.webp")))

    def test_page_images_for_templates(self):
        # tests/sites/images/templates/page.html prints page.images.
        with open(os.path.join(self.public, "pictures/index.html"), encoding="utf-8") as f:
            text = f.read()
        lines = re.search(r'<pre id="images">\n(.*?)\n</pre>', text, re.S).group(1).split("\n")
        self.assertEqual(lines, [
            "/images/banner.jpg /images/banner.jpg 450x150 jpeg True"
            " webp:100x33:/images/banner-100w.webp webp:200x67:/images/banner-200w.webp"
            " webp:400x133:/images/banner-400w.webp jpeg:100x33:/images/banner-100w.jpg"
            " jpeg:200x67:/images/banner-200w.jpg jpeg:400x133:/images/banner-400w.jpg",
            "/posts/gallery/small.jpg /posts/gallery/small.jpg 80x60 jpeg True"
            " webp:80x60:/posts/gallery/small-80w.webp jpeg:80x60:/posts/gallery/small-80w.jpg",
            "/posts/gallery/logo.svg /posts/gallery/logo.svg 60x40 svg False",
        ])
        for url in re.findall(r":(/[^ \n]+\.(?:webp|jpg))", "\n".join(lines)):
            self.assertTrue(os.path.isfile(os.path.join(self.public, url[1:])), url)
        self.assertIn('<p id="card">https://example.org/images/banner-card-1200x630.jpg</p>', text)

    def test_strict_images_makes_them_errors(self):
        site = os.path.join(self.tmp, "strict")
        shutil.copytree(self.site, site, ignore=shutil.ignore_patterns(".byline"))
        with open(os.path.join(site, "byline.toml"), "a") as f:
            f.write("")
        with open(os.path.join(site, "byline.toml")) as f:
            text = f.read()
        with open(os.path.join(site, "byline.toml"), "w") as f:
            f.write("strict_images = true\n" + text)
        dest = os.path.join(self.tmp, "strict-public")
        r = run("build", "-s", site, "-d", dest)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(len(re.findall(r"content/posts/gallery/index\.md:(22|24|26):1: error: image",
                                        r.stderr)), 3, r.stderr)
        self.assertFalse(os.path.exists(dest))

    def test_cache_is_reused_deterministic_and_cleaned(self):
        cache = os.path.join(self.site, ".byline/images")
        entries = {n: os.stat(os.path.join(cache, n)).st_mtime_ns for n in os.listdir(cache)}
        self.assertTrue(entries)
        again = os.path.join(self.tmp, "again")
        r = run("build", "-s", self.site, "-d", again)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual({n: os.stat(os.path.join(cache, n)).st_mtime_ns
                          for n in os.listdir(cache)}, entries)
        same_trees(self, self.public, again)
        # Made afresh from the same bytes elsewhere: the same bytes out.
        fresh = os.path.join(self.tmp, "fresh-site")
        shutil.copytree(self.site, fresh, ignore=shutil.ignore_patterns(".byline"))
        fresh_public = os.path.join(self.tmp, "fresh-public")
        self.assertEqual(run("build", "-s", fresh, "-d", fresh_public).returncode, 0)
        same_trees(self, self.public, fresh_public)
        r = run("clean", "-s", fresh, "--images")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(fresh, ".byline/images")))
        self.assertTrue(os.path.isdir(os.path.join(fresh, ".byline/builds")))
        self.assertEqual(run("clean", "-s", os.path.join(self.tmp, "nowhere")).returncode, 1)

    def test_incremental_build_after_image_edits_equals_a_clean_one(self):
        site = os.path.join(self.tmp, "inc")
        shutil.copytree(self.site, site, ignore=shutil.ignore_patterns(".byline"))
        dest = os.path.join(self.tmp, "inc-public")
        self.assertEqual(run("build", "-s", site, "-d", dest).returncode, 0)
        gallery = os.path.join(site, "content/posts/gallery")
        # A new picture in place of alpha.png (another size), the banner
        # replaced by a narrower one, and rotated.jpg no longer shown.
        subprocess.run(["vips", "black", os.path.join(gallery, "alpha.png"), "150", "90",
                        "--bands", "3"], check=True)
        subprocess.run(["vips", "copy", os.path.join(gallery, "small.jpg"),
                        os.path.join(site, "static/images/banner.jpg")], check=True)
        page = os.path.join(gallery, "index.md")
        with open(page) as f:
            text = f.read()
        with open(page, "w") as f:
            f.write(text.replace(
                '![Turned by EXIF](rotated.jpg "Upright at last. © A. Photographer")\n', ""))
        r = run("build", "-s", site, "-d", dest)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("files written", r.stdout)  # it was incremental
        full = os.path.join(self.tmp, "inc-full")
        self.assertEqual(run("build", "--full", "-s", site, "-d", full).returncode, 0)
        same_trees(self, dest, full)
        self.assertTrue(os.path.isfile(os.path.join(dest, "posts/gallery/alpha-150w.png")))
        self.assertFalse(os.path.exists(os.path.join(dest, "posts/gallery/alpha-300w.png")))
        self.assertFalse(os.path.exists(os.path.join(dest, "posts/gallery/rotated-240w.jpg")))
        self.assertFalse(os.path.exists(os.path.join(dest, "posts/gallery/rotated-100w.webp")))
        self.assertFalse(os.path.exists(os.path.join(dest, "images/banner-400w.jpg")))
        # The other page shows the new banner, though its own file did not change.
        other = markup(os.path.join(dest, "posts/plain/index.html"))["The banner again"]
        self.assertEqual(other["img"]["src"], "/images/banner-80w.jpg")

    def test_a_build_whose_images_are_all_cached_does_not_start_libvips(self):
        # libvips costs a process about 20 MB and a fifth of a second to
        # start: an edit to a post's text, its pictures in the cache, must
        # not pay it; a new picture must.
        site = os.path.join(self.tmp, "cached")
        shutil.copytree(self.site, site, ignore=shutil.ignore_patterns(".byline"))
        dest = os.path.join(self.tmp, "cached-public")
        r = run("build", "--timings", "-s", site, "-d", dest)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"images: [1-9][0-9]* made, 0 from the cache; libvips started in ")
        page = os.path.join(site, "content/posts/gallery/index.md")
        with open(page) as f:
            text = f.read()
        with open(page, "w") as f:
            f.write(text.replace("Pictures of every kind", "Pictures, of every kind,"))
        r = run("build", "--timings", "-s", site, "-d", dest)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("files written", r.stdout)
        self.assertRegex(r.stdout, r"images: 0 made, [1-9][0-9]* from the cache; libvips not started")
        # The pages are what a clean build makes, libvips started or not.
        full = os.path.join(self.tmp, "cached-full")
        shutil.rmtree(os.path.join(site, ".byline", "images"))
        self.assertEqual(run("build", "--full", "-s", site, "-d", full).returncode, 0)
        same_trees(self, dest, full)
        # A new picture is made, and starts it.
        subprocess.run(["vips", "black", os.path.join(site, "content/posts/gallery/new.png"), "60", "40",
                        "--bands", "3"], check=True)
        with open(page, "a") as f:
            f.write("\n![A new one](new.png)\n")
        r = run("build", "--timings", "-s", site, "-d", dest)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"images: 1 made, [1-9][0-9]* from the cache; libvips started in ")
        self.assertTrue(os.path.isfile(os.path.join(dest, "posts/gallery/new.png")))


if __name__ == "__main__":
    BYLINE, SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)

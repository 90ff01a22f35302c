#!/usr/bin/python3
"""Templates' image(path) and its resize/fit/fill on tests/sites/image_templates.

The fixture's post.html asks for a static banner (450x150) and a bundle's
PNG with alpha at explicit sizes. Checks each file written against the
sizes Hugo's .Resize, .Fit and .Fill give (read back with vipsheader), the
markup's width and height, the formats asked for, the per-image and
per-page opt-outs, located template errors, [images] process = false,
deterministic bytes, and that incremental builds keep and remake the files
exactly as a clean build does.

Usage: image_templates_test.py BYLINE_BINARY SOURCE_DIR
"""
import filecmp
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

BYLINE = SOURCE = None


class Imgs(html.parser.HTMLParser):
    """Every <img> of a page by its id (or its src when it has none)."""

    def __init__(self):
        super().__init__()
        self.by_id, self.variants, self.all = {}, [], []

    def handle_starttag(self, tag, attrs):
        if tag != "img":
            return
        a = dict(attrs)
        self.all.append(a)
        if a.get("class") == "variant":
            self.variants.append(a)
        elif "id" in a:
            self.by_id[a["id"]] = a


def imgs(path):
    p = Imgs()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def header(path, field):
    return subprocess.run(["vipsheader", "-f", field, path], capture_output=True, text=True,
                          check=True).stdout.strip()


def size_of(path):
    return int(header(path, "width")), int(header(path, "height"))


def run(*args):
    return subprocess.run([BYLINE, *args], capture_output=True, text=True, timeout=300)


def tree(root):
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            out[os.path.relpath(p, root)] = p
    return out


def same_trees(test, a, b):
    ta, tb = tree(a), tree(b)
    test.assertEqual(sorted(ta), sorted(tb))
    for rel in ta:
        test.assertTrue(filecmp.cmp(ta[rel], tb[rel], shallow=False), rel)


def copy_site(tmp, name):
    site = os.path.join(tmp, name)
    shutil.copytree(os.path.join(SOURCE, "tests/sites/image_templates"), site,
                    ignore=shutil.ignore_patterns(".byline", "public"))
    return site


class TemplateImages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="byline-imgtpl-")
        cls.site = copy_site(cls.tmp, "site")
        cls.public = os.path.join(cls.tmp, "public")
        cls.result = run("build", "-s", cls.site, "-d", cls.public)
        cls.page = imgs(os.path.join(cls.public, "posts/sized/index.html"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def file_of(self, url):
        return os.path.join(self.public, url.lstrip("/"))

    def check(self, name, url, size, fmt):
        """The markup names `url`, says `size`, and the file is that size and format."""
        img = self.page.by_id[name]
        self.assertEqual(img["src"], url)
        self.assertEqual((int(img["width"]), int(img["height"])), size, name)
        self.assertEqual(img["data-format"], fmt, name)
        path = self.file_of(url)
        self.assertEqual(size_of(path), size, name)
        loader = {"jpeg": "jpegload", "png": "pngload", "webp": "webpload"}[fmt]
        self.assertEqual(header(path, "vips-loader"), loader, name)

    def test_build_succeeds(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertEqual(self.result.stderr, "")

    def test_the_original_and_its_variants(self):
        o = self.page.by_id["original"]
        self.assertEqual((o["src"], o["width"], o["height"]), ("/images/banner.jpg", "450", "150"))
        self.assertEqual((o["data-format"], o["data-processed"]), ("jpeg", "True"))
        got = [(v["src"], int(v["width"]), v["data-format"]) for v in self.page.variants]
        self.assertEqual(got, [("/images/banner-100w.webp", 100, "webp"),
                               ("/images/banner-200w.webp", 200, "webp"),
                               ("/images/banner-100w.jpg", 100, "jpeg"),
                               ("/images/banner-200w.jpg", 200, "jpeg")])
        for v in self.page.variants:
            self.assertEqual(size_of(self.file_of(v["src"])),
                             (int(v["width"]), int(v["height"])))

    def test_resize(self):
        # One side: the other follows the ratio (450x150 is 3:1); both: exactly that.
        self.check("resize-w", "/images/banner-resize-120x.jpg", (120, 40), "jpeg")
        self.check("resize-h", "/images/banner-resize-x50.jpg", (150, 50), "jpeg")
        self.check("resize-both", "/images/banner-resize-100x100.jpg", (100, 100), "jpeg")

    def test_fit_keeps_the_ratio_and_never_enlarges(self):
        self.check("fit", "/images/banner-fit-100x100.jpg", (100, 33), "jpeg")
        self.check("fit-large", "/images/banner-fit-2000x2000.jpg", (450, 150), "jpeg")

    def test_fill_crops_to_the_box(self):
        self.check("fill", "/images/banner-fill-90x90.jpg", (90, 90), "jpeg")
        self.check("fill-topleft", "/images/banner-fill-90x90-topleft-q60.webp", (90, 90), "webp")
        # Larger than the source: filled up to the box, as Hugo does.
        self.check("fill-up", "/images/banner-fill-900x300.png", (900, 300), "png")
        # The anchor decides what is kept: top-left and smart crops differ.
        a = self.file_of("/images/banner-fill-90x90-topleft-q60.webp")
        b = self.file_of("/images/banner-fill-90x90.jpg")
        self.assertFalse(filecmp.cmp(a, b, shallow=False))

    def test_bundle_image_by_relative_path_flattened_to_jpeg(self):
        page = imgs(os.path.join(self.public, "posts/bundle/index.html"))
        a = page.by_id["bundle"]
        self.assertEqual(a["src"], "/posts/bundle/alpha-fill-40x40.jpg")
        path = self.file_of(a["src"])
        self.assertEqual(size_of(path), (40, 40))
        self.assertEqual(header(path, "bands"), "3")  # JPEG: no alpha left

    def test_title_token_and_front_matter_opt_out(self):
        html = read(os.path.join(self.public, "posts/sized/index.html"))
        self.assertIn('<img src="/images/banner.jpg" alt="Kept as it is" width="450" '
                      'height="150" loading="lazy"><figcaption>A chart</figcaption>', html)
        self.assertNotIn("{original}", html)
        self.assertRegex(html, r'<picture><source type="image/webp" srcset="/images/banner-100w')
        asis = read(os.path.join(self.public, "posts/asis/index.html"))
        main = re.search(r"<main>(.*?)</main>", asis, re.S).group(1)
        self.assertIn('<img src="/images/banner.jpg" alt="The banner" width="450" height="150"',
                      main)
        self.assertNotIn("<picture>", main)

    def test_raw_html_images_processed_keeping_their_attributes(self):
        html = read(os.path.join(self.public, "posts/raw/index.html"))
        main = re.search(r"<main>(.*?)</main>", html, re.S).group(1)
        figure = re.search(r'<figure class="wp-block-image size-large">(.*?)</figure>', main,
                           re.S).group(1)
        self.assertTrue(figure.startswith('<picture><source type="image/webp" '
                                          'srcset="/images/banner-100w.webp 100w, '
                                          '/images/banner-200w.webp 200w"'), figure)
        img = re.search(r"<img [^>]*>", figure).group(0)
        for attr in ('src="/images/banner-200w.jpg"', 'alt="A banner"', 'title="Banner"',
                     'class="wp-image-12"', 'data-id="12"', 'width="200"', 'height="67"',
                     'srcset="/images/banner-100w.jpg 100w, /images/banner-200w.jpg 200w"',
                     'sizes="(max-width: 40rem) 100vw, 40rem"'):
            self.assertIn(attr, img)
        self.assertNotIn("wp-content", figure)  # WordPress's own sizes are replaced
        self.assertNotIn('loading="lazy"', img)  # the page's first picture
        gif = size_of(os.path.join(self.public, "images/anim.gif"))
        self.assertIn('<img src="/images/anim.gif" alt="Moving" class="inline" width="%d" '
                      'height="%d">' % gif, main)
        for v in ("banner-100w.webp", "banner-200w.jpg"):
            self.assertTrue(os.path.isfile(os.path.join(self.public, "images", v)))

    def test_raw_html_title_token_keeps_the_image_as_it_is(self):
        html = read(os.path.join(self.public, "posts/raw/index.html"))
        main = re.search(r"<main>(.*?)</main>", html, re.S).group(1)
        # The file itself, no <picture>, the token gone from the title.
        self.assertIn('A chart kept as it is: <img src="/images/banner.jpg" alt="Chart" '
                      'class="chart" title="Q3" width="450" height="150">', main)
        self.assertNotIn("{original}", html)

    def test_raw_html_image_missing_is_a_located_warning(self):
        site = copy_site(self.tmp, "rawmissing")
        with open(os.path.join(site, "content/posts/raw.md"), "a", encoding="utf-8") as f:
            f.write('\nGone: <img src="/images/nowhere.png" alt="gone">\n')
        r = run("build", "-s", site, "-d", os.path.join(self.tmp, "rawmissing-public"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("content/posts/raw.md:13:7: warning: image '/images/nowhere.png' not found",
                      r.stderr)
        self.assertIn('  Gone: <img src="/images/nowhere.png" alt="gone">\n        ^', r.stderr)

    def test_same_bytes_from_a_cold_cache(self):
        site = copy_site(self.tmp, "again")
        dest = os.path.join(self.tmp, "again-public")
        r = run("build", "-s", site, "-d", dest)
        self.assertEqual(r.returncode, 0, r.stderr)
        same_trees(self, self.public, dest)

    def test_incremental_builds_keep_and_remake_the_files(self):
        site = copy_site(self.tmp, "inc")
        dest = os.path.join(self.tmp, "inc-public")
        self.assertEqual(run("build", "-s", site, "-d", dest).returncode, 0)
        # The search index's files are named by their content: left out.
        def files():
            return sorted(f for f in tree(dest) if not f.startswith("search/"))
        made = files()
        # Another post edited: the sized page is not rendered again, its files stay.
        with open(os.path.join(site, "content/posts/asis.md"), "a", encoding="utf-8") as f:
            f.write("\nOne more line.\n")
        r = run("build", "-s", site, "-d", dest, "--explain")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("posts/sized/index.html", r.stdout)
        self.assertEqual(files(), made)
        # The banner changed: every size made again, as a clean build makes them.
        subprocess.run(["vips", "flip", os.path.join(site, "static/images/banner.jpg"),
                        os.path.join(self.tmp, "flipped.jpg"), "horizontal"], check=True)
        shutil.copy(os.path.join(self.tmp, "flipped.jpg"),
                    os.path.join(site, "static/images/banner.jpg"))
        r = run("build", "-s", site, "-d", dest, "--explain")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("public/images/banner-fill-90x90.jpg", r.stdout.replace(dest + "/", "public/"))
        full = os.path.join(self.tmp, "inc-full")
        self.assertEqual(run("build", "--full", "-s", site, "-d", full).returncode, 0)
        same_trees(self, dest, full)
        # The template stops asking for a size: its file goes.
        tpl = os.path.join(site, "templates/post.html")
        text = read(tpl).replace(', ("fit-large", b.fit("2000x2000"))', "")
        with open(tpl, "w", encoding="utf-8") as f:
            f.write(text)
        self.assertEqual(run("build", "-s", site, "-d", dest).returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(dest, "images/banner-fit-2000x2000.jpg")))
        self.assertTrue(os.path.exists(os.path.join(dest, "images/banner-fit-100x100.jpg")))

    def test_errors_are_located_in_the_template(self):
        cases = [
            ('b.fill("90x")', 'fill() needs both a width and a height, such as "90x90"'),
            ('image("/images/nowhere.jpg")', "image '/images/nowhere.jpg' not found"),
            ('b.resize("big")', "'big' is not part of an image specification"),
            ('image("/images/anim.gif").resize("50x")', "only a JPEG, PNG or WebP can be sized"),
            ('b.resize("120x").fit("10x10")', "not one already sized"),
            ('b.fit("100x100 Top")', "an anchor ('top') is for fill() only"),
            ('b.resize("0x10")', "is not a size"),
        ]
        for expr, message in cases:
            with self.subTest(expr=expr):
                site = copy_site(self.tmp, "err")
                tpl = os.path.join(site, "templates/post.html")
                lines = read(tpl).split("\n")
                line = next(i for i, l in enumerate(lines) if l.startswith("{% set shots"))
                lines.insert(line, "<p>{{ %s }}</p>" % expr)
                with open(tpl, "w", encoding="utf-8") as f:
                    f.write("\n".join(lines))
                dest = os.path.join(self.tmp, "err-public")
                r = run("build", "-s", site, "-d", dest)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(message, r.stderr)
                m = re.search(r"templates/post\.html:(\d+):(\d+): error: ", r.stderr)
                self.assertIsNotNone(m, r.stderr)
                self.assertEqual(int(m.group(1)), line + 1)
                self.assertFalse(os.path.exists(dest))
                shutil.rmtree(site)

    def test_processing_off_publishes_originals(self):
        site = copy_site(self.tmp, "off")
        with open(os.path.join(site, "byline.toml"), "a", encoding="utf-8") as f:
            f.write("process = false\n")
        dest = os.path.join(self.tmp, "off-public")
        r = run("build", "-s", site, "-d", dest)
        self.assertEqual(r.returncode, 0, r.stderr)
        page = imgs(os.path.join(dest, "posts/sized/index.html"))
        self.assertEqual(page.variants, [])
        self.assertEqual(page.by_id["original"]["data-processed"], "False")
        for name in ("resize-w", "fit", "fill-topleft"):
            self.assertEqual(page.by_id[name]["src"], "/images/banner.jpg")
            self.assertEqual(page.by_id[name]["width"], "450")
        self.assertEqual(sorted(os.listdir(os.path.join(dest, "images"))),
                         ["anim.gif", "banner.jpg"])

    def test_avif_first_when_configured(self):
        site = copy_site(self.tmp, "avif")
        with open(os.path.join(site, "byline.toml"), "a", encoding="utf-8") as f:
            f.write('formats = ["avif", "webp"]\n')
        dest = os.path.join(self.tmp, "avif-public")
        r = run("build", "-s", site, "-d", dest)
        self.assertEqual(r.returncode, 0, r.stderr)
        html = read(os.path.join(dest, "posts/sized/index.html"))
        self.assertIn('<picture><source type="image/avif" srcset="/images/banner-100w.avif 100w, '
                      '/images/banner-200w.avif 200w"', html)
        self.assertLess(html.index('type="image/avif"'), html.index('type="image/webp"'))
        for w in (100, 200):
            path = os.path.join(dest, "images/banner-%dw.avif" % w)
            self.assertEqual(header(path, "vips-loader"), "heifload")
            self.assertEqual(size_of(path)[0], w)
        page = imgs(os.path.join(dest, "posts/sized/index.html"))
        self.assertEqual([v["data-format"] for v in page.variants],
                         ["avif", "avif", "webp", "webp", "jpeg", "jpeg"])

    def test_unknown_format_is_a_located_config_error(self):
        site = copy_site(self.tmp, "badformat")
        with open(os.path.join(site, "byline.toml"), "a", encoding="utf-8") as f:
            f.write('formats = ["webp", "jxl"]\n')
        r = run("build", "-s", site, "-d", os.path.join(self.tmp, "badformat-public"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("byline.toml:6:11: error: 'jxl' is not a format", r.stderr)

if __name__ == "__main__":
    BYLINE, SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)

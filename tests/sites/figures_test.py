#!/usr/bin/python3
"""Figure and image checks on built sites.

On the fixture site tests/sites/figures: a bundle's pictures, a static and a
theme image get width and height; remote, protocol-relative and data: images
do not; a missing local image is a located warning and the build succeeds.
On that site and the example site: every sized <img> in the output names a
published file whose header, read here independently of byline, has exactly
that size.

Usage: figures_test.py BYLINE_BINARY SOURCE_DIR
"""
import glob
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

BYLINE = SOURCE = None


class Images(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def images_of(path):
    p = Images()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p.images


def jpeg_size(data):
    """(width, height) as shown: the frame size, turned for EXIF 5-8."""
    pos, size, orientation = 2, None, 1
    while pos + 4 <= len(data) and size is None:
        marker, length = data[pos + 1], struct.unpack(">H", data[pos + 2:pos + 4])[0]
        body = data[pos + 4:pos + 2 + length]
        if marker == 0xE1 and body.startswith(b"Exif\0\0"):
            tiff = body[6:]
            end = "<" if tiff[:2] == b"II" else ">"
            ifd = struct.unpack(end + "I", tiff[4:8])[0]
            for i in range(struct.unpack(end + "H", tiff[ifd:ifd + 2])[0]):
                e = tiff[ifd + 2 + 12 * i:ifd + 14 + 12 * i]
                if struct.unpack(end + "H", e[:2])[0] == 0x0112:
                    orientation = struct.unpack(end + "H", e[8:10])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", body[1:5])
            size = (w, h)
        pos += 2 + length
    if size and orientation >= 5:
        size = (size[1], size[0])
    return size


def image_size(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\x89PNG"):
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"\xff\xd8"):
        return jpeg_size(data)
    if path.endswith(".svg"):
        root = ET.fromstring(data)
        return (int(root.get("width")), int(root.get("height")))
    raise AssertionError("no reader here for " + path)


def build(site, dest):
    return subprocess.run([BYLINE, "build", "-s", site, "-d", dest], capture_output=True,
                          text=True, timeout=300)


def check_sized_images_match_files(test, public):
    """Every sized <img> of every HTML page names a published file of that size."""
    checked = 0
    for page in glob.glob(os.path.join(public, "**", "*.html"), recursive=True):
        rel = os.path.relpath(page, public).replace(os.sep, "/")
        page_url = "https://site.invalid/" + (rel[:-len("index.html")] if rel.endswith("index.html") else rel)
        for img in images_of(page):
            if "width" not in img:
                continue
            url = urllib.parse.urljoin(page_url, img["src"])
            test.assertTrue(url.startswith("https://site.invalid/"), (page, img))
            target = os.path.join(public, urllib.parse.unquote(urllib.parse.urlparse(url).path)[1:])
            test.assertTrue(os.path.isfile(target), (page, img["src"]))
            test.assertEqual(image_size(target), (int(img["width"]), int(img["height"])),
                             (page, img["src"]))
            checked += 1
    return checked


class FixtureSite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="byline-figures-")
        cls.public = os.path.join(cls.tmp, "public")
        cls.result = build("tests/sites/figures", cls.public)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def sizes(self, page):
        return {img["src"]: (img.get("width"), img.get("height"), img.get("loading"))
                for img in images_of(os.path.join(self.public, page))}

    def test_builds_with_warnings_only(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def test_bundle_images(self):
        # Processed images (src/images/) show their largest variant; the
        # page's first one is not lazy, the others are.
        self.assertEqual(self.sizes("2021/harbour-walk/index.html"), {
            "pier-12w.png": ("12", "8", None),          # figure, the first image
            "upright-10w.jpg": ("10", "20", "lazy"),    # inline, stored 20x10, EXIF turned
            "crane.jpg": (None, None, "lazy"),          # missing: no size
        })

    def test_static_theme_remote_and_data_images(self):
        self.assertEqual(self.sizes("2021/charts/index.html"), {
            "/images/chart.gif": ("64", "40", "lazy"),
            "/images/mark.gif": ("16", "16", None),  # the theme's static file
            "https://badges.example.org/badge.png": (None, None, None),
            "https://photos.example.org/quay.jpg": (None, None, "lazy"),
            "//cdn.example.org/a.png": (None, None, "lazy"),
            "data:image/gif;base64,R0lGODlhAQABAAAAACw=": (None, None, "lazy"),
            "/images/gone.png": (None, None, None),
        })

    def test_figure_markup_with_size(self):
        with open(os.path.join(self.public, "2021/charts/index.html"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn('<figure><img src="/images/chart.gif" alt="Shipping volumes by month" '
                      'width="64" height="40" loading="lazy"><figcaption>Volumes fell in spring. '
                      '<span class="credit">\u00a9 Harbour Board</span></figcaption></figure>', text)

    def test_missing_images_are_located_warnings(self):
        self.assertEqual(
            self.result.stderr,
            "tests/sites/figures/content/posts/charts.md:17:35: warning: image '/images/gone.png' "
            "not found (looked for content/images/gone.png, static/images/gone.png and "
            "themes/plain/static/images/gone.png)\n"
            "    An indented line with a missing ![gone](/images/gone.png) image.\n"
            "                                    ^\n"
            "tests/sites/figures/content/posts/harbour-walk/index.md:12:1: warning: image "
            "'crane.jpg' not found (looked for content/posts/harbour-walk/crane.jpg)\n"
            "  ![A crane that was never photographed](crane.jpg \"Lost on the way. \u00a9 Nobody\")\n"
            "  ^\n")

    def test_sizes_match_published_files(self):
        self.assertEqual(check_sized_images_match_files(self, self.public), 4)


class ExampleSite(unittest.TestCase):
    def test_every_local_image_is_sized_correctly(self):
        tmp = tempfile.mkdtemp(prefix="byline-figures-example-")
        try:
            public = os.path.join(tmp, "public")
            r = build("examples", public)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("not found", r.stderr)
            self.assertGreater(check_sized_images_match_files(self, public), 0)
            for page in glob.glob(os.path.join(public, "**", "*.html"), recursive=True):
                for img in images_of(page):
                    local = not urllib.parse.urlparse(img["src"]).scheme and \
                        not img["src"].startswith("//")
                    if local:
                        self.assertIn("width", img, (page, img["src"]))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    BYLINE, SOURCE = sys.argv[1], sys.argv[2]
    os.chdir(SOURCE)
    unittest.main(argv=sys.argv[:1], verbosity=2)

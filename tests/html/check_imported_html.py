#!/usr/bin/python3
"""Imports real WordPress exports (shared/testdata/wxr-real), builds them and
runs the Nu HTML Checker (vnu.jar, from tests/html/node_modules) over every
page. An error passes only when the same error is in the export's own
markup: each published post and page of the export is checked too, its
HTML as WordPress stored it under an <h1> title (as the theme shows it), and
those errors are listed as the source's. Any other error fails: the
importer or the theme made it.

Usage: check_imported_html.py BYLINE_BINARY SOURCE_DIR
"""
import collections
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

EXPORTS = ["theme-unit-test-data", "a11y-unit-test-data", "nikola-wordpress_export_example",
           "blueprints-richtabor-blueprint-content", "hexo-wordpress", "phptk-stylish-press"]

byline, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
folder = os.path.join(os.path.dirname(source), "shared", "testdata", "wxr-real")
if not os.path.isdir(folder):
    folder = "/work/shared/testdata/wxr-real"
vnu = os.path.join(source, "tests", "html", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
if not os.path.exists(vnu):
    sys.exit("vnu.jar is missing: run scripts/install-deps.sh")


def vnu_errors(files):
    """(file, message) for each error the checker finds."""
    r = subprocess.run(["java", "-jar", vnu, "--errors-only", "--format", "gnu", *files],
                       capture_output=True, text=True)
    out = []
    for line in (r.stdout + r.stderr).splitlines():
        m = re.match(r'"file:([^"]+)":[\d.-]+: error: (.*)', line)
        if m:
            out.append((m.group(1), m.group(2)))
        elif line.strip():
            out.append(("", line))  # the checker itself failed: no message can match
    return out


def source_documents(export, into):
    """Each published post's and page's HTML, as a document of its own."""
    text = open(export, encoding="utf-8").read()
    wp = re.search(r'xmlns:wp="([^"]+)"', text).group(1)
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    files = []
    for n, item in enumerate(ET.fromstring(text).iter("item")):
        if item.findtext("{%s}status" % wp) != "publish":
            continue
        if item.findtext("{%s}post_type" % wp) not in ("post", "page"):
            continue
        path = os.path.join(into, "item-%d.html" % n)
        with open(path, "w", encoding="utf-8") as f:
            f.write('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
                    "<h1>t</h1>%s</main></body></html>" % (item.findtext(content) or ""))
        files.append(path)
    return files


tmp = tempfile.mkdtemp(prefix="byline-imported-html-")
try:
    pages, sources = [], []
    for name in EXPORTS:
        export = os.path.join(folder, name + ".xml")
        site = os.path.join(tmp, name)
        subprocess.run([byline, "import", "wordpress", export, "-o", site], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([byline, "build", "-q", "-s", site], check=True, stderr=subprocess.DEVNULL)
        pages += glob.glob(os.path.join(site, "public", "**", "*.html"), recursive=True)
        src = os.path.join(tmp, "source-" + name)
        os.makedirs(src)
        sources += source_documents(export, src)

    in_source = {message for _, message in vnu_errors(sources)}
    listed, failures = collections.Counter(), []
    for file, message in vnu_errors(pages):
        if message in in_source:
            listed[message] += 1
        else:
            failures.append("%s: %s" % (file.replace(tmp, ""), message))
    if listed:
        print("Errors already in the exports' own markup (not the importer's):")
        for message, count in sorted(listed.items(), key=lambda kv: -kv[1]):
            print("  %4d  %s" % (count, message))
    if failures:
        print("\n".join(failures)[:20000])
        print("0 passed, 1 failed: %d errors in the %d imported pages that the exports' markup "
              "does not have" % (len(failures), len(pages)))
        sys.exit(1)
    print("%d imported pages of %d exports checked: no error of the migration's"
          % (len(pages), len(EXPORTS)))
    print("1 passed, 0 failed")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

#!/usr/bin/python3
"""Imports a WordPress export, builds it with `byline build`, and checks that
every <link> of every published post and page resolves in the output: at
its own path (PATH/index.html, percent-decoded) or through an alias page.
Query links (?p=123) must appear in the output's _redirects file.

Registered in ctest by tests/import/import.cmake.

usage: links_resolve.py BYLINE EXPORT.xml
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

byline, export = sys.argv[1:3]
tmp = tempfile.mkdtemp(prefix="byline-links-")
try:
    site, out = os.path.join(tmp, "site"), os.path.join(tmp, "out")
    p = subprocess.run([byline, "import", "wordpress", export, "-o", site], capture_output=True,
                       text=True)
    if p.returncode != 0:
        sys.exit("import failed:\n" + p.stderr)
    p = subprocess.run([byline, "build", "-s", site, "-d", out], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("build failed:\n" + p.stderr)

    root = ET.parse(export).getroot()
    wp = None
    for el in root.iter():
        m = re.match(r"\{(https?://wordpress\.org/export/1\.\d+/)\}", el.tag)
        if m:
            wp = m.group(1)
            break
    channel = root.find("channel")
    base = (channel.findtext("{%s}base_blog_url" % wp) or channel.findtext("link") or "").rstrip("/")
    base_path = urllib.parse.urlparse(base).path
    redirects = ""
    if os.path.exists(os.path.join(out, "_redirects")):
        redirects = open(os.path.join(out, "_redirects"), encoding="utf-8").read()

    checked, failed = 0, []
    for item in channel.findall("item"):
        ptype = item.findtext("{%s}post_type" % wp)
        status = item.findtext("{%s}status" % wp)
        password = item.findtext("{%s}post_password" % wp) or ""
        if ptype not in ("post", "page") or status != "publish" or password:
            continue
        link = (item.findtext("link") or "").strip()
        if not link:
            continue  # no old address to keep
        url = urllib.parse.urlparse(link)
        path = urllib.parse.unquote(url.path)
        if base_path and path.startswith(base_path):
            path = path[len(base_path):]
        checked += 1
        if url.query:
            query_path = "/?" + url.query
            if query_path not in redirects:
                failed.append("%s: not in _redirects" % link)
            continue
        target = os.path.join(out, path.strip("/"), "index.html")
        if not os.path.isfile(target):
            failed.append("%s: no %s" % (link, os.path.relpath(target, out)))
    for f in failed:
        print("FAIL:", f)
    print("%d passed, %d failed" % (checked - len(failed), len(failed)))
    sys.exit(1 if failed or checked == 0 else 0)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

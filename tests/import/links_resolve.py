#!/usr/bin/python3
"""Imports a WordPress export, builds it with `byline build`, and checks that
every old URL of the export resolves in the output:

- the <link> of every published post and page: at its own path
  (PATH/index.html, or PATH itself for a link such as /blog/post.html,
  percent-decoded), through an alias page, or a line of _redirects;
- its ?p=ID (and ?page_id=ID for pages) in _redirects, the id taken from
  wp:post_id or, when the export has none, from ?p= in <link> or <guid>;
- the attachment page of every attachment of a published item;
  an attachment whose <link> is the file itself gets no HTML page and no
  redirect at that path (the file is the upload);
- the tag and category archives of published posts, at WordPress's URLs
  (/tag/SLUG/, /category/PARENT/CHILD/) with slugs as sanitize_title makes
  them;
- every approved comment of a published item is shown, no other is, and no
  commenter's e-mail address is in the output.

Links are relative to the export's base_blog_url (its path, such as
/wordpress/, is dropped: the site's base_url keeps it); relative links are
site paths already. Registered in ctest by tests/import/import.cmake.

usage: links_resolve.py BYLINE EXPORT.xml
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET


def parse_export(export):
    """The export's root element. WordPress's importer reads exports with a
    raw '&' in a URL; so does byline's, so the checker escapes them first."""
    with open(export, "rb") as f:
        data = f.read()
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        pass
    data = re.sub(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)", b"&amp;", data)
    # A prefix used but never declared (WordPress.com's atom:) is declared.
    declared = set(re.findall(rb"xmlns:([A-Za-z_][\w.-]*)=", data))
    used = set(re.findall(rb"</?([A-Za-z_][\w.-]*):", data)) - declared
    for prefix in used:
        data = re.sub(rb"<rss\b", b"<rss xmlns:" + prefix + b'="urn:undeclared:' + prefix + b'"',
                      data, count=1)
    return ET.fromstring(data)


def sanitize_title(s):
    """WordPress's sanitize_title_with_dashes, as documented: tags and
    entities go, accents are removed, letters lower-cased, dots become
    dashes, anything but a-z, 0-9, '_', '-' and %XX octets goes, spaces
    become dashes. Non-ASCII letters stay (WordPress percent-encodes them;
    the archive's path is their decoded form)."""
    s = re.sub(r"<[^>]*>", "", s)
    s = re.sub(r"%([0-9a-fA-F]{2})", lambda m: "\x00" + m.group(1).lower(), s)
    s = s.replace("%", "").replace("\x00", "%")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.lower()
    s = re.sub(r"&.+?;", "", s)
    s = s.replace(".", "-")
    s = "".join(c if (c.isascii() and (c.isalnum() or c in " _-%")) or not c.isascii() and c.isalnum()
                else "" for c in s)
    s = re.sub(r"\s+", "-", s)
    s = re.sub(r"-+", "-", s)
    return urllib.parse.unquote(s.strip("-"))


FILE_EXT = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|mp3|mp4|m4a|ogg|wav|zip|docx?|xlsx?|pptx?)$", re.I)


def check_export(byline, export, tmp):
    """Returns (number of URLs checked, list of failures)."""
    site, out = os.path.join(tmp, "site"), os.path.join(tmp, "out")
    p = subprocess.run([byline, "import", "wordpress", export, "-o", site], capture_output=True,
                       text=True)
    if p.returncode != 0:
        return 0, ["import failed:\n" + p.stderr]
    p = subprocess.run([byline, "build", "-s", site, "-d", out], capture_output=True, text=True)
    if p.returncode != 0:
        return 0, ["build failed:\n" + p.stderr]
    # The importer writes only front matter byline reads.
    unknown = [line for line in p.stderr.splitlines() if "unknown front-matter key" in line]
    if unknown:
        return 0, ["the build warns about the importer's front matter:\n" + "\n".join(unknown[:3])]

    root = parse_export(export)
    wp = None
    for el in root.iter():
        m = re.match(r"\{(https?://wordpress\.org/export/1\.\d+/)\}", el.tag)
        if m:
            wp = m.group(1)
            break
    if wp is None:
        return 0, ["no WordPress namespace"]
    channel = root.find("channel")

    def field(el, name):
        return (el.findtext("{%s}%s" % (wp, name)) or "").strip()

    base = field(channel, "base_blog_url") or (channel.findtext("link") or "").strip()
    base_url = urllib.parse.urlparse(base)
    base_host = base_url.netloc.lower().removeprefix("www.")
    base_path = base_url.path.rstrip("/")
    redirects = ""
    if os.path.exists(os.path.join(out, "_redirects")):
        redirects = open(os.path.join(out, "_redirects"), encoding="utf-8").read()
    redirect_sources = {line.split(" ")[0] for line in redirects.splitlines()
                        if line and "=" not in line.split(" ")[1]}

    def old_path(link):
        """The site path of an old URL, or None when it is another site's."""
        url = urllib.parse.urlparse(link)
        if url.netloc and url.netloc.lower().removeprefix("www.") != base_host:
            return None, url.query
        path = urllib.parse.unquote(url.path)
        if url.netloc and base_path and (path + "/").startswith(base_path + "/"):
            path = path[len(base_path):]
        return path or "/", url.query

    def resolves(path):
        rel = path.strip("/")
        if os.path.isfile(os.path.join(out, rel, "index.html")):
            return True
        if rel and not path.endswith("/") and os.path.isfile(os.path.join(out, rel)):
            return True
        return path in redirect_sources or path.rstrip("/") + "/" in redirect_sources

    def query_rule(query, path="/"):
        # Netlify's form: the path, then each parameter as key=value.
        return " ".join([path] + query.split("&")) + " "

    def item_id(item):
        pid = field(item, "post_id")
        if pid:
            return pid
        for text in (item.findtext("link") or "", item.findtext("guid") or ""):
            m = re.search(r"[?&](?:p|page_id)=(\d+)", text)
            if m:
                return m.group(1)
        return ""

    checked, failed = 0, []
    published = {}
    items = channel.findall("item")
    for item in items:
        ptype = field(item, "post_type")
        status = field(item, "status") or "publish"
        if ptype not in ("post", "page") or status != "publish" or field(item, "post_password"):
            continue
        pid = item_id(item)
        if pid:
            published[pid] = item
            for key in (["page_id", "p"] if ptype == "page" else ["p"]):
                checked += 1
                if query_rule("%s=%s" % (key, pid)) not in redirects:
                    failed.append("?%s=%s: not in _redirects" % (key, pid))
        link = (item.findtext("link") or "").strip()
        if not link:
            continue  # no old address to keep
        path, query = old_path(link)
        if path is None:
            continue  # another site's address
        checked += 1
        if query:
            if query_rule(query, path) not in redirects:
                failed.append("%s: not in _redirects" % link)
        elif not resolves(path):
            failed.append("%s: no page, alias or redirect at %s" % (link, path))

    # Attachments: the attachment page of an item's attachment leads to the
    # item; a link that is the file itself is left to the upload.
    for item in items:
        if field(item, "post_type") != "attachment":
            continue
        link = (item.findtext("link") or "").strip()
        path, query = old_path(link) if link else (None, "")
        if path is None or query:
            continue
        if FILE_EXT.search(path):
            checked += 1
            rel = path.strip("/")
            if os.path.isdir(os.path.join(out, rel)) or path in redirect_sources:
                failed.append("%s: the file's URL was made a page or a redirect" % link)
            continue
        if field(item, "post_parent") not in published:
            continue
        checked += 1
        if not resolves(path):
            failed.append("%s (attachment): no page, alias or redirect at %s" % (link, path))

    # Tag and category archives keep WordPress's URLs: /tag/<slug>/ and
    # /category/<parent>/<child>/ for every term a published post uses.
    parents = {}
    for cat in channel.findall("{%s}category" % wp):
        parents[sanitize_title(field(cat, "category_nicename"))] = sanitize_title(
            field(cat, "category_parent"))

    def category_path(slug):
        path, seen = [slug], {slug}
        while parents.get(path[0]) and parents[path[0]] not in seen:
            seen.add(parents[path[0]])
            path.insert(0, parents[path[0]])
        return "/".join(path)

    # A term is its name in byline: the export's term list gives each name
    # its slug (the first, if two terms share a name), items add the rest.
    slug_of = {"post_tag": {}, "category": {}}
    for tag in channel.findall("{%s}tag" % wp):
        slug_of["post_tag"].setdefault(field(tag, "tag_name"), sanitize_title(field(tag, "tag_slug")))
    for cat in channel.findall("{%s}category" % wp):
        slug_of["category"].setdefault(field(cat, "cat_name"),
                                       sanitize_title(field(cat, "category_nicename")))
    terms = set()
    for item in items:
        if field(item, "post_type") != "post" or (field(item, "status") or "publish") != "publish":
            continue
        if field(item, "post_password"):
            continue
        for c in item.findall("category"):
            domain = c.get("domain")
            if domain not in slug_of:
                continue
            name = (c.text or "").strip()
            slug = slug_of[domain].setdefault(name, sanitize_title(c.get("nicename") or name))
            if not slug:
                continue
            terms.add("tag/" + slug if domain == "post_tag" else "category/" + category_path(slug))
    for term in sorted(terms):
        checked += 1
        target = os.path.join(out, term, "index.html")
        if not os.path.isfile(target):
            failed.append("/%s/: no %s" % (term, os.path.relpath(target, out)))
    # Comments: every approved comment of a published item is shown, no
    # pending, spam or trashed one is, and no commenter's e-mail address is
    # anywhere in the output.
    shown, withheld, emails = set(), set(), set()
    for item in items:
        ptype = field(item, "post_type")
        live = (ptype in ("post", "page") and (field(item, "status") or "publish") == "publish"
                and not field(item, "post_password"))
        for c in item.findall("{%s}comment" % wp):
            cid = field(c, "comment_id")
            email = field(c, "comment_author_email")
            if email and "@" in email:
                emails.add(email)
            if field(c, "comment_type") not in ("", "comment"):
                continue
            if field(c, "comment_approved") == "1":
                if live:
                    shown.add(cid)
            else:
                withheld.add(cid)
    seen_ids = set()
    # No href in the output holds a space (HTML forbids it).
    for dirpath, _, files in os.walk(out):
        for name in files:
            if name.endswith((".xml", ".json")):
                text = open(os.path.join(dirpath, name), encoding="utf-8").read()
                for e in emails:
                    if e in text:
                        failed.append("%s: holds a commenter's e-mail address" % name)
            if name.endswith(".html"):
                text = open(os.path.join(dirpath, name), encoding="utf-8").read()
                seen_ids.update(re.findall(r'<li class="comment" id="comment-(\d+)"', text))
                for e in emails:
                    if e in text:
                        failed.append("%s: holds a commenter's e-mail address" % os.path.relpath(
                            os.path.join(dirpath, name), out))
                for href in re.findall(r'href="([^"]*)"', text):
                    if " " in href:
                        failed.append("%s: href with a space: %s" % (
                            os.path.relpath(os.path.join(dirpath, name), out), href))
                        break
    checked += len(shown) + len(withheld)
    for cid in sorted(shown - seen_ids):
        failed.append("approved comment %s is not shown" % cid)
    for cid in sorted(withheld & seen_ids):
        failed.append("comment %s is not approved but is published" % cid)
    return checked, failed


def main():
    byline, export = sys.argv[1:3]
    tmp = tempfile.mkdtemp(prefix="byline-links-")
    try:
        checked, failed = check_export(byline, export, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failed:
        print("FAIL:", f)
    print("%d passed, %d failed" % (checked - len(failed), len(failed)))
    sys.exit(1 if failed or checked == 0 else 0)


if __name__ == "__main__":
    main()

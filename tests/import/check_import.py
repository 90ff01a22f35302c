#!/usr/bin/python3
"""Integration tests for the WordPress importer over ../shared/testdata/wxr.

Every expectation here is computed from the export itself with
xml.etree (a different parser from the importer's pugixml), never copied
from the importer's output.

usage: check_import.py IMPORT_TOOL WXR_DIR
"""
import datetime
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

TOOL, WXR = sys.argv[1], sys.argv[2]
MALFORMED = {
    "malformed.xml":
        "malformed.xml:90:3: error: malformed XML: </channel> does not close <notachanneltag> "
        "(opened at line 27)",
    "malformed-simple.xml":
        "malformed-simple.xml:13:44: error: malformed XML: the file ends before <item> "
        "(opened at line 9) is closed",
    "crazy-cdata.xml":
        "crazy-cdata.xml:18:70: error: malformed XML: \"]]>\" outside a CDATA section (a CDATA "
        "section was closed too early; WordPress splits it as \"]]]]><![CDATA[>\")",
}
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run_import(export, out, *extra):
    p = subprocess.run([TOOL, "import", "wordpress", export, "-o", out, *extra], capture_output=True,
                       text=True)
    return p.returncode, p.stdout, p.stderr


def wp(tag, ns):
    return "{%s}%s" % (ns, tag)


def wp_ns(root):
    # The WordPress namespace the export declares (1.0, 1.1 or 1.2).
    for el in root.iter():
        m = re.match(r"\{(https?://wordpress\.org/export/1\.\d+/)\}", el.tag)
        if m:
            return m.group(1)
    raise SystemExit("no wp namespace")


def front_matter(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("---\n"), path
    end = text.index("\n---\n", 4)
    fm = {}
    key = None
    for line in text[4:end].split("\n"):
        if line.startswith("  - ") and key:
            # A list of maps (comments): "  - k: v" starts an entry.
            if not isinstance(fm[key], list):
                fm[key] = []
            k, v = line[4:].split(": ", 1)
            fm[key].append({k: json.loads(v)})
            continue
        if line.startswith("    ") and key and isinstance(fm[key], list):
            k, v = line.strip().split(": ", 1)
            fm[key][-1][k] = json.loads(v)
            continue
        if line.startswith("  ") and key:
            k, v = line.strip().split(": ", 1)
            fm[key][json.loads(k)] = json.loads(v)
            continue
        key, value = line.split(":", 1)
        value = value.strip()
        if value == "":
            fm[key] = {}
        elif value in ("true", "false"):
            fm[key] = value == "true"
        elif re.fullmatch(r"-?\d+", value):
            fm[key] = int(value)
        else:
            fm[key] = json.loads(value)  # the importer's quoting is JSON-compatible
    return fm, text[end + 5:]


def site_files(site):
    by_id = {}
    for dirpath, _, files in os.walk(os.path.join(site, "content")):
        for name in files:
            if name.endswith(".md"):
                path = os.path.join(dirpath, name)
                fm, body = front_matter(path)
                by_id[fm["wordpress_id"]] = (path, fm, body)
    return by_id


def report_number(report, label):
    m = re.search(r"^  %s\s+(\d+)$" % re.escape(label), report, re.M)
    return int(m.group(1)) if m else None


def unescape_md(s):
    return re.sub(r"\\(.)", r"\1", s)


class TextOf(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.images = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            src = dict(attrs).get("src")
            if src:
                self.images.append(src)


def words(s):
    return set(w for w in re.findall(r"\w{3,}", s))


def expected_date(local, gmt):
    lt = datetime.datetime.strptime(local, "%Y-%m-%d %H:%M:%S")
    if gmt.startswith("0000"):
        return None
    gt = datetime.datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S")
    minutes = round((lt - gt).total_seconds() / 60 / 15) * 15
    if minutes == 0:
        return lt.strftime("%Y-%m-%dT%H:%M:%S") + "Z"
    sign = "+" if minutes > 0 else "-"
    return lt.strftime("%Y-%m-%dT%H:%M:%S") + "%s%02d:%02d" % (sign, abs(minutes) // 60,
                                                              abs(minutes) % 60)


tmp = tempfile.mkdtemp(prefix="byline-import-test-")
try:
    # 1. Every export imports; the malformed ones fail with a located
    #    diagnostic and leave nothing behind.
    for name in sorted(os.listdir(WXR)):
        if not name.endswith(".xml"):
            continue
        out = os.path.join(tmp, "sites", name[:-4])
        os.makedirs(os.path.dirname(out), exist_ok=True)
        rc, stdout, stderr = run_import(os.path.join(WXR, name), out)
        if name in MALFORMED:
            check(rc == 1, "%s: exit status %d, expected 1" % (name, rc))
            first = stderr.split("\n")[0]
            check(first == os.path.join(WXR, MALFORMED[name]),
                  "%s: diagnostic %r, expected %r" % (name, first, MALFORMED[name]))
            check(not os.path.exists(out), "%s: output folder left behind" % name)
        else:
            check(rc == 0, "%s: exit status %d: %s" % (name, rc, stderr))
            check(os.path.isfile(os.path.join(out, "byline.toml")), "%s: no byline.toml" % name)
        # The publisher's staging folder, retired trees and parking place
        # (.NAME.byline-staging, -old-*, -previous) are all gone by the end.
        leftovers = [n for n in os.listdir(os.path.dirname(out)) if ".byline-" in n]
        check(not leftovers, "%s: staging folders left: %s" % (name, leftovers))

    # 2. Theme unit test data: counts and per-item front matter.
    name = "themeunittestdata.wordpress.xml"
    export = os.path.join(WXR, name)
    site = os.path.join(tmp, "theme")
    rc, report, stderr = run_import(export, site)
    check(rc == 0, "theme import failed: " + stderr)
    root = ET.parse(export).getroot()
    W = wp_ns(root)
    items = root.find("channel").findall("item")
    live = []
    counts = {"published posts": 0, "published pages": 0, "drafts": 0, "scheduled": 0,
              "password-protected": 0}
    # Terms as WordPress served them: the channel's list is the term table;
    # an item's nicename the list lacks, for a name exactly one listed term
    # has, is stale and means that term. A second listed term with a name
    # already taken is named after its parent ("Foo A (Foo Parent)").
    listed = {"post_tag": [], "category": []}
    for t in root.iter(wp("tag", W)):
        listed["post_tag"].append((t.findtext(wp("tag_slug", W)), t.findtext(wp("tag_name", W)), ""))
    for t in root.iter(wp("category", W)):
        listed["category"].append((t.findtext(wp("category_nicename", W)),
                                   t.findtext(wp("cat_name", W)),
                                   t.findtext(wp("category_parent", W)) or ""))
    term_name = {}
    for tax, terms in listed.items():
        by_slug = {slug: name for slug, name, _ in terms}
        taken = set()
        for slug, name, parent in terms:
            if name.lower() in taken:
                name = "%s (%s)" % (name, by_slug.get(parent, parent))
            taken.add(name.lower())
            term_name[(tax, slug)] = name

    def resolve(c):
        tax, slug, name = c.get("domain"), c.get("nicename"), c.text
        if (tax, slug) not in term_name:
            same = [s for s, n, _ in listed.get(tax, []) if n == name]
            if len(same) == 1:
                slug = same[0]
        return slug, term_name.get((tax, slug), name)

    tag_slugs = {slug for slug, _, _ in listed["post_tag"]}
    cat_slugs = {slug for slug, _, _ in listed["category"]}
    for it in items:
        ptype = it.findtext(wp("post_type", W))
        status = it.findtext(wp("status", W))
        if ptype not in ("post", "page") or status in ("trash", "auto-draft", "inherit"):
            continue
        live.append(it)
        password = (it.findtext(wp("post_password", W)) or "") != ""
        if password:
            counts["password-protected"] += 1
        elif status == "publish":
            counts["published posts" if ptype == "post" else "published pages"] += 1
        elif status in ("draft", "pending"):
            counts["drafts"] += 1
        elif status == "future":
            counts["scheduled"] += 1
        for c in it.findall("category"):
            if c.get("domain") == "post_tag":
                tag_slugs.add(resolve(c)[0])
            if c.get("domain") == "category":
                cat_slugs.add(resolve(c)[0])
    counts["tags"] = len(tag_slugs)
    counts["categories"] = len(cat_slugs)
    counts["attachments"] = sum(1 for it in items
                                if it.findtext(wp("post_type", W)) == "attachment")
    for label, n in counts.items():
        check(report_number(report, label) == n,
              "theme: report says %s = %s, the export has %d" % (label, report_number(report, label), n))
    check(counts["drafts"] >= 1 and counts["scheduled"] >= 1, "theme: fixture lost its drafts")

    files = site_files(site)
    check(len(files) == len(live), "theme: %d files for %d items" % (len(files), len(live)))
    non_ascii = 0
    for it in live:
        pid = int(it.findtext(wp("post_id", W)))
        if pid not in files:
            check(False, "theme: item %d not imported" % pid)
            continue
        path, fm, body = files[pid]
        title = it.findtext("title") or ""
        check(fm.get("title") == title, "theme %d: title %r != %r" % (pid, fm.get("title"), title))
        slug = urllib.parse.unquote(it.findtext(wp("post_name", W)) or "")
        if slug:
            check(fm.get("slug") == slug, "theme %d: slug %r != %r" % (pid, fm.get("slug"), slug))
            if any(ord(ch) > 127 for ch in slug):
                non_ascii += 1
                check(os.path.basename(path) == slug + ".md",
                      "theme %d: non-ASCII slug not kept in file name %s" % (pid, path))
        want_date = expected_date(it.findtext(wp("post_date", W)), it.findtext(wp("post_date_gmt", W)))
        if want_date:
            check(fm.get("date") == want_date, "theme %d: date %r != %r" % (pid, fm.get("date"), want_date))
        tags = [resolve(c)[1] for c in it.findall("category") if c.get("domain") == "post_tag"]
        cats = [resolve(c)[1] for c in it.findall("category") if c.get("domain") == "category"]
        check(sorted(set(fm.get("tags", []))) == sorted(set(tags)),
              "theme %d: tags %r != %r" % (pid, fm.get("tags"), tags))
        check(sorted(set(fm.get("categories", []))) == sorted(set(cats)),
              "theme %d: categories %r != %r" % (pid, fm.get("categories"), cats))
        status = it.findtext(wp("status", W))
        password = (it.findtext(wp("post_password", W)) or "") != ""
        check(fm.get("draft", False) == (status in ("draft", "pending", "private") or password),
              "theme %d: draft flag wrong" % pid)
        check(("/?p=%d" % pid) in fm.get("aliases", []), "theme %d: no ?p= alias" % pid)
        if it.findtext(wp("post_type", W)) == "page":
            check(fm.get("url") == urllib.parse.unquote(urllib.parse.urlparse(it.findtext("link")).path),
                  "theme %d: page url %r" % (pid, fm.get("url")))
        check(fm.get("pinned", False) == (it.findtext(wp("is_sticky", W)) == "1"),
              "theme %d: pinned flag wrong" % pid)
        content = it.findtext(CONTENT + "encoded") or ""
        # [caption] becomes a figure paragraph whose title is the caption.
        for m in re.finditer(r"\[caption[^\]]*\](.*?)\[/caption\]", content, re.S):
            inner = m.group(1)
            cap = re.sub(r"<[^>]+>", "", re.sub(r"^\s*(<a[^>]*>)?\s*<img[^>]*>\s*(</a>)?", "", inner)).strip()
            if not cap:
                cap = re.search(r'caption="([^"]*)"', m.group(0)).group(1)
            figure = re.search(r'^!\[[^\]]*\]\([^ )]+ "%s' % re.escape(cap.split(" | ")[0][:20]),
                               body, re.M)
            if figure is None and re.search(r"<a |<em>|<strong>", inner):
                # A caption with links or emphasis stays an HTML figure.
                captions = [re.sub(r"<[^>]+>", "", c) for c in re.findall(
                    r"<figure>.*?<figcaption>(.*?)</figcaption>", body, re.S)]
                figure = next((c for c in captions if cap[:20] in c), None)
            check(figure is not None, "theme %d: caption %r is not a figure" % (pid, cap))
        check("[caption" not in body and "[gallery" not in body,
              "theme %d: shortcode left in body" % pid)
    check(non_ascii >= 2, "theme: expected non-ASCII slugs, found %d" % non_ascii)
    # Classic-editor paragraphs, stated independently of wpautop: a run of
    # plain text lines between blank lines is one paragraph whose single
    # newlines are line breaks.
    plain_paragraphs = 0
    for it in live:
        content = it.findtext(CONTENT + "encoded") or ""
        if "<!-- wp:" in content:
            continue
        pid = int(it.findtext(wp("post_id", W)))
        md_paragraphs = files[pid][2].strip("\n").split("\n\n")
        md_lines = [[" ".join(unescape_md(l[:-1] if l.endswith("\\") else l).split())
                     for l in p.split("\n")] for p in md_paragraphs]
        for chunk in re.split(r"\n\s*\n", content.replace("\r\n", "\n")):
            # HTML collapses runs of spaces; compare what a reader sees.
            lines = [" ".join(l.split()) for l in chunk.strip("\n").split("\n")]
            if not chunk.strip() or any(c in chunk for c in "<>[]&*_`#\\") or \
                    any(re.match(r"^(\d+[.)]|[-+=|])", l) for l in lines):
                continue
            if len(lines) == 1 and re.fullmatch(r"https?://\S+", lines[0]):
                # An oEmbed URL alone on its line becomes a link to itself.
                check("[%s](%s)" % (lines[0], lines[0]) in unescape_md(files[pid][2]),
                      "theme %d: embed %s is not a link" % (pid, lines[0]))
                continue
            plain_paragraphs += 1
            check(lines in md_lines, "theme %d: paragraph %r not kept as one paragraph" % (pid, lines))
    check(plain_paragraphs >= 20, "theme: only %d plain paragraphs checked" % plain_paragraphs)
    # Every published item's old link is its new URL: its url, the permalink
    # pattern applied to its date and slug, or one of its aliases.
    pattern = re.search(r'^posts = "([^"]*)"', open(os.path.join(site, "byline.toml"),
                                                     encoding="utf-8").read(), re.M).group(1)
    for it in live:
        if it.findtext(wp("status", W)) != "publish" or it.findtext(wp("post_password", W)):
            continue
        pid = int(it.findtext(wp("post_id", W)))
        fm = files[pid][1]
        link = urllib.parse.urlparse(it.findtext("link"))
        old_path = urllib.parse.unquote(link.path) + ("?" + link.query if link.query else "")
        date = fm["date"]
        new = fm.get("url") or (pattern.replace(":year", date[0:4]).replace(":month", date[5:7])
                                .replace(":day", date[8:10]).replace(":slug", fm["slug"]))
        check(old_path == new or old_path in fm.get("aliases", []),
              "theme %d: old link %s is neither the new URL %s nor an alias" % (pid, old_path, new))
    toml = open(os.path.join(site, "byline.toml"), encoding="utf-8").read()
    check('base_url = "https://wpthemetestdata.wordpress.com/"' in toml, "theme: base_url")
    check('posts = "/:year/:month/:day/:slug/"' in toml, "theme: permalink pattern")
    check(os.path.isfile(os.path.join(site, "attachments.csv")), "theme: no attachments.csv")

    # 3. Paragraphs as wpautop gives them.
    for name, want in [
        ("blank-lines.xml", "first paragraph\n\nsecond paragraph\n"),
        ("post-content-blank-lines.xml",
         "This is an example of a WordPress post.\\\nIt has lines with text (and one blank line)."
         "\n\nAnd more lines with text.\n"),
        ("backslashes.xml", "C:\\\\xampp\\\\htdocs\\\\wp-content\n"),
        ("multiple-cdata.xml", "line oneline twoline three\n"),
        ("cdata-edge.xml", "ends with sequence \\]\\] >\n"),
        ("crazy-cdata-escaped.xml", "Content with nested <![CDATA[ tags ]]> :)\n"),
    ]:
        body = list(site_files(os.path.join(tmp, "sites", name[:-4])).values())[0][2]
        check(body == "\n" + want, "%s: body %r, expected %r" % (name, body, "\n" + want))

    # 4. Block content: comments gone, every block's text and images kept.
    export = os.path.join(WXR, "64-block-test-data.xml")
    broot = ET.parse(export).getroot()
    BW = wp_ns(broot)
    bfiles = site_files(os.path.join(tmp, "sites", "64-block-test-data"))
    checked = 0
    for it in broot.find("channel").findall("item"):
        if it.findtext(wp("post_type", BW)) not in ("post", "page"):
            continue
        pid = int(it.findtext(wp("post_id", BW)))
        body = bfiles[pid][2]
        check("<!-- wp:" not in body and "<!-- /wp:" not in body, "blocks %d: block comment left" % pid)
        parser = TextOf()
        html_text = re.sub(r"<!--.*?-->", "", it.findtext(CONTENT + "encoded") or "", flags=re.S)
        # A shortcode's own text is not content: [gallery ids=...] becomes its images.
        html_text = re.sub(r"\[/?[a-z_]+[^\]]*\]", "", html_text)
        parser.feed(html_text)
        text_words = words(html.unescape(" ".join(parser.parts)))
        missing = text_words - words(unescape_md(body)) - words(html.unescape(body))
        check(not missing, "blocks %d: words lost: %s" % (pid, sorted(missing)[:10]))
        for src in parser.images:
            base = os.path.basename(urllib.parse.urlparse(src).path)
            check(base in body, "blocks %d: image %s lost" % (pid, base))
        checked += 1
    check(checked > 10, "blocks: only %d items checked" % checked)

    # 5. UTF-8, namespaces and terms come through intact.
    u = list(site_files(os.path.join(tmp, "sites", "wxr-utf-8-challenges")).values())[0][1]
    uroot = ET.parse(os.path.join(WXR, "wxr-utf-8-challenges.xml")).getroot()
    uit = uroot.find("channel").find("item")
    check(u["title"] == uit.findtext("title"), "utf-8: title changed")
    check(u["slug"] == uit.findtext(wp("post_name", wp_ns(uroot))), "utf-8: slug changed")
    check(u["categories"] == [uit.find("category").text], "utf-8: category changed")
    ns_ids = sorted(site_files(os.path.join(tmp, "sites", "namespace-edge-cases")))
    check(ns_ids == [1, 2, 3, 4, 6], "namespaces: imported ids %s" % ns_ids)

    # 6. Safety: a non-site folder is refused; user edits survive re-import.
    other = os.path.join(tmp, "not-a-site")
    os.makedirs(other)
    open(os.path.join(other, "notes.txt"), "w").write("mine")
    rc, _, stderr = run_import(os.path.join(WXR, "wxr-simple.xml"), other)
    check(rc == 1 and "refusing" in stderr, "non-site folder not refused: %r" % stderr)
    check(os.listdir(other) == ["notes.txt"], "non-site folder touched")
    theme_files = site_files(site)
    path, fm, body = theme_files[sorted(theme_files)[0]]
    with open(path, "a", encoding="utf-8") as f:
        f.write("\nMy own note.\n")
    untouched = theme_files[sorted(theme_files)[1]][0]
    os.remove(untouched)
    rc, report, _ = run_import(os.path.join(WXR, "themeunittestdata.wordpress.xml"), site)
    check(rc == 0 and "My own note." in open(path, encoding="utf-8").read(),
          "re-import overwrote an edited file")
    check(not os.path.exists(untouched), "re-import brought back a file the user deleted")
    check(report_number(report, "files kept (edited)") == 2, "re-import: kept count")
    rc, report, _ = run_import(os.path.join(WXR, "themeunittestdata.wordpress.xml"), site, "--force")
    check(rc == 0 and "My own note." not in open(path, encoding="utf-8").read(),
          "--force did not overwrite the edited file")
    check(os.path.exists(untouched), "--force did not restore the deleted file")
    # Each re-import replaced the site; the old one is deleted before it returns.
    beside = [n for n in os.listdir(os.path.dirname(site)) if ".byline-" in n]
    check(not beside, "re-import left %s beside the site" % beside)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("%d passed, %d failed" % (checks - len(failures), len(failures)))
sys.exit(1 if failures else 0)

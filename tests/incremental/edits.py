"""Random edits of a byline site, for the incremental-build tests.

An Editor holds a site folder, a seeded random generator and the build's
clock (--now), and applies one edit at a time: each edit changes the site
the way a writer would (a post's body or title, its date, tags, draft flag,
a new post, a deletion, a rename, a template override, the config, a data
file, a static file, an appearance, the clock, an image) and returns a line
saying what it did. Everything it chooses comes from the generator and
sorted listings, so a seed gives the same sequence of edits every time.

Some edits are invalid on purpose (broken front matter, a bad appearance, a
broken template): the build must then fail with a located error, and the
next step restores the file.
"""
import datetime as dt
import os
import re
import shutil

import sitelib as sl

DEFAULT_TEMPLATES = ["404.html", "appearances.html", "archive.html", "base.html", "index.html",
                     "page.html", "post.html", "section.html", "taxonomy.html", "term.html",
                     "partials/appearances.html", "partials/authors.html", "partials/bio.html",
                     "partials/correction.html", "partials/entries.html", "partials/entry.html",
                     "partials/footer.html", "partials/nav.html", "partials/pagination.html",
                     "partials/post_meta.html", "partials/term_heading.html", "partials/terms.html"]

# What an override adds to a template: each reads another part of the site,
# so that the dependencies of every kind are exercised. Guarded so that
# they render wherever they are put.
SNIPPETS = [
    "<i>mark {n}</i>",
    "{{% if page is defined and page %}}<i>{n}:{{{{ page.word_count }}}}/{{{{ page.reading_time }}}}</i>{{% endif %}}",
    "{{% if page is defined and page and page.prev %}}<i>{n}:{{{{ page.prev.title }}}}</i>{{% endif %}}"
    "{{% if page is defined and page and page.next %}}<i>{{{{ page.next.url }}}}</i>{{% endif %}}",
    "<i>{n}:{{{{ site.posts | length }}}}{{% if site.posts %}}:{{{{ site.posts[0].title }}}}{{% endif %}}</i>",
    "{{% set q = get_page(\"about.md\") %}}<i>{n}:{{% if q %}}{{{{ q.title }}}}{{% endif %}}</i>",
    "<i>{n}:{{{{ site.appearances | length }}}}</i>",
    "{{% if site.taxonomies.tags is defined %}}<i>{n}:{{{{ site.taxonomies.tags.terms | length }}}}</i>{{% endif %}}",
    "<i>{n}:{{{{ now().month }}}}-{{{{ now().day }}}}</i>",
    "{{% if page is defined and page %}}<i>{n}:{{{{ page.tags | map(attribute=\"name\") | join(\",\") }}}}</i>{{% endif %}}",
    "<i>{n}:{{{{ site.year_archives | length }}}}</i>",
    "<i>{n}:{{% for s in site.sections %}}{{{{ s.title }}}}={{{{ s.pages | length }}}};{{% endfor %}}</i>",
    "{{% if term is defined and term %}}<i>{n}:{{{{ term.count }}}}/{{{{ term.post_count }}}}</i>{{% endif %}}",
    "{{% if paginator is defined and paginator %}}<i>{n}:{{{{ paginator.total_items }}}}</i>{{% endif %}}",
    "{{% set s = get_section(\"notes\") %}}<i>{n}:{{% if s %}}{{{{ s.pages | length }}}}{{% endif %}}</i>",
    "{{% if page is defined and page %}}<i>{n}:{{{{ page.content | length }}}}</i>{{% endif %}}",
    "{{% if page is defined and page %}}<i>{n}:{{{{ page.summary | striptags | length }}}}</i>{{% endif %}}",
    "{{% set t = get_taxonomy(\"tags\") %}}<i>{n}:{{% if t %}}{{{{ t.terms | length }}}}:{{{{ (t.terms | first).name }}}}{{% endif %}}</i>",
    "{{% if page is defined and page %}}<i>{n}:{{% for o in page.outlets %}}{{{{ o.name }}}}={{{{ o.home }}}};{{% endfor %}}</i>{{% endif %}}",
    "<i>{n}:{{% if site.home %}}{{{{ site.home.title }}}}{{% endif %}}:{{{{ site.date_archives | length }}}}</i>",
    "{{% if page is defined and page %}}<i>{n}:{{{{ page.lastmod }}}}|{{{{ page.expiry_date }}}}|{{{{ page.toc | length }}}}</i>{{% endif %}}",
    "<i>{n}:{{% for a in site.appearances[:2] %}}{{{{ a.sentence }}}}{{% endfor %}}</i>",
    "{{% if term is defined and term %}}<i>{n}:{{{{ term.home }}}}:{{{{ term.appearances | length }}}}</i>{{% endif %}}",
    "{{% set s = get_section(\"notes\") %}}<i>{n}:{{% if s %}}{{{{ s.title }}}}{{% endif %}}</i>",
    "{{% if page is defined and page and page.appearances %}}<i>{n}:{{% for a in page.appearances %}}{{{{ a.outlet }}}};{{% endfor %}}</i>{{% endif %}}",
]
# partials/entry.html is rendered once per post through include_cached():
# it may read only its key (p) and the site.
ENTRY_SNIPPETS = [
    "<i>entry {n}</i>",
    "<i>{n}:{{{{ p.word_count }}}}:{{{{ p.date }}}}</i>",
    "<i>{n}:{{{{ p.tags | map(attribute=\"name\") | join(\",\") }}}}</i>",
    "<i>{n}:{{{{ site.posts | length }}}}</i>",
    "<i>{n}:{{{{ p.content | length }}}}</i>",
    "<i>{n}:{{{{ p.outlets | map(attribute=\"name\") | join(\",\") }}}}:{{{{ p.summary | length }}}}</i>",
]
MARK = re.compile(r"\{#~m#\}.*?\{#~/m#\}", re.S)

FEED_TEMPLATE = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
                 "<title>{{ feed.title }} ({n})</title><link>{{ feed.url }}</link>"
                 "{% for p in feed.pages %}<item><title>{{ p.title }}</title>"
                 "<link>{{ p.permalink }}</link></item>{% endfor %}</channel></rss>\n")
SENTENCE_TEMPLATE = ("{{{{ appearance.verb }}}} <em>{{{{ appearance.outlet }}}}</em> ({n})"
                     "{{% if appearance.topic %}} on {{{{ appearance.topic }}}}{{% endif %}}.")

KINDS = ["interview", "quoted", "broadcast", "podcast", "op-ed", "event"]
OUTLETS = ["The Morning Ledger", "Evening Courier", "Financial Review", "Harbour Post",
           "Radio Meridian", "The Northern Quarterly", "Kanal Sieben", "Night Desk Weekly"]
NEW_TAGS = ["Harbours", "Ice", "Courts", "Grain", "Hong Kong", "hong kong", "Russia", "RUSSIA",
            "Energy", "Press Freedom", "Élections", "Tariffs"]


def fmt_now(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Invalid(Exception):
    pass


class Editor:
    def __init__(self, site, rng, now, source_dir):
        self.site = site
        self.rng = rng
        self.now = now  # datetime, UTC
        self.source_dir = source_dir
        self.serial = 0
        self.images = []        # static image paths (site-relative URLs) posts refer to
        self.expect_full = False
        self.expect_no_writes = False
        self.invalid = None     # (path, original text or None) to restore after an invalid edit
        self.weights = dict(EDITS)
        # When the last build into the output began (time.time_ns()).
        self.last_build_ns = 0

    # ------------------------------------------------------------ helpers

    def path(self, *parts):
        return os.path.join(self.site, *parts)

    def next_id(self):
        self.serial += 1
        return self.serial

    def md_files(self):
        out = []
        content = self.path("content")
        for dirpath, dirnames, filenames in os.walk(content):
            dirnames.sort()
            for f in sorted(filenames):
                if f.endswith(".md"):
                    out.append(os.path.relpath(os.path.join(dirpath, f), content))
        return sorted(out)

    def posts(self):
        """Pages inside a section folder: the posts."""
        return [p for p in self.md_files() if "/" in p and not p.endswith("_index.md")]

    def pick(self, items):
        return self.rng.choice(items) if items else None

    def load(self, rel):
        text = sl.read(self.path("content", rel))
        fm, body = sl.split_page(text)
        return fm, body

    def save(self, rel, fm, body):
        sl.write(self.path("content", rel), sl.join_page(fm, body), self.rng)

    def random_date(self, future=False):
        if future:
            t = self.now + dt.timedelta(days=self.rng.randint(0, 90), hours=self.rng.randint(1, 23),
                                        minutes=self.rng.randint(0, 59))
        else:
            start = dt.datetime(2016, 6, 1, tzinfo=dt.timezone.utc)
            span = int((self.now - start).total_seconds()) - 86400
            t = start + dt.timedelta(seconds=self.rng.randint(0, span))
        style = self.rng.randrange(4)
        if style == 0:
            return t.strftime("%Y-%m-%d")
        if style == 1:
            return t.strftime("%Y-%m-%dT%H:%M:%SZ")
        if style == 2:
            return (t + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00")
        return t.strftime("%Y-%m-%d %H:%M")

    def all_tags(self):
        tags = set()
        for rel in self.posts():
            fm, _ = self.load(rel)
            if fm:
                tags.update(sl.parse_flow_list(sl.get_field(fm, "tags")))
        return sorted(tags)

    def title(self):
        t = sl.words(self.rng, 2, 7)
        t = t[0].upper() + t[1:]
        r = self.rng.random()
        if r < 0.15:
            t += " & <friends> — ‘quoted’"
        elif r < 0.25:
            t = "Ünïcode " + t
        return t

    def new_post_text(self, date=None):
        fm = ["title: " + sl.yaml_quote(self.title()), "date: " + (date or self.random_date())]
        tags = self.rng.sample(self.all_tags() + NEW_TAGS, self.rng.randint(0, 3))
        if tags:
            fm.append("tags: " + sl.flow_list(tags))
        if self.rng.random() < 0.6:
            fm.append("categories: " + sl.flow_list(self.rng.sample(["Analysis", "Notes", "Commentary"], 1)))
        if self.rng.random() < 0.4:
            fm.append("outlet: " + sl.yaml_quote(self.pick(OUTLETS)))
        if self.rng.random() < 0.2:
            fm.append("summary: " + sl.yaml_quote(sl.sentence(self.rng)))
        if self.rng.random() < 0.15:
            fm.append("authors: " + sl.flow_list(self.rng.sample(["Tomas Reyes", "Ben Co", "Ana Writer"], 1)))
        if self.rng.random() < 0.1:
            fm.append("aliases: [\"/old/alias-%d/\"]" % self.next_id())
        if self.rng.random() < 0.15:
            fm += self.appearance_lines("  ", self.random_date())
            fm.insert(len(fm) - 6, "appearances:")
        body = "\n\n".join(sl.paragraph(self.rng) for _ in range(self.rng.randint(1, 5))) + "\n"
        return sl.join_page(fm, "\n" + body)

    def appearance_lines(self, indent, date):
        n = self.next_id()
        return [indent[:-2] + "- date: " + date.split("T")[0].split(" ")[0],
                indent + "outlet: " + sl.yaml_quote(self.pick(OUTLETS)),
                indent + "kind: " + self.pick(KINDS),
                indent + "topic: " + sl.yaml_quote("Topic %d: %s" % (n, sl.words(self.rng, 2, 5))),
                indent + "url: \"https://outlet.example/%d\"" % n,
                indent + "language: en"]

    def site_config(self):
        return sl.read(self.path("byline.toml"))

    def theme(self):
        m = re.search(r'^theme = "([^"]+)"', self.site_config(), re.M)
        return m.group(1) if m else None

    def template_layers(self):
        layers = ["templates"]
        if self.theme():
            layers.append(os.path.join("themes", self.theme(), "templates"))
        return layers

    def overrides(self):
        out = []
        for layer in self.template_layers():
            root = self.path(layer)
            for dirpath, _, files in os.walk(root):
                for f in files:
                    out.append(os.path.relpath(os.path.join(dirpath, f), self.site))
        return sorted(out)

    def snippet(self, name):
        pool = ENTRY_SNIPPETS if name.endswith("partials/entry.html") else SNIPPETS
        return "{#~m#}" + self.rng.choice(pool).format(n=self.next_id()) + "{#~/m#}"

    # ------------------------------------------------------------ edits
    # Each returns a description, or None when it does not apply.

    def edit_body(self):
        rel = self.pick(self.md_files())
        fm, body = self.load(rel)
        paras = body.split("\n\n")
        i = self.rng.randrange(len(paras) + 1)
        what = self.rng.random()
        if what < 0.5 or len(paras) < 2:
            paras.insert(i, sl.paragraph(self.rng))
            how = "paragraph inserted"
        elif what < 0.8:
            i = min(i, len(paras) - 1)
            paras[i] = sl.paragraph(self.rng)
            how = "paragraph replaced"
        else:
            i = min(i, len(paras) - 1)
            del paras[i]
            how = "paragraph deleted"
        body = "\n\n".join(paras)
        if fm is None:
            sl.write(self.path("content", rel), body, self.rng)
        else:
            self.save(rel, fm, body)
        return "body of %s: %s at %d" % (rel, how, i)

    def edit_title(self):
        rel = self.pick(self.md_files())
        fm, body = self.load(rel)
        if fm is None:
            return None
        if self.rng.random() < 0.15:
            other = self.pick(self.posts())
            ofm, _ = self.load(other)
            t = sl.get_field(ofm or [], "title")
            if not t:
                return None
            fm = sl.set_field(fm, "title", t)
            self.save(rel, fm, body)
            return "title of %s = title of %s" % (rel, other)
        t = self.title()
        fm = sl.set_field(fm, "title", sl.yaml_quote(t))
        self.save(rel, fm, body)
        return "title of %s: %r" % (rel, t)

    def edit_date(self):
        rel = self.pick(self.posts())
        fm, body = self.load(rel)
        if fm is None:
            return None
        if self.rng.random() < 0.15:
            other = self.pick(self.posts())
            ofm, _ = self.load(other)
            d = sl.get_field(ofm or [], "date")
            if not d:
                return None
            src = "date of " + other
        else:
            # Now and then into the future, where the post is left out.
            d = self.random_date(future=self.rng.random() < 0.1)
            src = d
        fm = sl.set_field(fm, "date", d)
        self.save(rel, fm, body)
        return "date of %s: %s" % (rel, src)

    def edit_tags(self):
        rel = self.pick(self.posts())
        fm, body = self.load(rel)
        if fm is None:
            return None
        key = "tags" if self.rng.random() < 0.8 else "categories"
        items = sl.parse_flow_list(sl.get_field(fm, key))
        if items and self.rng.random() < 0.45:
            gone = items.pop(self.rng.randrange(len(items)))
            how = "removed %r" % gone
        else:
            pool = [t for t in self.all_tags() + NEW_TAGS if t not in items]
            if key == "categories":
                pool = [c for c in ["Analysis", "Notes", "Commentary", "Republished", "Field Notes"] if c not in items]
            new = self.pick(pool)
            if new is None:
                return None
            items.insert(self.rng.randint(0, len(items)), new)
            how = "added %r" % new
        fm = sl.set_field(fm, key, sl.flow_list(items)) if items else sl.remove_field(fm, key)
        self.save(rel, fm, body)
        return "%s of %s: %s" % (key, rel, how)

    def edit_draft(self):
        rel = self.pick(self.posts())
        fm, body = self.load(rel)
        if fm is None:
            return None
        if sl.get_field(fm, "draft") is not None:
            fm = sl.remove_field(fm, "draft")
            how = "draft removed"
        else:
            fm = sl.set_field(fm, "draft", "true")
            how = "draft: true"
        self.save(rel, fm, body)
        return "%s: %s" % (rel, how)

    def edit_field(self):
        """The writer's other fields: outlet, authors, aliases, weight, lastmod, slug, expiry."""
        rel = self.pick(self.posts())
        fm, body = self.load(rel)
        if fm is None:
            return None
        key = self.rng.choice(["outlet", "authors", "aliases", "weight", "lastmod", "slug",
                               "expiry_date", "standfirst", "correction", "url"])
        if sl.get_field(fm, key) is not None and self.rng.random() < 0.5:
            fm = sl.remove_field(fm, key)
            how = "removed"
        else:
            value = {
                "outlet": lambda: sl.yaml_quote(self.pick(OUTLETS)),
                "authors": lambda: sl.flow_list(self.rng.sample(["Tomas Reyes", "Ben Co", "Ana Writer"],
                                                                self.rng.randint(1, 2))),
                "aliases": lambda: "[\"/old/alias-%d/\"]" % self.next_id(),
                "weight": lambda: str(self.rng.randint(-3, 3)),
                "lastmod": lambda: self.random_date(),
                "slug": lambda: sl.yaml_quote("slug-%d" % self.next_id()),
                "expiry_date": lambda: self.random_date(future=self.rng.random() < 0.7),
                "url": lambda: sl.yaml_quote("/pinned/page-%d/" % self.next_id()),
                "standfirst": lambda: sl.yaml_quote(sl.sentence(self.rng)),
                "correction": lambda: sl.yaml_quote("Corrected: " + sl.sentence(self.rng)),
            }[key]()
            fm = sl.set_field(fm, key, value)
            how = value
        self.save(rel, fm, body)
        return "%s of %s: %s" % (key, rel, how)

    def add_post(self, future=False):
        n = self.next_id()
        date = self.random_date(future=future)
        year = date[:4]
        where = self.rng.random()
        if where < 0.6:
            rel = "posts/%s/new-post-%d.md" % (year, n)
        elif where < 0.8:
            rel = "posts/%s/new-bundle-%d/index.md" % (year, n)
        else:
            rel = "notes/new-note-%d.md" % n
        text = self.new_post_text(date)
        if rel.endswith("/index.md") and self.rng.random() < 0.6:
            name = "pic-%d.png" % n
            sl.write(self.path("content", os.path.dirname(rel), name),
                     sl.png(self.rng.randint(1, 40), self.rng.randint(1, 40)))
            text += "\n![A picture %d](%s \"Caption %d | CREDIT: X\")\n" % (n, name, n)
        sl.write(self.path("content", rel), text)
        return "added %s (%s)" % (rel, date)

    def add_future_post(self):
        return self.add_post(future=True)

    def delete_post(self):
        rel = self.pick(self.posts())
        if rel is None:
            return None
        full = self.path("content", rel)
        if rel.endswith("/index.md") and self.rng.random() < 0.7:
            shutil.rmtree(os.path.dirname(full))
            return "deleted bundle %s" % os.path.dirname(rel)
        os.remove(full)
        return "deleted %s" % rel

    def rename_post(self):
        rel = self.pick(self.posts())
        if rel is None:
            return None
        n = self.next_id()
        if rel.endswith("/index.md"):
            old = os.path.dirname(rel)
            new = old + "-r%d" % n
            os.rename(self.path("content", old), self.path("content", new))
            return "renamed bundle %s -> %s" % (old, new)
        new = rel[:-3] + ("-r%d.md" if self.rng.random() < 0.8 else "-été-%d.md") % n
        os.rename(self.path("content", rel), self.path("content", new))
        return "renamed %s -> %s" % (rel, new)

    def move_post(self):
        rel = self.pick(self.posts())
        if rel is None:
            return None
        name = os.path.basename(os.path.dirname(rel)) + ".md" if rel.endswith("/index.md") else os.path.basename(rel)
        r = self.rng.random()
        if rel.endswith("/index.md"):
            src = os.path.dirname(rel)
            dst = "posts/%d/%s" % (self.rng.randint(2016, 2026), os.path.basename(src))
            if os.path.exists(self.path("content", dst)):
                return None
            os.makedirs(os.path.dirname(self.path("content", dst)), exist_ok=True)
            os.rename(self.path("content", src), self.path("content", dst))
            return "moved bundle %s -> %s" % (src, dst)
        if r < 0.4:
            dst = "posts/%d/%s" % (self.rng.randint(2016, 2026), name)
        elif r < 0.65:
            dst = "notes/" + name
        elif r < 0.8:
            dst = name  # a standalone page at the top
        else:
            dst = "posts/%d/%s/index.md" % (self.rng.randint(2016, 2026), name[:-3])
        if os.path.exists(self.path("content", dst)) or dst == rel:
            return None
        os.makedirs(os.path.dirname(self.path("content", dst)), exist_ok=True)
        os.rename(self.path("content", rel), self.path("content", dst))
        return "moved %s -> %s" % (rel, dst)

    def edit_divider(self):
        """Moves, adds or removes the summary divider <!--more--> or the
        intro marker <!-- article -->; sometimes drops a summary field."""
        rel = self.pick(self.md_files())
        fm, body = self.load(rel)
        if fm is None:
            return None
        if sl.get_field(fm, "summary") is not None and self.rng.random() < 0.5:
            fm = sl.remove_field(fm, "summary")
            self.save(rel, fm, body)
            return "summary field of %s removed" % rel
        marker = "<!--more-->" if self.rng.random() < 0.75 else "<!-- article -->"
        paras = [p for p in body.split("\n\n") if p.strip() != marker]
        had = len(paras) != len(body.split("\n\n"))
        if had and self.rng.random() < 0.3:
            how = "removed"
        else:
            i = self.rng.randint(1, max(1, len(paras)))
            paras.insert(i, marker)
            how = "at paragraph %d" % i
        self.save(rel, fm, "\n\n".join(paras))
        return "%s in %s: %s" % (marker, rel, how)

    def template_add(self):
        layer = self.rng.choice(self.template_layers())
        name = self.pick([t for t in DEFAULT_TEMPLATES if not os.path.exists(self.path(layer, t))])
        if name is None:
            return None
        # The site's override starts from what it overrides.
        base = None
        for lower in self.template_layers()[self.template_layers().index(layer) + 1:]:
            if os.path.exists(self.path(lower, name)):
                base = sl.read(self.path(lower, name))
                break
        if base is None:
            base = sl.read(os.path.join(self.source_dir, "themes", "default", "templates", name))
        sl.write(self.path(layer, name), self.insert_snippet(base, name))
        return "template %s/%s added" % (layer, name)

    def insert_snippet(self, text, name):
        snip = self.snippet(name)
        if MARK.search(text):
            return MARK.sub(lambda m: snip, text, count=1)
        if "{% extends" in text or "{%- extends" in text:
            blocks = list(re.finditer(r"\{%-?\s*block\s+\w+\s*-?%\}", text))
            m = self.rng.choice(blocks)
            return text[:m.end()] + snip + text[m.end():]
        return snip + "\n" + text

    def template_edit(self):
        # The theme's templates, not the sentence template: a snippet there
        # that reads a sentence is an error of the site (a template that
        # renders itself).
        name = self.pick([o for o in self.overrides() if o.split("templates/", 1)[-1] in DEFAULT_TEMPLATES])
        if name is None:
            return None
        text = sl.read(self.path(name))
        short = name.split("/templates/", 1)[-1].split("templates/", 1)[-1]
        sl.write(self.path(name), self.insert_snippet(text, short), self.rng)
        return "template %s edited" % name

    def template_delete(self):
        name = self.pick(self.overrides())
        if name is None:
            return None
        os.remove(self.path(name))
        return "template %s deleted" % name

    def template_special(self):
        """The templates that replace built-in parts: a feed template, the
        appearance sentence."""
        which = self.rng.choice(["rss.xml", "partials/appearance_sentence.html"])
        path = self.path("templates", which)
        if os.path.exists(path) and self.rng.random() < 0.5:
            os.remove(path)
            return "template templates/%s deleted" % which
        text = (FEED_TEMPLATE.replace("{n}", str(self.next_id())) if which == "rss.xml"
                else SENTENCE_TEMPLATE.format(n=self.next_id()))
        sl.write(path, text, self.rng)
        return "template templates/%s written" % which

    def edit_config(self):
        config = self.site_config()
        what = self.rng.choice(["paginate", "paginate", "summary_length", "archive_content", "date_archives"])
        if what == "paginate":
            value = str(self.rng.randint(1, 12))
            config = re.sub(r"^paginate = \d+", "paginate = " + value, config, count=1, flags=re.M)
        elif what == "summary_length":
            value = str(self.rng.randint(5, 80))
            if re.search(r"^summary_length = ", config, re.M):
                config = re.sub(r"^summary_length = \d+", "summary_length = " + value, config, count=1, flags=re.M)
            else:
                config = config.replace("paginate =", "summary_length = %s\npaginate =" % value, 1)
        elif what == "archive_content":
            value = self.rng.choice(["summary", "full"])
            config = re.sub(r'^archive_content = "\w+"\n', "", config, flags=re.M)
            config = config.replace("paginate =", 'archive_content = "%s"\npaginate =' % value, 1)
        else:
            value = self.rng.choice(["true", "false"])
            config = re.sub(r"^date_archives = \w+\n", "", config, flags=re.M)
            config = config.replace("paginate =", "date_archives = %s\npaginate =" % value, 1)
        sl.write(self.path("byline.toml"), config, self.rng)
        self.expect_full = True
        return "byline.toml: %s = %s" % (what, value)

    def edit_data(self):
        path = self.path("data", "outlets.toml")
        text = sl.read(path) if os.path.exists(path) else ""
        r = self.rng.random()
        if r < 0.5 and "url = " in text:
            urls = list(re.finditer(r'^url = "[^"]*"$', text, re.M))
            m = self.rng.choice(urls)
            text = text[:m.start()] + 'url = "https://moved-%d.example/"' % self.next_id() + text[m.end():]
            how = "an outlet's url changed"
        elif r < 0.8:
            outlet = self.pick(OUTLETS)
            block = re.search(r'^\["%s"\]\n(?:[^\[\n].*\n?)*' % re.escape(outlet), text, re.M)
            name = "display_name = \"%s (%d)\"\n" % (outlet, self.next_id())
            if block:
                inner = re.sub(r"^display_name = .*\n", "", block.group(0), flags=re.M)
                if inner == block.group(0):
                    inner = inner.rstrip("\n") + "\n" + name + "\n"
                    how = "display name of %s set" % outlet
                else:
                    how = "display name of %s removed" % outlet
                text = text[:block.start()] + inner + text[block.end():]
            else:
                text += '\n["%s"]\nurl = "https://%d.example/"\n%s' % (outlet, self.next_id(), name)
                how = "outlet %s added" % outlet
        else:
            path = self.path("data", "authors.toml")
            text = sl.read(path) if os.path.exists(path) else ""
            if '["Tomas Reyes"]' in text:
                text = re.sub(r'^bio = ".*"$', 'bio = "Bio %d."' % self.next_id(), text, count=1, flags=re.M)
            else:
                text += '\n["Tomas Reyes"]\nbio = "Bio %d."\n' % self.next_id()
            how = "Tomas Reyes's bio"
        sl.write(path, text, self.rng)
        return "data/%s: %s" % (os.path.basename(path), how)

    def edit_static(self):
        r = self.rng.random()
        roots = ["static"] + ([os.path.join("themes", self.theme(), "static")] if self.theme() else [])
        root = self.rng.choice(roots)
        if r < 0.2:
            path = os.path.join(root, "style.css")  # in front of the built-in theme's
            if os.path.exists(self.path(path)):
                os.remove(self.path(path))
                return "%s removed" % path
            sl.write(self.path(path), "/* %d */ body { color: #123; }\n" % self.next_id())
            return "%s added" % path
        existing = []
        for dirpath, _, files in os.walk(self.path(root)):
            for f in files:
                if f.startswith("note-"):
                    existing.append(os.path.relpath(os.path.join(dirpath, f), self.site))
        existing.sort()
        if existing and r < 0.55:
            path = self.pick(existing)
            os.remove(self.path(path))
            return "%s removed" % path
        if existing and r < 0.75:
            path = self.pick(existing)
            sl.write(self.path(path), "changed %d\n" % self.next_id(), self.rng)
            return "%s changed" % path
        path = os.path.join(root, self.rng.choice(["", "files/", "files/deep/"]), "note-%d.txt" % self.next_id())
        sl.write(self.path(path), "a static note\n")
        return "%s added" % path

    def edit_appearances(self):
        path = self.path("content", "appearances.yaml")
        text = sl.read(path) if os.path.exists(path) else "# appearances\n"
        entries = list(re.finditer(r"^- .*\n(?:(?:  .*|)\n)*", text, re.M))
        r = self.rng.random()
        if entries and r < 0.25:
            m = self.rng.choice(entries)
            text = text[:m.start()] + text[m.end():]
            how = "an entry removed"
        elif entries and r < 0.45:
            m = self.rng.choice(entries)
            entry = re.sub(r'^  topic: .*$', '  topic: "Changed topic %d"' % self.next_id(), m.group(0), count=1, flags=re.M)
            text = text[:m.start()] + entry + text[m.end():]
            how = "a topic changed"
        elif r < 0.7:
            text = text.rstrip("\n") + "\n\n" + "\n".join(self.appearance_lines("  ", self.random_date())) + "\n"
            how = "an entry added"
        else:
            rel = self.pick(self.posts())
            fm, body = self.load(rel)
            if fm is None or sl.get_field(fm, "appearances") is not None:
                return None
            fm = fm + ["appearances:"] + self.appearance_lines("    ", self.random_date())
            self.save(rel, fm, body)
            return "appearance added to %s" % rel
        sl.write(path, text, self.rng)
        return "content/appearances.yaml: " + how

    def edit_now(self):
        if self.rng.random() < 0.12:
            delta = -dt.timedelta(days=self.rng.randint(1, 20), hours=self.rng.randint(0, 23))
        else:
            delta = dt.timedelta(days=self.rng.randint(0, 80), hours=self.rng.randint(1, 23))
        self.now += delta
        return "--now %s" % fmt_now(self.now)

    def edit_image(self):
        r = self.rng.random()
        if r < 0.3 or not self.images:
            # A post shows an image, which may not exist yet.
            rel = self.pick(self.posts())
            fm, body = self.load(rel)
            if fm is None:
                return None
            if self.images and self.rng.random() < 0.4:
                url = self.pick(self.images)
            else:
                url = "/images/gen-%d.png" % self.next_id()
                self.images.append(url)
            body = body.rstrip("\n") + "\n\n![A generated image](%s \"Generated. | CREDIT: TEST\")\n" % url
            self.save(rel, fm, body)
            return "%s shows %s" % (rel, url)
        url = self.pick(self.images)
        # Not content/images/: a file there and in static/ would both be
        # published at one path, which is an error of the site.
        roots = ["static"] + ([os.path.join("themes", self.theme(), "static")] if self.theme() else [])
        root = self.rng.choice(roots)
        path = self.path(root, url.lstrip("/"))
        if os.path.exists(path) and self.rng.random() < 0.5:
            os.remove(path)
            return "%s/%s removed" % (root, url.lstrip("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        w, h = self.rng.randint(1, 60), self.rng.randint(1, 60)
        sl.write(path, sl.png(w, h, self.rng.randrange(256)), self.rng)
        return "%s/%s written (%dx%d)" % (root, url.lstrip("/"), w, h)

    def edit_bundle_image(self):
        """An image beside a page (a bundle's), or an SVG the site has."""
        candidates = []
        for dirpath, _, files in os.walk(self.path("content")):
            for f in files:
                if f.endswith(".png"):
                    candidates.append(os.path.relpath(os.path.join(dirpath, f), self.site))
        for dirpath, _, files in os.walk(self.path("static")):
            for f in files:
                if f.endswith(".svg"):
                    candidates.append(os.path.relpath(os.path.join(dirpath, f), self.site))
        path = self.pick(sorted(candidates))
        if path is None:
            return None
        if path.endswith(".svg"):
            text = sl.read(self.path(path))
            w, h = self.rng.randint(10, 900), self.rng.randint(10, 900)
            text = re.sub(r'width="\d+" height="\d+"', 'width="%d" height="%d"' % (w, h), text, count=1)
            sl.write(self.path(path), text, self.rng)
            return "%s resized to %dx%d" % (path, w, h)
        if self.rng.random() < 0.3:
            os.remove(self.path(path))
            return "%s removed" % path
        w, h = self.rng.randint(1, 60), self.rng.randint(1, 60)
        sl.write(self.path(path), sl.png(w, h), self.rng)
        return "%s resized to %dx%d" % (path, w, h)

    def toggle_page(self):
        """A page others look up or list: the about page (the navigation's
        get_page("about.md")), a section's _index.md, the home's _index.md."""
        rel = self.rng.choice(["about.md", "notes/_index.md", "_index.md"])
        path = self.path("content", rel)
        parked = self.path(".parked", rel)
        if os.path.exists(path):
            os.makedirs(os.path.dirname(parked), exist_ok=True)
            os.replace(path, parked)
            return "%s removed" % rel
        if os.path.exists(parked):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.replace(parked, path)
            return "%s put back" % rel
        sl.write(path, "---\ntitle: %s\n---\n\n%s\n" % (sl.yaml_quote(self.title()), sl.paragraph(self.rng)))
        return "%s written" % rel

    def bundle_resource(self):
        """A file other than an image beside a bundle's page."""
        bundles = sorted(os.path.dirname(p) for p in self.posts() if p.endswith("/index.md"))
        bundle = self.pick(bundles)
        if bundle is None:
            return None
        folder = self.path("content", bundle)
        existing = sorted(f for f in os.listdir(folder) if f.startswith("data-"))
        if existing and self.rng.random() < 0.5:
            os.remove(os.path.join(folder, existing[0]))
            return "content/%s/%s removed" % (bundle, existing[0])
        name = "data-%d.csv" % self.next_id()
        sl.write(os.path.join(folder, name), "a,b\n1,2\n")
        return "content/%s/%s added" % (bundle, name)

    def touch(self):
        """A file saved again unchanged: only its stamp moves."""
        files = self.md_files()
        rel = self.pick(files)
        path = self.path("content", rel)
        if self.rng.random() < 0.5:
            sl.write(path, sl.read(path), self.rng)
        else:
            st = os.stat(path)
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        self.expect_no_writes = True
        return "%s saved unchanged" % rel

    def edit_keeping_stamp(self):
        """A post saved twice within one tick of the file system's clock,
        with the last build in between: a post last saved within a second
        before that build began has a letter of a paragraph change case in
        place, and its modification time put back, so its size, time and
        inode are the ones the last build saw. (A file older than that with
        its time put back, as `touch -r` can, is not noticed, as by git.)"""
        recent = [rel for rel in self.md_files()
                  if os.stat(self.path("content", rel)).st_mtime_ns >= self.last_build_ns - 1_000_000_000]
        rel = self.pick(recent)
        if rel is None:
            return None
        path = self.path("content", rel)
        st = os.stat(path)
        with open(path, "rb") as f:
            data = bytearray(f.read())
        fm, body = self.load(rel)
        start = len(data) - len(body.encode("utf-8"))
        letters, pos = [], start
        for line in data[start:].split(b"\n"):
            if line[:1].isalpha():
                letters.extend(pos + i for i, c in enumerate(line) if 97 <= c <= 122)
            pos += len(line) + 1
        if not letters:
            return None
        at = self.rng.choice(letters)
        data[at] ^= 0x20
        with open(path, "r+b") as f:
            f.write(data)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        after = os.stat(path)
        assert (after.st_ino, after.st_size, after.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)
        return "%s: a letter's case changed keeping its size, time and inode" % rel

    def nothing(self):
        return "no edit"

    # ------------------------------------------------------------ invalid

    def break_something(self):
        r = self.rng.random()
        if r < 0.55:
            rel = self.pick(self.posts())
            text = sl.read(self.path("content", rel))
            fm, body = sl.split_page(text)
            if fm is None:
                return None
            how = self.rng.choice(["unclosed quote", "unclosed list", "bad date", "bad indentation"])
            if how == "unclosed quote":
                fm = sl.set_field(fm, "title", "\"An unclosed title")
            elif how == "unclosed list":
                fm = sl.set_field(fm, "tags", "[Russia, Energy")
            elif how == "bad date":
                fm = sl.set_field(fm, "date", "last Tuesday")
            else:
                fm.insert(1, "  stray: : indented")
            self.invalid = ("content/" + rel, text)
            sl.write(self.path("content", rel), sl.join_page(fm, body), self.rng)
            return "INVALID %s: %s" % (rel, how)
        if r < 0.8:
            path = self.path("content", "appearances.yaml")
            old = sl.read(path) if os.path.exists(path) else None
            text = (old or "") + "\n- date: 2020-02-02\n  outlet: \"Radio Meridian\"\n  kind: sideways\n"
            self.invalid = ("content/appearances.yaml", old)
            sl.write(path, text, self.rng)
            return "INVALID content/appearances.yaml: unknown kind"
        # A broken override of a template every post uses.
        path = self.path("templates", "post.html")
        old = sl.read(path) if os.path.exists(path) else None
        self.invalid = ("templates/post.html", old)
        sl.write(path, "{% extends \"base.html\" %}{% block content %}{% if %}{% endblock %}\n", self.rng)
        return "INVALID templates/post.html: {% if %} without a test"

    def repair(self):
        rel, old = self.invalid
        self.invalid = None
        if old is None:
            os.remove(self.path(rel))
            return "repaired %s (removed)" % rel
        sl.write(self.path(rel), old, self.rng)
        return "repaired %s (restored)" % rel

    # ------------------------------------------------------------ driving

    def step(self):
        """Applies one random edit; returns its description."""
        self.expect_full = False
        self.expect_no_writes = False
        if self.invalid:
            return self.repair()
        names = sorted(self.weights)
        while True:
            name = self.rng.choices(names, weights=[self.weights[n] for n in names])[0]
            desc = getattr(self, name)()
            if desc is not None:
                return desc


# Edit name -> weight.
EDITS = {
    "edit_body": 10, "edit_title": 8, "edit_date": 8, "edit_tags": 8, "edit_draft": 5,
    "edit_field": 5, "add_post": 5, "add_future_post": 3, "delete_post": 4, "rename_post": 3,
    "move_post": 3, "edit_divider": 4, "template_add": 4, "template_edit": 4,
    "template_delete": 3, "template_special": 2, "edit_config": 2, "edit_data": 3,
    "edit_static": 3, "edit_appearances": 4, "edit_now": 4, "edit_image": 5,
    "edit_bundle_image": 2, "touch": 2, "edit_keeping_stamp": 2, "nothing": 1, "break_something": 3, "toggle_page": 2,
    "bundle_resource": 2,
}

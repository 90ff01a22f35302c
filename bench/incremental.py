#!/usr/bin/python3
"""Incremental builds side by side with full ones: byline's rebuilds after one
edit against byline's full build and Hugo's, on the shared corpus.

Each run builds the corpus in full with Hugo (../shared/bench/run_hugo.sh)
and with byline (`--full`, which saves the state the next build starts
from), then times byline's incremental builds of issue 22's scenarios, one
after the other on that output:

  no-op       nothing edited
  body edit   a paragraph appended to the newest post's body
  title edit  the newest post's title changed
  new post    a post added, dated an hour after the newest one
  tag added   the most used tag the newest post lacks added to its tags

After each timed build the edit is undone and the site built again, untimed,
so that every run measures the same edit from the same state. Every build's
summary line is checked: an incremental scenario that printed a full build's
line (or a no-op that did any work) stops the bench with an error, since its
figures would not be an incremental build's. The newest post is the one a
writer most often edits, and the costliest to edit: it heads the home page,
its lists and the feeds.

The corpus is the one compare_hugo.py generates and caches (or --corpus DIR,
e.g. one generated earlier). The bench edits a copy of it, WORK/incremental-
site-N, made afresh each time: its files are hard links to the corpus's (a
copy of 100,000 posts would be 900 MB), which is safe because an edit never
writes into a file: it writes a new file beside it and renames it over the
old one, and undoing it does the same with the original bytes. The bench
checks at the end that the corpus still holds the original file.

Every byline build runs with `--now 2025-01-01` (pages showing the date
would otherwise be made again when the day changes) and `--timings`, whose
stage times are reported as medians, to show where an incremental build's
time goes.

As root, the full builds start like compare_hugo.py's, with the kernel's
caches dropped and the corpus and programs read back in (settle(); not with
--keep-caches); the incremental builds start with the caches as the build
before them left them, after a sync, as on a writer's machine.

Prints each run as it ends, then per size the medians with the files
written and made again and the ratios (how many times faster than byline's
and Hugo's full builds), the stage times, and at the end issue 22's targets
table filled with the medians, each target marked met or not met (plain and
as Markdown for the README's Performance section).

Usage: bench/incremental.py [--sizes 10000,100000 | --corpus DIR] [--runs 5]
                            [--byline build/byline] [--no-hugo] [--search-off]
                            [--keep-caches]
                            [--work DIR] [--now 2025-01-01]
"""
import argparse
import datetime as dt
import json
import os
import re
import shlex
import shutil
import statistics
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare_hugo as ch  # noqa: E402

# (name, label) of each incremental scenario, in the order they run.
SCENARIOS = [("noop", "no-op"), ("body", "body edit"), ("title", "title edit"),
             ("new", "new post"), ("tag", "tag added")]
LABEL = dict(SCENARIOS, hugo="Hugo full", full="byline full")

# Issue 22's targets on this 2-core machine: posts -> seconds for a no-op,
# a body edit, a title edit or a new post, and peak memory (MB) of a no-op.
TARGETS = {10000: (0.1, 0.2, 0.5, 100), 100000: (0.5, 1.0, 2.0, 300)}

NEW_POST = "bench-new-post.md"

SUMMARY_NOTHING = re.compile(r"^Nothing changed since the last build \(([0-9.]+) s\)$", re.M)
SUMMARY_BUILT = re.compile(
    r"^Built (\d+) pages, (\d+) list pages, (\d+) feeds, (\d+) redirects, (\d+) static files in "
    r"([0-9.]+) s(?:; (\d+) of (\d+) files written \((\d+) made again(?:, (\d+) removed)?\))?",
    re.M)
TIMINGS = re.compile(r"^config [0-9.]+ s(?:, [a-z+]+ [0-9.]+ s)*$", re.M)


class BenchError(Exception):
    pass


def parse_build(out):
    """What a byline build printed, as a dict: kind ("nothing", "incremental"
    or "full"), seconds, and for an incremental build written, total, made
    and removed (files); timings, {stage: s} from --timings. None when no
    summary line is found."""
    m = SUMMARY_NOTHING.search(out)
    if m:
        r = {"kind": "nothing", "seconds": float(m.group(1)), "written": 0, "made": 0,
             "removed": 0, "total": None}
    else:
        m = SUMMARY_BUILT.search(out)
        if not m:
            return None
        r = {"kind": "full", "seconds": float(m.group(6)), "written": None, "made": None,
             "removed": None, "total": sum(int(m.group(i)) for i in range(1, 6))}
        if m.group(7) is not None:
            r.update(kind="incremental", written=int(m.group(7)), total=int(m.group(8)),
                     made=int(m.group(9)), removed=int(m.group(10) or 0))
    t = TIMINGS.search(out)
    r["timings"] = {}
    if t:
        for item in t.group(0).split(", "):
            stage, seconds, _ = item.split(" ")
            r["timings"][stage] = float(seconds)
    return r


def link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:  # another filesystem
        shutil.copy2(src, dst)


SEARCH_OFF = "\n[search]\nenabled = false\nrelated = 0\n"


def make_site(corpus_dir, site, search_off=False):
    """A fresh copy of the corpus for the bench to edit: content/ as hard
    links, byline.toml from ../shared/bench (with the search and related
    posts turned off when search_off); no saved state."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(os.path.join(corpus_dir, "content"), os.path.join(site, "content"),
                    copy_function=link_or_copy)
    shutil.copy(os.path.join(ch.SHARED, "byline.toml"), site)
    if search_off:
        with open(os.path.join(site, "byline.toml"), "a") as f:
            f.write(SEARCH_OFF)


def replace_file(path, data):
    """Writes data to path without writing into the file there: a new file
    renamed over it (the copy's files are hard links to the corpus's)."""
    tmp = path + ".bench-tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def front_matter(text):
    """The front matter's lines of a gen_corpus.py post."""
    if not text.startswith("---\n"):
        return []
    end = text.find("\n---\n", 3)
    return text[4:end].split("\n") if end >= 0 else []


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scan_posts(content):
    """[(date, path)] of every post under content, and a Counter of the tags."""
    posts, tags = [], Counter()
    for root, dirs, names in os.walk(content):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                head = f.read(8192)
            date = None
            for line in front_matter(head):
                if line.startswith("date: "):
                    date = dt.datetime.fromisoformat(line[6:].strip())
                elif line.startswith("tags: "):
                    tags.update(json.loads(line[6:]))
            if date is not None:
                posts.append((date, path))
    return posts, tags


def set_line(text, key, value):
    """text with its front matter's `key:` line set to `key: value`."""
    new, n = re.subn(r"^%s: .*$" % re.escape(key), lambda _: "%s: %s" % (key, value), text,
                     count=1, flags=re.M)
    if n != 1:
        raise BenchError("no %s: line in the post's front matter" % key)
    return new


class Edits:
    """The scenarios' edits of one site: apply(name) makes one, undo(name)
    takes it back."""

    def __init__(self, site, now):
        content = os.path.join(site, "content")
        posts, tag_counts = scan_posts(content)
        if not posts:
            raise BenchError("no posts with a date under %s" % content)
        date, self.post = max(posts)
        with open(self.post, "rb") as f:
            self.original = f.read()
        text = self.original.decode("utf-8")
        fm = front_matter(text)
        title = json.loads(next(l for l in fm if l.startswith("title: "))[7:])
        tags = json.loads(next(l for l in fm if l.startswith("tags: "))[6:])
        self.rel = os.path.relpath(self.post, site)
        self.body_text = text + "\nA paragraph added by the incremental bench.\n"
        self.title_text = set_line(text, "title", yaml_str(title + ", revised"))
        self.tag, self.tag_posts = next(((t, n) for t, n in tag_counts.most_common()
                                         if t not in tags), (None, 0))
        if self.tag is None:
            raise BenchError("the newest post already has every tag")
        self.tag_text = set_line(text, "tags", "[" + ", ".join(yaml_str(t) for t in
                                                                  tags + [self.tag]) + "]")
        new_date = date + dt.timedelta(hours=1)
        if new_date.isoformat() >= now:
            raise BenchError("the new post (%s) would be dated after --now %s" %
                             (new_date.isoformat(), now))
        self.new_dir = os.path.join(content, "posts", str(new_date.year))
        self.new_post = os.path.join(self.new_dir, NEW_POST)
        self.new_rel = os.path.relpath(self.new_post, site)
        if os.path.exists(self.new_post):
            raise BenchError("%s already exists" % self.new_post)
        new = set_line(text, "title", yaml_str("A new post added by the incremental bench"))
        self.new_text = set_line(new, "date", new_date.isoformat())
        self.made_dir = False

    def describe(self):
        return ("edited post: %s (the newest); tag added: %s (on %d posts); new post: %s" %
                (self.rel, self.tag, self.tag_posts, self.new_rel))

    def apply(self, name):
        if name == "new":
            self.made_dir = not os.path.isdir(self.new_dir)
            os.makedirs(self.new_dir, exist_ok=True)
            with open(self.new_post, "w", encoding="utf-8") as f:
                f.write(self.new_text)
        elif name != "noop":
            replace_file(self.post, getattr(self, name + "_text").encode("utf-8"))

    def undo(self, name):
        if name == "new":
            if os.path.exists(self.new_post):
                os.unlink(self.new_post)
            if self.made_dir:
                os.rmdir(self.new_dir)
        elif name != "noop":
            replace_file(self.post, self.original)


def check_build(what, parsed, out, expect):
    """Stops the bench unless the build printed the expected kind of summary."""
    if parsed is None:
        raise BenchError("%s: no summary line in byline's output:\n%s" % (what, out))
    if parsed["kind"] != expect:
        why = {"full": "fell back to a full build", "incremental": "was an incremental build",
               "nothing": "found nothing to do"}[parsed["kind"]]
        raise BenchError("%s %s, expected %s (run byline build --explain to see why):\n%s" %
                         (what, why, {"full": "a full build", "incremental":
                                      "an incremental one", "nothing": "nothing to do"}[expect],
                          out.strip()))


def fmt_s(s):
    return "< 0.01 s" if s == 0 else ch.fmt_s(s)


def fmt_ratio(slow, fast):
    """How many times faster fast is than slow (walls at /usr/bin/time's 0.01 s)."""
    if slow is None:
        return "—"
    if fast == 0:
        return "> %.0f×" % (slow / 0.01)
    r = slow / fast
    return "%.1f×" % r if r < 10 else "{:,.0f}×".format(r)


def fmt_count(n):
    return "—" if n is None else "{:,}".format(n)


def medians(runs):
    """Median wall, cpu and peak of a list of (wall, cpu, peak, parsed)."""
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))


def median_count(runs, key):
    values = [r[3][key] for r in runs if r[3] and r[3].get(key) is not None]
    return int(statistics.median(values)) if values else None


def table(header, rows):
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    plain = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in [header] + rows]
    md = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(plain), "\n".join(md)


def scenario_table(sizes):
    """One row a build of each size: sizes is [(posts, {name: [runs]}, files)]."""
    hugo = any("hugo" in res for _, res, _ in sizes)
    header = ["posts", "build", "wall", "CPU", "peak", "files written", "made again",
              "vs byline full"] + (["vs Hugo full"] if hugo else [])
    rows = []
    for posts, res, files in sizes:
        full = medians(res["full"])[0]
        hugo_wall = medians(res["hugo"])[0] if "hugo" in res else None
        for name in ["hugo", "full"] + [n for n, _ in SCENARIOS]:
            if name not in res:
                continue
            wall, cpu, peak = medians(res[name])
            if name in ("hugo", "full"):
                written, made = fmt_count(files[name]), "all"
            else:
                written = fmt_count(median_count(res[name], "written"))
                total = median_count(res[name], "total")  # none when nothing changed
                if total is not None:
                    written += " of " + fmt_count(total)
                made = fmt_count(median_count(res[name], "made"))
                removed = median_count(res[name], "removed")
                if removed:
                    made += " (%s removed)" % fmt_count(removed)
            row = ["{:,}".format(posts), LABEL[name], fmt_s(wall), fmt_s(cpu), ch.fmt_mb(peak),
                   written, made, "—" if name in ("hugo", "full") else fmt_ratio(full, wall)]
            if hugo:
                row.append("—" if name == "hugo" else fmt_ratio(hugo_wall, wall))
            rows.append(row)
    return table(header, rows)


def targets_table(sizes):
    """Issue 22's targets table with the measured medians, one row a size."""
    header = ["corpus", "no-op", "body edit", "title edit / new post", "peak memory (no-op)"]
    rows = []
    met_all = None  # None: no target at these sizes
    for posts, res, _ in sizes:
        t = TARGETS.get(posts)
        wall = {n: medians(res[n])[0] for n, _ in SCENARIOS}
        peak_mb = medians(res["noop"])[2] * 1024 * 1024 / 1e6
        cells = [("%s" % fmt_s(wall["noop"]), [wall["noop"]], t and t[0], "s"),
                 ("%s" % fmt_s(wall["body"]), [wall["body"]], t and t[1], "s"),
                 ("%s / %s" % (fmt_s(wall["title"]), fmt_s(wall["new"])),
                  [wall["title"], wall["new"]], t and t[2], "s"),
                 ("%.0f MB" % peak_mb, [peak_mb], t and t[3], "MB")]
        row = ["{:,} posts".format(posts)]
        for text, figures, target, unit in cells:
            if target is None:
                row.append("%s (no target)" % text)
                continue
            ok = all(f < target for f in figures)
            met_all = ok if met_all is None else met_all and ok
            row.append("%s (< %g %s): %s" % (text, target, unit, "met" if ok else "NOT met"))
        rows.append(row)
    return table(header, rows), met_all


def stage_lines(posts, res):
    """Median --timings stages of each byline build."""
    lines = []
    for name in ["full"] + [n for n, _ in SCENARIOS]:
        runs = [r[3]["timings"] for r in res[name] if r[3] and r[3]["timings"]]
        if not runs:
            continue
        stages = list(runs[0])
        lines.append("%-8d %-12s " % (posts, LABEL[name]) + ", ".join(
            "%s %.3f" % (s, statistics.median(t.get(s, 0.0) for t in runs)) for s in stages))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=ch.parse_sizes, default=None,
                    help="corpus sizes separated by commas, e.g. 10000,100000 (default 10000)")
    ap.add_argument("--corpus", metavar="DIR",
                    help="an existing gen_corpus.py corpus instead of a generated one; its size "
                         "is its number of posts (not with --sizes); it is not modified")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--byline", default=os.path.join(ch.ROOT, "build", "byline"))
    ap.add_argument("--no-hugo", action="store_true", help="leave out Hugo's full build")
    ap.add_argument("--search-off", action="store_true",
                    help="build with [search] enabled = false and related = 0, to time "
                    "what is not the search's")
    ap.add_argument("--keep-caches", action="store_true",
                    help="do not drop the kernel's caches before the full builds (done by "
                         "default when %s is writable, i.e. as root)" % ch.DROP_CACHES)
    ap.add_argument("--now", default="2025-01-01",
                    help="byline's --now for every build (default 2025-01-01)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "byline-bench"))
    a = ap.parse_args()
    if a.runs < 1:
        ap.error("--runs must be at least 1")
    if a.corpus and a.sizes:
        ap.error("--corpus and --sizes exclude each other")
    if a.corpus and not os.path.isdir(os.path.join(a.corpus, "content")):
        ap.error("%s has no content/ folder" % a.corpus)
    if not a.no_hugo and not shutil.which("hugo"):
        sys.exit("hugo is not installed (apt-get install hugo), or pass --no-hugo")
    a.byline = os.path.abspath(a.byline)
    try:
        with ch.trash_in(a.work) as trash:
            run(a, trash)
    except BenchError as e:
        sys.exit("incremental.py: %s" % e)


def run(a, trash):
    settle_caches = not a.keep_caches and ch.can_drop_caches()
    programs = ch.program_files([a.byline, shutil.which("hugo") if not a.no_hugo else None,
                                 "/usr/bin/time", "/bin/sh"])
    print("Before each full build: %s; before each incremental build: sync only" %
          ("caches dropped, then the corpus read back in" if settle_caches
           else "sync only (caches kept)"))
    print("Load average at the start: %.2f %.2f %.2f" % os.getloadavg())
    if a.corpus:
        corpora = [(sum(1 for _ in post_files(a.corpus)), os.path.abspath(a.corpus))]
    else:
        corpora = [(n, None) for n in (a.sizes or [10000])]
    sizes = []
    for posts, corpus_dir in corpora:
        corpus_dir = corpus_dir or ch.corpus(a.work, posts, 0)
        res, files = bench_size(a, posts, corpus_dir, trash, settle_caches, programs)
        sizes.append((posts, res, files))

    versions = "byline %s" % ch.version([a.byline, "version"])
    if not a.no_hugo:
        versions += ", Hugo %s" % ch.version(["hugo", "version"])
    print("\nMedian of %d run%s, %s, %d cores, byline builds with --now %s; \"vs\" columns: how "
          "many times faster than that full build\n" % (a.runs, "" if a.runs == 1 else "s",
                                                         versions, os.cpu_count() or 0, a.now))
    plain, md = scenario_table(sizes)
    print(plain)
    print("\nWhere byline's time went (--timings, medians, s):\n")
    for posts, res, _ in sizes:
        print("\n".join(stage_lines(posts, res)))
    (plain_t, md_t), met_all = targets_table(sizes)
    print("\nIssue 22's targets (peak in MB = 10^6 bytes):\n")
    print(plain_t)
    print("\nMarkdown:\n")
    print("```sh\n%s\n```\n" % " ".join(["bench/incremental.py"] +
                                          [shlex.quote(x) for x in sys.argv[1:]]))
    print(md)
    print()
    print(md_t)
    print("\n" + {None: "No targets at these sizes (issue 22 sets them at 10,000 and 100,000 "
                        "posts)", True: "Every target met", False: "Some targets not met"}[met_all])


def post_files(corpus_dir):
    for root, _, names in os.walk(os.path.join(corpus_dir, "content")):
        for name in names:
            if name.endswith(".md"):
                yield os.path.join(root, name)


def bench_size(a, posts, corpus_dir, trash, settle_caches, programs):
    site = os.path.join(a.work, "incremental-site-%d" % posts)
    make_site(corpus_dir, site, a.search_off)
    edits = Edits(site, a.now)
    corpus_post = os.path.join(corpus_dir, edits.rel)
    print("%d posts: %s" % (posts, edits.describe()))
    dest = os.path.join(a.work, "incremental-out-byline-%d" % posts)
    hugo_dest = os.path.join(a.work, "incremental-out-hugo-%d" % posts)

    def byline(*extra):
        return [a.byline, "build", "-s", site, "-d", dest, "--now", a.now, "--timings", *extra]

    res = {name: [] for name in (["hugo"] if not a.no_hugo else []) + ["full"] +
           [n for n, _ in SCENARIOS]}
    files = {}

    def report(name, run, r):
        res[name].append(r)
        p = r[3]
        line = "%-8d %-12s run %d: %.2f s, %.2f s CPU, %.0f MiB" % (posts, LABEL[name], run + 1,
                                                                   *r[:3])
        if p and p["kind"] == "incremental":
            line += "; %d of %d files written (%d made again%s)" % (
                p["written"], p["total"], p["made"],
                ", %d removed" % p["removed"] if p["removed"] else "")
        elif p and p["kind"] == "nothing":
            line += "; nothing changed"
        print(line)
        sys.stdout.flush()

    def prepare_full(out):
        ch.set_aside(out, trash)
        # What byline's last build left for its next one to delete (a
        # build stops its background deletion when it ends, leaving one
        # retired tree beside the output): a full build into a new folder,
        # as in compare_hugo.py, does not pay for it.
        prefix = "." + os.path.basename(out) + ".byline-old-"
        for name in sorted(os.listdir(a.work)):
            if name.startswith(prefix):
                ch.set_aside(os.path.join(a.work, name), trash)
        if settle_caches:
            ch.settle(site, programs)
        else:
            os.sync()

    for run in range(a.runs):
        if "hugo" in res:
            prepare_full(hugo_dest)
            r = ch.timed(["sh", os.path.join(ch.SHARED, "run_hugo.sh"), site, hugo_dest])
            files["hugo"] = ch.count_files(hugo_dest)
            report("hugo", run, r + (None,))
        prepare_full(dest)
        wall, cpu, peak, out = ch.timed_output(byline("--full"))
        parsed = parse_build(out)
        check_build("byline --full", parsed, out, "full")
        files["full"] = ch.count_files(dest)
        report("full", run, (wall, cpu, peak, parsed))
        for name, label in SCENARIOS:
            edits.apply(name)
            try:
                os.sync()
                wall, cpu, peak, out = ch.timed_output(byline())
            finally:
                edits.undo(name)
            parsed = parse_build(out)
            check_build(label, parsed, out, "nothing" if name == "noop" else "incremental")
            report(name, run, (wall, cpu, peak, parsed))
            if name != "noop":
                out = ch.timed_output(byline())[3]  # back to where the next scenario starts
                check_build("the build undoing the %s" % label, parse_build(out), out,
                            "incremental")

    with open(corpus_post, "rb") as f:
        if f.read() != edits.original:
            raise BenchError("the corpus's %s changed: the bench must only edit its copy" %
                             corpus_post)
    if os.path.exists(os.path.join(corpus_dir, edits.new_rel)):
        raise BenchError("the new post appeared in the corpus %s" % corpus_dir)

    for name in res:
        w, c, p = medians(res[name])
        print("%-8d %-12s median %.2f s, %.2f s CPU, %.0f MiB" % (posts, LABEL[name], w, c, p))
    return res, files


if __name__ == "__main__":
    main()

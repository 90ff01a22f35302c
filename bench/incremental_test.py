#!/usr/bin/python3
"""Checks bench/incremental.py without timing anything: a one-run bench of a
200-post corpus (byline only, caches kept) reports every scenario with
figures that parse, the tables and the stage times; the corpus it generated
is still what gen_corpus.py makes and the bench's copy of it is back to the
same content; --search-off's copy has the search and related posts off; and a byline whose rebuilds are full builds stops the bench
with an error, its edit undone.

Usage: incremental_test.py path/to/byline
"""
import filecmp
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare_hugo  # noqa: E402
import incremental  # noqa: E402

POSTS = 200
NUM = r"[0-9][0-9.,]*"


def bench(byline, work):
    return subprocess.run([sys.executable, os.path.join(HERE, "incremental.py"), "--sizes",
                           str(POSTS), "--runs", "1", "--no-hugo", "--keep-caches", "--work", work,
                           "--byline", byline], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


def differences(a, b):
    """Paths that differ between folders a and b (missing on either side or
    other bytes), ignoring byline's .byline/ state."""
    out = []

    def walk(cmp, rel):
        out.extend(os.path.join(rel, n) for n in cmp.left_only + cmp.right_only
                   if n != ".byline")
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files,
                                               shallow=False)
        out.extend(os.path.join(rel, n) for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, os.path.join(rel, name))

    walk(filecmp.dircmp(a, b), "")
    return out


def main():
    byline = os.path.abspath(sys.argv[1])
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as work:
        r = bench(byline, work)
        out = r.stdout
        check(r.returncode == 0, "the bench exits 0 (%d):\n%s" % (r.returncode, out))
        check("Before each full build: sync only (caches kept)" in out, "says the caches were kept")
        check(re.search(r"^%d posts: edited post: content/posts/\S+\.md \(the newest\); tag added: "
                        r".+ \(on \d+ posts\); new post: content/posts/\d+/bench-new-post\.md$" %
                        POSTS, out, re.M), "says what it edits")
        run = r"^%d +%s +run 1: [0-9.]+ s, [0-9.]+ s CPU, [0-9]+ MiB"
        check(re.search(run % (POSTS, "byline full") + "$", out, re.M), "prints the full build")
        check(re.search(run % (POSTS, "no-op") + "; nothing changed$", out, re.M),
              "prints the no-op, which changed nothing")
        for name, label in incremental.SCENARIOS[1:]:
            m = re.search(run % (POSTS, label) +
                          r"; (\d+) of (\d+) files written \((\d+) made again(, \d+ removed)?\)$",
                          out, re.M)
            check(m, "prints the %s with the files written" % label)
            if m:
                check(0 < int(m.group(1)) <= int(m.group(3)) < int(m.group(2)),
                      "the %s wrote some files but not all: %s" % (label, m.group(0)))
        for label in ["byline full"] + [l for _, l in incremental.SCENARIOS]:
            check(re.search(r"^%d +%s +median [0-9.]+ s, [0-9.]+ s CPU, [0-9]+ MiB$" %
                            (POSTS, label), out, re.M), "prints the median of the %s" % label)
            check(re.search(r"^\| %d \| %s \| (< )?%s s \| (< )?%s s \| %s MiB \| %s( of %s)? \| "
                            r"(all|%s( \(%s removed\))?) \| (—|>? ?%s×) \|$" %
                            (POSTS, label, NUM, NUM, NUM, NUM, NUM, NUM, NUM, NUM), out, re.M),
                  "prints the Markdown row of the %s" % label)
            check(re.search(r"^%d +%s +config [0-9.]+, state [0-9.]+, .*save [0-9.]+$" %
                            (POSTS, label), out, re.M), "prints the stages of the %s" % label)
        cell = r"%s s \(no target\)" % NUM
        check(re.search(r"^\| %d posts \| %s \| %s \| %s s / %s \| %s MB \(no target\) \|$" %
                        (POSTS, cell, cell, NUM, cell, NUM), out, re.M),
              "prints the targets table in Markdown")
        check("No targets at these sizes" in out, "says there is no target at this size")

        corpus = os.path.join(work, "corpus-%d-0" % POSTS)
        fresh = os.path.join(work, "fresh")
        subprocess.run([sys.executable, os.path.join(compare_hugo.SHARED, "gen_corpus.py"), fresh,
                        "--posts", str(POSTS)], check=True, stdout=subprocess.DEVNULL)
        check(differences(os.path.join(fresh, "content"), os.path.join(corpus, "content")) == [],
              "the cached corpus is as generated")
        site = os.path.join(work, "incremental-site-%d" % POSTS)
        diff = differences(os.path.join(corpus, "content"), os.path.join(site, "content"))
        check(diff == [], "every edit of the copy is undone: %s" % diff)

        # --search-off: the copy's config turns the search and the related
        # posts off: a build of it has no search page, a build of the plain
        # copy has one.
        for search_off in (True, False):
            copy = os.path.join(work, "search-off-%s" % search_off)
            incremental.make_site(corpus, copy, search_off=search_off)
            built = subprocess.run([byline, "build", "-s", copy, "--quiet", "--now", "2025-01-01"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            check(built.returncode == 0, "the copy builds:\n%s" % built.stdout)
            has_search = os.path.exists(os.path.join(copy, "public", "search", "index.html"))
            check(has_search != search_off,
                  "--search-off %s gives a site %s a search page" %
                  ("on" if search_off else "off", "with" if has_search else "without"))

        # A byline whose builds after the first two (the full one and the
        # no-op) are full ones.
        fake = os.path.join(work, "fake-byline")
        with open(fake, "w") as f:
            f.write('#!/bin/sh\nn=$(cat "$0.count" 2>/dev/null || echo 0)\n'
                    'echo $((n + 1)) > "$0.count"\n'
                    'if [ "$n" -ge 2 ]; then exec "%s" "$@" --full; fi\nexec "%s" "$@"\n' %
                    (byline, byline))
        os.chmod(fake, 0o755)
        r = bench(fake, work)
        check(r.returncode != 0, "a full rebuild stops the bench")
        check("body edit fell back to a full build" in r.stdout,
              "and says which scenario fell back:\n%s" % r.stdout)
        diff = differences(os.path.join(corpus, "content"), os.path.join(site, "content"))
        check(diff == [], "the edit is undone when the bench stops: %s" % diff)

    for f in failures:
        print("FAIL:", f)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

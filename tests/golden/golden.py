#!/usr/bin/python3
"""Golden-output test: byline's output stays byte-identical unless changed on purpose.

Builds three sites and compares every output file's path and SHA-256 with the
stored list tests/golden/<name>.sha256 (sorted by path, one "hash  path" line
a file, the format `sha256sum` reads):

- basic:  the fixture site tests/sites/basic;
- examples: the example site examples/;
- corpus: 1,000 posts from ../shared/bench/gen_corpus.py (seed 82), built
  with ../shared/bench/byline.toml, generated afresh in the work folder.

Every build runs with `--now 2026-01-01T00:00:00Z`, so the output does not
depend on the day the test runs (future/expired cut-off, the footer's
copyright year). Each site is built with BYLINE_THREADS=2 and again with
BYLINE_THREADS=1; the two must agree file for file.

The lists also move with the Markdown library (cmark-gfm): after an upgrade,
check the changed pages and regenerate.

Usage: golden.py [--byline BUILD/byline] [--work DIR] [--update] [NAME ...]
  --update rewrites the stored lists from this build (only on purpose: review
  `git diff tests/golden` before committing).
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED_BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench")

# A fixed "now" after every dated post of the three sites except the
# deliberately future ones (examples/ 2030, tests/sites/basic 2999), which
# stay left out as they would be on any real day.
NOW = "2026-01-01T00:00:00Z"
CORPUS_POSTS = 1000
CORPUS_SEED = 82
SITES = ("basic", "examples", "corpus")
SHOW = 20  # paths listed per kind of difference


def site_source(name, work):
    if name == "basic":
        return os.path.join(ROOT, "tests", "sites", "basic")
    if name == "examples":
        return os.path.join(ROOT, "examples")
    path = os.path.join(work, "corpus")
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["/usr/bin/python3", os.path.join(SHARED_BENCH, "gen_corpus.py"), path,
                    "--posts", str(CORPUS_POSTS), "--seed", str(CORPUS_SEED)],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.copy(os.path.join(SHARED_BENCH, "byline.toml"), path)
    return path


def build(byline, source, dest, threads):
    shutil.rmtree(dest, ignore_errors=True)
    env = dict(os.environ, BYLINE_THREADS=str(threads))
    r = subprocess.run([byline, "build", "-q", "-s", source, "-d", dest, "--now", NOW], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("byline build of %s failed (exit %d):\n%s" % (source, r.returncode, r.stdout))


def hashes(root):
    """{relative path with '/': sha256 hex} of every file under root."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            with open(full, "rb") as fh:
                out[rel] = hashlib.sha256(fh.read()).hexdigest()
    return out


def format_list(h):
    return "".join("%s  %s\n" % (h[p], p) for p in sorted(h))


def read_list(path):
    h = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            digest, sep, rel = line.rstrip("\n").partition("  ")
            if not sep or len(digest) != 64:
                sys.exit("%s:%d: expected 'SHA256  PATH'" % (path, n))
            h[rel] = digest
    return h


def differences(expected, actual):
    added = sorted(set(actual) - set(expected))
    removed = sorted(set(expected) - set(actual))
    changed = sorted(p for p in set(expected) & set(actual) if expected[p] != actual[p])
    return added, removed, changed


def describe(added, removed, changed):
    lines = []
    for label, paths in (("added", added), ("removed", removed), ("changed", changed)):
        if not paths:
            continue
        lines.append("  %d %s:" % (len(paths), label))
        lines += ["    " + p for p in paths[:SHOW]]
        if len(paths) > SHOW:
            lines.append("    ... and %d more" % (len(paths) - SHOW))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help="sites to check (default: all of %s)" % ", ".join(SITES))
    ap.add_argument("--byline", default=os.path.join(ROOT, "build", "byline"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "golden"))
    ap.add_argument("--update", action="store_true",
                    help="rewrite tests/golden/NAME.sha256 from this build")
    a = ap.parse_args()
    names = a.names or list(SITES)
    for n in names:
        if n not in SITES:
            ap.error("unknown site %r (choose from %s)" % (n, ", ".join(SITES)))
    os.makedirs(a.work, exist_ok=True)
    failed, unstable = [], []
    for name in names:
        source = site_source(name, a.work)
        out = os.path.join(a.work, "out-" + name)
        build(a.byline, source, out, 2)
        actual = hashes(out)
        # The thread count must not show in the output.
        out1 = os.path.join(a.work, "out-" + name + "-1thread")
        build(a.byline, source, out1, 1)
        single = hashes(out1)
        shutil.rmtree(out1)
        if single != actual:
            print("%s: output differs between BYLINE_THREADS=1 and 2\n%s" %
                  (name, describe(*differences(single, actual))))
            unstable.append(name)
            continue

        stored = os.path.join(HERE, name + ".sha256")
        if a.update:
            with open(stored, "w", encoding="utf-8") as f:
                f.write(format_list(actual))
            print("%s: wrote %d entries to %s" % (name, len(actual), os.path.relpath(stored, ROOT)))
            continue
        if not os.path.exists(stored):
            print("%s: no stored list %s" % (name, os.path.relpath(stored, ROOT)))
            failed.append(name)
            continue
        diff = differences(read_list(stored), actual)
        if any(diff):
            print("%s: output differs from %s (this build is in %s)\n%s" %
                  (name, os.path.relpath(stored, ROOT), out, describe(*diff)))
            failed.append(name)
        else:
            print("%s: %d files match" % (name, len(actual)))
    if unstable:
        print("\nThe output of %s depends on the thread count: a bug to fix, not a list to "
              "regenerate." % ", ".join(unstable))
    if failed:
        byline = os.path.abspath(a.byline)
        flag = "" if byline == os.path.join(ROOT, "build", "byline") else " --byline " + byline
        print("\nGolden output differs for: %s.\n"
              "If the change is intended, regenerate the lists and review the diff:\n"
              "  tests/golden/golden.py --update%s\n"
              "  git diff --stat tests/golden" % (", ".join(sorted(set(failed))), flag))
    return 1 if failed or unstable else 0


if __name__ == "__main__":
    sys.exit(main())

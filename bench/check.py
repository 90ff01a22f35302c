#!/usr/bin/python3
"""How long `byline check` takes on a built corpus (issue 24: the internal
check under 1 s at 10,000 posts).

Builds the shared corpus (the one compare_hugo.py generates and caches, or
--corpus DIR) once into WORK/check-out-N with `--now 2025-01-01`, then runs
`byline check --no-build --timings` on that output --runs times and reports
the medians of:

  internal    listing the output and reading and checking every page, feed
              and sitemap (the `index` and `pages` stages), wall and CPU
  report      tracing what is broken to its Markdown file and line (the
              corpus's posts show images it does not ship, so there is
              something to report)
  whole       the process, start to exit, wall and CPU (user + system, from
              the kernel's accounting of the child)

Wall time on a machine other sessions are using moves with their load; CPU
time does much less, and on the 2-core machine the internal check's wall
time on a quiet machine is about its CPU time over two.

Usage: bench/check.py [--sizes 10000 | --corpus DIR] [--runs 5]
                      [--byline build/byline] [--work DIR]
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import compare_hugo as ch  # noqa: E402

TIMINGS = re.compile(r"index ([0-9.]+) s, pages ([0-9.]+) s, wordpress [0-9.]+ s, "
                     r"external [0-9.]+ s, report ([0-9.]+) s; CPU: internal check ([0-9.]+) s, "
                     r"all ([0-9.]+) s")
SUMMARY = re.compile(r"Checked (\d+) pages: (\d+) links .* (\d+) feeds .* in [0-9.]+ s: "
                     r"(nothing broken|(\d+) broken)")


def child_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def check_once(byline, corpus, out):
    cpu0, t0 = child_cpu(), time.monotonic()
    r = subprocess.run([byline, "check", "--no-build", "--timings", "-s", corpus, "-d", out],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    wall, cpu = time.monotonic() - t0, child_cpu() - cpu0
    if r.returncode not in (0, 1):
        sys.exit("byline check failed (%d):\n%s" % (r.returncode, r.stdout))
    s, t = SUMMARY.search(r.stdout), TIMINGS.search(r.stdout)
    if not s or not t:
        sys.exit("cannot read byline check's output:\n" + r.stdout)
    index, pages, report, cpu_internal, _ = (float(x) for x in t.groups())
    return {"pages": int(s.group(1)), "links": int(s.group(2)), "feeds": int(s.group(3)),
            "broken": int(s.group(5) or 0), "internal": index + pages,
            "cpu_internal": cpu_internal, "report": report, "wall": wall, "cpu": cpu}


def bench(a, posts, corpus):
    out = os.path.join(a.work, "check-out-%d" % posts)
    r = subprocess.run([a.byline, "build", "-q", "--now", "2025-01-01", "-s", corpus, "-d", out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("byline build failed:\n" + r.stderr[-2000:])
    runs = []
    for i in range(a.runs):
        res = check_once(a.byline, corpus, out)
        runs.append(res)
        print("  run %d: internal %.2f s wall, %.2f s CPU; report %.2f s; whole %.2f s wall, "
              "%.2f s CPU" % (i + 1, res["internal"], res["cpu_internal"], res["report"],
                              res["wall"], res["cpu"]), flush=True)
    med = {k: statistics.median(r[k] for r in runs)
           for k in ("internal", "cpu_internal", "report", "wall", "cpu")}
    first = runs[0]
    return [posts, first["pages"], first["links"], first["feeds"], first["broken"], med]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--corpus", help="an existing gen_corpus.py corpus; its size is its posts")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--byline", default=os.path.join(ROOT, "build", "byline"))
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "byline-bench"))
    a = ap.parse_args()
    a.byline = os.path.abspath(a.byline)
    os.makedirs(a.work, exist_ok=True)
    if a.corpus:
        posts = sum(len(f) for _, _, f in os.walk(os.path.join(a.corpus, "content")))
        targets = [(posts, os.path.abspath(a.corpus))]
    else:
        targets = [(n, ch.corpus(a.work, n, 0)) for n in ch.parse_sizes(a.sizes)]
    rows = []
    for posts, corpus in targets:
        print("%d posts (%s):" % (posts, corpus), flush=True)
        rows.append(bench(a, posts, corpus))
    print()
    print("| posts | pages | links | feeds | broken | internal check wall | internal check CPU "
          "| report | whole wall | whole CPU |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for posts, pages, links, feeds, broken, m in rows:
        print("| {:,} | {:,} | {:,} | {:,} | {:,} | {:.2f} s | {:.2f} s | {:.2f} s | {:.2f} s "
              "| {:.2f} s |".format(posts, pages, links, feeds, broken, m["internal"],
                                    m["cpu_internal"], m["report"], m["wall"], m["cpu"]))
    print("\nmedians of %d runs; `bench/check.py %s`" % (a.runs, " ".join(sys.argv[1:])))


if __name__ == "__main__":
    main()

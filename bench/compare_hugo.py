#!/usr/bin/python3
"""Side-by-side build benchmark: byline against Hugo on the same corpus.

Generates the corpus with ../shared/bench/gen_corpus.py (fixed seed, cached),
copies ../shared/bench/byline.toml beside it, then builds it with byline and
with Hugo (../shared/bench/run_hugo.sh), alternating, several runs each, and
prints the median wall time, CPU time (user+sys) and peak memory (max RSS) of
each and the ratios.

Usage: bench/compare_hugo.py [--posts 10000 [--posts 1000 ...]] [--runs 3]
                             [--tags N] [--byline build/byline] [--no-hugo] [--work DIR]

The two taxonomy shapes of issue 4: `--posts 10000 --tags 5` (one tag holding
nearly every post; the generator needs at least 5 tags to pick from) and
`--posts 10000 --tags 100000` (thousands of tags holding one post each).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def corpus(work, posts, tags):
    path = os.path.join(work, "corpus-%d-%d" % (posts, tags))
    stamp = os.path.join(path, ".complete")
    if not os.path.exists(stamp):
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "gen_corpus.py"), path,
                        "--posts", str(posts)] + (["--tags", str(tags)] if tags else []),
                       check=True, stdout=subprocess.DEVNULL)
        open(stamp, "w").close()
    shutil.copy(os.path.join(SHARED, "byline.toml"), path)
    return path


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (wall s, cpu s, peak MB)."""
    with tempfile.NamedTemporaryFile("r") as t:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name, *cmd], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, user, sys_, rss = t.read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024.0


def count_files(path):
    return sum(len(files) for _, _, files in os.walk(path))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, action="append")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tags", type=int, default=0,
                    help="tag vocabulary (default: the generator's posts/20, at least 5); --tags 5 "
                         "puts nearly every post in one tag, --tags 100000 gives thousands of "
                         "one-post tags")
    ap.add_argument("--byline", default=os.path.join(ROOT, "build", "byline"))
    ap.add_argument("--no-hugo", action="store_true", help="measure byline alone")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "byline-bench"))
    a = ap.parse_args()
    if a.tags and a.tags < 5:
        ap.error("--tags must be at least 5: the generator gives each post up to 5 distinct tags")
    sizes = a.posts or [10000]
    os.makedirs(a.work, exist_ok=True)
    tools = [("byline", lambda c, o: [a.byline, "build", "-q", "-s", c, "-d", o])]
    if not a.no_hugo:
        if not shutil.which("hugo"):
            sys.exit("hugo is not installed (apt-get install hugo), or pass --no-hugo")
        tools.append(("hugo", lambda c, o: ["sh", os.path.join(SHARED, "run_hugo.sh"), c, o]))

    print("%-8s %-7s %10s %10s %12s %8s" % ("posts", "tool", "wall s", "cpu s", "peak MB",
                                           "files"))
    for posts in sizes:
        c = corpus(a.work, posts, a.tags)
        results = {name: [] for name, _ in tools}
        files = {}
        for run in range(a.runs):
            for name, cmd in tools:  # alternating, so drift hits both alike
                out = os.path.join(a.work, "out-%s-%d" % (name, posts))
                shutil.rmtree(out, ignore_errors=True)
                results[name].append(timed(cmd(c, out)))
                files[name] = count_files(out)
        med = {}
        for name, _ in tools:
            runs = results[name]
            med[name] = tuple(statistics.median(r[i] for r in runs) for i in range(3))
            print("%-8d %-7s %10.2f %10.2f %12.0f %8d" % (posts, name, *med[name], files[name]))
        if "hugo" in med:
            b, h = med["byline"], med["hugo"]
            print("%-8d %-7s %9.1fx %9.1fx %11.1fx" % (posts, "ratio", h[0] / b[0], h[1] / b[1],
                                                      h[2] / b[2]))
        sys.stdout.flush()


if __name__ == "__main__":
    main()

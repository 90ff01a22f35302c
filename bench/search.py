#!/usr/bin/python3
"""byline's built-in search against Pagefind on the same 10,000-post site.

Builds the corpus with byline with [search] on and off (off: no index
and no related posts, `related = 0`; the same binary;
the content folder is shared through a symlink), alternating, and takes the
median wall time and peak memory (wait4's rusage) of each: byline's index
time is the difference. Then runs Pagefind (npm `pagefind`, pinned by
bench/pagefind/package-lock.json and installed there with npm ci) over the built output, timed the
same way, and measures in Chromium the bytes a browser fetches for a
one-word query with each (bench/search_bytes.js: script, manifest/entry,
wasm, index chunks and the records of the first 10 results; text files
served gzipped as static hosts do), and, through the search page in
Chromium, the time from each keystroke's input event to its results
painted, and the same after the page's debounce, from the query's start
(bench/search_keystroke.js).

Usage: bench/search.py [--byline build/byline] [--corpus DIR] [--work DIR] [--runs 3]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED_BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def timed(cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    if status:
        sys.exit("failed: " + " ".join(cmd))
    return wall, usage.ru_maxrss / 1024.0


def clear(out, trash):
    """Moves an output folder and what earlier builds retired beside it
    into `trash`, so that the next build neither swaps nor sweeps an old
    site: otherwise a build's time includes deleting the last one's 17,000
    files, which on a disk mounted with discard can take longer than the
    build. The trash is emptied at the end, untimed."""
    parent, name = os.path.split(out)
    os.makedirs(trash, exist_ok=True)
    for entry in os.listdir(parent):
        if entry == name or entry.startswith("." + name + ".byline-"):
            os.rename(os.path.join(parent, entry), os.path.join(trash, "%s-%d" % (entry, time.monotonic_ns())))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--byline", default=os.path.join(ROOT, "build", "byline"))
    ap.add_argument("--corpus", default="/tmp/byline-bench/corpus-10000-0")
    ap.add_argument("--work", default="/tmp/byline-bench/search")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--posts", type=int, default=10000, help="posts of a corpus generated when --corpus is missing")
    ap.add_argument("--no-pagefind", action="store_true", help="byline alone (the bench's own test)")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    if not os.path.isdir(args.corpus):
        subprocess.run(["/usr/bin/python3", os.path.join(SHARED_BENCH, "gen_corpus.py"), args.corpus,
                        "--posts", str(args.posts)], check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(SHARED_BENCH, "byline.toml"), args.corpus)
    # Two sites in the work folder sharing the corpus's content through a
    # symlink (the corpus folder is left as it is: a build saves its state
    # in the site's folder).
    with open(os.path.join(args.corpus, "byline.toml")) as f:
        config = f.read()
    on, off = os.path.join(args.work, "site-on"), os.path.join(args.work, "site-off")
    # Off is no search work at all: no index, and no related posts (which
    # are made from the same analysis of the text).
    for site, extra in ((on, ""), (off, "\n[search]\nenabled = false\nrelated = 0\n")):
        os.makedirs(site, exist_ok=True)
        with open(os.path.join(site, "byline.toml"), "w") as f:
            f.write(config + extra)
        if not os.path.exists(os.path.join(site, "content")):
            os.symlink(os.path.join(os.path.abspath(args.corpus), "content"), os.path.join(site, "content"))
    out_on, out_off = os.path.join(args.work, "out-on"), os.path.join(args.work, "out-off")
    trash = os.path.join(args.work, "trash")
    runs = {"on": [], "off": []}
    for i in range(args.runs):
        for name, site, out in (("off", off, out_off), ("on", on, out_on)):
            clear(out, trash)
            runs[name].append(timed([args.byline, "build", "-q", "--full", "-s", site, "-d", out]))
            print("byline search %-3s run %d: %.2f s, %.0f MiB" % (name, i + 1, *runs[name][-1]), flush=True)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in runs.items()}
    # One more build, untimed, for byline's own split of the search time.
    clear(out_on, trash)
    r = subprocess.run([args.byline, "build", "-q", "--full", "--timings", "-s", on, "-d", out_on],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True)
    split = re.search(r"^(search [0-9.]+ s) of render\+write: (.*)$", r.stdout, re.M)

    # Pagefind, pinned by bench/pagefind/package-lock.json and installed
    # there (node_modules/ is not committed), as the test tools are.
    pf, version = (0.0, 1.0), "(not run)"
    pf_dir = os.path.join(HERE, "pagefind")
    binary = os.path.join(pf_dir, "node_modules", "@pagefind", "linux-x64", "bin", "pagefind_extended")
    if args.no_pagefind:
        shutil.rmtree(os.path.join(out_on, "pagefind"), ignore_errors=True)
    elif not os.path.exists(binary) or (os.path.getmtime(os.path.join(pf_dir, "package-lock.json")) >
                                      os.path.getmtime(os.path.join(pf_dir, "node_modules", ".package-lock.json"))):
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=pf_dir, check=True)
    if not args.no_pagefind:
        version = json.load(open(os.path.join(pf_dir, "node_modules", "pagefind", "package.json")))["version"]
        shutil.rmtree(os.path.join(out_on, "pagefind"), ignore_errors=True)
        pf = timed([binary, "--site", out_on])
        print("pagefind %s: %.2f s, %.0f MiB" % (version, *pf), flush=True)

    # The browser steps drive Chromium through tests/browser's
    # playwright-core: installed there as the tests install it, if missing,
    # before the figures above are thrown away by a failing step.
    browser = os.path.join(ROOT, "tests", "browser")
    if not os.path.isdir(os.path.join(browser, "node_modules", "playwright-core")):
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=browser, check=True)

    # A word of the corpus: the first of the newest post's title.
    manifest = json.load(open(os.path.join(out_on, "search", "index.json")))
    sample = sorted(os.listdir(os.path.join(args.corpus, "content", "posts")))[-1]
    first = sorted(os.listdir(os.path.join(args.corpus, "content", "posts", sample)))[0]
    text = open(os.path.join(args.corpus, "content", "posts", sample, first), encoding="utf-8").read()
    word = re.search(r'title: "?([A-Za-z]+)', text).group(1).lower()
    r = subprocess.run(["node", os.path.join(HERE, "search_bytes.js"), out_on, word,
                        os.path.join(ROOT, "tests", "browser")], stdout=subprocess.PIPE, text=True, check=True)
    b = json.loads(r.stdout)
    # Keystroke to results through the search page's box, typing the word.
    r = subprocess.run(["node", os.path.join(HERE, "search_keystroke.js"), out_on, word,
                        os.path.join(ROOT, "tests", "browser")], stdout=subprocess.PIPE, text=True, check=True)
    k = json.loads(r.stdout)

    index_time = med["on"][0] - med["off"][0]
    print()
    print("| %d documents | byline | Pagefind %s |" % (manifest["docs"], version))
    print("|---|---|---|")
    print("| index time | %.2f s (build %.2f s with search, %.2f s without; in one more build, %s) | %.1f s |"
          % (index_time, med["on"][0], med["off"][0], split.group(1) + ": " + split.group(2) if split else "?", pf[0]))
    print("| peak memory | %.0f MiB (the whole build; %.0f MiB without search) | %.0f MiB |"
          % (med["on"][1], med["off"][1], pf[1]))
    pb = b.get("pagefind", {})
    print("| bytes for the one-word query %r (%d results; first 10 shown) | %.1f KB in %d files | %.1f KB in %d files |"
          % (word, b["byline"]["total"], b["byline"]["bytes"] / 1000, b["byline"]["files"],
             pb.get("bytes", 0) / 1000, pb.get("files", 0)))
    print("| query to results, index cached (Chromium) | %.1f ms | |" % b["byline"]["warm_ms"])
    print("| keystroke to results on /search/, typing %r (Chromium; input event to results painted) | first key %.0f ms, "
          "next keys median %.0f ms (%d of %d answered at once, from the files already fetched); from the start of "
          "the query shown (median wait %.0f ms) %.0f ms and %.0f ms | |"
          % (word, k["first_ms"], k["median_next_ms"], k["next_keys_at_once"], k["next_keys"],
             k["median_next_debounce_ms"], k["first_work_ms"], k["median_next_work_ms"]))
    print()
    print("index time / build: %.1f%% (target < 10%%); memory: byline's whole build %.2f of Pagefind's (target < 0.1)"
          % (100 * index_time / med["on"][0], med["on"][1] / pf[1]))
    print("files fetched:", json.dumps({n: v["list"] for n, v in b.items()}))
    print("keys:", json.dumps(k["keys"]))
    shutil.rmtree(trash, ignore_errors=True)


main()

#!/usr/bin/python3
"""Checks bench/search.py without timing anything: on a generated 60-post
corpus, byline alone (no Pagefind, which the bench installs from npm), one
run each way: it prints both runs, the table with byline's figures (index
time and its split, memory, the bytes of a one-word query with its files,
the query time in Chromium, the time from each key typed on the search
page to its results), and it empties its trash.

Usage: search_test.py path/to/byline
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    byline = sys.argv[1]
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as work:
        r = subprocess.run([sys.executable, os.path.join(HERE, "search.py"), "--posts", "60", "--runs", "1",
                            "--no-pagefind", "--corpus", os.path.join(work, "corpus"),
                            "--work", os.path.join(work, "bench"), "--byline", byline],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out = r.stdout
        check(r.returncode == 0, "the bench exits 0 (%d):\n%s" % (r.returncode, out))
        for name in ("off", "on "):
            check(re.search(r"^byline search %s run 1: [0-9.]+ s, [0-9]+ MiB$" % name, out, re.M),
                  "prints the run with search " + name.strip())
        m = re.search(r"^\| ([0-9]+) documents \| byline \| Pagefind \(not run\) \|$", out, re.M)
        check(m and int(m.group(1)) >= 60, "the table's head counts the documents")
        check(re.search(r"^\| index time \| -?[0-9.]+ s \(build [0-9.]+ s with search, [0-9.]+ s without; "
                        r"in one more build, search [0-9.]+ s: analysis [0-9.]+ s, related posts [0-9.]+ s, "
                        r"index files [0-9.]+ s; cpu [0-9.]+ s; [0-9]+ of [0-9]+ documents analysed\) \|",
                        out, re.M), "prints the index time and its split")
        check(re.search(r"^\| peak memory \| [0-9]+ MiB", out, re.M), "prints the memory")
        m = re.search(r"^\| bytes for the one-word query '[a-z]+' \(([0-9]+) results; first 10 shown\) \| "
                      r"([0-9.]+) KB in ([0-9]+) files \|", out, re.M)
        check(m and int(m.group(1)) > 0 and float(m.group(2)) > 0 and int(m.group(3)) >= 4,
              "a one-word query finds results and fetches the script, manifest, chunks and records")
        check(re.search(r"^\| query to results, index cached \(Chromium\) \| [0-9.]+ ms \|", out, re.M),
              "prints the query time")
        m = re.search(r"^\| keystroke to results on /search/, typing '([a-z]+)' \(Chromium; input event to results "
                      r"painted\) \| first key ([0-9]+) ms, next keys median ([0-9]+) ms \(([0-9]+) of ([0-9]+) "
                      r"answered at once, from the files already fetched\); from the start of the query shown "
                      r"\(median wait ([0-9]+) ms\) ([0-9]+) ms and ([0-9]+) ms \|", out, re.M)
        check(m and int(m.group(2)) > 0 and int(m.group(3)) > 0 and int(m.group(4)) <= int(m.group(5)),
              "prints the keystroke-to-results times and how many keys were answered at once")
        check(m and int(m.group(7)) > 0 and int(m.group(8)) > 0 and int(m.group(3)) >= int(m.group(8)),
              "prints the times from the query's start, each at most the whole")
        k = re.search(r"^keys: (.*)$", out, re.M)
        check(k and m and [x["typed"] for x in json.loads(k.group(1))] ==
              [m.group(1)[:i + 1] for i in range(len(m.group(1)))], "times every key of the word typed")
        check('"/search.js"' in out and '"/search/index.json"' in out, "lists the files fetched")
        check(not os.path.exists(os.path.join(work, "bench", "trash")), "the trash is emptied")
    if failures:
        print("bench/search.py: " + "\n".join(failures))
        sys.exit(1)
    print("bench/search.py runs and reports")


main()

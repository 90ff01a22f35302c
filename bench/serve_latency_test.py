#!/usr/bin/python3
"""Checks bench/serve_latency.py without timing anything: on a 100-post
corpus, byline alone, two edits a scenario, it reports every scenario with
figures that parse and the table, and leaves the corpus it generated as
gen_corpus.py made it.

Usage: serve_latency_test.py path/to/byline
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def tree(folder):
    out = {}
    for root, _, names in os.walk(folder):
        for n in names:
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, folder)] = f.read()
    return out


def main():
    byline = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        cmd = [sys.executable, os.path.join(HERE, "serve_latency.py"), "--sizes", "100",
               "--edits", "2", "--no-hugo", "--work", work, "--byline", byline]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=600)
        failures = []
        if r.returncode != 0:
            failures.append("the bench failed (%d)" % r.returncode)
        for name in ("body edit", "title edit", "CSS edit"):
            if not re.search(r"^byline\s+%s\s+median \d+\.\d+ s" % name, r.stdout, re.M):
                failures.append("no median for " + name)
        if not re.search(r"^\| 100 \| byline \| \d+ ms; target", r.stdout, re.M) and \
                not re.search(r"^\| 100 \| byline \| \d+ ms \| \d+ ms \| \d+ ms \|", r.stdout, re.M):
            failures.append("no table row")
        corpus = os.path.join(work, "corpus-100-0")
        before = tree(os.path.join(corpus, "content"))
        fresh = os.path.join(work, "fresh")
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                     "shared", "bench", "gen_corpus.py"),
                        fresh, "--posts", "100"], check=True, stdout=subprocess.DEVNULL)
        if before != tree(os.path.join(fresh, "content")):
            failures.append("the bench changed the corpus it edits a copy of")
    if failures:
        print(r.stdout)
        print("FAILED: " + "; ".join(failures))
        return 1
    print(r.stdout)
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

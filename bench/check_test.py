#!/usr/bin/python3
"""Checks bench/check.py without timing anything: a one-run bench of a
200-post corpus reports a table whose counts match the corpus (every post a
page, links found, feeds parsed) and figures that parse.

Usage: check_test.py path/to/byline
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    byline = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="byline-check-bench-")
    try:
        r = subprocess.run([sys.executable, os.path.join(HERE, "check.py"), "--sizes", "200",
                            "--runs", "1", "--work", work, "--byline", byline],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=600)
        print(r.stdout)
        assert r.returncode == 0, "bench failed"
        row = re.search(r"^\| 200 \| ([0-9,]+) \| ([0-9,]+) \| ([0-9,]+) \| ([0-9,]+) \| "
                        r"([0-9.]+) s \| ([0-9.]+) s \| ([0-9.]+) s \| ([0-9.]+) s \| "
                        r"([0-9.]+) s \|$", r.stdout, re.M)
        assert row, "no table row for 200 posts"
        pages, links, feeds = (int(row.group(i).replace(",", "")) for i in (1, 2, 3))
        assert pages > 200, pages  # every post, and the lists
        assert links > 20 * pages, links
        assert feeds > 10, feeds
        assert "run 1: internal" in r.stdout
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Checks bench/compare_hugo.py without timing anything: a two-run bench of a
30-post corpus (byline only, caches kept) prints every run, the medians and
the Markdown table, and leaves the last output in place and the earlier one
deleted, with the time of that deletion recorded; the freed-inode wait and
the list of program files the cache step reads back are right.

Usage: compare_hugo_test.py path/to/byline
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare_hugo  # noqa: E402


def main():
    byline = sys.argv[1]
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as work:
        r = subprocess.run([sys.executable, os.path.join(HERE, "compare_hugo.py"), "--posts", "30",
                            "--runs", "2", "--no-hugo", "--keep-caches", "--work", work,
                            "--byline", byline], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        out = r.stdout
        check(r.returncode == 0, "the bench exits 0 (%d):\n%s" % (r.returncode, out))
        check("Before each run: sync only (caches kept)" in out, "says the caches were kept")
        for n in (1, 2):
            check(re.search(r"^30 +byline +run %d: [0-9.]+ s, [0-9.]+ s CPU, [0-9]+ MiB$" % n, out,
                            re.M), "prints run %d" % n)
        m = re.search(r"^30 +byline +[0-9.]+ +[0-9.]+ +[0-9]+ +([0-9]+)$", out, re.M)
        check(m is not None, "prints the medians with the file count")
        built = os.path.join(work, "out-byline-30")
        if m:
            check(int(m.group(1)) == compare_hugo.count_files(built),
                  "the file count is the output's")
        check(re.search(r"^\| 30 \| [0-9.]+ s \| [0-9.]+ s \| [0-9]+ MiB \| ", out, re.M),
              "prints the Markdown row")
        check(os.path.exists(os.path.join(built, "index.html")), "the last run's output stays")
        check(not os.path.exists(os.path.join(work, "trash")), "the earlier output is deleted")
        stamp = os.path.join(work, "trash-emptied")
        check(os.path.exists(stamp), "the deletion's time is recorded")
        if os.path.exists(stamp):
            t = os.path.getmtime(stamp)
            window = compare_hugo.FREED_INODE_WINDOW
            check(compare_hugo.freed_inode_wait(stamp, t + 1) == window - 1,
                  "a bench a second later waits out the rest of the window")
            check(compare_hugo.freed_inode_wait(stamp, t + window + 1) == 0,
                  "a bench after the window does not wait")
        check(compare_hugo.freed_inode_wait(os.path.join(work, "none"), 0) == 0,
              "no recorded deletion, no wait")

    files = compare_hugo.program_files([byline, None])
    check(os.path.realpath(byline) in files, "the program itself is read back")
    check(any("libcmark-gfm" in f for f in files), "its shared libraries are read back: %s" % files)
    check(all(os.path.isabs(f) and os.path.isfile(f) for f in files), "only existing files")

    for f in failures:
        print("FAIL:", f)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

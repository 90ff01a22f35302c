#!/usr/bin/python3
"""Checks bench/fs_floor: the copy it times has every file of the site at its
size and in its folder, nothing else, whatever the thread count; it refuses a
destination that exists, a site that is not a folder and a bad --threads.

Usage: fs_floor_test.py path/to/byline_fs_floor
"""
import os
import subprocess
import sys
import tempfile


def tree(root):
    """{relative path: size} of every file, and the set of folders."""
    files, dirs = {}, set()
    for d, subdirs, names in os.walk(root):
        rel = os.path.relpath(d, root)
        if rel != ".":
            dirs.add(rel)
        for n in names:
            files[os.path.normpath(os.path.join(rel, n))] = os.path.getsize(os.path.join(d, n))
    return files, dirs


def main():
    tool = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        layout = {
            "index.html": 5000,
            "rss.xml": 70000,  # more than one page of the filler
            "empty.txt": 0,
            "2019/08/a-post/index.html": 1234,
            "2019/08/b-post/index.html": 4096,
            "2019/09/c-post/index.html": 1,
            "tag/russia/index.html": 800,
            "tag/russia/page/2/index.html": 900,
            "tag/russia/rss.xml": 300,
            "deep/a/b/c/d/e/index.html": 42,
        }
        for rel, size in layout.items():
            path = os.path.join(site, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(b"<" * size)
        os.makedirs(os.path.join(site, "an-empty-folder"))  # has no file: not replayed
        want_files, want_dirs = tree(site)
        want_dirs.discard("an-empty-folder")

        for threads in ("1", "2", "7"):
            dest = os.path.join(tmp, "copy-" + threads)
            r = subprocess.run([tool, site, dest, "--threads", threads], capture_output=True,
                               text=True)
            if r.returncode != 0:
                failures.append("threads %s: exit %d: %s" % (threads, r.returncode, r.stderr))
                continue
            got_files, got_dirs = tree(dest)
            if got_files != want_files:
                failures.append("threads %s: files differ: %r" % (threads, sorted(
                    set(got_files.items()) ^ set(want_files.items()))))
            if got_dirs != want_dirs:
                failures.append("threads %s: folders differ: %r" % (threads,
                                                                    sorted(got_dirs ^ want_dirs)))
            left = [n for n in os.listdir(tmp) if "staging" in n]
            if left:
                failures.append("threads %s: left behind %r" % (threads, left))
            expect = "10 files, 0.1 MB, %s thread" % threads
            if not r.stdout.startswith(expect):
                failures.append("threads %s: report %r does not start %r" % (threads, r.stdout,
                                                                             expect))

            # A second run into the same folder would time overwrites, not creation.
            again = subprocess.run([tool, site, dest], capture_output=True, text=True)
            if again.returncode == 0 or "already exists" not in again.stderr:
                failures.append("an existing destination was not refused: %r" % (again,))

        for bad in (["--threads", "0"], ["--threads", "two"], ["--threads"]):
            r = subprocess.run([tool, site, os.path.join(tmp, "y")] + bad, capture_output=True,
                               text=True)
            if r.returncode != 2 or "--threads needs a whole number" not in r.stderr:
                failures.append("%r was not refused: %r" % (bad, r))

        missing = subprocess.run([tool, os.path.join(tmp, "nope"), os.path.join(tmp, "x")],
                                 capture_output=True, text=True)
        if missing.returncode == 0 or "not a folder" not in missing.stderr:
            failures.append("a missing site was not refused: %r" % (missing,))
        if os.path.exists(os.path.join(tmp, "x")):
            failures.append("a refused run created its destination")

    for f in failures:
        print("FAIL:", f)
    print("ok" if not failures else "%d failure(s)" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

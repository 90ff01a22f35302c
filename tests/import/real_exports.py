#!/usr/bin/python3
"""Every real WordPress export in ../shared/testdata/wxr-real imports, builds
and keeps its old URLs (see links_resolve.py for what is checked). Runs
the exports two at a time; the whole set takes seconds.

Registered in ctest by tests/import/import.cmake.

usage: real_exports.py BYLINE WXR_REAL_DIR
"""
import concurrent.futures
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from links_resolve import check_export  # noqa: E402

byline, folder = sys.argv[1:3]
exports = sorted(f for f in os.listdir(folder) if f.endswith(".xml"))
if len(exports) < 40:
    sys.exit("expected the 46 exports in %s, found %d" % (folder, len(exports)))


def run(name):
    tmp = tempfile.mkdtemp(prefix="byline-real-")
    try:
        return name, check_export(byline, os.path.join(folder, name), tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


total, broken = 0, 0
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    for name, (checked, failed) in pool.map(run, exports):
        total += checked
        print("%-55s %4d URLs, %d failed" % (name, checked, len(failed)))
        for f in failed:
            print("  FAIL:", f)
        if failed:
            broken += 1
print("%d exports, %d URLs checked, %d exports with failures" % (len(exports), total, broken))
sys.exit(1 if broken else 0)

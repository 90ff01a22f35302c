#!/usr/bin/python3
"""Every real WordPress export in shared/testdata/wxr-real imports, builds
and passes `byline check --wordpress` with nothing broken: every old URL
of the export answers, and every link of the built site resolves, apart
from the two classes the migration is not to blame for (uploads the export
carries no file for, links the export had broken already), which are
counted and explained.

Usage: wxr_real_test.py BYLINE_BINARY SOURCE_DIR
"""
import glob
import os
import subprocess
import sys
import tempfile
import unittest

BYLINE = None
FOLDER = None


def run(*args):
    return subprocess.run([BYLINE, *args], capture_output=True, text=True, timeout=300)


class RealExportsTest(unittest.TestCase):
    def test_every_real_export_checks_clean(self):
        exports = sorted(glob.glob(os.path.join(FOLDER, "*.xml")))
        # The folder's README names 46 exports; fewer means the data moved.
        self.assertEqual(len(exports), 46, FOLDER)
        failed = []
        for export in exports:
            name = os.path.basename(export)[:-4]
            with self.subTest(export=name), tempfile.TemporaryDirectory() as tmp:
                site = os.path.join(tmp, "site")
                r = run("import", "wordpress", export, "-o", site)
                self.assertEqual(r.returncode, 0, r.stderr[-3000:])
                r = run("check", "-s", site, "--wordpress", export)
                errors = [l for l in r.stderr.split("\n") if ": error: " in l]
                if r.returncode != 0:
                    failed.append(name)
                self.assertEqual(r.returncode, 0, "\n".join(errors)[:3000])
                self.assertEqual(errors, [])
                self.assertRegex(r.stdout, r" in [\d.]+ s: nothing broken\.")
        self.assertEqual(failed, [])


if __name__ == "__main__":
    BYLINE = os.path.abspath(sys.argv[1])
    source = os.path.abspath(sys.argv[2])
    FOLDER = os.path.normpath(os.path.join(source, "..", "shared/testdata/wxr-real"))
    if not os.path.isdir(FOLDER):
        FOLDER = "/work/shared/testdata/wxr-real"
    unittest.main(argv=sys.argv[:1], verbosity=2)

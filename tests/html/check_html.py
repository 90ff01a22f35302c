#!/usr/bin/python3
"""Builds the example site and a 1,000-post corpus and runs the Nu HTML
Checker (vnu.jar, from tests/html/node_modules) over the pages: every page of
the example site, and a sample of the corpus (home, list pages, term pages and
posts). Fails on any error.

Usage: check_html.py BYLINE_BINARY SOURCE_DIR
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

byline, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
shared = os.path.join(os.path.dirname(source), "shared")
vnu = os.path.join(source, "tests", "html", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
if not os.path.exists(vnu):
    sys.exit("vnu.jar is missing: run scripts/install-deps.sh")

tmp = tempfile.mkdtemp(prefix="byline-html-")
try:
    example = os.path.join(tmp, "example")
    subprocess.run([byline, "build", "-q", "-s", os.path.join(source, "examples"), "-d", example],
                   check=True)
    pages = glob.glob(os.path.join(example, "**", "*.html"), recursive=True)

    corpus = os.path.join(tmp, "corpus")
    subprocess.run(["/usr/bin/python3", os.path.join(shared, "bench", "gen_corpus.py"), corpus,
                    "--posts", "1000"], check=True, stdout=subprocess.DEVNULL)
    shutil.copy(os.path.join(shared, "bench", "byline.toml"), corpus)
    out = os.path.join(tmp, "corpus-out")
    subprocess.run([byline, "build", "-q", "-s", corpus, "-d", out], check=True)
    sample = sorted(glob.glob(os.path.join(out, "20*", "*", "*", "index.html")))[::25]
    sample += glob.glob(os.path.join(out, "*.html")) + glob.glob(os.path.join(out, "page", "2", "*.html"))
    sample += sorted(glob.glob(os.path.join(out, "tag", "*", "index.html")))[:10]
    sample += glob.glob(os.path.join(out, "tag", "index.html"))
    sample += glob.glob(os.path.join(out, "2019", "index.html"))

    # The corpus's own Markdown jumps from the title to "###" headings; that
    # is the content's choice, not the theme's, so only there it is allowed.
    failures = []
    for files, extra in ((pages, []), (sample, ["--filterpattern", ".*skipping [0-9] heading level.*"])):
        r = subprocess.run(["java", "-jar", vnu, "--errors-only", "--format", "gnu", *extra, *files],
                           capture_output=True, text=True)
        report = (r.stdout + r.stderr).strip()
        if r.returncode != 0 or report:
            failures.append(report.replace(tmp, ""))
    checked = len(pages) + len(sample)
    if failures:
        print("\n".join(failures)[:20000])
        print("0 passed, 1 failed: the Nu HTML Checker found errors in the %d pages checked" % checked)
        sys.exit(1)
    print("%d pages checked: no errors" % checked)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

#!/usr/bin/python3
"""Lists byline's longest functions, measured on clang's AST.

Every translation unit of src/ (tests excluded) in the build's
compile_commands.json is run through clang-tidy's readability-function-size
check, which walks the AST clang builds for the file; functions defined in
headers under src/ are reported once. A function's length is the number of
lines from its body's opening brace to its closing brace, both included
(clang-tidy's count, plus one): comments and blank lines count, since they
are what a reader scrolls through. A lambda is part of the function it is
written in; its own lines are not listed separately.

This is a report, not a test: it prints every function longer than
--over lines, then the next --next longest.

clang 14 rejects a few things GCC accepts (capturing a structured binding
in a lambda); such a file still yields its functions, since clang recovers
inside the body, and the files with errors are named at the end so a
surprising number can be checked by hand.

Usage: function_lengths.py [--build build] [--over 150] [--next 15] [--jobs 2]
Needs a configured build (CMAKE_EXPORT_COMPILE_COMMANDS is on), e.g. after
`make build`.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Below the threshold clang-tidy stays silent; 0 would list every function.
FLOOR = 20
WARNING_RE = re.compile(r"^(.+?):(\d+):(\d+): warning: function '([^']*)' exceeds recommended "
                        r"size/complexity thresholds \[readability-function-size\]$")
NOTE_RE = re.compile(r"^(.+?):(\d+):(\d+): note: (\d+) lines including whitespace and comments")
ERROR_RE = re.compile(r"^(.+?):\d+:\d+: error: ")


def translation_units(build_dir, src):
    with open(os.path.join(build_dir, "compile_commands.json"), encoding="utf-8") as f:
        entries = json.load(f)
    files = set()
    for e in entries:
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if not path.startswith(src + os.sep) or path.endswith(("_test.cc", "_perftest.cc")):
            continue
        files.add(path)
    return sorted(files)


def measure(tidy, build_dir, src, path):
    """The functions of one file and the headers it includes, and its clang errors."""
    config = ("{Checks: '-*,readability-function-size', CheckOptions: "
              f"[{{key: readability-function-size.LineThreshold, value: {FLOOR}}}]}}")
    cmd = [tidy, "-p", build_dir, "--quiet", f"-config={config}",
           f"-header-filter={re.escape(src)}/.*", path]
    run = subprocess.run(cmd, capture_output=True, text=True)
    functions = []
    errors = 0
    pending = None
    for line in (run.stdout + run.stderr).splitlines():
        m = WARNING_RE.match(line)
        if m:
            pending = (os.path.normpath(m.group(1)), int(m.group(2)), m.group(4))
            continue
        m = NOTE_RE.match(line)
        if m and pending and (os.path.normpath(m.group(1)), int(m.group(2))) == pending[:2]:
            functions.append((pending[0], pending[1], pending[2], int(m.group(4)) + 1))
            pending = None
            continue
        m = ERROR_RE.match(line)
        if m:
            errors += 1
    return path, functions, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="the build folder holding compile_commands.json")
    parser.add_argument("--over", type=int, default=150,
                        help="list every function longer than this many lines")
    parser.add_argument("--next", type=int, default=15,
                        help="then this many of the next longest")
    parser.add_argument("--jobs", type=int, default=2, help="clang-tidy processes at once")
    parser.add_argument("--clang-tidy", default="clang-tidy")
    args = parser.parse_args()

    src = os.path.join(ROOT, "src")
    build_dir = os.path.abspath(args.build)
    units = translation_units(build_dir, src)
    if not units:
        print(f"no translation units of src/ in {build_dir}/compile_commands.json", file=sys.stderr)
        return 1

    found = {}  # (path, line) -> (name, length)
    with_errors = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        jobs = [pool.submit(measure, args.clang_tidy, build_dir, src, u) for u in units]
        for job in concurrent.futures.as_completed(jobs):
            path, functions, errors = job.result()
            if errors:
                with_errors.append((path, errors))
            for fpath, line, name, length in functions:
                if fpath.endswith("_test.cc") or not fpath.startswith(src + os.sep):
                    continue
                found[(fpath, line)] = (name, length)

    ranked = sorted(found.items(), key=lambda kv: (-kv[1][1], kv[0]))
    over = [r for r in ranked if r[1][1] > args.over]
    rest = [r for r in ranked if r[1][1] <= args.over][:args.next]

    def show(rows, title):
        print(title)
        print("| lines | function | where |")
        print("|---:|---|---|")
        for (path, line), (name, length) in rows:
            print(f"| {length} | `{name}` | `{os.path.relpath(path, ROOT)}:{line}` |")
        print()

    show(over, f"Functions longer than {args.over} lines ({len(over)}):")
    show(rest, f"The next {len(rest)} longest:")
    print(f"{len(units)} files measured; {len(found)} functions of {FLOOR + 2} lines or more.")
    if with_errors:
        print("clang reported errors in (the functions were still measured): " +
              ", ".join(f"{os.path.relpath(p, ROOT)} ({n})" for p, n in sorted(with_errors)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

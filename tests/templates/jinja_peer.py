#!/usr/bin/python3
"""Jinja2's own test suite, replayed through `byline template render`.

The cases (../shared/testdata/jinja/jinja_peer_cases.json, see the README
beside it) were recorded from Jinja2 3.1.6's tests: templates, a JSON
context, strict or not, and either the exact `expected` output or an `error`
Jinja2 raises. A case matches when byline prints exactly `expected` and exits
0, or, for an `error` case, exits 1 with a diagnostic on stderr. A crash (a
signal or any other exit status) or a timeout never matches.

Which cases may differ is decided in one place only: the list between

    <!-- jinja-peer-differences:begin -->
    <!-- jinja-peer-differences:end -->

in docs/templates.md, one item a line: "* `case id` — reason" (a reason may go
on in indented lines). The data's own `deliberate` marks only label what is
reported. The runner fails when

  * a case differs and is not listed there (whether or not the data marks it
    `deliberate`: a deliberate difference still has to be documented);
  * a listed case matches (the entry is stale: delete it);
  * a listed id is not a case, is listed twice or has no reason;
  * byline crashes or times out, listed or not.

Usage:

    /usr/bin/python3 tests/templates/jinja_peer.py --tool build/byline \\
        --cases ../shared/testdata/jinja/jinja_peer_cases.json \\
        [--docs docs/templates.md] [--only ID]... [--verbose] [--jobs N]
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

BEGIN_MARK = "<!-- jinja-peer-differences:begin -->"
END_MARK = "<!-- jinja-peer-differences:end -->"
# A list item whose first code span is the case id; the rest of the line is
# the reason. Ids never contain a backtick, but a code span may be opened
# with two backticks so an id may begin or end with one.
ITEM_RE = re.compile(r"^\s*[*-]\s+(`+)(.+?)\1(.*)$")

DEFAULT_DOCS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             "..", "..", "docs", "templates.md"))


def read_listed(docs_path):
    """Returns ({id: reason}, [problems]) from the marked list in the docs."""
    problems = []
    listed = {}
    with open(docs_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    begins = [i for i, l in enumerate(lines) if l.strip() == BEGIN_MARK]
    ends = [i for i, l in enumerate(lines) if l.strip() == END_MARK]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        problems.append("%s: expected exactly one %s ... %s section"
                        % (docs_path, BEGIN_MARK, END_MARK))
        return listed, problems
    items = []  # [line number, id, reason]
    for n in range(begins[0] + 1, ends[0]):
        line = lines[n]
        if not line.strip():
            continue
        m = ITEM_RE.match(line)
        if m:
            case_id = m.group(2)
            if m.group(1) == "``":
                case_id = case_id.strip()
            items.append([n + 1, case_id, m.group(3)])
        elif line.startswith("  ") and items:
            # An indented line goes on with the reason of the item above.
            items[-1][2] += " " + line.strip()
        else:
            problems.append("%s:%d: not a '* `case id` reason' item: %s"
                            % (docs_path, n + 1, line))
    for lineno, case_id, reason in items:
        if not reason.strip(" \t-—:"):
            problems.append("%s:%d: %s is listed without a reason"
                            % (docs_path, lineno, case_id))
        if case_id in listed:
            problems.append("%s:%d: %s is listed twice" % (docs_path, lineno, case_id))
        listed[case_id] = reason.strip(" \t-—:")
    return listed, problems


def write_case(directory, case):
    for name, text in case["templates"].items():
        path = os.path.join(directory, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
    context_path = os.path.join(directory, "..", "context.json")
    with open(context_path, "w", encoding="utf-8") as f:
        json.dump(case["context"], f, ensure_ascii=False)
    return context_path


def run_case(tool, case, timeout):
    """Renders one case; returns a dict with `ok` and what byline did."""
    with tempfile.TemporaryDirectory(prefix="jinja_peer_") as root:
        templates = os.path.join(root, "templates")
        os.mkdir(templates)
        context_path = write_case(templates, case)
        cmd = [tool, "template", "render", case["main"], "--templates", templates,
               "--context", context_path]
        if case.get("strict"):
            cmd.append("--strict")
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return {"ok": False, "fatal": True,
                    "why": "timed out after %gs" % timeout,
                    "stdout": e.stdout or b"", "stderr": e.stderr or b""}
    result = {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
              "fatal": False}
    if proc.returncode not in (0, 1):
        result.update(ok=False, fatal=True,
                      why="crashed (%s)" % (
                          "signal %d" % -proc.returncode if proc.returncode < 0
                          else "exit status %d" % proc.returncode))
    elif "error" in case:
        if proc.returncode == 0:
            result.update(ok=False, why="rendered, but Jinja2 raises %s" % case["error"])
        elif not proc.stderr.strip():
            result.update(ok=False, why="failed without a diagnostic")
        else:
            result.update(ok=True, why="")
    else:
        if proc.returncode != 0:
            result.update(ok=False, why="failed, but Jinja2 renders")
        elif proc.stdout != case["expected"].encode("utf-8"):
            result.update(ok=False, why="output differs")
        else:
            result.update(ok=True, why="")
    return result


def clip(text, limit):
    if limit is None or len(text) <= limit:
        return text
    return text[:limit] + "…(%d more)" % (len(text) - limit)


def describe(case, result, verbose):
    """The lines that explain a difference."""
    limit = None if verbose else 300
    out = ["  " + result["why"]]
    names = [case["main"]] + sorted(n for n in case["templates"] if n != case["main"])
    shown = names if verbose else names[:1]
    for name in shown:
        out.append("  template %s: %s" % (name, clip(repr(case["templates"][name]), limit)))
    if len(names) > len(shown):
        out.append("  (+%d more templates: %s)" % (len(names) - len(shown),
                                                   ", ".join(names[len(shown):])))
    if case["context"]:
        out.append("  context: %s" % clip(json.dumps(case["context"], ensure_ascii=False),
                                          limit))
    if case.get("strict"):
        out.append("  strict: true")
    if "error" in case:
        out.append("  jinja2:   %s: %s" % (case["error"], clip(case.get("jinja_message", ""),
                                                                limit)))
    else:
        out.append("  expected: %s" % clip(repr(case["expected"]), limit))
    stdout = result["stdout"].decode("utf-8", "replace")
    stderr = result["stderr"].decode("utf-8", "replace").strip()
    if stdout or "error" not in case:
        out.append("  got:      %s" % clip(repr(stdout), limit))
    if stderr:
        out.append("  stderr:   %s" % clip(stderr.replace("\n", "\n            "), limit))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tool", required=True, help="the byline binary")
    ap.add_argument("--cases", required=True, help="jinja_peer_cases.json")
    ap.add_argument("--docs", default=DEFAULT_DOCS,
                    help="the markdown file holding the list of cases that differ")
    ap.add_argument("--only", action="append", default=[], metavar="ID",
                    help="run only this case (repeatable; stale entries in the docs list are "
                         "then looked for only among these)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print every case and untruncated templates and outputs")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per case")
    args = ap.parse_args()

    try:
        with open(args.cases, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        print("cannot read the cases: %s" % e)
        return 1
    cases = data["cases"]
    by_id = {}
    problems = []
    for case in cases:
        if case["id"] in by_id:
            problems.append("duplicate case id in the data: %s" % case["id"])
        by_id[case["id"]] = case

    listed, list_problems = read_listed(args.docs)
    problems.extend(list_problems)
    for case_id in sorted(listed):
        if case_id not in by_id:
            problems.append("%s lists %s, which is not a case" % (args.docs, case_id))

    if args.only:
        unknown = [i for i in args.only if i not in by_id]
        if unknown:
            print("no such case: %s" % ", ".join(unknown))
            return 1
        selected = [by_id[i] for i in args.only]
    else:
        selected = cases

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda c: run_case(args.tool, c, args.timeout), selected))

    matched = []
    unlisted = []     # differs, not in the docs list: a failure
    listed_diff = []  # differs, in the docs list: expected
    stale = []        # in the docs list, but matches: a failure
    fatal = []        # crash or timeout: always a failure
    deliberate_matching = []
    for case, result in zip(selected, results):
        is_listed = case["id"] in listed
        if result["fatal"]:
            fatal.append((case, result))
        elif result["ok"]:
            matched.append(case)
            if is_listed:
                stale.append(case)
            elif case.get("deliberate"):
                deliberate_matching.append(case)
        elif is_listed:
            listed_diff.append((case, result))
        else:
            unlisted.append((case, result))
        if args.verbose:
            print("%-9s %s" % ("ok" if result["ok"] else
                               "LISTED" if is_listed and not result["fatal"] else "FAIL",
                               case["id"]))

    def section(title, items):
        if items:
            print("\n== %s (%d)" % (title, len(items)))
            for case, result in items:
                print("* %s" % case["id"])
                if case.get("deliberate"):
                    print("  deliberate in the data: %s" % case["deliberate"])
                for line in describe(case, result, args.verbose):
                    print(line)

    section("crashes and timeouts (never acceptable)", fatal)
    section("differ from Jinja2 and not listed in %s" % os.path.relpath(args.docs), unlisted)
    if args.verbose:
        section("differ from Jinja2, listed as deliberate", listed_diff)
    elif listed_diff:
        print("\n== differ from Jinja2, listed as deliberate in %s (%d)"
              % (os.path.relpath(args.docs), len(listed_diff)))
        for case, result in listed_diff:
            print("* %s: %s" % (case["id"], listed[case["id"]]))
    if stale:
        print("\n== listed in %s but now matching Jinja2: remove them (%d)"
              % (os.path.relpath(args.docs), len(stale)))
        for case in stale:
            print("* %s" % case["id"])
    if deliberate_matching:
        print("\n== marked deliberate in the data, but byline matches (fine; %d)"
              % len(deliberate_matching))
        for case in deliberate_matching:
            print("* %s" % case["id"])
    if problems:
        print("\n== problems with the data or the docs list (%d)" % len(problems))
        for p in problems:
            print("* " + p)

    docs_name = os.path.relpath(args.docs)
    deliberate = [c for c in selected if c.get("deliberate")]
    non_deliberate = [c for c in selected if not c.get("deliberate")]
    print("\nsummary: %d cases: %d match, %d mismatch (not listed), %d differ as listed in %s, "
          "%d stale entries, %d crashes/timeouts"
          % (len(selected), len(matched), len(unlisted), len(listed_diff), docs_name, len(stale),
             len(fatal)))
    print("  non-deliberate cases: %d of %d match"
          % (sum(1 for c in matched if not c.get("deliberate")), len(non_deliberate)))
    print("  deliberate cases (per the data): %d: %d differ and are listed, %d differ unlisted, "
          "%d match anyway"
          % (len(deliberate), sum(1 for c, _ in listed_diff if c.get("deliberate")),
             sum(1 for c, _ in unlisted if c.get("deliberate")),
             sum(1 for c in matched if c.get("deliberate"))))
    extra = [c for c, _ in listed_diff if not c.get("deliberate")]
    if extra:
        print("  listed in %s beyond the data's deliberate cases: %d" % (docs_name, len(extra)))
    failed = unlisted or stale or fatal or problems
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

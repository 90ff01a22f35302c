#!/usr/bin/python3
"""Differential tests: render every case with Python's Jinja2 and with
byline's engine (through `byline template render`) and compare byte for byte.

Cases live in tests/templates/cases/*.txt, many to a file:

    === case-name [strict] [error]
    --- ctx
    {"json": "context"}
    --- page.html
    template text (the first template section is the one rendered)
    --- other.html
    more templates (includes, bases, macro libraries)

A section's text ends before the next '---'/'===' line, without the newline
that precedes that line. `error` cases must fail in both engines; `strict`
renders with StrictUndefined / --strict.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import jinja2

# Deliberate differences from Jinja2, documented in docs/templates.md.
EXCLUDED = {
}


def parse_cases(path):
    cases = []
    cur = None
    section = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for line in lines:
        if line.startswith("=== "):
            words = line[4:].split()
            cur = {"name": words[0], "flags": set(words[1:]), "files": [], "ctx": "{}",
                   "source": os.path.basename(path)}
            cases.append(cur)
            section = None
            continue
        if line.startswith("--- ") and cur is not None:
            section = [line[4:].strip(), []]
            if section[0] == "ctx":
                cur["ctx_section"] = section
            else:
                cur["files"].append(section)
            continue
        if section is not None:
            section[1].append(line)
    for c in cases:
        for s in c["files"]:
            s[1] = "\n".join(s[1])
        if "ctx_section" in c:
            c["ctx"] = "\n".join(c.pop("ctx_section")[1])
    # The last section of a file ends with the file's final newline.
    for c in cases:
        for s in c["files"]:
            if s[1].endswith("\n") and c is cases[-1] and s is c["files"][-1]:
                s[1] = s[1][:-1]
    return cases


def render_jinja(directory, name, ctx, strict):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"]),
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
    )
    try:
        return True, env.get_template(name).render(ctx)
    except Exception as e:  # any failure counts as "an error"
        return False, "%s: %s" % (type(e).__name__, e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True, help="the byline binary")
    ap.add_argument("--cases", required=True)
    ap.add_argument("-k", default="", help="only cases whose name contains this")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()

    cases = []
    for fn in sorted(os.listdir(args.cases)):
        if fn.endswith(".txt"):
            cases.extend(parse_cases(os.path.join(args.cases, fn)))
    names = set()
    passed = failed = excluded = 0
    for case in cases:
        if case["name"] in names:
            print("duplicate case name:", case["name"])
            failed += 1
            continue
        names.add(case["name"])
        if args.k and args.k not in case["name"]:
            continue
        if case["name"] in EXCLUDED:
            excluded += 1
            continue
        with tempfile.TemporaryDirectory() as d:
            for fname, text in case["files"]:
                p = os.path.join(d, fname)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
            ctx_path = os.path.join(d, "__context.json")
            with open(ctx_path, "w", encoding="utf-8") as f:
                f.write(case["ctx"])
            ctx = json.loads(case["ctx"])
            main_name = case["files"][0][0]
            strict = "strict" in case["flags"]
            j_ok, j_out = render_jinja(d, main_name, ctx, strict)
            cmd = [args.tool, "template", "render", main_name, "--templates", d, "--context", ctx_path]
            if strict:
                cmd.append("--strict")
            proc = subprocess.run(cmd, capture_output=True, timeout=20)
            b_ok = proc.returncode == 0
            b_out = proc.stdout.decode("utf-8", "replace")
            b_err = proc.stderr.decode("utf-8", "replace")
        want_error = "error" in case["flags"]
        problems = []
        if proc.returncode not in (0, 1):
            problems.append("byline exited with %d (crash?)" % proc.returncode)
        if want_error:
            if j_ok:
                problems.append("case expects an error but Jinja2 rendered %r" % j_out)
            if b_ok:
                problems.append("Jinja2 failed (%s) but byline rendered %r" % (j_out, b_out))
            elif not b_err.strip():
                problems.append("byline failed without a diagnostic")
        else:
            if not j_ok:
                problems.append("Jinja2 failed: %s" % j_out)
            elif not b_ok:
                problems.append("byline failed:\n%s" % b_err)
            elif j_out != b_out:
                problems.append("output differs:\n  jinja2: %r\n  byline: %r" % (j_out, b_out))
        if problems:
            failed += 1
            print("FAIL %s (%s)" % (case["name"], case["source"]))
            for p in problems:
                print("  " + p)
        else:
            passed += 1
            if args.v:
                print("ok   %s" % case["name"])
    print("%d passed, %d failed%s" % (passed, failed,
                                      ", %d excluded" % excluded if excluded else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

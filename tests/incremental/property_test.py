#!/usr/bin/python3
"""Property test of the incremental build (issue 22, "Proof that it is right").

From a fixture site (the example site, made richer: a theme layer, a page
bundle, a second section) and from the generated 1,000-post corpus, applies
a long seeded sequence of random edits (tests/incremental/edits.py). After
every step it builds the site incrementally into folder A and in full
(--full) into a fresh folder B with the same --now, and compares the two
byte for byte, file list included. It also checks that the build into A was
really incremental (its summary says "files written" or "Nothing changed";
only a config edit may make it a full one), so the test cannot pass by
building everything every time, and that both builds give the same
warnings.

Some edits are invalid (broken front matter, a bad appearance, a broken
template): the build must then exit non-zero with a located error
(file:line:col) and leave A exactly as it was; the next step repairs the
file and its build must be correct again.

On failure: the step, the whole edit sequence so far, a summary of the
differing files with the first lines of their diffs, the incremental
build's --explain output, and the command that repeats the run.

Usage: property_test.py BYLINE SOURCE_DIR [--site fixture|corpus]
                        [--seed N] [--steps N] [--posts N] [--keep] [-v]
                        [--skip EDIT,...] [--weight EDIT=N ...]
--skip and --weight steer a longer search (say, templates only:
--weight template_add=40 --weight template_edit=40).
"""
import argparse
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import edits  # noqa: E402
import sitelib as sl  # noqa: E402

LOCATED = re.compile(r"^(\S+):(\d+):(\d+): error", re.M)


class Failure(Exception):
    pass


def warnings(run):
    return sorted(line for line in run.stderr.splitlines() if ": warning: " in line)


def run(args):
    byline = os.path.abspath(args.byline)
    source = os.path.abspath(args.source)
    tmp = tempfile.mkdtemp(prefix="byline-prop-%s-" % args.site)
    site = os.path.join(tmp, "site")
    out_a = os.path.join(tmp, "A")
    out_b = os.path.join(tmp, "B")
    if args.site == "fixture":
        sl.make_fixture_site(source, site)
    else:
        sl.make_corpus_site(source, site, args.posts)
    rng = sl.rng_for(args.seed, args.site)
    editor = edits.Editor(site, rng, dt.datetime(2025, 1, 1, 12, tzinfo=dt.timezone.utc), source)
    for name in args.skip:
        editor.weights.pop(name)
    for name, weight in args.weight:
        editor.weights[name] = weight
    history = []
    repeat = "%s %s %s --site %s --seed %d --steps %d%s%s" % (
        sys.argv[0], args.byline, args.source, args.site, args.seed, args.steps,
        " --posts %d" % args.posts if args.site == "corpus" else "",
        " --skip " + ",".join(args.skip) if args.skip else "")
    repeat += "".join(" --weight %s=%d" % w for w in args.weight)
    stats = {"incremental": 0, "nothing": 0, "full": 0, "invalid": 0, "written": 0}
    t_inc = t_full = 0.0

    def fail(step, message, inc=None):
        lines = ["", "FAILED at step %d of seed %d on the %s site: %s" % (step, args.seed, args.site, message),
                 "", "edit sequence:"]
        lines += ["  %3d. %s" % (i + 1, h) for i, h in enumerate(history)]
        if inc is not None:
            lines += ["", "incremental build into A:", inc.describe()]
        lines += ["", "site and outputs kept in " + tmp, "repeat with: " + repeat]
        raise Failure("\n".join(lines))

    now = edits.fmt_now(editor.now)
    editor.last_build_ns = time.time_ns()
    first = sl.run_build(byline, site, out_a, now)
    if first.returncode != 0:
        fail(0, "the first build failed", first)
    for step in range(1, args.steps + 1):
        desc = editor.step()
        now = edits.fmt_now(editor.now)
        history.append("%s  [--now %s]" % (desc, now))
        if args.verbose:
            print("%3d. %s" % (step, history[-1]), flush=True)
        if desc.startswith("INVALID"):
            before = sl.snapshot(out_a, with_stat=True)
            editor.last_build_ns = time.time_ns()
            inc = sl.run_build(byline, site, out_a, now)
            stats["invalid"] += 1
            if inc.returncode == 0:
                fail(step, "the build of an invalid site succeeded", inc)
            m = LOCATED.search(inc.stderr)
            if not m or int(m.group(2)) < 1 or int(m.group(3)) < 1:
                fail(step, "the error is not located (file:line:col)", inc)
            if not m.group(1).endswith(editor.invalid[0]):
                fail(step, "the error names %s, not %s" % (m.group(1), editor.invalid[0]), inc)
            after = sl.snapshot(out_a, with_stat=True)
            if before != after:
                changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
                fail(step, "a failed build changed A: %s" % ", ".join(changed[:20]), inc)
            continue
        t0 = time.monotonic()
        editor.last_build_ns = time.time_ns()
        inc = sl.run_build(byline, site, out_a, now)
        t1 = time.monotonic()
        shutil.rmtree(out_b, ignore_errors=True)
        full = sl.run_build(byline, site, out_b, now, full=True, explain=False)
        t2 = time.monotonic()
        t_inc += t1 - t0
        t_full += t2 - t1
        if inc.returncode != 0:
            fail(step, "the incremental build failed", inc)
        if full.returncode != 0:
            fail(step, "the full build failed:\n" + full.describe(), inc)
        stats[inc.kind] += 1
        if inc.kind == "full" and not editor.expect_full:
            fail(step, "the build into A was a full one (%s), not incremental" % inc.full_reason, inc)
        written = re.search(r"; (\d+) of \d+ files written", inc.summary)
        if written:
            stats["written"] += int(written.group(1))
        if editor.expect_no_writes and written and int(written.group(1)) != 0:
            fail(step, "a file saved unchanged made the build write %s files" % written.group(1), inc)
        diff = sl.diff_trees(sl.snapshot(out_a), sl.snapshot(out_b), "A", "B")
        if diff:
            fail(step, "the incremental output differs from the full build:\n" + diff, inc)
        # What the build says about the input (warnings on pages restored
        # from the state included) is the same as well.
        if inc.kind != "nothing" and warnings(inc) != warnings(full):
            fail(step, "the warnings differ from the full build's:\n  only incremental: %s\n  only full: %s" % (
                sorted(set(warnings(inc)) - set(warnings(full))), sorted(set(warnings(full)) - set(warnings(inc)))),
                 inc)
    # A last check that --full owes nothing to the saved state: a fresh copy
    # of the site, without .byline, built into a fresh folder.
    fresh = os.path.join(tmp, "fresh")
    sl.copy_site(site, fresh)
    if editor.invalid:
        shutil.rmtree(fresh)
    else:
        out_c = os.path.join(tmp, "C")
        clean = sl.run_build(byline, fresh, out_c, now, explain=False)
        if clean.returncode != 0:
            fail(args.steps, "the clean build of a fresh copy failed", clean)
        diff = sl.diff_trees(sl.snapshot(out_a), sl.snapshot(out_c), "A", "fresh")
        if diff:
            fail(args.steps, "the output differs from a fresh copy's clean build:\n" + diff)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return stats, t_inc, t_full


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("byline")
    p.add_argument("source")
    p.add_argument("--site", choices=["fixture", "corpus"], default="fixture")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--posts", type=int, default=1000, help="posts in the corpus")
    p.add_argument("--skip", type=lambda s: [x for x in s.split(",") if x], default=[],
                   help="edits to leave out, comma-separated (see EDITS in edits.py)")
    p.add_argument("--weight", type=lambda s: (s.split("=")[0], int(s.split("=")[1])), action="append",
                   default=[], help="NAME=N: how often an edit is chosen (repeatable; see EDITS in edits.py)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("-v", "--verbose", action="store_true", help="print each edit")
    args = p.parse_args()
    start = time.monotonic()
    try:
        stats, t_inc, t_full = run(args)
    except Failure as e:
        print(e, flush=True)
        return 1
    print("%s site, seed %d: %d steps in %.1f s (incremental builds %.1f s, full builds %.1f s); "
          "%d incremental, %d nothing to do, %d full (config edits), %d invalid edits refused; "
          "%d files written incrementally" % (
              args.site, args.seed, args.steps, time.monotonic() - start, t_inc, t_full,
              stats["incremental"], stats["nothing"], stats["full"], stats["invalid"], stats["written"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

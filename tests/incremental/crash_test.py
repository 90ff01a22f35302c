#!/usr/bin/python3
"""Crash test of the incremental build (issue 22): kill -9 a build at chosen
moments and check what it leaves.

For each kill, with OLD the output before the build and NEW a clean full
build of the edited site:
- every file in the output folder is OLD's version or NEW's, never torn;
  a file in both OLD and NEW is never missing, and nothing else is there;
- a hidden entry of the output (.well-known/) survives;
- the next build succeeds and its output equals NEW, byte for byte.

Exact moments come from strace's fault injection (SIGKILL on entering the
N-th call of a system call, optionally only calls naming a path): while
files are rendered into the staging folder, before the publishing mark is
made, before the first, a middle and the last file is
moved into place, before the first and last removal, at the state file's
creation, first write and rename, at the first write to the page log, at
the removal of the mark, and, for a
full build over an existing output, at the swap and after it. The counts
come from a traced dry run of the same build. Then timed kills (SIGKILL
after a random delay) on the fixture site and on the 1,000-post corpus, a
chain of edits each built and killed.

Usage: crash_test.py BYLINE SOURCE_DIR [--seed N] [--timed N] [--corpus-timed N]
                     [--posts N] [--keep]
"""
import argparse
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import edits  # noqa: E402
import sitelib as sl  # noqa: E402

HIDDEN = ".well-known/keep.txt"
NOW = dt.datetime(2025, 1, 1, 12, tzinfo=dt.timezone.utc)


class Failure(Exception):
    pass


def files_of(snap):
    return {p: e[1] for p, e in snap.items() if e[0] == "f"}


def check_old_or_new(out, old, new, what):
    """Every file of `out` is old's or new's; none both had is missing."""
    now = files_of(sl.snapshot(out))
    old, new = files_of(old), files_of(new)
    problems = []
    for path, data in sorted(now.items()):
        if path.startswith(".well-known/"):
            continue
        if path not in old and path not in new:
            problems.append("stray file %s" % path)
        elif data != old.get(path) and data != new.get(path):
            problems.append("torn or foreign file %s (%d bytes; old %s, new %s)" % (
                path, len(data), len(old[path]) if path in old else "-", len(new[path]) if path in new else "-"))
    for path in sorted(set(old) & set(new)):
        if path not in now and not path.startswith(".well-known/"):
            problems.append("missing file %s (in the old and the new output)" % path)
    if HIDDEN not in now:
        problems.append("the hidden entry %s is gone" % HIDDEN)
    if problems:
        raise Failure("%s: the output is neither old nor new:\n  %s" % (what, "\n  ".join(problems[:30])))


def without_hidden(snap):
    return {p: e for p, e in snap.items() if not p.startswith(".well-known")}


class Scenario:
    """A site built into A, then edited; NEW is its clean full build."""

    def __init__(self, args, tmp, name, kind="fixture", site=None, edits_from=None):
        self.args = args
        self.byline = os.path.abspath(args.byline)
        self.root = os.path.join(tmp, name)
        os.makedirs(self.root)
        self.site = site or os.path.join(self.root, "site")
        self.out = os.path.join(self.root, "A")
        self.ref = os.path.join(self.root, "B")
        if site is None:
            if kind == "fixture":
                sl.make_fixture_site(os.path.abspath(args.source), self.site)
            else:
                sl.make_corpus_site(os.path.abspath(args.source), self.site, args.posts)
        self.editor = edits.Editor(self.site, sl.rng_for(args.seed, edits_from or name), NOW, os.path.abspath(args.source))
        self.now = edits.fmt_now(NOW)
        self.history = []
        first = sl.run_build(self.byline, self.site, self.out, self.now)
        if first.returncode != 0:
            raise Failure("%s: the first build failed\n%s" % (name, first.describe()))
        sl.write(os.path.join(self.out, HIDDEN), "kept across builds\n")
        # A's state: the only one yet (B's full builds save theirs beside it).
        builds = os.path.join(self.site, ".byline", "builds")
        self.state_dir = os.path.join(builds, os.listdir(builds)[0])
        self.old = self.new = None

    def edit(self, names):
        self.old = sl.snapshot(self.out)
        self.editor.expect_full = False
        for name in names:
            # An edit that does not apply (no template override to edit)
            # gives way to a body edit.
            for _ in range(20):
                desc = getattr(self.editor, name)()
                if desc is not None:
                    break
            else:
                desc = self.editor.edit_body()
            self.history.append(desc)
        self.now = edits.fmt_now(self.editor.now)
        shutil.rmtree(self.ref, ignore_errors=True)
        t0 = time.monotonic()
        full = sl.run_build(self.byline, self.site, self.ref, self.now, full=True, explain=False)
        self.full_seconds = time.monotonic() - t0
        if full.returncode != 0:
            raise Failure("the full build of the edited site failed\n" + full.describe())
        self.new = sl.snapshot(self.ref)

    def command(self):
        return sl.build_command(self.byline, self.site, self.out, self.now)

    def recover(self, what):
        """The build after the kill: it must give NEW."""
        t0 = time.monotonic()
        run = sl.run_build(self.byline, self.site, self.out, self.now)
        run.seconds = time.monotonic() - t0
        if run.returncode != 0:
            raise Failure("%s: the build after the kill failed\n%s" % (what, run.describe()))
        diff = sl.diff_trees(without_hidden(sl.snapshot(self.out)), self.new, "A", "clean")
        if diff:
            raise Failure("%s: the build after the kill differs from a clean build (it was %s%s):\n%s\n%s" % (
                what, run.kind, ": " + run.full_reason if run.full_reason else "", diff, run.describe()))
        if not os.path.exists(os.path.join(self.out, HIDDEN)):
            raise Failure("%s: the hidden entry did not survive the build after the kill" % what)
        return run


def traced_env():
    """The environment of a traced build. Under AddressSanitizer (make
    asan), LeakSanitizer stops the process's threads with ptrace at exit,
    which a traced process cannot do: leaks are looked for in the untraced
    runs."""
    env = dict(os.environ)
    asan = env.get("ASAN_OPTIONS", "")
    env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "detect_leaks=0"
    # One thread: the incremental commit moves files in parallel runs of 64,
    # the caller's thread taking a share that depends on scheduling, and
    # strace counts each thread's calls. With the search index a few edits
    # move more than one run, and under load the main thread's N-th
    # renameat was no longer the same move in the dry run and the kill.
    env["BYLINE_THREADS"] = "1"
    return env


def strace_cmd(log, trace, inject=None, paths=()):
    cmd = ["strace", "-f", "-qq", "-o", log, "-e", "trace=" + trace]
    for p in paths:
        cmd += ["-P", p]
    if inject:
        cmd += ["-e", "inject=" + inject]
    return cmd


def main_thread_calls(log):
    """The system calls of the traced process's main thread, in order:
    (name, first argument)."""
    calls, main = [], None
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"(\d+)\s+(\w+)\((.*)", line)
            if not m:
                continue
            if main is None:
                main = m.group(1)
            if m.group(1) == main:
                calls.append((m.group(2), m.group(3)))
    return calls


def deterministic(args, tmp, log_lines):
    """Kills at exact moments, found by a traced dry run."""
    edit_names = ["edit_title", "delete_post", "add_post", "edit_date", "edit_tags", "rename_post"]
    # The dry run: which calls the build makes, and how many.
    # Every scenario makes the same edits (the same seed on the same site),
    # so that the counts hold for each.
    dry = Scenario(args, tmp, "dry", edits_from="deterministic")
    dry.edit(edit_names)
    trace_log = os.path.join(tmp, "dry.strace")
    proc = subprocess.run(strace_cmd(trace_log, "renameat,unlinkat,rename,unlink,openat") + dry.command(),
                          capture_output=True, text=True, env=traced_env())
    if proc.returncode != 0:
        raise Failure("the traced dry run failed (is ptrace allowed?):\n%s\n%s" % (proc.stdout, proc.stderr))
    calls = main_thread_calls(trace_log)
    moves = sum(1 for c in calls if c[0] == "renameat")
    removals = sum(1 for c in calls if c[0] == "unlinkat")
    if "files written" not in proc.stdout or moves < 3:
        raise Failure("the dry run was not an incremental build that moved files:\n" + proc.stdout)
    dry.recover("dry run")
    mark_unlinked = any(c[0] == "unlink" and "publishing" in c[1] for c in calls)
    if not mark_unlinked:
        raise Failure("the dry run did not remove the publishing mark with unlink(): the test needs updating")
    log_lines.append("dry run: %d files moved into place, %d unlinkat calls on the main thread; edits: %s" % (
        moves, removals, "; ".join(dry.history)))

    points = [
        # Files are made in the staging folder by several threads; strace
        # counts each thread's calls, so this is the first thread to make
        # its fifth file there.
        ("while rendering, at a fifth file made in the staging folder", "openat",
         "openat:signal=KILL:when=5", ["{staging}"]),
        ("before the publishing mark is made", "openat", "openat:signal=KILL:when=1", ["{state}/publishing"]),
        ("before the first file is moved into place", "renameat", "renameat:signal=KILL:when=1", []),
        ("before file %d of %d is moved" % (moves // 2, moves), "renameat",
         "renameat:signal=KILL:when=%d" % (moves // 2), []),
        ("before the last file is moved", "renameat", "renameat:signal=KILL:when=%d" % moves, []),
        # The page records are appended to the log the last state points
        # into (state/saved_state.h) when most of it is still in use, as
        # after these few edits.
        ("before the page log is first written to", "write", "write:signal=KILL:when=1", ["{pages}"]),
        ("before the state file is created", "openat", "openat:signal=KILL:when=1", ["{state}/state.tmp"]),
        ("before the state file's first write", "write", "write:signal=KILL:when=1", ["{state}/state.tmp"]),
        ("before the state file is renamed into place", "rename", "rename:signal=KILL:when=1",
         ["{state}/state.tmp"]),
        ("before the publishing mark is removed", "unlink", "unlink:signal=KILL:when=1", ["{state}/publishing"]),
    ]
    if removals:
        points.insert(2, ("before the first removal", "unlinkat", "unlinkat:signal=KILL:when=1", []))
        points.insert(3, ("before the last unlinkat of the publish", "unlinkat",
                          "unlinkat:signal=KILL:when=%d" % removals, []))
    # A full build over the existing output (the config changed): at its
    # swap, and at the retiring of the old tree after it.
    full_points = [
        ("full build: before the swap (RENAME_EXCHANGE)", "renameat2", "renameat2:signal=KILL:when=1", []),
        ("full build: before the old tree is retired", "rename", "rename:signal=KILL:when=1", ["{staging}"]),
        ("full build: before the publishing mark is removed", "unlink", "unlink:signal=KILL:when=1",
         ["{state}/publishing"]),
    ]
    for i, (what, trace, inject, paths) in enumerate(points + full_points):
        sc = Scenario(args, tmp, "kill-%02d" % i, edits_from="deterministic")
        sc.edit(edit_names + (["edit_config"] if what.startswith("full build") else []))
        sdir = sc.state_dir
        staging = os.path.join(sc.root, ".A.byline-staging")
        logs = sorted(f for f in os.listdir(sdir) if f.startswith("pages-"))
        if "{pages}" in "".join(paths) and len(logs) != 1:
            raise Failure("%s: expected one page log in %s, found %s: the test needs updating" % (what, sdir, logs))
        paths = [p.format(state=sdir, staging=staging, pages=os.path.join(sdir, logs[0]) if logs else "")
                 for p in paths]
        log = os.path.join(sc.root, "strace.log")
        t0 = time.monotonic()
        proc = subprocess.run(strace_cmd(log, trace, inject, paths) + sc.command(), capture_output=True, text=True,
                              env=traced_env())
        if proc.returncode != -signal.SIGKILL:
            raise Failure("%s: the build was not killed (exit %s):\n%s\n%s" % (what, proc.returncode, proc.stdout,
                                                                           proc.stderr[-2000:]))
        if what.startswith("while rendering") and not os.listdir(staging):
            raise Failure("%s: the kill came before anything was rendered into %s" % (what, staging))
        check_old_or_new(sc.out, sc.old, sc.new, what)
        run = sc.recover(what)
        log_lines.append("killed %s: output old-or-new; next build %s%s, equal to a clean build (%.2f s)" % (
            what, run.kind, " (" + run.full_reason + ")" if run.full_reason else "", time.monotonic() - t0))
        if not args.keep:
            shutil.rmtree(sc.root, ignore_errors=True)


def timed(args, tmp, kind, count, log_lines):
    """A chain of edits, each built with a SIGKILL after a random delay."""
    if count <= 0:
        return
    sc = Scenario(args, tmp, "timed-" + kind, kind)
    rng = sl.rng_for(args.seed, "delays-" + kind)
    killed = publishing = 0
    incremental_seconds = None
    choices = ["edit_title", "edit_date", "edit_tags", "delete_post", "add_post", "edit_body",
               "template_edit", "template_add", "edit_draft", "rename_post"]
    for i in range(count):
        names = rng.sample(choices, 3)
        if rng.random() < 0.2:
            names.append("edit_config")
        sc.edit(names)
        # Half the kills anywhere up to a little more than the clean full
        # build took (an incremental one takes less, so some finish first);
        # half near the end of an incremental build as long as the last one
        # that ran to the end, where it publishes.
        if rng.random() < 0.5 or incremental_seconds is None:
            delay = rng.uniform(0.0, sc.full_seconds * 1.1)
        else:
            delay = rng.uniform(0.6, 1.0) * incremental_seconds
        proc = subprocess.Popen(sc.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        rc = proc.wait()
        what = "timed kill %d on the %s site after %.3f s (%s)" % (i + 1, kind, delay, "; ".join(sc.history[-len(names):]))
        killed += rc == -signal.SIGKILL
        check_old_or_new(sc.out, sc.old, sc.new, what)
        run = sc.recover(what)
        if run.kind == "incremental":
            incremental_seconds = run.seconds
        publishing += "stopped while it published" in run.full_reason
        log_lines.append("%s: %s; next build %s%s" % (
            what, "killed" if rc == -signal.SIGKILL else "finished first", run.kind,
            " (" + run.full_reason + ")" if run.full_reason else ""))
    log_lines.append("timed kills on the %s site: %d of %d builds killed before they finished, %d of them "
                     "while publishing" % (kind, killed, count, publishing))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("byline")
    p.add_argument("source")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timed", type=int, default=8, help="timed kills on the fixture site")
    p.add_argument("--corpus-timed", type=int, default=5, help="timed kills on the corpus")
    p.add_argument("--posts", type=int, default=1000)
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    if not shutil.which("strace"):
        print("crash_test: strace is not installed (scripts/install-deps.sh installs it)")
        return 1
    tmp = tempfile.mkdtemp(prefix="byline-crash-")
    log_lines = []
    start = time.monotonic()
    try:
        deterministic(args, tmp, log_lines)
        timed(args, tmp, "fixture", args.timed, log_lines)
        timed(args, tmp, "corpus", args.corpus_timed, log_lines)
    except Failure as e:
        print("\n".join(log_lines))
        print("\nFAILED (seed %d): %s\nkept in %s" % (args.seed, e, tmp))
        return 1
    print("\n".join(log_lines))
    print("crash test, seed %d: passed in %.1f s" % (args.seed, time.monotonic() - start))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

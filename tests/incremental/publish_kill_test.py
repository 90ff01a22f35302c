#!/usr/bin/python3
"""kill -9 at every step of publishing (issue 25): nothing is lost.

The output folder A holds, besides the site, what a user keeps there and
byline carries from one output to the next: a deploy checkout (.git/, with
an executable hook, a read-only object, a symbolic link and an empty
folder), .well-known/ (a private folder) and a .nojekyll file.

A dry run of the build under strace lists every call of the main thread
that changes a name on disk (rename, renameat, renameat2, link, linkat,
symlinkat, unlink, unlinkat) from the moment the build marks its state as
being published over until the mark is removed: the commit of the output
and the saving of the state. Then, for each of those calls in turn, the
same build is run again from the same starting point with strace
delivering SIGKILL as the call is entered (`inject=CALL:signal=KILL:when=N`,
N its rank among the thread's calls of that name), and:

- A exists and is a folder; for a full build its site is exactly the old
  one or exactly the new one (the swap is atomic), for an incremental one
  every file is the old or the new version and none that both have is
  missing;
- .git/, .well-known/ and .nojekyll are in A, every file with its bytes and
  mode, every folder and link as it was;
- the next plain `byline build` succeeds, its site equals a clean full build
  of the edited site byte for byte, the hidden entries are still intact,
  and nothing of the killed run is left beside A but retired trees
  (.A.byline-old-*, which the sweep deletes); the build after it has nothing
  to do.

Both kinds of build are covered: a full one (`--full`) over an existing
output, and an incremental one (a title edited, a post deleted, one added).
The traced builds run on one thread (BYLINE_THREADS=1), so that the N-th
call of a name is the same step in every run, and every kill is checked to
have landed on the call the dry run saw at that rank (or, when the thread
that deletes retired trees got there first, on that thread: noted). Steps
repeated for many files (moving each written file into place) are sampled:
the first two, the last two and two between; --all kills at every one.

Usage: publish_kill_test.py BYLINE SOURCE_DIR [--seed N] [--keep] [--all]
                             [--builds full,incremental]
"""
import argparse
import datetime as dt
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import edits  # noqa: E402
import sitelib as sl  # noqa: E402

NOW = dt.datetime(2025, 1, 1, 12, tzinfo=dt.timezone.utc)
KILLABLE = ("rename", "renameat", "renameat2", "link", "linkat", "symlinkat", "unlink", "unlinkat")
TRACE = "openat," + ",".join(KILLABLE)
HIDDEN_NAMES = (".git", ".well-known", ".nojekyll")


class Failure(Exception):
    pass


# ---------------------------------------------------------------- hidden entries

def make_hidden(out):
    """A deploy checkout and the other things a user keeps in the output."""
    def put(rel, data, mode=0o644):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)

    put(".git/HEAD", b"ref: refs/heads/main\n")
    put(".git/config", b"[core]\n\trepositoryformatversion = 0\n\tbare = false\n")
    put(".git/refs/heads/main", b"3f1c0a9e5b7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e\n")
    put(".git/objects/3f/1c0a9e5b7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e", bytes(range(256)) * 4, 0o444)
    put(".git/hooks/pre-push", b"#!/bin/sh\nexit 0\n", 0o755)
    os.makedirs(os.path.join(out, ".git", "refs", "tags"))
    os.symlink("HEAD", os.path.join(out, ".git", "HEAD.link"))
    put(".well-known/security.txt", b"Contact: mailto:security@example.org\n")
    put(".well-known/acme-challenge/token-1", b"token-1.thumbprint\n", 0o600)
    os.chmod(os.path.join(out, ".well-known"), 0o750)
    put(".nojekyll", b"")


def hidden_snapshot(out):
    """The hidden entries of `out`: rel path -> (kind, bytes or target, mode)."""
    snap = {}
    for name in HIDDEN_NAMES:
        top = os.path.join(out, name)
        if not os.path.lexists(top):
            continue
        paths = [top]
        if os.path.isdir(top) and not os.path.islink(top):
            for dirpath, dirnames, filenames in os.walk(top):
                paths += [os.path.join(dirpath, n) for n in dirnames + filenames]
        for path in paths:
            rel = os.path.relpath(path, out)
            st = os.lstat(path)
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                snap[rel] = ("l", os.readlink(path), None)
            elif stat.S_ISDIR(st.st_mode):
                snap[rel] = ("d", None, mode)
            else:
                with open(path, "rb") as f:
                    snap[rel] = ("f", f.read(), mode)
    return snap


def check_hidden(out, expected, what):
    now = hidden_snapshot(out)
    if now == expected:
        return
    problems = []
    for rel in sorted(set(expected) | set(now)):
        if rel not in now:
            problems.append("%s is gone" % rel)
        elif rel not in expected:
            problems.append("%s appeared" % rel)
        elif now[rel] != expected[rel]:
            e, n = expected[rel], now[rel]
            problems.append("%s changed (%s, mode %s; was %s, mode %s)" % (
                rel, n[0], oct(n[2]) if n[2] is not None else "-", e[0], oct(e[2]) if e[2] is not None else "-"))
    raise Failure("%s: the hidden entries of the output are not intact:\n  %s" % (what, "\n  ".join(problems)))


def site_of(snap):
    return {p: e for p, e in snap.items() if not p.split("/", 1)[0] in HIDDEN_NAMES}


# ---------------------------------------------------------------- strace

def strace_cmd(log, trace, inject=None):
    # execve first: the thread that makes it is the main one.
    cmd = ["strace", "-f", "-qq", "-o", log, "-e", "trace=execve," + trace]
    if inject:
        cmd += ["-e", "inject=" + inject]
    return cmd


def traced_env():
    # LeakSanitizer (make asan) stops threads with ptrace, which a traced
    # process cannot: leaks are looked for in the untraced runs.
    env = dict(os.environ)
    asan = env.get("ASAN_OPTIONS", "")
    env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "detect_leaks=0"
    # One thread: the incremental commit moves files in parallel, and
    # strace counts each thread's calls; with one, the N-th call of a name
    # is the same step in every run.
    env["BYLINE_THREADS"] = "1"
    return env


CALL = re.compile(r"(\d+)\s+(?:<\.\.\. )?(\w+)[\( ](.*)")


def calls_by_thread(log):
    """(main thread id, [(thread, call, arguments)]) in the order logged."""
    calls, main = [], None
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = CALL.match(line)
            if not m or "resumed>" in line:
                continue
            if main is None and m.group(2) == "execve":
                main = m.group(1)
            calls.append((m.group(1), m.group(2), m.group(3)))
    return main, calls


def shape(args):
    """A call's arguments with what differs from run to run (numbers: pids,
    descriptors, serials) taken out."""
    return re.sub(r"\d+", "#", call_args(args))


def call_args(args):
    """What strace shows of a call's arguments, without its result."""
    args = re.sub(r" <unfinished \.\.\.>$", "", args.rstrip("\n"))
    return re.split(r"\)\s+= ", args)[0] + ")"


def commit_steps(log, state_dir):
    """The main thread's killable calls from the publishing mark's creation to
    its removal: [(call, rank among the thread's calls of that name, args)]."""
    main, calls = calls_by_thread(log)
    mark = os.path.join(state_dir, "publishing")
    ranks, steps, inside = {}, [], False
    others = set()
    for thread, call, args in calls:
        if thread != main:
            if call in ("rename", "renameat", "renameat2", "linkat") and inside:
                others.add(call)
            continue
        if call == "openat" and mark in args:
            inside = True
        if call not in KILLABLE:
            continue
        ranks[call] = ranks.get(call, 0) + 1
        if inside:
            steps.append((call, ranks[call], args))
        if call == "unlink" and mark in args:
            break
    if not inside or not steps or steps[-1][0] != "unlink":
        raise Failure("the dry run never made and removed the publishing mark %s: the test needs updating" % mark)
    if others:
        raise Failure("the dry run moved or linked files on another thread (%s) while publishing: the kills "
                      "count the main thread's calls, so the test needs updating" % ", ".join(sorted(others)))
    return steps


def sample(steps, keep=6, many=12):
    """The steps to kill at: of the steps alike (the same call, arguments
    alike but for names and numbers: moving one file into place or another)
    the first two, the last two and two evenly between, when there are more
    than `many`; every other step."""
    def kind(step):
        return step[0] + re.sub(r"\d+", "#", re.sub(r'"[^"]*"', "S", call_args(step[2])))
    groups = {}
    for i, step in enumerate(steps):
        groups.setdefault(kind(step), []).append(i)
    chosen = set()
    for members in groups.values():
        if len(members) <= many:
            chosen.update(members)
            continue
        chosen.update(members[:2] + members[-2:])
        between = members[2:-2]
        for j in range(1, keep - 3):
            chosen.add(between[len(between) * j // (keep - 3)])
    return [steps[i] + (i,) for i in sorted(chosen)]


def killed_call(log, call):
    """The call strace delivered the signal at: the last of that name logged
    (none can follow it), with whether the main thread made it."""
    main, calls = calls_by_thread(log)
    mine = [(t == main, a) for t, c, a in calls if c == call]
    return mine[-1] if mine else (False, "")


# ---------------------------------------------------------------- the scenario

class Bench:
    """A starting point, kept aside, that each kill starts again from: the
    site built into WORK/A, the hidden entries added, then edited; and REF,
    a clean full build of the edited site."""

    def __init__(self, args, tmp, name, full):
        self.byline = os.path.abspath(args.byline)
        self.full = full
        self.work = os.path.join(tmp, "work")  # every run is at the same path: the state is kept by it
        self.saved = os.path.join(tmp, name.replace(" ", "-") + "-start")
        self.ref = os.path.join(tmp, name.replace(" ", "-") + "-ref")
        shutil.rmtree(self.work, ignore_errors=True)
        self.site = os.path.join(self.work, "site")
        self.out = os.path.join(self.work, "A")
        sl.make_fixture_site(os.path.abspath(args.source), self.site)
        editor = edits.Editor(self.site, sl.rng_for(args.seed, name), NOW, os.path.abspath(args.source))
        first = sl.run_build(self.byline, self.site, self.out, edits.fmt_now(NOW))
        if first.returncode != 0:
            raise Failure("%s: the first build failed\n%s" % (name, first.describe()))
        make_hidden(self.out)
        self.hidden = hidden_snapshot(self.out)
        self.old = sl.snapshot(self.out)
        self.history = [editor.edit_title(), editor.delete_post(), editor.add_post()]
        self.now = edits.fmt_now(editor.now)
        builds = os.path.join(self.site, ".byline", "builds")
        self.state_dir = os.path.join(builds, os.listdir(builds)[0])
        # Kept aside before the reference build leaves its state in the site.
        shutil.copytree(self.work, self.saved, symlinks=True)
        ref = sl.run_build(self.byline, self.site, self.ref, self.now, full=True, explain=False)
        if ref.returncode != 0:
            raise Failure("%s: the clean build of the edited site failed\n%s" % (name, ref.describe()))
        self.new = site_of(sl.snapshot(self.ref))

    def reset(self):
        shutil.rmtree(self.work)
        shutil.copytree(self.saved, self.work, symlinks=True)

    def command(self):
        return sl.build_command(self.byline, self.site, self.out, self.now, full=self.full)

    def beside(self):
        """What lies beside A that byline made (.A.byline-*)."""
        return sorted(n for n in os.listdir(self.work) if n.startswith(".A.byline-"))


def check_after_kill(b, what):
    if not os.path.isdir(b.out) or os.path.islink(b.out):
        raise Failure("%s: the output folder is gone (beside it: %s)" % (what, ", ".join(b.beside()) or "nothing"))
    check_hidden(b.out, b.hidden, what)
    now = site_of(sl.snapshot(b.out))
    old = site_of(b.old)
    if b.full:
        if now != old and now != b.new:
            raise Failure("%s: the output is neither the old site nor the new one:\n--- against the old\n%s\n"
                          "--- against the new\n%s" % (what, sl.diff_trees(now, old, "A", "old"),
                                                       sl.diff_trees(now, b.new, "A", "new")))
        return "old" if now == old else "new"
    problems = []
    for path, entry in sorted(now.items()):
        if entry[0] != "f":
            continue
        in_old, in_new = old.get(path), b.new.get(path)
        if in_old is None and in_new is None:
            problems.append("stray file %s" % path)
        elif entry[:2] != (in_old or ())[:2] and entry[:2] != (in_new or ())[:2]:
            problems.append("torn or foreign file %s" % path)
    for path in sorted(set(old) & set(b.new)):
        if old[path][0] == "f" and path not in now:
            problems.append("missing file %s (in the old and the new output)" % path)
    if problems:
        raise Failure("%s: the output is neither old nor new:\n  %s" % (what, "\n  ".join(problems[:30])))
    return "old" if now == old else "new" if now == b.new else "part old, part new"


def check_next_builds(b, what):
    run = sl.run_build(b.byline, b.site, b.out, b.now)
    if run.returncode != 0:
        raise Failure("%s: the build after the kill failed\n%s" % (what, run.describe()))
    diff = sl.diff_trees(site_of(sl.snapshot(b.out)), b.new, "A", "clean")
    if diff:
        raise Failure("%s: the build after the kill differs from a clean build (%s%s):\n%s" % (
            what, run.kind, ": " + run.full_reason if run.full_reason else "", diff))
    check_hidden(b.out, b.hidden, what + ", then built again")
    left = [n for n in b.beside() if not n.startswith(".A.byline-old-")]
    if left:
        raise Failure("%s: the build after the kill left %s beside the output" % (what, ", ".join(left)))
    again = sl.run_build(b.byline, b.site, b.out, b.now)
    if again.returncode != 0 or again.kind != "nothing":
        raise Failure("%s: the second build after the kill had something to do:\n%s" % (what, again.describe()))
    check_hidden(b.out, b.hidden, what + ", then built twice")
    return run


def run_kills(args, tmp, name, full, log_lines):
    b = Bench(args, tmp, name, full)
    dry_log = os.path.join(tmp, name.replace(" ", "-") + "-dry.strace")
    b.reset()
    proc = subprocess.run(strace_cmd(dry_log, TRACE) + b.command(), capture_output=True, text=True,
                          env=traced_env())
    if proc.returncode != 0:
        raise Failure("%s: the traced dry run failed (is ptrace allowed?):\n%s\n%s" % (name, proc.stdout,
                                                                                       proc.stderr))
    kind = sl.BuildRun([], proc).kind
    if kind != ("full" if full else "incremental"):
        raise Failure("%s: the dry run was a %s build:\n%s" % (name, kind, proc.stdout))
    steps = commit_steps(dry_log, b.state_dir)
    check_next_builds(b, name + " dry run")
    seen = {}
    for call, _, _ in steps:
        seen[call] = seen.get(call, 0) + 1
    log_lines.append("%s (%s): %d steps from the publishing mark to its removal (%s)" % (
        name, "; ".join(b.history), len(steps), ", ".join("%d %s" % (n, c) for c, n in sorted(seen.items()))))
    outcomes = {}
    chosen = [step + (i,) for i, step in enumerate(steps)] if args.all else sample(steps)
    for call, rank, args_seen, i in chosen:
        what = "%s, step %d of %d: %s(%s" % (name, i + 1, len(steps), call, call_args(args_seen)[:150])
        b.reset()
        log = os.path.join(tmp, "kill.strace")
        t0 = time.monotonic()
        proc = subprocess.run(strace_cmd(log, call, "%s:signal=KILL:when=%d" % (call, rank)) + b.command(),
                              capture_output=True, text=True, env=traced_env())
        if proc.returncode != -signal.SIGKILL:
            raise Failure("%s: the build was not killed (exit %s):\n%s\n%s" % (
                what, proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:]))
        on_main, got_args = killed_call(log, call)
        if on_main and shape(got_args) != shape(args_seen):
            raise Failure("%s: the kill landed on %s(%s instead: the steps differ from the dry run's" % (
                what, call, got_args[:200]))
        if not on_main:
            # strace counts each thread's calls: the sweep's thread, which
            # deletes retired trees once the output is swapped, reached the
            # same rank first. A kill there is as good a test.
            what += " [landed on another thread's %s(%s]" % (call, call_args(got_args)[:100])
        state = check_after_kill(b, what)
        leftovers = b.beside()
        run = check_next_builds(b, what)
        outcomes[state] = outcomes.get(state, 0) + 1
        log_lines.append("  killed at %s: output %s%s; next build %s%s, equal to a clean one (%.2f s)" % (
            what.split(": ", 1)[1], state, "; beside it " + ", ".join(re.sub(r"\d+", "N", n) for n in leftovers)
            if leftovers else "", run.kind, " (" + run.full_reason + ")" if run.full_reason else "",
            time.monotonic() - t0))
    log_lines.append("%s: %d kills at %d steps; the output was %s" % (
        name, len(chosen), len(steps), ", ".join("%s %d times" % (s, n) for s, n in sorted(outcomes.items()))))
    if full and not (outcomes.get("old") and outcomes.get("new")):
        raise Failure("%s: no kill came both before and after the swap: the steps are not the commit's" % name)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("byline")
    p.add_argument("source")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--builds", default="full,incremental", help="which kinds of build to kill")
    p.add_argument("--all", action="store_true",
                   help="kill at every step, not at a few of each kind of step repeated for many files")
    args = p.parse_args()
    if not shutil.which("strace"):
        print("publish_kill_test: strace is not installed (scripts/install-deps.sh installs it)")
        return 1
    tmp = tempfile.mkdtemp(prefix="byline-publish-kill-")
    log_lines = []
    start = time.monotonic()
    try:
        if "full" in args.builds:
            run_kills(args, tmp, "full build", True, log_lines)
        if "incremental" in args.builds:
            run_kills(args, tmp, "incremental build", False, log_lines)
    except Failure as e:
        print("\n".join(log_lines))
        print("\nFAILED (seed %d): %s\nkept in %s" % (args.seed, e, tmp))
        return 1
    print("\n".join(log_lines))
    print("publish kill test, seed %d: passed in %.1f s" % (args.seed, time.monotonic() - start))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

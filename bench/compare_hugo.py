#!/usr/bin/python3
"""Side-by-side build benchmark: byline against Hugo on the same corpus.

Generates the corpus with ../shared/bench/gen_corpus.py (fixed seed, cached),
copies ../shared/bench/byline.toml beside it, then builds it with byline and
with Hugo (../shared/bench/run_hugo.sh), alternating, several runs each, and
prints the median wall time, CPU time (user+sys) and peak memory (max RSS) of
each and the ratios. At the end, one table over every size (plain and as
Markdown for the README's Performance section) with the time per post, so
that cost growing linearly with the corpus shows: the "scale" column is the
wall time per post divided by that of the smallest size (1.0 = linear).

Usage: bench/compare_hugo.py [--posts 10000 [--posts 1000 ...]] [--sizes 1000,10000,...]
                             [--runs 3] [--tags N] [--byline build/byline]
                             [--no-hugo | --hugo-max N] [--keep-caches] [--work DIR]

As root, each run starts with the kernel's caches dropped and the corpus read
back in (see settle()); --keep-caches leaves them as they are.

Issue 7's linearity table: `--sizes 1000,10000,100000 --hugo-max 50000`
(Hugo needs about 20 GB at 100,000 posts, so leave it out there).

The two taxonomy shapes of issue 4: `--posts 10000 --tags 5` (one tag holding
nearly every post; the generator needs at least 5 tags to pick from) and
`--posts 10000 --tags 100000` (thousands of tags holding one post each).
"""
import argparse
import contextlib
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def corpus(work, posts, tags):
    path = os.path.join(work, "corpus-%d-%d" % (posts, tags))
    stamp = os.path.join(path, ".complete")
    if not os.path.exists(stamp):
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "gen_corpus.py"), path,
                        "--posts", str(posts)] + (["--tags", str(tags)] if tags else []),
                       check=True, stdout=subprocess.DEVNULL)
        open(stamp, "w").close()
    shutil.copy(os.path.join(SHARED, "byline.toml"), path)
    return path


def timed_output(cmd):
    """Runs cmd under /usr/bin/time; returns (wall s, cpu s, peak MiB: max RSS in KiB / 1024,
    what cmd printed on its standard output). Its standard error is dropped."""
    with tempfile.NamedTemporaryFile("r") as t:
        r = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name, *cmd],
                           check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
        wall, user, sys_, rss = t.read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024.0, r.stdout


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (wall s, cpu s, peak MiB: max RSS in KiB / 1024)."""
    return timed_output(cmd)[:3]


def set_aside(out, trash):
    """Moves a previous run's output into trash, to be deleted after the bench.

    Deleting it here instead would bill the next run for it: ext4 without a
    journal (as on this machine) skips every inode freed in the last 60 s
    when it allocates one (the last 360 s while the inode's table block has
    unwritten changes, which new files in that block make), so creating
    176,000 files right after deleting as many took 96 s instead of 46 s at
    100,000 posts. Both tools get the same
    clean start. (A rebuild within a minute of the last one pays this on
    such a filesystem whatever the tool; ext4 with its default journal does
    not make the check.)"""
    if os.path.lexists(out):
        os.makedirs(trash, exist_ok=True)
        os.rename(out, os.path.join(trash, "%d-%s" % (len(os.listdir(trash)),
                                                      os.path.basename(out))))


DROP_CACHES = "/proc/sys/vm/drop_caches"
# ext4 without a journal skips an inode freed in the last 60 s, or 360 s while
# its table block has unwritten changes (see set_aside), plus a second.
FREED_INODE_WINDOW = 361


def can_drop_caches():
    return os.access(DROP_CACHES, os.W_OK)


def program_files(programs):
    """The executables and the shared libraries they load (from ldd)."""
    paths = []
    for prog in programs:
        if not prog:
            continue
        paths.append(os.path.realpath(prog))
        r = subprocess.run(["ldd", prog], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
        for line in r.stdout.splitlines():
            words = line.split()
            lib = words[2] if len(words) > 2 and words[1] == "=>" else words[0] if words else ""
            if lib.startswith("/"):
                paths.append(os.path.realpath(lib))
    return sorted(set(paths))


def read_all(path):
    with open(path, "rb") as f:
        while f.read(1 << 20):
            pass


def settle(corpus_dir, programs):
    """Starts a run from the same kernel state as every other: caches emptied,
    then the corpus read back in.

    On this project's VM the kernel's caches decide a build's speed more than
    the build does: with the page cache, dentries and inodes of earlier
    benches filling memory (13.6 GB cached, 4.1 GB of slab), byline took 26 to
    33 s at 100,000 posts, and 12.3 s right after dropping them. New inodes
    hash into chains lengthened by millions of cached ones (insert_inode_locked
    and its lock were 6.5% of a whole-machine profile), and clearing each fresh
    page of memory was 9.8%. The same hits Hugo. Dropping the caches before
    every run makes each run start alike, and reading the corpus and the
    programs (the tools, their libraries, time and sh) back makes them warm,
    as on a writer's machine between two builds: dropped, they cost byline
    0.4 s and Hugo 0.8 s of a 1,000-post run."""
    os.sync()
    with open(DROP_CACHES, "w") as f:
        f.write("3\n")
    for path in programs:
        read_all(path)
    for root, _, names in os.walk(corpus_dir):
        for name in names:
            read_all(os.path.join(root, name))


def freed_inode_wait(emptied_stamp, now):
    """Seconds left of ext4's freed-inode window after the deletion that
    touched emptied_stamp; 0 when there was none or it has passed."""
    if not os.path.exists(emptied_stamp):
        return 0.0
    return max(0.0, FREED_INODE_WINDOW - (now - os.path.getmtime(emptied_stamp)))


def empty_trash(trash):
    shutil.rmtree(trash, ignore_errors=True)


@contextlib.contextmanager
def trash_in(work):
    """Yields the folder (WORK/trash) that set_aside() moves outputs into, and
    deletes it when the bench ends, recording when in WORK/trash-emptied.
    Before that, empties a trash an interrupted bench left and waits out
    ext4's freed-inode window after the last deletion, so that no run pays
    for another bench's outputs."""
    os.makedirs(work, exist_ok=True)
    trash = os.path.join(work, "trash")
    # When the last bench deleted its outputs; a bench started within ext4's
    # window for recently freed inodes after that would pay for it.
    emptied = os.path.join(work, "trash-emptied")
    if os.path.exists(trash):  # left by an interrupted bench
        empty_trash(trash)
        os.sync()
        open(emptied, "w").close()
    wait = freed_inode_wait(emptied, time.time())
    if wait > 0:
        print("Waiting %.0f s: the last bench's outputs were deleted %.0f s ago" %
              (wait, FREED_INODE_WINDOW - wait))
        sys.stdout.flush()
        time.sleep(wait)
    try:
        yield trash
    finally:
        if os.path.exists(trash):
            empty_trash(trash)
            os.sync()
            open(emptied, "w").close()


def count_files(path):
    return sum(len(files) for _, _, files in os.walk(path))


def parse_sizes(text):
    try:
        sizes = [int(x.replace("_", "")) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected post counts separated by commas, e.g. "
                                         "1000,10000,100000: %r" % text)
    if not sizes or any(n <= 0 for n in sizes):
        raise argparse.ArgumentTypeError("post counts must be positive: %r" % text)
    return sizes


def version(cmd):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return "?"
    words = r.stdout.split()
    return words[1].split("+")[0].lstrip("v") if len(words) > 1 else "?"


def fmt_mb(mb):
    return "{:,.0f} MiB".format(mb)


def fmt_s(s):
    return "%.2f s" % s if s < 10 else "%.1f s" % s


def summary(rows, hugo_measured):
    """Plain and Markdown tables, one row a size; rows are (posts, med) with med a
    {tool: (wall, cpu, peak MiB, files)}."""
    rows = sorted(rows, key=lambda r: r[0])
    base = rows[0][1]["byline"][0] / rows[0][0]  # byline wall per post at the smallest size
    header = ["posts", "byline wall", "byline CPU", "byline peak", "byline files",
              "byline ms/post", "scale"]
    if hugo_measured:
        header += ["Hugo wall", "Hugo CPU", "Hugo peak", "Hugo files", "Hugo ms/post",
                   "faster", "less CPU", "less memory"]
    table = []
    for posts, med in rows:
        b = med["byline"]
        per_post = b[0] / posts
        row = ["{:,}".format(posts), fmt_s(b[0]), fmt_s(b[1]), fmt_mb(b[2]), "{:,}".format(b[3]),
               "%.3f" % (1000 * per_post), "%.2f" % (per_post / base)]
        if hugo_measured:
            if "hugo" in med:
                h = med["hugo"]
                row += [fmt_s(h[0]), fmt_s(h[1]), fmt_mb(h[2]), "{:,}".format(h[3]),
                        "%.3f" % (1000 * h[0] / posts), "%.1f×" % (h[0] / b[0]),
                        "%.1f×" % (h[1] / b[1]), "%.1f×" % (h[2] / b[2])]
            else:
                row += ["—"] * 8
        table.append(row)
    widths = [max(len(r[i]) for r in [header] + table) for i in range(len(header))]
    plain = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in [header] + table]
    md = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    md += ["| " + " | ".join(r) + " |" for r in table]
    return "\n".join(plain), "\n".join(md)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, action="append", help="a corpus size (repeatable)")
    ap.add_argument("--sizes", type=parse_sizes, default=[],
                    help="corpus sizes separated by commas, e.g. 1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tags", type=int, default=0,
                    help="tag vocabulary (default: the generator's posts/20, at least 5); --tags 5 "
                         "puts nearly every post in one tag, --tags 100000 gives thousands of "
                         "one-post tags")
    ap.add_argument("--byline", default=os.path.join(ROOT, "build", "byline"))
    ap.add_argument("--no-hugo", action="store_true", help="measure byline alone")
    ap.add_argument("--hugo-max", type=int, default=0, metavar="N",
                    help="run Hugo only on corpora of at most N posts (it needs ~20 GB at 100,000)")
    ap.add_argument("--keep-caches", action="store_true",
                    help="do not drop the kernel's caches before each run (done by default when "
                         "%s is writable, i.e. as root)" % DROP_CACHES)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "byline-bench"))
    a = ap.parse_args()
    if a.tags and a.tags < 5:
        ap.error("--tags must be at least 5: the generator gives each post up to 5 distinct tags")
    if a.runs < 1:
        ap.error("--runs must be at least 1")
    sizes = list(dict.fromkeys((a.posts or []) + a.sizes)) or [10000]
    with trash_in(a.work) as trash:
        run_sizes(a, sizes, trash)


def run_sizes(a, sizes, trash):
    tools = [("byline", lambda c, o: [a.byline, "build", "-q", "-s", c, "-d", o])]
    if not a.no_hugo:
        if not shutil.which("hugo"):
            sys.exit("hugo is not installed (apt-get install hugo), or pass --no-hugo")
        tools.append(("hugo", lambda c, o: ["sh", os.path.join(SHARED, "run_hugo.sh"), c, o]))

    settle_caches = not a.keep_caches and can_drop_caches()
    programs = program_files([a.byline, shutil.which("hugo") if not a.no_hugo else None,
                              "/usr/bin/time", "/bin/sh"])
    print("Before each run: %s" % ("caches dropped, then the corpus read back in" if settle_caches
                                   else "sync only (caches kept)"))
    print("%-8s %-7s %10s %10s %12s %8s" % ("posts", "tool", "wall s", "cpu s", "peak MiB",
                                           "files"))
    rows = []
    for posts in sizes:
        c = corpus(a.work, posts, a.tags)
        here = [(name, cmd) for name, cmd in tools
                if name != "hugo" or not a.hugo_max or posts <= a.hugo_max]
        results = {name: [] for name, _ in here}
        files = {}
        for run in range(a.runs):
            for name, cmd in here:  # alternating, so drift hits both alike
                out = os.path.join(a.work, "out-%s-%d" % (name, posts))
                set_aside(out, trash)
                if settle_caches:
                    settle(c, programs)
                else:
                    # Writes the previous run's output back first, so this
                    # run does not share the disk with it.
                    os.sync()
                results[name].append(timed(cmd(c, out)))
                files[name] = count_files(out)
                # Each run as it ends, so the spread behind a median shows.
                print("%-8d %-7s run %d: %.2f s, %.2f s CPU, %.0f MiB" %
                      (posts, name, run + 1, *results[name][-1]))
                sys.stdout.flush()
        med = {}
        for name, _ in here:
            runs = results[name]
            med[name] = tuple(statistics.median(r[i] for r in runs) for i in range(3))
            print("%-8d %-7s %10.2f %10.2f %12.0f %8d" % (posts, name, *med[name], files[name]))
            med[name] += (files[name],)
        rows.append((posts, med))
        if "hugo" in med:
            b, h = med["byline"], med["hugo"]
            print("%-8d %-7s %9.1fx %9.1fx %11.1fx" % (posts, "ratio", h[0] / b[0], h[1] / b[1],
                                                      h[2] / b[2]))
        sys.stdout.flush()

    hugo_measured = any("hugo" in med for _, med in rows)
    plain, md = summary(rows, hugo_measured)
    versions = "byline %s" % version([a.byline, "version"])
    if hugo_measured:
        versions += ", Hugo %s" % version(["hugo", "version"])
    print("\nMedian of %d run%s, %s, %d cores; ms/post is wall time per post, scale its ratio "
          "to the smallest size (1.00 = linear)\n" % (a.runs, "" if a.runs == 1 else "s",
                                                       versions, os.cpu_count() or 0))
    print(plain)
    print("\nMarkdown:\n")
    print("```sh\n%s\n```\n" % " ".join(["bench/compare_hugo.py"] +
                                          [shlex.quote(x) for x in sys.argv[1:]]))
    print(md)


if __name__ == "__main__":
    main()

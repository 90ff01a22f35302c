"""Shared pieces of the incremental-build tests (issue 22).

- running byline and reading its summary line;
- snapshots of an output folder and their comparison, with a readable
  summary of what differs;
- the fixture sites: the example site made richer (a theme layer, a page
  bundle, an _index.md in a second section) and the generated corpus;
- small file helpers that write the way editors do (in place, or a new file
  renamed over the old one).
"""
import difflib
import os
import random
import re
import shutil
import struct
import subprocess
import zlib


# ---------------------------------------------------------------- byline

class BuildRun:
    """One `byline build`: its exit status, its output, and what kind of
    build its summary line says it was."""

    def __init__(self, cmd, proc):
        self.cmd = cmd
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    @property
    def summary(self):
        lines = [l for l in self.stdout.splitlines() if l.startswith(("Built ", "Nothing changed"))]
        return lines[-1] if lines else ""

    @property
    def kind(self):
        """"nothing", "incremental" or "full" (from the summary line)."""
        s = self.summary
        if s.startswith("Nothing changed"):
            return "nothing"
        if "files written" in s:
            return "incremental"
        return "full"

    @property
    def full_reason(self):
        for line in self.stdout.splitlines():
            if line.startswith("full build: "):
                return line[len("full build: "):]
        return ""

    def describe(self):
        return "$ %s\nexit %s\n--- stdout (last 40 lines)\n%s\n--- stderr (last 40 lines)\n%s" % (
            " ".join(self.cmd), self.returncode,
            "\n".join(self.stdout.splitlines()[-40:]), "\n".join(self.stderr.splitlines()[-40:]))


def build_command(byline, site, dest, now, full=False, explain=True, extra=()):
    cmd = [byline, "build", "-s", site, "-d", dest, "--now", now]
    if full:
        cmd.append("--full")
    if explain:
        cmd.append("--explain")
    cmd.extend(extra)
    return cmd


# Under the sanitizers (make asan), a report of undefined behaviour stops
# the build like any other error instead of scrolling past in its stderr.
os.environ.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")


def run_build(byline, site, dest, now, full=False, explain=True, extra=(), timeout=600):
    cmd = build_command(byline, site, dest, now, full, explain, extra)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return BuildRun(cmd, proc)


# ---------------------------------------------------------------- snapshots

def snapshot(root, with_stat=False):
    """Every entry under `root`: rel path -> ("d",) for a folder,
    ("l", target) for a link, ("f", bytes) for a file; with `with_stat`,
    files and folders also carry (inode, mtime_ns, size) so that a rewrite
    with the same bytes still shows."""
    out = {}
    if not os.path.isdir(root):
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, root)
        for name in dirnames + sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = name if rel_dir == "." else rel_dir + "/" + name
            st = os.lstat(full)
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size) if with_stat else None
            if os.path.islink(full):
                out[rel] = ("l", os.readlink(full), stamp)
            elif os.path.isdir(full):
                out[rel] = ("d", None, stamp if with_stat else None)
            else:
                with open(full, "rb") as f:
                    out[rel] = ("f", f.read(), stamp)
    return out


def _text(data):
    return data.decode("utf-8", "replace").splitlines()


def diff_trees(a, b, label_a="A", label_b="B", max_files=6, max_lines=24):
    """None when the snapshots are equal; else a readable summary."""
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    differ = sorted(p for p in set(a) & set(b) if a[p][:2] != b[p][:2])
    if not (only_a or only_b or differ):
        return None
    out = []
    if only_a:
        out.append("only in %s (%d): %s" % (label_a, len(only_a), ", ".join(only_a[:30])))
    if only_b:
        out.append("only in %s (%d): %s" % (label_b, len(only_b), ", ".join(only_b[:30])))
    if differ:
        out.append("differ (%d): %s" % (len(differ), ", ".join(differ[:30])))
        for p in differ[:max_files]:
            ka, kb = a[p], b[p]
            if ka[0] != "f" or kb[0] != "f":
                out.append("  %s: %s in %s, %s in %s" % (p, ka[0], label_a, kb[0], label_b))
                continue
            lines = list(difflib.unified_diff(_text(ka[1]), _text(kb[1]), label_a + "/" + p,
                                              label_b + "/" + p, n=1, lineterm=""))
            out.append("\n".join("  " + l[:200] for l in lines[:max_lines]))
            if len(lines) > max_lines:
                out.append("  … %d more diff lines" % (len(lines) - max_lines))
    return "\n".join(out)


# ---------------------------------------------------------------- files

def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text, rng=None):
    """Writes `text` at `path`: in place (same inode, as many editors do) or,
    when `rng` says so, into a new file renamed over the old one (as others
    do). Folders are made as needed."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if rng is not None and os.path.exists(path) and rng.random() < 0.4:
        tmp = path + ".~edit"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    else:
        with open(path, "wb") as f:
            f.write(data)


def png(width, height, shade=0):
    """A valid grey PNG of the given size."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + bytes([shade & 0xFF]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def copy_site(src, dst):
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns(".byline", "public"))


# ---------------------------------------------------------------- fixtures

def make_fixture_site(source_dir, dst):
    """The example site, with what it lacks for these tests: a theme layer
    (themes/extra, with a template and a static file of its own), a page
    bundle with an image beside it, a second section with an _index.md, and
    an image in the theme's static folder that a post shows."""
    copy_site(os.path.join(source_dir, "examples"), dst)
    config = read(os.path.join(dst, "byline.toml"))
    config = config.replace('language = "en"\n', 'language = "en"\ntheme = "extra"\n', 1)
    write(os.path.join(dst, "byline.toml"), config)
    theme = os.path.join(dst, "themes", "extra")
    default = os.path.join(source_dir, "themes", "default", "templates")
    bio = read(os.path.join(default, "partials", "bio.html"))
    write(os.path.join(theme, "templates", "partials", "bio.html"),
          bio + "<p class=\"theme-extra\">theme extra</p>\n")
    write(os.path.join(theme, "static", "extra.css"), "body { margin: 0; }\n")
    write(os.path.join(theme, "static", "images", "theme-mark.png"), png(7, 5))
    bundle = os.path.join(dst, "content", "posts", "2021", "harbour-walk")
    write(os.path.join(bundle, "index.md"),
          "---\ntitle: \"A walk along the harbour\"\ndate: 2021-05-04T08:00:00Z\n"
          "tags: [Arctic, Harbours]\ncategories: [Notes]\n---\n\n"
          "A page bundle: its pictures sit beside this file.\n\n"
          "![The old pier at low tide](pier.png \"The old pier. | CREDIT: A. PHOTOGRAPHER/AGENCY\")\n\n"
          "The theme's mark ![mark](/images/theme-mark.png) sits inline.\n")
    with open(os.path.join(bundle, "pier.png"), "wb") as f:
        f.write(png(12, 9))
    write(os.path.join(dst, "content", "notes", "_index.md"),
          "---\ntitle: \"Notes\"\n---\n\nShort notes between columns.\n")
    write(os.path.join(dst, "content", "notes", "first-note.md"),
          "---\ntitle: \"A first note\"\ndate: 2022-02-02T10:00:00Z\ntags: [Russia]\n---\n\n"
          "A short note.\n\nWith a second paragraph.\n")


def make_corpus_site(source_dir, dst, posts=1000):
    shared = os.path.join(os.path.dirname(os.path.abspath(source_dir)), "shared", "bench")
    subprocess.run(["/usr/bin/python3", os.path.join(shared, "gen_corpus.py"), dst, "--posts", str(posts)],
                   check=True, capture_output=True)
    shutil.copy(os.path.join(shared, "byline.toml"), dst)


# ---------------------------------------------------------------- words

WORDS = ("harbour sanctions treaty pipeline ballot border ceasefire council winter gas "
         "arctic cable seabed coalition summit envoy tariff ledger courier quota "
         "ferry lantern granite meridian orchard quarry rivet saffron tundra velvet").split()


def words(rng, lo, hi):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def sentence(rng):
    s = words(rng, 5, 14)
    return s[0].upper() + s[1:] + rng.choice([".", ".", "?", "!"])


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 4)))


def yaml_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- front matter

FM = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def split_page(text):
    """(front matter lines, body) of a page with YAML front matter."""
    m = FM.match(text)
    if not m:
        return None, text
    return m.group(1).splitlines(), text[m.end():]


def join_page(fm_lines, body):
    return "---\n" + "".join(l + "\n" for l in fm_lines) + "---\n" + body


def field_span(lines, key):
    """(start, end) of a top-level field with its continuation lines, or None."""
    for i, line in enumerate(lines):
        if line.startswith(key + ":"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith((" ", "\t", "-")) or not lines[j].strip()):
                j += 1
            return i, j
    return None


def get_field(lines, key):
    span = field_span(lines, key)
    if not span:
        return None
    return lines[span[0]][len(key) + 1:].strip()


def set_field(lines, key, value):
    """Sets `key: value` (value already YAML), replacing the field whole."""
    lines = list(lines)
    span = field_span(lines, key)
    if span:
        lines[span[0]:span[1]] = [key + ": " + value]
    else:
        lines.append(key + ": " + value)
    return lines


def remove_field(lines, key):
    lines = list(lines)
    span = field_span(lines, key)
    if span:
        del lines[span[0]:span[1]]
    return lines


def flow_list(items):
    return "[" + ", ".join(yaml_quote(i) for i in items) + "]"


def parse_flow_list(value):
    """The items of a one-line YAML list, [a, "b c"] (or one bare string)."""
    if value is None:
        return []
    value = value.strip()
    if not value.startswith("["):
        return [value.strip('"')] if value else []
    inner = value[1:-1]
    return [x.strip().strip('"').strip("'") for x in inner.split(",") if x.strip()]


def rng_for(seed, name):
    return random.Random("%s/%s" % (seed, name))

#!/usr/bin/python3
"""The dependency rule of docs/architecture.md, checked against every #include.

The rule is the fenced block marked `dependency-rule` in docs/architecture.md:
one line per level, lowest first, several names on a line when they are
peers. A file in src/X/ may include headers of its own folder and of the
folders on lines before X's line; a folder on X's line (a peer) or after it
is a violation. Files directly in src/ (main.cc) are named in the rule too.

Every file under src/ is checked, *_test.cc included: a unit test may use
what its folder may use. A test that needs a stage above its own folder
tests that stage, and belongs in that stage's folder.

The check also fails when
- a folder (or file) directly under src/ is not named in the rule, so a new
  stage has to be placed before it can be built on;
- the rule names something src/ does not have;
- an entry of the `known-include-violations` block (the violations accepted
  for now, each with its reason) no longer occurs, so the list only shrinks.

An include is resolved as the compiler resolves it: "x.h" first beside the
including file, then under src/ (the one include path byline uses); <x/y.h>
is byline's when x is a folder of src/. Includes inside /* */ comments are
skipped; #if'd-out ones are not (there are none to skip).

Usage: check_includes.py [--root DIR]   check the tree at DIR (default: this repo)
       check_includes.py --self-test    prove the check on tiny fake trees
Exit status 0 when the rule holds, 1 with one line per problem otherwise.
"""
import argparse
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.dirname(os.path.dirname(HERE))
DOC = "docs/architecture.md"
SOURCE_SUFFIXES = (".h", ".hh", ".hpp", ".cc", ".cpp", ".cxx", ".inc")

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
# `src/a/b.cc: c/d.h  # why`: one accepted include, by file and header.
KNOWN_RE = re.compile(r"^(src/\S+):\s*(\S+)\s*(?:#\s*(.*))?$")


class Rule:
    """The levels of the dependency rule and the accepted violations."""

    def __init__(self):
        self.level = {}  # name ("render", "main.cc") -> line index, lowest first
        self.line_of = {}  # name -> line in the doc, for messages
        self.known = {}  # (file, header) -> line in the doc
        self.errors = []


def fenced_blocks(text):
    """Yields (info string, [(doc line number, line)]) for each ``` block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(`{3,})\s*(\S*)", lines[i])
        if not m:
            i += 1
            continue
        fence, info = m.group(1), m.group(2)
        body = []
        i += 1
        while i < len(lines) and not lines[i].startswith(fence):
            body.append((i + 1, lines[i]))
            i += 1
        i += 1
        yield info, body


def without_comment(line):
    return line.split("#", 1)[0].strip()


def parse_rule(doc_text, doc_name=DOC):
    rule = Rule()
    rule_blocks = []
    known_blocks = []
    for info, body in fenced_blocks(doc_text):
        if info == "dependency-rule":
            rule_blocks.append(body)
        elif info == "known-include-violations":
            known_blocks.append(body)
    if len(rule_blocks) != 1:
        rule.errors.append(
            f"{doc_name}: expected one ```dependency-rule block, found {len(rule_blocks)}")
        return rule
    index = 0
    for number, line in rule_blocks[0]:
        names = without_comment(line).split()
        if not names:
            continue
        for name in names:
            bare = name.rstrip("/")
            if bare in rule.level:
                rule.errors.append(f"{doc_name}:{number}: {name} is already on line "
                                   f"{rule.line_of[bare]} of the dependency rule")
                continue
            rule.level[bare] = index
            rule.line_of[bare] = number
        index += 1
    for body in known_blocks:
        for number, line in body:
            if not line.strip() or line.strip().startswith("#"):
                continue
            m = KNOWN_RE.match(line.strip())
            if not m or not (m.group(3) or "").strip():
                rule.errors.append(
                    f"{doc_name}:{number}: a known violation is written "
                    "`src/FILE: HEADER  # why it is accepted for now`")
                continue
            rule.known[(m.group(1), m.group(2))] = number
    return rule


def strip_block_comments(text):
    """Blanks /* */ comments, keeping every newline so line numbers hold."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r"/\*.*?\*/", blank, text, flags=re.S)


def owner_of(rel):
    """The rule name owning a path relative to src/: its folder, or itself at the top."""
    parts = rel.split("/")
    return parts[0]


def shown(name):
    """How messages write a rule name: folders with a slash, files as they are."""
    return name if "." in name else name + "/"


def resolve(src, including_rel, quote, path, names):
    """The path relative to src/ an include names, or None when it is not byline's."""
    if quote == '"':
        beside = os.path.normpath(os.path.join(src, os.path.dirname(including_rel), path))
        if os.path.isfile(beside):
            rel = os.path.relpath(beside, src)
            return rel.replace(os.sep, "/")
        if os.path.isfile(os.path.join(src, path)):
            return os.path.normpath(path).replace(os.sep, "/")
    # Not found (or <...>): byline's when it is written from a folder of src/,
    # e.g. a header that is generated or was just deleted.
    first = path.split("/")[0]
    if "/" in path and first in names:
        return os.path.normpath(path).replace(os.sep, "/")
    return None


def check(root, doc_name=DOC):
    """Returns the problems found in the tree at `root`, one message each."""
    src = os.path.join(root, "src")
    doc_path = os.path.join(root, doc_name)
    try:
        with open(doc_path, encoding="utf-8") as f:
            rule = parse_rule(f.read(), doc_name)
    except OSError as e:
        return [f"{doc_name}: cannot read the dependency rule: {e.strerror}"]
    problems = list(rule.errors)
    if not rule.level:
        return problems

    entries = sorted(os.listdir(src))
    present = set()
    for entry in entries:
        if entry.startswith("."):
            continue
        present.add(entry)
        if entry not in rule.level:
            kind = "folder" if os.path.isdir(os.path.join(src, entry)) else "file"
            problems.append(f"src/{shown(entry) if kind == 'folder' else entry}: {kind} not "
                            f"named in the dependency rule of {doc_name}; place it on a line")
    for name in sorted(rule.level):
        if name not in present:
            problems.append(f"{doc_name}:{rule.line_of[name]}: the dependency rule names "
                            f"{shown(name)}, which src/ does not have")

    seen_known = set()
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for filename in sorted(filenames):
            if not filename.endswith(SOURCE_SUFFIXES):
                continue
            rel = os.path.relpath(os.path.join(dirpath, filename), src).replace(os.sep, "/")
            owner = owner_of(rel)
            if owner not in rule.level:
                continue  # reported above as unplaced
            with open(os.path.join(src, rel), encoding="utf-8", errors="replace") as f:
                text = strip_block_comments(f.read())
            for number, line in enumerate(text.split("\n"), 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                target = resolve(src, rel, m.group(1), m.group(2), rule.level)
                if target is None:
                    continue
                if target.startswith("../"):
                    problems.append(f"src/{rel}:{number}: includes {m.group(2)}, "
                                    "which is outside src/")
                    continue
                used = owner_of(target)
                if used == owner or used not in rule.level:
                    continue
                if rule.level[used] < rule.level[owner]:
                    continue
                key = (f"src/{rel}", target)
                if key in rule.known:
                    seen_known.add(key)
                    continue
                if rule.level[used] == rule.level[owner]:
                    why = (f"{shown(used)} and {shown(owner)} are peers in {doc_name} "
                           "(neither may include the other)")
                else:
                    why = f"{shown(used)} is above {shown(owner)} in {doc_name}"
                problems.append(f"src/{rel}:{number}: includes {target}, but {why}")
    for key, number in sorted(rule.known.items(), key=lambda kv: kv[1]):
        if key not in seen_known:
            problems.append(f"{doc_name}:{number}: the known violation '{key[0]}: {key[1]}' "
                            "no longer occurs; delete the entry")
    return problems


# ---------------------------------------------------------------- self-test

SELF_TEST_DOC = """# fake

```dependency-rule
# lowest first
base/
config/ output/   # peers
site/
render/
main.cc
```

```known-include-violations
{known}
```
"""


def make_tree(root, files, known=""):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    if "docs/architecture.md" not in files:
        os.makedirs(os.path.join(root, "docs"), exist_ok=True)
        with open(os.path.join(root, "docs/architecture.md"), "w", encoding="utf-8") as f:
            f.write(SELF_TEST_DOC.format(known=known))


CLEAN = {
    "src/base/strings.h": "#pragma once\n",
    "src/config/config.h": '#include "base/strings.h"\n',
    "src/output/publisher.h": '#include <vector>\n#include "base/strings.h"\n',
    "src/site/site.h": '#include "config/config.h"\n#include "site/other.h"\n',
    "src/site/other.h": "#pragma once\n",
    "src/render/render.cc": '#include "site/site.h"\n#include "output/publisher.h"\n',
    "src/render/render_test.cc": '#include "render/render.h"\n#include "base/strings.h"\n',
    "src/main.cc": '#include "render/render.h"\n',
}


def run_case(name, files, expected, known=""):
    """Builds a tree from CLEAN changed by `files` and compares the problems found."""
    with tempfile.TemporaryDirectory(prefix="byline-arch-") as root:
        tree = dict(CLEAN)
        for rel, text in files.items():
            if text is None:
                tree.pop(rel, None)
            else:
                tree[rel] = text
        make_tree(root, tree, known)
        got = check(root)
    if got != expected:
        print(f"self-test '{name}' failed:\n  expected {expected}\n  got      {got}")
        return False
    return True


def self_test():
    above = "src/site/site.h:2: includes render/render.h, but render/ is above site/ in " + DOC
    cases = [
        ("a clean tree passes", {}, []),
        ("an include from above", {"src/site/site.h": '#include "config/config.h"\n'
                                   '#include "render/render.h"\n'}, [above]),
        ("a test follows its folder's rule",
         {"src/config/config_test.cc": '#include "site/site.h"\n'},
         ["src/config/config_test.cc:1: includes site/site.h, but site/ is above config/ in "
          + DOC]),
        ("peers may not include each other",
         {"src/output/publisher.h": '#include "config/config.h"\n'},
         ["src/output/publisher.h:1: includes config/config.h, but config/ and output/ are "
          "peers in " + DOC + " (neither may include the other)"]),
        ("a relative include is resolved",
         {"src/config/config.cc": '#include "../site/site.h"\n'},
         ["src/config/config.cc:1: includes site/site.h, but site/ is above config/ in " + DOC]),
        ("an include beside the file is its own folder's",
         {"src/site/site.cc": '#include "other.h"\n'}, []),
        ("an angle include of a stage counts",
         {"src/base/strings.cc": "#include <config/config.h>\n#include <fmt/format.h>\n"},
         ["src/base/strings.cc:1: includes config/config.h, but config/ is above base/ in "
          + DOC]),
        ("a commented-out include does not count",
         {"src/base/strings.cc": '/* old:\n#include "render/render.h"\n*/\n'}, []),
        ("an unplaced folder fails",
         {"src/feeds/rss.h": '#include "base/strings.h"\n'},
         ["src/feeds/: folder not named in the dependency rule of " + DOC +
          "; place it on a line"]),
        ("an unplaced top-level file fails",
         {"src/extra.cc": "int x;\n"},
         ["src/extra.cc: file not named in the dependency rule of " + DOC +
          "; place it on a line"]),
        ("a rule naming a missing folder fails",
         {"src/output/publisher.h": None},
         [DOC + ":6: the dependency rule names output/, which src/ does not have"]),
        ("main.cc sits above everything", {"src/main.cc": '#include "base/strings.h"\n'
                                           '#include "render/render.h"\n'}, []),
        ("a known violation is accepted",
         {"src/site/site.h": '#include "config/config.h"\n#include "render/render.h"\n'}, [],
         "# moving\nsrc/site/site.h: render/render.h  # site.h is being split"),
        ("a stale known violation fails", {}, [
            DOC + ":13: the known violation 'src/site/site.h: render/render.h' no longer "
            "occurs; delete the entry"],
         "src/site/site.h: render/render.h  # site.h is being split"),
        ("a known violation needs its reason",
         {"src/site/site.h": '#include "config/config.h"\n#include "render/render.h"\n'},
         [DOC + ":13: a known violation is written `src/FILE: HEADER  # why it is accepted "
          "for now`", above],
         "src/site/site.h: render/render.h"),
        ("a doc without the rule fails", {"docs/architecture.md": "# nothing\n"},
         [DOC + ": expected one ```dependency-rule block, found 0"]),
    ]
    failed = 0
    for case in cases:
        if not run_case(*case):
            failed += 1
    print(f"{len(cases) - failed} of {len(cases)} self-test cases passed")
    return failed == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=DEFAULT_ROOT, help="the repository to check")
    parser.add_argument("--self-test", action="store_true",
                        help="check the checker on tiny fake trees")
    args = parser.parse_args()
    if args.self_test:
        return 0 if self_test() else 1
    problems = check(args.root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} with the dependency "
              f"rule (see {DOC}, 'The dependency rule')")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

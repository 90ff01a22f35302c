#!/usr/bin/env python3
"""Writes the regression inputs too big to commit into OUTDIR/<harness>/.

Each is an input that once crashed, hung or blew memory (issue 25); the
replay tests (fuzz/fuzz.cmake) run them through their harness with a CPU
time and memory bound. Harnesses whose first byte selects a mode get it
prefixed here (b"\\0": YAML or the default mode, b"\\1": TOML or the other).
"""
import os
import sys


def dotted_key(parts):
    return ".".join("k%d" % i for i in range(parts))


def inputs():
    big = "x" * (1 << 20)
    # A 1 MiB anchored string aliased 5,000 times: 5.2 GB before aliases
    # were budgeted by bytes.
    yield "front_matter_yaml", "alias-1mib-x5000.yaml", (
        "big: &a " + big + "\nlist:\n" + "".join("  - *a\n" for _ in range(5000)))
    # 99,000 aliases of the same string: aborted (out of memory).
    yield "front_matter_yaml", "alias-1mib-x99000.yaml", (
        "big: &a " + big + "\nlist: [" + ", ".join("*a" for _ in range(99000)) + "]\n")
    # A billion-laughs ladder of nested lists.
    ladder = "a0: &a0 [" + ", ".join(["lol"] * 10) + "]\n"
    for i in range(1, 10):
        ladder += "a%d: &a%d [%s]\n" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10))
    yield "front_matter_yaml", "billion-laughs.yaml", ladder
    yield "appearances", "alias-1mib-x5000.yaml", "\0" + (
        "big: &a " + big + "\nappearances:\n" + "".join("  - *a\n" for _ in range(5000)))

    # A dotted key of 20,000 parts: a stack overflow inside toml++, from
    # front matter, byline.toml and appearances.toml alike.
    for parts in (20000, 200000):
        key = dotted_key(parts)
        yield "front_matter_toml", "dotted-key-%d.toml" % parts, key + " = 1\n"
        yield "config", "dotted-key-%d.toml" % parts, key + " = 1\n"
        yield "appearances", "dotted-key-%d.toml" % parts, "\1" + key + " = 1\n"
        yield "front_matter_toml", "table-header-%d.toml" % parts, "[" + key + "]\nx = 1\n"
        yield "config", "inline-tables-%d.toml" % parts, (
            "x = " + "{a = " * parts + "1" + "}" * parts + "\n")
        yield "front_matter_toml", "arrays-%d.toml" % parts, "x = " + "[" * parts + "]" * parts + "\n"

    # wpautop: runs of comments, and tags that never close, each searched
    # for to the end of the text from every start.
    yield "wpautop", "comment-lines.html", "\0" + "<!-- c -->\n" * 80000
    yield "wpautop", "comment-lines-multiline.html", "\0" + "<!--\nc\n-->\n" * 80000
    for name, unit in [("div", "<div"), ("script", "<script"), ("p-li", "<p><li"),
                       ("blockquote", "<p><blockquote"), ("param", "<object></object><param"),
                       ("object", "</object><object"), ("br-p", "<br /><p"),
                       ("source", "<source<video"), ("p-text", "<p>x"),
                       ("pre", "<pre></pre>")]:
        yield "wpautop", "unclosed-%s.html" % name, "\0" + unit * (2000000 // len(unit))


def main():
    out = sys.argv[1]
    for harness, name, text in inputs():
        folder = os.path.join(out, harness)
        os.makedirs(folder, exist_ok=True)
        data = text.encode("utf-8")
        path = os.path.join(folder, name)
        # Unchanged files keep their time stamps, so reruns cost nothing.
        if os.path.exists(path) and os.path.getsize(path) == len(data):
            with open(path, "rb") as f:
                if f.read() == data:
                    continue
        with open(path, "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

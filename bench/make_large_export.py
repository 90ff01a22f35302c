#!/usr/bin/python3
"""Writes a large WXR export for timing the importer: the items of an
existing export repeated with fresh ids and slugs until the file reaches the
requested size.

usage: make_large_export.py SOURCE.xml OUT.xml [MEGABYTES]
"""
import re
import sys

source, target = sys.argv[1], sys.argv[2]
megabytes = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
text = open(source, encoding="utf-8").read()
first = text.index("<item>")
last = text.rindex("</item>") + len("</item>")
head, items, tail = text[:first], text[first:last], text[last:]
chunks = re.findall(r"<item>.*?</item>", items, re.S)
with open(target, "w", encoding="utf-8") as out:
    out.write(head)
    size, copy = len(head.encode()), 0
    while size < megabytes * 1024 * 1024:
        copy += 1
        for chunk in chunks:
            c = re.sub(r"(<wp:post_id>)(\d+)(</wp:post_id>)",
                       lambda m: "%s%d%s" % (m.group(1), int(m.group(2)) + copy * 1000000, m.group(3)),
                       chunk)
            c = re.sub(r"(<wp:post_name>(?:<!\[CDATA\[)?)([^<\]]+)",
                       lambda m: "%s%s-copy-%d" % (m.group(1), m.group(2), copy), c)
            c = re.sub(r"(<link>[^<]*?)/(</link>)", lambda m: "%s-copy-%d/%s" % (m.group(1), copy, m.group(2)), c)
            out.write(c + "\n")
            size += len(c.encode()) + 1
    out.write(tail)

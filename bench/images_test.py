#!/usr/bin/python3
"""bench/images.py on three small pictures with byline alone: that it runs,
builds cold and warm, and reports figures that parse, with resized images
written; not how fast.

Usage: images_test.py BYLINE_BINARY
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    with tempfile.TemporaryDirectory(prefix="byline-bench-images-") as work:
        r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "images.py"), "--photos", "2",
                            "--pngs", "1", "--size", "1700x1000", "--no-hugo", "--byline",
                            sys.argv[1], "--work", work], capture_output=True, text=True,
                           timeout=600)
        print(r.stdout, r.stderr)
        assert r.returncode == 0, r.returncode
        rows = re.findall(r"^\| byline \| (cold|warm) \| ([\d.]+) \| ([\d.]+) \| (\d+) \| (\d+) \|$",
                          r.stdout, re.M)
        assert [k for k, *_ in rows] == ["cold", "warm"], rows
        for _, wall, cpu, mib, kib in rows:
            assert float(wall) > 0 and int(mib) > 0 and int(kib) > 0, rows
        # Both builds wrote the same images: the warm one found them cached.
        assert rows[0][4] == rows[1][4], rows
        # The floor: the same site with images published as they are.
        floor = re.findall(r"^\| byline \| floor \(images off\) \| ([\d.]+) \| ([\d.]+) \| "
                           r"(\d+) \| 0 \|$", r.stdout, re.M)
        assert len(floor) == 1 and int(floor[0][2]) > 0, r.stdout
        # Bytes per image by format: the JPEGs, PNG and WebPs each wrote,
        # adding up to the total per image (rounding aside).
        split = dict(re.findall(r"^\| (jpg|png|webp) \| (\d+) \|$", r.stdout, re.M))
        assert set(split) == {"jpg", "png", "webp"}, r.stdout
        assert all(int(v) > 0 for v in split.values()), split
        assert abs(sum(int(v) for v in split.values()) - int(rows[0][4])) <= 2, (split, rows)
        public = os.path.join(work, "byline-site", "public", "posts", "p000")
        assert os.path.isfile(os.path.join(public, "photo-000-1600w.webp")), os.listdir(public)
        assert not os.path.exists(os.path.join(public, "photo-000-1700w.jpg"))
    print("ok")


if __name__ == "__main__":
    main()

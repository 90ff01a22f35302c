#!/usr/bin/python3
"""Writes the fixture's image files (committed; run again only to change them).

Needs the vips command (Debian libvips-tools). Every file is tiny: the
fixture's byline.toml asks for widths 100, 200 and 400.
"""
import os
import struct
import subprocess
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
GALLERY = os.path.join(HERE, "content", "posts", "gallery")
STATIC = os.path.join(HERE, "static", "images")


def vips(*args):
    subprocess.run(["vips", *args], check=True)


def rgb(tmp, name, w, h, alpha=False):
    """A deterministic pattern (sines), w x h, sRGB (with alpha if asked)."""
    s, u8, out = (os.path.join(tmp, f"{name}-{x}.v") for x in ("s", "u8", "out"))
    vips("sines", s, str(w), str(h), "--hfreq", "3", "--vfreq", "2")
    vips("linear", s, u8, "100", "128", "--uchar")
    bands = [u8, u8, u8] + ([u8] if alpha else [])
    joined = os.path.join(tmp, f"{name}-joined.v")
    vips("bandjoin", " ".join(bands), joined)
    vips("copy", joined, out, "--interpretation", "srgb")
    return out


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def exif_orientation(value):
    """An APP1 segment holding only EXIF's Orientation tag."""
    tiff = b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", 1)
    tiff += struct.pack("<HHIHH", 0x0112, 3, 1, value, 0) + struct.pack("<I", 0)
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def main():
    with tempfile.TemporaryDirectory() as tmp:
        # Stored 320x240, EXIF orientation 6: shown 240x320.
        rotated = os.path.join(GALLERY, "rotated.jpg")
        vips("copy", rgb(tmp, "turned", 320, 240), rotated + "[Q=60,strip]")
        with open(rotated, "rb") as f:
            data = f.read()
        with open(rotated, "wb") as f:
            f.write(data[:2] + exif_orientation(6) + data[2:])
        vips("copy", rgb(tmp, "alpha", 300, 150, alpha=True), os.path.join(GALLERY, "alpha.png"))
        vips("copy", rgb(tmp, "gif", 120, 80), os.path.join(GALLERY, "anim.gif"))
        vips("copy", rgb(tmp, "webp", 500, 250), os.path.join(GALLERY, "photo.webp[Q=50]"))
        vips("colourspace", rgb(tmp, "cmyk", 250, 250), os.path.join(GALLERY, "cmyk.jpg[Q=60,strip]"),
             "cmyk")
        vips("copy", rgb(tmp, "small", 80, 60), os.path.join(GALLERY, "small.jpg[Q=60]"))
        vips("copy", rgb(tmp, "banner", 450, 150), os.path.join(STATIC, "banner.jpg[Q=60]"))
        whole = os.path.join(tmp, "whole.jpg")
        vips("copy", rgb(tmp, "corrupt", 400, 400), whole + "[Q=90]")
        with open(whole, "rb") as f:
            data = f.read()
        with open(os.path.join(GALLERY, "corrupt.jpg"), "wb") as f:
            f.write(data[: len(data) // 3])  # truncated
    # A decompression bomb: a PNG declaring 60000x60000 pixels, its data a
    # few bytes of one compressed row.
    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    with open(os.path.join(GALLERY, "bomb.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) +
                png_chunk(b"IDAT", zlib.compress(b"\0" * 60001)) + png_chunk(b"IEND", b""))
    with open(os.path.join(GALLERY, "notes.jpg"), "wb") as f:
        f.write(b"These are notes, not a picture.\n")
    with open(os.path.join(GALLERY, "logo.svg"), "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40">'
                '<rect width="60" height="40" fill="#246"/></svg>\n')


if __name__ == "__main__":
    main()

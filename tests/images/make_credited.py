#!/usr/bin/python3
"""Writes credited.jpg, the metadata fixture (committed; run again only to change it).

A 96x64 JPEG in Display P3 (its ICC profile embedded) carrying what a
photo agency's file carries: EXIF Artist and Copyright beside camera
fields (Make, Model, Software, DateTime), XMP with dc:creator, dc:rights
and photoshop:Credit beside a creator tool and a GPS position, and IPTC
with By-line, Credit, Source and Copyright Notice beside keywords and a
caption. byline keeps the profile always and the credit fields only with
[images] keep_credit = true (src/images/image_processor_test.cc).

Needs the vips command (Debian libvips-tools).
"""
import os
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

ARTIST = "A. Photographer"
COPYRIGHT = "(c) 2019 Agency Ltd"
CREDIT = "A. PHOTOGRAPHER/AGENCY"
SOURCE = "Agency"


def vips(*args):
    subprocess.run(["vips", *args], check=True)


def exif():
    """APP1 Exif: IFD0 with Make, Model, Software, DateTime, Artist, Copyright."""
    entries = [(0x010F, b"Camera Maker\0"), (0x0110, b"Model 7\0"), (0x0131, b"Editor 2.1\0"),
               (0x0132, b"2019:06:12 10:00:00\0"), (0x013B, ARTIST.encode() + b"\0"),
               (0x8298, COPYRIGHT.encode() + b"\0")]
    count = len(entries)
    data_at = 8 + 2 + 12 * count + 4
    table, blob = b"", b""
    for tag, value in entries:
        if len(value) <= 4:
            table += struct.pack("<HHI", tag, 2, len(value)) + value.ljust(4, b"\0")
        else:
            table += struct.pack("<HHII", tag, 2, len(value), data_at + len(blob))
            blob += value + (b"\0" if len(value) % 2 else b"")
    tiff = b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", count) + table + b"\0\0\0\0" + blob
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def xmp():
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        'xmp:CreatorTool="Editor 2.1" exif:GPSLatitude="22,17.0N" '
        f'photoshop:Credit="{CREDIT}">'
        f'<dc:creator><rdf:Seq><rdf:li>{ARTIST}</rdf:li></rdf:Seq></dc:creator>'
        f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{COPYRIGHT}</rdf:li></rdf:Alt></dc:rights>'
        '<dc:subject><rdf:Bag><rdf:li>protest</rdf:li></rdf:Bag></dc:subject>'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()
    body = b"http://ns.adobe.com/xap/1.0/\0" + packet
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def iptc():
    def dataset(record, number, value):
        return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value
    iim = (dataset(1, 90, b"\x1b%G") + dataset(2, 0, b"\0\4") + dataset(2, 25, b"protest") +
           dataset(2, 80, ARTIST.encode()) + dataset(2, 110, CREDIT.encode()) +
           dataset(2, 115, SOURCE.encode()) + dataset(2, 116, COPYRIGHT.encode()) +
           dataset(2, 120, b"Protesters in the rain"))
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iim)) + iim
    if len(iim) % 2:
        resource += b"\0"
    body = b"Photoshop 3.0\0" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def segments(data):
    """(marker, bytes) of each segment before the scan, and the rest."""
    at, out = 2, []
    while data[at] == 0xFF and data[at + 1] != 0xDA:
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        out.append((data[at + 1], data[at:at + 2 + length]))
        at += 2 + length
    return out, data[at:]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        s, u8, rgb = (os.path.join(tmp, n + ".v") for n in ("s", "u8", "rgb"))
        vips("sines", s, "96", "64", "--hfreq", "2", "--vfreq", "1")
        vips("linear", s, u8, "100", "128", "--uchar")
        r, g = os.path.join(tmp, "r.v"), os.path.join(tmp, "g.v")
        vips("linear", u8, r, "1", "0", "--uchar")
        vips("linear", u8, g, "0.5", "60", "--uchar")
        joined = os.path.join(tmp, "joined.v")
        vips("bandjoin", f"{r} {g} {u8}", joined)
        vips("copy", joined, rgb, "--interpretation", "srgb")
        tagged = os.path.join(tmp, "p3.jpg")
        vips("icc_transform", rgb, tagged + "[Q=85]", "p3")
        with open(tagged, "rb") as f:
            data = f.read()
    kept, scan = segments(data)
    # vips' own EXIF goes; the profile (APP2) and the tables stay.
    kept = [seg for marker, seg in kept if marker != 0xE1]
    out = b"\xff\xd8" + exif() + xmp() + iptc() + b"".join(s for s in kept if s[:2] != b"\xff\xd8")
    with open(os.path.join(HERE, "credited.jpg"), "wb") as f:
        f.write(out + scan)


if __name__ == "__main__":
    main()

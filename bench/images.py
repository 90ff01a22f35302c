#!/usr/bin/python3
"""Image processing: byline against Hugo on the same photographs (issue 27).

Generates (once, cached in the work folder) PHOTOS photographic-looking JPEGs
of WIDTHxHEIGHT (a blurred noise texture, each cut at another offset, so no
two are alike) and PNGS PNGs, and one site for each tool in which every post
is a bundle showing one of them. Both make the same files of each image:
WebP and the original format at 480, 800, 1200 and 1600 pixels wide,
quality 75 (byline by default; Hugo through a template calling .Resize for
each). Builds alternate, one tool then the other:

  cold  no cache (byline's .byline/, Hugo's resources/_gen removed) and no output
  warm  the cache kept from a cold build, the output removed; byline with
        --full, so that it is a whole build that finds every image in its cache

and reports the median wall time, CPU time (user+sys) and peak memory (max
RSS) of each, and the bytes each wrote per image, in all and by format
(JPEG, WebP, PNG) side by side. The floor is byline's cold build of the
same site with `[images] process = false` (the images copied as they are):
what the binary and its libraries take with no image work.

Usage: bench/images.py [--photos 200] [--pngs 20] [--size 3000x2000] [--runs 1]
                       [--byline build/byline] [--no-hugo] [--work DIR]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WIDTHS = [480, 800, 1200, 1600]


def vips(*args):
    subprocess.run(["vips", *args], check=True, stdout=subprocess.DEVNULL)


def images(work, photos, pngs, width, height):
    """The source pictures, made once per (count, size): [(name, path)]."""
    folder = os.path.join(work, "images-%d-%d-%dx%d" % (photos, pngs, width, height))
    stamp = os.path.join(folder, ".complete")
    names = ["photo-%03d.jpg" % i for i in range(photos)] + ["chart-%02d.png" % i for i in range(pngs)]
    if not os.path.exists(stamp):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        margin = 256
        noise, grain, colour, base, bands = (os.path.join(folder, n + ".v") for n in
                                             ("noise", "grain", "colour", "base", "bands"))
        bw, bh = width + margin, height + margin
        # Photographic enough for an encoder: broad smooth shapes in each
        # channel (noise blurred at three radii) over a fine grain.
        vips("gaussnoise", noise, str(bw), str(bh), "--sigma", "400", "--mean", "128",
             "--seed", "27")
        blurs = []
        for radius in (9, 14, 20):
            out = os.path.join(folder, "blur%d.v" % radius)
            vips("gaussblur", noise, out, str(radius))
            blurs.append(out)
        vips("bandjoin", " ".join(blurs), bands)
        vips("gaussnoise", grain, str(bw), str(bh), "--sigma", "4", "--mean", "0", "--seed", "9")
        vips("add", bands, grain, colour)
        cast = os.path.join(folder, "cast.v")
        vips("cast", colour, cast, "uchar")
        vips("copy", cast, base, "--interpretation", "srgb")
        for n in blurs + [cast]:
            os.remove(n)
        # The PNGs are flat like charts: the texture in eleven levels.
        levels, flat = os.path.join(folder, "levels.v"), os.path.join(folder, "flat.v")
        vips("linear", base, levels, "0.04", "0", "--uchar")
        vips("linear", levels, flat, "25", "0", "--uchar")
        for i, name in enumerate(names):
            x, y = (i * 37) % margin, (i * 53) % margin
            out = os.path.join(folder, name)
            photo = name.endswith(".jpg")
            vips("crop", base if photo else flat, out + ("[Q=90]" if photo else ""),
                 str(x), str(y), str(width if photo else width // 2),
                 str(height if photo else height // 2))
        os.remove(levels)
        os.remove(flat)
        for n in (noise, grain, colour, base, bands):
            os.remove(n)
        open(stamp, "w").close()
    return [(n, os.path.join(folder, n)) for n in names]


def byline_site(work, pictures):
    site = os.path.join(work, "byline-site")
    shutil.rmtree(site, ignore_errors=True)
    with open(os.path.join(mkdir(site), "byline.toml"), "w") as f:
        f.write('title = "Images bench"\nbase_url = "https://example.org/"\n'
                "[images]\nwidths = %s\nquality = 75\ncards = false\n" % WIDTHS)
    for i, (name, path) in enumerate(pictures):
        post = mkdir(os.path.join(site, "content", "posts", "p%03d" % i))
        os.link(path, os.path.join(post, name)) if same_fs(path, post) else shutil.copy(path, post)
        with open(os.path.join(post, "index.md"), "w") as f:
            f.write("---\ntitle: \"Post %d\"\ndate: 2024-01-01\n---\n![Picture %d](%s)\n"
                    % (i, i, name))
    return site


HUGO_SINGLE = """{{ define "main" }}{{ .Content }}
{{ range $img := .Resources.ByType "image" }}{{ range $w := slice 480 800 1200 1600 }}
{{ $webp := $img.Resize (printf "%dx webp q75" $w) }}{{ $own := $img.Resize (printf "%dx q75" $w) }}
<img src="{{ $own.RelPermalink }}" width="{{ $own.Width }}"><img src="{{ $webp.RelPermalink }}">
{{ end }}{{ end }}{{ end }}
"""


def hugo_site(work, pictures):
    site = os.path.join(work, "hugo-site")
    shutil.rmtree(site, ignore_errors=True)
    with open(os.path.join(mkdir(site), "config.toml"), "w") as f:
        f.write('baseURL = "https://example.org/"\ntitle = "Images bench"\n'
                'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
                "[imaging]\nquality = 75\n")
    layouts = mkdir(os.path.join(site, "layouts", "_default"))
    with open(os.path.join(layouts, "baseof.html"), "w") as f:
        f.write("<!doctype html><html><body>{{ block \"main\" . }}{{ end }}</body></html>\n")
    with open(os.path.join(layouts, "single.html"), "w") as f:
        f.write(HUGO_SINGLE)
    with open(os.path.join(layouts, "list.html"), "w") as f:
        f.write("{{ define \"main\" }}{{ range .Pages }}{{ .Title }}{{ end }}{{ end }}\n")
    for i, (name, path) in enumerate(pictures):
        post = mkdir(os.path.join(site, "content", "posts", "p%03d" % i))
        os.link(path, os.path.join(post, name)) if same_fs(path, post) else shutil.copy(path, post)
        with open(os.path.join(post, "index.md"), "w") as f:
            f.write("---\ntitle: \"Post %d\"\ndate: 2024-01-01\n---\nPicture %d.\n" % (i, i))
    return site


def mkdir(path):
    os.makedirs(path, exist_ok=True)
    return path


def same_fs(a, b):
    return os.stat(a).st_dev == os.stat(b).st_dev


def timed(cmd, cwd=None):
    """(wall s, cpu s, peak MiB) of cmd, under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r") as t:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name, *cmd], check=True,
                       cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, user, sys_, rss = t.read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024.0


def image_bytes(public, by_format=None):
    """Bytes of the resized images written (not the originals); by_format,
    when given, gets the bytes of each extension added to it."""
    total = 0
    for d, _, names in os.walk(public):
        for n in names:
            if n.endswith((".webp", ".jpg", ".png")) and ("-" in n[-12:] or "_hu" in n):
                if n.startswith(("photo-", "chart-")) and n.count("-") == 1 and "_hu" not in n:
                    continue  # the original, copied
                size = os.path.getsize(os.path.join(d, n))
                total += size
                if by_format is not None:
                    ext = n.rsplit(".", 1)[1]
                    by_format[ext] = by_format.get(ext, 0) + size
    return total


def run_byline(byline, site, cold, by_format=None):
    public = os.path.join(site, "public")
    shutil.rmtree(public, ignore_errors=True)
    if cold:
        shutil.rmtree(os.path.join(site, ".byline"), ignore_errors=True)
    figures = timed([byline, "build", "--quiet", "--full", "-s", site])
    return figures, image_bytes(public, by_format)


def run_hugo(site, cold, by_format=None):
    public = os.path.join(site, "public")
    shutil.rmtree(public, ignore_errors=True)
    if cold:
        shutil.rmtree(os.path.join(site, "resources"), ignore_errors=True)
    figures = timed(["hugo", "--quiet"], cwd=site)
    return figures, image_bytes(public, by_format)


def floor(byline, site):
    """byline's cold build of the site with images published as they are."""
    config = os.path.join(site, "byline.toml")
    with open(config) as f:
        text = f.read()
    try:
        with open(config, "w") as f:
            f.write(text.replace("[images]\n", "[images]\nprocess = false\n"))
        shutil.rmtree(os.path.join(site, "public"), ignore_errors=True)
        shutil.rmtree(os.path.join(site, ".byline"), ignore_errors=True)
        return timed([byline, "build", "--quiet", "--full", "-s", site])
    finally:
        with open(config, "w") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--photos", type=int, default=200)
    ap.add_argument("--pngs", type=int, default=20)
    ap.add_argument("--size", default="3000x2000")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--byline", default=os.path.join(ROOT, "build", "byline"))
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "byline-bench-images"))
    args = ap.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    hugo = not args.no_hugo and shutil.which("hugo")
    pictures = images(mkdir(args.work), args.photos, args.pngs, width, height)
    sites = {"byline": byline_site(args.work, pictures)}
    if hugo:
        sites["hugo"] = hugo_site(args.work, pictures)
    base = floor(args.byline, sites["byline"])
    print("byline floor (process = false): %.2f s wall, %.2f s CPU, %.0f MiB" % base, flush=True)
    results = {}
    formats = {tool: {} for tool in sites}
    for run in range(args.runs):
        for kind in ("cold", "warm"):
            for tool, site in sites.items():
                split = formats[tool] if kind == "cold" and run == 0 else None
                figures, size = (run_byline(args.byline, site, kind == "cold", split)
                                 if tool == "byline" else run_hugo(site, kind == "cold", split))
                results.setdefault((tool, kind), []).append(figures + (size,))
                print("%-6s %-4s run %d: %.2f s wall, %.2f s CPU, %.0f MiB, %d bytes of images"
                      % (tool, kind, run + 1, *figures, size), flush=True)
    count = len(pictures)
    print()
    print("%d images (%d JPEG %s, %d PNG), widths %s, WebP + own format, quality 75; median of %d"
          % (count, args.photos, args.size, args.pngs, WIDTHS, args.runs))
    print()
    print("| tool | build | wall s | CPU s | peak MiB | KiB written per image |")
    print("|---|---|---|---|---|---|")
    for (tool, kind), rows in sorted(results.items()):
        med = [statistics.median(r[i] for r in rows) for i in range(4)]
        print("| %s | %s | %.2f | %.2f | %.0f | %.0f |"
              % (tool, kind, med[0], med[1], med[2], med[3] / count / 1024))
    print("| byline | floor (images off) | %.2f | %.2f | %.0f | 0 |" % base)
    print()
    print("KiB written per image, by format (first cold build of each):")
    print()
    print("| format | " + " | ".join(sites) + " |")
    print("|---|" + "---|" * len(sites))
    for ext in sorted(set(e for f in formats.values() for e in f)):
        print("| %s | " % ext + " | ".join("%.0f" % (formats[t].get(ext, 0) / count / 1024)
                                          for t in sites) + " |")
    if hugo:
        def med(tool, kind, i):
            return statistics.median(r[i] for r in results[(tool, kind)])
        print()
        print("cold: byline %.1fx faster than Hugo (wall), peak memory %.2f of Hugo's; "
              "warm byline rebuild %.1f%% of its cold build"
              % (med("hugo", "cold", 0) / med("byline", "cold", 0),
                 med("byline", "cold", 2) / med("hugo", "cold", 2),
                 100 * med("byline", "warm", 0) / med("byline", "cold", 0)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

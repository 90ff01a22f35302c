#!/usr/bin/python3
"""The writing loop's latency, side by side: `byline serve` against
`hugo server` on the same corpus in the same run. For each edit, the time
from the moment the file is saved to the moment the server serves the new
bytes (polled every 2 ms), median of --edits edits per scenario:

  body edit    a paragraph with a new word appended to the newest post
  title edit   the newest post's title changed (checked on its page)
  CSS edit     a stylesheet in static/ rewritten (checked at its URL)

Both servers run on a copy of the corpus (compare_hugo.py's, cached) whose
newest post is given a `slug:` so that its URL is the same for both and does
not move with its title, with a stylesheet added. Each post edit is a new
file renamed over the old one, as many editors save (the copy's files are
hard links to the corpus's); the stylesheet is written in place. Hugo runs with its defaults (rendering to memory,
fast render mode, live reload); byline with its defaults (a quick
incremental build into its preview folder, the search index and related
posts brought up to date after 2 s without a save; a stylesheet copied). A
second of quiet separates the edits, so byline's search catch-up does not
run between them.

usage: bench/serve_latency.py [--sizes 1000] [--edits 10] [--byline BIN]
                              [--work DIR] [--no-hugo] [--server-log FILE]
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_hugo as ch  # noqa: E402
import incremental as inc  # noqa: E402

SLUG = "serve-latency-post"
CSS = "serve-latency.css"
SCENARIOS = [("body", "body edit"), ("title", "title edit"), ("css", "CSS edit")]
TARGETS = {1000: (0.030, 0.060, 0.020), 10000: (0.050, 0.150, 0.020),
           100000: (0.200, 1.0, 0.020)}


class BenchError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, ConnectionError, socket.timeout):
        return None, ""


def wait_served(url, token, timeout=60.0):
    """Seconds until `url` serves a body holding `token`."""
    start = time.perf_counter()
    while True:
        status, body = fetch(url)
        if status == 200 and token in body:
            return time.perf_counter() - start
        if time.perf_counter() - start > timeout:
            raise BenchError("%s never served %r (last status %s)" % (url, token, status))
        time.sleep(0.002)


class Site:
    """The corpus copy both servers serve, and the post the bench edits."""

    def __init__(self, corpus_dir, work, posts):
        self.dir = os.path.join(work, "serve-site-%d" % posts)
        inc.make_site(corpus_dir, self.dir)
        found, _ = inc.scan_posts(os.path.join(self.dir, "content"))
        if not found:
            raise BenchError("no posts in " + corpus_dir)
        date, self.post = max(found)
        with open(self.post, encoding="utf-8") as f:
            text = f.read()
        self.text = inc.set_line(text, "title", inc.yaml_str("The post the serve bench edits"))
        self.text = self.text.replace("---\n", "---\nslug: %s\n" % SLUG, 1)
        inc.replace_file(self.post, self.text.encode("utf-8"))
        self.url_path = "/%04d/%02d/%s/" % (date.year, date.month, SLUG)
        os.makedirs(os.path.join(self.dir, "static"), exist_ok=True)
        self.css = os.path.join(self.dir, "static", CSS)
        inc.replace_file(self.css, b"body { margin: 0; }\n")

    def edit(self, scenario, token):
        """Saves the edit (a CSS edit into self.css, the stylesheet of the
        server measured); returns the URL path that shows it."""
        if scenario == "body":
            inc.replace_file(self.post, (self.text + "\n\nA paragraph with %s.\n" % token).encode())
            return self.url_path
        if scenario == "title":
            new = inc.set_line(self.text, "title", inc.yaml_str("Edited " + token))
            inc.replace_file(self.post, new.encode("utf-8"))
            return self.url_path
        # Written in place (the bench made this file; Hugo's static copy
        # answers 500 for a while when a stylesheet is renamed over).
        with open(self.css, "w", encoding="utf-8") as f:
            f.write("body { margin: 0; } /* %s */\n" % token)
        return "/" + CSS


def start(cmd, origin, what, log_path=None):
    # A pipe nobody reads would fill and stop the server.
    log = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=log, stderr=log,
                            start_new_session=True)
    deadline = time.time() + 600
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise BenchError("%s exited: %s" % (what, log.read().decode()[-2000:]))
        if fetch(origin + "/")[0] == 200:
            return proc
        time.sleep(0.05)
    proc.kill()
    raise BenchError(what + " did not start")


def peak_rss_mib(proc):
    """The server's peak resident memory so far (VmHWM), in MiB; None once
    it is gone. Read before stop(): the process group's leader is the
    server itself."""
    try:
        with open("/proc/%d/status" % proc.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def cpu_seconds(proc):
    """The server's user+sys CPU seconds so far (its threads'), or None."""
    try:
        with open("/proc/%d/stat" % proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def hugo_site(site, work, posts):
    """Hugo's reference site over the same content, with the stylesheet."""
    path = os.path.join(work, "serve-hugo-%d" % posts)
    shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(os.path.join(ch.SHARED, "hugo-site"), path)
    os.symlink(os.path.join(site.dir, "content"), os.path.join(path, "content"))
    # Hugo refuses a linked static folder and one outside its site: the
    # stylesheet is its own copy, which the CSS edits write for Hugo.
    os.makedirs(os.path.join(path, "static"))
    shutil.copy(site.css, os.path.join(path, "static", CSS))
    return path


def measure(site, origin, edits, label, proc=None):
    out = {}
    serial = 0
    for scenario, name in SCENARIOS:
        times = []
        cpu = []
        for _ in range(edits):
            before = cpu_seconds(proc) if proc else None
            serial += 1
            token = "tok%dx%d" % (os.getpid(), serial)
            path = site.edit(scenario, token)
            times.append(wait_served(origin + path, token))
            time.sleep(1.0)
            # The server's CPU for the edit (its threads', user+sys), the
            # second of quiet after it included.
            after = cpu_seconds(proc) if proc else None
            if before is not None and after is not None:
                cpu.append(after - before)
        out[scenario] = times
        cpu_note = "; server CPU median %.3f s" % statistics.median(cpu) if cpu else ""
        print("%-7s %-11s median %.3f s  (%s)%s" %
              (label, name, statistics.median(times), " ".join("%.3f" % t for t in times),
               cpu_note), flush=True)
    # Back as it was, for the other server.
    inc.replace_file(site.post, site.text.encode("utf-8"))
    inc.replace_file(site.css, b"body { margin: 0; }\n")
    time.sleep(1.0)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000", help="corpus sizes, e.g. 1000,10000")
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--byline", default=os.path.join(ch.ROOT, "build", "byline"))
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "byline-bench"))
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--server-log", help="keep byline serve's output in this file")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rows = []
    peaks = {}
    for posts in [int(s) for s in a.sizes.split(",")]:
        corpus_dir = ch.corpus(a.work, posts, 0)
        site = Site(corpus_dir, a.work, posts)
        results = {}
        port = free_port()
        origin = "http://127.0.0.1:%d" % port
        proc = start([a.byline, "serve", "-s", site.dir, "-p", str(port), "--timings"], origin,
                     "byline serve", a.server_log)
        try:
            results["byline"] = measure(site, origin, a.edits, "byline", proc)
            peaks[posts] = peak_rss_mib(proc)
        finally:
            stop(proc)
        if not a.no_hugo:
            port = free_port()
            origin = "http://127.0.0.1:%d" % port
            hugo_dir = hugo_site(site, a.work, posts)
            proc = start(["hugo", "server", "-s", hugo_dir, "--port", str(port), "--bind",
                          "127.0.0.1", "--baseURL", origin + "/"], origin, "hugo server")
            byline_css, site.css = site.css, os.path.join(hugo_dir, "static", CSS)
            try:
                results["hugo"] = measure(site, origin, a.edits, "hugo", proc)
            finally:
                stop(proc)
                site.css = byline_css
                shutil.rmtree(hugo_dir, ignore_errors=True)
        rows.append((posts, results))
        shutil.rmtree(site.dir, ignore_errors=True)

    print("\n```sh\nbench/serve_latency.py --sizes %s --edits %d%s\n```\n" %
          (a.sizes, a.edits, " --no-hugo" if a.no_hugo else ""))
    print("| posts | server | body edit | title edit | CSS edit |")
    print("|---|---|---|---|---|")
    for posts, results in rows:
        for who, res in results.items():
            cells = []
            for i, (scenario, _) in enumerate(SCENARIOS):
                m = statistics.median(res[scenario])
                cell = "%.0f ms" % (m * 1000)
                if who == "byline" and "hugo" in results:
                    cell += " (%.1f× Hugo's speed)" % (statistics.median(results["hugo"][scenario]) / m)
                target = TARGETS.get(posts)
                if who == "byline" and target:
                    cell += "; target < %.0f ms: %s" % (target[i] * 1000,
                                                         "met" if m < target[i] else "NOT met")
                cells.append(cell)
            print("| {:,} | {} | {} |".format(posts, who, " | ".join(cells)))
    for posts, peak in peaks.items():
        if peak is not None:
            print("byline serve at {:,} posts: peak resident memory {:,.0f} MiB".format(posts, peak))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print("serve_latency: " + str(e), file=sys.stderr)
        sys.exit(1)

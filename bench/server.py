#!/usr/bin/python3
"""The dev server's throughput and tail latency, side by side: `byline
serve`, `python3 -m http.server` and nginx serving the same built site from
the same folder (byline's preview folder) on 127.0.0.1, measured with wrk
in the same run, one after the other:

  keep-alive, 10 connections    wrk -t2 -c10  -d DURATION --latency
  200 connections               wrk -t2 -c200 -d DURATION --latency

all asking for the same URL (the home page by default; byline adds its
live-reload script to it, about 2.5 KB). wrk's timeout is 2 s: a request
unanswered by then counts as a timeout. nginx runs in the foreground with
a configuration of its own in a temporary folder (one worker, no access
log); python's server runs with the Python that runs this script. A server
whose program is missing is left out (byline never is).

Targets for byline: at least 10,000 requests/s on 10 keep-alive
connections; no timeouts and a p99 under 50 ms on 200.

usage: bench/server.py BYLINE [--site DIR] [--duration S] [--path /]
                      [--servers byline,python,nginx] [--json FILE]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
SCENARIOS = [("keep-alive, 10 connections", 10), ("200 connections", 200)]
TARGET_RPS = 10000  # on 10 keep-alive connections
TARGET_P99_MS = 50.0  # on 200 connections, with no timeouts


class BenchError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url, proc, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise BenchError("%s exited (%d) before answering" % (what, proc.returncode))
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                r.read()
                return
        except OSError:
            time.sleep(0.05)
    raise BenchError("%s did not answer %s within %d s" % (what, url, timeout))


def stop(proc, sig=signal.SIGINT):
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_byline(byline, site):
    proc = subprocess.Popen([byline, "serve", "-s", site, "-p", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    end = time.time() + 120
    while time.time() < end:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"Serving .* at (http://127\.0\.0\.1:\d+/) \(preview in (.*);", line)
        if m:
            # The rest of its output is read and dropped, so it never blocks.
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, m.group(1), m.group(2)
    stop(proc)
    raise BenchError("byline serve did not start")


def start_python(folder):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                             "127.0.0.1", "--directory", folder],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, "http://127.0.0.1:%d/" % port


def start_nginx(nginx, folder, work):
    port = free_port()
    prefix = os.path.join(work, "nginx")
    os.makedirs(prefix, exist_ok=True)
    conf = os.path.join(prefix, "nginx.conf")
    temp = {k: os.path.join(prefix, k) for k in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    with open(conf, "w") as f:
        # Run as root, nginx's workers would become "nobody", who cannot read
        # a private temporary folder: they stay who we are.
        f.write("user root;\n" if os.getuid() == 0 else "")
        f.write("""daemon off;
worker_processes 1;
pid %(prefix)s/nginx.pid;
error_log %(prefix)s/error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path %(body)s;
  proxy_temp_path %(proxy)s;
  fastcgi_temp_path %(fastcgi)s;
  uwsgi_temp_path %(uwsgi)s;
  scgi_temp_path %(scgi)s;
  server {
    listen 127.0.0.1:%(port)d;
    root %(root)s;
  }
}
""" % dict(temp, prefix=prefix, port=port, root=os.path.abspath(folder)))
    proc = subprocess.Popen([nginx, "-p", prefix, "-c", conf, "-e", os.path.join(prefix,
                                                                                 "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, "http://127.0.0.1:%d/" % port


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out):
    """The figures wrk printed: requests/s, p50 and p99 (ms), requests,
    timeouts, other socket errors and answers that were not 2xx or 3xx."""
    r = {"rps": None, "p50_ms": None, "p99_ms": None, "requests": 0, "timeouts": 0, "errors": 0,
         "non_2xx": 0}
    m = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    if m:
        r["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(r"^\s+%s(?:\.000)?%%\s+([\d.]+)(us|ms|s|m)\b" % pct, out, re.M)
        if m:
            r[key] = to_ms(m.group(1), m.group(2))
    m = re.search(r"^\s+(\d+) requests in", out, re.M)
    if m:
        r["requests"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        r["errors"] = int(m.group(1)) + int(m.group(2)) + int(m.group(3))
        r["timeouts"] = int(m.group(4))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        r["non_2xx"] = int(m.group(1))
    return r


def run_wrk(wrk, url, connections, duration):
    cmd = [wrk, "-t2", "-c%d" % connections, "-d%ds" % duration, "--latency", "--timeout", "2s",
           url]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=duration + 60)
    if r.returncode != 0:
        raise BenchError("%s failed:\n%s" % (" ".join(cmd), r.stdout))
    figures = parse_wrk(r.stdout)
    if figures["rps"] is None:
        raise BenchError("no figures from %s:\n%s" % (" ".join(cmd), r.stdout))
    return figures


def fmt(v, spec):
    return "—" if v is None else format(v, spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("byline")
    ap.add_argument("--site", default=os.path.join(SOURCE, "examples"))
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    ap.add_argument("--path", default="/", help="the URL path asked for")
    ap.add_argument("--servers", default="byline,python,nginx")
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()
    wrk = shutil.which("wrk")
    if not wrk:
        print("error: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    wanted = args.servers.split(",")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK)
                                      else None)
    results = []  # (server, scenario, figures)
    procs = []
    with tempfile.TemporaryDirectory(prefix="byline-bench-server-") as work:
        site = os.path.join(work, "site")
        shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("public", ".byline"))
        try:
            proc, url, preview = start_byline(os.path.abspath(args.byline), site)
            procs.append(proc)
            servers = [("byline", url, proc)]
            if "python" in wanted:
                proc, url = start_python(preview)
                procs.append(proc)
                servers.append(("python http.server", url, proc))
            if "nginx" in wanted:
                if nginx:
                    proc, url = start_nginx(nginx, preview, work)
                    procs.append(proc)
                    servers.append(("nginx", url, proc))
                else:
                    print("nginx is not installed: left out", file=sys.stderr)
            for name, url, proc in servers:
                wait_until_up(url + args.path.lstrip("/"), proc, name)
            for name, url, proc in servers:
                for scenario, connections in SCENARIOS:
                    figures = run_wrk(wrk, url + args.path.lstrip("/"), connections,
                                      args.duration)
                    results.append((name, scenario, figures))
                    print("%-20s %-28s %10s req/s  p99 %8s ms  timeouts %d" %
                          (name, scenario, fmt(figures["rps"], ",.0f"),
                           fmt(figures["p99_ms"], ".2f"), figures["timeouts"]), flush=True)
        except BenchError as e:
            print("error: %s" % e, file=sys.stderr)
            return 1
        finally:
            for p in procs:
                stop(p, signal.SIGQUIT if p.args[0] == nginx else signal.SIGINT)

    print()
    print("| server | scenario | requests/s | p50 | p99 | timeouts | errors | non-2xx |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, scenario, f in results:
        print("| %s | %s | %s | %s ms | %s ms | %d | %d | %d |" %
              (name, scenario, fmt(f["rps"], ",.0f"), fmt(f["p50_ms"], ".2f"),
               fmt(f["p99_ms"], ".2f"), f["timeouts"], f["errors"], f["non_2xx"]))
    byline = {s: f for n, s, f in results if n == "byline"}
    ka, many = byline[SCENARIOS[0][0]], byline[SCENARIOS[1][0]]
    met_rps = ka["rps"] >= TARGET_RPS
    met_tail = many["timeouts"] == 0 and many["p99_ms"] is not None and \
        many["p99_ms"] < TARGET_P99_MS
    print()
    print("byline targets: keep-alive 10 connections >= %d req/s: %s (%.0f); "
          "200 connections, no timeouts and p99 < %.0f ms: %s (%d timeouts, p99 %s ms)" %
          (TARGET_RPS, "met" if met_rps else "NOT met", ka["rps"], TARGET_P99_MS,
           "met" if met_tail else "NOT met", many["timeouts"], fmt(many["p99_ms"], ".2f")))
    try:
        load = os.getloadavg()
        print("load average during the run: %.1f %.1f %.1f on %d CPUs" %
              (load[0], load[1], load[2], os.cpu_count()))
    except OSError:
        pass
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"server": n, "scenario": s, **fig} for n, s, fig in results], f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

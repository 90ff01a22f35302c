#!/usr/bin/python3
"""Checks bench/server.py without timing anything: on the example site, for
one second a run, it measures byline's server (and python's and nginx's
when they are installed) in both scenarios, every figure parses, byline
answered every request with a 2xx and none timed out, the table has a row
for each, and no server is left running.

Usage: server_test.py path/to/byline
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    byline = os.path.abspath(sys.argv[1])
    servers = ["byline", "python http.server"]
    if shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK):
        servers.append("nginx")
    failures = []
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "figures.json")
        r = subprocess.run([sys.executable, os.path.join(HERE, "server.py"), byline,
                            "--duration", "1", "--json", out],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=600)
        if r.returncode != 0:
            failures.append("the bench failed (%d)" % r.returncode)
        figures = []
        if os.path.exists(out):
            with open(out) as f:
                figures = json.load(f)
    for server in servers:
        for scenario in ("keep-alive, 10 connections", "200 connections"):
            row = [f for f in figures if f["server"] == server and f["scenario"] == scenario]
            if len(row) != 1:
                failures.append("no figures for %s, %s" % (server, scenario))
                continue
            f = row[0]
            if not (f["rps"] > 0 and f["requests"] > 0 and f["p50_ms"] is not None and
                    f["p99_ms"] is not None):
                failures.append("%s, %s: figures missing: %s" % (server, scenario, f))
            if server == "byline" and (f["non_2xx"] or f["timeouts"] or f["errors"]):
                failures.append("byline, %s: %d non-2xx, %d timeouts, %d errors" %
                                (scenario, f["non_2xx"], f["timeouts"], f["errors"]))
            if not re.search(r"^\| %s \| %s \| [\d,]+ \| [\d.]+ ms \| [\d.]+ ms \|" %
                             (re.escape(server), re.escape(scenario)), r.stdout, re.M):
                failures.append("no table row for %s, %s" % (server, scenario))
    if not re.search(r"^byline targets: ", r.stdout, re.M):
        failures.append("no verdict on the targets")
    left = subprocess.run(["ps", "-eo", "args"], stdout=subprocess.PIPE, text=True).stdout
    if "byline-bench-server-" in left:
        failures.append("a server was left running:\n" + left)
    print(r.stdout)
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Hostile templates and contexts through the command line: `byline build`
and `byline template render` end quickly with a located error (and a
non-zero exit) instead of hanging or crashing; [limits] in byline.toml
changes the render budget.

Usage: limits_test.py BYLINE_BINARY SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BYLINE = None
SOURCE = None


def run(*args, cwd=None):
    # A hang is the bug these tests guard against: the timeout fails them.
    return subprocess.run([BYLINE, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


class LimitsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="byline-limits-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def site_with(self, template, config_extra=""):
        """A copy of the self-extends fixture whose post.html is `template`."""
        site = os.path.join(self.tmp, "site")
        shutil.copytree(os.path.join(SOURCE, "tests", "sites", "invalid", "self-extends"), site)
        with open(os.path.join(site, "templates", "post.html"), "w") as f:
            f.write(template)
        with open(os.path.join(site, "byline.toml"), "a") as f:
            f.write(config_extra)
        return site

    def test_build_with_a_self_extending_template_fails_located(self):
        site = os.path.join(SOURCE, "tests", "sites", "invalid", "self-extends")
        out = os.path.join(self.tmp, "out")
        r = run("build", "-s", site, "-d", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("templates/post.html:2:1: error: {% extends %} cycle: "
                      "'post.html' extends 'post.html'", r.stderr)
        self.assertIn("1 error; nothing was written.", r.stderr)

    def test_build_with_templates_extending_each_other_fails_located(self):
        site = self.site_with('{% extends "base.html" %}\n{% block main %}x{% endblock %}')
        with open(os.path.join(site, "templates", "base.html"), "w") as f:
            f.write('<html>\n{% extends "post.html" %}')
        r = run("build", "-s", site, "-d", os.path.join(self.tmp, "out"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("templates/base.html:2:1: error: {% extends %} cycle: "
                      "'post.html' extends 'base.html' extends 'post.html'", r.stderr)
        self.assertIn("nothing was written.", r.stderr)

    def test_limits_table_sets_the_budget(self):
        template = ("{% for a in range(100) %}\n"
                    "{% for b in range(100) %}.{% endfor %}{% endfor %}")
        # The defaults let 10,000 iterations through.
        site = self.site_with(template)
        r = run("build", "-s", site, "-d", os.path.join(self.tmp, "out1"))
        self.assertEqual(r.returncode, 0, r.stderr)
        shutil.rmtree(site)
        site = self.site_with(template, "\n[limits]\nmax_iterations = 5000\n")
        r = run("build", "-s", site, "-d", os.path.join(self.tmp, "out2"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("templates/post.html:2:1: error: render budget exceeded: more than 5000 "
                      "loop iterations and calls ([limits] max_iterations)", r.stderr)
        shutil.rmtree(site)
        site = self.site_with("{{ 'x' * 4000 }}", "\n[limits]\nmax_output_bytes = 2048\n")
        r = run("build", "-s", site, "-d", os.path.join(self.tmp, "out3"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("templates/post.html:1:8: error: result too large", r.stderr)

    def test_bad_limits_are_located_config_errors(self):
        site = self.site_with("ok", "\n[limits]\nmax_iterations = 0\nmax_call_depth = 'deep'\n"
                              "max_frames = 3\n")
        r = run("build", "-s", site, "-d", os.path.join(self.tmp, "out"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("byline.toml:5:18: error: 'max_iterations' must be from 1 to", r.stderr)
        self.assertIn("byline.toml:6:18: error: 'max_call_depth' must be an integer", r.stderr)
        self.assertIn("byline.toml:7:14: warning: unknown key 'max_frames' in [limits]", r.stderr)

    def test_template_render_with_a_million_deep_context(self):
        ctx = os.path.join(self.tmp, "ctx.json")
        with open(ctx, "w") as f:
            f.write('{"x":' + "[" * 1000000 + "]" * 1000000 + "}")
        templates = os.path.join(self.tmp, "t")
        os.makedirs(templates)
        with open(os.path.join(templates, "t.txt"), "w") as f:
            f.write("{{ x }}")
        r = run("template", "render", "t.txt", "--templates", templates, "--context", ctx)
        self.assertEqual(r.returncode, 1, r.stderr[-300:])
        self.assertIn("ctx.json:1:1005: error: JSON nested too deeply (more than 1000 arrays "
                      "and objects)", r.stderr)

    def test_template_render_of_hostile_templates_ends(self):
        templates = os.path.join(self.tmp, "t")
        os.makedirs(templates)
        cases = {
            "a.txt": ("{% extends 'b.txt' %}", "b.txt:1:1: error: {% extends %} cycle: "
                      "'a.txt' extends 'b.txt' extends 'a.txt'"),
            "b.txt": ("{% extends 'a.txt' %}", None),
            "pow.txt": ("\n {{ 2**63 }}", "pow.txt:2:6: error: integer overflow in '**'"),
            "fan.txt": ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
                        "{% endmacro %}{{ f(40) }}",
                        "fan.txt:1:1: error: render budget exceeded: more than 20000000 loop "
                        "iterations and calls"),
            "filters.txt": ("{{ x" + "|upper" * 20000 + " }}",
                            "filters.txt:1:2400: error: expression nested too deeply"),
            "plus.txt": ("{{ 1" + " + 1" * 20000 + " }}",
                         "plus.txt:1:1602: error: expression nested too deeply"),
            "deep.txt": ("{% set ns = namespace(x=[]) %}{% for i in range(100000) %}"
                         "{% set ns.x = [ns.x] %}{% endfor %}\n{{ ns.x }}",
                         "deep.txt:2:1: error: value nested too deeply"),
            "cycle.txt": ("{% set l = [] %}{% set _ = l.append(l) %}\n {{ l }}",
                          "cycle.txt:2:2: error: value nested too deeply"),
            "doubling.txt": ("{% set ns = namespace(l=[1]) %}\n{% for i in range(40) %}"
                             "{% set ns.l = ns.l + ns.l %}{% endfor %}",
                             "doubling.txt:2:44: error: list too long"),
        }
        for name, (text, _) in cases.items():
            with open(os.path.join(templates, name), "w") as f:
                f.write(text)
        for name, (_, expected) in cases.items():
            if expected is None:
                continue
            r = run("template", "render", name, "--templates", templates)
            self.assertEqual(r.returncode, 1, name + ": " + r.stderr[-300:])
            self.assertIn(expected, r.stderr, name)


if __name__ == "__main__":
    BYLINE = os.path.abspath(sys.argv[1])
    SOURCE = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])

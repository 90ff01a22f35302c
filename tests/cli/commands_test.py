#!/usr/bin/python3
"""Command-line tests for the newcomer's commands: --version, "did you mean",
help for nested commands, shell completion, new post (flags, archetypes),
list, config, and installing.

Usage: commands_test.py BYLINE_BINARY SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import unittest

BYLINE = None
SOURCE = None


def run(*args, cwd=None):
    return subprocess.run([BYLINE, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def tree(root):
    """Every file under root (relative path -> bytes)."""
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


class CommandsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="byline-commands-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def new_site(self):
        site = os.path.join(self.tmp, "site")
        r = run("new", "site", site)
        self.assertEqual(r.returncode, 0, r.stderr)
        return site

    def test_version_flag(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^byline \d+\.\d+\.\d+\n$")
        self.assertEqual(r.stdout, run("version").stdout)

    def test_unknown_command_suggests_the_nearest(self):
        r = run("biuld")
        self.assertEqual(r.returncode, 2)
        self.assertIn("error: unknown command 'biuld'; did you mean 'build'?", r.stderr)
        r = run("new", "pots", "Title")
        self.assertEqual(r.returncode, 2)
        self.assertIn("error: unknown command 'new pots'; did you mean 'new post'?", r.stderr)
        r = run("list", "-s", self.tmp, "draft")
        self.assertEqual(r.returncode, 2)
        self.assertIn("did you mean 'list drafts'?", r.stderr)
        r = run("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("error: unknown command 'frobnicate'\n", r.stderr)
        self.assertNotIn("did you mean", r.stderr)

    def test_help_for_nested_commands(self):
        r = run("help", "new", "post")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Usage: byline new post", r.stdout)
        for flag in ("--date", "--draft", "--publish", "--slug", "--tags", "--outlet",
                     "--original-url", "--section"):
            self.assertIn(flag, r.stdout)
        r = run("help", "list")
        self.assertIn("drafts", r.stdout)
        r = run("help", "new", "psot")
        self.assertEqual(r.returncode, 2)
        self.assertIn("did you mean 'new post'?", r.stderr)
        for args in (["list", "--help"], ["config", "--help"], ["completion", "--help"],
                     ["list", "drafts", "--help"]):
            r = run(*args)
            self.assertEqual(r.returncode, 0, args)
            self.assertIn("Usage", r.stdout, args)

    def complete(self, shell_words):
        """What bash completes after `shell_words` (the last one being typed)."""
        script = os.path.join(self.tmp, "byline.bash")
        with open(script, "w", encoding="utf-8") as f:
            f.write(run("completion", "bash").stdout)
        words = " ".join("'%s'" % w for w in shell_words)
        prog = ("source %s; COMP_WORDS=(%s); COMP_CWORD=%d; _byline_complete; "
                "printf '%%s\\n' \"${COMPREPLY[@]}\"" % (script, words, len(shell_words) - 1))
        r = subprocess.run(["bash", "--norc", "-c", prog], capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [w for w in r.stdout.split("\n") if w]

    def test_bash_completion(self):
        self.assertEqual(self.complete(["byline", "bu"]), ["build"])
        self.assertEqual(sorted(self.complete(["byline", "new", ""])),
                         ["--help", "--help-all", "-h", "post", "site"])
        self.assertEqual(sorted(self.complete(["byline", "new", "post", "--d"])),
                         ["--date", "--draft"])
        self.assertEqual(self.complete(["byline", "list", "dr"]), ["drafts"])
        self.assertIn("--source", self.complete(["byline", "list", "drafts", "--s"]))
        self.assertEqual(self.complete(["byline", "completion", "--h"]), ["--help", "--help-all"])
        # After a flag that takes a value, bash completes file names instead.
        self.assertEqual(self.complete(["byline", "build", "-s", ""]), [])
        self.assertEqual(sorted(self.complete(["byline", "--v"])), ["--version"])

    def test_zsh_completion_is_a_zsh_script(self):
        r = run("completion", "zsh")
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("#compdef byline\n"))
        self.assertIn("'post:", r.stdout)
        self.assertIn("--original-url", r.stdout)
        if shutil.which("zsh"):
            check = subprocess.run(["zsh", "-n"], input=r.stdout, text=True,
                                   capture_output=True)
            self.assertEqual(check.returncode, 0, check.stderr)
        r = run("completion", "fish")
        self.assertEqual(r.returncode, 2)
        self.assertIn("fish", r.stderr)

    def test_new_site_creates_what_the_readme_says(self):
        site = self.new_site()
        for path in ("byline.toml", "content/_index.md", "content/about.md", ".gitignore"):
            self.assertTrue(os.path.isfile(os.path.join(site, path)), path)
        self.assertTrue(os.path.isdir(os.path.join(site, "static")))
        year = time.strftime("%Y")
        self.assertTrue(os.path.isfile(os.path.join(site, "content/posts", year, "welcome.md")))

    def test_new_post_is_a_draft_with_every_flag(self):
        site = self.new_site()
        r = run("new", "post", "Pipelines", "-s", site, "--date", "2021-03-04T05:06:07+01:00",
                "--slug", "gas", "--tags", "Russia,Energy", "--tags", "EU", "--outlet", "Ledger",
                "--original-url", "https://ledger.example/gas", "--section", "columns")
        self.assertEqual(r.returncode, 0, r.stderr)
        path = os.path.join(site, "content", "columns", "2021", "gas.md")
        self.assertIn("Created %s (a draft" % os.path.normpath(path), r.stdout)
        self.assertEqual(read(path), (
            '---\ntitle: "Pipelines"\ndate: "2021-03-04T05:06:07+01:00"\ndraft: true\n'
            'slug: "gas"\ntags: ["Russia", "Energy", "EU"]\ncategories: []\noutlet: "Ledger"\n'
            'original_url: "https://ledger.example/gas"\n---\n\nWrite the post here.\n'))
        # A draft is left out of a build and listed as one.
        out = os.path.join(self.tmp, "out")
        self.assertEqual(run("build", "-q", "-s", site, "-d", out).returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(out, "columns", "gas")))
        r = run("list", "drafts", "-s", site)
        self.assertEqual(r.stdout, "content/columns/2021/gas.md\t2021-03-04T05:06:07+01:00\t"
                                   "Pipelines\thttps://example.org/columns/2021/gas/\n")
        # Refuses to overwrite, at the file's place.
        r = run("new", "post", "Pipelines", "-s", site, "--date", "2021-05-05", "--slug", "gas",
                "--section", "columns")
        self.assertEqual(r.returncode, 1)
        self.assertIn(os.path.normpath(path) + ": error: already exists; refusing to overwrite",
                      r.stderr)
        # --publish makes it a published post; --draft and --publish exclude each other.
        r = run("new", "post", "Live", "-s", site, "--publish", "--date", "2021-01-01")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("draft: false\n", read(os.path.join(site, "content/posts/2021/live.md")))
        self.assertEqual(run("new", "post", "X", "-s", site, "--publish", "--draft").returncode, 2)
        r = run("new", "post", "X", "-s", site, "--date", "soon")
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a date", r.stderr)
        r = run("new", "post", "X", "-s", site, "--original-url", "ledger.example/x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a full URL", r.stderr)

    def test_new_post_from_archetypes(self):
        site = self.new_site()
        toml = read(os.path.join(site, "byline.toml"))
        write(os.path.join(site, "byline.toml"), 'theme = "paper"\n' + toml)
        write(os.path.join(site, "themes/paper/archetypes/default.md"),
              "---\ntitle: \"{{ title }}\"\ndate: {{ date }}\ndraft: {{ draft }}\n"
              "tags: {{ tags }}\n---\n\nFrom the theme.\n")
        write(os.path.join(site, "archetypes/notes.md"),
              "+++\ntitle = {{ title }}\ndate = {{ date }}\ndraft = {{ draft }}\n"
              "section = {{ section }}\n+++\n\nA note.\n")
        r = run("new", "post", "Say \"hi\"", "-s", site, "--date", "2022-02-02T10:00:00Z", "--tags", "a")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertEqual(read(os.path.join(site, "content/posts/2022/say-hi.md")),
                         '---\ntitle: "Say \\"hi\\""\ndate: 2022-02-02T10:00:00Z\ndraft: true\n'
                         'tags: ["a"]\n---\n\nFrom the theme.\n')
        r = run("new", "post", "N", "-s", site, "--date", "2022-02-02T10:00:00Z", "--section", "notes",
                "--outlet", "Ledger")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(read(os.path.join(site, "content/notes/2022/n.md")),
                         '+++\ntitle = "N"\ndate = 2022-02-02T10:00:00Z\ndraft = true\n'
                         'section = "notes"\n+++\n\nA note.\n')
        self.assertIn("archetypes/notes.md: warning: has no {{ outlet }}, so --outlet is not in "
                      "the new file", r.stderr)
        # An archetype with an unknown placeholder is an error at its place.
        write(os.path.join(site, "archetypes/default.md"), "---\ntitle: {{ Title }}\n---\n")
        r = run("new", "post", "Other", "-s", site)
        self.assertEqual(r.returncode, 1)
        self.assertIn("archetypes/default.md:2:8: error: unknown placeholder '{{ Title }}'",
                      r.stderr)
        self.assertFalse(os.path.exists(os.path.join(site, "content/posts", time.strftime("%Y"),
                                                     "other.md")))

    def test_list(self):
        site = os.path.join(SOURCE, "tests", "sites", "basic")
        lines = {}
        for kind in ("drafts", "future", "expired", "all"):
            r = run("list", kind, "-s", site, "--now", "2025-01-01")
            self.assertEqual(r.returncode, 0, r.stderr)
            lines[kind] = r.stdout.splitlines()
            for line in lines[kind]:
                path, date, title, url = line.split("\t")
                self.assertTrue(os.path.isfile(os.path.join(site, path)), path)
                self.assertTrue(url.startswith("https://fixture.example.org/"), url)
        self.assertEqual([l.split("\t")[0] for l in lines["drafts"]],
                         ["content/posts/2020/draft.md"])
        self.assertEqual([l.split("\t")[0] for l in lines["future"]],
                         ["content/posts/2020/future.md"])
        self.assertEqual([l.split("\t")[0] for l in lines["expired"]],
                         ["content/posts/2020/expired.md"])
        for kind in ("drafts", "future", "expired"):
            self.assertIn(lines[kind][0], lines["all"])
        self.assertIn("content/about.md", [l.split("\t")[0] for l in lines["all"]])
        # --now moves what is future.
        r = run("list", "future", "-s", site, "--now", "3000-01-01")
        self.assertEqual(r.stdout, "")
        r = run("list", "drafts", "-s", self.tmp)
        self.assertEqual(r.returncode, 1)
        self.assertIn("byline.toml: error: no byline.toml here", r.stderr)

    def test_config_prints_toml_that_builds_the_same_site(self):
        for name in ("basic", "themed", "figures"):
            src = os.path.join(SOURCE, "tests", "sites", name)
            if not os.path.isfile(os.path.join(src, "byline.toml")):
                continue
            site = os.path.join(self.tmp, name)
            shutil.copytree(src, site)
            r = run("config", "-s", site)
            self.assertEqual(r.returncode, 0, r.stderr)
            parsed = tomllib.loads(r.stdout)
            self.assertEqual(parsed["paginate"] > 0, True)
            self.assertIn("limit", parsed["feeds"])
            self.assertIn("smart_punctuation", parsed["markdown"])
            a, b = os.path.join(self.tmp, name + "-a"), os.path.join(self.tmp, name + "-b")
            r = run("build", "-q", "-s", site, "-d", a, "--now", "2025-01-01")
            self.assertEqual(r.returncode, 0, r.stderr)
            warnings = r.stderr  # the site's own (missing images), the same both times
            write(os.path.join(site, "byline.toml"), run("config", "-s", site).stdout)
            shutil.rmtree(os.path.join(site, ".byline"), ignore_errors=True)
            r = run("build", "-q", "-s", site, "-d", b, "--now", "2025-01-01")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, warnings)  # not even an unknown-key warning
            self.assertEqual(tree(a), tree(b), name)
            # Printing the printed config again changes nothing.
            self.assertEqual(run("config", "-s", site).stdout, read(os.path.join(site, "byline.toml")))
        r = run("config", "-s", self.tmp)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no byline.toml here", r.stderr)

    def test_install_puts_byline_in_prefix_bin(self):
        build = os.path.dirname(BYLINE)
        prefix = os.path.join(self.tmp, "prefix")
        r = subprocess.run(["cmake", "--install", build, "--prefix", prefix],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        installed = os.path.join(prefix, "bin", "byline")
        self.assertTrue(os.access(installed, os.X_OK))
        # It runs from anywhere: the built-in theme is inside the binary.
        site = os.path.join(self.tmp, "s")
        env = dict(os.environ, PATH=os.path.join(prefix, "bin") + os.pathsep + os.environ["PATH"])
        for args in (["new", "site", site], ["build", "-q", "-s", site]):
            r = subprocess.run(["byline", *args], capture_output=True, text=True, cwd="/",
                               env=env, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(os.path.join(site, "public", "style.css")))
        # `make install PREFIX=…` hands the prefix to the same install step.
        r = subprocess.run(["make", "-n", "-C", SOURCE, "install", "PREFIX=/tmp/x",
                            "BUILD=" + build], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("cmake --install %s --prefix /tmp/x" % build, r.stdout)


if __name__ == "__main__":
    BYLINE = os.path.abspath(sys.argv[1])
    SOURCE = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])

#!/usr/bin/python3
"""`byline serve` as a writer uses it: started with -p 0 on a copy of a
fixture site, then posts and templates edited, added, deleted and renamed,
and after each, what the server serves checked (polled until it shows the
edit, within a deadline), along with the events the open pages receive, and
that public/ was never touched. Also: a port in use, Ctrl-C, an error and
its fix, --render-to-disk.

usage: serve_test.py BYLINE SOURCE_DIR
"""
import http.client
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
import unittest

BYLINE = SOURCE = None
DEADLINE = 20  # seconds for an edit to show; a rebuild takes milliseconds


class Server:
    """A running `byline serve`, its output read line by line."""

    def __init__(self, site, *args):
        self.proc = subprocess.Popen([BYLINE, "serve", "-s", site, "-p", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out, self.err = [], []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, args=(self.proc.stdout, self.out), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self.err), daemon=True).start()
        m = self.wait_for_line(r"Serving .* at http://127\.0\.0\.1:(\d+)/")
        self.port = int(m.group(1))

    def _read(self, stream, lines):
        for line in stream:
            with self.lock:
                lines.append(line)

    def wait_for_line(self, pattern, start=0, timeout=DEADLINE, stream="out"):
        end = time.time() + timeout
        while time.time() < end:
            with self.lock:
                lines = list(self.out if stream == "out" else self.err)
            for line in lines[start:]:
                m = re.search(pattern, line)
                if m:
                    return m
            if self.proc.poll() is not None and stream == "out":
                break
            time.sleep(0.02)
        raise AssertionError("no line matching %r; stdout:\n%s\nstderr:\n%s" %
                             (pattern, "".join(self.out), "".join(self.err)))

    def settle(self, quiet=0.5, timeout=DEADLINE):
        # Until the server has printed nothing for `quiet` seconds: a file
        # written in two steps (created, then filled) can be seen as two
        # saves on a busy machine, and built twice.
        end = time.time() + timeout
        with self.lock:
            seen, since = len(self.out), time.time()
        while time.time() < end:
            time.sleep(0.05)
            with self.lock:
                n = len(self.out)
            if n != seen:
                seen, since = n, time.time()
            elif time.time() - since >= quiet:
                return

    def get(self, path):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            c.request("GET", path)
            r = c.getresponse()
            return r.status, r.read().decode("utf-8", "replace"), dict(r.getheaders())
        finally:
            c.close()

    def wait_until(self, path, check, what):
        """Polls `path` until check(status, body) holds."""
        end = time.time() + DEADLINE
        status, body = None, ""
        while time.time() < end:
            status, body, _ = self.get(path)
            if check(status, body):
                return body
            time.sleep(0.05)
        raise AssertionError("%s: %s still gives %s:\n%s\nstdout:\n%s\nstderr:\n%s" %
                             (what, path, status, body[:2000], "".join(self.out), "".join(self.err)))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Events:
    """The event stream an open page listens on, collected in a thread."""

    def __init__(self, port):
        self.events = []
        self.lock = threading.Lock()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.conn.request("GET", "/__byline/events")
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type").startswith("text/event-stream")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                line = self.resp.fp.readline()
                if not line:
                    return
                line = line.decode("utf-8").rstrip("\r\n")
                if line.startswith("data: "):
                    with self.lock:
                        self.events.append(json.loads(line[6:]))
        except (OSError, ValueError):
            return

    def wait_for(self, check, what):
        end = time.time() + DEADLINE
        while time.time() < end:
            with self.lock:
                for e in self.events:
                    if check(e):
                        return e
            time.sleep(0.02)
        raise AssertionError("no event for %s; got %s" % (what, self.events))

    def clear(self):
        with self.lock:
            self.events.clear()

    def close(self):
        try:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.conn.close()


def snapshot(folder):
    out = {}
    for dirpath, _, files in os.walk(folder):
        for f in files:
            p = os.path.join(dirpath, f)
            st = os.stat(p)
            out[os.path.relpath(p, folder)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


def contents(folder):
    """Every file under folder, by its path there: its bytes."""
    out = {}
    for dirpath, _, names in os.walk(folder):
        for n in names:
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, folder)] = f.read()
    return out


class ServeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="byline-serve-")
        self.site = os.path.join(self.tmp, "site")
        shutil.copytree(os.path.join(SOURCE, "examples"), self.site,
                        ignore=shutil.ignore_patterns("public", ".byline"))
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def serve(self, *args):
        s = Server(self.site, *args)
        self.servers.append(s)
        return s

    def path(self, *parts):
        return os.path.join(self.site, *parts)

    def write(self, rel, text):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)

    def read(self, rel):
        with open(self.path(rel), encoding="utf-8") as f:
            return f.read()

    def test_edits_show_and_public_is_untouched(self):
        # A public/ the writer deploys, built before: serve must leave it be.
        subprocess.run([BYLINE, "build", "-s", self.site, "--quiet"], check=True)
        public_before = snapshot(self.path("public"))
        s = self.serve()
        status, home, headers = s.get("/")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8")
        self.assertIn("new EventSource('/__byline/events')", home)
        self.assertIn("http://127.0.0.1:%d/" % s.port, home)  # the preview's own address
        events = Events(s.port)

        post = "content/posts/2019/interview-on-disinformation.md"
        url = "/2019/08/interview-on-disinformation/"
        self.assertEqual(s.get(url)[0], 200)
        # A body edit.
        self.write(post, self.read(post) + "\nA paragraph added while serving, QUOKKA.\n")
        s.wait_until(url, lambda st, b: "QUOKKA" in b, "body edit")
        e = events.wait_for(lambda e: e["type"] == "reload" and
                            "2019/08/interview-on-disinformation/index.html" in e["paths"],
                            "the post's page rewritten")
        self.assertFalse(e["all"])

        # A new post, then renamed, then deleted.
        self.write("content/posts/2019/added-while-serving.md",
                   "---\ntitle: Added while serving\ndate: 2026-11-01T10:00:00Z\n---\n\nWOMBAT text.\n")
        s.wait_until("/2026/11/added-while-serving/", lambda st, b: st == 200 and "WOMBAT" in b,
                     "new post")
        s.wait_until("/", lambda st, b: "Added while serving" in b, "home lists the new post")
        os.rename(self.path("content/posts/2019/added-while-serving.md"),
                  self.path("content/posts/2019/renamed-while-serving.md"))
        s.wait_until("/2026/11/renamed-while-serving/", lambda st, b: st == 200 and "WOMBAT" in b,
                     "renamed post")
        s.wait_until("/2026/11/added-while-serving/", lambda st, b: st == 404, "old URL gone")
        os.remove(self.path("content/posts/2019/renamed-while-serving.md"))
        s.wait_until("/2026/11/renamed-while-serving/", lambda st, b: st == 404, "deleted post")

        # A post in a folder made while serving.
        self.write("content/posts/2031/new-folder-post.md",
                   "---\ntitle: In a new folder\ndate: 2019-10-01T10:00:00Z\n---\n\nNUMBAT.\n")
        s.wait_until("/2019/10/new-folder-post/", lambda st, b: st == 200 and "NUMBAT" in b,
                     "post in a new folder")

        # A template added in front of the theme's, edited, then deleted.
        with open(os.path.join(SOURCE, "themes/default/templates/partials/footer.html"),
                  encoding="utf-8") as f:
            footer = f.read()
        self.write("templates/partials/footer.html", footer + "<p>PLATYPUS</p>\n")
        s.wait_until(url, lambda st, b: "PLATYPUS" in b, "template added")
        self.write("templates/partials/footer.html", footer + "<p>ECHIDNA</p>\n")
        s.wait_until(url, lambda st, b: "ECHIDNA" in b and "PLATYPUS" not in b, "template edited")
        os.remove(self.path("templates/partials/footer.html"))
        s.wait_until(url, lambda st, b: "ECHIDNA" not in b, "template deleted")

        # An editor's swap file is not a change.
        start = len(s.out)
        self.write("content/posts/2019/.interview-on-disinformation.md.swp", "swap")
        self.write("content/posts/2019/interview-on-disinformation.md~", "backup")
        time.sleep(0.5)
        self.assertFalse(any("Changed:" in line for line in s.out[start:]), s.out[start:])

        # A CSS edit is a stylesheet to swap: the event names it.
        self.write("static/css/extra.css", "body { margin: 0; }\n")
        s.wait_until("/css/extra.css", lambda st, b: st == 200, "stylesheet added")
        events.clear()
        self.write("static/css/extra.css", "body { margin: 1px; }\n")
        events.wait_for(lambda e: e["type"] == "reload" and "css/extra.css" in e["paths"],
                        "the stylesheet to swap")
        events.close()

        self.assertEqual(snapshot(self.path("public")), public_before)

    def test_an_error_is_shown_then_cleared(self):
        s = self.serve()
        events = Events(s.port)
        post = "content/posts/2019/interview-on-disinformation.md"
        good = self.read(post)
        url = "/2019/08/interview-on-disinformation/"
        before = s.get(url)[1]
        start = len(s.err)
        self.write(post, good.replace("date: ", "date: [unclosed\nx: ", 1))
        e = events.wait_for(lambda e: e["type"] == "error", "the build error")
        self.assertRegex(e["text"], r"interview-on-disinformation\.md:\d+:\d+: error: ")
        self.assertIn("^", e["text"])
        s.wait_for_line(r"interview-on-disinformation\.md:\d+:\d+: error", start, stream="err")
        # The last good site is still served; a page opened now gets the
        # error at once.
        self.assertEqual(s.get(url)[1], before)
        late = Events(s.port)
        late.wait_for(lambda e: e["type"] == "error", "the error, to a page opened after it")
        events.clear()
        self.write(post, good + "\nFixed, KOALA.\n")
        events.wait_for(lambda e: e["type"] == "reload", "the fix")
        s.wait_until(url, lambda st, b: "KOALA" in b, "fixed post")
        events.close()
        late.close()

    def test_config_edit_rebuilds_everything(self):
        s = self.serve()
        events = Events(s.port)
        config = self.read("byline.toml")
        new_title = "A Renamed Archive"
        m = re.search(r'^title = "([^"]*)"', config, re.M)
        self.assertIsNotNone(m)
        self.write("byline.toml", config.replace(m.group(0), 'title = "%s"' % new_title, 1))
        s.wait_until("/", lambda st, b: new_title in b, "config edit")
        events.wait_for(lambda e: e["type"] == "reload" and e["all"], "a full rebuild")
        events.close()

    def test_port_in_use_and_port_zero(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            r = subprocess.run([BYLINE, "serve", "-s", self.site, "-p", str(port)],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("port %d on 127.0.0.1 is in use" % port, r.stderr)
            self.assertIn("-p", r.stderr)
        # Two servers with -p 0 get two ports; a second one on the first's
        # port is refused (cpp-httplib's SO_REUSEPORT would have shared it).
        a = self.serve()
        r = subprocess.run([BYLINE, "serve", "-s", self.site, "-p", str(a.port)],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("is in use", r.stderr)

    def test_ctrl_c_stops_with_a_page_open(self):
        s = self.serve()
        events = Events(s.port)
        time.sleep(0.2)
        s.proc.send_signal(signal.SIGINT)
        self.assertEqual(s.proc.wait(timeout=10), 0)
        s.wait_for_line(r"^Stopped\.")
        events.close()

    def test_render_to_disk_and_bind_warning(self):
        preview = os.path.join(self.tmp, "preview")
        s = self.serve("--render-to-disk", preview)
        self.assertTrue(os.path.isfile(os.path.join(preview, "index.html")))
        self.assertFalse(os.path.exists(self.path("public")))
        self.assertEqual(s.get("/")[0], 200)
        s.stop()
        r = subprocess.Popen([BYLINE, "serve", "-s", self.site, "-p", "0", "--bind", "0.0.0.0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = r.stderr.readline()
            self.assertIn("reachable from the network", line)
        finally:
            r.send_signal(signal.SIGINT)
            r.communicate(timeout=10)

    def assert_preview_is_a_clean_build(self, s, preview, now):
        # Once the search has caught up (the last build's or edit's line no
        # longer says it follows), the server is stopped and its preview
        # compared, byte for byte and file for file, with a clean build of
        # the same sources at the same address.
        end = time.time() + DEADLINE
        while time.time() < end:
            with s.lock:
                built = [line for line in s.out if line.startswith(("Built ", "Edited "))]
            if built and "follow" not in built[-1]:
                break
            time.sleep(0.1)
        else:
            self.fail("the search never caught up:\n" + "".join(s.out))
        port = s.port
        s.stop()
        clean = os.path.join(self.tmp, "clean")
        subprocess.run([BYLINE, "build", "-s", self.site, "-d", clean, "--now", now, "--base-url",
                        "http://127.0.0.1:%d/" % port, "--quiet"], check=True)

        got, want = contents(preview), contents(clean)
        self.assertEqual(sorted(got), sorted(want))
        differ = [p for p in want if got[p] != want[p]]
        self.assertEqual(differ, [])

    def test_after_a_sequence_of_edits_the_preview_equals_a_clean_build(self):
        # serve keeps the inputs' scan and the last search in memory, copies
        # a stylesheet without a build, and analyses the search once the
        # writer pauses: after all that, its output must be byte for byte a
        # clean build's of the same sources.
        preview = os.path.join(self.tmp, "preview")
        now = "2026-12-01T00:00:00Z"
        self.write("static/css/extra.css", "body { margin: 0; }\n")
        s = self.serve("--render-to-disk", preview, "--now", now)
        post = "content/posts/2019/interview-on-disinformation.md"
        url = "/2019/08/interview-on-disinformation/"
        text = self.read(post)
        self.write(post, text + "\nA paragraph about the KINKAJOU.\n")
        s.wait_until(url, lambda st, b: "KINKAJOU" in b, "body edit")
        titled = re.sub(r"^title: .*$", 'title: "Edited by the TAMARIN"', text, count=1, flags=re.M)
        self.assertNotEqual(titled, text)
        self.write(post, titled)
        s.wait_until(url, lambda st, b: "TAMARIN" in b and "KINKAJOU" not in b, "title edit")
        new = "content/posts/2019/added-for-the-comparison.md"
        self.write(new, "---\ntitle: Disinformation and the MARGAY\ndate: 2019-09-02T10:00:00Z\n"
                        "tags: [Russia]\n---\n\nDisinformation, interviews and the margay.\n")
        s.wait_until("/2019/09/added-for-the-comparison/", lambda st, b: st == 200, "new post")
        start = len(s.out)
        self.write("static/css/extra.css", "body { margin: 2px; } /* OCELOT */\n")
        s.wait_until("/css/extra.css", lambda st, b: "OCELOT" in b, "stylesheet edit")
        s.wait_for_line(r"^Copied 1 static file", start)  # without a build
        # An image in static/ is not a copy alone: the page that shows it
        # has its size in its HTML.
        start = len(s.out)
        svg = self.read("static/images/baltic-map.svg")
        resized = svg.replace('width="640" height="400"', 'width="600" height="375"', 1)
        self.assertNotEqual(resized, svg)
        self.write("static/images/baltic-map.svg", resized)
        s.wait_until("/2017/09/baltic-exercise-season/", lambda st, b: 'width="600"' in b,
                     "image resized")
        with s.lock:
            self.assertFalse(any(line.startswith("Copied") for line in s.out[start:]), s.out)
        self.write("templates/partials/footer.html", "<footer>SERVAL</footer>\n")
        s.wait_until(url, lambda st, b: "SERVAL" in b, "template added")
        os.remove(self.path(new))
        s.wait_until("/2019/09/added-for-the-comparison/", lambda st, b: st == 404, "post deleted")
        # Each change was built quickly, the search left for the pause.
        with s.lock:
            self.assertTrue(any("related posts follow" in line for line in s.out), s.out)
        # The pause: the search's build, after the last change's.
        self.assert_preview_is_a_clean_build(s, preview, now)

    def test_edits_in_memory_then_built_equal_a_clean_build(self):
        # A body edit, and a front-matter edit that leaves the page where
        # it was (its title, a field the theme shows), is made in the site
        # model serve keeps (no build: only the outputs that read what
        # changed are made again); anything more (its tags, a new post) is
        # built. Body, summary, title, standfirst, tags, new post, its body,
        # rename, delete, template and config edits one after the other,
        # then the pause for the search: the preview is byte for byte a
        # clean build's.
        preview = os.path.join(self.tmp, "preview")
        now = "2026-12-01T00:00:00Z"
        s = self.serve("--render-to-disk", preview, "--now", now)
        events = Events(s.port)
        post = "content/posts/2019/interview-on-disinformation.md"
        url = "/2019/08/interview-on-disinformation/"
        text = self.read(post)

        def edited_in_memory(start, what):
            m = s.wait_for_line(r"^(Edited in memory|Built) ", start)
            self.assertTrue(m.group(1) == "Edited in memory", "%s was built:\n%s" %
                            (what, "".join(s.out[start:])))

        start = len(s.out)
        self.write(post, text + "\nA paragraph about the KINKAJOU.\n")
        s.wait_until(url, lambda st, b: "KINKAJOU" in b, "body edit")
        edited_in_memory(start, "the body edit")
        # Its first paragraph, the summary the lists and feeds show.
        start = len(s.out)
        summary = text.replace("invited me on", "invited me, the AXOLOTL, on", 1)
        self.assertNotEqual(summary, text)
        self.write(post, summary)
        s.wait_until("/category/interviews/rss.xml", lambda st, b: "AXOLOTL" in b,
                     "summary edit, in the feed")
        s.wait_until(url, lambda st, b: "AXOLOTL" in b and "KINKAJOU" not in b, "summary edit")
        edited_in_memory(start, "the summary edit")
        start = len(s.out)
        titled = re.sub(r"^title: .*$", 'title: "Edited by the TAMARIN"', summary, count=1,
                        flags=re.M)
        self.write(post, titled)
        s.wait_until(url, lambda st, b: "TAMARIN" in b, "title edit")
        # The lists and feeds that show the title, too.
        s.wait_until("/category/interviews/", lambda st, b: "TAMARIN" in b,
                     "title edit, in a category's list")
        s.wait_until("/category/interviews/rss.xml", lambda st, b: "TAMARIN" in b,
                     "title edit, in the feed")
        edited_in_memory(start, "the title edit")
        start = len(s.out)
        standfirst = re.sub(r"^standfirst: .*$", 'standfirst: "The QUOKKA standfirst."', titled,
                            count=1, flags=re.M)
        self.assertNotEqual(standfirst, titled)
        self.write(post, standfirst)
        s.wait_until(url, lambda st, b: "QUOKKA" in b, "standfirst edit")
        edited_in_memory(start, "the standfirst edit")
        # Its tags place it in other lists: a build.
        start = len(s.out)
        tagged = standfirst.replace("tags: [Media, Russia, Elections]",
                                    "tags: [Media, Russia, Elections, Wombats]", 1)
        self.assertNotEqual(tagged, standfirst)
        self.write(post, tagged)
        s.wait_until("/tag/wombats/", lambda st, b: st == 200 and "TAMARIN" in b, "tag added")
        s.wait_for_line(r"^Built ", start)
        new = "content/posts/2019/added-for-the-comparison.md"
        new_url = "/2019/09/added-for-the-comparison/"
        self.write(new, "---\ntitle: Disinformation and the MARGAY\ndate: 2019-09-02T10:00:00Z\n"
                        "tags: [Russia]\n---\n\nDisinformation, interviews and the margay.\n")
        s.wait_until(new_url, lambda st, b: st == 200, "new post")
        s.settle()
        start = len(s.out)
        self.write(new, self.read(new) + "\nAnd the CARACAL.\n")
        s.wait_until(new_url, lambda st, b: "CARACAL" in b, "the new post's body")
        edited_in_memory(start, "the new post's body edit")
        os.rename(self.path("content/posts/2019/hong-kong-summer-of-protest.md"),
                  self.path("content/posts/2019/hong-kong-summer-renamed.md"))
        s.wait_until("/2019/06/hong-kong-summer-renamed/", lambda st, b: st == 200, "renamed")
        s.wait_until("/2019/06/hong-kong-summer-of-protest/", lambda st, b: st == 404,
                     "renamed: the old URL")
        os.remove(self.path(new))
        s.wait_until(new_url, lambda st, b: st == 404, "post deleted")
        self.write("templates/partials/footer.html", "<footer>SERVAL</footer>\n")
        s.wait_until(url, lambda st, b: "SERVAL" in b, "template added")
        events.clear()
        config = self.read("byline.toml")
        self.write("byline.toml",
                   config.replace('title = "Mara Ellison', 'title = "PANGOLIN, Mara Ellison', 1))
        s.wait_until("/", lambda st, b: "PANGOLIN" in b, "config edit")
        events.wait_for(lambda e: e["type"] == "reload" and e["all"], "a full reload")
        events.close()
        self.assert_preview_is_a_clean_build(s, preview, now)

    def test_drafts_and_future_posts_are_marked(self):
        s = self.serve("--drafts", "--future")
        status, body, _ = s.get("/2025/09/notes-on-a-ceasefire/")
        self.assertEqual(status, 200)
        self.assertIn('<p class="status-notice" role="note"><strong>Draft.</strong>', body)
        status, body, _ = s.get("/2030/01/looking-back-at-the-decade/")
        self.assertEqual(status, 200)
        self.assertIn("<strong>Scheduled.</strong> Not published until 15 January 2030", body)
        # A published post carries no notice.
        self.assertNotIn("status-notice", s.get("/2019/08/interview-on-disinformation/")[1])

    def test_serves_files_and_refuses_escapes(self):
        s = self.serve()
        status, _, headers = s.get("/about")
        self.assertEqual((status, headers.get("Location")), (301, "/about/"))
        self.assertEqual(s.get("/about/")[0], 200)
        self.assertEqual(s.get("/rss.xml")[2]["Content-Type"], "application/xml; charset=utf-8")
        status, body, _ = s.get("/no/such/page/")
        self.assertEqual(status, 404)
        self.assertIn("EventSource", body)  # the 404 page reloads too
        self.assertEqual(s.get("/../../etc/passwd")[0], 404)
        # A NUL (or any control byte) does not end the path early.
        status, body, _ = s.get("/index.html%00.png")
        self.assertEqual(status, 400)
        self.assertNotIn("EventSource", body)
        self.assertEqual(s.get("/about/%0a")[0], 400)
        # A link in the output that leads out of it is not followed.
        preview = self.path(".byline", "serve", "public")
        os.symlink("/etc/passwd", os.path.join(preview, "passwd.txt"))
        status, body, _ = s.get("/passwd.txt")
        self.assertEqual(status, 404)
        self.assertNotIn("root:", body)

    def raw(self, port, data, timeout=10):
        """Sends `data` as is; returns what came back until the server closed."""
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as c:
            c.sendall(data)
            out = b""
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    return out
                out += chunk

    def test_ranges_and_malformed_requests(self):
        s = self.serve()
        size = len(s.get("/")[1].encode("utf-8"))
        # 2,700 ranges: the page once (200), not a multipart answer of megabytes.
        many = b"bytes=" + b"0-," * 2700 + b"0-"
        out = self.raw(s.port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nRange: " +
                       many + b"\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 200 "), out[:200])
        self.assertLess(len(out), size + 1024)
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        c.request("GET", "/", headers={"Range": "bytes=0-9"})
        r = c.getresponse()
        self.assertEqual((r.status, r.read()), (206, b"<!doctype "))
        c.close()
        for request in [b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
                        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"]:
            out = self.raw(s.port, request)
            self.assertTrue(out.startswith(b"HTTP/1.1 400 "), (request, out[:200]))


if __name__ == "__main__":
    BYLINE = os.path.abspath(sys.argv[1])
    SOURCE = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])

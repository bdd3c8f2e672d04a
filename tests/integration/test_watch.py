#!/usr/bin/python3
"""test_watch.py: the client's `gidlint push` (ingest) and `gidlint watch`.

- Three watchers (text, JSON, --errors) see the five sample reports that
  `gidlint push DIR` sends: the text one prints, under a header per result,
  exactly the lines `gidlint check` prints for that file; the JSON one the
  results with check's diagnostics; the --errors one only the two reports
  with errors.
- The daemon restarts on the same ports: the watcher reconnects by itself
  and reports "daemon restarted: epoch X -> Y".
- A watcher that stops reading (SIGSTOP) while the daemon, with a results
  high-water mark of 1, publishes 600 results, reports the gap as
  "missed seq A..B": what it printed and what it says it missed add up.
- --count exits 0 by itself, --timeout exits 3.

    /usr/bin/python3 tests/integration/test_watch.py GIDLINTD GIDLINT
"""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h


class Proc:
    """A child process whose stdout and stderr lines are collected."""

    def __init__(self, cmd):
        self.p = subprocess.Popen(cmd, cwd=h.ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.out, self.err = [], []
        self.threads = [threading.Thread(target=self._read, args=(f, l))
                        for f, l in ((self.p.stdout, self.out), (self.p.stderr, self.err))]
        for t in self.threads:
            t.start()

    @staticmethod
    def _read(f, lines):
        for line in f:
            lines.append(line.decode("utf-8").rstrip("\n"))

    def wait_for(self, pred, what, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pred(self):
                return
            if self.p.poll() is not None:
                time.sleep(0.1)
                if pred(self):
                    return
                break
            time.sleep(0.05)
        h.fail("%s: not within %.0f s; stdout %s; stderr %s"
               % (what, timeout, self.out[-10:], self.err[-10:]))

    def stop(self, timeout=10.0):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait(5)
        for t in self.threads:
            t.join(5)
        return rc


def count(lines, prefix):
    return sum(l.startswith(prefix) for l in list(lines))


def main(gidlintd, gidlint):
    check_text = {}
    check_obj = {}
    for p in h.SEEDS:
        out = subprocess.run([gidlint, "check", p], cwd=h.ROOT, stdout=subprocess.PIPE,
                             timeout=60).stdout.decode("utf-8").splitlines()
        check_text[p] = out[:-1]                    # less the summary line
        check_obj[p] = h.check_json(gidlint, p)[1]
    with_errors = sorted(p for p in h.SEEDS
                         if any(g["severity"] == "error" for g in check_obj[p]["diagnostics"]))

    d1 = h.Daemon(gidlintd, stats_interval=0.2)
    d2 = None
    watchers = []
    try:
        d1.start()
        base = [gidlint, "watch", "--results", d1.results, "--stats", "--timeout", "60"]
        text = Proc(base)
        js = Proc(base + ["--format", "json"])
        errs = Proc(base + ["--errors"])
        watchers = [text, js, errs]
        # Subscribed once the periodic stats arrive.
        for w in (text, errs):
            w.wait_for(lambda w: count(w.out, "== stats ") > 0, "a stats line")
        js.wait_for(lambda w: any('"type":"stats"' in l for l in w.out), "stats JSON")

        push = subprocess.run([gidlint, "push", "--source", "seeds", "--ingest", d1.ingest,
                               "examples/reports/"], cwd=h.ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=60)
        assert push.returncode == 0, push
        assert push.stderr.decode() == "sent 5 documents\n", push.stderr

        results = lambda w: [l for l in list(w.out) if l.startswith("== ") and " seq " in l]
        text.wait_for(lambda w: len(results(w)) >= 5, "five results (text)")
        js.wait_for(lambda w: sum('"type":"result"' in l for l in w.out) >= 5,
                    "five results (json)")
        errs.wait_for(lambda w: len(results(w)) >= len(with_errors), "the results with errors")
        time.sleep(0.5)                            # anything more would be here by now

        # Text: a header, then check's lines for that file.
        blocks, cur = {}, None
        for l in text.out:
            m = re.match(r"^== (\S+) seq (\d+) \((\S+)\) (\d+) 个错误，(\d+) 个警告，(\d+) 个提示$", l)
            if m:
                path = os.path.join("examples", "reports", m.group(1))
                assert m.group(3) == "seeds", l
                cur = blocks.setdefault(path, [])
                assert not cur, "two results for %s" % path
                sev = [g["severity"] for g in check_obj[path]["diagnostics"]]
                assert [int(m.group(i)) for i in (4, 5, 6)] == \
                    [sev.count(s) for s in ("error", "warning", "info")], (l, sev)
            elif l.startswith("== stats "):
                cur = None
            elif cur is not None:
                cur.append(l)
        assert sorted(blocks) == h.SEEDS, sorted(blocks)
        for p in h.SEEDS:
            if blocks[p] != check_text[p]:
                h.fail("watch printed for %s:\n%s\ncheck printed:\n%s"
                       % (p, "\n".join(blocks[p]), "\n".join(check_text[p])))
        print("ok   watch (text): a header per result, then check's lines")

        objs = [json.loads(l) for l in js.out]
        res = {o["id"]: o for o in objs if o["type"] == "result"}
        assert sorted(res) == h.SEEDS, sorted(res)
        for p in h.SEEDS:
            assert res[p]["diagnostics"] == check_obj[p]["diagnostics"], p
            # An epoch above 2^63-1 comes as a decimal string (jansson holds int64).
            assert int(res[p]["epoch"]) == d1.epoch and res[p]["source"] == "seeds", res[p]
        assert all(o["type"] in ("result", "stats") for o in objs), objs
        print("ok   watch --format json: the results, with check's diagnostics")

        got = sorted(os.path.join("examples", "reports", l.split()[1]) for l in results(errs))
        assert got == with_errors, (got, with_errors)
        print("ok   watch --errors: only %s" % ", ".join(os.path.basename(p) for p in got))

        # A restart on the same ports.
        d1.stop_and_check()
        d2 = h.Daemon(gidlintd, stats_interval=0.2, ports=d1.ports,
                      extra=["--results-hwm", "1"])
        d2.start()
        line = "daemon restarted: epoch %016x -> %016x" % (d1.epoch, d2.epoch)
        for w in watchers:
            w.wait_for(lambda w: line in w.err, "the restart reported")
        print("ok   watch reconnects and reports '%s'" % line)

        # A gap: the text watcher stops reading while 600 results go out.
        errs.stop()
        js.stop()
        text.p.send_signal(signal.SIGSTOP)
        n = 600
        big = h.read(h.SEEDS[-1])
        # meta is echoed: 50 kB each makes 30 MB of results, more than any
        # socket buffers hold, so the daemon has to drop some.
        pad = {"pad": "x" * 50000}
        d2.push([h.document("gap-%03d" % i, big, meta=pad) for i in range(n)])
        deadline = time.monotonic() + 90
        while d2.stats()["published"] < n:
            assert time.monotonic() < deadline, d2.stats()
            time.sleep(0.2)
        text.p.send_signal(signal.SIGCONT)
        text.wait_for(lambda w: any(l.startswith("missed seq ") for l in w.err), "a gap reported")
        time.sleep(1.0)
        rc = text.stop()                            # then count: nothing moves
        assert rc == 0, (rc, text.err[-5:])
        missed = 0
        for l in text.err:
            m = re.match(r"^missed seq (\d+)\.\.(\d+)$", l)
            if m:
                missed += int(m.group(2)) - int(m.group(1)) + 1
        seqs = [int(re.search(r" seq (\d+) ", l).group(1)) for l in text.out
                if l.startswith("== gap-")]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
        assert seqs and len(seqs) + missed == seqs[-1], (len(seqs), missed, seqs[-1:])
        print("ok   a watcher that fell behind says 'missed seq': %d printed + %d missed "
              "= seq 1..%d" % (len(seqs), missed, seqs[-1]))

        # --count and --timeout.
        c = Proc([gidlint, "watch", "--results", d2.results, "--stats", "--count", "3",
                  "--timeout", "20"])
        rc = c.p.wait(30)
        c.stop()
        assert rc == 0 and count(c.out, "== stats ") == 3, (rc, c.out, c.err)
        t0 = time.monotonic()
        c = Proc([gidlint, "watch", "--results", d2.results, "--rejects", "--timeout", "1"])
        rc = c.p.wait(30)
        c.stop()
        assert rc == 3 and time.monotonic() - t0 < 8, (rc, c.err)
        assert c.err == ["gidlint watch: nothing arrived within 1 s"], c.err
        print("ok   watch --count 3 exits 0, --timeout 1 exits 3")
        d2.stop_and_check()
    finally:
        for w in watchers:
            if w.p.poll() is None:
                w.p.send_signal(signal.SIGCONT)
            w.stop()
        for d in (d1, d2):
            if d:
                d.close()


if __name__ == "__main__":
    h.run(main)

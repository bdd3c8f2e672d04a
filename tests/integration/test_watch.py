#!/usr/bin/python3
"""test_watch.py: the client's `gidlint push` (ingest) and `gidlint watch`.

- Three watchers (text, JSON, --errors) see the five sample reports that
  `gidlint push DIR` sends: the text one prints, under a header per result,
  exactly the lines `gidlint check` prints for that file; the JSON one the
  results with check's diagnostics; the --errors one only the two reports
  with errors.
- The daemon restarts on the same ports: the watcher reconnects by itself
  and reports "daemon 'NAME' restarted: epoch X -> Y".
- A watcher that stops reading (SIGSTOP) while the daemon, with a results
  high-water mark of 1, publishes 600 results of 50 kB, misses some: it
  recovers them from the daemon's ring through the control socket and ends
  with every result, seq 1..600 in order, nothing reported lost.  Another
  600 while it is stopped again: the daemon's RSS does not grow with them
  (the ring and the high-water mark bound it).
- A daemon whose ring holds only 40 results: the stopped watcher recovers
  what the ring holds and reports "lost seq A..B" for exactly the others.
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
    # The daemon's RSS is compared below.  Built with AddressSanitizer, it
    # keeps freed memory in a quarantine of 256 MB by default, which would
    # read as growth: bound the quarantine (ignored without ASan).
    asan = os.environ.get("ASAN_OPTIONS", "")
    os.environ["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "quarantine_size_mb=4"
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
        base = [gidlint, "watch", "--results", d1.results, "--control", d1.control,
                "--stats", "--timeout", "60"]
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
                      extra=["--results-hwm", "1", "--ring-size", "700",
                             "--ring-bytes", str(40 << 20)])
        d2.start()
        line = "daemon '%s' restarted: epoch %016x -> %016x" % (d1.name, d1.epoch, d2.epoch)
        for w in watchers:
            w.wait_for(lambda w: line in w.err, "the restart reported")
        print("ok   watch reconnects and reports '%s'" % line)

        # A gap: the text watcher stops reading while 600 results go out.
        errs.stop()
        js.stop()
        n = 600
        big = h.read(h.SEEDS[-1])
        # meta is echoed: 50 kB each makes 30 MB of results, more than any
        # socket buffers hold, so the daemon has to drop some.
        pad = {"pad": "x" * 50000}

        def stopped_while(d, w, first, count):
            d.published0 = d.stats()["published"]
            w.p.send_signal(signal.SIGSTOP)
            d.push([h.document("gap-%04d" % i, big, meta=pad)
                    for i in range(first, first + count)])
            deadline = time.monotonic() + 120
            while d.stats()["published"] < d.published0 + count:
                assert time.monotonic() < deadline, d.stats()
                time.sleep(0.2)
            rss = h.rss_kib(d.proc.pid)
            w.p.send_signal(signal.SIGCONT)
            # A gap shows when a later message arrives: one more, so that
            # the last of the batch cannot be the one dropped unnoticed.
            d.push([h.document("tail-%04d" % first, big)])
            return rss

        def gap_seqs(w):
            return [int(re.search(r" seq (\d+) ", l).group(1)) for l in list(w.out)
                    if l.startswith("== gap-") or l.startswith("== tail-")]

        rss1 = stopped_while(d2, text, 0, n)
        text.wait_for(lambda w: len(gap_seqs(w)) >= n + 1, "all %d results, recovered" % n,
                      timeout=60)
        assert any(l.startswith("recovered ") for l in text.err), text.err[-5:]
        assert not any(l.startswith("lost seq ") for l in text.err), text.err[-5:]
        assert gap_seqs(text) == list(range(1, n + 2)), gap_seqs(text)[:20]
        recovered = sum(int(l.split()[1]) for l in text.err if l.startswith("recovered "))
        print("ok   a watcher that fell behind recovers from the ring: seq 1..%d in order, "
              "%d of them recovered" % (n, recovered))

        rss2 = stopped_while(d2, text, n, n)
        text.wait_for(lambda w: len(gap_seqs(w)) >= 2 * n + 2, "the second %d results" % n,
                      timeout=60)
        assert gap_seqs(text) == list(range(1, 2 * n + 3))
        # 30 MB more of results went through while the watcher was stopped;
        # the ring (a 40 MiB buffer, most of it written by the first batch)
        # and the high-water mark bound what is kept.
        assert rss2 < rss1 * 1.25, (rss1, rss2)
        print("ok   daemon RSS after %d results %d KiB, after %d: %d KiB (bounded)"
              % (n, rss1, 2 * n, rss2))
        rc = text.stop()
        assert rc == 0, (rc, text.err[-5:])

        # A ring that has moved on: exactly what it no longer holds is lost.
        d3 = h.Daemon(gidlintd, stats_interval=0.2, extra=["--results-hwm", "1",
                                                         "--ring-size", "40"])
        d3.start()
        try:
            w3 = Proc([gidlint, "watch", "--results", d3.results, "--control", d3.control,
                       "--stats", "--timeout", "60"])
            watchers.append(w3)
            w3.wait_for(lambda w: count(w.out, "== stats ") > 0, "a stats line")
            d3.push([h.document("gap-sync", big)])
            w3.wait_for(lambda w: any(l.startswith("== gap-sync ") for l in w.out), "sync")
            m = 300
            stopped_while(d3, w3, 1, m)
            w3.wait_for(lambda w: max(gap_seqs(w) + [0]) == m + 2, "the tail", timeout=60)
            first_held = d3.stats()["ring"]["first"]        # nothing moves it now
            rc = w3.stop()
            assert rc == 0, (rc, w3.err[-5:])
            seqs = gap_seqs(w3)
            printed = set(seqs)
            assert len(printed) == len(seqs) and seqs == sorted(seqs), seqs
            lost = set()
            for l in w3.err:
                g = re.match(r"^lost seq (\d+)\.\.(\d+) of '[^']+' epoch [0-9a-f]{16}: "
                             r"no longer held by the daemon$", l)
                if g:
                    lost |= set(range(int(g.group(1)), int(g.group(2)) + 1))
            assert lost, w3.err
            assert not (lost & printed), sorted(lost & printed)
            assert lost | printed == set(range(1, m + 3)), \
                sorted(set(range(1, m + 3)) - lost - printed)
            assert max(lost) < first_held, (max(lost), first_held)
            assert w3.err[-1] == "gidlint watch: %d messages recovered, %d lost" % (
                sum(int(l.split()[1]) for l in w3.err if l.startswith("recovered ")),
                len(lost)), w3.err[-1]
            print("ok   ring of 40: seq %d..%d reported lost, exactly those not printed"
                  % (min(lost), max(lost)))
            d3.stop_and_check()
        finally:
            d3.close()

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

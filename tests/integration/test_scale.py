#!/usr/bin/python3
"""test_scale.py: one gidlint-broker, three gidlintd behind it.

Real processes on loopback: the broker binds its frontends and backends,
three daemons (d1, d2, d3) connect to the backends.  Two producers and two
subscribers use the frontends only, as they would use one daemon.

1. 10,000 generated reports from two producers (`gidlint push`, 5,000
   each, on the ingest path): each result arrives exactly once at each of
   two subscribers (sets of ids, no id twice), every result names one of
   the three daemons, every daemon did part of the work, and the daemons'
   own `linted` counters (asked by name through the route endpoint) add up.
3. Gap recovery per daemon: `gidlint watch` through a broker (of its
   own, with a small results high-water mark) and two daemons, with
   `--control` on the route endpoint, stopped with SIGSTOP while 3,000
   results go out: after SIGCONT it has printed every result exactly once,
   each daemon's seqs consecutive, and what it missed came back from the
   ring of the daemon that numbered it (both did), none lost; then one
   daemon restarts under its name, and the watcher reports that daemon's
   restart, once.
2. The same 10,000 reports through two reliable producers (`gidlint push
   --wait` on the control path, which the broker spreads over the three
   daemons); one daemon is killed with SIGKILL a third of the way through
   and not restarted: both producers exit 0 with exactly one answer per
   file, and the two daemons left did the rest.

    /usr/bin/python3 tests/integration/test_scale.py GIDLINTD GIDLINT
"""
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h

import zmq

N = 10000
NAMES = ("d1", "d2", "d3")


class Listener:
    """A SUB socket on the broker's results frontend, read by a thread:
    every result's (id, daemon, epoch, seq) in order of arrival."""

    def __init__(self, ctx, endpoint):
        self.sock = ctx.socket(zmq.SUB)
        self.sock.setsockopt(zmq.RCVHWM, 0)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.SUBSCRIBE, b"result/")
        self.sock.connect(endpoint)
        self.got = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self):
        while not self.stop.is_set():
            if not self.sock.poll(100):
                continue
            topic, body = self.sock.recv_multipart()
            m = h.unpack(body)
            self.got.append((m["id"], m["daemon"], m["epoch"], m["seq"]))

    def ids(self, prefix):
        return [g[0] for g in self.got if g[0].startswith(prefix)]

    def close(self):
        self.stop.set()
        self.thread.join(10)
        self.sock.close()


def run_lines(cmd):
    """Starts cmd; its stdout and stderr lines are collected by threads."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.out, p.err = [], []
    p.readers = [threading.Thread(target=lambda f, l: l.extend(f), args=a)
                 for a in ((p.stdout, p.out), (p.stderr, p.err))]
    for r in p.readers:
        r.start()
    return p


def finish(p, timeout):
    rc = p.wait(timeout)
    for r in p.readers:
        r.join(10)
    return rc, b"".join(p.err).decode()


def wait_until(cond, what, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    h.fail("not within %.0f s: %s" % (timeout, what))


def main(gidlintd, gidlint):
    broker_bin = os.path.join(os.path.dirname(gidlintd), "gidlint-broker")
    gen = os.path.join(os.path.dirname(gidlint), "gidlint-gen")
    work = tempfile.mkdtemp(prefix="gl-scale-")
    ctx = zmq.Context()
    listeners = []
    try:
        halves = [os.path.join(work, x) for x in ("a", "b")]
        for i, d in enumerate(halves):
            subprocess.run([gen, "--count", str(N // 2), "--seed", str(11 + i),
                            "--defects", "none", "--out", d], check=True,
                           stdout=subprocess.DEVNULL)
            os.unlink(os.path.join(d, "expected.tsv"))
        files = {d: sorted(os.path.join(d, f) for f in os.listdir(d)) for d in halves}
        assert sum(len(f) for f in files.values()) == N

        with h.Broker(broker_bin) as b:
            daemons = [h.Daemon(gidlintd, name=n, workers=1, broker=b,
                                extra=["--ring-size", "20000"])
                       for n in NAMES]
            for d in daemons:
                d.start()
            print("ok   broker and three daemons up, each answering by name "
                  "through the route endpoint")

            # -- 1. documents from two producers, results at two subscribers.
            listeners = [Listener(ctx, b.results) for _ in range(2)]
            # The subscriptions reach every daemon through the broker: a
            # probe linted by each daemon (by name) must be seen by both.
            for d in daemons:
                deadline = time.monotonic() + 10
                while True:
                    pid = "probe-%s-%d" % (d.name, d.probes)
                    d.probes += 1
                    d.lint(h.document(pid, b"probe", source="probe"))
                    time.sleep(0.2)
                    if all(pid in l.ids("probe-") for l in listeners):
                        break
                    assert time.monotonic() < deadline, "subscriptions never live"
            t0 = time.monotonic()
            pushers = [run_lines([gidlint, "push", "--source", "p%d" % i,
                                  "--ingest", b.ingest, "--timeout", "120", d])
                       for i, d in enumerate(halves)]
            for p in pushers:
                rc, err = finish(p, 180)
                assert rc == 0, (rc, err)
            for l in listeners:
                wait_until(lambda: len(l.ids(work)) >= N,
                           "%d results at a subscriber (has %d)" % (N, len(l.ids(work))),
                           180)
            took = time.monotonic() - t0
            time.sleep(0.5)             # a duplicate would arrive by now
            everything = sorted(sum(files.values(), []))
            by_daemon = collections.Counter()
            for k, l in enumerate(listeners):
                ids = l.ids(work)
                assert len(ids) == N, (k, len(ids))
                assert sorted(ids) == everything, "subscriber %d: ids differ" % k
                mine = [g for g in l.got if g[0].startswith(work)]
                assert {g[1] for g in mine} <= set(NAMES), {g[1] for g in mine}
                counts = collections.Counter(g[1] for g in mine)
                if k == 0:
                    by_daemon = counts
                assert counts == by_daemon, (counts, by_daemon)
                # Each daemon numbers its own results: per daemon, seq only grows.
                for n in NAMES:
                    seqs = [g[3] for g in l.got if g[1] == n]
                    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), n
            assert all(by_daemon[n] > 0 for n in NAMES), by_daemon
            print("ok   %d documents from two producers: each result exactly once at "
                  "both subscribers (%.1f s); by daemon %s"
                  % (N, took, ", ".join("%s %d" % (n, by_daemon[n]) for n in NAMES)))
            linted = {n: b.ask(n, {"v": 1, "type": "stats"})["linted"] for n in NAMES}
            # Besides the pushed documents, each daemon linted the probes
            # sent to it by name (some before the subscriptions were live).
            for d in daemons:
                assert linted[d.name] == by_daemon[d.name] + d.probes, \
                    (d.name, linted[d.name], by_daemon[d.name], d.probes)
            print("ok   the daemons' own counters agree: linted %s"
                  % ", ".join("%s %d" % (n, linted[n]) for n in NAMES))
            # gidlint stats --daemon: through the route endpoint, the daemon
            # named; on the load-balanced control endpoint, a daemon that is
            # not the one named answers and the client says so.
            p = subprocess.run([gidlint, "stats", "--daemon", "d3", "--control", b.route,
                                "--format", "json"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=30)
            assert p.returncode == 0 and json.loads(p.stdout)["daemon"] == "d3", p
            p = subprocess.run([gidlint, "stats", "--daemon", "d9", "--control", b.control],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
            assert p.returncode == 2 and b"answered by another daemon than 'd9'" in p.stderr, p
            p = subprocess.run([gidlint, "health", "--daemon", "d9", "--control", b.route],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
            assert p.returncode == 2 and b"refused" in p.stderr, p
            print("ok   stats --daemon: the daemon named through the route endpoint; "
                  "another's answer on the control endpoint and an unknown name refused "
                  "are errors (exit 2)")

            # -- 2. two reliable producers; SIGKILL of one daemon mid-run.
            for l in listeners:
                l.got.clear()
            t0 = time.monotonic()
            producers = [run_lines([gidlint, "push", "--wait", "--format", "json",
                                    "--control", b.control, "--window", "32",
                                    "--resend", "2", "--timeout", "300", d])
                         for d in halves]
            wait_until(lambda: sum(len(p.out) for p in producers) >= N // 3,
                       "a third of the answers", 300)
            answered_before = sum(len(p.out) for p in producers)
            victim = daemons[1]
            victim.kill()               # SIGKILL, not restarted
            resent = []
            for d, p in zip(halves, producers):
                rc, err = finish(p, 300)
                assert rc == 0, (rc, err)
                answers = [json.loads(l)["file"] for l in p.out]
                assert sorted(answers) == files[d], \
                    (len(answers), len(set(answers)), err[-500:])
                # Resent what the dead daemon held; and the answers of three
                # daemons, each with its own epoch, are no restart.
                m = re.search(r"(\d+) documents answered; (\d+) resent, (\d+) duplicate "
                              r"answers, (\d+) refused for rate, (\d+) daemon restarts seen",
                              err)
                assert m and int(m.group(1)) == len(files[d]), err
                assert int(m.group(2)) > 0 and int(m.group(5)) == 0, err
                resent.append(m.group(2))
            took = time.monotonic() - t0
            after = collections.Counter(g[1] for g in listeners[0].got
                                        if g[0].startswith(work))
            assert all(after[n] > 0 for n in NAMES), after
            print("ok   two reliable producers, %d documents, SIGKILL of %s after %d "
                  "answers: every file answered exactly once (%.1f s), %s resent, no "
                  "restart seen; results by daemon %s"
                  % (N, victim.name, answered_before, took, " and ".join(resent),
                     ", ".join("%s %d" % (n, after[n]) for n in NAMES)))
            for d in daemons:
                if d is not victim:
                    d.stop_and_check()
            b.stop_and_check()
            for d in daemons:
                d.close()

        # -- 2. gap recovery per daemon, through a broker of its own whose
        # results high-water mark is small, so that a watcher that stops
        # reading loses messages at the broker.
        with h.Broker(broker_bin, extra=["--results-hwm", "20"]) as b2:
            pair = [h.Daemon(gidlintd, name=n, workers=1, broker=b2)
                    for n in ("g1", "g2")]
            for d in pair:
                d.start()
            watch = run_lines([gidlint, "watch", "--format", "json",
                               "--results", b2.results, "--control", b2.route,
                               "--timeout", "60"])
            # Live once a probe from each daemon is printed.
            deadline = time.monotonic() + 15
            while not all(any(('"probe-%s' % d.name).encode() in l for l in watch.out)
                          for d in pair):
                assert time.monotonic() < deadline, b"".join(watch.err)
                for d in pair:
                    d.lint(h.document("probe-%s-%d" % (d.name, d.probes), b"probe"))
                    d.probes += 1
                time.sleep(0.3)
            watch.send_signal(signal.SIGSTOP)
            body = h.read(h.GOOD_2021)
            pushed = ["g-%04d" % i for i in range(3000)]
            gaps = h.Daemon.__new__(h.Daemon)       # only its push()
            gaps.ctx, gaps.curve, gaps.ingest = ctx, None, b2.ingest
            h.Daemon.push(gaps, [h.document(i, body) for i in pushed])
            wait_until(lambda: sum(d.stats()["published"] for d in pair)
                       >= 3000 + sum(d.probes for d in pair),
                       "3000 results published", 120)
            time.sleep(0.5)
            watch.send_signal(signal.SIGCONT)
            wait_until(lambda: sum(1 for l in watch.out if b'"g-' in l) >= 3000,
                       "the watcher to print 3000 results", 120)
            # g1 restarts under its name: a new epoch of g1 only.
            old = pair[0]
            old.stop_and_check()
            pair[0] = h.Daemon(gidlintd, name="g1", workers=1, broker=b2)
            pair[0].start()
            pair[0].lint(h.document("after-restart", b"probe"))
            restart = ("daemon 'g1' restarted: epoch %016x -> %016x"
                       % (old.epoch, pair[0].epoch)).encode()
            wait_until(lambda: any(restart in l for l in watch.err),
                       "the watcher to report g1's restart", 30)
            old.close()
            watch.send_signal(signal.SIGINT)
            rc, err = finish(watch, 30)
            printed = [json.loads(l) for l in watch.out]
            ids = [m["id"] for m in printed if m["id"].startswith("g-")]
            assert sorted(ids) == pushed, (len(ids), len(set(ids)), err[-500:])
            rec = collections.Counter()
            for line in err.splitlines():
                m = re.match(r"^recovered (\d+) messages? of seq \d+\.\.\d+ of '(g\d)'$",
                             line)
                if m:
                    rec[m.group(2)] += int(m.group(1))
            assert "lost seq" not in err, err[-800:]
            assert rec["g1"] > 0 and rec["g2"] > 0, err[-800:]
            assert err.count("restarted") == 1, err[-800:]
            # Per daemon and epoch, the seqs printed are consecutive from the
            # first.
            for n, e in (("g1", old.epoch), ("g2", pair[1].epoch)):
                seqs = [m["seq"] for m in printed
                        if m.get("daemon") == n and m.get("epoch") == e]
                assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), n
            print("ok   watch through a broker that dropped at its high-water mark: "
                  "3000 results, each once, every daemon's seqs consecutive; "
                  "recovered from g1 %d, from g2 %d, none lost; g1 restarted under "
                  "its name: reported once, for g1" % (rec["g1"], rec["g2"]))
            for d in pair:
                d.stop_and_check()
                d.close()
            b2.stop_and_check()
    finally:
        for l in listeners:
            l.close()
        ctx.term()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    h.run(main)

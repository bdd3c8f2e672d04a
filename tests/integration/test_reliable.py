#!/usr/bin/python3
"""test_reliable.py: at-least-once submission across a daemon crash.

10,000 generated reports go through `gidlint push --wait` (the reliable
producer of include/gidlint/gl_producer.h: a window of documents in
flight on the control socket, each resent until answered).  A third of the
way through, gidlintd is killed with SIGKILL and started again on the same
ports.  Checked:

- the producer exits 0 and prints exactly one answer per file: the set of
  ids answered is the set of files, none twice;
- the producer saw the restart (its summary line says so) and resent;
- a subscriber connected throughout sees results of both epochs; the ids
  it saw linted by both daemons are the documents linted twice, reported
  (the crash lost the first daemon's answers to them).

    /usr/bin/python3 tests/integration/test_reliable.py GIDLINTD GIDLINT
"""
import json
import os
import re
import shutil
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


def main(gidlintd, gidlint):
    gen = os.path.join(os.path.dirname(gidlint), "gidlint-gen")
    work = tempfile.mkdtemp(prefix="gl-reliable-")
    d1 = d2 = sub = None
    ctx = zmq.Context()
    try:
        subprocess.run([gen, "--count", str(N), "--seed", "7", "--defects", "none",
                        "--out", work], check=True, stdout=subprocess.DEVNULL)
        os.unlink(os.path.join(work, "expected.tsv"))       # reports only
        files = sorted(os.path.join(work, f) for f in os.listdir(work)
                       if f.endswith(".txt"))
        assert len(files) == N, len(files)

        d1 = h.Daemon(gidlintd, stats_interval=0.5)
        d1.start()
        # A subscriber of our own context: it outlives the first daemon.
        seen = {}                       # id -> set of epochs it was linted in
        stop = threading.Event()
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.RCVHWM, 0)
        sub.setsockopt(zmq.SUBSCRIBE, b"result/")
        sub.connect(d1.results)
        time.sleep(0.5)                 # the subscription reaches the daemon

        def listen():
            while not stop.is_set():
                if not sub.poll(100):
                    continue
                topic, body = sub.recv_multipart()
                m = h.unpack(body)
                seen.setdefault(m["id"], set()).add(m["epoch"])
        listener = threading.Thread(target=listen)
        listener.start()

        t0 = time.monotonic()
        push = subprocess.Popen([gidlint, "push", "--wait", "--format", "json",
                                 "--control", d1.control, "--window", "32",
                                 "--resend", "2", "--timeout", "300", work],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out_lines, err_lines = [], []
        readers = [threading.Thread(target=lambda f, l: l.extend(f), args=a)
                   for a in ((push.stdout, out_lines), (push.stderr, err_lines))]
        for r in readers:
            r.start()
        while len(out_lines) < N // 3:
            assert push.poll() is None, b"".join(err_lines)
            assert time.monotonic() - t0 < 300, len(out_lines)
            time.sleep(0.05)
        answered_before = len(out_lines)
        d1.kill()                       # SIGKILL: no drain, nothing saved
        time.sleep(0.5)
        d2 = h.Daemon(gidlintd, stats_interval=0.5, ports=d1.ports)
        d2.start()
        rc = push.wait(300)
        for r in readers:
            r.join(10)
        took = time.monotonic() - t0
        err = b"".join(err_lines).decode()
        assert rc == 0, (rc, err)

        ids = [json.loads(l)["file"] for l in out_lines]
        assert len(ids) == N, (len(ids), err)
        assert sorted(ids) == files, "answers do not match the files"
        print("ok   %d documents, SIGKILL after %d answers, restart: every one answered "
              "exactly once (%.1f s)" % (N, answered_before, took))

        m = re.search(r"(\d+) documents answered; (\d+) resent, (\d+) duplicate answers, "
                      r"(\d+) refused for rate, (\d+) daemon restarts seen", err)
        assert m, err
        assert int(m.group(1)) == N and int(m.group(5)) == 1, err
        assert int(m.group(2)) > 0, err
        print("ok   the producer saw the restart: %s resent, %s duplicate answers dropped"
              % (m.group(2), m.group(3)))

        time.sleep(1.0)                 # the last results reach the subscriber
        stop.set()
        listener.join(10)
        twice = [i for i, e in seen.items() if len(e) > 1]
        epochs = set().union(*seen.values())
        assert d1.epoch in epochs and d2.epoch in epochs, epochs
        print("linted twice (answered by the killed daemon, lost with it, linted "
              "again by the new one): %d of %d" % (len(twice), N))
        d2.stop_and_check()
    finally:
        if sub is not None:
            sub.close(linger=0)
        ctx.term()
        for d in (d1, d2):
            if d:
                d.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    h.run(main)

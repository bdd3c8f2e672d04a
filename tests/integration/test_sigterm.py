#!/usr/bin/python3
"""test_sigterm.py: 300 documents pushed, SIGTERM right after the last send
returned and the pusher's socket was closed with linger (so everything was
handed to the daemon's socket).  Every document must still get a published
result before the daemon exits, and it must exit with status 0.

    /usr/bin/python3 tests/integration/test_sigterm.py GIDLINTD GIDLINT
"""
import os
import signal
import sys
import time

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h

N = 300


def main(gidlintd, gidlint):
    bodies = [h.read(p) for p in h.SEEDS + [h.GOOD_2021]]
    with h.Daemon(gidlintd) as d:
        sub = d.subscriber([b"result/", b"reject/"])
        probe = sub.sync()
        ids = ["t-%03d" % i for i in range(N)]
        # d.push closes the socket with linger and terminates nothing else;
        # a context of its own makes the hand-over complete: term() returns
        # only once every queued message has been written to the daemon.
        ctx = h.zmq.Context()
        s = ctx.socket(h.zmq.PUSH)
        s.setsockopt(h.zmq.SNDTIMEO, 10000)
        s.connect(d.ingest)
        for i, id in enumerate(ids):
            s.send(h.document(id, bodies[i % len(bodies)]))
        s.close(linger=10000)
        ctx.term()
        t0 = time.monotonic()
        d.signal(signal.SIGTERM)
        got, seen = h.collect(sub, ids, timeout=20)
        rc = d.wait_exit(30)
        took = time.monotonic() - t0
        missing = [i for i in ids if i not in got]
        if missing:
            h.fail("%d of %d documents got no result, e.g. %s; daemon log:\n%s"
                   % (len(missing), N, missing[:5], d.log()))
        dup = [i for i in ids if len(got[i]) != 1]
        assert not dup, "more than one result for %s" % dup[:5]
        seqs = [m["seq"] for _, m in seen]
        assert seqs == list(range(probe["seq"] + 1, probe["seq"] + 1 + N)), \
            "seq has gaps or repeats"
        if rc != 0:
            h.fail("gidlintd exited with status %s after SIGTERM; its log:\n%s"
                   % (rc, d.log()))
        print("ok   all %d documents published after SIGTERM; exit status 0, "
              "%.2f s from the signal to the exit" % (N, took))
        print(d.log().rstrip().splitlines()[-1])
        sub.close()


if __name__ == "__main__":
    h.run(main)

#!/usr/bin/python3
"""test_load.py: 1,000 documents from 4 concurrent producers (threads, each
with its own PUSH socket), one subscriber started before them.  Every id
must be answered exactly once, and this subscriber (which receives every
result and reject) must see seq strictly increasing with no gap.  Prints
documents per second.

    /usr/bin/python3 tests/integration/test_load.py GIDLINTD GIDLINT
"""
import os
import sys
import threading
import time

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h

PRODUCERS = 4
PER_PRODUCER = 250


def main(gidlintd, gidlint):
    bodies = [h.read(p) for p in h.SEEDS + [h.GOOD_2021]]
    with h.Daemon(gidlintd) as d:
        sub = d.subscriber([b"result/", b"reject/"])
        probe = sub.sync()
        ids = ["p%d-%04d" % (k, i) for k in range(PRODUCERS)
               for i in range(PER_PRODUCER)]
        errors = []

        def produce(k):
            try:
                s = d.pusher()
                for i in range(PER_PRODUCER):
                    n = k * PER_PRODUCER + i
                    s.send(h.document("p%d-%04d" % (k, i),
                                      bodies[n % len(bodies)],
                                      source="producer-%d" % k,
                                      lang="en" if n % 3 == 0 else None,
                                      meta={"n": n}))
                s.close(linger=10000)
            except Exception as e:          # reported by the main thread
                errors.append(e)

        t0 = time.monotonic()
        threads = [threading.Thread(target=produce, args=(k,))
                   for k in range(PRODUCERS)]
        for t in threads:
            t.start()
        got, seen = h.collect(sub, ids, timeout=90)
        took = time.monotonic() - t0
        for t in threads:
            t.join(30)
        assert not errors, errors
        # Anything more (a duplicate) would come right behind.
        while True:
            m = sub.recv(0.5)
            if m is None:
                break
            seen.append(m)
            got.setdefault(m[1].get("id"), []).append(m[1])

        missing = [i for i in ids if i not in got]
        if missing:
            h.fail("%d of %d ids unanswered, e.g. %s; daemon stats %s"
                   % (len(missing), len(ids), missing[:5], d.stats()))
        extra = sorted(set(got) - set(ids))
        dup = [i for i in ids if len(got[i]) != 1]
        assert not dup, "answered more than once: %s" % dup[:5]
        assert not extra, "answers for ids never sent: %s" % extra[:5]
        for i in ids:
            r = got[i][0]
            assert r["type"] == "result", r
            n = r["meta"]["n"]
            assert r["source"] == "producer-%d" % (n // PER_PRODUCER), r
        seqs = [m["seq"] for _, m in seen]
        want = list(range(probe["seq"] + 1, probe["seq"] + 1 + len(ids)))
        if seqs != want:
            gaps = [(a, b) for a, b in zip(seqs, seqs[1:]) if b != a + 1]
            h.fail("seq not consecutive: first breaks %s" % gaps[:5])
        epochs = {m["epoch"] for _, m in seen}
        assert epochs == {d.epoch}, epochs
        st = d.stats()
        assert st["in_flight"] == 0, st
        print("ok   %d documents from %d producers: each answered once, "
              "seq %d..%d without a gap" % (len(ids), PRODUCERS, seqs[0], seqs[-1]))
        print("throughput: %.0f documents/s (%d documents in %.2f s, %d workers; "
              "daemon latency p50 %.2f ms, p99 %.2f ms)"
              % (len(ids) / took, len(ids), took, d.workers,
                 st["latency"]["p50_ms"], st["latency"]["p99_ms"]))
        sub.close()
        d.stop_and_check()


if __name__ == "__main__":
    h.run(main)

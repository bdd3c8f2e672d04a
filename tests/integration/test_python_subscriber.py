#!/usr/bin/python3
"""test_python_subscriber.py: tests/integration/subscriber.py, a subscriber
written only from docs/protocol.md, against a daemon that lints the five
sample reports: its output must name the five ids with the error counts
`gidlint check` finds.

    /usr/bin/python3 tests/integration/test_python_subscriber.py GIDLINTD GIDLINT
"""
import os
import re
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h

SUBSCRIBER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "subscriber.py")


def main(gidlintd, gidlint):
    want = {}
    for p in h.SEEDS:
        _, obj = h.check_json(gidlint, p)
        want[p] = sum(g["severity"] == "error" for g in obj["diagnostics"])

    # Periodic stats tell when the subscriber's subscription is live.
    with h.Daemon(gidlintd, stats_interval=0.2) as d:
        proc = subprocess.Popen([sys.executable, SUBSCRIBER, "--results", d.results,
                                 "--count", str(len(h.SEEDS)), "--timeout", "30"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines = []
        reader = threading.Thread(
            target=lambda: lines.extend(l.decode("utf-8").rstrip("\n") for l in proc.stdout))
        reader.start()
        try:
            deadline = time.monotonic() + 10
            while not any(l.startswith("stats ") for l in list(lines)):
                if time.monotonic() > deadline or proc.poll() is not None:
                    h.fail("the subscriber printed no stats line: %s %s"
                           % (lines, proc.stderr.read() if proc.poll() is not None else ""))
                time.sleep(0.05)
            d.push([h.document(p, h.read(p), name=os.path.basename(p), source="seeds")
                    for p in h.SEEDS])
            rc = proc.wait(40)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
            reader.join(10)
        err = proc.stderr.read().decode("utf-8")
        assert rc == 0, "subscriber exited %s: %s" % (rc, err)
        assert "missed seq" not in err, err
        results = [l for l in lines if l.startswith("result ")]
        assert len(results) == len(h.SEEDS), lines
        for p, errors in want.items():
            mine = [l for l in results if " id=%s " % p in l]
            assert len(mine) == 1, (p, results)
            m = re.search(r" source=seeds errors=(\d+) warnings=\d+ infos=\d+ codes=", mine[0])
            assert m and int(m.group(1)) == errors, (p, errors, mine[0])
        print("\n".join(results))
        print("ok   the standalone subscriber names the five ids with check's error counts")
        d.stop_and_check()


if __name__ == "__main__":
    h.run(main)

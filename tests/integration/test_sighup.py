#!/usr/bin/python3
"""test_sighup.py: SIGHUP rereads the configuration file.  A sample report
that has GID501 (extraction noise) is linted through control: GID501 is
there.  The file is rewritten with `[rules] disable = GID501` and the daemon
sent SIGHUP; once it logs "configuration reloaded", the same report gives
the same diagnostics without GID501.  The file's [rules] apply from the
start (GID204 raised to error) and still after the reload.

Also: deploy/gidlintd.conf, the example configuration, is the defaults in
the format `gidlintd --print-config` prints (under a comment header), and
reading it changes nothing.

    /usr/bin/python3 tests/integration/test_sighup.py GIDLINTD GIDLINT
"""
import os
import signal
import sys
import tempfile

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h

SEED = os.path.join("examples", "reports", "002_0717abcba8b88f39.txt")
SEED_204 = os.path.join("examples", "reports", "003_a4a657e448f740f7.txt")

BEFORE = """\
; written by test_sighup.py
[daemon]
log_level = info

[rules]
GID204 = error
"""

AFTER = BEFORE + "disable = GID501\n"


def codes(r):
    return [(g["code"], g["line"], g["column"], g["severity"]) for g in r["diagnostics"]]


def deploy_conf(gidlintd):
    h.check_deploy_conf(gidlintd, "deploy/gidlintd.conf")
    print("ok   deploy/gidlintd.conf holds every default, as --print-config prints it")


def main(gidlintd, gidlint):
    deploy_conf(gidlintd)
    fd, conf = tempfile.mkstemp(prefix="gidlintd-", suffix=".conf")
    os.close(fd)
    try:
        with open(conf, "w") as f:
            f.write(BEFORE)
        with h.Daemon(gidlintd, config=conf) as d:
            body = h.read(SEED)
            before = d.lint(h.document("before", body))
            assert before["type"] == "result", before
            c0 = codes(before)
            assert any(c[0] == "GID501" for c in c0), "the seed should have GID501: %s" % c0
            # The rule settings of the file apply: GID204 raised to error.
            r204 = d.lint(h.document("204", h.read(SEED_204)))
            assert [(g["code"], g["severity"]) for g in r204["diagnostics"]] == \
                [("GID204", "error")], r204["diagnostics"]

            with open(conf, "w") as f:
                f.write(AFTER)
            d.signal(signal.SIGHUP)
            d.wait_log("configuration reloaded", timeout=10)
            after = d.lint(h.document("after", body))
            c1 = codes(after)
            assert not any(c[0] == "GID501" for c in c1), "GID501 still reported: %s" % c1
            want = [c for c in c0 if c[0] != "GID501"]
            assert c1 == want, "other diagnostics changed:\n  before %s\n  after  %s" % (want, c1)
            strip = lambda r: [g for g in r["diagnostics"] if g["code"] != "GID501"]
            assert strip(before) == after["diagnostics"]
            assert after["epoch"] == before["epoch"], "the daemon restarted"
            assert d.health()["accepting"] is True
            r204 = d.lint(h.document("204-after", h.read(SEED_204)))
            assert [(g["code"], g["severity"]) for g in r204["diagnostics"]] == \
                [("GID204", "error")], r204["diagnostics"]
            print("ok   GID501 reported before (%d times), gone after SIGHUP; "
                  "%d other diagnostics unchanged"
                  % (sum(c[0] == "GID501" for c in c0), len(c1)))

            # What only a restart changes is kept, and the log says which: a
            # ring of 5 asked for now would lose what the running one holds.
            with open(conf, "w") as f:
                f.write(AFTER + "\n[limits]\nring_size = 5\nresults_hwm = 3\n"
                        "max_in_flight_bytes = 1000000\n")
            d.signal(signal.SIGHUP)
            d.wait_log("configuration reloaded", timeout=10, count=2)
            assert ("reload: limits.results_hwm, limits.ring_size change only on "
                    "restart; kept as they are") in d.log(), d.log()
            last = [d.lint(h.document("ring-%d" % i, body))["seq"] for i in range(8)][-1]
            ring = d.stats()["ring"]
            assert ring["first"] == 1 and ring["last"] == last, ring
            print("ok   SIGHUP keeps what only a restart changes (results_hwm, "
                  "ring_size: seq 1..%d still held) and names it in the log" % last)
            d.stop_and_check()
    finally:
        os.unlink(conf)


if __name__ == "__main__":
    h.run(main)

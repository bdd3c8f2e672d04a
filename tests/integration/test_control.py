#!/usr/bin/python3
"""test_control.py: the control socket, through the client and raw.

- `gidlint push --wait` prints, for each sample report, exactly what
  `gidlint check` prints (text, English text, JSON Lines), with the same
  exit status; a reject prints FILE:1:1: error GID00x and exits 1.
- `gidlint health` and `gidlint stats` answer (exit 0); against no daemon
  they, and push --wait, give up after --timeout with exit status 2.
- The raw round trip over a DEALER socket: 200 sequential health requests
  and 50 sample documents; median and p99 are printed, not asserted.

    /usr/bin/python3 tests/integration/test_control.py GIDLINTD GIDLINT
"""
import json
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h


def run(cmd, timeout=60, env=None):
    p = subprocess.run(cmd, cwd=h.ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout, env=env)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def same(what, a, b):
    if a != b:
        h.fail("%s differ:\n  push --wait: %r\n  check:       %r" % (what, a, b))


def main(gidlintd, gidlint):
    with h.Daemon(gidlintd) as d:
        ctl = ["--control", d.control]
        # push --wait == check, file by file and all at once, three formats.
        for variant in ([], ["--lang", "en"], ["--format", "json"]):
            for files in [[p] for p in h.SEEDS] + [h.SEEDS]:
                want = run([gidlint, "check"] + variant + files)
                got = run([gidlint, "push", "--wait"] + ctl + variant + files)
                same("exit statuses of %s %s" % (variant, files), got[0], want[0])
                same("outputs of %s %s" % (variant, files), got[1], want[1])
                assert got[2] == "", got[2]
            print("ok   push --wait %s prints what check prints" % (" ".join(variant) or "(text)"))

        # A directory is its files in name order, as the shell's glob.
        got = run([gidlint, "push", "--wait"] + ctl + ["examples/reports/"])
        same("outputs for the directory", got[1], run([gidlint, "check"] + h.SEEDS)[1])
        # The endpoint from the environment.
        env = dict(os.environ, GIDLINT_CONTROL=d.control)
        got = run([gidlint, "push", "--wait", h.SEEDS[0]], env=env)
        same("outputs with $GIDLINT_CONTROL", got[1], run([gidlint, "check", h.SEEDS[0]])[1])
        print("ok   a directory, and $GIDLINT_CONTROL")

        # A document the daemon rejects (empty: GID002) counts as an error.
        empty = os.path.join(os.environ.get("TMPDIR", "/tmp"), "gl-empty-%d.txt" % os.getpid())
        open(empty, "wb").close()
        try:
            status, out, err = run([gidlint, "push", "--wait"] + ctl + [empty])
        finally:
            os.unlink(empty)
        assert status == 1, (status, out, err)
        lines = out.splitlines()
        assert lines[0].startswith(empty + ":1:1: error GID002 "), lines
        assert len(lines[0]) > len(empty + ":1:1: error GID002 "), lines
        assert lines[1] == "共检查 1 个文件：1 个错误，0 个警告，0 个提示", lines
        print("ok   a reject prints FILE:1:1: error GID002 … and exits 1")

        # health and stats through the client.
        status, out, _ = run([gidlint, "health"] + ctl)
        assert status == 0, status
        kv = dict(l.split(":", 1) for l in out.splitlines())
        assert kv["accepting"].strip() == "true", out
        assert int(kv["epoch"].strip(), 16) == d.epoch, out
        assert kv["daemon"].strip() == d.name, out
        status, out, _ = run([gidlint, "stats", "--format", "json"] + ctl)
        assert status == 0, status
        st = json.loads(out)
        # 3 formats x (5 one by one + 5 together) + the directory's 5 + 1
        # asked = 36, but the same message again (same id, source, bytes)
        # is answered from the ring: only zh and en of each seed are
        # linted (10), the other 26 are answered again without a lint.
        assert st["type"] == "stats" and st["linted"] == 10, st
        assert st["resent"] == 26, st
        assert st["rejected"] == 1 and st["codes"]["GID002"] == 1, st
        status, out, _ = run([gidlint, "stats"] + ctl)
        assert status == 0 and "latency.p99_ms:" in out, out
        print("ok   gidlint health and stats")

        # The raw round trip.
        d.health()
        t = []
        for _ in range(200):
            t0 = time.perf_counter()
            r = d.health()
            t.append((time.perf_counter() - t0) * 1000)
            assert r["type"] == "health", r
        docs = [h.document(p, h.read(p)) for p in h.SEEDS]
        u = []
        for i in range(50):
            t0 = time.perf_counter()
            r = d.lint(docs[i % len(docs)])
            u.append((time.perf_counter() - t0) * 1000)
            assert r["type"] == "result" and r["id"] == h.SEEDS[i % len(docs)], r
        print("round trip, 200 health requests: median %.3f ms, p99 %.3f ms"
              % (h.percentile(t, 0.5), h.percentile(t, 0.99)))
        print("round trip, 50 sample documents: median %.3f ms, p99 %.3f ms"
              % (h.percentile(u, 0.5), h.percentile(u, 0.99)))
        d.stop_and_check()

    # No daemon: every command gives up after its timeout, exit 2.
    (port,) = h.free_ports(1)
    nowhere = "tcp://127.0.0.1:%d" % port
    for cmd in (["push", "--wait", "--timeout", "1", "--control", nowhere, h.SEEDS[0]],
                ["push", "--timeout", "1", "--ingest", nowhere, h.SEEDS[0]],
                ["health", "--timeout", "1", "--control", nowhere],
                ["stats", "--timeout", "1", "--control", nowhere]):
        t0 = time.monotonic()
        status, out, err = run([gidlint] + cmd, timeout=30)
        took = time.monotonic() - t0
        assert status == 2, (cmd, status, out, err)
        assert nowhere in err and "1 s" in err, (cmd, err)
        assert took < 8, (cmd, took)
    print("ok   no daemon: push, push --wait, health, stats exit 2 after --timeout")


if __name__ == "__main__":
    h.run(main)

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

    # replay: the published messages again, by seq, over control.
    with h.Daemon(gidlintd, extra=["--ring-size", "4"]) as d:
        sub = d.subscriber([b"result/", b"reject/"])
        sub.sync()
        base = sub.sync()["seq"]        # probes so far: seq 1..base
        ids = ["r-%d" % i for i in range(6)]
        for i in ids:
            assert d.lint(h.document(i, h.read(h.SEEDS[0])))["type"] == "result"
        d.lint(h.document("r-empty", b""))                  # a reject, GID002
        last = base + 7
        d._reset_control()
        ctl = d.ctx.socket(h.zmq.DEALER)
        ctl.connect(d.control)

        def replay(**kw):
            msg = {"v": 1, "type": "replay"}
            msg.update(kw)
            ctl.send_multipart([b"", h.msgpack.packb(msg)])
            assert ctl.poll(5000), "no answer to replay"
            frames = ctl.recv_multipart()
            assert frames[0] == b"", frames[:1]
            return h.unpack(frames[1]), [(frames[i], h.unpack(frames[i + 1]))
                                         for i in range(2, len(frames), 2)]

        head, got = replay(**{"from": 1, "to": last + 10})
        # A ring of 4: seq last-3..last held, 1..last-4 gone.
        assert head["type"] == "replay" and head["epoch"] == d.epoch, head
        assert head["first"] == last - 3 and head["last"] == last, head
        assert head["gone"] == [[1, last - 4]] and head["count"] == 4, head
        assert [m["seq"] for _, m in got] == list(range(last - 3, last + 1)), got
        assert [m.get("id") for _, m in got] == ["r-3", "r-4", "r-5", "r-empty"], got
        assert got[-1][0] == b"reject/-/" and got[-1][1]["diagnostic"]["code"] == "GID002"
        head, got = replay(**{"from": last - 3, "to": last, "topics": ["reject/"]})
        assert head["count"] == 1 and head["gone"] == [] and got[0][1]["id"] == "r-empty"
        head, got = replay(**{"from": 1, "to": 2, "epoch": d.epoch ^ 2})
        assert head["other_epoch"] is True and head["gone"] == [[1, 2]] and not got, head
        print("ok   replay: seq %d..%d from the ring of 4, 1..%d reported gone; topics "
              "filter; another epoch is all gone" % (last - 3, last, last - 4))
        ctl.close(linger=0)
        sub.close()
        d.stop_and_check()

    # The rate limit: a burst of 5, then 10 a second, per connection.
    with h.Daemon(gidlintd, extra=["--control-rate", "10", "--control-burst", "5"]) as d:
        answers = []
        ctl = d.ctx.socket(h.zmq.DEALER)
        ctl.connect(d.control)
        t0 = time.monotonic()
        for i in range(40):
            ctl.send_multipart([b"", h.msgpack.packb({"v": 1, "type": "health"})])
        while len(answers) < 40 and ctl.poll(5000):
            answers.append(h.unpack(ctl.recv_multipart()[1]))
        took = time.monotonic() - t0
        ok = [a for a in answers if a["type"] == "health"]
        refused = [a for a in answers if a["type"] == "refused"]
        assert len(answers) == 40, len(answers)
        # 5 at once, plus 10 a second for as long as it took.
        assert 5 <= len(ok) <= 5 + 10 * took + 1, (len(ok), took)
        assert all(a["reason"] == "rate" and a["retry_after_ms"] >= 1 and
                   "每秒最多 10 个" in a["reason_zh"] for a in refused), refused[:1]
        other = d.ctx.socket(h.zmq.DEALER)      # another connection: its own bucket
        other.connect(d.control)
        other.send_multipart([b"", h.msgpack.packb({"v": 1, "type": "health"})])
        assert other.poll(5000) and h.unpack(other.recv_multipart()[1])["type"] == "health"
        st = d.stats()
        assert st["refused"] == len(refused), st
        print("ok   rate limit: %d of 40 at once answered, %d refused with retry_after_ms; "
              "another connection unaffected" % (len(ok), len(refused)))
        other.close(linger=0)
        ctl.close(linger=0)
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

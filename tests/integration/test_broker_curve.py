#!/usr/bin/python3
"""test_broker_curve.py: CURVE between clients, gidlint-broker and gidlintd.

Keys from `gidlint keygen`: the broker's, daemon d1's, daemon d2's and
client alice's.  The broker admits d1 and alice (their public certificates
are in its allowed_keys_dir), not d2.  Checked, with real processes:

- d1, started with `broker_key_file` (and no `allowed_keys_dir`: every
  socket connects, no client comes to it), connects as the broker's CURVE
  client and answers by name through the route endpoint;
- alice's `gidlint push --wait` through the broker's control endpoint gets
  the same output as `gidlint check`, and her `gidlint watch` sees it;
- d2, whose key the broker does not allow, never gets a connection: the
  broker answers for it `refused` (no-daemon) and logs the refusal;
- a plain client gets no answer from the broker;
- a daemon with CURVE on that connects to a broker without
  `broker_key_file` refuses to start, saying why.

    /usr/bin/python3 tests/integration/test_broker_curve.py GIDLINTD GIDLINT
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h

import zmq
import zmq.auth                             # noqa: E402

from test_curve import keygen, run        # noqa: E402

FILE = h.SEEDS[1]


def main(gidlintd, gidlint):
    if not zmq.has("curve"):
        print("SKIP: this libzmq has no CURVE")
        sys.exit(h.SKIP)
    broker_bin = os.path.join(os.path.dirname(gidlintd), "gidlint-broker")
    tmp = tempfile.mkdtemp(prefix="gl-broker-curve-")
    d2 = None
    try:
        k = lambda name: os.path.join(tmp, name)
        broker_pub, _ = keygen(gidlint, k("broker"))
        keygen(gidlint, k("d1"))
        keygen(gidlint, k("d2"))
        alice_pub, alice_sec = keygen(gidlint, k("alice"))
        allowed = k("allowed")
        os.mkdir(allowed)
        for who in ("d1", "alice"):
            shutil.copy(k(who + ".key"), allowed)
        alice = (broker_pub, alice_pub, alice_sec)
        alice_opts = ["--server-key", k("broker.key"), "--key", k("alice.key_secret")]

        with h.Broker(broker_bin, curve=alice,
                      extra=["--curve", "on", "--secret-key-file", k("broker.key_secret"),
                             "--allowed-keys-dir", allowed]) as b:
            # No allowed_keys_dir: behind a broker no client comes to a daemon.
            def daemon_opts(who):
                return ["--curve", "on", "--secret-key-file", k(who + ".key_secret"),
                        "--broker-key-file", k("broker.key")]
            with h.Daemon(gidlintd, name="d1", workers=1, broker=b, curve=alice,
                          extra=daemon_opts("d1")) as d1:
                assert d1.health()["daemon"] == "d1"
                print("ok   d1 connects as the broker's CURVE client and answers by name")

                expected = run([gidlint, "check", FILE])
                watch = subprocess.Popen(
                    [gidlint, "watch", "--results", b.results, "--control", b.route,
                     "--format", "json", "--count", "1", "--timeout", "30"] + alice_opts,
                    cwd=h.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                time.sleep(1.0)         # its subscription reaches d1
                p = run([gidlint, "push", "--wait", "--control", b.control, FILE] + alice_opts)
                assert p.returncode == expected.returncode and p.stdout == expected.stdout, \
                    (p, expected)
                out, err = watch.communicate(timeout=60)
                assert watch.returncode == 0 and b'"daemon":"d1"' in out.replace(b" ", b""), \
                    (watch.returncode, out, err)
                print("ok   alice: push --wait through the broker as check, watch sees d1's result")

                p = run([gidlint, "health", "--control", b.control, "--timeout", "2"])
                assert p.returncode == 2, p
                print("ok   a plain client gets no answer from the broker")

                d2 = subprocess.Popen(
                    [gidlintd, "--name", "d2", "--workers", "1",
                     "--ingest", ">" + b.back["ingest"], "--results", ">" + b.back["results"],
                     "--control", ">%s,>%s" % (b.back["control"], b.back["route"])]
                    + daemon_opts("d2"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                d2pub = zmq.auth.load_certificate(k("d2.key"))[0].decode()
                refusal = 'key "%s" is not in allowed_keys_dir' % d2pub
                deadline = time.monotonic() + 15
                while b.log().count(refusal) < 4:       # its four connections
                    assert time.monotonic() < deadline, b.log()[-2000:]
                    time.sleep(0.1)
                r = b.ask("d2", {"v": 1, "type": "health"})
                assert r["type"] == "refused" and r["reason"] == "no-daemon", r
                print("ok   d2, not allowed: no connection (refused no-daemon), the refusal "
                      "logged with its key")
                d2.terminate()
                d2.wait(30)
                d2 = None
                d1.stop_and_check()

            p = run([gidlintd, "--name", "d3", "--ingest", ">" + b.back["ingest"],
                     "--results", ">" + b.back["results"], "--control", ">" + b.back["control"],
                     "--curve", "on", "--secret-key-file", k("d1.key_secret")],
                    timeout=30)
            assert p.returncode == 2 and b"security.broker_key_file is not set" in p.stderr, p
            print("ok   curve on, connecting to a broker, no broker_key_file: exit 2, saying why")
            b.stop_and_check()
    finally:
        if d2 is not None:
            d2.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    h.run(main)

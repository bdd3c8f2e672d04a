#!/usr/bin/python3
"""test_curve.py: gidlintd with CURVE on (README, "Security (CURVE)").

Keys come from `gidlint keygen`: one pair for the daemon, one for alice
(allowed: her NAME.key is in allowed_keys_dir), one for mallory (not
allowed: only her NAME.key_secret lies there, which does not count), and a
pair bob made with pyzmq's zmq.auth (allowed), so that the certificate
format is checked against another implementation both ways.

- alice: `gidlint health` answers; a document she pushes with `gidlint
  push` comes out on her `gidlint watch` and on a pyzmq subscriber with her
  keys.  bob, with pyzmq's certificate, gets health answered too.
- mallory, and a client with no CURVE at all: `gidlint push` hands nothing
  over (exit 2), a raw PUSH's documents produce no result (alice's
  subscriber sees none of their ids, the daemon's `received` does not
  move), `gidlint watch` gets nothing (not even the stats published every
  0.2 s: exit 3), `gidlint health` times out.
- The log names mallory's refusals on each of the three sockets, with her
  address and key.
- SIGHUP rereads allowed_keys_dir: mallory.key put there lets her in,
  taken away shuts her out again.
- The daemon refuses to start with curve on and a public certificate (or
  no file) as its secret key, or no allowed_keys_dir.

    /usr/bin/python3 tests/integration/test_curve.py GIDLINTD GIDLINT
"""
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h
from gl_harness import zmq
import zmq.auth                            # noqa: E402  (after the SKIP check)

from test_watch import Proc                # noqa: E402

FILE = h.SEEDS[3]


def run(cmd, timeout=60):
    return subprocess.run(cmd, cwd=h.ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)


def keygen(gidlint, base):
    p = run([gidlint, "keygen", base])
    assert p.returncode == 0, p
    pub, _ = zmq.auth.load_certificate(base + ".key")
    pub2, sec = zmq.auth.load_certificate(base + ".key_secret")
    assert pub == pub2 and sec, (pub, pub2)
    assert stat.S_IMODE(os.stat(base + ".key_secret").st_mode) == 0o600
    return pub, sec


def main(gidlintd, gidlint):
    if not zmq.has("curve"):
        print("SKIP: this libzmq has no CURVE")
        sys.exit(h.SKIP)
    tmp = tempfile.mkdtemp(prefix="gl-curve-")
    d = None
    try:
        k = lambda name: os.path.join(tmp, name)
        server_pub, _ = keygen(gidlint, k("server"))
        alice_pub, alice_sec = keygen(gidlint, k("alice"))
        mallory_pub, mallory_sec = keygen(gidlint, k("mallory"))
        again = run([gidlint, "keygen", k("alice")])
        assert again.returncode == 2 and b"exists (--force replaces it)" in again.stderr, again
        assert zmq.auth.load_certificate(k("alice.key"))[0] == alice_pub
        allowed = k("allowed")
        os.mkdir(allowed)
        zmq.auth.create_certificates(tmp, "bob")
        shutil.copy(k("alice.key"), allowed)
        shutil.copy(k("bob.key"), allowed)
        shutil.copy(k("mallory.key_secret"), allowed)    # not a *.key: ignored
        with open(os.path.join(allowed, "broken.key"), "w") as f:
            f.write("curve\n    public-key = \"not a key\"\n")
        print("ok   gidlint keygen: NAME.key and NAME.key_secret (0600), read by "
              "pyzmq's zmq.auth; no overwrite without --force")

        # Refusing to start.
        base = [gidlintd, "--curve", "on", "--ingest", "tcp://127.0.0.1:0",
                "--results", "tcp://127.0.0.1:0", "--control", "tcp://127.0.0.1:0"]
        for extra, why in (
                (["--secret-key-file", k("server.key"), "--allowed-keys-dir", allowed],
                 "cannot start: security.secret_key_file: %s: no secret-key" % k("server.key")),
                (["--secret-key-file", k("nothing"), "--allowed-keys-dir", allowed],
                 "cannot start: security.secret_key_file: %s: No such file" % k("nothing")),
                (["--secret-key-file", k("server.key_secret"), "--allowed-keys-dir", k("nothing")],
                 "cannot start: security.allowed_keys_dir: %s: No such file" % k("nothing")),
                (["--secret-key-file", k("server.key_secret")],
                 "security.curve is on but security.allowed_keys_dir is not set")):
            p = run(base + extra, timeout=30)
            assert p.returncode == 2 and why in p.stderr.decode(), (extra, p)
        print("ok   curve on without a usable key or directory: exit 2, saying why")

        d = h.Daemon(gidlintd, stats_interval=0.2, curve=(server_pub, alice_pub, alice_sec),
                     extra=["--curve", "on", "--secret-key-file", k("server.key_secret"),
                            "--allowed-keys-dir", allowed])
        d.start()
        log = d.log()
        assert ('CURVE on: server public key "%s", 2 client keys allowed from %s'
                % (server_pub.decode(), allowed)) in log, log
        assert "allowed keys: skipping %s: line 2: public-key is 9 characters long" \
            % os.path.join(allowed, "broken.key") in log, log
        eps = ["--ingest", d.ingest, "--results", d.results, "--control", d.control]
        keys = {"alice": ["--server-key", k("server.key"), "--key", k("alice.key_secret")],
                "bob": ["--server-key", k("server.key"), "--key", k("bob.key_secret")],
                "mallory": ["--server-key", k("server.key"), "--key", k("mallory.key_secret")],
                "plain": []}

        # (a) alice and bob get in.
        for who in ("alice", "bob"):
            p = run([gidlint, "health", "--control", d.control, "--timeout", "10"] + keys[who])
            assert p.returncode == 0 and b"accepting: true" in p.stdout, (who, p)
        env = dict(os.environ, GIDLINT_SERVER_KEY=k("server.key"),
                   GIDLINT_KEY=k("alice.key_secret"))
        p = subprocess.run([gidlint, "stats", "--control", d.control], cwd=h.ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        assert p.returncode == 0 and b"received:" in p.stdout, p
        sub = d.subscriber([b"result/", b"reject/"])
        sub.sync()
        watch = Proc([gidlint, "watch", "--results", d.results, "--stats", "--format", "json",
                      "--timeout", "30"] + keys["alice"])
        watch.wait_for(lambda w: any('"type":"stats"' in l for l in w.out), "alice's stats")
        p = run([gidlint, "push", "--ingest", d.ingest, "--source", "alice", "--timeout", "10",
                 FILE] + keys["alice"])
        assert p.returncode == 0 and p.stderr == b"sent 1 document\n", p
        got, _ = h.collect(sub, [FILE], 20)
        assert got.get(FILE) and got[FILE][0]["source"] == "alice", got
        watch.wait_for(lambda w: any('"id":"%s"' % FILE in l for l in w.out), "alice's result")
        watch.stop()
        # The reliable producer (push --wait) over CURVE: check's output.
        p = run([gidlint, "push", "--wait", "--control", d.control, "--timeout", "10",
                 FILE] + keys["alice"])
        want = run([gidlint, "check", FILE])
        assert p.returncode == want.returncode and p.stdout == want.stdout, (p, want)
        print("ok   allowed keys: health and stats answer (alice: gidlint's certificate, "
              "also from the environment; bob: pyzmq's); alice's push comes out on "
              "gidlint watch and a pyzmq subscriber")

        # (b) mallory and a plain client get nothing in and nothing out.
        before = d.stats()["received"]
        for who in ("mallory", "plain"):
            p = run([gidlint, "push", "--ingest", d.ingest, "--source", "intruder",
                     "--timeout", "2", FILE] + keys[who])
            assert p.returncode == 2 and b"sent 0 documents" in p.stderr, (who, p)
            raw = d.ctx.socket(zmq.PUSH)
            if who == "mallory":
                raw.curve_serverkey, raw.curve_publickey, raw.curve_secretkey = (
                    server_pub, mallory_pub, mallory_sec)
            raw.connect(d.ingest)
            for i in range(3):              # queued here, never delivered
                raw.send(h.document("intruder-%s-%d" % (who, i), h.read(FILE),
                                    source="intruder"))
            rsub = d.ctx.socket(zmq.SUB)
            if who == "mallory":
                rsub.curve_serverkey, rsub.curve_publickey, rsub.curve_secretkey = (
                    server_pub, mallory_pub, mallory_sec)
            rsub.setsockopt(zmq.SUBSCRIBE, b"")
            rsub.connect(d.results)
            p = run([gidlint, "health", "--control", d.control, "--timeout", "2"] + keys[who])
            assert p.returncode == 2 and b"no answer" in p.stderr, (who, p)
            p = run([gidlint, "push", "--wait", "--control", d.control, "--timeout", "2",
                     FILE] + keys[who])
            assert p.returncode == 2 and b"no answer" in p.stderr, (who, p)
            w = run([gidlint, "watch", "--results", d.results, "--stats", "--timeout", "2"]
                    + keys[who])
            assert w.returncode == 3 and w.stdout == b"", (who, w)
            assert not rsub.poll(500), "%s's subscriber received something" % who
            raw.close(linger=0)
            rsub.close(linger=0)
        got, seen = h.collect(sub, ["never"], 2.0)
        intruders = [m for _, m in seen if m.get("source") == "intruder"]
        assert not intruders, intruders
        after = d.stats()["received"]
        assert after == before + 1, (before, after)     # + 1: that stats request
        print("ok   unknown key and plain client: push hands nothing over, no result "
              "for their documents, received stays %d, watch gets nothing (exit 3), "
              "health times out" % before)

        # (c) the refusals are in the log, on each socket.
        log = d.log()
        for ep in (d.ingest, d.results, d.control):
            line = 'refused a client at 127.0.0.1 on %s: key "%s" is not in ' \
                   'allowed_keys_dir %s' % (ep, mallory_pub.decode(), allowed)
            assert line in log, (line, log)
        print("ok   the log names each refusal: address, socket, key")

        # (d) SIGHUP rereads the directory.
        shutil.copy(k("mallory.key"), allowed)
        d.signal(signal.SIGHUP)
        d.wait_log("allowed keys reloaded: 3 client keys from %s" % allowed)
        p = run([gidlint, "health", "--control", d.control, "--timeout", "10"]
                + keys["mallory"])
        assert p.returncode == 0, p
        os.unlink(os.path.join(allowed, "mallory.key"))
        d.signal(signal.SIGHUP)
        d.wait_log("allowed keys reloaded: 2 client keys from %s" % allowed)
        p = run([gidlint, "health", "--control", d.control, "--timeout", "2"]
                + keys["mallory"])
        assert p.returncode == 2, p
        print("ok   SIGHUP: a key put in allowed_keys_dir gets in, taken out is refused")

        sub.close()
        d.stop_and_check()
    finally:
        if d:
            d.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    h.run(main)

#!/usr/bin/python3
"""test_broker.py: gidlint-broker, the devices in front of several gidlintd.

The real broker on free loopback ports; pyzmq sockets stand in for the
daemons (connected to its backends) and for the clients (connected to its
frontends).  Every wait is bounded; readiness of a connection is its
handshake, seen on a socket monitor, or a probe that came through.

- documents: a PUSH client sends N documents to frontend.ingest; two PULL
  "daemons" on backend.ingest get every one exactly once between them,
  and each gets some.
- results: two PUB "daemons" on backend.results, two SUB clients on
  frontend.results subscribed to a prefix: every message at both
  subscribers exactly once, nothing outside the prefix.
- control: two DEALER clients on frontend.control, two ROUTER "daemons" on
  backend.control echoing the envelope: each answer comes back to the
  client that asked, both daemons get requests.
- route: ROUTER "daemons" named d1 and d2 on backend.route.  [d2][body]
  reaches d2 only and its multipart answer comes back whole as
  [d2][reply...]; an unknown name gets [name][refused] (reason
  "no-daemon", retry_after_ms 1000); malformed messages are dropped and
  counted; a daemon connecting again under a name still held takes it
  over (ZMQ_ROUTER_HANDOVER).
- SIGHUP rereads the file; SIGTERM ends the broker with status 0 within a
  second; --print-config is deploy/gidlint-broker.conf under its header; a
  bad setting in the file exits 2 naming file:line.
- CURVE: with curve on, a client and a daemon whose keys are allowed get
  through; a client and a daemon with an unknown key do not.

    /usr/bin/python3 tests/integration/test_broker.py GIDLINT-BROKER GIDLINT
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h
from gl_harness import zmq
import zmq.auth                            # noqa: E402  (after the SKIP check)
from zmq.utils.monitor import recv_monitor_message  # noqa: E402

PATHS = ("ingest", "results", "control", "route")


class Broker(h.Process):
    """One gidlint-broker process, configured by options; its eight
    endpoints on free ports."""

    def __init__(self, binary, config=None, extra=(), curve=None):
        h.Process.__init__(self, binary, "gidlint-broker")
        self.config = config
        self.extra = list(extra)
        self.curve = curve          # (broker public, our public, our secret)

    def start(self, timeout=15.0):
        for attempt in range(3):
            ports = h.free_ports(8)
            self.fe = {p: "tcp://127.0.0.1:%d" % ports[i] for i, p in enumerate(PATHS)}
            self.be = {p: "tcp://127.0.0.1:%d" % ports[4 + i] for i, p in enumerate(PATHS)}
            cmd = [self.binary]
            if self.config:
                cmd += ["--config", self.config]
            cmd += ["--name", "broker-test", "--stats-interval", "0"]
            for p in PATHS:
                cmd += ["--frontend-" + p, self.fe[p], "--backend-" + p, self.be[p]]
            cmd += self.extra
            self.spawn(cmd)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                if "route %s -> %s" % (self.fe["route"], self.be["route"]) in self.log():
                    return self
                time.sleep(0.05)
            self.kill()
            if "Address already in use" not in self.log():
                break
        h.fail("the broker did not start; its log:\n" + self.log())

    def socket(self, kind, endpoint, keys=None, identity=None, wait=True):
        """A connected pyzmq socket; keys: (public, secret) for CURVE
        (default: self.curve's).  With wait, returns once the handshake
        with the broker succeeded."""
        s = self.ctx.socket(kind)
        s.setsockopt(zmq.LINGER, 0)
        if identity is not None:
            s.setsockopt(zmq.ROUTING_ID, identity)
        if self.curve:
            pub, sec = keys or self.curve[1:]
            s.curve_serverkey, s.curve_publickey, s.curve_secretkey = \
                self.curve[0], pub, sec
        mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED) if wait else None
        s.connect(endpoint)
        if wait:
            try:
                if not mon.poll(10000):
                    h.fail("no handshake with %s within 10 s" % endpoint)
                ev = recv_monitor_message(mon)
                assert ev["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED, ev
            finally:
                s.disable_monitor()
                mon.close(linger=0)
        return s


def recv_all(socks, want, timeout=10.0):
    """Receives from socks (a dict name -> socket) until want messages came
    in all, or timeout.  Returns name -> [frames lists]."""
    got = {n: [] for n in socks}
    poller = zmq.Poller()
    for s in socks.values():
        poller.register(s, zmq.POLLIN)
    deadline = time.monotonic() + timeout
    while sum(len(v) for v in got.values()) < want and time.monotonic() < deadline:
        ready = dict(poller.poll(max(1, int((deadline - time.monotonic()) * 1000))))
        for n, s in socks.items():
            while s in ready and s.poll(0):
                got[n].append(s.recv_multipart())
    return got


def quiet(socks, ms=300):
    """Nothing more arrives on socks within ms (after the counts checked)."""
    for n, s in socks.items():
        assert not s.poll(ms), "%s got more than expected: %r" % (n, s.recv_multipart())


# -- the paths ---------------------------------------------------------------

def test_documents(b):
    d1 = b.socket(zmq.PULL, b.be["ingest"])
    d2 = b.socket(zmq.PULL, b.be["ingest"])
    client = b.socket(zmq.PUSH, b.fe["ingest"])
    n = 200
    for i in range(n):
        client.send(h.document("doc-%d" % i, b"body %d" % i))
    got = recv_all({"d1": d1, "d2": d2}, n)
    ids = [h.unpack(f[0])["id"] for v in got.values() for f in v]
    assert sorted(ids) == sorted("doc-%d" % i for i in range(n)), \
        "%d documents came, %d distinct, of %d" % (len(ids), len(set(ids)), n)
    assert got["d1"] and got["d2"], {k: len(v) for k, v in got.items()}
    quiet({"d1": d1, "d2": d2})
    for s in (d1, d2, client):
        s.close()
    print("ok   documents: %d shared out, each once (%d + %d)"
          % (n, len(got["d1"]), len(got["d2"])))


def test_results(b):
    pubs = {d: b.socket(zmq.PUB, b.be["results"]) for d in ("d1", "d2")}
    subs = {c: b.socket(zmq.SUB, b.fe["results"], wait=False) for c in ("c1", "c2")}
    for s in subs.values():
        s.setsockopt(zmq.RCVHWM, 0)
        s.setsockopt(zmq.SUBSCRIBE, b"res.")
    # The subscriptions travel client -> broker -> daemon: publish probes
    # until each subscriber has seen one from each daemon.
    seen = {(c, d) for c in subs for d in pubs}
    deadline = time.monotonic() + 10
    k = 0
    while seen and time.monotonic() < deadline:
        for d, p in pubs.items():
            p.send_multipart([b"res.probe", d.encode() + b"-%d" % k])
        k += 1
        end = time.monotonic() + 0.1
        while time.monotonic() < end:
            for c, s in subs.items():
                while s.poll(10):
                    topic, body = s.recv_multipart()
                    seen.discard((c, body.split(b"-")[0].decode()))
    assert not seen, "subscriptions never reached the daemons: %s" % seen
    for s in subs.values():                 # probes still on the way
        while s.poll(200):
            s.recv_multipart()
    n = 100
    for i in range(n):
        for d, p in pubs.items():
            if i == n // 2:
                p.send_multipart([b"other.x", b"not subscribed"])
            p.send_multipart([b"res.%s" % d.encode(), b"%s-%d" % (d.encode(), i)])
    want = sorted(b"%s-%d" % (d.encode(), i) for d in pubs for i in range(n))
    for c, s in subs.items():
        got = recv_all({c: s}, 2 * n)[c]
        bodies = sorted(f[1] for f in got)
        assert bodies == want, "%s: %d messages, %d distinct, of %d; topics %s" % (
            c, len(bodies), len(set(bodies)), 2 * n, sorted({f[0] for f in got}))
    quiet(subs)
    for s in list(pubs.values()) + list(subs.values()):
        s.close()
    print("ok   results: %d messages of 2 daemons at each of 2 subscribers, "
          "once each, prefix filtered" % (2 * n))


def test_control(b):
    daemons = {d: b.socket(zmq.ROUTER, b.be["control"]) for d in ("d1", "d2")}
    clients = {c: b.socket(zmq.DEALER, b.fe["control"]) for c in ("c1", "c2")}
    n = 20
    for c, s in clients.items():
        for i in range(n):
            s.send_multipart([b"", b"%s-%d" % (c.encode(), i)])
    served = {d: 0 for d in daemons}
    answers = {c: [] for c in clients}
    poller = zmq.Poller()
    for s in list(daemons.values()) + list(clients.values()):
        poller.register(s, zmq.POLLIN)
    deadline = time.monotonic() + 10
    while sum(map(len, answers.values())) < 2 * n and time.monotonic() < deadline:
        ready = dict(poller.poll(100))
        for d, s in daemons.items():
            while s in ready and s.poll(0):
                frames = s.recv_multipart()
                served[d] += 1
                # A daemon echoes every frame before the body.
                s.send_multipart(frames[:-1] + [d.encode() + b":" + frames[-1]])
        for c, s in clients.items():
            while s in ready and s.poll(0):
                answers[c].append(s.recv_multipart())
    for c, got in answers.items():
        assert len(got) == n, (c, len(got))
        for frames in got:
            assert len(frames) == 2 and frames[0] == b"", frames
            who, body = frames[1].split(b":")
            assert body.startswith(c.encode() + b"-"), (c, frames)
        bodies = sorted(f[1].split(b":")[1] for f in got)
        assert bodies == sorted(b"%s-%d" % (c.encode(), i) for i in range(n)), bodies
    assert served["d1"] and served["d2"], served
    for s in list(daemons.values()) + list(clients.values()):
        s.close()
    print("ok   control: %d requests, each answer to its client; daemons "
          "served %d + %d" % (2 * n, served["d1"], served["d2"]))


class RouteDaemon:
    """A ROUTER standing in for gidlintd's control socket on backend.route,
    known to the broker by its name; answers with a multipart reply."""

    def __init__(self, b, name, tag=None, keys=None, wait=True):
        self.name = name
        self.tag = tag or name
        self.sock = b.socket(zmq.ROUTER, b.be["route"], keys=keys, identity=name,
                             wait=wait)
        self.got = []

    def serve(self):
        while self.sock.poll(0):
            frames = self.sock.recv_multipart()
            self.got.append(frames)
            # [broker-id][cid][body] -> [broker-id][cid][reply frames...]
            self.sock.send_multipart(frames[:2] + [b"head:" + self.tag, b"topic",
                                                   frames[-1]])


def ask(client, daemons, name, body, timeout=5.0):
    """Sends [name][body] on client; serves daemons until the answer
    comes.  Returns its frames, None on timeout."""
    client.send_multipart([name, body])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for d in daemons:
            d.serve()
        if client.poll(10):
            return client.recv_multipart()
    return None


def refused(frames):
    return (frames is not None and len(frames) == 2
            and h.unpack(frames[1]).get("type") == "refused")


def ask_until_reached(client, daemons, name, body, timeout=10.0):
    """ask() again while the answer is `refused`: the broker learns a
    daemon's name a moment after the daemon's side saw the handshake."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = ask(client, daemons, name, body)
        if not refused(r):
            return r
        time.sleep(0.05)
    h.fail("%r was never reached through the route path" % name)


def test_route(b):
    d1 = RouteDaemon(b, b"d1")
    d2 = RouteDaemon(b, b"d2")
    client = b.socket(zmq.DEALER, b.fe["route"])
    ds = [d1, d2]
    r = ask_until_reached(client, ds, b"d2", b"hello d2")
    assert r == [b"d2", b"head:d2", b"topic", b"hello d2"], r
    d1.got.clear()
    d2.got.clear()
    for i in range(10):
        r = ask(client, ds, b"d2", b"again %d" % i)
        assert r == [b"d2", b"head:d2", b"topic", b"again %d" % i], r
    assert not d1.got and len(d2.got) == 10, (d1.got, len(d2.got))
    assert all(len(f) == 3 for f in d2.got), d2.got   # [broker-id][cid][body]
    r = ask(client, ds, b"d1", b"to d1")
    assert r == [b"d1", b"head:d1", b"topic", b"to d1"], r
    print("ok   route: [d2][body] reaches d2 only, its multipart answer whole")

    # An unknown name: the broker answers itself.
    r = ask(client, ds, b"nobody", h.document("x1", b"body", source="p1"))
    assert r is not None and len(r) == 2 and r[0] == b"nobody", r
    m = h.unpack(r[1])
    assert m["type"] == "refused" and m["reason"] == "no-daemon", m
    assert m["retry_after_ms"] == 1000 and m["daemon"] == "nobody", m
    assert m["epoch"] == 0 and m["id"] == "x1" and m["source"] == "p1", m
    assert "nobody" in m["reason_en"] and "nobody" in m["reason_zh"], m
    r = ask(client, ds, b"nobody", b"\xc1 not msgpack")
    m = h.unpack(r[1])
    assert m["reason"] == "no-daemon" and "id" not in m, m
    # Names are bytes: printable UTF-8 comes back as it is, anything else
    # quoted (the message is always valid UTF-8).
    zh = "省厅一号".encode()
    r = ask(client, ds, zh, b"x")
    m = h.unpack(r[1])
    assert r[0] == zh and m["daemon"] == "省厅一号", m
    assert m["reason_zh"] == "没有名为 省厅一号 的 gidlintd 连接到代理", m
    r = ask(client, ds, b"bad\xff\x00\xed\xa0\x80\"", b"x")
    m = h.unpack(r[1])
    assert m["daemon"] == "bad\\xff\\x00\\xed\\xa0\\x80\\x22", m
    print("ok   route: an unknown name gets `refused`, reason no-daemon, "
          "retry_after_ms 1000, the request's id")

    # Malformed: no body, an empty name, a name too long.  Dropped.
    client.send_multipart([b"d1"])
    client.send_multipart([b"", b"body"])
    client.send_multipart([b"x" * 256, b"body"])
    r = ask(client, ds, b"d1", b"after")
    assert r == [b"d1", b"head:d1", b"topic", b"after"], r
    assert [f[-1] for f in d1.got] == [b"to d1", b"after"], d1.got
    assert not client.poll(200), client.recv_multipart()

    # Handover: a second connection under the name d2, the first still up.
    d2b = RouteDaemon(b, b"d2", tag=b"d2-new")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        r = ask(client, [d1, d2, d2b], b"d2", b"who")
        if r and r[1] == b"head:d2-new":
            break
        time.sleep(0.05)
    assert r == [b"d2", b"head:d2-new", b"topic", b"who"], r
    d2.got.clear()
    r = ask(client, [d1, d2, d2b], b"d2", b"still new")
    assert r == [b"d2", b"head:d2-new", b"topic", b"still new"] and not d2.got, r
    for s in (d1.sock, d2.sock, d2b.sock, client):
        s.close()
    print("ok   route: malformed messages dropped; a daemon reconnecting "
          "under its name takes over")


# -- configuration and signals ----------------------------------------------

def test_config(broker):
    run = lambda *a: subprocess.run([broker, *a], cwd=h.ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, timeout=30)
    h.check_deploy_conf(broker, "deploy/gidlint-broker.conf")
    flag = run("--frontend-route", "tcp://127.0.0.1:9", "--results-hwm", "7",
               "--print-config")
    assert b"route = tcp://127.0.0.1:9\n" in flag.stdout, flag
    assert b"results_hwm = 7\n" in flag.stdout, flag
    fd, bad = tempfile.mkstemp(prefix="gidlint-broker-", suffix=".conf")
    with os.fdopen(fd, "w") as f:
        f.write("[broker]\nname = b\n\n[limits]\nroute_hwm = lots\n")
    try:
        p = run("--config", bad)
        assert p.returncode == 2, p
        assert ("%s:5: limits.route_hwm" % bad).encode() in p.stderr, p.stderr
    finally:
        os.unlink(bad)
    p = run("--curve", "on")
    assert p.returncode == 2 and b"secret_key_file is not set" in p.stderr, p
    assert run("--version").stdout.startswith(b"gidlint-broker "), "version"
    print("ok   deploy/gidlint-broker.conf is --print-config; a bad setting "
          "exits 2 naming file:line")


def test_signals(broker):
    fd, conf = tempfile.mkstemp(prefix="gidlint-broker-", suffix=".conf")
    os.close(fd)
    try:
        with open(conf, "w") as f:
            f.write("[broker]\nlog_level = info\n")
        with Broker(broker, config=conf, extra=["--stats-interval", "0.2"]) as b:
            b.wait_log("documents: clients to daemons 0 in, 0 out (0 bytes)")
            # Clients and daemons connected: the stop must not wait for them.
            socks = [b.socket(zmq.PUSH, b.fe["ingest"]),
                     b.socket(zmq.SUB, b.fe["results"]),
                     b.socket(zmq.DEALER, b.fe["route"]),
                     b.socket(zmq.PULL, b.be["ingest"])]
            with open(conf, "w") as f:
                f.write("[broker]\nlog_level = debug\n\n[limits]\nroute_hwm = 5\n")
            b.proc.send_signal(signal.SIGHUP)
            b.wait_log("configuration reloaded")
            assert ("reload: limits.route_hwm change only on restart; kept as they are"
                    in b.log()), b.log()
            # The debug level applies: a malformed route message is logged.
            socks[2].send_multipart([b"only-a-name"])
            b.wait_log("route: dropped a client message of 1 frames")
            with open(conf, "w") as f:
                f.write("[broker]\nlog_level = loud\n")
            b.proc.send_signal(signal.SIGHUP)
            b.wait_log("reload failed, configuration unchanged: %s:2:" % conf)
            took = b.stop_and_check(timeout=1.0)
            log = b.log()
            for p in ("documents", "results", "control", "route"):
                assert "%s: stopped" % p in log, (p, log)
            assert "1 malformed" in log, log
            for s in socks:
                s.close()
    finally:
        os.unlink(conf)
    print("ok   SIGHUP reloads (log level; limits only on restart), a bad file "
          "leaves it unchanged; "
          "SIGTERM exits 0 in %.2f s" % took)


# -- CURVE --------------------------------------------------------------------

def test_curve(broker, gidlint):
    if not zmq.has("curve"):
        print("skip CURVE: this libzmq has none")
        return
    tmp = tempfile.mkdtemp(prefix="gl-broker-curve-")
    try:
        k = lambda name: os.path.join(tmp, name)
        keys = {}
        for who in ("broker", "alice", "daemon", "mallory"):
            p = subprocess.run([gidlint, "keygen", k(who)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=30)
            assert p.returncode == 0, p
            keys[who] = zmq.auth.load_certificate(k(who + ".key_secret"))
        allowed = k("allowed")
        os.mkdir(allowed)
        shutil.copy(k("alice.key"), allowed)
        shutil.copy(k("daemon.key"), allowed)
        extra = ["--curve", "on", "--secret-key-file", k("broker.key_secret"),
                 "--allowed-keys-dir", allowed]
        with Broker(broker, extra=extra,
                    curve=(keys["broker"][0],) + keys["alice"]) as b:
            daemon = b.socket(zmq.PULL, b.be["ingest"], keys=keys["daemon"])
            bad_client = b.socket(zmq.PUSH, b.fe["ingest"], keys=keys["mallory"],
                                  wait=False)
            bad_client.send(h.document("from-mallory", b"x"))
            client = b.socket(zmq.PUSH, b.fe["ingest"])
            client.send(h.document("from-alice", b"x"))
            got = recv_all({"daemon": daemon}, 1)["daemon"]
            assert [h.unpack(f[0])["id"] for f in got] == ["from-alice"], got
            quiet({"daemon": daemon}, 500)
            # A daemon with an unknown key never joins: its name stays unknown.
            rogue = RouteDaemon(b, b"rogue", keys=keys["mallory"], wait=False)
            good = RouteDaemon(b, b"good", keys=keys["daemon"])
            asker = b.socket(zmq.DEALER, b.fe["route"])
            r = ask_until_reached(asker, [good, rogue], b"good", b"hi")
            assert r == [b"good", b"head:good", b"topic", b"hi"], r
            for _ in range(5):
                r = ask(asker, [good, rogue], b"rogue", b"hi")
                assert refused(r), r
                time.sleep(0.1)
            assert not rogue.got, rogue.got
            b.wait_log("is not")            # gl_zap.c names the refused key
            for s in (daemon, bad_client, client, rogue.sock, good.sock, asker):
                s.close()
            b.stop_and_check()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok   CURVE: allowed client and daemon through; unknown keys, "
          "client or daemon, kept out")


def main(broker, gidlint):
    test_config(broker)
    with Broker(broker) as b:
        test_documents(b)
        test_results(b)
        test_control(b)
        test_route(b)
        b.stop_and_check()
        # The devices' own counters (STATISTICS), logged at the stop.
        log = b.log()
        for line in ("final documents: clients to daemons 200 in, 200 out",
                     "final control: clients to daemons 40 in, 40 out",
                     "daemons to clients 40 in, 40 out",
                     "3 malformed"):
            assert line in log, (line, log)
        print("ok   the final counters: documents and control, in = out")
    test_signals(broker)
    test_curve(broker, gidlint)


if __name__ == "__main__":
    h.run(main)

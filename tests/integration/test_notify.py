#!/usr/bin/python3
"""test_notify.py: gidlintd tells systemd how it is doing (sd_notify, the
Type=notify protocol of systemd.service(5)), tested without systemd: the
test binds the unix datagram socket systemd would, passes it in
NOTIFY_SOCKET, and reads what the daemon sends.

  - READY=1 comes, and once it has, health answers at the first asking
    (no retry): ready means serving.  The STATUS= line names the epoch
    health reports.
  - SIGHUP: RELOADING=1 (with MONOTONIC_USEC=), then READY=1; and the same
    when the new configuration is invalid (the reload fails, the daemon
    goes on with the old one, and says so in STATUS=).
  - SIGTERM: STOPPING=1, then exit 0.
  - gidlint-broker says the same: READY=1 once its devices run (its route
    relay then answers), RELOADING=1 and READY=1 on SIGHUP, STOPPING=1
    and exit 0 on SIGTERM.

Built without libsystemd (GIDLINT_SYSTEMD=OFF, or not found) gidlintd sends
nothing, and tests/CMakeLists.txt does not run this test.

    /usr/bin/python3 tests/integration/test_notify.py GIDLINTD GIDLINT
"""
import os
import signal
import socket
import sys
import tempfile
import time

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h


def fields(datagram):
    """'A=1\\nB=2' -> {'A': '1', 'B': '2'}"""
    out = {}
    for line in datagram.decode("utf-8").split("\n"):
        if line:
            k, _, v = line.partition("=")
            out[k] = v
    return out


class Notified(h.Daemon):
    """A daemon started with NOTIFY_SOCKET; ready when READY=1 came."""

    def __init__(self, binary, notify, **kw):
        super().__init__(binary, **kw)
        self.notify = notify
        self.ready_status = None

    def next_message(self, timeout):
        """The next notification, as fields; None after timeout seconds or
        when the daemon has exited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.notify.settimeout(0.1)
            try:
                return fields(self.notify.recv(4096))
            except socket.timeout:
                if self.proc.poll() is not None:
                    return None
        return None

    def wait_ready(self, timeout):
        m = self.next_message(timeout)
        if m is None:
            return False                    # died (port race?) or silent
        if m.get("READY") != "1":
            h.fail("the first notification is not READY=1: %r" % m)
        # Ready means serving: one health request, no retry.
        r = self.health(timeout=5.0)
        assert r.get("type") == "health" and r.get("accepting") is True, r
        self.epoch = r["epoch"]
        s = self.next_message(5.0)
        assert s is not None and "STATUS" in s, s
        self.ready_status = s["STATUS"]
        return True


def expect(d, want, timeout=10.0):
    m = d.next_message(timeout)
    if m is None:
        h.fail("no notification within %.0f s (wanted %s); log:\n%s"
               % (timeout, want, d.log()))
    for k, v in want.items():
        if v is None:
            assert k in m, (want, m)
        else:
            assert m.get(k) == v, (want, m)
    return m


def stop(p):
    """SIGTERM: STOPPING=1 comes, then exit status 0."""
    p.signal(signal.SIGTERM)
    expect(p, {"STOPPING": "1"})
    rc = p.wait_exit(30)
    if p in h._live:
        h._live.remove(p)
    assert rc == 0, "%s exited %s; log:\n%s" % (p.what, rc, p.log())


def main(gidlintd, gidlint):
    tmp = tempfile.mkdtemp(prefix="gidlint-notify-")
    path = os.path.join(tmp, "notify")
    conf = os.path.join(tmp, "gidlintd.conf")
    with open(conf, "w") as f:
        f.write("[daemon]\nlog_level = info\n")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.environ["NOTIFY_SOCKET"] = path
    try:
        d = Notified(gidlintd, sock, config=conf)
        with d:
            epoch_hex = "%016x" % d.epoch
            assert epoch_hex in d.ready_status, (epoch_hex, d.ready_status)
            print("ok   READY=1, then health answered at once; STATUS=%s" % d.ready_status)

            d.signal(signal.SIGHUP)
            m = expect(d, {"RELOADING": "1", "MONOTONIC_USEC": None})
            assert int(m["MONOTONIC_USEC"]) > 0, m
            expect(d, {"READY": "1", "STATUS": "configuration reloaded"})
            assert d.health()["accepting"] is True
            print("ok   SIGHUP: RELOADING=1, then READY=1")

            with open(conf, "w") as f:
                f.write("[daemon]\nworkers = banana\n")
            d.signal(signal.SIGHUP)
            expect(d, {"RELOADING": "1"})
            expect(d, {"READY": "1", "STATUS": "reload failed, configuration unchanged"})
            assert d.health()["accepting"] is True
            print("ok   SIGHUP with an invalid file: RELOADING=1, then READY=1 (reload failed)")

            d._reset_control()
            stop(d)
            print("ok   SIGTERM: STOPPING=1, exit 0")

        # gidlint-broker, next to the daemon.
        b = h.Broker(os.path.join(os.path.dirname(gidlintd), "gidlint-broker"))
        b.notify = sock
        b.next_message = lambda timeout: Notified.next_message(b, timeout)
        with b:
            expect(b, {"READY": "1",
                       "STATUS": "routing documents, results, control and route"})
            b.signal(signal.SIGHUP)
            expect(b, {"RELOADING": "1"})
            expect(b, {"READY": "1"})
            assert b.ask("nobody", {"v": 1, "type": "health"})["reason"] == "no-daemon"
            stop(b)
            print("ok   gidlint-broker: READY=1 when serving, RELOADING=1 then READY=1 "
                  "on SIGHUP, STOPPING=1 and exit 0 on SIGTERM")
    finally:
        del os.environ["NOTIFY_SOCKET"]
        sock.close()
        for p in (path, conf):
            try:
                os.unlink(p)
            except OSError:
                pass
        os.rmdir(tmp)


if __name__ == "__main__":
    h.run(main)

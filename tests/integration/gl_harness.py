"""gl_harness.py: runs gidlintd for an integration test and talks to it.

Every test starts its own daemon on loopback ports the OS picked free at run
time, waits until it answers `health` on the control socket, and stops it
whatever happens (a context manager, plus an atexit hook and SIGTERM/SIGINT
handlers for the paths a `with` does not cover).  Every wait is bounded.

    with gl_harness.Daemon(gidlintd) as d:
        sub = d.subscriber([b""])
        sub.sync()                          # the subscription is live
        d.push([gl_harness.document("a1", b"...")])
        ...
        d.stop_and_check()                  # SIGTERM, exit status 0

Run with /usr/bin/python3 and Debian's python3-zmq and python3-msgpack.
Without them a test exits 77, which CTest reports as skipped.
"""
import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

SKIP = 77
try:
    import msgpack
    import zmq
except ImportError as e:                       # pragma: no cover
    print("SKIP: the integration tests need python3-zmq and python3-msgpack "
          "(Debian packages, for /usr/bin/python3): %s" % e)
    sys.exit(SKIP)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEEDS = sorted(os.path.join("examples", "reports", f)
               for f in os.listdir(os.path.join(ROOT, "examples", "reports"))
               if f.endswith(".txt"))
GOOD_2021 = os.path.join("tests", "fixtures", "good_2021.txt")

_live = []                                      # daemons to kill on the way out


def _kill_all():
    for d in list(_live):
        d.kill()


def _on_signal(signum, frame):
    _kill_all()
    sys.exit(128 + signum)


atexit.register(_kill_all)
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


def args():
    """The gidlintd and gidlint binaries: argv[1], argv[2] (CTest passes
    them), else GIDLINTD / GIDLINT, else build/bin/."""
    d = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "GIDLINTD", os.path.join(ROOT, "build", "bin", "gidlintd"))
    c = sys.argv[2] if len(sys.argv) > 2 else os.environ.get(
        "GIDLINT", os.path.join(ROOT, "build", "bin", "gidlint"))
    return os.path.abspath(d), os.path.abspath(c)


def free_ports(n):
    """n distinct TCP ports on 127.0.0.1 that were free a moment ago (bound
    to port 0 together, so the OS gives distinct ones, then released)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def rss_kib(pid):
    """The resident set size of process pid, KiB (VmRSS)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def document(id, body, name=None, source=None, lang=None, meta=None):
    """A `document` message (docs/protocol.md), packed."""
    m = {"v": 1, "type": "document", "id": id, "body": body}
    for k, v in (("name", name), ("source", source), ("lang", lang),
                 ("meta", meta)):
        if v is not None:
            m[k] = v
    return msgpack.packb(m, use_bin_type=True)


def unpack(payload):
    return msgpack.unpackb(payload, raw=False, strict_map_key=False)


def check_json(gidlint, path, *extra):
    """`gidlint check --format json PATH`: (exit status, the object)."""
    p = subprocess.run([gidlint, "check", "--format", "json", *extra, path],
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    lines = p.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1, (path, p.returncode, p.stderr)
    return p.returncode, json.loads(lines[0])


def check_deploy_conf(program, path):
    """The example configuration at path must be `program --print-config`
    under a header of comments, and read back to the same."""
    run = lambda *a: subprocess.run([program, *a], cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, timeout=30)
    default = run("--print-config")
    assert default.returncode == 0, default
    via = run("--config", path, "--print-config")
    assert via.returncode == 0 and via.stdout == default.stdout, via
    text = open(os.path.join(ROOT, path), "rb").read()
    assert text.endswith(default.stdout), \
        "%s is not `%s --print-config` under a header" % (path, os.path.basename(program))
    head = text[:len(text) - len(default.stdout)].decode("utf-8").splitlines()
    assert all(l == "" or l.startswith(";") for l in head), head


def percentile(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def fail(msg):
    raise AssertionError(msg)


class Subscriber:
    """A SUB socket on the daemon's results endpoint."""

    def __init__(self, daemon, prefixes):
        self.daemon = daemon
        self.sock = daemon.secure(daemon.ctx.socket(zmq.SUB))
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.RCVHWM, 0)     # never drop on our side
        for p in prefixes:
            self.sock.setsockopt(zmq.SUBSCRIBE, p)
        self.sock.connect(daemon.results)

    def recv(self, timeout):
        """(topic, message) or None after timeout seconds."""
        if not self.sock.poll(int(timeout * 1000)):
            return None
        frames = self.sock.recv_multipart()
        assert len(frames) == 2, "a published message has %d frames" % len(frames)
        return frames[0], unpack(frames[1])

    def sync(self, timeout=10.0):
        """Returns once the subscription is live: sends probe documents
        through control until one is seen here.  (A SUB socket that has
        just connected misses what is published before its subscription
        reaches the daemon.)  What arrives until then is consumed; the
        message returned is the probe seen, for its seq."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid = "probe-%d" % self.daemon.probes
            self.daemon.probes += 1
            self.daemon.lint(document(pid, b"probe", source="probe"))
            end = time.monotonic() + 0.3
            while time.monotonic() < end:
                m = self.recv(max(0.0, end - time.monotonic()))
                if m and m[1].get("id") == pid:
                    return m[1]
        fail("the subscription never became live within %.0f s" % timeout)

    def close(self):
        self.sock.close()


class Process:
    """A program under test (gidlintd, gidlint-broker): its log in a file,
    stopped and checked, killed whatever happens.  A subclass starts it
    (self.proc) in start()."""

    def __init__(self, binary, what):
        self.binary = binary
        self.what = what            # its name in messages
        self.proc = None
        self.ctx = zmq.Context()
        self.logfile = tempfile.NamedTemporaryFile(
            prefix=what + "-", suffix=".log", delete=False)

    def spawn(self, cmd):
        self.logfile.seek(0)
        self.logfile.truncate()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=self.logfile, stderr=self.logfile)
        _live.append(self)

    def log(self):
        with open(self.logfile.name, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def wait_log(self, text, timeout=10.0, count=1):
        """Waits until the log holds text count times."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log().count(text) >= count:
                return
            time.sleep(0.05)
        fail("no %r in the log of %s within %.0f s:\n%s"
             % (text, self.what, timeout, self.log()))

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait_exit(self, timeout=30.0):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            fail("%s did not exit within %.0f s; its log:\n%s"
                 % (self.what, timeout, self.log()))

    def stop_and_check(self, timeout=30.0):
        """SIGTERM; the process must exit with status 0 (under the
        sanitizers, that includes no leak).  Returns the seconds it took."""
        t0 = time.monotonic()
        self.signal(signal.SIGTERM)
        rc = self.wait_exit(timeout)
        if self in _live:
            _live.remove(self)
        if rc != 0:
            fail("%s exited with status %s; its log:\n%s" % (self.what, rc, self.log()))
        return time.monotonic() - t0

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        if self in _live:
            _live.remove(self)

    def close(self):
        self.kill()
        self.ctx.destroy(linger=0)
        try:
            os.unlink(self.logfile.name)
        except OSError:
            pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if exc[0] is not None and self.proc is not None:
            sys.stderr.write("--- %s log ---\n%s--- end of log ---\n"
                             % (self.what, self.log()[-4000:]))
        self.close()
        return False


class Daemon(Process):
    """One gidlintd process on free loopback ports."""

    def __init__(self, binary, extra=(), config=None, workers=2,
                 stats_interval=0, name="gidlintd-test", ports=None, curve=None,
                 broker=None):
        Process.__init__(self, binary, "gidlintd")
        # Behind a Broker: the daemon connects to its backends, and the
        # harness reaches it by name through the broker's route endpoint.
        self.broker = broker
        # CURVE: (daemon's public key, our public key, our secret key), Z85
        # bytes, set on every socket the harness opens; None: plain.
        self.curve = curve
        self.ports = ports          # None: free ones; else (ingest, results, control)
        self.extra = list(extra)
        self.config = config
        self.workers = workers
        self.stats_interval = stats_interval
        self.name = name
        self.probes = 0
        self._control = None

    # -- process ------------------------------------------------------------

    def start(self, ready_timeout=15.0):
        for attempt in range(3):
            if self.broker:
                ports = None
                b = self.broker
                self.ingest, self.results, self.control = (
                    b.ingest, b.results, b.route)
                attach = [">" + b.back["ingest"], ">" + b.back["results"],
                          ">%s,>%s" % (b.back["control"], b.back["route"])]
            else:
                ports = self.ports or free_ports(3)
                self.ingest, self.results, self.control = (
                    "tcp://127.0.0.1:%d" % p for p in ports)
                attach = [self.ingest, self.results, self.control]
            cmd = [self.binary, "--name", self.name,
                   "--workers", str(self.workers),
                   "--stats-interval", str(self.stats_interval),
                   "--ingest", attach[0], "--results", attach[1],
                   "--control", attach[2], "--log-level", "info"]
            if self.config:
                cmd = [cmd[0], "--config", self.config] + cmd[1:]
            cmd += self.extra
            self.spawn(cmd)
            if self.wait_ready(ready_timeout):
                self.ports = ports
                return self
            self.kill()
            if self.ports or self.broker or "Address already in use" not in self.log():
                break               # not a port race: do not retry
        fail("gidlintd did not become ready; its log:\n" + self.log())

    def wait_ready(self, timeout):
        """Polls health on control until it answers; False if the process
        died or the time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                h = self.request({"v": 1, "type": "health"}, timeout=0.5)
            except TimeoutError:
                self._reset_control()
                continue
            if h.get("type") == "health" and h.get("accepting") is True:
                self.epoch = h["epoch"]
                return True
            time.sleep(0.05)        # refused by a broker: not connected yet
        return False

    def stop_and_check(self, timeout=30.0):
        self._reset_control()
        return Process.stop_and_check(self, timeout)

    def close(self):
        self._reset_control()
        Process.close(self)

    # -- sockets ------------------------------------------------------------

    def secure(self, sock):
        """sock as a CURVE client of the daemon when self.curve is set."""
        if self.curve:
            sock.curve_serverkey, sock.curve_publickey, sock.curve_secretkey = self.curve
        return sock

    def _reset_control(self):
        if self._control is not None:
            self._control.close(linger=0)
            self._control = None

    def request(self, msg, timeout=10.0):
        """One control request (a dict, or packed bytes) over a DEALER;
        returns the decoded reply.  TimeoutError when none comes."""
        if self._control is None:
            self._control = self.secure(self.ctx.socket(zmq.DEALER))
            self._control.setsockopt(zmq.LINGER, 0)
            self._control.connect(self.control)
        payload = msg if isinstance(msg, bytes) else msgpack.packb(msg)
        # Through a broker's route endpoint: [name]["" ][request], answered
        # [name][""][reply], or [name][refused] while no daemon of that
        # name is connected.
        name = [self.name.encode()] if self.broker else []
        self._control.send_multipart(name + [b"", payload])
        if not self._control.poll(int(timeout * 1000)):
            self._reset_control()           # a late reply must not be read
            raise TimeoutError("no reply on control within %.1f s" % timeout)
        frames = self._control.recv_multipart()
        if name and len(frames) == 2 and frames[0] == name[0]:
            return unpack(frames[1])
        assert frames[:len(name)] == name, frames
        frames = frames[len(name):]
        assert len(frames) == 2 and frames[0] == b"", frames
        return unpack(frames[1])

    def lint(self, packed_doc, timeout=10.0):
        return self.request(packed_doc, timeout)

    def health(self, timeout=5.0):
        return self.request({"v": 1, "type": "health"}, timeout)

    def stats(self, timeout=5.0):
        return self.request({"v": 1, "type": "stats"}, timeout)

    def subscriber(self, prefixes=(b"",)):
        return Subscriber(self, prefixes)

    def pusher(self):
        s = self.secure(self.ctx.socket(zmq.PUSH))
        s.setsockopt(zmq.LINGER, 10000)
        s.setsockopt(zmq.SNDTIMEO, 10000)
        s.connect(self.ingest)
        return s

    def push(self, messages):
        """Sends each message (bytes, or a list of frames) on a fresh PUSH
        socket and closes it with linger, so they are all handed over."""
        s = self.pusher()
        try:
            for m in messages:
                if isinstance(m, list):
                    s.send_multipart(m)
                else:
                    s.send(m)
        finally:
            s.close(linger=10000)


class Broker(Process):
    """One gidlint-broker process on free loopback ports: the frontends
    clients use (ingest, results, control, route) and the backends daemons
    connect to (self.back).  Daemon(..., broker=b) runs a daemon behind it."""

    PATHS = ("ingest", "results", "control", "route")

    def __init__(self, binary, extra=(), curve=None):
        Process.__init__(self, binary, "gidlint-broker")
        self.extra = list(extra)
        self.curve = curve          # as Daemon's: (broker's key, ours, our secret)
        self.config = tempfile.NamedTemporaryFile(
            prefix="gidlint-broker-", suffix=".conf", delete=False, mode="w")

    def start(self, ready_timeout=15.0):
        ports = free_ports(8)
        ep = ["tcp://127.0.0.1:%d" % p for p in ports]
        self.front = dict(zip(self.PATHS, ep[:4]))
        self.back = dict(zip(self.PATHS, ep[4:]))
        self.ingest, self.results, self.control, self.route = ep[:4]
        self.config.seek(0)
        self.config.truncate()
        self.config.write("[broker]\nlog_level = info\n")
        for side, eps in (("frontend", self.front), ("backend", self.back)):
            self.config.write("[%s]\n" % side)
            for k, v in eps.items():
                self.config.write("%s = %s\n" % (k, v))
        self.config.flush()
        self.spawn([self.binary, "--config", self.config.name] + self.extra)
        # Ready when the route relay answers: a request for a daemon that
        # does not exist comes back refused by the broker itself.
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            r = self.ask("nobody", {"v": 1, "type": "health"}, timeout=0.5)
            if r is not None:
                assert r.get("type") == "refused" and r.get("reason") == "no-daemon", r
                return self
        fail("gidlint-broker did not become ready; its log:\n" + self.log())

    def ask(self, name, msg, timeout=5.0):
        """One request to the daemon called name through the route
        endpoint: the decoded answer, or None after timeout seconds."""
        s = self.ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        if self.curve:
            s.curve_serverkey, s.curve_publickey, s.curve_secretkey = self.curve
        s.connect(self.route)
        try:
            s.send_multipart([name.encode(), b"", msgpack.packb(msg)])
            if not s.poll(int(timeout * 1000)):
                return None
            frames = s.recv_multipart()
            assert frames[0] == name.encode(), frames
            return unpack(frames[-1])
        finally:
            s.close()

    def close(self):
        Process.close(self)
        try:
            os.unlink(self.config.name)
        except OSError:
            pass


def collect(sub, want, timeout, key=lambda m: m.get("id")):
    """Receives until every id in want has a message, or timeout seconds.
    Returns (by id: [messages], every message in order of arrival)."""
    want = set(want)
    got, seen = {}, []
    deadline = time.monotonic() + timeout
    while not want <= set(got) and time.monotonic() < deadline:
        m = sub.recv(max(0.0, deadline - time.monotonic()))
        if m is None:
            break
        seen.append(m)
        got.setdefault(key(m[1]), []).append(m[1])
    return got, seen


def run(main):
    """Runs a test's main(gidlintd, gidlint); prints PASS or the failure."""
    gidlintd, gidlint = args()
    for b in (gidlintd, gidlint):
        if not os.access(b, os.X_OK):
            print("FAIL: %s is not an executable" % b)
            sys.exit(1)
    os.chdir(ROOT)
    try:
        main(gidlintd, gidlint)
    except AssertionError as e:
        traceback.print_exc()
        print("FAIL: %s" % e)
        sys.exit(1)
    print("PASS")

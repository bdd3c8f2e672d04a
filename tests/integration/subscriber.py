#!/usr/bin/python3
"""subscriber.py: a gidlintd subscriber written only from docs/protocol.md
(the wire protocol's specification), with pyzmq and msgpack, and nothing
from this repository: no harness, no shared decoding code.  It shows that
the specification is enough to write a client.

    subscriber.py [--results tcp://127.0.0.1:7402] [--count N] [--timeout SEC]

Subscribes to everything (the empty prefix) and prints one line per message:

    result seq=3 id=ID source=S errors=2 warnings=4 infos=0 codes=GID201,GID401
    reject seq=4 id=ID source=S code=GID004 reason=missing field body
    stats epoch=0123456789abcdef received=5 linted=4 rejected=1 published=5

A gap in seq ("missed seq A..B") and a new epoch ("daemon restarted") are
reported on standard error.  Exits 0 after N results and rejects (--count),
3 when --timeout seconds pass first, 0 on SIGINT/SIGTERM.
"""
import argparse
import signal
import sys
import time

import msgpack
import zmq


def one_line(text):
    return " ".join(str(text).split())


def main():
    ap = argparse.ArgumentParser(description="print what gidlintd publishes")
    ap.add_argument("--results", default="tcp://127.0.0.1:7402")
    ap.add_argument("--count", type=int, default=0,
                    help="exit after this many results and rejects")
    ap.add_argument("--timeout", type=float, default=0,
                    help="exit 3 when the count is not reached by then")
    a = ap.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.SUBSCRIBE, b"")          # everything
    sub.connect(a.results)

    deadline = time.monotonic() + a.timeout if a.timeout > 0 else None
    numbered, epoch, last_seq = 0, None, None
    status = 0
    while not stop and (a.count <= 0 or numbered < a.count):
        wait = 200 if deadline is None else max(0, min(200, int((deadline - time.monotonic()) * 1000)))
        if deadline is not None and time.monotonic() >= deadline:
            print("subscriber: timed out", file=sys.stderr)
            status = 3
            break
        try:
            if not sub.poll(wait):
                continue
        except zmq.ZMQError:
            continue                            # interrupted by a signal
        frames = sub.recv_multipart()
        if len(frames) != 2:                    # always topic + message
            print("subscriber: skipping a message of %d frames" % len(frames),
                  file=sys.stderr)
            continue
        topic, payload = frames
        try:
            msg = msgpack.unpackb(payload, raw=False, strict_map_key=False)
        except Exception as e:
            print("subscriber: undecodable message on %r: %s" % (topic, e),
                  file=sys.stderr)
            continue
        # Readers skip versions and types they do not know.
        if not isinstance(msg, dict) or msg.get("v") != 1:
            print("subscriber: skipping a message of another version", file=sys.stderr)
            continue
        kind = msg.get("type")
        if "epoch" in msg:
            if epoch is not None and msg["epoch"] != epoch:
                print("daemon restarted: epoch %016x -> %016x" % (epoch, msg["epoch"]),
                      file=sys.stderr)
                last_seq = 0
            epoch = msg["epoch"]
        if kind in ("result", "reject"):
            seq = msg["seq"]
            if last_seq is not None and seq > last_seq + 1:
                print("missed seq %d..%d" % (last_seq + 1, seq - 1), file=sys.stderr)
            last_seq = seq
            numbered += 1
        if kind == "result":
            c = msg["counts"]
            codes = sorted({d["code"] for d in msg["diagnostics"]})
            print("result seq=%d id=%s source=%s errors=%d warnings=%d infos=%d codes=%s"
                  % (msg["seq"], msg["id"], msg.get("source", "-"), c["error"],
                     c["warning"], c["info"], ",".join(codes) or "-"))
        elif kind == "reject":
            print("reject seq=%d id=%s source=%s code=%s reason=%s"
                  % (msg["seq"], msg.get("id", "-"), msg.get("source", "-"),
                     msg["diagnostic"]["code"], one_line(msg["reason_en"])))
        elif kind == "stats":
            print("stats epoch=%016x received=%d linted=%d rejected=%d published=%d"
                  % (msg["epoch"], msg["received"], msg["linted"], msg["rejected"],
                     msg["published"]))
        else:
            print("subscriber: skipping a message of type %r" % kind, file=sys.stderr)
            continue
        sys.stdout.flush()
    sub.close()
    ctx.term()
    return status


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""test_malformed.py: 10,000 malformed messages on ingest (not MessagePack,
wrong types, missing fields, an empty body, a body over the limit, huge
declared lengths and counts, unknown versions and types, multipart
messages, deep nesting, bad ids …) interleaved with 1,000 good documents.
Every malformed one must get a reject with the right code and a non-empty
reason (matched by id when its id is readable, else counted by code), every
good one a result, and the daemon must still answer health afterwards.

    /usr/bin/python3 tests/integration/test_malformed.py GIDLINTD GIDLINT
"""
import collections
import os
import sys

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h

MAX_DOCUMENT = 65536
N_BAD = 10000
pack = h.msgpack.packb


def doc(**fields):
    m = {"v": 1, "type": "document"}
    m.update(fields)
    return pack(m, use_bin_type=True)


def nested(depth):
    m = {}
    for _ in range(depth):
        m = {"x": m}
    return m


# Malformed messages whose id the daemon can still read: (code, maker(id)).
# Their source is "mal" where the source itself is valid.
WITH_ID = [
    ("GID004", lambda i: doc(id=i, source="mal", body=b"x", v=2)),
    ("GID004", lambda i: pack({"type": "document", "id": i, "source": "mal", "body": b"x"})),
    ("GID004", lambda i: doc(id=i, source="mal", body=b"x", v="1")),
    ("GID004", lambda i: doc(id=i, source="mal", body=b"x", type=7)),
    ("GID004", lambda i: doc(id=i, source="mal", body=b"x", type="frobnicate")),
    ("GID004", lambda i: doc(id=i, source="mal", body=12345)),
    ("GID004", lambda i: doc(id=i, source="mal")),
    ("GID004", lambda i: doc(id=i, source="mal", body=b"x", lang="fr")),
    ("GID004", lambda i: doc(id=i, source="mal", body=b"x", lang=1)),
    ("GID004", lambda i: doc(id=i, source="mal", body=b"x", meta=[1, 2])),
    ("GID004", lambda i: doc(id=i, source="mal", body=b"x", name=3.5)),
    ("GID004", lambda i: doc(id=i, source="a/b", body=b"x")),
    ("GID002", lambda i: doc(id=i, source="mal", body=b"")),
    ("GID003", lambda i: doc(id=i, source="mal", body=b"\xe5" * (MAX_DOCUMENT + 1))),
]

# Malformed messages that name no readable id: (code, bytes or [frames]).
ANONYMOUS = [
    ("GID004", b"not msgpack at all"),
    ("GID004", b"\xc1"),                                # a byte that starts nothing
    ("GID004", b""),                                    # an empty frame
    ("GID004", doc(id="t", body=b"abc")[:-2]),          # truncated
    ("GID004", b"\x81\xa2id\xdb\xff\xff\xff\xff"),      # str of 4 GiB declared
    ("GID004", b"\x81\xa4body\xc6\x7f\xff\xff\xff"),    # bin of 2 GiB declared
    ("GID004", b"\xdf\xff\xff\xff\xff"),                # map of 4 G entries
    ("GID004", b"\xdd\x00\x10\x00\x00\xc0"),            # array of 1 M entries
    ("GID004", pack([1, 2, 3])),                        # not a map
    ("GID004", pack(42)),
    ("GID004", pack({1: 2})),                           # a key that is no str
    ("GID004", doc(id="n", body=b"x", meta=nested(40))),  # nesting too deep
    ("GID004", doc(body=b"x")),                         # no id
    ("GID004", doc(id=None, body=b"x")),                # nil id: absent
    ("GID004", doc(id=17, body=b"x")),
    ("GID004", doc(id="x" * 300, body=b"x")),
    ("GID004", b"\x84\xa1v\x01\xa4type\xa8document\xa2id\xa2\xff\xfe"
               b"\xa4body\xc4\x01x"),                  # an id that is not UTF-8
    ("GID004", doc(id="a\x01b", body=b"x")),            # control character
    ("GID004", doc(id="t", body=b"x") + b"\xc0"),       # a byte after the map
    ("GID004", b"\x85\xa1v\x01\xa1v\x01\xa4type\xa8document\xa4body\xc4\x01x\xa2id\xa1z"),  # v twice
    ("GID004", [doc(id="m1", body=b"x"), doc(id="m2", body=b"x")]),  # multipart
    # Over the message limit (not read, so no id): rejected, not dropped.
    ("GID003", doc(id="big", body=b"x" * MAX_DOCUMENT, meta={"p": "y" * (3 * MAX_DOCUMENT)})),
]


def main(gidlintd, gidlint):
    good_body = h.read(h.GOOD_2021)
    messages, by_id, anon = [], {}, collections.Counter()
    goods = []
    for n in range(N_BAD):
        if n % 10 == 0:
            gid = "good-%04d" % (n // 10)
            goods.append(gid)
            messages.append(h.document(gid, good_body, source="good"))
        if n % 2 == 0:
            code, make = WITH_ID[(n // 2) % len(WITH_ID)]
            bid = "bad-%05d" % n
            by_id[bid] = code
            messages.append(make(bid))
        else:
            code, payload = ANONYMOUS[(n // 2) % len(ANONYMOUS)]
            anon[code] += 1
            messages.append(payload)
    assert len(messages) == N_BAD * 11 // 10 and len(goods) == N_BAD // 10

    with h.Daemon(gidlintd, extra=["--max-document", str(MAX_DOCUMENT),
                                   "--max-message", str(4 * MAX_DOCUMENT)]) as d:
        sub = d.subscriber([b"result/", b"reject/"])
        sub.sync()
        d.push(messages)
        want = set(by_id) | set(goods)
        results, rejects_by_id, anon_got = {}, collections.defaultdict(list), collections.Counter()
        deadline = h.time.monotonic() + 120
        while h.time.monotonic() < deadline:
            if want <= (set(results) | set(rejects_by_id)) and anon_got == anon:
                break
            m = sub.recv(max(0.0, deadline - h.time.monotonic()))
            if m is None:
                break
            topic, msg = m
            if msg["type"] == "result":
                assert msg["id"] not in results, "two results for %s" % msg["id"]
                results[msg["id"]] = msg
                continue
            assert msg["type"] == "reject", msg
            diag = msg["diagnostic"]
            for k in ("reason_zh", "reason_en"):
                assert isinstance(msg[k], str) and msg[k].strip(), msg
            assert diag["message"].strip() and diag["severity"] == "error", msg
            assert diag["line"] == 1 and diag["column"] == 1, msg
            assert diag["name"] in ("bad-message", "empty-document", "too-large"), msg
            if "id" in msg:
                assert msg["id"] in by_id, "a reject for %r, which was sent good or " \
                    "without a readable id: %s" % (msg["id"], msg)
                rejects_by_id[msg["id"]].append(msg)
                src = "mal" if msg.get("source") == "mal" else "-"
                assert topic == ("reject/%s/" % src).encode(), (topic, msg)
            else:
                assert topic == b"reject/-/", (topic, msg)
                anon_got[diag["code"]] += 1

        for gid in goods:
            assert gid in results, "no result for %s" % gid
        for bid, code in by_id.items():
            got = rejects_by_id.get(bid)
            assert got, "no reject for %s (%s expected)" % (bid, code)
            assert len(got) == 1, "%d rejects for %s" % (len(got), bid)
            assert got[0]["diagnostic"]["code"] == code, (bid, code, got[0])
        assert anon_got == anon, "rejects without id: got %s, want %s" % (anon_got, anon)
        print("ok   %d malformed messages rejected with the right codes (%d by id: %s; "
              "%d without: %s), %d good documents linted"
              % (sum(anon.values()) + len(by_id), len(by_id),
                 dict(collections.Counter(by_id.values())), sum(anon.values()),
                 dict(anon), len(results)))
        # Still alive and well.
        hl = d.health()
        assert hl["accepting"] is True and hl["epoch"] == d.epoch, hl
        st = d.stats()
        assert st["rejected"] == N_BAD, st
        assert st["linted"] == N_BAD // 10 + d.probes, st
        r = d.lint(h.document("after", good_body))
        assert r["type"] == "result" and r["id"] == "after", r
        print("ok   healthy afterwards: health answers, stats count %d rejects" % N_BAD)
        sub.close()
        d.stop_and_check()


if __name__ == "__main__":
    h.run(main)

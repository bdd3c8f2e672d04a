#!/usr/bin/env python3
"""make_wire_corpus.py: writes the seed corpus of fuzz_wire (wire_corpus/).

Valid messages of every kind (docs/protocol.md) and a few broken ones, so
that the fuzzer starts from inside the protocol instead of from random
bytes.  It carries its own small MessagePack writer, so that it needs
nothing but Python 3.  Run it from anywhere; it rewrites the files it owns
and leaves any other file in wire_corpus/ alone (the fuzzer's finds).
"""
import os
import struct


def pack(o):
    """The smallest MessagePack encoding of o (bytes packs as bin)."""
    if o is None:
        return b"\xc0"
    if o is True:
        return b"\xc3"
    if o is False:
        return b"\xc2"
    if isinstance(o, int):
        if 0 <= o < 0x80:
            return bytes([o])
        if -32 <= o < 0:
            return struct.pack("b", o)
        if 0 <= o <= 0xFF:
            return b"\xcc" + struct.pack(">B", o)
        if 0 <= o <= 0xFFFF:
            return b"\xcd" + struct.pack(">H", o)
        if 0 <= o <= 0xFFFFFFFF:
            return b"\xce" + struct.pack(">I", o)
        if o >= 0:
            return b"\xcf" + struct.pack(">Q", o)
        return b"\xd3" + struct.pack(">q", o)
    if isinstance(o, float):
        return b"\xcb" + struct.pack(">d", o)
    if isinstance(o, str):
        b = o.encode("utf-8")
        if len(b) < 32:
            return bytes([0xA0 | len(b)]) + b
        if len(b) <= 0xFF:
            return b"\xd9" + bytes([len(b)]) + b
        return b"\xda" + struct.pack(">H", len(b)) + b
    if isinstance(o, bytes):
        if len(o) <= 0xFF:
            return b"\xc4" + bytes([len(o)]) + o
        return b"\xc5" + struct.pack(">H", len(o)) + o
    if isinstance(o, (list, tuple)):
        head = (bytes([0x90 | len(o)]) if len(o) < 16
                else b"\xdc" + struct.pack(">H", len(o)))
        return head + b"".join(pack(x) for x in o)
    if isinstance(o, dict):
        head = (bytes([0x80 | len(o)]) if len(o) < 16
                else b"\xde" + struct.pack(">H", len(o)))
        return head + b"".join(pack(k) + pack(v) for k, v in o.items())
    raise TypeError(type(o))


def seq_map(seq, fields):
    """A result or reject: map16, "seq" first as 0xcf + 8 bytes."""
    body = b"".join(pack(k) + pack(v) for k, v in fields.items())
    return (b"\xde" + struct.pack(">H", len(fields) + 1) + b"\xa3seq\xcf"
            + struct.pack(">Q", seq) + body)


REPORT = ("青山区人民政府办公室2022年政府信息公开工作年度报告\n\n"
          "一、总体情况\n\n2022年，本机关主动公开政府信息120条。\n").encode()

DOCUMENT = {"v": 1, "type": "document", "id": "doc-1", "body": REPORT}

FULL = {"v": 1, "type": "document", "id": "报告-2022-青山区",
        "body": REPORT, "name": "青山区.txt", "source": "crawler-1",
        "lang": "en",
        "meta": {"batch": 7, "tags": ["a", "b"], "score": 0.5,
                 "deep": {"x": None, "y": [1, -1, True]}}}

DIAG = {"code": "GID301", "name": "row-total", "severity": "error",
        "message": "总计应为 13，实际为 14", "line": 38, "column": 52,
        "end_line": 38, "end_column": 54, "byte_start": 1834,
        "byte_end": 1836, "section": "三", "table": "三",
        "row": "一、本年新收政府信息公开申请数量", "column_label": "总计",
        "expected": 13, "actual": 14}

RESULT = {"v": 1, "type": "result", "epoch": 0x1234567890ABCDEF,
          "daemon": "gidlintd", "id": "doc-1", "source": "crawler-1",
          "received": 1700000000.25, "processing_ms": 3.5,
          "title": "青山区人民政府办公室2022年政府信息公开工作年度报告",
          "body": "青山区人民政府办公室", "year": 2022, "edition": 2021,
          "counts": {"error": 1, "warning": 0, "info": 0},
          "diagnostics": [DIAG], "meta": {"batch": 7}}

REJECT = {"v": 1, "type": "reject", "epoch": 1, "daemon": "gidlintd",
          "received": 1700000000.5, "id": "doc-2",
          "diagnostic": {"code": "GID004", "name": "bad-message",
                         "severity": "error", "message": "缺少字段 body",
                         "line": 1, "column": 1},
          "reason_zh": "缺少字段 body", "reason_en": "missing field body"}

STATS = {"v": 1, "type": "stats", "epoch": 1, "daemon": "gidlintd",
         "now": 1700000100.0, "uptime": 100.0, "received": 10,
         "linted": 9, "rejected": 1, "published": 10, "in_flight": 0,
         "workers": 4,
         "latency": {"p50_ms": 1.5, "p99_ms": 20.0, "max_ms": 25.0},
         "codes": {"GID301": 3, "GID004": 1}}


def nested(depth):
    """A document whose meta makes the message nest depth deep."""
    inner = None
    for _ in range(depth - 1):
        inner = {"k": inner}
    return pack({"v": 1, "type": "document", "id": "deep", "body": b"x",
                 "meta": inner})


SEEDS = {
    "document_min.mp": pack(DOCUMENT),
    "document_full.mp": pack(FULL),
    "document_str_body.mp": pack(dict(DOCUMENT, body=REPORT.decode())),
    "health.mp": pack({"v": 1, "type": "health"}),
    "stats_req.mp": pack({"v": 1, "type": "stats"}),
    "result.mp": seq_map(42, RESULT),
    "reject.mp": seq_map(43, REJECT),
    "stats.mp": pack(STATS),
    "health_reply.mp": pack({"v": 1, "type": "health", "epoch": 1,
                             "daemon": "gidlintd", "accepting": True}),
    "truncated_document.mp": pack(FULL)[:57],
    "truncated_result.mp": seq_map(42, RESULT)[:200],
    "deep_8.mp": nested(8),
    "deep_16.mp": nested(16),
    "deep_17.mp": nested(17),
    "map32_huge_count.mp": b"\xdf\xff\xff\xff\xff",
    # {"v": 1, "type": "document", "id": <a str declaring 4 GB>}
    "str32_huge_length.mp": (b"\x83" + pack("v") + pack(1) + pack("type")
                             + pack("document") + pack("id")
                             + b"\xdb\xff\xff\xff\xffabc"),
    "version_2.mp": pack(dict(DOCUMENT, v=2)),
    "lang_fr_meta_int.mp": pack(dict(DOCUMENT, lang="fr", meta=3)),
    "trailing.mp": pack({"v": 1, "type": "health"}) + b"\x00",
    "empty_body.mp": pack(dict(DOCUMENT, body=b"")),
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "wire_corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print("wrote %d seeds to %s" % (len(SEEDS), out))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""test_seeds.py: the five sample reports pushed through ingest; the result
the daemon publishes for each must say exactly what `gidlint check --format
json` says for the same file: the same diagnostics, field for field, and the
same document fields.  The daemon and the offline client are one linter.

    /usr/bin/python3 tests/integration/test_seeds.py GIDLINTD GIDLINT
"""
import os
import sys

sys.dont_write_bytecode = True             # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gl_harness as h

# Fields of a result that are the document's (as in check's JSON object).
DOC_FIELDS = ("title", "body", "year", "edition")


def main(gidlintd, gidlint):
    with h.Daemon(gidlintd) as d:
        sub = d.subscriber([b"result/", b"reject/"])
        probe = sub.sync()
        d.push([h.document(p, h.read(p), name=os.path.basename(p),
                           source="seeds") for p in h.SEEDS])
        got, seen = h.collect(sub, h.SEEDS, timeout=30)
        missing = set(h.SEEDS) - set(got)
        if missing:
            h.fail("no result for %s" % sorted(missing))
        if len(seen) != len(h.SEEDS):
            h.fail("%d messages for %d documents" % (len(seen), len(h.SEEDS)))

        seqs = [m["seq"] for _, m in seen]
        if seqs != list(range(probe["seq"] + 1, probe["seq"] + 1 + len(seqs))):
            h.fail("seq not consecutive after the probe's %d: %s"
                   % (probe["seq"], seqs))

        for path in h.SEEDS:
            (r,) = got[path]
            status, want = h.check_json(gidlint, path)
            assert r["type"] == "result", r
            assert r["v"] == 1 and r["epoch"] == d.epoch, r
            assert r["daemon"] == d.name, r["daemon"]
            assert r["name"] == os.path.basename(path), r["name"]
            assert r["source"] == "seeds", r["source"]
            topic = [t for t, m in seen if m is r][0].decode()
            sev = [g["severity"] for g in want["diagnostics"]]
            kind = ("error" if "error" in sev else
                    "warning" if "warning" in sev else "clean")
            assert topic == "result/%s/seeds/" % kind, (path, topic)
            for f in DOC_FIELDS:
                assert r.get(f) == want.get(f), (path, f, r.get(f), want.get(f))
            if r["diagnostics"] != want["diagnostics"]:
                for a, b in zip(r["diagnostics"], want["diagnostics"]):
                    if a != b:
                        h.fail("%s: daemon %s\n   check %s" % (path, a, b))
                h.fail("%s: %d diagnostics from the daemon, %d from check"
                       % (path, len(r["diagnostics"]), len(want["diagnostics"])))
            counts = {s: sev.count(s) for s in ("error", "warning", "info")}
            assert r["counts"] == counts, (path, r["counts"], counts)
            assert (status == 1) == (counts["error"] > 0), (path, status)
            assert r["processing_ms"] >= 0 and r["received"] > 1.6e9, r
            print("ok   %s: %d diagnostics (%d errors) as check, topic %s"
                  % (path, len(sev), counts["error"], topic))
        sub.close()
        d.stop_and_check()


if __name__ == "__main__":
    h.run(main)

#!/usr/bin/env bash
# test_cli.sh: the gidlint command-line client, black-box: exit codes, text
# and JSON output, languages, standard input, the rules command.
#
#   bash tests/test_cli.sh build/bin/gidlint     (from the source tree; CTest
#                                                 runs it as the test "cli")
set -u
bin=${1:?usage: test_cli.sh PATH/TO/gidlint}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seed=examples/reports/002_0717abcba8b88f39.txt  # has errors (GID201, GID401)
good=tests/fixtures/good_2021.txt               # clean, when it exists
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

ok() { printf 'ok   %s\n' "$1"; }
fail() {
    printf 'FAIL %s\n' "$1"
    fails=$((fails + 1))
    sed 's/^/     | /' "$tmp/err" | head -n 5
}

# run WANT_STATUS NAME ARGS...: runs gidlint ARGS, stdout to $tmp/out and
# stderr to $tmp/err, and checks the exit status.
run() {
    local want=$1 name=$2
    shift 2
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok "$name"; else fail "$name: exit $got, want $want"; fi
}

# check NAME COMMAND...: a further condition on the last run's output.
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else fail "$name"; fi
}

has() { grep -Eq -- "$1" "${2:-$tmp/out}"; }

# ---- exit status ----------------------------------------------------------
if [ -f "$good" ]; then
    run 0 "clean document exits 0" check "$good"
    check "  summary counts no errors" has '^共检查 1 个文件：0 个错误，'
else
    echo "skip clean document: $good does not exist"
fi

run 1 "document with errors exits 1" check "$seed"
diag_re='^examples/reports/002_[0-9a-f]+\.txt:[0-9]+:[0-9]+: (error|warning|info) GID[0-9]{3} '
check "  compiler-style lines" has "$diag_re"
check "  expected/actual in Chinese" has ' \[应为 [0-9]+，实际 [0-9]+\]$'
check "  Chinese summary line" has '^共检查 1 个文件：[1-9][0-9]* 个错误，[0-9]+ 个警告，[0-9]+ 个提示$'

run 2 "missing file exits 2" check "$tmp/no-such-file.txt"
check "  says why on stderr" has 'no-such-file\.txt: No such file' "$tmp/err"
run 2 "missing file still checks the others (2 wins over 1)" check "$tmp/no-such-file.txt" "$seed"
check "  the other file's diagnostics" has "$diag_re"

run 2 "unknown option exits 2" check --no-such-option "$seed"
check "  names the option" has "unknown option '--no-such-option'" "$tmp/err"
run 2 "--disable NOPE exits 2" check --disable NOPE "$seed"
check "  names the rule" has "unknown rule 'NOPE'" "$tmp/err"
run 2 "bad --format exits 2" check --format xml "$seed"
run 2 "bad --lang exits 2" check --lang fr "$seed"
run 2 "no file exits 2" check
run 2 "unknown command exits 2" frobnicate

run 0 "--disable by code and by name, repeated" check --disable GID401 -d wrong-edition,GID501 "$seed"
check "  disabled rules are not reported" bash -c "! grep -Eq 'GID(401|201|501)' '$tmp/out'"

run 1 "--max-bytes: larger input gets GID003" check --max-bytes 100 "$seed"
check "  GID003 reported" has ' error GID003 '
run 2 "--max-bytes wants a number" check --max-bytes lots "$seed"

# ---- languages ------------------------------------------------------------
run 1 "--lang en" check --lang en "$seed"
check "  English summary" has '^1 file checked: [1-9][0-9]* errors?, [0-9]+ warnings?, [0-9]+ infos?$'
check "  expected/actual in English" has ' \[expected [0-9]+, actual [0-9]+\]$'
check "  no Chinese framing" bash -c "! grep -Eq '应为|共检查' '$tmp/out'"
check "  English message of GID201" has ' error GID201 [^ ]*[A-Za-z]+ '

# ---- standard input -------------------------------------------------------
"$bin" check "$seed" >"$tmp/from-file" 2>/dev/null
"$bin" check - <"$seed" >"$tmp/out" 2>"$tmp/err"
status=$?
if [ "$status" -eq 1 ]; then ok "'-' reads standard input"; else fail "'-' reads standard input: exit $status, want 1"; fi
check "  same diagnostics as from the file, named <stdin>" \
    diff <(sed "s|^$seed:|<stdin>:|" "$tmp/from-file") "$tmp/out"

# ---- JSON -----------------------------------------------------------------
if command -v python3 >/dev/null; then
    run 1 "--format json" check --format json "$seed" examples/reports/003_a4a657e448f740f7.txt
    check "  one object per file per line, with the required keys" python3 - "$tmp/out" <<'PY'
import json, sys
docs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert len(docs) == 2, len(docs)
need = {"code", "name", "severity", "message", "line", "column", "end_line",
        "end_column", "byte_start", "byte_end"}
for d in docs:
    assert d["file"].startswith("examples/reports/"), d["file"]
    assert isinstance(d["diagnostics"], list) and d["diagnostics"]
    assert d["year"] >= 2019, d.get("year")
    assert d["edition"] in (2019, 2021), d.get("edition")
    assert "title" in d and "政府信息公开工作年度报告" in d["title"]
    for g in d["diagnostics"]:
        assert need <= g.keys(), need - g.keys()
        assert None not in g.values(), g
        assert g["severity"] in ("error", "warning", "info")
        assert g["line"] >= 1 and g["column"] >= 1
        assert 0 <= g["byte_start"] <= g["byte_end"]
        if "section" in g:
            assert g["section"] in "一二三四五六", g["section"]
kinds = {type(g.get("expected")) for d in docs for g in d["diagnostics"]}
assert int in kinds, kinds
PY
    check "  UTF-8 left unescaped" bash -c "grep -q '政府信息公开' '$tmp/out' && ! grep -q '\\\\u' '$tmp/out'"

    run 1 "--format json --lang en" check -f json -l en "$seed"
    check "  English messages" python3 -c '
import json, re, sys
for d in map(json.loads, open(sys.argv[1], encoding="utf-8")):
    for g in d["diagnostics"]:
        assert re.search(r"[A-Za-z]{3}", g["message"]), g["message"]
' "$tmp/out"

    printf '' >"$tmp/empty.txt"
    run 1 "--format json on an empty document" check --format json "$tmp/empty.txt"
    check "  absent fields are omitted, not null" python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert not {"title", "body", "year", "edition"} & d.keys(), d.keys()
assert [g["code"] for g in d["diagnostics"]] == ["GID002"], d
' "$tmp/out"
else
    echo "skip JSON checks: python3 is not installed"
fi

# ---- rules, help, version -------------------------------------------------
run 0 "rules lists every rule" rules
check "  one line per rule, code first" has '^GID303 +balance +error +'
check "  at least 25 rules" test "$(grep -c '^GID[0-9]' "$tmp/out")" -ge 25
run 0 "rules --lang en" rules --lang en
check "  English summaries" bash -c "! grep -q '第三部分' '$tmp/out'"
run 0 "rules GID303 shows one rule" rules GID303
check "  documentation in both languages and an example" \
    bash -c "grep -q '^说明' '$tmp/out' && grep -q '^Description' '$tmp/out' && grep -q '^Example' '$tmp/out'"
run 0 "rules by name" rules balance
run 2 "unknown rule exits 2" rules GID999
run 0 "--version" --version
check "  prints the version" has '^gidlint [0-9]+\.[0-9]+\.[0-9]+$'
run 0 "--help" --help
run 0 "check --help" check --help
check "  lists the options" bash -c "grep -q -- '--disable' '$tmp/out' && grep -q -- '--max-bytes' '$tmp/out'"
run 2 "no command exits 2"

# ---- keygen and the CURVE options (the daemon side: daemon_curve) --------
run 0 "keygen writes a pair" keygen "$tmp/k"
check "  NAME.key and NAME.key_secret, the secret one 0600" \
    test "$(stat -c %a "$tmp/k.key_secret")" = 600 -a -f "$tmp/k.key"
check "  the public key in Z85" has '^.*/k\.key +public key "[^"]{40}"$'
run 2 "keygen does not overwrite" keygen "$tmp/k"
check "  says so" has 'k\.key: exists \(--force replaces it\)' "$tmp/err"
run 0 "keygen --force does" keygen --force "$tmp/k"
run 2 "keygen wants one NAME" keygen
run 2 "--server-key without --key" health --server-key "$tmp/k.key" --timeout 1
check "  says both are needed" has 'CURVE needs both' "$tmp/err"
run 2 "--key must be a secret certificate" stats --server-key "$tmp/k.key" --key "$tmp/k.key" --timeout 1
check "  says so" has 'k\.key: no secret-key' "$tmp/err"
GIDLINT_SERVER_KEY="$tmp/none.key" GIDLINT_KEY="$tmp/k.key_secret" \
    run 2 "GIDLINT_SERVER_KEY that is not there" watch --timeout 1
check "  names the file" has 'none\.key: No such file' "$tmp/err"
run 2 "push: the same" push --server-key "$tmp/k.key" --key "$tmp/none" "$seed"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all CLI checks passed"

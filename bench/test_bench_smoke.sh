#!/bin/bash
# The benchmark's smoke test: `gidlint-bench daemon` on a few documents
# runs the real daemon over both transports, exits 0 and prints every
# heading, and --csv writes one point per load and transport; with
# --broker 2, the same through gidlint-broker and two daemons.  Nothing
# about time is checked.
#   usage: test_bench_smoke.sh GIDLINT-BENCH GIDLINTD GIDLINT-BROKER
set -u
bench=$1 daemon=$2 broker=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

if ! "$bench" daemon --docs 200 --runs 1 --daemon "$daemon" --csv "$tmp/points.csv" \
        >"$tmp/out" 2>"$tmp/err"; then
    echo "gidlint-bench daemon failed:"; cat "$tmp/out" "$tmp/err"; exit 1
fi
cat "$tmp/out"
# summary OUTPUT WHAT HEADING...: each heading in the summary of each
# transport (from "T, median of" to "results missing").
summary () {
    local out=$1 what=$2 t h
    shift 2
    for t in tcp ipc; do
        for h in "$t, median of 1 run:" "$@"; do
            if ! sed -n "/^  $t, median of/,/results missing/p" "$out" | grep -qF -- "$h"; then
                echo "missing heading for $t$what: $h"; fail=1
            fi
        done
    done
}
summary "$tmp/out" "" "daemon at saturation" "engine alone, " \
    "libzmq PUSH->PULL" "latency at 25 %" "latency at 50 %" "latency at 75 %" \
    "control round trip (health)" "daemon RSS after warm-up" \
    "daemon peak RSS (VmHWM)" "results missing"
grep -q "figures are medians of 1 run" "$tmp/out" || { echo "missing: the number of runs"; fail=1; }
# header + 11 loads (10..90 %, 25 % and 75 %) per transport
lines=$(wc -l <"$tmp/points.csv")
if [ "$lines" -ne 23 ]; then
    echo "points.csv: $lines lines, expected 23"; cat "$tmp/points.csv"; fail=1
fi
head -1 "$tmp/points.csv" | grep -q '^transport,load_pct,rate_docs_s,saturation_docs_s,p50_ms,p99_ms,p999_ms$' \
    || { echo "points.csv: unexpected header"; fail=1; }

# Behind the broker: every daemon answered by name before the measurement,
# which then runs against the broker's frontends; the figures of processes
# are sums, with the broker's share.
if ! "$bench" daemon --docs 200 --runs 1 --broker 2 --daemon "$daemon" \
        --broker-bin "$broker" >"$tmp/bout" 2>"$tmp/berr"; then
    echo "gidlint-bench daemon --broker 2 failed:"; cat "$tmp/bout" "$tmp/berr"; exit 1
fi
cat "$tmp/bout"
for h in "broker + 2 daemons × 1 worker (2 workers in all)" \
         "sums over the broker and the daemons" "figures are medians of 1 run" \
         "broker + 2 daemons end to end over tcp" "broker + 2 daemons end to end over ipc"; do
    grep -qF -- "$h" "$tmp/bout" || { echo "missing with --broker: $h"; fail=1; }
done
summary "$tmp/bout" " with --broker" "broker + daemons at saturation" \
    "of which the broker" "engine alone, 2 threads" "libzmq PUSH->PULL" \
    "latency at 25 %" "latency at 50 %" "latency at 75 %" \
    "control round trip (health)" "RSS after warm-up, sum of 3 processes" \
    "peak RSS (VmHWM), sum of 3 processes" "the largest daemon" "results missing"

# usage errors exit 2
for args in "--transport udp" "--broker 0" "--broker 65" "--broker-bin gidlint-broker"; do
    "$bench" daemon $args >/dev/null 2>&1; rc=$?
    [ "$rc" -eq 2 ] || { echo "$args: exit $rc, expected 2"; fail=1; }
done
exit $fail

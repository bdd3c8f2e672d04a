#!/usr/bin/env bash
# test.sh: every test, under AddressSanitizer and UndefinedBehaviorSanitizer,
# then the engine under libFuzzer for FUZZ_SECONDS (default 60) seconds and
# the wire decoder for WIRE_FUZZ_SECONDS (default 60).
# Installs what is missing first (scripts/deps.sh).  Fails on any failing
# test and on anything the fuzzer finds (kept in build-fuzz/artifacts/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

scripts/deps.sh

echo "== tests under ASan/UBSan (build-asan/)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGIDLINT_SANITIZE=ON
cmake --build build-asan -j2
ctest --test-dir build-asan --output-on-failure -j2 | tee build-asan/ctest.log
# ctest's own summary, "N% tests passed, F tests failed out of T".
total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' build-asan/ctest.log | tail -n 1)
failed=$(sed -n 's/.* \([0-9]*\) tests failed out of.*/\1/p' build-asan/ctest.log | tail -n 1)
summary="tests: $((total - failed)) passed, ${failed} failed"

# The Debian package, installed and used as root (scripts/package-test.sh).
scripts/package-test.sh

if [ "$FUZZ_SECONDS" -le 0 ]; then
    echo "== fuzzing skipped (FUZZ_SECONDS=$FUZZ_SECONDS)"
    echo "$summary"
    exit 0
fi
# Runs one libFuzzer target from a copy of its committed seed corpus; any
# crash, leak or timeout fails the run and is kept in build-fuzz/artifacts/.
fuzz () {
    local target=$1 seconds=$2 corpus=$3 dict=$4
    echo "== fuzzing ${target} for ${seconds}s (build-fuzz/)"
    cmake --build build-fuzz -j2 --target "$target"
    cp -R "$corpus" "$work/$target.corpus"     # the fuzzer adds to its corpus
    build-fuzz/bin/"$target" -dict="$dict" -max_len=65536 \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
        -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/ \
        "$work/$target.corpus" 2>"$work/$target.log" || {
        tail -n 60 "$work/$target.log"
        echo "fuzzing ${target} found a problem; the input is in build-fuzz/artifacts/" >&2
        exit 1
    }
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' \
        "$work/$target.log" || true
    echo "fuzzing ${target}: nothing found in ${seconds}s"
}

cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DGIDLINT_FUZZ=ON \
      -DGIDLINT_TESTS=OFF
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p build-fuzz/artifacts
fuzz fuzz_engine "$FUZZ_SECONDS" tests/fuzz/corpus tests/fuzz/engine.dict
# The wire decoder: every message a producer or subscriber could send.
fuzz fuzz_wire "${WIRE_FUZZ_SECONDS:-60}" tests/fuzz/wire_corpus tests/fuzz/wire.dict
# The CURVE certificate reader: the files the daemon and the client read.
fuzz fuzz_cert "${CERT_FUZZ_SECONDS:-10}" tests/fuzz/cert_corpus tests/fuzz/cert.dict

# The closing line, after the fuzzers' output: the test counts again.
echo "$summary"

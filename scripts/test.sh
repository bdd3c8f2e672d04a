#!/usr/bin/env bash
# test.sh: every test, under AddressSanitizer and UndefinedBehaviorSanitizer,
# then the engine under libFuzzer for FUZZ_SECONDS (default 60) seconds.
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

if [ "$FUZZ_SECONDS" -le 0 ]; then
    echo "== fuzzing skipped (FUZZ_SECONDS=$FUZZ_SECONDS)"
    echo "$summary"
    exit 0
fi
echo "== fuzzing the engine for ${FUZZ_SECONDS}s (build-fuzz/)"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DGIDLINT_FUZZ=ON \
      -DGIDLINT_TESTS=OFF
cmake --build build-fuzz -j2 --target fuzz_engine
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R tests/fuzz/corpus "$work/corpus"     # the fuzzer adds to its corpus
mkdir -p build-fuzz/artifacts
build-fuzz/bin/fuzz_engine -dict=tests/fuzz/engine.dict -max_len=65536 \
    -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=30 \
    -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/ \
    "$work/corpus" 2>"$work/fuzz.log" || {
    tail -n 60 "$work/fuzz.log"
    echo "fuzzing found a problem; the input is in build-fuzz/artifacts/" >&2
    exit 1
}
grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' \
    "$work/fuzz.log" || true
echo "fuzzing: nothing found in ${FUZZ_SECONDS}s"
# The closing line, after the fuzzer's output: the test counts again.
echo "$summary"

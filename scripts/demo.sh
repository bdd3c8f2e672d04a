#!/usr/bin/env bash
# demo.sh: installs what is missing (scripts/deps.sh), builds gidlint into
# build/ and lints the five sample reports in examples/reports/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/deps.sh
cmake -S . -B build
cmake --build build -j"$(nproc)"

echo
echo "\$ build/bin/gidlint check examples/reports/*.txt"
status=0
build/bin/gidlint check examples/reports/*.txt || status=$?
echo
echo "gidlint exited with status $status (0: no errors found, 1: errors found" \
     "in the reports, 2: usage or I/O error)."
echo "More: build/bin/gidlint check --lang en --format json FILE," \
     "build/bin/gidlint rules, build/bin/gidlint --help."
[ "$status" -le 1 ]

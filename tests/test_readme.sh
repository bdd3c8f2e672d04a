#!/usr/bin/env bash
# test_readme.sh: the rule table in README.md (between the markers
# <!-- rules:begin --> and <!-- rules:end -->) must be exactly what the rule
# registry prints with `gidlint rules --markdown`, so the README cannot drift
# from the rules.  CTest runs it as the test "readme_rules".
#
#   bash tests/test_readme.sh build/bin/gidlint [README.md]
set -euo pipefail
bin=${1:?usage: test_readme.sh PATH/TO/gidlint [README.md]}
readme=${2:-$(dirname "${BASH_SOURCE[0]}")/../README.md}

if ! grep -q '^<!-- rules:begin -->$' "$readme" || ! grep -q '^<!-- rules:end -->$' "$readme"; then
    echo "$readme: the markers <!-- rules:begin --> and <!-- rules:end --> are missing" >&2
    exit 1
fi
have=$(awk '/^<!-- rules:end -->$/ { on = 0 } on && NF; /^<!-- rules:begin -->$/ { on = 1 }' "$readme")
want=$("$bin" rules --markdown)
if [ "$have" != "$want" ]; then
    echo "$readme: the rule table differs from 'gidlint rules --markdown'" >&2
    diff <(printf '%s\n' "$have") <(printf '%s\n' "$want") | sed 's/^/  /' >&2 || true
    echo "Paste the output of 'gidlint rules --markdown' between the markers." >&2
    exit 1
fi
echo "README rule table matches the registry ($(printf '%s\n' "$want" | grep -c '^| GID') rules)"

#!/usr/bin/env bash
# test_man.sh GIDLINT GIDLINTD: the man pages (man/gidlint.1, man/gidlintd.8)
# against the programs.  Fails when
#   - a command of `gidlint --help`, or a long option of `gidlint COMMAND
#     --help`, is not in gidlint.1;
#   - an option or setting of `gidlintd --help` (the flag and the INI key)
#     is not in gidlintd.8;
#   - a page's version (.TH) is not the programs' (--version);
#   - groff (groff -man -Tutf8 -ww) or man (man --warnings -l) warns about
#     either page.
# Run from the source tree (CTest does).
set -uo pipefail
gidlint=$1 gidlintd=$2 broker=${3:-}
fail=0
bad () { echo "FAIL: $*"; fail=1; }

# The roff source with \- read as -, so that options can be looked for.
plain () { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1"; }
has_opt () {    # has_opt TEXT OPTION: the option as a whole word
    grep -Eq -- "(^|[^a-zA-Z0-9_-])$2([^a-zA-Z0-9_-]|\$)" <<<"$1"
}

page1=$(plain man/gidlint.1)

commands=$("$gidlint" --help | sed -n 's/^  gidlint \([a-z][a-z]*\) .*/\1/p')
[ -n "$commands" ] || bad "no command found in 'gidlint --help'"
n=0
for c in $commands; do
    grep -q "^\.SS \"gidlint $c " <<<"$page1" || bad "gidlint.1 has no section for 'gidlint $c'"
    for o in $("$gidlint" "$c" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        has_opt "$page1" "$o" || bad "gidlint.1 lacks '$o' of 'gidlint $c'"
        n=$((n + 1))
    done
done
for o in --help --version; do
    has_opt "$page1" "$o" || bad "gidlint.1 lacks '$o'"
done
echo "gidlint.1: $(wc -w <<<"$commands") commands, $n options of theirs"

# A daemon's page (section 8) against its --help: every option, every
# setting (both programs print their settings from one table, gl_settings.c).
daemon_page () {
    local bin=$1 page=$2 text n=0
    text=$(plain "$page")
    for o in $("$bin" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        [ "$o" = "--SETTING" ] && continue
        has_opt "$text" "$o" || bad "$page lacks '$o'"
        n=$((n + 1))
    done
    keys=$("$bin" --help | sed -n 's/^  --[a-z-]*  *\[[a-z]*\] \([a-z_]*\):.*/\1/p')
    for k in $keys; do
        grep -q "\\\\fB$k =\\\\fR" "$page" || bad "$page lacks the setting '$k ='"
    done
    echo "$page: $n options, $(wc -w <<<"$keys") settings"
}
daemon_page "$gidlintd" man/gidlintd.8
pages=(man/gidlint.1 man/gidlintd.8)
if [ -n "$broker" ]; then
    daemon_page "$broker" man/gidlint-broker.8
    pages+=(man/gidlint-broker.8)
fi

version=$("$gidlint" --version | awk '{print $2}')
for p in "${pages[@]}"; do
    grep -q "^\.TH .* \"gidlint $version\"" "$p" || bad "$p: .TH does not say gidlint $version"
done
[ "$("$gidlintd" --version | awk '{print $2}')" = "$version" ] || bad "gidlint and gidlintd versions differ"

for p in "${pages[@]}"; do
    out=$(groff -man -Tutf8 -ww "$p" 2>&1 >/dev/null)
    [ -z "$out" ] || bad "groff warns about $p: $out"
    if command -v man >/dev/null 2>&1; then
        out=$(MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
        [ -z "$out" ] || bad "man warns about $p: $out"
    fi
done

[ $fail -eq 0 ] && echo PASS
exit $fail

#!/usr/bin/env bash
# package-test.sh: builds the Debian package and tests it installed, as a
# user of the package would meet it.
#
#   1. a Release build in build-pkg/ (no tests), installing under /usr;
#      `cpack -G DEB` there: build-pkg/gidlint_VERSION_ARCH.deb
#   2. as root only (CI is root): dpkg -i the package (apt-get install
#      ./the.deb when a dependency is missing), then from a clean shell
#      (env -i, a temporary directory, nothing of the build tree on any
#      path):
#        - gidlint --version; gidlint check on a sample report copied out,
#          its output and status identical to the build tree's gidlint's;
#        - man -w gidlint, gidlintd (when man-db is installed);
#        - a small C program built with `pkg-config --cflags --libs gidlint`
#          against the shared libgidlint.so.0, and again statically
#          (--static), lints the report: the codes gidlint check reports;
#        - /usr/sbin/gidlintd on the installed /etc/gidlint/gidlintd.conf,
#          endpoints moved to free loopback ports: gidlint health answers,
#          gidlint push --wait prints what check prints, SIGTERM exits 0;
#      systemd-analyze verify on every unit of deploy/systemd/ as installed
#      (a unit whose ExecStart binary is not in the package is reported
#      and skipped);
#   3. dpkg --purge gidlint, whatever happened: the machine is left as it
#      was.  A gidlint package installed beforehand is not touched: the
#      script stops instead.
# Not root: only step 1, and it says why the rest was skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=$(pwd)

echo "== Debian package (build-pkg/)"
mkdir -p build-pkg
log=build-pkg/package.log       # the build's output, shown when it fails
cmake -S . -B build-pkg -DCMAKE_BUILD_TYPE=Release -DGIDLINT_TESTS=OFF \
      -DCMAKE_INSTALL_PREFIX=/usr >$log 2>&1 || { cat $log; exit 1; }
cmake --build build-pkg -j2 >>$log 2>&1 || { tail -n 40 $log; exit 1; }
rm -f build-pkg/gidlint_*.deb
(cd build-pkg && cpack -G DEB) >>$log 2>&1 || { tail -n 40 $log; exit 1; }
deb=$(ls build-pkg/gidlint_*.deb)
echo "package: $deb, $(stat -c %s "$deb") bytes"
echo "Depends: $(dpkg-deb -f "$deb" Depends)"
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles 2>/dev/null || true)
[ "$conffiles" = "$(cat cmake/conffiles)" ] || {
    echo "FAIL: conffiles is '$conffiles', not those of cmake/conffiles" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
    echo "== package install test skipped: it installs and purges the package with dpkg, which needs root"
    exit 0
fi
if dpkg-query -W -f='${Status}' gidlint 2>/dev/null | grep -qx 'install ok installed'; then
    echo "FAIL: a gidlint package is installed already; not replacing it (dpkg --purge gidlint first)" >&2
    exit 1
fi

work=$(mktemp -d /tmp/gidlint-pkg.XXXXXX)
chmod 755 "$work"
cleanup () {
    for p in gidlintd broker; do
        if [ -f "$work/$p.pid" ]; then
            kill -KILL "$(cat "$work/$p.pid")" 2>/dev/null || true
        fi
    done
    dpkg --purge gidlint >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== dpkg -i $deb"
if ! dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
    cat "$work/dpkg.log"
    echo "dependencies missing: apt-get install ./$(basename "$deb")"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$src/$deb"
fi
dpkg -L gidlint | grep -E '/(gidlint|gidlintd|gidlint-broker|gidlint-broker\.conf|gidlint-broker\.8\.gz|libgidlint\.so\.0|gidlint\.pc|gidlintd\.conf|gidlint\.1\.gz|gidlintd\.8\.gz|.*\.service)$'

# The report, and what the build tree's gidlint says about it.
seed=002_0717abcba8b88f39.txt
cp "examples/reports/$seed" "$work/$seed"
set +e
(cd "$work" && "$src/build-pkg/bin/gidlint" check "$seed" >"$work/expected.txt")
expected_rc=$?
set -e
version=$(sed -n 's/^project(gidlint VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

echo "== the installed programs, from a clean shell in $work"
(cd "$work" && env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$work" LANG=C.UTF-8 \
    bash -s -- "$seed" "$expected_rc" "$version" <<'INSTALLED'
set -euo pipefail
seed=$1 expected_rc=$2 version=$3
fail () { echo "FAIL: $*" >&2; exit 1; }

[ "$(command -v gidlint)" = /usr/bin/gidlint ] || fail "gidlint is $(command -v gidlint)"
[ "$(command -v gidlintd)" = /usr/sbin/gidlintd ] || fail "gidlintd is $(command -v gidlintd)"
[ "$(gidlint --version)" = "gidlint $version" ] || fail "gidlint --version: $(gidlint --version)"
[ "$(gidlintd --version)" = "gidlintd $version" ] || fail "gidlintd --version: $(gidlintd --version)"
echo "gidlint --version: $(gidlint --version)"

rc=0; gidlint check "$seed" >check.txt || rc=$?
[ "$rc" = "$expected_rc" ] || fail "installed gidlint check exits $rc, the build tree's $expected_rc"
cmp -s check.txt expected.txt || { diff expected.txt check.txt; fail "gidlint check: output differs from the build tree's"; }
echo "gidlint check $seed: $(tail -n 1 check.txt) (exit $rc), as the build tree's"

if command -v man >/dev/null 2>&1; then
    echo "man -w: $(man -w gidlint) $(man -w gidlintd)"
    [ "$(man -w gidlintd)" = /usr/share/man/man8/gidlintd.8.gz ] || fail "man -w gidlintd"
else
    echo "man -w: skipped (man-db not installed)"
fi

# The engine from C, through pkg-config: the codes gidlint check reports.
cat >lint.c <<'C'
#include <gidlint/gidlint.h>
#include <stdio.h>
#include <stdlib.h>

int
main (int argc, char **argv)
{
    static char buf[1 << 20];
    FILE *f = argc > 1 ? fopen (argv[1], "rb") : NULL;
    size_t len = f ? fread (buf, 1, sizeof buf, f) : 0;
    gl_engine_t *engine = gl_engine_new ();
    gl_doc_t *doc = NULL;
    if (!f || !engine || gl_engine_lint (engine, buf, len, GL_LANG_ZH, &doc) != GL_OK)
        return 2;
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        printf ("%s\n", d[i].code);
    gl_doc_destroy (&doc);
    gl_engine_destroy (&engine);
    fclose (f);
    return 0;
}
C
sed '$d' check.txt | awk '{print $3}' >codes.txt
cc -std=c11 -Wall -Werror -o lint lint.c $(pkg-config --cflags --libs gidlint)
deps=$(ldd ./lint)      # (not piped into grep -q: SIGPIPE under pipefail)
grep -Eq 'libgidlint\.so\.0 => /(usr/)?lib/.*/libgidlint\.so\.0 ' <<<"$deps" \
    || fail "lint does not use the installed libgidlint.so.0: $deps"
./lint "$seed" >lint.txt
cmp -s lint.txt codes.txt || { diff codes.txt lint.txt; fail "the C program's codes differ from gidlint check's"; }
cc -std=c11 -Wall -Werror -o lint-static lint.c $(pkg-config --cflags gidlint) \
   -Wl,-Bstatic $(pkg-config --static --libs gidlint) -Wl,-Bdynamic
deps=$(ldd ./lint-static)
! grep -q libgidlint <<<"$deps" || fail "lint-static links libgidlint dynamically: $deps"
./lint-static "$seed" >lint-static.txt
cmp -s lint-static.txt codes.txt || fail "the static C program's codes differ from gidlint check's"
echo "C program, pkg-config gidlint (shared and --static): the $(wc -l <codes.txt) codes of gidlint check"

# The installed daemon on its installed configuration, on free ports.
read -r p1 p2 p3 < <(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
ingest=tcp://127.0.0.1:$p1 results=tcp://127.0.0.1:$p2 control=tcp://127.0.0.1:$p3
/usr/sbin/gidlintd --config /etc/gidlint/gidlintd.conf --workers 2 \
    --ingest "$ingest" --results "$results" --control "$control" 2>gidlintd.log &
echo $! >gidlintd.pid
for i in $(seq 1 50); do
    gidlint health --control "$control" --timeout 0.3 >health.txt 2>/dev/null && break
    kill -0 "$(cat gidlintd.pid)" 2>/dev/null || { cat gidlintd.log; fail "gidlintd exited"; }
done
grep -q '^accepting: *true' health.txt || { cat gidlintd.log; fail "gidlint health: $(cat health.txt)"; }
echo "gidlint health: $(tr -s ' \n' ' ' <health.txt)"
rc=0; gidlint push --wait --control "$control" "$seed" >push.txt || rc=$?
[ "$rc" = "$expected_rc" ] || fail "gidlint push --wait exits $rc, check $expected_rc"
cmp -s push.txt check.txt || { diff check.txt push.txt; fail "push --wait differs from check"; }
echo "gidlint push --wait $seed: as check (exit $rc)"
kill -TERM "$(cat gidlintd.pid)"
rc=0; wait "$(cat gidlintd.pid)" || rc=$?
rm -f gidlintd.pid
[ "$rc" = 0 ] || { cat gidlintd.log; fail "gidlintd exited $rc after SIGTERM"; }
echo "gidlintd: SIGTERM, exit 0"

# The installed broker on its installed configuration, and the installed
# daemon behind it (endpoints that connect), on free ports.
read -r f1 f2 f3 f4 b1 b2 b3 b4 < <(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(8)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
ep () { echo "tcp://127.0.0.1:$1"; }
[ "$(command -v gidlint-broker)" = /usr/sbin/gidlint-broker ] || fail "gidlint-broker is $(command -v gidlint-broker)"
/usr/sbin/gidlint-broker --config /etc/gidlint/gidlint-broker.conf \
    --frontend-ingest "$(ep $f1)" --frontend-results "$(ep $f2)" \
    --frontend-control "$(ep $f3)" --frontend-route "$(ep $f4)" \
    --backend-ingest "$(ep $b1)" --backend-results "$(ep $b2)" \
    --backend-control "$(ep $b3)" --backend-route "$(ep $b4)" 2>broker.log &
echo $! >broker.pid
/usr/sbin/gidlintd --config /etc/gidlint/gidlintd.conf --name pkg1 --workers 1 \
    --ingest ">$(ep $b1)" --results ">$(ep $b2)" \
    --control ">$(ep $b3),>$(ep $b4)" 2>gidlintd.log &
echo $! >gidlintd.pid
for i in $(seq 1 50); do
    gidlint health --daemon pkg1 --control "$(ep $f4)" --timeout 0.3 >health.txt 2>/dev/null && break
    sleep 0.1
done
grep -q '^daemon: *pkg1' health.txt || { cat broker.log gidlintd.log; fail "health of pkg1 through the broker: $(cat health.txt)"; }
rc=0; gidlint push --wait --control "$(ep $f3)" "$seed" >push.txt || rc=$?
[ "$rc" = "$expected_rc" ] || fail "gidlint push --wait through the broker exits $rc, check $expected_rc"
cmp -s push.txt check.txt || { diff check.txt push.txt; fail "push --wait through the broker differs from check"; }
echo "gidlint-broker and gidlintd behind it: health of pkg1 by name, push --wait as check"
for p in gidlintd broker; do
    kill -TERM "$(cat $p.pid)"
    rc=0; wait "$(cat $p.pid)" || rc=$?
    rm -f $p.pid
    [ "$rc" = 0 ] || { cat $p.log; fail "$p exited $rc after SIGTERM"; }
done
echo "gidlintd, gidlint-broker: SIGTERM, exit 0"
INSTALLED
)

echo "== systemd-analyze verify"
unitdir=$(dpkg -L gidlint | sed -n 's|/gidlintd\.service$||p')
for unit in deploy/systemd/*.service; do
    name=$(basename "$unit")
    installed="$unitdir/$name"
    [ -f "$installed" ] || { echo "FAIL: $name is not installed in $unitdir" >&2; exit 1; }
    exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$installed")
    [ -x "$exe" ] || { echo "FAIL: $name: its ExecStart $exe is not installed" >&2; exit 1; }
    man=yes
    command -v man >/dev/null 2>&1 || man=no
    if ! out=$(systemd-analyze verify --man="$man" "$installed" 2>&1) || [ -n "$out" ]; then
        echo "$out"
        echo "FAIL: systemd-analyze verify $installed" >&2
        exit 1
    fi
    echo "$name: verified"
done

echo "== dpkg --purge gidlint"
dpkg --purge gidlint >/dev/null
if dpkg-query -W -f='${Status}' gidlint 2>/dev/null | grep -qx 'install ok installed' \
   || [ -e /usr/bin/gidlint ] || [ -e /etc/gidlint/gidlintd.conf ]; then
    echo "FAIL: gidlint still installed after dpkg --purge" >&2
    exit 1
fi
echo "package test: passed (installed, used, verified and purged)"

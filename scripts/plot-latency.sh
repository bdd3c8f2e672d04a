#!/usr/bin/env bash
# plot-latency.sh: draws gidlintd's latency against load (docs/latency.svg).
#
#   scripts/plot-latency.sh [POINTS.csv] [OUT.svg]
#
# With a CSV (written by `gidlint-bench daemon --csv FILE`), plots it.
# Without, runs the benchmark first:
#
#   build-rel/bin/gidlint-bench daemon --csv docs/latency.csv $BENCH_ARGS
#
# (BENCH, default build-rel/bin/gidlint-bench; BENCH_ARGS, default
# "--runs 3"), keeping the CSV next to the plot.  OUT defaults to
# docs/latency.svg.  Needs gnuplot: installs gnuplot-nox with apt-get when
# it is missing (not a build or test dependency, so not in deps.sh).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
csv=${1:-}
out=${2:-$root/docs/latency.svg}

if [ -z "$csv" ]; then
    bench=${BENCH:-$root/build-rel/bin/gidlint-bench}
    if [ ! -x "$bench" ]; then
        echo "plot-latency.sh: $bench not found; build it first:" >&2
        echo "  cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel -j2" >&2
        exit 1
    fi
    csv=$root/docs/latency.csv
    # shellcheck disable=SC2086
    "$bench" daemon --csv "$csv" ${BENCH_ARGS:---runs 3}
fi
[ -s "$csv" ] || { echo "plot-latency.sh: no points in $csv" >&2; exit 1; }

if ! command -v gnuplot >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y --no-install-recommends gnuplot-nox >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One file per transport: load %, p50, p99, p99.9 (ms); and the title's
# saturation rates.
title="gidlintd: latency from send to result against load\\n"
sep=""
for t in tcp ipc; do
    awk -F, -v t="$t" 'NR > 1 && $1 == t { print $2, $5, $6, $7 }' "$csv" \
        | sort -n >"$tmp/$t.dat"
    sat=$(awk -F, -v t="$t" 'NR > 1 && $1 == t { print $4; exit }' "$csv")
    if [ -n "$sat" ]; then
        title="$title$sep$t saturation $(printf '%.0f' "$sat") docs/s"
        sep=", "
    fi
done

plots=()
[ -s "$tmp/tcp.dat" ] && plots+=(
    "'$tmp/tcp.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'tcp p50'"
    "'$tmp/tcp.dat' using 1:3 with linespoints lw 2 pt 5 lc rgb '#d62728' title 'tcp p99'"
    "'$tmp/tcp.dat' using 1:4 with linespoints lw 1 pt 9 lc rgb '#9467bd' title 'tcp p99.9'")
[ -s "$tmp/ipc.dat" ] && plots+=(
    "'$tmp/ipc.dat' using 1:2 with linespoints lw 2 dt 2 pt 6 lc rgb '#1f77b4' title 'ipc p50'"
    "'$tmp/ipc.dat' using 1:3 with linespoints lw 2 dt 2 pt 4 lc rgb '#d62728' title 'ipc p99'"
    "'$tmp/ipc.dat' using 1:4 with linespoints lw 1 dt 2 pt 8 lc rgb '#9467bd' title 'ipc p99.9'")
[ ${#plots[@]} -gt 0 ] || { echo "plot-latency.sh: no tcp or ipc rows in $csv" >&2; exit 1; }
plots+=("2 with lines lw 1 dt 3 lc rgb '#2ca02c' title 'target p99 < 2 ms (tcp, 50 %)'")

spec=$(IFS=,; echo "${plots[*]}")
gnuplot <<EOF
set terminal svg size 960,560 dynamic enhanced font 'sans,12' background '#ffffff'
set output '$out'
set title "$title" font 'sans,13'
set xlabel 'load, % of the measured saturation rate'
set ylabel 'latency, ms (log scale)'
set logscale y
set xrange [0:100]
set xtics 10
set grid ytics mytics xtics lc rgb '#dddddd'
set key outside right top box
plot $spec
EOF
echo "plot-latency.sh: wrote $out from $csv"

#!/usr/bin/env bash
# demo.sh: installs what is missing (scripts/deps.sh), builds gidlint into
# build/, then runs the streaming daemon end to end on loopback:
#
#   1. starts build/bin/gidlintd in the background on three free ports,
#      its log in a temporary file, and waits until it answers health;
#   2. starts `gidlint watch --count 5` in the background (a subscriber);
#   3. `gidlint push examples/reports/` sends the five sample reports;
#   4. prints what the watcher printed, one block per report;
#   5. stops the daemon with SIGTERM, waits for it and shows its last log
#      lines.
#
# Everything it starts is stopped on the way out, whatever happens.
# BUILD_DIR=dir builds there instead of build/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${BUILD_DIR:-build}

scripts/deps.sh
cmake -S . -B "$build"
cmake --build "$build" -j"$(nproc)"

gidlint=$build/bin/gidlint
work=$(mktemp -d)
daemon_pid= watch_pid=
cleanup() {
    for pid in $watch_pid $daemon_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# Three ports the OS says are free (bound to port 0 together, released).
read -r p_ingest p_results p_control < <(python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
export GIDLINT_INGEST=tcp://127.0.0.1:$p_ingest
export GIDLINT_RESULTS=tcp://127.0.0.1:$p_results
export GIDLINT_CONTROL=tcp://127.0.0.1:$p_control

echo
echo "\$ $build/bin/gidlintd --ingest $GIDLINT_INGEST --results $GIDLINT_RESULTS" \
     "--control $GIDLINT_CONTROL 2>daemon.log &"
"$build/bin/gidlintd" --name demo --ingest "$GIDLINT_INGEST" \
    --results "$GIDLINT_RESULTS" --control "$GIDLINT_CONTROL" \
    2>"$work/daemon.log" &
daemon_pid=$!
for _ in $(seq 50); do      # up to 10 s
    if "$gidlint" health --timeout 0.2 >"$work/health" 2>/dev/null; then
        break
    fi
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon.log"; exit 1; }
done
echo "\$ gidlint health"
cat "$work/health"

echo
echo "\$ gidlint watch --count 5 >watch.txt &"
"$gidlint" watch --count 5 --timeout 15 >"$work/watch.txt" 2>&1 &
watch_pid=$!
# A subscriber misses what is published before its subscription reaches the
# daemon; on loopback that takes milliseconds.
sleep 1
echo "\$ gidlint push examples/reports/"
"$gidlint" push examples/reports/
status=0
wait "$watch_pid" || status=$?
watch_pid=
echo
echo "\$ cat watch.txt    # the watcher's output (exit status $status)"
cat "$work/watch.txt"

echo
echo "\$ gidlint stats"
"$gidlint" stats

echo
echo "\$ kill -TERM $daemon_pid; wait $daemon_pid"
kill -TERM "$daemon_pid"
daemon_status=0
wait "$daemon_pid" || daemon_status=$?
daemon_pid=
echo "gidlintd exited with status $daemon_status; the end of its log:"
tail -n 6 "$work/daemon.log"
echo
echo "More: scripts/demo.sh lints through the daemon; build/bin/gidlint check" \
     "examples/reports/*.txt lints in process; build/bin/gidlint --help."
[ "$status" -eq 0 ] && [ "$daemon_status" -eq 0 ]

#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages gidlint needs to build and test,
# if any is missing.  Safe to run again: with everything installed it does
# nothing.  Uses sudo when not root.
#
#   build:   build-essential cmake pkg-config libutf8proc-dev libjansson-dev
#   tests:   libcmocka-dev python3 (tests/test_cli.sh reads the JSON output),
#            python3-zmq python3-msgpack (tests/integration/, the daemon's
#            tests, run with /usr/bin/python3)
#   fuzzing: clang libclang-rt-14-dev (libFuzzer, sanitizer runtimes)
#   daemon:  libzmq3-dev libmsgpack-dev libev-dev libinih-dev (the streaming
#            daemon: ZeroMQ, MessagePack, the event loop, its INI file),
#            libsystemd-dev (sd_notify: readiness under systemd)
#   package: dpkg-dev (dpkg-shlibdeps, for cpack's Debian package), groff-base
#            and man-db (tests/test_man.sh renders the man pages), systemd
#            (systemd-analyze verify on the units; scripts/package-test.sh)
set -euo pipefail

packages=(build-essential cmake pkg-config clang libclang-rt-14-dev
          libcmocka-dev libutf8proc-dev libjansson-dev
          libzmq3-dev libmsgpack-dev libev-dev libinih-dev libsystemd-dev
          dpkg-dev groff-base man-db systemd
          python3 python3-zmq python3-msgpack)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps.sh: not a Debian system; install the equivalents of:" >&2
    echo "  ${packages[*]}" >&2
    exit 0
fi

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps.sh: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "deps.sh: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"

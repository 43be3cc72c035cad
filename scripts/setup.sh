#!/usr/bin/env bash
# Set up minigrad on a fresh Debian machine with Python, pip and apt.
#   bash scripts/setup.sh          # the project + training extras (for python -m train.mnist)
#   bash scripts/setup.sh --test   # + system tools and everything the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"

if [ "$mode" = "--test" ]; then
    # Graphviz's dot (viz), Chromium + driver (demo end-to-end test), Open MPI (distributed).
    pkgs="graphviz chromium chromium-driver openmpi-bin libopenmpi-dev"
    missing=""
    for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -n "$missing" ]; then
        SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
    fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$mode" = "--test" ]; then
    .venv/bin/python -m pip install -q -e ".[dev,oracle,train,demo,e2e,docs,distributed]"
else
    .venv/bin/python -m pip install -q -e ".[train]"
fi
echo "setup: done (.venv)"

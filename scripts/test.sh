#!/usr/bin/env bash
# The test command: lint, then the whole suite (doctests and docs examples included).
set -euo pipefail
cd "$(dirname "$0")/.."
export MINIGRAD_DATA="${MINIGRAD_DATA:-$(cd .. && pwd)/shared/data}"
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -q "$@"

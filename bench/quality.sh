#!/usr/bin/env bash
# Rerun the benchmark quality scores from a checkout (needs ../shared beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/clean-articles ] || { python3 -m venv .venv && .venv/bin/pip install -q -e .; }
exec .venv/bin/python bench/quality.py "$@"

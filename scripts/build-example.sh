#!/usr/bin/env bash
# Set up (if needed) and build the example meeting, the 120th Tokyo Metropolitan Technical
# Council, into build/council-120/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/council build examples/council-120 -o build/council-120 "$@"

#!/usr/bin/env bash
# Set up (if needed, with the test clients), check the types, and run the whole test suite.
# Arguments are passed to pytest. A type error fails the run before the tests start
# (mypy's settings: [tool.mypy] in pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test-clients
.venv/bin/python -m mypy src/council_materials plugins/*/src
exec .venv/bin/python -m pytest "$@"

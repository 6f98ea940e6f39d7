#!/usr/bin/env bash
# Set up (if needed, with the test clients) and run the whole test suite.
# Arguments are passed to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test-clients
exec .venv/bin/python -m pytest "$@"

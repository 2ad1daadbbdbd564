#!/usr/bin/env bash
# Set everything up, then lint and run the whole test suite (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export OMP_THREAD_LIMIT=1
.venv/bin/ruff check .
# Tests start their own SeaweedFS, certomancer and SoftHSM2 token; PostgreSQL and Redis are used
# on 127.0.0.1 when they answer and started by the fixtures otherwise.
.venv/bin/python -m pytest -n "${HOSO_TEST_PROCESSES:-2}" --dist loadgroup "$@"

#!/bin/sh
# Installs the test tools and runs every test: the whole suite on SQLite, then on PostgreSQL.
# PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/adelante).
# Without a reachable server the PostgreSQL run is skipped and said so, unless
# ADELANTE_REQUIRE_POSTGRES=1 (as .ci/run sets), which makes it a failure.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# axe-core for the accessibility checks in the browser tests (skipped, and said so, without npm).
if command -v npm >/dev/null 2>&1; then
  npm ci --silent --no-audit --no-fund
fi

PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/adelante}
export DEBUG=0
export ADELANTE_DATA_DIR="${ADELANTE_DATA_DIR:-$(mktemp -d)}"

echo "== ruff and mypy"
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
echo "== the layers (import contracts in pyproject.toml, CONTRIBUTING.md)"
.venv/bin/lint-imports --no-cache --no-logo

echo "== tests on SQLite"
DATABASE_URL= .venv/bin/pytest "$@"

if .venv/bin/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL unreachable at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" .venv/bin/pytest "$@"
elif [ "${ADELANTE_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL is required (ADELANTE_REQUIRE_POSTGRES=1) but unreachable: failing." >&2
  exit 1
else
  echo "== PostgreSQL SKIPPED: no server reachable at $PG_URL; only SQLite was tested."
fi

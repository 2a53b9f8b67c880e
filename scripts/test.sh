#!/bin/sh
# Installs the test tools and runs every test: ruff and mypy, and the whole suite on SQLite and
# on PostgreSQL, all three at once, each suite in parallel workers (pytest-xdist, one per CPU).
# How tests run, and how to run them one at a time: docs/testing.md.
#
# PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/adelante); the tests
# use databases of their own, test_adelante_<run id>_gw<n>, dropped at the end (even when a run
# is interrupted), so runs at the same time never meet. Without a reachable server the
# PostgreSQL run is skipped and said so, unless ADELANTE_REQUIRE_POSTGRES=1 (as .ci/run sets),
# which makes it a failure.
#
# ADELANTE_TEST_WORKERS: workers per suite (default: the number of CPUs; 0: no workers, each
# test in this process). ADELANTE_TEST_ONE_AT_A_TIME=1: the three phases one after another.
# Arguments go to pytest (sh scripts/test.sh tests/figures -x).
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
WORKERS=${ADELANTE_TEST_WORKERS:-$(.venv/bin/python -c 'import os; print(len(os.sched_getaffinity(0)))')}
export DEBUG=0
# One id for this run: in the PostgreSQL test databases' names (tests/conftest.py).
ADELANTE_TEST_RUN_ID=${ADELANTE_TEST_RUN_ID:-r$(date +%s)_$$}
export ADELANTE_TEST_RUN_ID
WORK=$(mktemp -d "${TMPDIR:-/tmp}/adelante-test.XXXXXX")
started=$(date +%s)

pg_reachable() {
  .venv/bin/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL unreachable at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}

# Whatever happens: drop this run's PostgreSQL test databases if any are left (a run killed
# before pytest could), and the temporary data directories.
cleanup() {
  if [ "${PG_OK:-0}" = 1 ]; then
    .venv/bin/python - "$PG_URL" "$ADELANTE_TEST_RUN_ID" <<'PY' || true
import sys, psycopg
url, run = sys.argv[1], sys.argv[2]
with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
    names = [n for (n,) in db.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                      [f"test\\_%\\_{run}%"])]
    for name in names:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped the leftover test database {name}")
PY
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PG_OK=0
if pg_reachable; then
  PG_OK=1
elif [ "${ADELANTE_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL is required (ADELANTE_REQUIRE_POSTGRES=1) but unreachable: failing." >&2
  exit 1
fi

# One phase: its name, then the command. Writes WORK/<name>.log and WORK/<name>.status.
phase() {
  name=$1
  shift
  begin=$(date +%s)
  if "$@" >"$WORK/$name.log" 2>&1; then status=0; else status=$?; fi
  echo "$status $(($(date +%s) - begin))" >"$WORK/$name.status"
}
lint() {
  .venv/bin/ruff check src tests benchmarks &&
    .venv/bin/ruff format --check src tests benchmarks &&
    .venv/bin/mypy &&
    echo "the layers (import contracts in pyproject.toml, CONTRIBUTING.md):" &&
    .venv/bin/lint-imports --no-cache --no-logo
}
suite() {
  # $1: the database URL (empty: SQLite); $2: the markers this suite leaves to the other one;
  # the rest: pytest's arguments. Each suite writes to a data directory of its own (uploads,
  # static files), each worker to a subdirectory of it.
  url=$1
  leave=$2
  shift 2
  data=$(mktemp -d "$WORK/data.XXXXXX")
  if DATABASE_URL="$url" ADELANTE_DATA_DIR="$data" ADELANTE_TEST_DESELECT="$leave" \
    .venv/bin/pytest -n "$WORKERS" --durations=15 "$@"; then
    return 0
  else
    status=$?
  fi
  # No test collected (5) only because every test asked for runs in the other suite (say,
  # `sh scripts/test.sh tests/browser`): not a failure, as long as the paths hold tests.
  if [ "$status" = 5 ] && [ -n "$leave" ] &&
    DATABASE_URL="$url" .venv/bin/pytest --collect-only -q "$@" >/dev/null 2>&1; then
    echo "(every test asked for runs in the other suite: $leave)"
    return 0
  fi
  return "$status"
}

phases="lint sqlite"
if [ "$PG_OK" = 1 ]; then
  phases="$phases postgresql"
  echo "== ruff and mypy; tests on SQLite and on PostgreSQL ($PG_URL)"
else
  echo "== ruff and mypy; tests on SQLite"
fi
echo "   $WORKERS worker(s) per suite; run id $ADELANTE_TEST_RUN_ID"
# Which suite runs what (docs/testing.md, "Which suite"): every test runs on both databases,
# except the browser tests, which run once, against PostgreSQL (production's database), and the
# tests marked any_database (they start processes on an embedded database of their own, so the
# suite's database changes nothing), which run once, in the SQLite suite. Without PostgreSQL
# the SQLite suite runs them all.
if [ "$PG_OK" = 1 ]; then sqlite_leaves=browser; else sqlite_leaves=; fi
if [ "${ADELANTE_TEST_ONE_AT_A_TIME:-0}" = 1 ]; then
  phase lint lint
  phase sqlite suite "" "$sqlite_leaves" "$@"
  if [ "$PG_OK" = 1 ]; then phase postgresql suite "$PG_URL" any_database "$@"; fi
else
  phase lint lint &
  phase sqlite suite "" "$sqlite_leaves" "$@" &
  if [ "$PG_OK" = 1 ]; then phase postgresql suite "$PG_URL" any_database "$@" & fi
  wait
fi

failed=0
for name in $phases; do
  case $name in
    lint) title="ruff, mypy and the layers" ;;
    sqlite) title="tests on SQLite" ;;
    postgresql) title="tests on PostgreSQL ($PG_URL)" ;;
  esac
  echo
  echo "== $title"
  cat "$WORK/$name.log"
  read -r status seconds <"$WORK/$name.status"
  # Any status but 0 fails, pytest's 5 (no test collected) included.
  if [ "$status" = 0 ]; then
    echo "== $title: passed in ${seconds}s"
  else
    echo "== $title: FAILED (exit status $status) in ${seconds}s"
    failed=1
  fi
done
echo
for name in $phases; do
  read -r status seconds <"$WORK/$name.status"
  printf '   %-12s %4ss  %s\n' "$name" "$seconds" "$([ "$status" = 0 ] && echo passed || echo "FAILED ($status)")"
done
echo "== all phases: $(($(date +%s) - started))s"
if [ "$PG_OK" = 0 ]; then
  echo "== PostgreSQL SKIPPED: no server reachable at $PG_URL; only SQLite was tested."
fi
exit "$failed"

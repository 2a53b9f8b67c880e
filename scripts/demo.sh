#!/bin/sh
# Installs Adelante, loads the real public record into the embedded SQLite database and serves
# the portal on http://127.0.0.1:8000. Running it again loads nothing twice.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
export DEBUG="${DEBUG:-1}"
exec .venv/bin/python -m adelante.demo "$@"

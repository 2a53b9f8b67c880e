#!/bin/sh
# Lighthouse (npm `lighthouse`, Debian's Chromium) on the portal serving the real public record:
# mobile scores of the overview, the explorer, a commitment, a partner and a country page, in
# English and Spanish; fails below Performance 95, Accessibility 100, Best Practices 100 and
# SEO 100 (docs/portal.md, "Lighthouse", has the latest table).
#
# The portal runs as in production (DEBUG off, gunicorn, WhiteNoise's compressed static files)
# on a fresh embedded database in a temporary data directory, over plain HTTP on loopback.
#
#   scripts/lighthouse.sh            # needs `npm ci` and /usr/bin/chromium (CHROME_PATH)
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
PORT=${LIGHTHOUSE_PORT:-8123}
DATA=$(mktemp -d)
export ADELANTE_DATA_DIR="$DATA"
export DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY="lighthouse-only-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export DATABASE_URL="" LOG_LEVEL=ERROR ADELANTE_TASK_BACKEND=immediate
unset DJANGO_SETTINGS_MODULE
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

"$PYTHON" -m adelante.cli migrate --verbosity 0
"$PYTHON" -m adelante.cli import record >/dev/null
"$PYTHON" -m adelante.cli collectstatic --noinput --verbosity 0
"$PYTHON" -m gunicorn -c deploy/gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers 2 --log-level warning \
  adelante.wsgi:application &
SERVER=$!
for _ in $(seq 60); do
  "$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz')" \
    2>/dev/null && break
  sleep 0.5
done
node scripts/lighthouse.mjs "http://127.0.0.1:$PORT" "${LIGHTHOUSE_REPORTS:-test-artifacts/lighthouse}"

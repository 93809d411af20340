#!/bin/sh
# The container's install, start and health steps, kept in one place: the Dockerfile runs
# them, and tests/test_container.py runs the very same steps without Docker.
#   container.sh install WHEEL...   create $DESCENT_VENV and install the wheel(s) into it
#   container.sh start              serve on $DESCENT_HOST:$DESCENT_PORT (0.0.0.0:8000)
#   container.sh health             exit 0 when /healthz answers 200
set -eu
VENV="${DESCENT_VENV:-/opt/descent}"
HOST="${DESCENT_HOST:-0.0.0.0}"
PORT="${DESCENT_PORT:-8000}"
WORKERS="${DESCENT_WORKERS:-1}"

case "${1:-}" in
install)
    shift
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --no-cache-dir --disable-pip-version-check -q "$@"
    ;;
start)
    exec "$VENV/bin/descent" serve --host "$HOST" --port "$PORT" --workers "$WORKERS"
    ;;
health)
    exec "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/healthz', timeout=3)"
    ;;
*)
    echo "usage: container.sh install WHEEL... | start | health" >&2
    exit 2
    ;;
esac

#!/bin/sh
# The container's install, start and health steps, kept in one place: the Dockerfile runs
# them, and tests/test_container.py runs the very same steps without Docker.
#   container.sh install WHEEL...   create $DESCENT_VENV and install the wheel(s) into it
#   container.sh start              serve on $DESCENT_HOST:$DESCENT_PORT (0.0.0.0:8000); with
#                                   more than one worker and no DESCENT_REDIS_URL, first start
#                                   redis-server on a Unix socket for classroom rooms
#   container.sh health             exit 0 when /healthz answers 200
set -eu
VENV="${DESCENT_VENV:-/opt/descent}"
HOST="${DESCENT_HOST:-0.0.0.0}"
PORT="${DESCENT_PORT:-8000}"
WORKERS="${DESCENT_WORKERS:-1}"
REDIS_DIR="${DESCENT_REDIS_DIR:-${TMPDIR:-/tmp}/descent-redis}"

# Rooms cross worker processes through Redis: run Debian's redis-server on a Unix socket
# (memory only, no TCP port) and point the workers at it.
start_redis() {
    if ! command -v redis-server >/dev/null 2>&1; then
        echo "container.sh: no redis-server; classroom rooms stay within one worker" >&2
        return 0
    fi
    mkdir -p "$REDIS_DIR" && chmod 700 "$REDIS_DIR"
    redis-server --port 0 --unixsocket "$REDIS_DIR/redis.sock" --unixsocketperm 700 \
        --save '' --appendonly no --dir "$REDIS_DIR" --daemonize yes \
        --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
    tries=0
    while [ ! -S "$REDIS_DIR/redis.sock" ] && [ "$tries" -lt 50 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    export DESCENT_REDIS_URL="unix://$REDIS_DIR/redis.sock"
}

case "${1:-}" in
install)
    shift
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --no-cache-dir --disable-pip-version-check -q "$@"
    ;;
start)
    if [ -z "${DESCENT_REDIS_URL:-}" ] && [ "$WORKERS" != "1" ]; then
        start_redis
    fi
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

#!/usr/bin/env bash
# One entry point for people and CI.
#   ./run.sh          install everything, load demo data, start web + Celery worker + beat
#   ./run.sh test     install everything and run the whole test suite in parallel (extra args go to pytest)
#   ./run.sh setup    install only
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
PORT=${PORT:-8000}
HOST=${HOST:-127.0.0.1}
VENV=.venv
PY=$VENV/bin/python

setup() {
  if [ ! -x "$PY" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  # Reinstall only when the dependency list changed.
  local stamp=$VENV/.installed
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q -e ".[dev]"
    touch "$stamp"
  fi
  "$PY" manage.py vendor_assets
  "$PY" manage.py migrate --noinput -v0
}

start() {
  setup
  # The demo's accounts keep their published password past the 90-day rule only here.
  export DEMO_MODE=${DEMO_MODE:-1}
  "$PY" manage.py seed_demo
  mkdir -p var/log
  local pids=()
  cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
  trap cleanup EXIT INT TERM
  "$VENV/bin/celery" -A congress worker --pool=solo --loglevel=INFO >var/log/worker.log 2>&1 &
  pids+=($!)
  "$VENV/bin/celery" -A congress beat --loglevel=INFO -s var/celerybeat-schedule >var/log/beat.log 2>&1 &
  pids+=($!)
  echo
  echo "Celery worker and beat are running (logs in var/log/)."
  echo "打开 http://$HOST:$PORT/ 登录（演示账号见上，密码 Demo@2026）；后台管理 http://$HOST:$PORT/admin/ ；接口文档 http://$HOST:$PORT/api/v1/docs/"
  echo
  # Production settings by default (DEBUG off; static files are served by WhiteNoise).
  DJANGO_DEBUG=${DJANGO_DEBUG:-0} "$PY" manage.py runserver "$HOST:$PORT" --noreload
}

case "${1:-start}" in
  start) start ;;
  setup) setup ;;
  # One test process per core (TEST_WORKERS=0 runs them in this process); each worker has its
  # own test database, and a test file stays on one worker so its module fixtures are built once.
  test) shift; setup; exec "$PY" -m pytest -n "${TEST_WORKERS:-auto}" --dist loadfile "$@" ;;
  *) echo "usage: $0 [start|test|setup]" >&2; exit 2 ;;
esac

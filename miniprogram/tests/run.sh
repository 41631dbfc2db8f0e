#!/usr/bin/env bash
# The mini-program's tests in Node: the client module's unit tests, and the journey against the
# backend served here on the embedded defaults (a fresh SQLite under a temporary directory).
# MINIPROGRAM_REPORT=path writes a JUnit report too.
set -euo pipefail
cd "$(dirname "$0")/../.."

var="$(mktemp -d)"
port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export WXALBUM_VAR_DIR="$var" DJANGO_DEBUG=true WXALBUM_ENV_FILE=
.venv/bin/python manage.py migrate --no-input --verbosity 0
.venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload >"$var/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$var"' EXIT
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done

reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [ -n "${MINIPROGRAM_REPORT:-}" ]; then
    reporters+=(--test-reporter=junit "--test-reporter-destination=$MINIPROGRAM_REPORT")
fi
cd miniprogram
npm ci --no-audit --no-fund --silent
WXALBUM_API="http://127.0.0.1:$port" node --test "${reporters[@]}" tests/

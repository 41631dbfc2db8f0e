#!/bin/sh
# The image's one entry point: the same image is the API, a worker, the scheduler or a command,
# chosen by the command, or by WXALBUM_PROCESS where a platform runs the image's default
# command only (a second Cloud Hosting service for the worker: WXALBUM_PROCESS=worker).
#   web              gunicorn on 0.0.0.0:$PORT (80, what WeChat Cloud Hosting expects), with
#                    $WEB_CONCURRENCY workers (2); migrations first when RUN_MIGRATIONS=1
#   worker           a Celery worker with its outbox relay
#   beat             the scheduler (one per deployment)
#   manage <args>    a management command: manage migrate, manage createsuperuser ...
#   anything else    run as given
set -eu

command="${1:-${WXALBUM_PROCESS:-web}}"
[ "$#" -gt 0 ] && shift

case "$command" in
  web)
    if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
      wxalbum migrate --no-input
    fi
    export GUNICORN_BIND="${GUNICORN_BIND:-0.0.0.0:${PORT:-80}}"
    export GUNICORN_WORKERS="${GUNICORN_WORKERS:-${WEB_CONCURRENCY:-2}}"
    exec gunicorn -c python:config.gunicorn_conf config.wsgi "$@"
    ;;
  worker)
    exec celery -A config.worker worker --loglevel=INFO "$@"
    ;;
  beat)
    exec celery -A config.worker beat --loglevel=INFO \
      --schedule="${WXALBUM_VAR_DIR:-/srv/wxalbum/var}/celerybeat-schedule" "$@"
    ;;
  manage)
    exec wxalbum "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac

"""gunicorn for production: `gunicorn -c python:config.gunicorn_conf config.wsgi` (installed),
`gunicorn -c gunicorn.conf.py config.wsgi` in a checkout, or `make serve`.

Threaded workers, because comment edit and delete may wait up to LEGACY_BACKEND_TIMEOUT on the
legacy permission backend and logins on WeChat: a thread waiting on the network must not hold
a whole process. Every value can be overridden from the environment.
"""

import logging
import multiprocessing
import os

from config.env import env_bool, env_int

# Loopback unless asked: gunicorn's threads must not face slow clients directly. In production
# nginx (docs/nginx.conf) or a buffering load balancer stands in front; see docs/operations.md.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count())
threads = env_int("GUNICORN_THREADS", 8)

# A request may wait on WeChat (5 s) or the legacy backend (2 s), and an upload is processed
# in the request (about 1 s for 12 MP); 30 s is far beyond all of them.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5  # behind a load balancer that reuses connections; keep it below the LB's idle
# The project is imported once, in the master, and workers are forked from it (config/wsgi.py
# warms what they share): a worker's start costs a fork, not an import of the whole project
# (about 1 s of CPU, which at 5,000 requests per worker life was ~200 us per request at peak).
# Code is reloaded by starting a new master (USR2, or a restart), not by HUP.
preload_app = env_bool("GUNICORN_PRELOAD", True)
# Recycle workers now and then, staggered, so a slow leak cannot grow for ever.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10

# Trust X-Forwarded-* only from the load balancer's addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-" if env_bool("GUNICORN_ACCESS_LOG", True) else None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = "config.gunicorn_logging.JsonLogger"


def worker_exit(server, worker):
    """Move a leaving worker's counted visits to the database (they live in its memory when
    there is no Redis); with Redis this just flushes early."""
    from django.apps import apps

    if not apps.ready or not apps.is_installed("shortlinks"):
        return  # another WSGI app under this configuration (the benchmarks' baselines)
    try:
        from shortlinks.services import visits_flush

        visits_flush()
    except Exception:
        logging.getLogger("wxalbum").exception("visit flush on worker exit failed")

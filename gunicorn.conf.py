"""gunicorn's configuration for a checkout: `gunicorn -c gunicorn.conf.py config.wsgi`.

The settings live in the package (config/gunicorn_conf.py), so an installed wheel serves the
same way with `gunicorn -c python:config.gunicorn_conf config.wsgi`.
"""

from config.gunicorn_conf import *  # noqa: F403

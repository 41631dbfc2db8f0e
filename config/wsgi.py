"""WSGI entry point for gunicorn.

gunicorn loads this module once in its master (`preload_app`, config/gunicorn_conf.py) and
forks the workers from it, so `warm()` builds here, once, what each worker would otherwise
build on its first requests: the URL map and every view module it imports, the translation
catalogs and the share pages' templates, then freezes it out of the garbage collector's sight.
A worker that is recycled (`max_requests`) starts as a fork, not as a second import of the
whole project.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.startup import settings_or_exit  # noqa: E402

settings_or_exit()
application = get_wsgi_application()


def warm() -> None:
    from django.conf import settings
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().resolve("/healthz")  # imports the URL conf, hence every view
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Open in WeChat")  # loads the catalogs
    for name in ("shortlinks/landing.html", "shortlinks/unavailable.html"):
        get_template(name)
    connections.close_all()  # nothing above queries; a forked worker must inherit no socket


warm()
# What is loaded by now lives as long as the process. Frozen, the garbage collector never walks
# it again: its full collections walked the whole project (tens of milliseconds each, the p99
# of a scan and a quarter of a resolve's CPU under load), and they wrote to every object's
# header, un-sharing the memory a forked worker shares with the master.
gc.freeze()

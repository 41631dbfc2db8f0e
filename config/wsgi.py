"""WSGI entry point for gunicorn.

gunicorn loads this module once in its master (`preload_app`, config/gunicorn_conf.py) and
forks the workers from it, so `warm()` builds here, once, what each worker would otherwise
build on its first requests: the URL map and every view module it imports, the translation
catalogs and the share pages' templates. A worker that is recycled (`max_requests`) then
starts as a fork, not as a second import of the whole project.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

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

"""What every entry point (manage.py and `wxalbum`, gunicorn, celery) does first: load the
settings, and stop with one line naming the setting when one is missing or misspelt."""

import sys

from django.core.exceptions import ImproperlyConfigured


def settings_or_exit() -> None:
    """Load config.settings; on a configuration error, print it on one line and exit (2)."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 (the first read loads the module)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"wxalbum: {exc}\n")
        raise SystemExit(2) from None

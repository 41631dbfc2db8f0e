"""The Celery app as workers and beat load it (`celery -A config.worker worker`, `... beat`):
the settings first, so a missing or misspelt one stops start-up with one line naming it."""

import sys

from django.conf import settings

from config.celery import app
from config.startup import settings_or_exit

settings_or_exit()
if settings.CELERY_TASK_ALWAYS_EAGER:
    sys.stderr.write(
        "wxalbum: no broker (set CELERY_BROKER_URL or REDIS_URL): tasks run in the process that "
        "sends them, so this one runs its own share only (a worker: the outbox's due tasks; "
        "beat: the scheduled commands).\n"
    )

__all__ = ["app"]

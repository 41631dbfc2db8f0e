"""The task queue: Celery, configured from Django's settings (the CELERY_* names).

With a broker (CELERY_BROKER_URL, by default REDIS_URL) tasks go to workers (`make worker`);
without one (the embedded default) they run in-process when enqueued, so `make run` needs
nothing else. Tasks are enqueued only after the transaction that asked for them commits.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("wxalbum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

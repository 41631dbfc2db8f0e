"""The task queue: Celery, configured from Django's settings (the CELERY_* names).

With a broker (CELERY_BROKER_URL, by default REDIS_URL) tasks go to workers (`make worker`);
without one (the embedded default) they run in-process after the commit that asked for them,
so `make run` needs nothing else. Work that follows a change is written to the outbox in the
change's transaction (outbox.services), and each worker's relay publishes it.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("wxalbum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""The project's configuration package. Loading it loads the Celery app, so `@shared_task`
tasks bind to it in web processes and workers alike."""

from config.celery import app as celery_app

__all__ = ["celery_app"]

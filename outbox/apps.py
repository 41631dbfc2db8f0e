from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Background tasks")

    def ready(self):
        from celery import signals

        from outbox.services import worker_ticker

        # Each worker publishes the outbox's due messages itself: with the broker down, the
        # relay is what publishes them once it is back, and it needs nothing from the broker.
        signals.worker_ready.connect(
            lambda **kwargs: worker_ticker.ensure_running(), weak=False,
            dispatch_uid="outbox.relay.start",
        )  # fmt: skip
        signals.worker_shutdown.connect(
            lambda **kwargs: worker_ticker.stop(), weak=False, dispatch_uid="outbox.relay.stop"
        )

"""The transactional outbox: work that must follow a commit, written in the same transaction."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One piece of background work: a task to run with its arguments, until it is done.

    Written by `outbox.services.enqueue` inside the transaction of the change that asks for
    it, so the work exists exactly when the change does. The relay publishes it to the broker
    when `publish_at` has come, and moves `publish_at` on (further each time), so it is
    published again if it was not done by then; the task claims it for a lease
    (`lease_until`), so two copies never run at once, and marks it done.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting or running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    task = models.CharField(max_length=100, verbose_name=_("task"))
    args = models.JSONField(default=list, verbose_name=_("args"))
    state = models.CharField(
        max_length=8, choices=State.choices, default=State.PENDING, verbose_name=_("state")
    )
    # When the relay publishes it next: at once, after a retry's backoff, or again if it was
    # not done in time. Empty once it is done or failed.
    publish_at = models.DateTimeField(null=True, blank=True, verbose_name=_("publish at"))
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))
    publications = models.PositiveSmallIntegerField(default=0, verbose_name=_("publications"))
    lease_until = models.DateTimeField(null=True, blank=True, verbose_name=_("lease until"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        indexes = [
            models.Index(fields=["publish_at"], name="outbox_publish_at"),  # the relay's
            models.Index(fields=["task", "state"], name="outbox_task_state"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} #{self.pk}"

"""The transactional outbox: work that must follow a commit, written in the same transaction."""

from django.db import models


class Message(models.Model):
    """One piece of background work: a task to run with its arguments, until it is done.

    Written by `outbox.services.enqueue` inside the transaction of the change that asks for
    it, so the work exists exactly when the change does. The relay publishes it to the broker
    when `publish_at` has come, and moves `publish_at` on (further each time), so it is
    published again if it was not done by then; the task claims it for a lease
    (`lease_until`), so two copies never run at once, and marks it done.
    """

    class State(models.TextChoices):
        PENDING = "pending", "waiting or running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    task = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    # When the relay publishes it next: at once, after a retry's backoff, or again if it was
    # not done in time. Empty once it is done or failed.
    publish_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    publications = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "background task"
        indexes = [
            models.Index(fields=["publish_at"], name="outbox_publish_at"),  # the relay's
            models.Index(fields=["task", "state"], name="outbox_task_state"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} #{self.pk}"

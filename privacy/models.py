"""A user's copy of their data (PIPL art. 45): one zip in storage, built on the task queue."""

from django.conf import settings
from django.db import models


class Export(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", "Preparing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="exports")  # fmt: skip
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARING)
    key = models.CharField(max_length=255, blank=True, help_text="The zip's object key.")
    size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"]),
                   models.Index(fields=["created_at"])]  # fmt: skip

    def __str__(self) -> str:
        return f"Export {self.pk} of {self.user_id}"

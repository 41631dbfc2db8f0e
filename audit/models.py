"""The activity log: who changed what, when. Services write it in the transaction of the change."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class LogEntry(models.Model):
    """One change: an actor (a user, staff, or nobody for the system), a stable action name such
    as `album.deleted`, the object it touched, and a small JSON of what changed."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the system (scheduled commands, background work).",
    )
    # Kept beside the foreign key so the entry still says who it was after the user is gone.
    actor_label = models.CharField(max_length=150, blank=True)
    actor_is_staff = models.BooleanField(default=False)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=32, blank=True, help_text="e.g. album, comment")
    object_id = models.CharField(max_length=64, blank=True)
    # Dates, times and decimals in a change are written as DRF and Django write them.
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name_plural = "log entries"
        indexes = [
            models.Index(fields=["object_type", "object_id", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
            models.Index(fields=["action", "-created_at"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.action} {self.object_type}:{self.object_id} by {self.actor_label or 'system'}"
        )

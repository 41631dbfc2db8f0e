"""The activity log: who changed what, when. Services write it in the transaction of the change."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class LogEntry(models.Model):
    """One change: an actor (a user, staff, or nobody for the system), a stable action name such
    as `album.deleted`, the object it touched, and a small JSON of what changed."""

    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for the system (scheduled commands, background work)."),
        verbose_name=_("actor"),
    )
    # Kept beside the foreign key so the entry still says who it was after the user is gone.
    actor_label = models.CharField(max_length=150, blank=True, verbose_name=_("actor label"))
    actor_is_staff = models.BooleanField(default=False, verbose_name=_("actor is staff"))
    action = models.CharField(max_length=64, verbose_name=_("action"))
    object_type = models.CharField(
        max_length=32, blank=True, help_text=_("e.g. album, comment"), verbose_name=_("object type")
    )
    object_id = models.CharField(max_length=64, blank=True, verbose_name=_("object id"))
    # Dates, times and decimals in a change are written as DRF and Django write them.
    data = models.JSONField(
        default=dict, blank=True, encoder=DjangoJSONEncoder, verbose_name=_("data")
    )

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        indexes = [
            models.Index(fields=["object_type", "object_id", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
            models.Index(fields=["action", "-created_at"]),
        ]

    def __str__(self) -> str:
        return gettext("%(action)s %(type)s:%(id)s by %(actor)s") % {
            "action": self.action,
            "type": self.object_type,
            "id": self.object_id,
            "actor": self.actor_label or gettext("the system"),
        }

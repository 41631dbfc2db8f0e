"""The activity log in the admin: read-only, filterable by actor, action and object."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import LogEntry
from config.admin import ReadOnlyAdmin


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    """Pruned by `manage.py prune_activity_log`, never edited by hand."""

    list_display = ["created_at", "who", "actor_is_staff", "action", "object_type",
                    "object_id", "data"]  # fmt: skip
    list_filter = ["action", "object_type", "actor_is_staff", "created_at"]
    search_fields = ["actor_label", "object_id", "=actor__id", "actor__nickname"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    @admin.display(description=_("actor"), ordering="actor_label")
    def who(self, entry: LogEntry) -> str:
        """A user as nickname and openid (as they are now); the label kept at the time for
        an account since deleted, and the system for none."""
        if entry.actor is not None:
            return entry.actor.for_staff
        return entry.actor_label or _("the system")

"""The activity log in the admin: read-only, filterable by actor, action and object."""

from django.contrib import admin

from audit.models import LogEntry
from config.admin import ReadOnlyAdmin


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    """Pruned by `manage.py prune_activity_log`, never edited by hand."""

    list_display = ["created_at", "actor_label", "actor_is_staff", "action", "object_type",
                    "object_id", "data"]  # fmt: skip
    list_filter = ["action", "object_type", "actor_is_staff", "created_at"]
    search_fields = ["actor_label", "object_id", "=actor__id"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

"""Background tasks in the admin: what failed after its retries (or at once, for a bug), with
a retry action; what is waiting; what was done lately (pruned after a week)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import ModerationActions, ReadOnlyAdmin
from outbox import services
from outbox.models import Message


@admin.register(Message)
class MessageAdmin(ModerationActions, ReadOnlyAdmin):
    list_display = ["id", "task", "args", "state", "attempts", "publish_at", "created_at",
                    "finished_at", "short_error"]  # fmt: skip
    list_filter = ["state", "task"]
    search_fields = ["=id", "last_error"]
    ordering = ["-id"]
    actions = ["retry"]

    @admin.display(description=_("Last error"))
    def short_error(self, message: Message) -> str:
        return message.last_error[:120]

    @admin.action(permissions=["moderate"], description=_("Run the selected failed tasks again"))
    def retry(self, request, queryset):
        retried = sum(
            services.message_retry(message=message, actor=request.user)
            for message in queryset.filter(state=Message.State.FAILED)
        )
        text = ngettext("%(n)d task will run again.", "%(n)d tasks will run again.", retried)
        self.message_user(request, text % {"n": retried}, messages.SUCCESS)

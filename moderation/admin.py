"""What the admin shows of held texts, for any model whose texts wait in `held_<field>`
columns (albums, photos, users): a filter for those waiting, the held text beside the shown
one, and approve/reject actions that call the model's own service."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from moderation import media
from moderation.services import held_fields, holding


class WaitingFilter(admin.SimpleListFilter):
    """A review queue's states: only those the queue holds (review, risky)."""

    title = _("state")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [(state, media.Review(state).label) for state in media.FOR_STAFF]

    def queryset(self, request, queryset):
        return queryset.filter(review=self.value()) if self.value() else queryset


class HeldTextFilter(admin.SimpleListFilter):
    title = _("held text")
    parameter_name = "held"

    def __init__(self, request, params, model, model_admin):
        self.texts = model_admin.held_texts
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [("yes", _("Waiting for staff"))]

    def queryset(self, request, queryset):
        return queryset.filter(holding(self.texts)) if self.value() == "yes" else queryset


class HeldTextsAdmin:
    """Mix into a ModelAdmin that has config.admin.ModerationActions; set `held_texts` (the
    field names), `moderate_texts(obj, actor, approve)` (the service), and list the actions
    "approve_held_texts" and "reject_held_texts" and the filter HeldTextFilter."""

    held_texts: tuple[str, ...] = ()

    def moderate_texts(self, obj, actor, approve: bool):
        raise NotImplementedError

    @admin.display(description=_("Text waiting for staff"))
    def held_text(self, obj):
        held = held_fields(obj, self.held_texts)
        return "; ".join(f"{name}: {getattr(obj, f'held_{name}')}" for name in held) or "-"

    @admin.action(permissions=["moderate"],
                  description=_("Approve the held texts (everyone sees them)"))  # fmt: skip
    def approve_held_texts(self, request, queryset):
        self._release(request, queryset, approve=True)

    @admin.action(permissions=["moderate"],
                  description=_("Reject the held texts (the previous ones stay)"))  # fmt: skip
    def reject_held_texts(self, request, queryset):
        self._release(request, queryset, approve=False)

    def _release(self, request, queryset, *, approve: bool):
        done = 0
        for obj in queryset:
            if held_fields(obj, self.held_texts):
                self.moderate_texts(obj, request.user, approve)
                done += 1
        text = (ngettext("Approved the held texts of %(n)d item.",
                         "Approved the held texts of %(n)d items.", done)
                if approve else
                ngettext("Rejected the held texts of %(n)d item.",
                         "Rejected the held texts of %(n)d items.", done))  # fmt: skip
        self.message_user(request, text % {"n": done}, messages.SUCCESS)

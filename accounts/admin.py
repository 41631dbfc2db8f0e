"""Users in the admin: staff accounts managed by Django's auth; WeChat users read-only, except
for staff's decisions on a nickname or an avatar held for review."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import avatars, services
from accounts.models import Avatar, AvatarInReview, User
from config.admin import ModerationActions
from media import storage
from moderation import media
from moderation.admin import HeldTextFilter, HeldTextsAdmin


def _picture(avatar: Avatar | None, size: int):
    if avatar is None or not avatar.large.name:
        return "-"
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" style="object-fit:cover">',
        storage.url(avatar.large.name),
        size,
        size,
    )


@admin.register(User)
class UserAdmin(HeldTextsAdmin, ModerationActions, BaseUserAdmin):
    list_display = ["username", "nickname", "held_text", "openid", "is_staff", "date_joined"]
    list_filter = [*BaseUserAdmin.list_filter, HeldTextFilter]
    search_fields = ["username", "nickname", "openid", "unionid"]
    list_select_related = ["avatar", "held_avatar"]
    actions = ["approve_held_texts", "reject_held_texts"]
    held_texts = services.USER_TEXTS
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("WeChat"), {"fields": ["openid", "unionid", "nickname", "held_text", "shown_avatar",
                               "avatar_waiting"]}),
    ]  # fmt: skip
    # WeChat identity and profile are the user's own (login and PUT /me change them); staff
    # manage staff accounts here, with Django's own forms and admin log.
    readonly_fields = ["openid", "unionid", "nickname", "held_text", "shown_avatar",
                       "avatar_waiting"]  # fmt: skip

    @admin.display(description=_("Avatar"))
    def shown_avatar(self, user):
        return _picture(user.avatar, 96)

    @admin.display(description=_("Avatar waiting for the check or staff"))
    def avatar_waiting(self, user):
        return _picture(user.held_avatar, 96)

    def moderate_texts(self, user, actor, approve):
        services.user_texts_moderate(user=user, actor=actor, approve=approve)


@admin.register(AvatarInReview)
class AvatarInReviewAdmin(ModerationActions, admin.ModelAdmin):
    """Avatars WeChat's check sent to people (`review`), flagged (`risky`) or never answered
    for (moved to `review` by the sweep); oldest first. Approve shows it in place of the
    user's previous avatar; reject deletes it (the previous one stays)."""

    list_display = ["id", "preview", "user", "review", "check_label", "created_at"]
    list_display_links = ["id"]
    list_select_related = ["user"]
    ordering = ["created_at", "id"]
    actions = ["approve", "reject"]
    fields = ["preview", "user", "review", "check_label", "check_trace_id", "check_requested_at",
              "checked_at", "created_at"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(review__in=media.FOR_STAFF)

    @admin.display(description=_("Avatar"))
    def preview(self, avatar):
        return _picture(avatar, 128)

    def has_add_permission(self, request):
        return False  # avatars arrive through the pipeline

    def has_delete_permission(self, request, obj=None):
        return False  # "reject" deletes, through the service

    @admin.action(permissions=["moderate"],
                  description=_("Approve the selected avatars (everyone sees them)"))  # fmt: skip
    def approve(self, request, queryset):
        self._moderate(request, queryset, approve=True)

    @admin.action(
        permissions=["moderate"],
        description=_("Reject the selected avatars (deleted; the previous ones stay)"),
    )
    def reject(self, request, queryset):
        self._moderate(request, queryset, approve=False)

    def _moderate(self, request, queryset, *, approve: bool):
        chosen = list(queryset)
        for avatar in chosen:
            avatars.avatar_moderate(avatar=avatar, actor=request.user, approve=approve)
        if approve:
            done = ngettext("Approved %(n)d avatar.", "Approved %(n)d avatars.", len(chosen))
        else:
            done = ngettext("Rejected %(n)d avatar.", "Rejected %(n)d avatars.", len(chosen))
        self.message_user(request, done % {"n": len(chosen)}, messages.SUCCESS)

"""Users in the admin: staff accounts managed by Django's auth; WeChat users read-only, except
for staff's decision on a nickname held for review."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts import services
from accounts.models import User
from config.admin import ModerationActions
from moderation.admin import HeldTextFilter, HeldTextsAdmin


@admin.register(User)
class UserAdmin(HeldTextsAdmin, ModerationActions, BaseUserAdmin):
    list_display = ["username", "nickname", "held_text", "openid", "is_staff", "date_joined"]
    list_filter = [*BaseUserAdmin.list_filter, HeldTextFilter]
    search_fields = ["username", "nickname", "openid", "unionid"]
    actions = ["approve_held_texts", "reject_held_texts"]
    held_texts = services.USER_TEXTS
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("WeChat", {"fields": ["openid", "unionid", "nickname", "held_text", "avatar_url"]}),
    ]
    # WeChat identity and profile are the user's own (login and PUT /me change them); staff
    # manage staff accounts here, with Django's own forms and admin log.
    readonly_fields = ["openid", "unionid", "nickname", "held_text", "avatar_url"]

    def moderate_texts(self, user, actor, approve):
        services.user_texts_moderate(user=user, actor=actor, approve=approve)

"""Users in the admin: staff accounts managed by Django's auth; WeChat users read-only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "nickname", "openid", "is_staff", "date_joined"]
    search_fields = ["username", "nickname", "openid", "unionid"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("WeChat", {"fields": ["openid", "unionid", "nickname", "avatar_url"]}),
    ]
    # WeChat identity and profile are the user's own (login and PATCH /me change them); staff
    # manage staff accounts here, with Django's own forms and admin log.
    readonly_fields = ["openid", "unionid", "nickname", "avatar_url"]

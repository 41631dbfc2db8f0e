"""Moderation: comments with approve and reject (the ones WeChat's check held for review), hide,
restore and (soft) delete, through the comment services with the staff user as the actor;
likes and the permission decisions log read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from comments import services
from comments.models import Comment, Like, PermissionDecision
from config.admin import ModerationActions, ReadOnlyAdmin


@admin.register(Comment)
class CommentAdmin(ModerationActions, admin.ModelAdmin):
    list_display = ["id", "album", "author", "photo", "short_body", "created_at", "review",
                    "status"]  # fmt: skip
    list_filter = ["review", "created_at", "hidden_at", "deleted_at"]
    search_fields = ["body", "author__nickname", "author__openid", "album__title"]
    list_select_related = ["album", "author"]
    fields = ["album", "photo", "author", "parent", "body", "like_count", "created_at",
              "edited_at", "review", "deleted_at", "hidden_at"]  # fmt: skip
    readonly_fields = fields  # staff hide or delete what users wrote; they never rewrite it
    actions = ["approve", "reject", "hide", "restore"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.comment_delete(comment=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for comment in queryset:
            services.comment_delete(comment=comment, user=request.user)

    @admin.display(description=_("Body"))
    def short_body(self, comment):
        return comment.body[:60]

    @admin.display(description=_("Status"))
    def status(self, comment):
        if comment.deleted_at:
            return _("deleted")
        return _("hidden") if comment.hidden_at else _("visible")

    @admin.action(
        permissions=["moderate"],
        description=_("Approve the selected comments (list them for everyone)"),
    )
    def approve(self, request, queryset):
        for comment in queryset:
            services.comment_moderate(comment=comment, actor=request.user, approve=True)

    @admin.action(
        permissions=["moderate"],
        description=_("Reject the selected comments (only their authors see them)"),
    )
    def reject(self, request, queryset):
        for comment in queryset:
            services.comment_moderate(comment=comment, actor=request.user, approve=False)

    @admin.action(permissions=["moderate"], description=_("Hide the selected comments"))
    def hide(self, request, queryset):
        for comment in queryset:
            services.comment_set_hidden(comment=comment, hidden=True, actor=request.user)

    @admin.action(permissions=["moderate"], description=_("Restore the selected comments"))
    def restore(self, request, queryset):
        for comment in queryset:
            services.comment_set_hidden(comment=comment, hidden=False, actor=request.user)


@admin.register(Like)
class LikeAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "photo", "comment", "created_at"]
    list_select_related = ["user"]


@admin.register(PermissionDecision)
class PermissionDecisionAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "openid",
        "action",
        "comment_id_ref",
        "backend",
        "allowed",
        "reason",
        "latency_ms",
    ]
    list_filter = ["backend", "action", "allowed"]
    search_fields = ["openid", "comment_id_ref"]

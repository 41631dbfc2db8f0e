"""Operators' view of short links: status, visits, a QR preview, and revoking."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from shortlinks import services
from shortlinks.models import ShortLink


@admin.register(ShortLink)
class ShortLinkAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "kind",
        "album",
        "creator",
        "visit_count",
        "expires_at",
        "status",
        "created_at",
    ]
    list_filter = ["kind"]
    search_fields = ["code"]
    list_select_related = ["album", "creator"]
    raw_id_fields = ["album", "creator"]
    readonly_fields = [
        "qr_preview",
        "code",
        "visit_count",
        "last_visited_at",
        "revoked_at",
        "created_at",
    ]
    actions = ["revoke"]

    @admin.display(description="Status")
    def status(self, link: ShortLink) -> str:
        if link.revoked_at:
            return "revoked"
        if link.expires_at and link.expires_at <= timezone.now():
            return "expired"
        if link.max_visits is not None and link.visit_count >= link.max_visits:
            return "used up"
        return "live"

    @admin.display(description="QR code")
    def qr_preview(self, link: ShortLink):
        if not link.code:
            return "-"
        return format_html(
            '<img src="/s/{}/qr.svg?size=200" width="200" height="200" alt="QR code">', link.code
        )

    @admin.action(description="Revoke the selected links")
    def revoke(self, request, queryset):
        for link in queryset:
            services.link_revoke(link=link)
        messages.success(request, f"Revoked {queryset.count()} link(s).")

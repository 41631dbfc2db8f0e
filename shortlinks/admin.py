"""Operators' view of short links: status, visits, a QR preview, adding generic links, changing
where a link leads or how long it lives, and revoking. All through the link services."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import ModerationActions
from shortlinks import codes, services
from shortlinks.models import ShortLink


class WxacodeFilter(admin.SimpleListFilter):
    title = _("mini-program code")
    parameter_name = "wxacode"

    def lookups(self, request, model_admin):
        return [("made", _("made")), ("waiting", _("waiting")), ("refused", _("refused by WeChat"))]

    def queryset(self, request, queryset):
        if self.value() == "made":
            return queryset.exclude(wxacode_key="")
        if self.value() == "waiting":
            return queryset.filter(wxacode_key="", wxacode_error="")
        if self.value() == "refused":
            return queryset.exclude(wxacode_error="")
        return queryset


@admin.register(ShortLink)
class ShortLinkAdmin(ModerationActions, admin.ModelAdmin):
    list_display = [
        "code",
        "kind",
        "album",
        "creator",
        "visit_count",
        "expires_at",
        "status",
        "wxacode_status",
        "created_at",
    ]
    list_filter = ["kind", WxacodeFilter]
    search_fields = ["code"]
    list_select_related = ["album", "creator"]
    actions = ["revoke", "retry_wxacode"]

    def get_search_results(self, request, queryset, search_term):
        # A code as typed or read off a poster (any case, O for 0...), as resolve takes it: the
        # stored form is canonical, so the search is exact on every database's collation.
        code = codes.normalise(search_term.strip())
        if code is not None:
            return queryset.filter(code=code), False
        return super().get_search_results(request, queryset, search_term)

    def get_fields(self, request, obj=None):
        editable = ["page", "params", "expires_at", "max_visits"]
        if obj is None:
            return editable  # a generic link; album shares are made by their owners
        return ["qr_preview", "wxacode_preview", "wxacode_error", "code", "kind", "album",
                "role", "creator", *editable, "visit_count", "last_visited_at", "revoked_at",
                "created_at"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["qr_preview", "wxacode_preview", "wxacode_error", "code", "kind", "album",
                "role", "creator", "visit_count", "last_visited_at", "revoked_at",
                "created_at"]  # fmt: skip

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: a scanned poster then says "revoked", not "not found"

    @admin.display(description=_("Status"))
    def status(self, link: ShortLink) -> str:
        if link.revoked_at:
            return _("revoked")
        if link.expires_at and link.expires_at <= timezone.now():
            return _("expired")
        if link.max_visits is not None and link.visit_count >= link.max_visits:
            return _("used up")
        return _("live")

    @admin.display(description=_("QR code"))
    def qr_preview(self, link: ShortLink):
        return format_html(
            '<img src="/s/{}/qr.svg?size=200" width="200" height="200" alt="{}">',
            link.code,
            _("QR code"),
        )

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in ("page", "params", "expires_at", "max_visits")}
        if change:
            stored = ShortLink.objects.get(pk=obj.pk)
            services.shortlink_update(link=stored, actor=request.user, **data)
        else:
            created = services.shortlink_create(creator=request.user, **data)
            obj.pk, obj.code = created.pk, created.code

    @admin.display(description=_("Mini-program code"))
    def wxacode_status(self, link: ShortLink) -> str:
        if link.wxacode_key:
            return _("made")
        return _("refused") if link.wxacode_error else _("waiting")

    @admin.display(description=_("Mini-program code"))
    def wxacode_preview(self, link: ShortLink):
        if not link.wxacode_key:
            return "-"
        return format_html('<img src="/s/{}/wxacode" width="200" alt="{}">',
                           link.code, _("Mini-program code"))  # fmt: skip

    @admin.action(
        permissions=["moderate"], description=_("Ask WeChat again for refused mini-program codes")
    )
    def retry_wxacode(self, request, queryset):
        refused = list(queryset.exclude(wxacode_error=""))
        for link in refused:
            services.wxacode_retry(link=link, actor=request.user)
        n = len(refused)
        done = ngettext("Asked again for %(n)d code.", "Asked again for %(n)d codes.", n)
        messages.success(request, done % {"n": n})

    @admin.action(permissions=["moderate"], description=_("Revoke the selected links"))
    def revoke(self, request, queryset):
        chosen = list(queryset)
        for link in chosen:
            services.link_revoke(link=link, actor=request.user)
        n = len(chosen)
        messages.success(request, ngettext("Revoked %(n)d link.", "Revoked %(n)d links.", n)
                         % {"n": n})  # fmt: skip

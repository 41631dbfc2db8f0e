"""What every app's admin shares, and the admin site itself (its login throttled)."""

import contextlib
import unicodedata

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.cache import cache
from django.template.response import TemplateResponse

from config import outages
from config.cache import count
from config.throttles import client_address


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows staff may list and read but never add, change or delete by hand: records written
    by the services (logs, decisions, likes, removals, upload tickets)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ModerationActions:
    """For a ModelAdmin whose actions change state through a service (approve, reject, hide,
    revoke, retry): an action declared with `permissions=["moderate"]` is offered to, and run
    for, staff who hold the model's change permission only; view-only staff see none."""

    def has_moderate_permission(self, request) -> bool:
        codename = get_permission_codename("change", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")


class AdminSite(admin.AdminSite):
    """Django's admin site with a throttled login. Wrong passwords are counted within
    ADMIN_LOGIN_WINDOW seconds for three keys, each with its own limit (N is
    ADMIN_LOGIN_MAX_FAILURES): a username from one address (N), one address whatever the
    username (3 N: a spray of names), and a username from anywhere (10 N: a guess spread over
    many addresses). Past a limit the login answers 429 until the window has passed; a
    success clears the username's counts. So someone who knows an operator's username locks
    only their own address out, not the operator, unless they command many addresses.
    Usernames are counted as Django compares them (NFKC), case-folded."""

    site_header = "wxalbum"
    site_title = "wxalbum admin"
    site_url = None  # no "View site" link: the API has no home page to view

    def login(self, request, extra_context=None):
        if request.method != "POST":
            return super().login(request, extra_context)
        limits = _failure_limits(request)
        if any((cache.get(key) or 0) >= limit for key, limit in limits.items()):
            return _too_many(request)
        response = super().login(request, extra_context)
        keys = list(limits)
        if request.user.is_authenticated and request.user.is_staff:
            with contextlib.suppress(outages.ServiceUnavailable):  # the count would expire
                cache.delete_many([keys[0], keys[2]])  # the username's; the address keeps its own
        else:
            for key in keys:
                count(key, timeout=settings.ADMIN_LOGIN_WINDOW)
        return response


def _failure_limits(request) -> dict[str, int]:
    """The counters a failed login adds to, each with the count that closes the login."""
    raw = request.POST.get("username", "")[:150]
    username = unicodedata.normalize("NFKC", raw).strip().casefold()
    address = client_address(request)  # the client as the load balancer saw it
    most = settings.ADMIN_LOGIN_MAX_FAILURES
    return {
        f"admin-login:pair:{address}:{username}": most,
        f"admin-login:ip:{address}": 3 * most,
        f"admin-login:user:{username}": 10 * most,
    }


def _too_many(request):
    minutes = max(1, settings.ADMIN_LOGIN_WINDOW // 60)
    response = TemplateResponse(
        request,
        "admin/login_throttled.html",
        {"title": "Too many failed logins", "minutes": minutes, "site_header": "wxalbum"},
        status=429,
    )
    response["Retry-After"] = str(settings.ADMIN_LOGIN_WINDOW)
    return response

"""What every app's admin shares, and the admin site itself (its login throttled)."""

import contextlib
import unicodedata

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from config import outages
from config.cache import count
from config.throttles import client_address

# Django's own admin strings that its zh_Hans catalogue lacks (5.2), translated in ours.
DJANGO_GAPS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]


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


class DeskButtons:
    """For a ModelAdmin (with ModerationActions) of items that wait for staff: the moderation
    desk's approve and reject buttons on an item's own page while it waits. Set `desk_kind`
    (the desk's name for the kind) and `waits_for_staff(obj)`."""

    desk_kind = ""
    change_form_template = "desk/change_form.html"

    def waits_for_staff(self, obj) -> bool:
        raise NotImplementedError

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):  # fmt: skip
        # The object the page already loaded: no second read for the buttons.
        decidable = (obj is not None and self.waits_for_staff(obj)
                     and self.has_moderate_permission(request))  # fmt: skip
        context["desk_kind"] = self.desk_kind if decidable else ""
        return super().render_change_form(request, context, add, change, form_url, obj)


class AdminSite(admin.AdminSite):
    """Django's admin site with a throttled login. Wrong passwords are counted within
    ADMIN_LOGIN_WINDOW seconds for three keys, each with its own limit (N is
    ADMIN_LOGIN_MAX_FAILURES): a username from one address (N), one address whatever the
    username (3 N: a spray of names), and a username from anywhere (10 N: a guess spread over
    many addresses). Past a limit the login answers 429 until the window has passed; a
    success clears the username's counts. So someone who knows an operator's username locks
    only their own address out, not the operator, unless they command many addresses.
    Usernames are counted as Django compares them (NFKC), case-folded."""

    site_header = _("Photo album administration")
    site_title = _("Photo album administration")
    site_url = None  # no "View site" link: the API has no home page to view

    def get_app_list(self, request, app_label=None):
        """The apps, with the moderation desk first on the index (where staff start)."""
        apps = super().get_app_list(request, app_label)
        if app_label is None and request.user.is_staff:
            desk = reverse("desk:index")
            apps.insert(0, {
                "name": _("Moderation"), "app_label": "desk", "app_url": desk,
                "has_module_perms": True,
                "models": [{"name": _("Moderation desk"), "object_name": "Desk",
                            "admin_url": desk, "add_url": None, "view_only": True,
                            "perms": {"view": True}}],
            })  # fmt: skip
        return apps

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
        {
            "title": _("Too many failed logins"),
            "minutes": minutes,
            "site_header": AdminSite.site_header,
        },
        status=429,
    )
    response["Retry-After"] = str(settings.ADMIN_LOGIN_WINDOW)
    return response

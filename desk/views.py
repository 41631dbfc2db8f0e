"""The moderation desk: one admin page with everything waiting for staff, and the decision a
card's buttons post (answered as JSON to the page's script, or as a redirect without it)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.problems import Forbidden
from desk import selectors, services


@require_GET
def index(request):
    sections = selectors.sections_for(request.user)
    context = {
        **admin.site.each_context(request),
        "title": _("Moderation desk"),
        "sections": sections,
        "waiting": sum(section.total for section in sections),
    }
    return TemplateResponse(request, "desk/index.html", context)


@require_POST
def decide(request):
    kind, key = request.POST.get("kind", ""), request.POST.get("key", "")
    decision = request.POST.get("decision")
    wants_json = "application/json" in request.headers.get("Accept", "")
    if decision not in ("approve", "reject"):
        return _answer(request, wants_json, 400, _("Choose approve or reject."))
    try:
        services.decide(kind=kind, key=key, actor=request.user, approve=decision == "approve")
    except LookupError:
        return _answer(request, wants_json, 400, _("No such kind of item."))
    except (PermissionDenied, Forbidden):
        return _answer(request, wants_json, 403, _("You may not decide this kind of item."))
    except services.NotWaiting:
        return _answer(request, wants_json, 409, _("Already decided, or gone."))
    done = _("Approved.") if decision == "approve" else _("Rejected.")
    return _answer(request, wants_json, 200, done)


def _answer(request, wants_json: bool, status: int, message: str):
    if wants_json:
        return JsonResponse({"message": message}, status=status)
    messages.add_message(request, messages.SUCCESS if status == 200 else messages.ERROR, message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "desk:index"
    return redirect(back)

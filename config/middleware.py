"""Request ids and the one structured log line per request; holding a change's answer until
no process can serve the old state; the language of the answer; and the admin's own
middleware, which nothing else here pays for."""

import itertools
import logging
import os
import re
import threading
import time
import uuid
from datetime import UTC

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from config.nearcache import NearCache

logger = logging.getLogger("wxalbum.request")

# A client's id is honoured only when it cannot smuggle anything into a log line or header.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _request_ids():
    """Ids unique across processes without a system call each: a random prefix per process
    (re-drawn after a fork) and a counter. uuid4() read the kernel's random source on every
    request, a measurable share of a scan's CPU."""
    pid, prefix, counter = None, "", itertools.count()
    while True:
        if os.getpid() != pid:
            pid, prefix, counter = os.getpid(), uuid.uuid4().hex[:16], itertools.count(1)
        yield f"{prefix}{next(counter):016x}"


_next_id = _request_ids()
_next_id_lock = threading.Lock()


def new_request_id() -> str:
    with _next_id_lock:
        return next(_next_id)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        # request.META, not request.headers, on the paths every scan takes: the latter builds
        # a dictionary of all the request's headers on first use.
        supplied = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = supplied if _SAFE_REQUEST_ID.match(supplied) else new_request_id()
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "request_id": request.id,
            },
        )
        return response


class NearCacheHoldMiddleware:
    """A request that changed who may use a link (a revoke, an album made private) is answered
    only once every process's near copy of the old state has expired (config.nearcache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        NearCache.drop_hold()
        try:
            return self.get_response(request)
        finally:
            NearCache.release()


class ApiInUtcMiddleware:
    """API answers carry their times in UTC ("...Z"), whatever TIME_ZONE the admin and the
    pages show times in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        timezone.activate(UTC)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ApiNoStoreMiddleware:
    """Every API answer is private or has a side effect (a resolve counts a visit and may join
    an album): `Cache-Control: no-store` unless the view chose otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/v1/") and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


class LanguageMiddleware:
    """The answer's language: the language cookie, else Accept-Language, among
    settings.LANGUAGES (Simplified Chinese unless English is preferred). Django's
    LocaleMiddleware without language-prefixed URLs, which this project does not use and whose
    checks cost it more than the rest of the language choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


ADMIN_PREFIX = "/admin/"


class AdminOnly:
    """For middleware only Django's admin needs: its cookie session, login and flash messages
    run on /admin/ requests. The API (bearer tokens) and the share pages and
    images (no cookies) go straight past them, which spares every scan their cost."""

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX):
            return super().__call__(request)
        return self.get_response(request)


class AdminSessionMiddleware(AdminOnly, SessionMiddleware):
    pass


class AdminAuthenticationMiddleware(AdminOnly, AuthenticationMiddleware):
    pass


class AdminMessageMiddleware(AdminOnly, MessageMiddleware):
    pass

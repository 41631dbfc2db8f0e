"""When the database, Redis or the bucket is down: a 503 that says so, one warning per burst.

A dependency that refuses, drops or times out a call is not a bug in this code, so the answer
is 503 `service_unavailable` with `Retry-After` (nothing was changed: the request's
transaction rolled back), and the log gets one warning naming the dependency per
REPORT_EVERY seconds and process, with how many failures it stands for, instead of a
traceback per request.
"""

import errno
import logging
import sys
import threading
import time

import redis
from botocore import exceptions as botocore_errors
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils import translation

from config import problems
from config.problems import ApplicationError

logger = logging.getLogger("wxalbum.outages")

REPORT_EVERY = 10.0  # seconds between two warnings about the same dependency, per process
RETRY_AFTER = 5  # seconds a client is asked to wait

# What a dependency that is down raises (a query that is wrong raises other DatabaseErrors).
# SQLite's "database is locked" is an OperationalError too: contention past the busy timeout,
# which a retry may also cure, so it is a 503 as well.
DATABASE_DOWN = (OperationalError, InterfaceError)
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)
# The bucket refusing, timing out or dropping the connection (after botocore's own retries);
# a bucket answering 5xx (500 InternalError, 503 SlowDown) is storage_failing() below.
STORAGE_DOWN = (botocore_errors.ConnectionError, botocore_errors.HTTPClientError)
# Local storage (MEDIA_ROOT) out of space, quota or inodes.
DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


class ServiceUnavailable(ApplicationError):
    code = "service_unavailable"
    default_detail = "A service this depends on is unavailable; nothing was changed. Try again."
    retry_after = RETRY_AFTER

    def __init__(self, dependency: str):
        super().__init__(extra={"dependency": dependency})
        self.dependency = dependency


def dependency_down(exc: BaseException) -> str | None:
    """ "database", "redis" or "storage" when `exc` (or what caused it) says that one is
    unreachable or failing."""
    while exc is not None:
        if isinstance(exc, ServiceUnavailable):
            return exc.dependency
        if isinstance(exc, DATABASE_DOWN):
            return "database"
        if isinstance(exc, REDIS_DOWN):
            return "redis"
        if isinstance(exc, STORAGE_DOWN) or storage_failing(exc):
            return "storage"
        exc = exc.__cause__ or exc.__context__
    return None


def storage_failing(exc: BaseException) -> bool:
    """The bucket answered a server error, or the local disk is full: storage's own trouble,
    which a retry later may not meet (a 4xx answer is a bug of ours, not an outage)."""
    if isinstance(exc, botocore_errors.ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500
    return isinstance(exc, OSError) and exc.errno in DISK_FULL


_lock = threading.Lock()
_last_report: dict[str, float] = {}
_suppressed: dict[str, int] = {}


def report(dependency: str, exc: BaseException) -> None:
    """Log the failure: the first of a burst as a warning, the rest counted into the next."""
    now = time.monotonic()
    with _lock:
        if now - _last_report.get(dependency, -REPORT_EVERY) < REPORT_EVERY:
            _suppressed[dependency] = _suppressed.get(dependency, 0) + 1
            return
        _last_report[dependency] = now
        suppressed = _suppressed.pop(dependency, 0)
    logger.warning(
        "dependency unavailable",
        extra={"dependency": dependency, "error": f"{type(exc).__name__}: {exc}"[:300],
               "failures_since_last_report": suppressed},
    )  # fmt: skip


def unavailable_response(request, dependency: str):
    """The 503 for a request that met an outage: a problem document under /api/ (and for
    anything asking for JSON), else a short page in the visitor's language."""
    if problems.is_api_request(request) or "json" in request.headers.get("Accept", ""):
        return problems.application_error_response(ServiceUnavailable(dependency))
    if (translation.get_language() or "").startswith("zh"):
        text = "服务暂时不可用，请稍后再试。"
    else:
        text = "The service is briefly unavailable; please try again in a moment."
    response = HttpResponse(
        f"<!doctype html><meta charset=utf-8><title>503</title><p>{text}</p>",
        status=503,
        content_type="text/html; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return problems.quiet(response)


class OutageMiddleware:
    """A view that met a database or Redis outage answers 503, logged once per burst."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        dependency = dependency_down(exception)
        if dependency is None:
            return None
        report(dependency, exception)
        return unavailable_response(request, dependency)


def handler500(request):
    """Django's handler500: an outage met outside a view (in a middleware) is the same 503 the
    views give; anything else is a bug (config.problems.handler500)."""
    exc = sys.exc_info()[1]
    dependency = dependency_down(exc) if exc is not None else None
    if dependency is None:
        return problems.handler500(request)
    report(dependency, exc)
    return unavailable_response(request, dependency)

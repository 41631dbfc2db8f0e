"""Liveness and readiness probes for load balancers and orchestrators."""

import ipaddress
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """The process answers; nothing else is checked."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was written")
    cache.delete(key)


def _check_storage() -> None:
    # A lookup of a key that never exists: answers from the bucket (or disk) without writing.
    default_storage.exists("readyz/probe")


CHECKS = {"database": _check_database, "cache": _check_cache, "storage": _check_storage}


def _is_probe(request) -> bool:
    """The caller is a configured probe address (HEALTH_PROBE_NETWORKS: the load balancer's,
    the orchestrator's): only they learn which dependency failed."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.HEALTH_PROBE_NETWORKS)


@never_cache
@require_GET
def readyz(request):
    """Database, cache and storage reachable: 200; otherwise 503. Probe addresses see which
    check failed; anyone else only the status."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready", whatever raised it
            logger.warning("readiness check failed", extra={"check": name, "error": repr(exc)})
            results[name] = "fail"
        else:
            results[name] = "ok"
    ok = all(v == "ok" for v in results.values())
    body = {"status": "ok" if ok else "fail"}
    if _is_probe(request):
        body["checks"] = results
    return JsonResponse(body, status=200 if ok else 503)

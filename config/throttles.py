"""The throttle every write gets, whatever else a view adds."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle, UserRateThrottle


class WriteRateThrottle(UserRateThrottle):
    """Writes per user (per address for anonymous callers) at the `write` rate; reads pass.

    The default for every API view; views with a scope of their own (login, uploads, comments,
    likes, shares) are limited by that scope instead. Like every throttle here it fails open
    while Redis is down (config.cache).
    """

    scope = "write"

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


def client_address(request) -> str:
    """The caller's address as every throttle here keys it: REMOTE_ADDR, or with
    DJANGO_NUM_PROXIES the address that many hops from the right of X-Forwarded-For (DRF's
    rule; Django's own requests as well as DRF's)."""
    return BaseThrottle().get_ident(request)

"""The throttle every write gets, whatever else a view adds."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import UserRateThrottle


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

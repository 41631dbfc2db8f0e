"""May this user (openid) do this action to this comment? One interface, two backends.

LocalPolicy answers from our own tables. LegacyHttpPolicy asks the organisation's existing
backend over HTTP, signed with HMAC-SHA256; it is the only module that talks to that backend.
It fails closed: when the backend cannot answer, the caller gets PermissionBackendUnavailable
and must change nothing.
"""

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from typing import Protocol

import httpx
from django.conf import settings
from django.core.cache import cache

from config.cache import count
from config.problems import ApplicationError

logger = logging.getLogger(__name__)

EDIT, DELETE = "comment.edit", "comment.delete"
BREAKER_THRESHOLD = 5  # failures in a row that open the breaker
BREAKER_COOLDOWN = 30  # seconds the breaker stays open before one call may try again
ANSWER_TTL = 5  # seconds a definite answer is reused


class PermissionBackendUnavailable(ApplicationError):
    code = "permission_backend_unavailable"
    default_detail = "The permission service did not answer; nothing was changed."
    retry_after = 5


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


class PermissionPolicy(Protocol):
    name: str

    def check(self, *, user, action: str, comment) -> Decision:
        """Raises PermissionBackendUnavailable when no answer can be had."""
        ...


class LocalPolicy:
    """The author may edit; the author, the album's owner and staff may delete."""

    name = "local"

    def check(self, *, user, action: str, comment) -> Decision:
        if comment.author_id == user.pk:
            return Decision(True, "author")
        if action == DELETE and comment.album.owner_id == user.pk:
            return Decision(True, "album owner")
        if action == DELETE and getattr(user, "acts_as_staff", False):
            return Decision(True, "staff")
        return Decision(False, "Only the author can edit; the author or album owner can delete.")


class StaffPolicy:
    """Operators moderating in the admin may delete any comment."""

    name = "staff"

    def check(self, *, user, action: str, comment) -> Decision:
        return Decision(action == DELETE, "staff moderation")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """X-Signature: hex HMAC-SHA256 over `<timestamp>.<raw body>`."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class LegacyHttpPolicy:
    """POST {url}/permissions/check; short timeout, one retry, shared breaker, cached answers."""

    name = "legacy_http"

    def __init__(self, *, url: str, secret: str, timeout: float):
        self.url = f"{url}/permissions/check"
        self.secret = secret
        self.timeout = timeout

    def check(self, *, user, action: str, comment) -> Decision:
        # Keyed on our user id, which every user has (staff have no openid).
        answer_key = (
            f"legacy:answer:{user.pk}:{action}:{comment.pk}:"
            f"{(comment.edited_at or comment.created_at).timestamp()}"
        )
        cached = cache.get(answer_key)
        if cached is not None:
            return Decision(*cached)
        if self._breaker_open():
            raise PermissionBackendUnavailable("The permission service is failing; try later.")
        try:
            decision = self._ask(user=user, action=action, comment=comment)
        except PermissionBackendUnavailable:
            self._record_failure()
            raise
        cache.delete("legacy:breaker:failures")
        cache.set(answer_key, (decision.allowed, decision.reason), ANSWER_TTL)
        return decision

    def _ask(self, *, user, action: str, comment) -> Decision:
        body = json.dumps(
            {
                "openid": user.openid,
                "action": action,
                "resource": {
                    "type": "comment",
                    "id": comment.pk,
                    "author_openid": comment.author.openid,
                    "album_id": comment.album_id,
                    "album_owner_openid": comment.album.owner.openid,
                },
            },
            separators=(",", ":"),
        ).encode()
        deadline = time.monotonic() + self.timeout
        for attempt in (1, 2):
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Timestamp": timestamp,
                "X-Signature": sign(self.secret, timestamp, body),
            }
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                response = httpx.post(
                    self.url,
                    content=body,
                    headers=headers,
                    timeout=remaining,
                    follow_redirects=False,
                )
            except httpx.ConnectError as exc:
                # Only a refused or failed connection is retried: the request never arrived.
                logger.warning("legacy backend connect failed", extra={"attempt": attempt})
                if attempt == 2:
                    raise PermissionBackendUnavailable() from exc
                continue
            except httpx.HTTPError as exc:
                raise PermissionBackendUnavailable() from exc
            return self._read(response)
        raise PermissionBackendUnavailable()

    @staticmethod
    def _read(response: httpx.Response) -> Decision:
        if response.status_code != 200:
            raise PermissionBackendUnavailable(
                f"The permission service answered {response.status_code}; nothing was changed."
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise PermissionBackendUnavailable() from exc
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("allowed"), bool)
            or not isinstance(data.get("reason"), str)
        ):
            raise PermissionBackendUnavailable()
        return Decision(data["allowed"], data["reason"][:255])

    @staticmethod
    def _breaker_open() -> bool:
        return cache.get("legacy:breaker:open") is not None

    @staticmethod
    def _record_failure() -> None:
        if count("legacy:breaker:failures", timeout=3600) >= BREAKER_THRESHOLD:
            # Open for the cooldown; when the key expires one call may try again, and a
            # failure then (failures still >= threshold) opens it at once.
            cache.set("legacy:breaker:open", 1, timeout=BREAKER_COOLDOWN)


def get_policy() -> PermissionPolicy:
    if settings.LEGACY_BACKEND_URL:
        return LegacyHttpPolicy(
            url=settings.LEGACY_BACKEND_URL,
            secret=settings.LEGACY_BACKEND_SECRET,
            timeout=settings.LEGACY_BACKEND_TIMEOUT,
        )
    return LocalPolicy()

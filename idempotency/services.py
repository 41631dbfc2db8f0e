"""Claiming an idempotency key, keeping the answer, replaying it. Keys live 24 hours.

A key belongs to one user. The first request with it claims it (a row, committed at once, so a
concurrent retry sees it); its answer is kept unless it was a server error or a throttle, which
a retry should try again. Raises KeyReused (422) for the same key on a different request, and
KeyInUse (409) while the first request with the key is still running.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.problems import ApplicationError
from idempotency.models import IdempotencyKey

LIFETIME = timedelta(hours=24)


class KeyReused(ApplicationError):
    code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was used for a different request; use a new key."


class KeyInUse(ApplicationError):
    code = "idempotency_key_in_use"
    default_detail = "A request with this Idempotency-Key is still running; retry shortly."


@dataclass(frozen=True)
class Replay:
    status_code: int
    content_type: str
    body: object


def key_claim(*, user, key: str, fingerprint: str, method: str, path: str):
    """The claimed row for a new key, or the Replay of a finished one."""
    now = timezone.now()
    for _ in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=fingerprint, method=method, path=path
                )
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(user=user, key=key).first()
            if existing is None:
                continue  # it lapsed and was pruned meanwhile
            if existing.created_at < now - LIFETIME:
                existing.delete()  # lapsed: the key is free again
                continue
            if existing.fingerprint != fingerprint:
                raise KeyReused() from None
            if existing.status_code is None:
                raise KeyInUse() from None
            return Replay(existing.status_code, existing.content_type, existing.body)
    raise KeyInUse()


def key_finish(*, claim: IdempotencyKey, status_code: int, content_type: str, body) -> None:
    """Keep the answer to replay, or free the key when a retry should run again."""
    if status_code >= 500 or status_code == 429:
        claim.delete()
        return
    claim.status_code, claim.content_type, claim.body = status_code, content_type, body
    claim.save(update_fields=["status_code", "content_type", "body"])


def key_release(*, claim: IdempotencyKey) -> None:
    claim.delete()


def keys_prune(*, now=None) -> int:
    """Delete keys older than their 24 hours. Returns how many."""
    cutoff = (now or timezone.now()) - LIFETIME
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted

"""Claiming an idempotency key, keeping the answer, replaying it. Keys live 24 hours.

A key belongs to one user. The first request with it claims it (a row, committed at once, so a
concurrent retry sees it). Its answer is stored in the same transaction as the change it
answers (idempotency.views), so a key holds an answer exactly when the change was committed;
a request that rolled back frees its key, and so does a client error's answer being a server
error or a throttle, which a retry should try again. Raises KeyReused (422) for the same key
on a different request, and KeyInUse (409) while the first request with the key is running.

A claim whose request died without an answer (its process was killed, its database went
away) is taken over by a retry after CLAIM_TIMEOUT, longer than any request may run; the
first request, should it still be alive, then cannot store its answer and rolls back.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.problems import ApplicationError
from idempotency.models import IdempotencyKey

LIFETIME = timedelta(hours=24)
# Longer than any request may run (gunicorn kills a worker after GUNICORN_TIMEOUT, 30 s).
CLAIM_TIMEOUT = timedelta(seconds=60)


class KeyReused(ApplicationError):
    code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was used for a different request; use a new key."


class KeyInUse(ApplicationError):
    code = "idempotency_key_in_use"
    default_detail = "A request with this Idempotency-Key is still running; retry shortly."
    retry_after = 2


class ClaimLost(Exception):
    """A retry took this request's key over (it ran past CLAIM_TIMEOUT): its change must roll
    back, since the retry's will be the one kept."""


@dataclass(frozen=True)
class Replay:
    status_code: int
    content_type: str
    body: object
    headers: dict


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
                if existing.claimed_at < now - CLAIM_TIMEOUT and _take_over(existing, now):
                    return existing
                raise KeyInUse() from None
            return Replay(existing.status_code, existing.content_type, existing.body,
                          existing.headers or {})  # fmt: skip
    raise KeyInUse()


def _take_over(claim: IdempotencyKey, now) -> bool:
    """Claim a key whose first request never answered; only one retry wins it."""
    taken = _ours(claim).update(claimed_at=now)
    claim.claimed_at = now
    return bool(taken)


def _ours(claim: IdempotencyKey):
    """The claim's row while this claim still holds it: unanswered, not taken over."""
    return IdempotencyKey.objects.filter(
        pk=claim.pk, claimed_at=claim.claimed_at, status_code__isnull=True
    )


def key_finish(
    *, claim: IdempotencyKey, status_code: int, content_type: str, body, headers=None
) -> None:
    """Keep the answer to replay, or free the key when a retry should run again. Inside the
    transaction of the change it answers, raises ClaimLost when a retry took the key over."""
    if status_code >= 500 or status_code == 429:
        _ours(claim).delete()
        return
    kept = _ours(claim).update(status_code=status_code, content_type=content_type, body=body,
                               headers=headers or {})  # fmt: skip
    if not kept:
        raise ClaimLost(claim.key)


def key_release(*, claim: IdempotencyKey) -> None:
    """Free a key whose request changed nothing (it rolled back)."""
    _ours(claim).delete()


def keys_prune(*, now=None) -> int:
    """Delete keys older than their 24 hours. Returns how many."""
    cutoff = (now or timezone.now()) - LIFETIME
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted

"""Writing and pruning the activity log. Every service that changes state calls `log_action`."""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from audit.actions import ACTIONS
from audit.models import LogEntry


def _label(actor) -> str:
    if actor is None:
        return ""
    staff = getattr(actor, "acts_as_staff", False)
    return f"{actor.username} (staff)" if staff else (actor.openid or actor.username)


def log_action(action: str, *, actor, obj: models.Model | None = None, **data) -> LogEntry:
    """Record `action` by `actor` (None for the system) on `obj`, with `data` as its detail.

    Call it inside the transaction of the change it describes, so both commit or neither does.
    """
    if action not in ACTIONS:
        raise LookupError(f"{action!r} is not in audit.actions.ACTIONS")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"log_action({action!r}) must run inside the change's transaction.")
    return LogEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=_label(actor),
        actor_is_staff=bool(actor is not None and getattr(actor, "acts_as_staff", False)),
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )


def snapshot(obj: models.Model, fields) -> dict:
    """The fields' values as a log entry keeps them (a related object by its primary key)."""
    values = {}
    for field in fields:
        value = getattr(obj, field)
        values[field] = value.pk if isinstance(value, models.Model) else value
    return values


def changes(before: dict, after: dict) -> dict:
    """`{field: [before, after]}` for the fields whose value changed."""
    return {f: [before[f], after[f]] for f in before if before[f] != after[f]}


def log_prune(*, older_than_days: int, now=None) -> int:
    """Delete entries older than the given number of days. Returns how many were deleted."""
    if older_than_days < 1:
        raise ValueError("Keep at least one day of the activity log.")
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _ = LogEntry.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def actor_anonymise(user) -> int:
    """Entries by a deleted account keep their place, named only by the row's number; what
    the entries about the account itself recorded (profile changes) is dropped."""
    LogEntry.objects.filter(object_type="user", object_id=str(user.pk)).update(data={})
    return LogEntry.objects.filter(actor=user.pk).update(actor_label=f"deleted user {user.pk}")

"""A decision taken at the desk: through the kind's own service, which checks the actor again
and writes the activity log."""

from django.core.exceptions import PermissionDenied

from desk.kinds import KINDS


class NotWaiting(Exception):
    """The item was decided meanwhile (by someone else, or in another tab), or is gone."""


def decide(*, kind: str, key: str, actor, approve: bool) -> None:
    """Approve (keep) or reject (take away) one waiting item. Raises LookupError for a kind
    that does not exist, PermissionDenied for staff without the kind's change permission,
    NotWaiting when nothing of that key waits any more."""
    found = KINDS.get(kind)
    if found is None:
        raise LookupError(kind)
    if not actor.has_perm(found.permission):
        raise PermissionDenied(found.permission)
    item = found.still_waiting(key)
    if item is None:
        raise NotWaiting(key)
    found.decide(item, actor, approve)

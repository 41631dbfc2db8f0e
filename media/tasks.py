"""Storing an image's renditions all or none, and deleting objects no row points to any
more, through the outbox (outbox.tasks)."""

import logging

from django.db import transaction

from config import outages
from media import storage
from outbox import services as outbox
from outbox.tasks import outbox_task

logger = logging.getLogger(__name__)

# The name messages already queued carry (it was album's before avatars shared it).
DELETE_OBJECTS = "album.delete_objects"


@outbox_task(DELETE_OBJECTS, max_attempts=12)
def delete_objects(keys: list[str]) -> None:
    """Delete objects no row points to any more. Safe to run twice."""
    storage.delete(keys, strict=True)


def put_all(prefix: str, files: dict[str, tuple[str, bytes]]) -> dict[str, str]:
    """Store files (name -> (file name, bytes)) under one new random stem below `prefix`;
    returns name -> key. All or none: when one cannot be stored, those stored are deleted
    (now, or later through the outbox) and the error raised."""
    stem = storage.new_stem(prefix)
    stored: dict[str, str] = {}
    try:
        for name, (filename, data) in files.items():
            stored[name] = storage.put(f"{stem}/{filename}", data)
    except Exception:
        delete_now_or_later(stored.values())
        raise
    return stored


def delete_now_or_later(keys) -> None:
    """Delete the objects a failed write left behind (no row points to them); what storage
    cannot delete now (it is down: that is why the write failed) the outbox deletes later."""
    keys = [key for key in keys if key]
    try:
        storage.delete(keys, strict=True)
    except Exception as exc:
        if not outages.dependency_down(exc):
            raise
        try:
            with transaction.atomic():
                outbox.enqueue(DELETE_OBJECTS, keys)
        except Exception:
            logger.warning("objects left in storage", extra={"keys": keys[:10]})


def delete_after_commit(keys) -> None:
    """Delete these objects once the current transaction (which drops what pointed to them)
    commits, and until storage has done it: call inside the transaction."""
    keys = [key for key in keys if key]
    if keys:
        outbox.enqueue(DELETE_OBJECTS, keys)

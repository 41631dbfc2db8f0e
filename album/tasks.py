"""Background work for photos, run through the outbox (outbox.tasks)."""

import logging

from django.db import transaction

from album import reviews, storage
from config import outages
from outbox import services as outbox
from outbox.tasks import outbox_task
from wechat.client import WeChatError

logger = logging.getLogger(__name__)

CHECK_PHOTO = "album.check_photo"


# About 40 minutes of backoff: past PHOTO_CHECK_TIMEOUT, staff take over anyway.
@outbox_task(CHECK_PHOTO, transient=(WeChatError,), max_attempts=8)
def check_photo(photo_id: int) -> None:
    """Send a new photo to WeChat's media check. Safe to run twice: a photo already sent or
    decided is left alone."""
    reviews.check_submit(photo_id=photo_id)


DELETE_OBJECTS = "album.delete_objects"


@outbox_task(DELETE_OBJECTS, max_attempts=12)
def delete_objects(keys: list[str]) -> None:
    """Delete objects no row points to any more. Safe to run twice."""
    storage.delete(keys, strict=True)


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

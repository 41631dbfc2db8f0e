"""How many images this process works on at once: memory is what image work costs."""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from config.problems import ApplicationError
from media import images


class Busy(ApplicationError):
    code = "busy"
    default_detail = "The server is processing as many photos as it can; try again shortly."
    retry_after = 5


T = TypeVar("T")

_slots: dict[int, threading.BoundedSemaphore] = {}


def _limits() -> dict[str, int]:
    return {
        "max_pixels": settings.PHOTO_MAX_PIXELS,
        "max_bytes": settings.PHOTO_MAX_BYTES,
        "max_pixels_per_byte": settings.PHOTO_MAX_PIXELS_PER_BYTE,
    }


def inspected(data: bytes) -> images.Inspected:
    """An upload's header checked within the deployment's limits: no pixels decoded, no slot
    taken, so accepting a photo costs a request no image work."""
    return images.inspect(data, **_limits())


def processed(pipeline: Callable[..., T], data: bytes) -> T:
    """An upload through `pipeline` (media.images.process or process_avatar) within the
    deployment's limits (PHOTO_MAX_PIXELS, PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS_PER_BYTE) and
    this process's image slots."""
    return limited(lambda: pipeline(data, **_limits()))


def limited(work: Callable[[], T]) -> T:
    """Run `work` (the image pipeline) at most PHOTO_PROCESSING_CONCURRENCY at once in this
    process. Raises Busy after waiting PHOTO_PROCESSING_WAIT seconds for a slot (a photo's
    derive task is then tried again later; an avatar's request answers 503)."""
    size = settings.PHOTO_PROCESSING_CONCURRENCY
    slots = _slots.get(size) or _slots.setdefault(size, threading.BoundedSemaphore(size))
    if not slots.acquire(timeout=settings.PHOTO_PROCESSING_WAIT):
        raise Busy()
    try:
        return work()
    finally:
        slots.release()

"""A process-local copy, for a fraction of a second, of what a process read from Redis.

A share on a poster is scanned in bursts, and every scan reads the same link's metadata (and
its landing page or QR image) from Redis: one round trip, about a quarter of a scan's server
CPU under load. A NearCache keeps each value a process read for `seconds`, so in a burst a
process asks Redis once per link per `seconds` instead of once per scan.

It must never serve a link after the request that revoked it (or made its album private) has
returned. Two rules give that, whatever the number of processes and machines:

- An entry expires `seconds` after the moment *before* its value was asked for, from Redis or
  from the database; so a copy taken of the old state expires at most `seconds` after the
  change removed the old state from Redis (and committed it to the database).
- The change removes it from Redis after commit and then `hold()`s: its request is answered
  only once `seconds` have passed since (`release()`, called by config.middleware), by which
  time every copy of the old state, in any process, has expired.

So such a change's request takes `seconds` longer (one hold per request, however many links it
changed); changes that only alter what a page shows do not hold, and show within `seconds`.
`seconds` is a setting, read when used; with the cache in the process's own memory (the
embedded default) there is nothing to copy, and it defaults to 0: nothing is kept or held.
"""

import threading
import time
from collections.abc import Iterable

from django.conf import settings


class NearCache:
    """Bounded by size: once the values it was given since it last started over would pass
    `max_bytes` (images and pages by their length, anything else as 1 KB), it starts over
    empty. Entries live a fraction of a second, so what is dropped is mostly expired already."""

    def __init__(self, setting: str, max_bytes: int = 16 * 1024 * 1024):
        self.setting = setting
        self.max_bytes = max_bytes
        self._entries: dict[str, tuple[float, object]] = {}
        self._bytes = 0

    @property
    def seconds(self) -> float:
        return getattr(settings, self.setting)

    @staticmethod
    def now() -> float:
        """Take this before asking for values, and hand it to set_many()."""
        return time.monotonic()

    def get_many(self, keys: Iterable[str]) -> dict | None:
        """Every key's value if this process holds them all unexpired; else None."""
        if not self.seconds:
            return None
        now = time.monotonic()
        found = {}
        for key in keys:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= now:
                return None
            found[key] = entry[1]
        return found

    def set_many(self, values: dict, asked_at: float) -> None:
        """Keep values asked for at `asked_at` (None values are not kept: nothing to copy)."""
        seconds = self.seconds
        if not seconds:
            return
        expires = asked_at + seconds
        for key, value in values.items():
            if value is None:
                continue
            size = _size(value)
            if self._bytes + size > self.max_bytes:
                self._entries.clear()  # start over rather than sort by age
                self._bytes = 0
            self._entries[key] = (expires, value)
            self._bytes += size

    def delete_many(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._entries.pop(key, None)

    # Holding a change's answer until every process's copy has expired.

    _holds = threading.local()

    def hold(self) -> None:
        """The current request is answered no sooner than `seconds` from now."""
        if seconds := self.seconds:
            until = time.monotonic() + seconds
            self._holds.until = max(getattr(self._holds, "until", 0.0), until)

    @classmethod
    def drop_hold(cls) -> None:
        """Forget a hold set outside a request (a task, a command): it holds no one's answer."""
        cls._holds.until = 0.0

    @classmethod
    def release(cls) -> None:
        """Wait out the current request's hold, if any."""
        until = getattr(cls._holds, "until", 0.0)
        cls._holds.until = 0.0
        if (wait := until - time.monotonic()) > 0:
            time.sleep(wait)


def _size(value) -> int:
    """Bytes and text by their length (a page; a QR image with its ETag), anything else 1 KB."""
    if isinstance(value, bytes | str):
        return len(value)
    if isinstance(value, tuple):
        return sum(map(_size, value))
    return 1024

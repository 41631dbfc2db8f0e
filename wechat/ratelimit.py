"""A limit on calls per minute shared by every process (a counter per minute in the cache)."""

import time

from django.core.cache import cache


def take(name: str, per_minute: int) -> bool:
    """Count one call against this minute's allowance; False when the minute is used up."""
    minute = int(time.time() // 60)
    key = f"ratelimit:{name}:{minute}"
    cache.add(key, 0, timeout=90)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=90)
        used = 1
    return used <= per_minute


def seconds_to_next_minute() -> int:
    return 60 - int(time.time()) % 60

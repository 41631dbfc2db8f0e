"""A limit on calls per minute shared by every process (a counter per minute in the cache)."""

import time

from config.cache import count


def take(name: str, per_minute: int) -> bool:
    """Count one call against this minute's allowance; False when the minute is used up."""
    minute = int(time.time() // 60)
    return count(f"ratelimit:{name}:{minute}", timeout=90) <= per_minute


def seconds_to_next_minute() -> int:
    return 60 - int(time.time()) % 60

"""Visit counters kept off the database on the hot path, and flushed to it in batches.

With Redis (REDIS_URL) the counters are shared by every process: INCR per visit and the code
added to a set of dirty codes; a flush SPOPs codes and GETDELs their counters, so each visit is
moved to the database exactly once however many processes flush at the same time. Without
Redis (the embedded default, one process) they live in this process's memory.
"""

import threading
from collections import Counter
from functools import cache

import redis
from django.conf import settings

_PREFIX = "wxalbum:sl:"


class RedisCounters:
    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def add(self, code: str) -> None:
        pipe = self.client.pipeline(transaction=False)
        pipe.incr(f"{_PREFIX}visits:{code}")
        pipe.sadd(f"{_PREFIX}dirty", code)
        pipe.execute()

    def take(self, batch: int = 1000) -> dict[str, int]:
        """Remove and return pending counts; `restore` gives back what could not be saved."""
        codes = self.client.spop(f"{_PREFIX}dirty", batch) or []
        taken = {}
        for raw in codes:
            code = raw.decode()
            count = self.client.getdel(f"{_PREFIX}visits:{code}")
            if count and int(count) > 0:
                taken[code] = int(count)
        return taken

    def restore(self, counts: dict[str, int]) -> None:
        for code, count in counts.items():
            self.client.incrby(f"{_PREFIX}visits:{code}", count)
            self.client.sadd(f"{_PREFIX}dirty", code)

    def clear(self) -> None:
        keys = list(self.client.scan_iter(f"{_PREFIX}*"))
        if keys:
            self.client.delete(*keys)


class LocalCounters:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()

    def add(self, code: str) -> None:
        with self.lock:
            self.counts[code] += 1

    def take(self, batch: int = 1000) -> dict[str, int]:
        with self.lock:
            taken, self.counts = dict(self.counts), Counter()
        return taken

    def restore(self, counts: dict[str, int]) -> None:
        with self.lock:
            self.counts.update(counts)

    def clear(self) -> None:
        with self.lock:
            self.counts.clear()


@cache
def _counters(redis_url: str):
    return RedisCounters(redis_url) if redis_url else LocalCounters()


def get_counters() -> RedisCounters | LocalCounters:
    return _counters(settings.REDIS_URL)

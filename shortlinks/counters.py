"""Visit counters kept off the database on the hot path, and flushed to it in batches.

With Redis (REDIS_URL) the counters are shared by every process: INCRBY per code and the code
added to a set of dirty codes; a flush SPOPs codes and GETDELs their counters, so each visit is
moved to the database exactly once however many processes flush at the same time. Each process
buffers its own visits for up to PUSH_INTERVAL seconds and pushes them in one pipeline, so a
resolve makes no Redis round trip to count: a process killed without warning loses at most that
last second of counts (gunicorn's worker_exit hook flushes on a graceful exit).

Without Redis (the embedded default, one process) the counters live in this process's memory.
"""

import logging
import threading
import time
from collections import Counter
from functools import cache

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

_PREFIX = "wxalbum:sl:"


class RedisCounters:
    PUSH_INTERVAL = 1.0  # seconds a process keeps visits before pushing them to Redis

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.lock = threading.Lock()
        self.pending: Counter[str] = Counter()
        self.pushed_at = time.monotonic()

    def add(self, code: str) -> None:
        with self.lock:
            self.pending[code] += 1
            due = time.monotonic() - self.pushed_at >= self.PUSH_INTERVAL
        if due:
            try:
                self.push()
            except redis.RedisError:
                # Counting must not fail a scan: the counts stay buffered for the next push.
                logger.warning("visit counts could not reach Redis; kept for the next push")

    def push(self) -> None:
        """Send this process's buffered visits to Redis. Raises RedisError, keeping them."""
        with self.lock:
            pending, self.pending = self.pending, Counter()
            self.pushed_at = time.monotonic()
        if not pending:
            return
        try:
            pipe = self.client.pipeline(transaction=False)
            for code, count in pending.items():
                pipe.incrby(f"{_PREFIX}visits:{code}", count)
                pipe.sadd(f"{_PREFIX}dirty", code)
            pipe.execute()
        except redis.RedisError:
            with self.lock:
                self.pending.update(pending)
            raise

    def take(self, batch: int = 1000) -> dict[str, int]:
        """Remove and return pending counts; `restore` gives back what could not be saved."""
        self.push()
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
        with self.lock:
            self.pending.clear()
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

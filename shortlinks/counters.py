"""Visit counters kept off the database on the hot path, and flushed to it in batches.

With Redis (REDIS_URL) the counters are shared by every process: INCRBY per code and the code
added to a set of dirty codes; a flush SPOPs codes and GETDELs their counters, so each visit is
moved to the database exactly once however many processes flush at the same time. Each process
buffers its own visits and its visits ticker (shortlinks.services) pushes them every second in
one pipeline, so a resolve makes no Redis round trip to count: a process killed without warning
loses at most that last second of counts (it pushes at exit, and gunicorn's worker_exit hook
flushes). While Redis is down the buffer keeps them, and they are pushed when it returns.

Without Redis (the embedded default, one process) the counters live in this process's memory
and the ticker moves them to the database.

The Redis keys are under the deployment's CACHE_KEY_PREFIX, through the cache's own client and
connection pool, so deployments sharing one Redis keep their counts apart.
"""

import logging
import threading
from collections import Counter

import redis
from django.core.cache import caches

from config.cache import RedisCache

logger = logging.getLogger(__name__)


class RedisCounters:
    def __init__(self, cache: RedisCache):
        self.client = cache.redis()
        self.visits = cache.raw_key("sl:visits:")
        self.dirty = cache.raw_key("sl:dirty")
        self.lock = threading.Lock()
        self.pending: Counter[str] = Counter()

    def add(self, code: str) -> None:
        with self.lock:
            self.pending[code] += 1

    def push(self) -> None:
        """Send this process's buffered visits to Redis. Raises RedisError, keeping them."""
        with self.lock:
            pending, self.pending = self.pending, Counter()
        if not pending:
            return
        try:
            pipe = self.client.pipeline(transaction=False)
            for code, count in pending.items():
                pipe.incrby(f"{self.visits}{code}", count)
                pipe.sadd(self.dirty, code)
            pipe.execute()
        except redis.RedisError:
            with self.lock:
                self.pending.update(pending)
            raise

    def take(self, batch: int = 1000) -> dict[str, int]:
        """Remove and return pending counts; `restore` gives back what could not be saved."""
        self.push()
        codes = self.client.spop(self.dirty, batch) or []
        taken = {}
        for raw in codes:
            code = raw.decode()
            count = self.client.getdel(f"{self.visits}{code}")
            if count and int(count) > 0:
                taken[code] = int(count)
        return taken

    def restore(self, counts: dict[str, int]) -> None:
        for code, count in counts.items():
            self.client.incrby(f"{self.visits}{code}", count)
            self.client.sadd(self.dirty, code)

    def clear(self) -> None:
        with self.lock:
            self.pending.clear()
        keys = [self.dirty, *self.client.scan_iter(f"{self.visits}*")]
        self.client.delete(*keys)


class LocalCounters:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()

    def add(self, code: str) -> None:
        with self.lock:
            self.counts[code] += 1

    def push(self) -> None:
        """Nothing to push: the counts are already where a flush takes them from."""

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


_counters: dict[tuple, RedisCounters | LocalCounters] = {}
_counters_lock = threading.Lock()


def get_counters() -> RedisCounters | LocalCounters:
    """The process's counters for the default cache: in Redis when it is Redis."""
    backend = caches["default"]
    key = (type(backend), backend.key_prefix, getattr(backend, "_servers", None) and
           tuple(backend._servers))  # fmt: skip
    counters = _counters.get(key)
    if counters is None:
        with _counters_lock:
            counters = _counters.get(key)
            if counters is None:
                is_redis = isinstance(backend, RedisCache)
                counters = _counters[key] = RedisCounters(backend) if is_redis else LocalCounters()
    return counters

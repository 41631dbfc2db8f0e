"""Visit counters kept off the database on the hot path, and flushed to it in batches.

With Redis (REDIS_URL) the counters are shared by every process: INCRBY per code and the code
added to a set of dirty codes; a flush SPOPs codes and GETDELs their counters, so each visit is
moved to the database exactly once however many processes flush at the same time. Each process
buffers its own visits and its visits ticker (shortlinks.services) pushes them every second in
one pipeline, so a resolve makes no Redis round trip to count: a process killed without warning
loses at most that last second of counts (it pushes at exit, and gunicorn's worker_exit hook
flushes). While Redis is down the buffer keeps them, and they are pushed when it returns.

A push that times out may still be applied: a frozen Redis reads it when it wakes. So each push
is a numbered batch, applied by a script only if the process's last applied number in Redis is
lower, and an unanswered batch is sent again, with its number, before any newer visits: a
replay is applied once, and counts are neither lost nor doubled.

Without Redis (the embedded default, one process) the counters live in this process's memory
and the ticker moves them to the database.

The Redis keys are under the deployment's CACHE_KEY_PREFIX, through the cache's own client and
connection pool, so deployments sharing one Redis keep their counts apart.
"""

import logging
import os
import threading
import uuid
from collections import Counter

from django.core.cache import caches

from config.cache import RedisCache

logger = logging.getLogger(__name__)


# KEYS: the sender's last applied batch number, the dirty set, then one counter per code.
# ARGV: this batch's number, how long the number is kept, then count and code per counter.
_APPLY_BATCH = """
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then
    return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
for i = 3, #KEYS do
    redis.call('INCRBY', KEYS[i], ARGV[2 * i - 3])
    redis.call('SADD', KEYS[2], ARGV[2 * i - 2])
end
return 1
"""


class RedisCounters:
    BATCH_NUMBER_KEPT = 86400  # seconds; a replay arrives within a socket timeout or two

    def __init__(self, cache: RedisCache):
        self.client = cache.redis()
        self.visits = cache.raw_key("sl:visits:")
        self.dirty = cache.raw_key("sl:dirty")
        self.batches = cache.raw_key("sl:batch:")
        self.apply_batch = self.client.register_script(_APPLY_BATCH)
        self._start()
        os.register_at_fork(after_in_child=self._start)

    def _start(self) -> None:
        """An empty buffer and a name of this process's own for its batches: a forked child
        starts afresh (what its parent buffered, the parent sends)."""
        self.lock = threading.Lock()
        self.pending: Counter[str] = Counter()
        self.sender = f"{self.batches}{uuid.uuid4().hex}"
        self.number = 0
        self.unanswered: tuple[int, Counter[str]] | None = None

    def add(self, code: str) -> None:
        with self.lock:
            self.pending[code] += 1

    def push(self) -> None:
        """Send this process's buffered visits to Redis. Raises RedisError, keeping them."""
        for _ in range(2):  # an unanswered batch first, then the visits buffered since
            batch = self._next_batch()
            if batch is None:
                return
            number, counts = batch
            codes = list(counts)
            args = [number, self.BATCH_NUMBER_KEPT]
            for code in codes:
                args += [counts[code], code]
            keys = [self.sender, self.dirty, *(f"{self.visits}{code}" for code in codes)]
            self.apply_batch(keys=keys, args=args)  # applied now, or was applied before
            with self.lock:
                if self.unanswered is batch:
                    self.unanswered = None

    def _next_batch(self) -> tuple[int, Counter[str]] | None:
        """The unanswered batch if there is one, else the buffered visits as a new batch."""
        with self.lock:
            if self.unanswered is None and self.pending:
                self.number += 1
                self.unanswered = (self.number, self.pending)
                self.pending = Counter()
            return self.unanswered

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
        """Give back counts a flush could not save, sent as visits are (kept if Redis fails)."""
        with self.lock:
            self.pending.update(counts)
        self.push()

    def clear(self) -> None:
        with self.lock:
            self.pending.clear()
            self.unanswered = None
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

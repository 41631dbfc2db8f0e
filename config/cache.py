"""Django's Redis cache with one connection pool and one client per process, and a `clear()`
that deletes only this deployment's keys.

Django's backend builds a new `redis.Redis` for every command (on redis-py 6 and later that
copies some 170 response callbacks each time, more than the command itself costs on the
resolve path), and keeps its pools on the backend instance, which Django makes once per thread.
Here pools and clients live for the process, keyed by server and options, and every user of
Redis in this project (cache, throttles, breakers, locks, visit counters) shares them.

Redis is optional for serving: when it is down (refusing, dropping or timing out), reads are
misses and writes are skipped, for DOWN_FOR seconds before Redis is tried again, so a frozen
Redis costs one timeout per process every few seconds instead of one per call. Throttles then
let requests through, cached data is read from the database, and the outage is logged once per
burst (config.outages). Deletes raise ServiceUnavailable instead: a change that must forget a
cached entry is refused (and rolled back) rather than leave the entry to outlive the outage.

`count()` is the shared counter (breakers, per-minute limits) on whatever cache is configured.

Several deployments may share one Redis: every key is under CACHE_KEY_PREFIX, and `clear()`
deletes that prefix's keys instead of Django's FLUSHDB, which would empty the others' too.
"""

import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property

from config import outages

_lock = threading.Lock()
_pools: dict[tuple, object] = {}
_clients: dict[int, object] = {}


class _ProcessWideClient(RedisCacheClient):
    def _get_connection_pool(self, write):
        server = self._servers[self._get_connection_pool_index(write)]
        key = (server, tuple(sorted((k, repr(v)) for k, v in self._pool_options.items())))
        pool = _pools.get(key)
        if pool is None:
            with _lock:
                pool = _pools.setdefault(
                    key, self._pool_class.from_url(server, **self._pool_options)
                )
        return pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = _clients.get(id(pool))
        if client is None:
            with _lock:
                client = _clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


_RAISE = object()
_down_until: dict[tuple, float] = {}  # per server list: when to try Redis again


class RedisCache(DjangoRedisCache):
    DOWN_FOR = 5.0  # seconds Redis is left alone after a failure

    @cached_property
    def _cache(self):
        return _ProcessWideClient(self._servers, **self._options)

    def _guarded(self, call, *args, fallback=_RAISE):
        """Run a cache call; while Redis is down, answer `fallback` (or raise
        ServiceUnavailable when there is none) without trying it."""
        servers = tuple(self._servers)
        if time.monotonic() < _down_until.get(servers, 0.0):
            if fallback is _RAISE:
                raise outages.ServiceUnavailable("redis")
            return fallback
        try:
            return call(*args)
        except outages.REDIS_DOWN as exc:
            _down_until[servers] = time.monotonic() + self.DOWN_FOR
            outages.report("redis", exc)
            if fallback is _RAISE:
                raise outages.ServiceUnavailable("redis") from exc
            return fallback

    # Reads miss and writes are skipped while Redis is down.

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, key, default, version, fallback=default)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, key, version, fallback=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(super().set, key, value, timeout, version, fallback=None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set_many, data, timeout, version, fallback=list(data))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().add, key, value, timeout, version, fallback=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, key, timeout, version, fallback=False)

    def incr(self, key, delta=1, version=None):
        try:
            return self._guarded(super().incr, key, delta, version)
        except outages.ServiceUnavailable as exc:
            # Down, a counter reads as missing, as one that expired does: count() starts over.
            raise ValueError(f"Key '{key}' not found: the cache is unavailable.") from exc

    # Deletes must not be lost: they raise ServiceUnavailable while Redis is down.

    def delete(self, key, version=None):
        return self._guarded(super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._guarded(super().delete_many, keys, version)

    def redis(self):
        """The process's client for this cache's server, for what the cache API cannot say."""
        return self._cache.get_client(write=True)

    def raw_key(self, suffix: str) -> str:
        """A key under this deployment's prefix, for data kept beside the cache."""
        return f"{self.key_prefix}:{suffix}" if self.key_prefix else suffix

    def clear(self):
        client = self.redis()
        pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.unlink(*batch)
                batch.clear()
        if batch:
            client.unlink(*batch)
        return True


def count(key: str, timeout: int) -> int:
    """Add one to a counter every process shares through the default cache; the new value.
    A counter lives `timeout` seconds from its first count."""
    from django.core.cache import cache

    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # it expired between add and incr: this is its first count again
        cache.add(key, 1, timeout=timeout)
        return 1


def add_unless_held(key: str, timeout: int) -> bool:
    """Take `key` for `timeout` seconds; False only when someone holds it. While the cache is
    down nobody can be seen to hold it, and the caller goes ahead (its work must then be
    safe to do twice)."""
    from django.core.cache import cache

    return cache.add(key, 1, timeout=timeout) or cache.get(key) is None

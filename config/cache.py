"""Django's Redis cache with one connection pool and one client per process, and a `clear()`
that deletes only this deployment's keys.

Django's backend builds a new `redis.Redis` for every command (on redis-py 6 and later that
copies some 170 response callbacks each time, more than the command itself costs on the
resolve path), and keeps its pools on the backend instance, which Django makes once per thread.
Here pools and clients live for the process, keyed by server and options, and every user of
Redis in this project (cache, throttles, breakers, locks, visit counters) shares them.

`count()` is the shared counter (breakers, per-minute limits) on whatever cache is configured.

Several deployments may share one Redis: every key is under CACHE_KEY_PREFIX, and `clear()`
deletes that prefix's keys instead of Django's FLUSHDB, which would empty the others' too.
"""

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property

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


class RedisCache(DjangoRedisCache):
    @cached_property
    def _cache(self):
        return _ProcessWideClient(self._servers, **self._options)

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

"""Django's Redis cache, keeping one redis-py client per connection pool.

Django's backend builds a new `redis.Redis` for every command. On redis-py 6 and later that
copies some 170 response callbacks each time, which on the resolve path cost more than the
command itself. A client is safe to share between threads (each command takes a connection
from the pool), so one per pool is kept for the life of the process.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    @cached_property
    def _cache(self):
        return _ReusingClient(self._servers, **self._options)

"""The deployment's one WeChat access token, shared by every process through the cache.

WeChat's stable token (`/cgi-bin/stable_token`) stays the same until it nears expiry, and a
forced refresh is rate-limited, so: one process at a time fetches (a lock in the cache), the
others wait briefly for its result instead of asking too; the token is renewed ahead of expiry
by whichever process first sees it is due; `force_refresh` only after WeChat said the token is
invalid (40001, 42001, 40014), once.
"""

import time
from collections.abc import Callable

from django.core.cache import cache

RENEW_BEFORE = 600  # seconds before expiry one process renews it
LOCK_SECONDS = 10
WAIT_SECONDS = 3.0


def _keys(app_id: str) -> tuple[str, str]:
    return f"wechat:token:v2:{app_id}", f"wechat:token:lock:{app_id}"


def access_token(app_id: str, fetch: Callable[[bool], tuple[str, int]], *, force=False) -> str:
    """The shared token. `fetch(force_refresh)` asks WeChat: (token, expires_in seconds).

    Raises whatever `fetch` raises when no usable token can be had.
    """
    key, lock = _keys(app_id)
    held = cache.get(key)
    now = time.time()
    if held and not force:
        token, expires_at = held
        if now < expires_at - RENEW_BEFORE or not cache.add(lock, 1, LOCK_SECONDS):
            return token  # fresh, or someone else is renewing it and this one still works
        return _fetch_and_share(key, lock, fetch, force=False)
    if cache.add(lock, 1, LOCK_SECONDS):
        return _fetch_and_share(key, lock, fetch, force=force)
    # Another process is fetching: wait for its token rather than asking WeChat too.
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        fetched = cache.get(key)
        if fetched and fetched != held:
            return fetched[0]
    return _fetch_and_share(key, lock, fetch, force=force)


def _fetch_and_share(key: str, lock: str, fetch, *, force: bool) -> str:
    try:
        token, expires_in = fetch(force)
        cache.set(key, (token, time.time() + expires_in), max(expires_in - 60, 60))
        return token
    finally:
        cache.delete(lock)


def forget(app_id: str) -> None:
    cache.delete(_keys(app_id)[0])

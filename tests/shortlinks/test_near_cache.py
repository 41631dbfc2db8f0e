"""Each process's near copy of link data read from Redis (SHORTLINK_NEAR_CACHE_SECONDS): a
burst of scans asks Redis once, a change to who may use a link is never undone by a copy, and
a resolve that read the old state cannot put it back in the cache after the change.
(Across processes: tests/config/test_production.py, with two gunicorn workers.)"""

import threading
import time

import pytest

from album import services as album_services
from shortlinks import selectors
from tests.factories import AlbumFactory, ShareFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEAR = 0.5


@pytest.fixture
def near(settings):
    settings.SHORTLINK_NEAR_CACHE_SECONDS = NEAR


@pytest.fixture
def redis_cache(redis_cache, near):
    """tests/conftest.py's Redis cache, with the near copy on."""
    return redis_cache


@pytest.fixture
def share(owner, member):
    return ShareFactory(album=AlbumFactory(owner=owner, members=[member]))


def redis_gets(server) -> int:
    import redis

    stats = redis.Redis(port=server.port).info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget"))


def test_a_burst_of_scans_asks_redis_once_per_interval(api, share, redis_cache):
    scan = f"/api/v1/shortlinks/{share.code}"
    api.get(scan)
    before = redis_gets(redis_cache)

    burst = [api.get(scan).status_code for _ in range(50)]
    asked_in_burst = redis_gets(redis_cache) - before
    time.sleep(NEAR)
    api.get(scan)

    assert burst == [200] * 50
    assert asked_in_burst == 0
    assert redis_gets(redis_cache) - before == 1  # the copy expired: asked again


def test_a_revoke_is_answered_once_no_copy_can_serve_the_link(api, owner, share, redis_cache):
    scan = f"/api/v1/shortlinks/{share.code}"
    api.get(scan)

    started = time.monotonic()
    revoked = api.as_user(owner).delete(scan)
    took = time.monotonic() - started

    assert revoked.status_code == 204
    assert took >= NEAR
    assert api.as_user(None).get(scan).status_code == 410


def test_making_an_album_private_holds_its_answer_once_for_all_its_links(api, owner, member, near):
    album = AlbumFactory(owner=owner, members=[member])
    links = [ShareFactory(album=album, role=role) for role in ("viewer", "contributor")]
    for link in links:
        api.get(f"/api/v1/shortlinks/{link.code}")

    started = time.monotonic()
    changed = api.as_user(owner).patch(
        f"/api/v1/albums/{album.id}", {"visibility": "private"}, format="json"
    )
    took = time.monotonic() - started

    assert changed.status_code == 200
    assert NEAR <= took < 2 * NEAR
    assert [api.get(f"/api/v1/shortlinks/{link.code}").status_code for link in links] == [404] * 2


def test_a_title_change_shows_without_holding_the_answer(api, owner, share, near):
    api.get(f"/s/{share.code}")

    started = time.monotonic()
    api.as_user(owner).patch(f"/api/v1/albums/{share.album_id}", {"title": "夏天"}, format="json")
    took = time.monotonic() - started

    assert took < NEAR
    assert "夏天" in api.get(f"/s/{share.code}").content.decode()


def test_a_resolve_that_read_the_old_state_cannot_put_it_back_after_a_revoke(
    api, owner, share, monkeypatch
):
    """The resolve reads the database, the revoke commits and forgets, then the resolve writes
    what it read to the cache: the next scan must still see the revoke."""
    read_done, revoked = threading.Event(), threading.Event()
    read_as_of = selectors.meta_of

    def slow_meta_of(link):
        meta = read_as_of(link)
        read_done.set()
        revoked.wait(5)
        return meta

    monkeypatch.setattr(selectors, "meta_of", slow_meta_of)
    resolving = threading.Thread(target=selectors.link_meta, args=(share.code,))
    resolving.start()
    read_done.wait(5)
    monkeypatch.setattr(selectors, "meta_of", read_as_of)
    assert api.as_user(owner).delete(f"/api/v1/shortlinks/{share.code}").status_code == 204
    revoked.set()
    resolving.join(5)

    assert selectors.link_meta(share.code)["revoked"] is True


def test_a_change_made_outside_a_request_holds_no_later_request(api, owner, share, near):
    album_services.album_update(album=share.album, actor=owner, visibility="private")

    started = time.monotonic()
    api.get("/healthz")

    assert time.monotonic() - started < NEAR


def test_a_process_keeps_a_bounded_amount_of_link_data(near):
    from config.nearcache import NearCache

    copies = NearCache("SHORTLINK_NEAR_CACHE_SECONDS", max_bytes=100_000)
    asked_at = copies.now()
    for n in range(100):  # 100 mini-program codes of 50 KB each: 5 MB offered
        copies.set_many({f"image:{n}": (b"x" * 50_000, '"etag"')}, asked_at)

    kept = [n for n in range(100) if copies.get_many([f"image:{n}"]) is not None]
    assert 0 < len(kept) <= 2
    assert 99 in kept  # the newest is kept

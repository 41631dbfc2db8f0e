"""Redis is optional for serving: with it stopped or frozen, scans resolve from the database,
throttled writes go through, visits wait in the process, and only a change that must forget a
cached entry is refused (503 with Retry-After, nothing changed). One warning per burst."""

import logging
import time

import pytest

from shortlinks.counters import RedisCounters, get_counters
from shortlinks.models import ShortLink
from tests.factories import AlbumFactory, ShareFactory

# Real commits: invalidation happens inside the transaction and again after it commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def share(owner, member):
    return ShareFactory(album=AlbumFactory(owner=owner, members=[member]))


def outage_warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == "dependency unavailable"]


def test_with_redis_stopped_scans_resolve_and_writes_go_through(
    api, member, share, redis_cache, caplog
):
    api.as_user(member).get(f"/api/v1/shortlinks/{share.code}")  # metadata now cached
    redis_cache.stop()

    scans = [api.as_user(None).get(f"/api/v1/shortlinks/{share.code}") for _ in range(5)]
    page = api.get(f"/s/{share.code}")
    comment = api.as_user(member).post(
        f"/api/v1/albums/{share.album_id}/comments", {"body": "still here"}, format="json"
    )

    assert [s.status_code for s in scans] == [200] * 5
    assert page.status_code == 200
    assert comment.status_code == 201  # the throttle let it through
    warnings = outage_warnings(caplog)
    assert len(warnings) == 1
    assert warnings[0].dependency == "redis"


def test_with_redis_stopped_a_revoke_is_refused_and_the_link_keeps_working(
    api, owner, share, redis_cache
):
    api.get(f"/api/v1/shortlinks/{share.code}")
    redis_cache.stop()

    refused = api.as_user(owner).delete(f"/api/v1/shortlinks/{share.code}")

    assert refused.status_code == 503
    assert refused["Retry-After"] == "5"
    assert (refused.json()["code"], refused.json()["dependency"]) == (
        "service_unavailable",
        "redis",
    )
    assert ShortLink.objects.get(pk=share.pk).revoked_at is None

    redis_cache.start()  # empty, as a restarted Redis without persistence is
    time.sleep(0.6)  # past DOWN_FOR: Redis is tried again
    assert api.as_user(owner).delete(f"/api/v1/shortlinks/{share.code}").status_code == 204
    assert api.as_user(None).get(f"/api/v1/shortlinks/{share.code}").status_code == 410


def test_a_frozen_redis_costs_one_timeout_not_one_per_request(api, share, redis_cache):
    api.get(f"/api/v1/shortlinks/{share.code}")
    redis_cache.freeze()
    try:
        started = time.monotonic()
        scans = [api.get(f"/api/v1/shortlinks/{share.code}") for _ in range(10)]
        took = time.monotonic() - started
    finally:
        redis_cache.thaw()

    assert [s.status_code for s in scans] == [200] * 10
    # Ten scans, each reading the cache and the throttle: one 0.3 s timeout per call would
    # be several seconds; Redis is left alone after the first.
    assert took < 2.0


def test_visits_counted_while_redis_is_down_are_pushed_when_it_returns(
    api, share, redis_cache, caplog
):
    api.get(f"/api/v1/shortlinks/{share.code}")
    redis_cache.stop()
    for _ in range(3):
        api.get(f"/api/v1/shortlinks/{share.code}")
    counters = get_counters()
    assert isinstance(counters, RedisCounters)
    with pytest.raises(Exception, match="(?i)connect"):
        counters.push()  # the ticker's push fails and keeps them

    redis_cache.start()
    counters.push()

    assert counters.take() == {share.code: 4}


def test_visits_pushed_into_a_frozen_redis_are_counted_once_when_it_wakes(share, redis_cache):
    counters = get_counters()
    counters.add(share.code)
    counters.push()  # the process's connection to Redis is open
    for _ in range(3):
        counters.add(share.code)
    redis_cache.freeze()
    try:
        with pytest.raises(Exception, match="(?i)timeout"):
            counters.push()  # sent, unanswered: Redis will apply it when it wakes
    finally:
        redis_cache.thaw()
    counters.add(share.code)
    time.sleep(0.2)  # Redis has woken and applied what it was sent

    counters.push()  # the unanswered batch again, then the new visit

    assert counters.take() == {share.code: 5}

"""Two deployments on one Redis, as the README allows: every key under its CACHE_KEY_PREFIX,
so their caches and visit counts stay apart, and clearing one leaves the other."""

import os

import pytest

from config.cache import RedisCache
from shortlinks.counters import RedisCounters


@pytest.fixture
def deployments(private_redis):
    options = {"socket_timeout": 2, "socket_connect_timeout": 2}
    one = RedisCache(private_redis, {"KEY_PREFIX": "one", "OPTIONS": options})
    two = RedisCache(private_redis, {"KEY_PREFIX": "two", "OPTIONS": options})
    return one, two


def test_caches_and_visit_counts_stay_apart(deployments):
    one, two = deployments
    one.set("sl:meta:v1:CODE", "one's")
    two.set("sl:meta:v1:CODE", "two's")
    counts_one, counts_two = RedisCounters(one), RedisCounters(two)
    for _ in range(3):
        counts_one.add("CODE")
    counts_two.add("CODE")

    assert (one.get("sl:meta:v1:CODE"), two.get("sl:meta:v1:CODE")) == ("one's", "two's")
    assert counts_one.take() == {"CODE": 3}
    assert counts_two.take() == {"CODE": 1}


def test_clearing_one_deployment_leaves_the_other(deployments):
    one, two = deployments
    one.set("throttle", 1)
    two.set("throttle", 2)
    counts_two = RedisCounters(two)
    counts_two.add("CODE")
    counts_two.push()

    one.clear()

    assert one.get("throttle") is None
    assert two.get("throttle") == 2
    assert counts_two.take() == {"CODE": 1}
    every_key = {k.decode() for k in two.redis().scan_iter("*")}
    assert every_key
    assert all(k.startswith("two:") for k in every_key)


def test_every_cache_in_a_process_shares_one_connection_pool(deployments):
    one, two = deployments

    assert one.redis() is two.redis()
    assert one.redis().connection_pool is RedisCounters(two).client.connection_pool


def test_workers_forked_from_one_loaded_master_count_their_own_visits(deployments):
    one, _ = deployments
    counters = RedisCounters(one)  # made before the fork, as a preloading master could
    counters.add("CODE")
    counters.push()
    workers = []
    for visits in (2, 3):
        pid = os.fork()
        if pid == 0:  # a worker: its own visits, sent under a batch number of its own
            for _ in range(visits):
                counters.add("CODE")
            counters.push()
            os._exit(0)
        workers.append(pid)
    for pid in workers:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0

    assert counters.take() == {"CODE": 6}

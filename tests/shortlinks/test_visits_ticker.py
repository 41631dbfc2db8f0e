"""Nothing stranded: visits each process counted reach the database on a timer, with no
further traffic (the process's visits ticker), and when the process exits."""

import time

import pytest

from shortlinks import services
from shortlinks.models import ShortLink

LINKS = "/api/v1/shortlinks"

# The ticker's thread writes with its own connection: real commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ticking(settings):
    settings.VISITS_IN_BACKGROUND = True
    yield services._visits_ticker
    services._visits_ticker.stop()


def visit_count(link) -> int:
    return ShortLink.objects.values_list("visit_count", flat=True).get(pk=link.pk)


def test_visits_reach_the_database_after_a_quiet_spell_without_more_traffic(api, link, ticking):
    for _ in range(7):
        assert api.get(f"{LINKS}/{link.code}").status_code == 200

    deadline = time.monotonic() + 15  # a flush every 5 s; nothing else happens meanwhile
    while visit_count(link) < 7 and time.monotonic() < deadline:
        time.sleep(0.25)

    assert visit_count(link) == 7


def test_visits_are_flushed_when_the_process_stops(api, link, ticking):
    for _ in range(3):
        api.get(f"{LINKS}/{link.code}")

    ticking.stop()  # what happens at exit

    assert visit_count(link) == 3

"""The database cuts off a statement that runs too long (the services suites: PostgreSQL and
MariaDB); the request that ran it answers 503 like any other database outage."""

import pytest
from django.conf import settings
from django.db import OperationalError, connection

from config import outages

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no statement timeout; the services suites run this")
    return connection.vendor


def session_limit_ms() -> float:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout'")
            return cursor.fetchone()[0]
        variable = "max_statement_time" if connection.mysql_is_mariadb else "max_execution_time"
        cursor.execute(f"SELECT @@SESSION.{variable}")
        value = float(cursor.fetchone()[0])
        return value * 1000 if connection.mysql_is_mariadb else value


def test_every_connection_carries_the_statement_timeout(server):
    assert session_limit_ms() == settings.DATABASE_STATEMENT_TIMEOUT_MS


def test_a_statement_past_the_timeout_is_cut_off_and_counts_as_an_outage(server):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL statement_timeout = 200")
            sleep = "SELECT pg_sleep(2)"
        elif connection.mysql_is_mariadb:
            cursor.execute("SET SESSION max_statement_time = 0.2")
            sleep = "SELECT SLEEP(2)"
        else:  # MySQL's SLEEP() returns 1 when interrupted instead of failing
            pytest.skip("MySQL 8 is not on these machines to find a statement that fails")
        with pytest.raises(OperationalError) as cut:
            cursor.execute(sleep)

    assert outages.dependency_down(cut.value) == "database"

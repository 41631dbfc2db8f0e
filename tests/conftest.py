"""Standing actors and the API client every test shares."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts import tokens
from accounts.models import User


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttles, counters and breakers start empty for every test."""
    cache.clear()
    yield
    cache.clear()


def make_user(name: str, **extra) -> User:
    return User.objects.create(
        username=f"wx-{name}", openid=f"openid-{name}", nickname=name, **extra
    )


@pytest.fixture
def owner(db):
    return make_user("owner")


@pytest.fixture
def member(db):
    return make_user("member")


@pytest.fixture
def outsider(db):
    return make_user("outsider")


class Client(APIClient):
    """An API client that can act as a user through a real bearer token."""

    def as_user(self, user: User | None) -> "Client":
        if user is None:
            self.credentials()
        else:
            self.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.issue(user.pk)}")
        return self


@pytest.fixture
def api():
    """A client for an anonymous caller; `api.as_user(owner)` to act as someone."""
    return Client()


@pytest.fixture
def anonymous():
    """The caller with no token, for permission matrices that name their actors."""
    return None


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

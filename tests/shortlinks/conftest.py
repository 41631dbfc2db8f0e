import pytest

from tests.factories import AlbumFactory, LinkFactory, ShareFactory


@pytest.fixture
def album(owner, member):
    return AlbumFactory(owner=owner, title="Family", members=[member])


@pytest.fixture
def share(album):
    return ShareFactory(album=album, role="viewer")


@pytest.fixture
def link(owner):
    return LinkFactory(creator=owner)

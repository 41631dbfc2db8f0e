import pytest

from album import services as album_services
from shortlinks import services


@pytest.fixture
def album(owner, member):
    album = album_services.album_create(owner=owner, title="Family", visibility="members")
    album_services.member_join(album=album, user=member, role="viewer")
    return album


@pytest.fixture
def share(album, owner):
    link, _ = services.album_share(album=album, actor=owner, role="viewer")
    return link


@pytest.fixture
def link(owner):
    return services.shortlink_create(creator=owner, page="pages/event/index", params={"id": 7})

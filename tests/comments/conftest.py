import pytest

from album import services as album_services
from comments import services
from tests.album.helpers import photo_record


@pytest.fixture
def album(owner, member):
    album = album_services.album_create(owner=owner, title="Party", visibility="members")
    album_services.member_join(album=album, user=member, role="contributor")
    return album


@pytest.fixture
def photo(album, member):
    return photo_record(album, member)


@pytest.fixture
def comment(member, album, photo):
    return services.comment_create(user=member, album=album, photo=photo, body="Nice one")

import pytest

from album import services as album_services
from album.models import Photo
from comments import services


@pytest.fixture
def album(owner, member):
    album = album_services.album_create(owner=owner, title="Party", visibility="members")
    album_services.member_join(album=album, user=member, role="contributor")
    return album


@pytest.fixture
def photo(album, member):
    return Photo.objects.create(
        album=album,
        uploader=member,
        original="p/o.jpg",
        large="p/l.jpg",
        thumb="p/t.jpg",
        width=10,
        height=10,
        bytes=1,
        sha256="0" * 64,
        content_type="image/jpeg",
    )


@pytest.fixture
def comment(member, album, photo):
    return services.comment_create(user=member, album=album, photo=photo, body="Nice one")

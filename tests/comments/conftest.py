import pytest

from tests.factories import AlbumFactory, CommentFactory, PhotoFactory


@pytest.fixture
def album(owner, member, contributor):
    return AlbumFactory(owner=owner, title="Party", members=[member], contributors=[contributor])


@pytest.fixture
def photo(album, contributor):
    return PhotoFactory(album=album, uploader=contributor)


@pytest.fixture
def comment(member, album, photo):
    return CommentFactory(author=member, album=album, photo=photo)

"""Albums with their standing actors: the owner, a member (viewer), a contributor, an outsider."""

import pytest

from album.models import Album
from tests.factories import AlbumFactory


@pytest.fixture
def album(owner, member):
    """A members-only album the owner made and the member joined as a viewer."""
    return AlbumFactory(owner=owner, title="Trip", visibility=Album.Visibility.MEMBERS,
                        members=[member])  # fmt: skip


@pytest.fixture
def shared_album(album, contributor):
    from album import services

    services.member_join(album=album, user=contributor, role="contributor")
    return album

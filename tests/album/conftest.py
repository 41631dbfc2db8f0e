"""Albums with their standing actors: the owner, a member (viewer), an outsider."""

import pytest

from album import services
from album.models import Album, Membership


@pytest.fixture
def album(owner, member):
    """A members-only album the owner made and the member joined as a viewer."""
    album = services.album_create(owner=owner, title="Trip", visibility=Album.Visibility.MEMBERS)
    services.member_join(album=album, user=member, role=Membership.Role.VIEWER)
    return album


@pytest.fixture
def contributor(db):
    from tests.conftest import make_user

    return make_user("contributor")


@pytest.fixture
def shared_album(album, contributor):
    services.member_join(album=album, user=contributor, role=Membership.Role.CONTRIBUTOR)
    return album

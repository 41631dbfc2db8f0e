"""The owner changes a member's role (viewer <-> contributor) with If-Match; the member's next
request has it; nobody else may, and the owner's own role never changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from album.models import Album, Membership
from audit.models import LogEntry
from tests.album import pictures
from tests.factories import AlbumFactory

pytestmark = pytest.mark.usefixtures("local_photos")


@pytest.fixture
def album(owner, member, contributor):
    return AlbumFactory(owner=owner, visibility=Album.Visibility.MEMBERS, members=[member],
                        contributors=[contributor])  # fmt: skip


def member_url(album, user) -> str:
    return f"/api/v1/albums/{album.pk}/members/{user.pk}"


def set_role(api, actor, album, user, role, **headers):
    return api.as_user(actor).put(member_url(album, user), {"role": role}, format="json",
                                  **headers)  # fmt: skip


def upload(api, user, album):
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg")}
    return api.as_user(user).post(f"/api/v1/albums/{album.pk}/photos", form, format="multipart")


def test_a_viewer_made_contributor_uploads_on_the_next_request(api, owner, member, album):
    assert upload(api, member, album).status_code == 403
    read = api.as_user(owner).get(member_url(album, member))

    changed = set_role(api, owner, album, member, "contributor", HTTP_IF_MATCH=read["ETag"])

    assert changed.status_code == 200
    assert changed.json()["role"] == "contributor"
    assert changed["ETag"] != read["ETag"]
    assert upload(api, member, album).status_code == 201
    entry = LogEntry.objects.get(action="membership.role_changed")
    assert (entry.actor, entry.data["role"]) == (owner, ["viewer", "contributor"])


def test_a_contributor_made_viewer_no_longer_uploads(api, owner, contributor, album):
    assert set_role(api, owner, album, contributor, "viewer").status_code == 200

    assert upload(api, contributor, album).status_code == 403


def test_a_stale_if_match_changes_nothing(api, owner, member, album):
    read = api.as_user(owner).get(member_url(album, member))
    set_role(api, owner, album, member, "contributor")

    stale = set_role(api, owner, album, member, "viewer", HTTP_IF_MATCH=read["ETag"])

    assert stale.status_code == 412
    assert Membership.objects.get(album=album, user=member).role == "contributor"


@pytest.mark.parametrize("actor", ["member", "contributor", "outsider"])
def test_only_the_owner_changes_roles(api, request, owner, member, album, actor):
    answer = set_role(api, request.getfixturevalue(actor), album, member, "contributor")

    assert answer.status_code == (404 if actor == "outsider" else 403)
    assert Membership.objects.get(album=album, user=member).role == "viewer"


def test_the_owners_role_never_changes_and_nobody_becomes_owner(api, owner, member, album):
    own = set_role(api, owner, album, owner, "viewer")
    promote = set_role(api, owner, album, member, "owner")

    assert (own.status_code, own.json()["code"]) == (400, "owner_role_fixed")
    assert (promote.status_code, promote.json()["code"]) == (400, "invalid")
    assert Membership.objects.get(album=album, user=owner).role == "owner"
    assert Membership.objects.get(album=album, user=member).role == "viewer"


def test_someone_not_a_member_is_not_found(api, owner, outsider, album):
    assert set_role(api, owner, album, outsider, "viewer").status_code == 404
    assert api.as_user(owner).get(member_url(album, outsider)).status_code == 404

"""Membership rules kept in the services: removals are remembered, roles come from one
vocabulary, and every read of a photo (a replayed upload complete too) checks access."""

import pytest
from django.db import IntegrityError, transaction

from album import services
from album.models import Membership, Removal
from config.problems import Invalid
from shortlinks.models import ShortLink
from tests.album import pictures
from tests.album.helpers import upload_file
from tests.factories import ShareFactory


def remove(api, owner, album, user):
    return api.as_user(owner).delete(f"/api/v1/albums/{album.pk}/members/{user.pk}")


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_a_removed_member_cannot_walk_back_in_through_the_old_link(
    api, owner, album, outsider, role
):
    share = ShareFactory(album=album, role=role)
    assert api.as_user(outsider).get(f"/api/v1/shortlinks/{share.code}").status_code == 200
    assert Membership.objects.get(album=album, user=outsider).role == role

    assert remove(api, owner, album, outsider).status_code == 204
    again = api.as_user(outsider).get(f"/api/v1/shortlinks/{share.code}")

    assert again.status_code == 403
    assert again.json()["code"] == "removed_from_album"
    assert "new one" in again.json()["detail"]
    assert not Membership.objects.filter(album=album, user=outsider).exists()
    assert api.as_user(outsider).get(f"/api/v1/albums/{album.pk}").status_code == 404


def test_a_new_link_lets_a_removed_member_back_in_but_no_link_made_before_the_removal(
    api, owner, album, outsider
):
    old = ShareFactory(album=album, role="viewer")
    older_contributor_link = ShareFactory(album=album, role="contributor")
    api.as_user(outsider).get(f"/api/v1/shortlinks/{old.code}")
    remove(api, owner, album, outsider)

    # The owner revokes the old link and shares again: a link made after the removal.
    api.as_user(owner).delete(f"/api/v1/shortlinks/{old.code}")
    new = api.as_user(owner).post(f"/api/v1/albums/{album.pk}/share", {"role": "viewer"})
    joined = api.as_user(outsider).get(f"/api/v1/shortlinks/{new.json()['code']}")
    # Back in as a viewer, the links from before the removal still do not let them further.
    promoted = api.as_user(outsider).get(f"/api/v1/shortlinks/{older_contributor_link.code}")

    assert new.status_code == 201
    assert joined.status_code == 200
    assert (promoted.status_code, promoted.json()["code"]) == (403, "removed_from_album")
    assert Membership.objects.get(album=album, user=outsider).role == "viewer"
    assert Removal.objects.filter(album=album, user=outsider).exists()


def test_a_member_who_left_may_come_back_through_the_same_link(api, album, outsider):
    share = ShareFactory(album=album, role="viewer")
    api.as_user(outsider).get(f"/api/v1/shortlinks/{share.code}")
    left = api.as_user(outsider).delete(f"/api/v1/albums/{album.pk}/members/{outsider.pk}")

    back = api.as_user(outsider).get(f"/api/v1/shortlinks/{share.code}")

    assert left.status_code == 204
    assert back.status_code == 200
    assert Membership.objects.filter(album=album, user=outsider).exists()


@pytest.mark.parametrize("role", ["owner", "boss", ""])
def test_nobody_joins_with_a_role_outside_viewer_and_contributor(album, outsider, role):
    with pytest.raises(Invalid):
        services.member_join(album=album, user=outsider, role=role)

    assert not Membership.objects.filter(album=album, user=outsider).exists()


def test_the_database_refuses_roles_outside_the_vocabulary_and_a_second_owner(album, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(album=album, user=member).update(role="boss")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(album=album, user=member).update(role="owner")
    with pytest.raises(IntegrityError), transaction.atomic():
        ShortLink.objects.create(code="A" * 32, kind="album_share", album=album, role="boss",
                                 page="pages/album/index")  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        ShortLink.objects.create(code="", page="pages/x/index")

    assert Membership.objects.get(album=album, user=member).role == "viewer"


@pytest.mark.django_db(transaction=True)
def test_replaying_a_complete_after_being_removed_shows_nothing(
    api, owner, album, contributor, local_photos
):
    services.member_join(album=album, user=contributor, role="contributor")
    created = api.as_user(contributor).post(
        f"/api/v1/albums/{album.pk}/uploads",
        {"filename": "a.jpg", "content_type": "image/jpeg"},
        format="json",
    )
    ticket = created.json()
    upload_file(api, ticket, pictures.jpeg())
    first = api.as_user(contributor).post(f"/api/v1/uploads/{ticket['upload_id']}/complete")
    remove(api, owner, album, contributor)

    replay = api.as_user(contributor).post(f"/api/v1/uploads/{ticket['upload_id']}/complete")

    assert first.status_code == 201
    assert replay.status_code == 404
    assert "urls" not in replay.json()
    assert api.as_user(contributor).get(f"/api/v1/photos/{first.json()['id']}").status_code == 404

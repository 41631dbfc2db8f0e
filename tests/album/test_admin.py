"""Operators in the admin: what they add, change and delete goes through the album services,
is logged as theirs, and cannot break the rules the API keeps (one owner, kept members)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from album.models import Album, Membership, Photo, Removal
from audit.models import LogEntry
from tests.album import pictures
from tests.album.helpers import stored_keys


@pytest.fixture
def photo(api, owner, album, local_photos):
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg")}
    response = api.as_user(owner).post(
        f"/api/v1/albums/{album.id}/photos", form, format="multipart"
    )
    return Photo.objects.get(pk=response.json()["id"])


def inline_management(album, **extra) -> dict:
    """The membership inline's formset fields, as the change page posts them."""
    count = album.memberships.count()
    return {
        "memberships-TOTAL_FORMS": str(count),
        "memberships-INITIAL_FORMS": str(count),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_an_album_added_in_the_admin_is_its_owners(staff_client, api, owner):
    response = staff_client.post(
        "/admin/album/album/add/",
        {"owner": owner.pk, "title": "Made by staff", "description": "", "visibility": "members"},
    )

    assert response.status_code == 302, response.content
    album = Album.objects.get(title="Made by staff")
    listed = api.as_user(owner).get("/api/v1/albums").json()["results"]
    assert [a["id"] for a in listed] == [album.pk]
    assert listed[0]["my_role"] == "owner"
    entry = LogEntry.objects.get(action="album.created")
    assert (entry.actor.username, entry.object_id) == ("operator", str(album.pk))


def test_the_admin_cannot_add_a_second_owner_or_delete_the_owners_membership(
    staff_client, album, owner, member
):
    form = {"owner": owner.pk, "title": "Trip", "description": "", "visibility": "members",
            **inline_management(album)}  # fmt: skip
    # A forged extra inline row asking for a second owner is ignored: the inline is read-only.
    form.update({"memberships-TOTAL_FORMS": "3", "memberships-2-user": member.pk,
                 "memberships-2-role": "owner"})  # fmt: skip
    staff_client.post(f"/admin/album/album/{album.pk}/change/", form)
    owners = Membership.objects.filter(album=album, role="owner")
    owner_row = owners.get()

    delete_owner = staff_client.post(
        f"/admin/album/membership/{owner_row.pk}/delete/", {"post": "yes"}
    )
    add_member = staff_client.get("/admin/album/membership/add/")

    assert owner_row.user == owner
    assert delete_owner.status_code == 403
    assert add_member.status_code == 403
    assert Membership.objects.filter(album=album, user=member, role="viewer").exists()


def test_renaming_in_the_admin_is_logged_as_the_staff_user(staff_client, album, owner):
    form = {"owner": owner.pk, "title": "Renamed", "description": "", "visibility": "private",
            **inline_management(album)}  # fmt: skip

    response = staff_client.post(f"/admin/album/album/{album.pk}/change/", form)

    assert response.status_code == 302, response.content
    album.refresh_from_db()
    assert (album.title, album.visibility) == ("Renamed", "private")
    entry = LogEntry.objects.get(action="album.updated")
    assert entry.actor.username == "operator"
    assert entry.actor_is_staff
    assert entry.data["changes"] == {"title": ["Trip", "Renamed"],
                                     "visibility": ["members", "private"]}  # fmt: skip


def test_staff_removing_a_member_is_remembered_and_logged_as_staff(staff_client, album, member):
    membership = Membership.objects.get(album=album, user=member)

    response = staff_client.post(
        f"/admin/album/membership/{membership.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Removal.objects.get(album=album, user=member).removed_by.username == "operator"
    entry = LogEntry.objects.get(action="membership.removed")
    assert (entry.actor.username, entry.data["user_id"]) == ("operator", member.pk)


def test_album_list_shows_cover_thumbnail_and_finds_by_owner_openid(staff_client, album, photo):
    response = staff_client.get("/admin/album/album/", {"q": album.owner.openid})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Trip" in html
    assert photo.thumb.name in html


def test_photo_pages_show_the_thumbnail(staff_client, photo):
    listing = staff_client.get("/admin/album/photo/").content.decode()
    page = staff_client.get(f"/admin/album/photo/{photo.pk}/change/").content.decode()

    assert photo.thumb.name in listing
    assert photo.thumb.name in page


def test_captioning_a_photo_in_the_admin_goes_through_the_service(staff_client, photo):
    response = staff_client.post(f"/admin/album/photo/{photo.pk}/change/", {"caption": "Dusk"})

    assert response.status_code == 302, response.content
    photo.refresh_from_db()
    assert photo.caption == "Dusk"
    entry = LogEntry.objects.get(action="photo.updated")
    assert (entry.actor.username, entry.data["changes"]) == ("operator", {"caption": ["", "Dusk"]})


@pytest.mark.django_db(transaction=True)
def test_deleting_a_photo_in_the_admin_removes_its_objects_and_names_the_staff_user(
    staff_client, photo
):
    response = staff_client.post(f"/admin/album/photo/{photo.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert stored_keys() == []
    entry = LogEntry.objects.get(action="photo.deleted")
    assert entry.actor.username == "operator"


@pytest.mark.django_db(transaction=True)
def test_deleting_an_album_in_the_admin_names_the_staff_user_not_the_owner(
    staff_client, album, photo
):
    response = staff_client.post(f"/admin/album/album/{album.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Album.objects.filter(pk=album.pk).exists()
    assert stored_keys() == []
    entry = LogEntry.objects.get(action="album.deleted")
    assert (entry.actor.username, entry.data["owner_id"]) == ("operator", album.owner_id)


def test_uploads_are_read_only_in_the_admin(staff_client):
    assert staff_client.get("/admin/album/upload/add/").status_code == 403


def test_view_only_staff_see_and_run_no_moderation_action(client, owner, contributor, album):
    from django.contrib.auth.models import Permission

    from comments.models import Comment
    from shortlinks.models import ShortLink
    from tests.factories import CommentFactory, PhotoFactory, ShareFactory, StaffFactory

    viewer = StaffFactory(username="viewer", is_superuser=False)
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    photo = PhotoFactory(album=album, uploader=owner, review="review")
    comment = CommentFactory(album=album, author=contributor)
    share = ShareFactory(album=album)
    attempts = {
        "/admin/album/photo/": ("reject", photo.pk),
        "/admin/album/photoinreview/": ("approve", photo.pk),
        "/admin/comments/comment/": ("hide", comment.pk),
        "/admin/shortlinks/shortlink/": ("revoke", share.pk),
    }

    for page, (action, pk) in attempts.items():
        listed = client.get(page)
        assert listed.status_code == 200, page
        assert f'value="{action}"' not in listed.content.decode(), page
        client.post(page, {"action": action, "_selected_action": [str(pk)]})

    assert Photo.objects.get(pk=photo.pk).review == "review"
    assert Comment.objects.get(pk=comment.pk).hidden_at is None
    assert ShortLink.objects.get(pk=share.pk).revoked_at is None

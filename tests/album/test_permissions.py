"""Who may do what to albums, members, photos and uploads: one table, every API operation.

Each row is (method, path, body) and the status each standing actor gets. `owner` made the
album, `member` joined as a viewer, `contributor` as a contributor and uploaded the photo,
`outsider` is logged in and not in it, `anonymous` has no token. Someone who may not see the
album gets a 404 (it might as well not exist); someone who sees it but may not act, a 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from album import services
from tests.album import pictures
from tests.album.helpers import upload_file
from tests.factories import AlbumFactory, PhotoFactory
from tests.matrix import cases, send, statuses


def photo_form():
    return {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(64, 48), "image/jpeg")}


def forged_local_upload():
    file = SimpleUploadedFile("p.jpg", pictures.jpeg(64, 48), "image/jpeg")
    return {"key": "uploads/x", "policy": "forged", "Content-Type": "image/jpeg", "file": file}


ticket = {"filename": "a.jpg", "content_type": "image/jpeg"}

MATRIX = [
    ("GET", "/api/v1/albums", None, statuses(200, 200, 200, 200)),
    ("POST", "/api/v1/albums", {"title": "New", "visibility": "members"},
     statuses(201, 201, 201, 201)),
    ("GET", "/api/v1/albums/{album}", None, statuses(200, 200, 200, 404)),
    ("PATCH", "/api/v1/albums/{album}", {"title": "Renamed"}, statuses(200, 403, 403, 404)),
    ("DELETE", "/api/v1/albums/{album}", None, statuses(204, 403, 403, 404)),
    ("GET", "/api/v1/albums/{album}/members", None, statuses(200, 200, 200, 404)),
    # Removing the member: the owner may, the member may leave, nobody else.
    ("DELETE", "/api/v1/albums/{album}/members/{member}", None, statuses(204, 204, 403, 404)),
    ("GET", "/api/v1/albums/{album}/photos", None, statuses(200, 200, 200, 404)),
    ("POST", "/api/v1/albums/{album}/photos", photo_form, statuses(201, 403, 201, 404)),
    ("POST", "/api/v1/albums/{album}/uploads", ticket, statuses(201, 403, 201, 404)),
    # The contributor's own finished upload, completed again: only they may see it.
    ("POST", "/api/v1/uploads/{upload}/complete", None, statuses(404, 404, 200, 404)),
    # The signed policy is the credential, whoever posts it: a forged one is refused alike.
    ("POST", "/api/v1/uploads/local", forged_local_upload, statuses(400, 400, 400, 400, 400)),
    ("GET", "/api/v1/photos/{photo}", None, statuses(200, 200, 200, 404)),
    ("PATCH", "/api/v1/photos/{photo}", {"caption": "Mine"}, statuses(200, 403, 200, 404)),
    ("DELETE", "/api/v1/photos/{photo}", None, statuses(204, 403, 204, 404)),
]  # fmt: skip


@pytest.fixture
def world(owner, member, contributor, outsider, local_photos, api):
    album = AlbumFactory(owner=owner, members=[member], contributors=[contributor])
    photo = PhotoFactory(album=album, uploader=contributor)
    upload, ticket = services.upload_create(
        album=album, user=contributor, filename="a.jpg", content_type="image/jpeg",
        local_url="http://testserver/api/v1/uploads/local",
    )  # fmt: skip
    fields = {"url": ticket.url, "fields": ticket.fields}
    assert upload_file(api, fields, pictures.jpeg(64, 48)) in (200, 201, 204)
    services.upload_complete(upload_id=upload.pk, user=contributor)
    return {"album": album.pk, "photo": photo.pk, "upload": upload.pk, "member": member.pk}


@pytest.mark.parametrize(("method", "path", "body", "actor", "status"), cases(MATRIX))
def test_permission_matrix(request, api, world, method, path, body, actor, status):
    user = request.getfixturevalue(actor)

    response = send(api, user, method, path.format(**world), body)

    assert response.status_code == status, response.content


def test_a_wechat_user_with_the_staff_flag_has_only_their_own_role_through_the_api(
    api, owner, member, contributor, shared_album
):
    from tests.factories import UserFactory

    flagged = UserFactory(nickname="flagged", is_staff=True, is_superuser=True)
    photo = PhotoFactory(album=shared_album, uploader=contributor)
    public = AlbumFactory(owner=owner, visibility="public")
    public_photo = PhotoFactory(album=public, uploader=owner)
    as_flagged = api.as_user(flagged)

    answers = [
        as_flagged.patch(f"/api/v1/albums/{shared_album.pk}", {"title": "Mine"}, format="json"),
        as_flagged.patch(f"/api/v1/albums/{public.pk}", {"title": "Mine"}, format="json"),
        as_flagged.post(
            f"/api/v1/albums/{public.pk}/share", {"role": "contributor"}, format="json"
        ),  # fmt: skip
        as_flagged.delete(f"/api/v1/albums/{shared_album.pk}/members/{member.pk}"),
        as_flagged.patch(f"/api/v1/photos/{public_photo.pk}", {"caption": "x"}, format="json"),
        as_flagged.delete(f"/api/v1/photos/{photo.pk}"),
        as_flagged.delete(f"/api/v1/albums/{public.pk}"),
    ]

    assert [a.status_code for a in answers] == [404, 403, 403, 404, 403, 404, 403]
    shared_album.refresh_from_db()
    assert shared_album.title == "Trip"
    assert shared_album.memberships.filter(user=member).exists()

"""Direct uploads: a ticket, the file posted straight to storage, then complete."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from album.models import Photo, Upload
from tests.album import pictures
from tests.album.helpers import download, open_image, stored_keys, upload_file

pytestmark = [pytest.mark.usefixtures("photo_storage"), pytest.mark.django_db(transaction=True)]


def ticket_for(api, user, album, content_type="image/jpeg"):
    return api.as_user(user).post(
        f"/api/v1/albums/{album.id}/uploads",
        {"filename": "IMG_0001.JPG", "content_type": content_type},
        format="json",
    )


def complete(api, user, upload_id):
    return api.as_user(user).post(f"/api/v1/uploads/{upload_id}/complete")


def test_direct_upload_becomes_a_photo(api, owner, album, photo_storage):
    response = ticket_for(api, owner, album)
    assert response.status_code == 201
    ticket = response.json()
    assert ticket["max_bytes"] == 20 * 1024 * 1024
    if photo_storage == "s3":
        assert ticket["url"].startswith("http://127.0.0.1:")
        assert {"policy", "x-amz-signature"} <= set(ticket["fields"])

    assert upload_file(api, ticket, pictures.jpeg(orientation=6)) in (200, 201, 204)
    done = complete(api, owner, ticket["upload_id"])

    assert done.status_code == 201, done.content
    photo = done.json()
    assert (photo["width"], photo["height"]) == (480, 640)
    original = open_image(download(api, photo["urls"]["original"]))
    assert dict(original.getexif()) == {0x0112: 6}  # the orientation, nothing else
    # The raw upload is gone once the photo exists: only the three renditions remain.
    assert [k.rsplit("/", 1)[1] for k in stored_keys()] == [
        "large.jpg",
        "original.jpg",
        "thumb.jpg",
    ]


def test_completing_twice_is_harmless(api, owner, album):
    ticket = ticket_for(api, owner, album).json()
    upload_file(api, ticket, pictures.jpeg())

    first = complete(api, owner, ticket["upload_id"])
    second = complete(api, owner, ticket["upload_id"])

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Photo.objects.count() == 1
    assert len(stored_keys()) == 3


def test_complete_before_the_file_arrives(api, owner, album):
    ticket = ticket_for(api, owner, album).json()

    response = complete(api, owner, ticket["upload_id"])

    assert response.status_code == 400
    assert response.json()["code"] == "upload_missing"


def test_a_non_image_is_refused_at_complete(api, owner, album):
    ticket = ticket_for(api, owner, album).json()
    upload_file(api, ticket, b"<html>definitely not a jpeg</html>")

    response = complete(api, owner, ticket["upload_id"])

    assert response.status_code == 400
    assert response.json()["code"] == "unsupported_image"
    assert not Photo.objects.exists()


def test_tickets_only_for_images(api, owner, album):
    response = ticket_for(api, owner, album, content_type="text/html")

    assert response.status_code == 400
    assert response.json()["code"] == "unsupported_image"
    assert not Upload.objects.exists()


def test_storage_refuses_a_file_over_the_ticket_limit(api, owner, album, settings):
    settings.PHOTO_MAX_BYTES = 5_000
    ticket = ticket_for(api, owner, album).json()

    status = upload_file(api, ticket, pictures.jpeg(1000, 1000) + b"\0" * 10_000)

    assert not 200 <= status < 300
    assert stored_keys() == []


def test_storage_refuses_a_form_that_breaks_the_policy(api, owner, album):
    ticket = ticket_for(api, owner, album).json()

    # SeaweedFS answers a policy failure with 307 where AWS says 403: check the outcome.
    status = upload_file(api, ticket, pictures.jpeg(), content_type="text/html")

    assert not 200 <= status < 300
    assert stored_keys() == []


def test_storage_refuses_an_expired_ticket(api, owner, album, settings):
    settings.UPLOAD_TICKET_TTL = timedelta(seconds=-1)
    ticket = ticket_for(api, owner, album).json()

    status = upload_file(api, ticket, pictures.jpeg())

    assert not 200 <= status < 300
    assert stored_keys() == []


def test_a_lapsed_upload_cannot_be_completed(api, owner, album):
    ticket = ticket_for(api, owner, album).json()
    upload_file(api, ticket, pictures.jpeg())
    Upload.objects.update(expires_at=timezone.now() - timedelta(hours=2))

    response = complete(api, owner, ticket["upload_id"])

    assert response.status_code == 410
    assert response.json()["code"] == "upload_expired"


@pytest.mark.parametrize(("actor", "expected"), [("member", 403), ("outsider", 404)])
def test_who_may_ask_for_a_ticket(api, request, album, actor, expected):
    response = ticket_for(api, request.getfixturevalue(actor), album)

    assert response.status_code == expected
    assert not Upload.objects.exists()


def test_another_users_upload_is_not_found(api, owner, outsider, shared_album, contributor):
    ticket = ticket_for(api, owner, shared_album).json()
    upload_file(api, ticket, pictures.jpeg())

    assert complete(api, contributor, ticket["upload_id"]).status_code == 404
    assert complete(api, outsider, ticket["upload_id"]).status_code == 404
    assert complete(api, owner, uuid.uuid4()).status_code == 404
    assert not Photo.objects.exists()


def test_a_removed_contributor_cannot_complete(api, owner, shared_album, contributor):
    ticket = ticket_for(api, contributor, shared_album).json()
    upload_file(api, ticket, pictures.jpeg())
    shared_album.memberships.filter(user=contributor).delete()

    response = complete(api, contributor, ticket["upload_id"])

    assert response.status_code == 404
    assert not Photo.objects.exists()


def test_cleanup_removes_lapsed_uploads_and_their_objects(api, owner, album):
    lapsed = ticket_for(api, owner, album).json()
    upload_file(api, lapsed, pictures.jpeg())
    fresh = ticket_for(api, owner, album).json()
    upload_file(api, fresh, pictures.jpeg())
    Upload.objects.filter(pk=lapsed["upload_id"]).update(
        expires_at=timezone.now() - timedelta(hours=2)
    )

    call_command("cleanup_uploads")

    assert list(Upload.objects.values_list("id", flat=True)) == [uuid.UUID(fresh["upload_id"])]
    assert len(stored_keys()) == 1
    assert complete(api, owner, fresh["upload_id"]).status_code == 201


def test_cleanup_removes_spent_tickets_with_whatever_was_posted_to_them_again(
    api, owner, album, photo_storage
):
    ticket = ticket_for(api, owner, album).json()
    upload_file(api, ticket, pictures.jpeg())
    photo = complete(api, owner, ticket["upload_id"]).json()
    renditions = set(stored_keys())
    if photo_storage == "s3":  # a presigned POST can be posted again until it expires
        upload_file(api, ticket, b"posted again after completion")
        assert len(stored_keys()) == 4
    Upload.objects.update(completed_at=timezone.now() - timedelta(days=8))

    call_command("cleanup_uploads")

    assert not Upload.objects.exists()
    assert set(stored_keys()) == renditions
    assert Photo.objects.filter(pk=photo["id"]).exists()


@pytest.mark.parametrize("photo_storage", ["s3"], indirect=True)
def test_there_is_no_local_upload_when_photos_are_on_s3(api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {"key": "uploads/x", "policy": "p", "Content-Type": "image/png",
            "file": SimpleUploadedFile("x.png", pictures.png(), "image/png")}  # fmt: skip
    response = api.post("/api/v1/uploads/local", form, format="multipart")

    assert response.status_code == 404


def test_completing_again_after_the_photo_was_deleted_says_so(api, owner, album):
    ticket = ticket_for(api, owner, album).json()
    upload_file(api, ticket, pictures.jpeg())
    photo = complete(api, owner, ticket["upload_id"]).json()
    api.as_user(owner).delete(f"/api/v1/photos/{photo['id']}")

    again = complete(api, owner, ticket["upload_id"])

    assert again.status_code == 410
    assert again.json()["code"] == "photo_deleted"

"""A file the album already holds is not stored twice: the phone can ask which of its picks
are there (by the SHA-1 getFileInfo gives), and an upload of one answers that photo."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from album.models import Photo
from tests.album import pictures
from tests.album.helpers import stored_keys, upload_file

pytestmark = pytest.mark.usefixtures("local_photos")


def post(api, user, album, data: bytes, **form):
    files = {"file": SimpleUploadedFile("p.jpg", data, "image/jpeg"), **form}
    return api.as_user(user).post(f"/api/v1/albums/{album.pk}/photos", files, format="multipart")


def check(api, user, album, *sha1s):
    return api.as_user(user).post(f"/api/v1/albums/{album.pk}/photos/check",
                                  {"sha1": list(sha1s)}, format="json")  # fmt: skip


def test_uploading_the_same_file_again_answers_the_photo_already_there(api, owner, album):
    data = pictures.jpeg()
    first = post(api, owner, album, data)
    keys = stored_keys()

    again = post(api, owner, album, data, sha1=hashlib.sha1(data).hexdigest())  # noqa: S324

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Photo.objects.count() == 1
    assert stored_keys() == keys  # nothing more stored


def test_the_phone_asks_which_picks_the_album_has(api, owner, member, album):
    data, other = pictures.jpeg(), pictures.jpeg(width=641)
    photo = post(api, owner, album, data).json()
    have, new = (hashlib.sha1(d).hexdigest() for d in (data, other))  # noqa: S324

    answer = check(api, member, album, have.upper(), new)

    assert answer.status_code == 200
    assert answer.json() == {"photos": {have: photo["id"]}}


def test_a_photo_others_cannot_see_yet_is_not_named_to_them(
    api, owner, contributor, shared_album, settings
):
    settings.PHOTO_CONTENT_CHECK = "wechat"  # pending: only its uploader sees it
    data = pictures.jpeg()
    post(api, owner, shared_album, data)
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324

    assert check(api, contributor, shared_album, digest).json() == {"photos": {}}
    assert post(api, contributor, shared_album, data).status_code == 201  # theirs is stored


def test_a_claimed_sha1_that_is_not_the_files_is_refused(api, owner, album):
    answer = post(api, owner, album, pictures.jpeg(), sha1="0" * 40)

    assert (answer.status_code, answer.json()["code"]) == (400, "invalid")
    assert "sha1" in answer.json()["errors"]
    assert Photo.objects.count() == 0


@pytest.mark.parametrize("body", [{"sha1": []}, {"sha1": ["xyz"]}, {"sha1": ["a" * 40] * 101}])
def test_a_check_with_nothing_bad_or_too_many_digests_is_refused(api, owner, album, body):
    answer = api.as_user(owner).post(f"/api/v1/albums/{album.pk}/photos/check", body,
                                     format="json")  # fmt: skip

    assert (answer.status_code, answer.json()["code"]) == (400, "invalid")


def test_someone_outside_the_album_cannot_ask(api, outsider, album):
    assert check(api, outsider, album, "a" * 40).status_code == 404


def test_a_direct_upload_of_a_file_the_album_has_completes_as_that_photo(
    api, owner, album, django_capture_on_commit_callbacks
):
    data = pictures.jpeg()
    first = post(api, owner, album, data).json()
    asked = {"content_type": "image/jpeg"}
    ticket = api.as_user(owner).post(f"/api/v1/albums/{album.pk}/uploads", asked, format="json")
    ticket = ticket.json()
    assert upload_file(api, ticket, data) in (201, 204)

    with django_capture_on_commit_callbacks(execute=True):
        done = api.as_user(owner).post(f"/api/v1/uploads/{ticket['upload_id']}/complete")

    assert done.status_code == 200
    assert done.json()["id"] == first["id"]
    assert Photo.objects.count() == 1
    assert ticket["fields"]["key"] not in stored_keys()  # the upload's object is gone

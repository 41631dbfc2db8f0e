"""An album deleted while a photo of it is being accepted or processed: the upload answers 404,
or the photo goes with its album, and no file written for it is left behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from album import services
from album.models import Album, Photo
from tests.album import pictures, racing_storage
from tests.album.helpers import stored_keys, upload_file


@pytest.fixture
def racing(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.album.racing_storage.RacingStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/media/"},
        },
    }
    yield racing_storage.hooks
    racing_storage.hooks.clear()


def delete_album(album, owner):
    return lambda: services.album_delete(album=Album.objects.get(pk=album.pk), actor=owner)


def test_an_upload_whose_album_is_deleted_meanwhile_is_not_found(api, owner, album, racing):
    racing["uploads/"] = delete_album(album, owner)  # while the file is being stored
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg")}

    response = api.as_user(owner).post(
        f"/api/v1/albums/{album.pk}/photos", form, format="multipart"
    )

    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not Photo.objects.exists()
    assert stored_keys() == []


def test_completing_an_upload_whose_album_is_deleted_meanwhile_is_not_found(
    api, owner, album, racing
):
    created = api.as_user(owner).post(
        f"/api/v1/albums/{album.pk}/uploads",
        {"filename": "a.jpg", "content_type": "image/jpeg"},
        format="json",
    )
    ticket = created.json()
    upload_file(api, ticket, pictures.jpeg())
    racing["uploads/"] = delete_album(album, owner)  # while the upload is being read

    response = api.as_user(owner).post(f"/api/v1/uploads/{ticket['upload_id']}/complete")

    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    assert not Photo.objects.exists()
    assert [key for key in stored_keys() if key.startswith("photos/")] == []


def test_a_photo_whose_album_is_deleted_while_it_is_processed_leaves_no_file(
    api, owner, album, racing
):
    racing["photos/"] = delete_album(album, owner)  # while the renditions are being stored
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg")}

    response = api.as_user(owner).post(
        f"/api/v1/albums/{album.pk}/photos", form, format="multipart"
    )

    assert response.status_code == 201, response.content
    assert not Album.objects.exists()
    assert not Photo.objects.exists()
    assert stored_keys() == []

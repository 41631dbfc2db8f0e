"""Operators in the admin: albums with cover thumbnails, photos with previews."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from album.models import Photo
from tests.album import pictures

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def photo(api, owner, album, photo_storage):
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg")}
    response = api.as_user(owner).post(
        f"/api/v1/albums/{album.id}/photos", form, format="multipart"
    )
    return Photo.objects.get(pk=response.json()["id"])


def test_album_list_shows_cover_thumbnail_and_finds_by_owner_openid(admin_client, album, photo):
    response = admin_client.get("/admin/album/album/", {"q": album.owner.openid})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Trip" in html
    assert photo.thumb.name in html


def test_photo_pages_show_the_thumbnail(admin_client, photo):
    listing = admin_client.get("/admin/album/photo/").content.decode()
    page = admin_client.get(f"/admin/album/photo/{photo.pk}/change/").content.decode()

    assert photo.thumb.name in listing
    assert photo.thumb.name in page


def test_deleting_in_the_admin_removes_the_objects(admin_client, photo):
    from tests.album.helpers import stored_keys

    response = admin_client.post(f"/admin/album/photo/{photo.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert stored_keys() == []

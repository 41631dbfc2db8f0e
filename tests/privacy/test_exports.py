"""A copy of one's data: POST /me/exports builds a zip on the task queue; GET gives a link
valid 24 hours; one a day; the zip holds exactly that user's data; gone after seven days."""

import io
import json
import zipfile
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from accounts import avatars
from album import services as albums
from comments import services as comments
from media import storage
from privacy import services as privacy
from privacy.models import Export
from tests.album import pictures
from tests.album.helpers import download
from tests.factories import AlbumFactory

EXPORTS = "/api/v1/me/exports"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lives(owner, member, outsider):
    shared = AlbumFactory(owner=owner, title="Ours", contributors=[member])
    mine = albums.photo_upload(album=shared, uploader=member, data=pictures.jpeg(), caption="Me")
    albums.photo_upload(album=shared, uploader=owner, data=pictures.jpeg(), caption="Owner's")
    comments.comment_create(user=member, album=shared, photo=mine, body="Mine to keep")
    comments.comment_create(user=owner, album=shared, photo=mine, body="The owner's")
    comments.like_set(user=member, target=mine, liked=True)
    AlbumFactory(owner=outsider, title="Not theirs")
    avatars.avatar_set(user=member, data=pictures.jpeg(320, 320))
    avatars.avatar_set(user=owner, data=pictures.png())
    return mine


def test_an_export_holds_exactly_the_users_data(api, photo_storage, owner, member, lives):
    asked = api.as_user(member).post(EXPORTS)

    assert (asked.status_code, asked.json()["status"]) == (202, "preparing")
    ready = api.as_user(member).get(asked["Location"]).json()
    assert ready["status"] == "ready"
    assert timedelta(hours=23) < (timezone.datetime.fromisoformat(ready["expires_at"])
                                  - timezone.now()) <= timedelta(hours=24)  # fmt: skip
    zipped = zipfile.ZipFile(io.BytesIO(download(api, ready["url"])))
    files = {name: zipped.read(name) for name in zipped.namelist()}
    assert set(files) == {"profile.json", "albums.json", "photos.json", "comments.json",
                          "likes.json", "activity.json", f"photos/{lives.pk}.jpg",
                          "avatar.jpg"}  # fmt: skip
    profile = json.loads(files["profile.json"])
    assert (profile["openid"], profile["avatar"]) == (member.openid, "avatar.jpg")
    member.refresh_from_db()
    assert files["avatar.jpg"] == storage.read(member.avatar.large.name, limit=2**24)
    assert [a["title"] for a in json.loads(files["albums.json"])] == ["Ours"]
    assert [c["body"] for c in json.loads(files["comments.json"])] == ["Mine to keep"]
    assert [like["photo_id"] for like in json.loads(files["likes.json"])] == [lives.pk]
    assert files[f"photos/{lives.pk}.jpg"] == storage.read(lives.original.name, limit=2**24)
    everything = b"".join(files.values())
    assert owner.openid.encode() not in everything
    assert b"The owner's" not in everything
    assert {e["action"] for e in json.loads(files["activity.json"])} >= {"photo.created"}


def test_one_export_a_day(api, member, local_photos):
    api.as_user(member).post(EXPORTS)

    again = api.as_user(member).post(EXPORTS)

    assert again.status_code == 429
    assert again.json()["code"] == "throttled"
    assert 23 * 3600 < int(again["Retry-After"]) <= 24 * 3600
    assert Export.objects.count() == 1


def test_someone_elses_export_is_not_found(api, member, outsider, local_photos):
    made = api.as_user(member).post(EXPORTS).json()

    response = api.as_user(outsider).get(f"{EXPORTS}/{made['id']}")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_exports_are_deleted_with_their_zips_after_seven_days(api, member, local_photos):
    made = api.as_user(member).post(EXPORTS).json()
    key = Export.objects.get(pk=made["id"]).key
    assert storage.exists(key)

    assert privacy.exports_prune(now=timezone.now() + timedelta(days=6)) == 0
    assert privacy.exports_prune(now=timezone.now() + timedelta(days=8)) == 1

    assert not storage.exists(key)
    assert api.as_user(member).get(f"{EXPORTS}/{made['id']}").status_code == 404


def test_with_photos_on_a_cdn_domain_the_export_link_is_still_signed_and_private(
    api, settings, s3_bucket, member
):
    from tests.conftest import S3_BUCKET, _s3_storage_settings

    default = _s3_storage_settings(s3_bucket, S3_BUCKET, "t-cdn")
    default["OPTIONS"] = {**default["OPTIONS"], "custom_domain": "cdn.example.com"}
    settings.STORAGES = {**settings.STORAGES, "default": default}

    made = api.as_user(member).post(EXPORTS).json()
    url = api.as_user(member).get(f"{EXPORTS}/{made['id']}").json()["url"]

    assert "cdn.example.com" not in url
    assert "X-Amz-Signature" in url
    assert zipfile.ZipFile(io.BytesIO(download(api, url))).namelist()
    unsigned = url.split("?")[0]
    assert httpx.get(unsigned, timeout=10).status_code in (401, 403)

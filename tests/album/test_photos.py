"""Uploading photos through the API, on local disk and on a real S3 server."""

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import ImageOps

from album.models import Album, Photo
from outbox import services as outbox
from outbox.models import Message
from tests.album import pictures
from tests.album.helpers import download, image_slots_taken, open_image, stored_keys

# Real commits: objects are deleted only after the transaction that drops their rows commits.
pytestmark = [pytest.mark.usefixtures("photo_storage"), pytest.mark.django_db(transaction=True)]


def upload(api, user, album, data: bytes, *, name="photo.jpg", caption=""):
    form = {"file": SimpleUploadedFile(name, data, "image/jpeg"), "caption": caption}
    return api.as_user(user).post(f"/api/v1/albums/{album.id}/photos", form, format="multipart")


def test_upload_stores_clean_original_large_and_thumb(api, owner, album):
    response = upload(api, owner, album, pictures.jpeg(4000, 3000, orientation=6), caption="Hi")

    assert response.status_code == 201, response.content
    body = response.json()
    # Orientation 6 means "rotate 90": the stored photo is upright, so portrait.
    assert (body["width"], body["height"]) == (3000, 4000)
    assert body["caption"] == "Hi"
    assert body["content_type"] == "image/jpeg"
    assert set(body["urls"]) == {"original", "large", "thumb"}
    for name, longest in [("original", 4000), ("large", 1600), ("thumb", 400)]:
        image = open_image(download(api, body["urls"][name]))
        assert max(image.size) == longest
        # Upright as shown: the original by its orientation tag, the only one it keeps.
        assert dict(image.getexif()) in ({}, {0x0112: 6}), f"{name} kept EXIF"
        assert ImageOps.exif_transpose(image).width < ImageOps.exif_transpose(image).height
        assert not image.getexif().get_ifd(0x8825), f"{name} kept GPS"
        assert "xmp" not in image.info, f"{name} kept XMP"


def test_upload_reads_taken_at_from_exif(api, owner, album):
    body = upload(api, owner, album, pictures.jpeg()).json()

    assert body["taken_at"] == "2024-05-01T10:30:00Z"


def test_png_and_webp_are_accepted_by_content_whatever_the_name(api, owner, album):
    as_png = upload(api, owner, album, pictures.png(alpha=True), name="p.jpg")
    as_webp = upload(api, owner, album, pictures.webp(), name="w.png")

    assert as_png.status_code == 201
    assert as_png.json()["content_type"] == "image/png"
    assert as_webp.json()["content_type"] == "image/webp"
    thumb = open_image(download(api, as_png.json()["urls"]["thumb"]))
    assert thumb.format == "JPEG"


def test_first_photo_becomes_the_cover_and_counts(api, owner, album):
    photo_id = upload(api, owner, album, pictures.jpeg()).json()["id"]
    upload(api, owner, album, pictures.png())

    album.refresh_from_db()
    assert album.cover_id == photo_id
    assert album.photo_count == 2
    listed = api.as_user(owner).get(f"/api/v1/albums/{album.id}").json()
    assert listed["cover_url"].startswith("http")


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"this is not an image at all", 400, "unsupported_image"),
        (pictures.gif(), 400, "unsupported_image"),
        (pictures.png_bomb(), 400, "image_too_large"),
        (pictures.scan_bomb(), 400, "image_too_complex"),
    ],
    ids=["text-named-jpg", "gif", "decompression-bomb", "scan-bomb"],
)
def test_bad_files_are_refused_and_nothing_is_stored(api, owner, album, data, status, code):
    response = upload(api, owner, album, data)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert not Photo.objects.exists()
    assert stored_keys() == []


def test_over_size_file_is_413(api, owner, album, settings):
    settings.PHOTO_MAX_BYTES = 10_000

    response = upload(api, owner, album, pictures.jpeg(1200, 1200) + b"\0" * 20_000)

    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert stored_keys() == []


def test_image_over_the_pixel_limit_is_refused(api, owner, album, settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100

    response = upload(api, owner, album, pictures.png(101, 100))

    assert response.json()["code"] == "image_too_large"


@pytest.mark.parametrize("photo_storage", ["s3"], indirect=True)
def test_presigned_urls_are_reused_and_stay_valid_for_half_their_life(api, owner, album):
    first = upload(api, owner, album, pictures.jpeg()).json()

    again = api.as_user(owner).get(f"/api/v1/photos/{first['id']}").json()
    listed = api.as_user(owner).get(f"/api/v1/albums/{album.id}/photos").json()["results"][0]

    assert again["urls"] == listed["urls"] == first["urls"]
    query = parse_qs(urlsplit(first["urls"]["thumb"]).query)
    signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    lifetime = int(query["X-Amz-Expires"][0])
    assert signed + timedelta(seconds=lifetime) - datetime.now(UTC) >= timedelta(
        seconds=lifetime // 2
    )
    assert open_image(download(api, again["urls"]["thumb"])).width == 400


@pytest.mark.parametrize("photo_storage", ["local"], indirect=True)
def test_uploads_beyond_the_processing_limit_are_accepted_and_processed_later(
    api, owner, member, album, settings
):
    settings.PHOTO_PROCESSING_CONCURRENCY = 1
    settings.PHOTO_PROCESSING_WAIT = 0.05

    with image_slots_taken():
        accepted = upload(api, owner, album, pictures.jpeg())
    waiting = api.as_user(owner).get(f"/api/v1/photos/{accepted.json()['id']}").json()
    unseen = api.as_user(member).get(f"/api/v1/albums/{album.id}/photos").json()["results"]
    outbox.relay(now=timezone.now() + timedelta(minutes=5))  # the derive's retry comes due

    assert accepted.status_code == 201
    assert (waiting["state"], waiting["urls"]) == ("processing", None)
    assert unseen == []
    ready = api.as_user(member).get(f"/api/v1/photos/{accepted.json()['id']}").json()
    assert ready["state"] == "ready"
    assert open_image(download(api, ready["urls"]["thumb"])).size == (400, 300)


def test_a_file_whose_pixels_are_damaged_is_accepted_then_fails_with_why(api, owner, member, album):
    response = upload(api, owner, album, pictures.jpeg()[:2000])  # the header is whole

    assert response.status_code == 201
    mine = api.as_user(owner).get(f"/api/v1/photos/{response.json()['id']}").json()
    assert (mine["state"], mine["failure"], mine["urls"]) == ("failed", "unsupported_image", None)
    assert "could not be processed" in mine["hidden_because"]
    theirs = api.as_user(member).get(f"/api/v1/photos/{mine['id']}")
    assert theirs.status_code == 404
    assert stored_keys() == []  # what was sent is deleted; nothing was made of it
    album.refresh_from_db()
    assert (album.photo_count, album.cover_id) == (0, None)


def test_cleanup_deletes_failed_photos_after_their_retention(api, owner, album, settings):
    failed = upload(api, owner, album, pictures.jpeg()[:2000]).json()
    kept = upload(api, owner, album, pictures.jpeg()).json()

    call_command("cleanup_uploads", stdout=io.StringIO())
    assert Photo.objects.filter(pk=failed["id"]).exists()  # its uploader is told first
    Photo.objects.filter(pk=failed["id"]).update(created_at=timezone.now() - timedelta(days=2))
    call_command("cleanup_uploads", stdout=io.StringIO())

    assert list(Photo.objects.values_list("pk", flat=True)) == [kept["id"]]
    assert len(stored_keys()) == 3


def test_a_photo_stuck_processing_after_its_task_failed_is_failed_by_cleanup(
    api, owner, album, settings
):
    settings.PHOTO_PROCESSING_CONCURRENCY = 1
    settings.PHOTO_PROCESSING_WAIT = 0.05
    with image_slots_taken():
        stuck = upload(api, owner, album, pictures.jpeg()).json()  # its task waits to retry
    Photo.objects.update(created_at=timezone.now() - timedelta(hours=2))

    call_command("cleanup_uploads", stdout=io.StringIO())
    assert Photo.objects.get(pk=stuck["id"]).state == "processing"  # its task will run
    Message.objects.filter(task="album.derive_photo").update(state="failed")  # out of tries
    call_command("cleanup_uploads", stdout=io.StringIO())

    photo = Photo.objects.get(pk=stuck["id"])
    assert (photo.state, photo.failure) == ("failed", "processing_failed")
    assert stored_keys() == []


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("owner", 201), ("contributor", 201), ("member", 403), ("outsider", 404), ("anonymous", 401)],
)
def test_who_may_upload(api, request, shared_album, actor, expected):
    response = upload(api, request.getfixturevalue(actor), shared_album, pictures.png())

    assert response.status_code == expected
    assert Photo.objects.count() == (1 if expected == 201 else 0)


def test_photos_are_listed_newest_first(api, owner, member, album):
    ids = [upload(api, owner, album, pictures.png()).json()["id"] for _ in range(3)]

    page = api.as_user(member).get(f"/api/v1/albums/{album.id}/photos", {"page_size": 2}).json()
    rest = api.get(page["next"]).json()

    assert [p["id"] for p in page["results"] + rest["results"]] == ids[::-1]


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("owner", 204),
        ("contributor", 204),  # the uploader
        ("member", 403),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_who_may_delete_a_photo(api, request, shared_album, contributor, actor, expected):
    photo_id = upload(api, contributor, shared_album, pictures.png()).json()["id"]
    keys_before = stored_keys()

    response = api.as_user(request.getfixturevalue(actor)).delete(f"/api/v1/photos/{photo_id}")

    assert response.status_code == expected
    assert Photo.objects.filter(pk=photo_id).exists() is (expected != 204)
    assert stored_keys() == ([] if expected == 204 else keys_before)


def test_deleting_a_photo_deletes_exactly_its_objects(api, owner, album):
    keep = upload(api, owner, album, pictures.png()).json()
    keep_keys = stored_keys()
    gone = upload(api, owner, album, pictures.jpeg()).json()

    api.as_user(owner).delete(f"/api/v1/photos/{gone['id']}")

    assert stored_keys() == keep_keys
    assert open_image(download(api, keep["urls"]["thumb"])).format == "JPEG"
    album.refresh_from_db()
    assert album.photo_count == 1
    assert album.cover_id == keep["id"]


def test_deleting_the_cover_picks_another(api, owner, album):
    first = upload(api, owner, album, pictures.png()).json()["id"]
    second = upload(api, owner, album, pictures.png()).json()["id"]

    api.as_user(owner).delete(f"/api/v1/photos/{first}")

    album.refresh_from_db()
    assert album.cover_id == second


def test_deleting_an_album_leaves_nothing_behind(api, owner, album):
    other = Album.objects.create(owner=owner, title="Other", visibility="private")
    upload(api, owner, other, pictures.png())
    other_keys = stored_keys()
    for _ in range(3):
        upload(api, owner, album, pictures.jpeg())

    response = api.as_user(owner).delete(f"/api/v1/albums/{album.id}")

    assert response.status_code == 204
    assert Photo.objects.filter(album_id=album.id).count() == 0
    assert stored_keys() == other_keys


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("owner", 200), ("contributor", 200), ("member", 403), ("outsider", 404)],
)
def test_who_may_edit_a_caption(api, request, shared_album, contributor, actor, expected):
    photo_id = upload(api, contributor, shared_album, pictures.png()).json()["id"]

    response = api.as_user(request.getfixturevalue(actor)).patch(
        f"/api/v1/photos/{photo_id}", {"caption": "edited"}, format="json"
    )

    assert response.status_code == expected
    assert (Photo.objects.get(pk=photo_id).caption == "edited") is (expected == 200)


@pytest.mark.parametrize(("actor", "expected"), [("member", 200), ("outsider", 404)])
def test_who_may_see_a_photo(api, request, album, owner, actor, expected):
    photo_id = upload(api, owner, album, pictures.png()).json()["id"]

    response = api.as_user(request.getfixturevalue(actor)).get(f"/api/v1/photos/{photo_id}")

    assert response.status_code == expected


def test_a_jpeg_repeating_its_last_scan_thousands_of_times_is_refused_before_decoding(
    api, owner, album
):
    response = upload(api, owner, album, pictures.scan_bomb(repeats=3000))  # ~3 s to decode

    assert response.status_code == 400
    assert response.json()["code"] == "image_too_complex"
    assert not Photo.objects.exists()
    assert stored_keys() == []


def test_an_ordinary_progressive_jpeg_is_accepted(api, owner, album):
    assert upload(api, owner, album, pictures.progressive_jpeg()).status_code == 201


def _stored_files(photo: dict):
    from media import storage

    row = Photo.objects.get(pk=photo["id"])
    return {name: open_image(storage.read(getattr(row, name).name, limit=10**8))
            for name in ("original", "large", "thumb")}  # fmt: skip


def test_a_huge_or_damaged_colour_profile_is_not_copied_into_the_renditions(api, owner, album):
    photo = upload(api, owner, album, pictures.with_profile(b"not an ICC profile" * 450_000))

    assert photo.status_code == 201
    row = Photo.objects.get(pk=photo.json()["id"])
    assert row.bytes < 50_000  # the 8 MB profile is gone
    for name, image in _stored_files(photo.json()).items():
        assert "icc_profile" not in image.info, name


def test_a_valid_small_profile_stays_on_the_original_and_large_but_not_the_thumbnail(
    api, owner, album
):
    profile = pictures.display_p3_like_profile()

    photo = upload(api, owner, album, pictures.with_profile(profile, 800, 600)).json()

    files = _stored_files(photo)
    assert files["original"].info["icc_profile"] == profile
    assert files["large"].info["icc_profile"] == profile
    assert "icc_profile" not in files["thumb"].info

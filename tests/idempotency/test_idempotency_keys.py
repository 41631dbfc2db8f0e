"""`Idempotency-Key` on creating POSTs: a retry replays the first answer instead of creating a
second object; the same key on another request is refused."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from album.models import Album, Photo
from comments.models import Comment
from idempotency.models import IdempotencyKey
from idempotency.views import fingerprint
from tests.album import pictures
from tests.factories import AlbumFactory

KEY = {"HTTP_IDEMPOTENCY_KEY": "3f9b7c1e-5a2d-4e8f-9c61-0d2b4a7e8f10"}


def test_a_retried_create_replays_the_first_answer(api, owner):
    api.as_user(owner)
    body = {"title": "Once", "visibility": "members"}

    first = api.post("/api/v1/albums", body, **KEY)
    retry = api.post("/api/v1/albums", body, **KEY)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Album.objects.filter(title="Once").count() == 1


def test_the_same_key_on_another_request_is_refused(api, owner):
    api.as_user(owner)
    api.post("/api/v1/albums", {"title": "Once", "visibility": "members"}, **KEY)

    other = api.post("/api/v1/albums", {"title": "Twice", "visibility": "members"}, **KEY)

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert not Album.objects.filter(title="Twice").exists()


def test_a_key_still_in_use_is_409(api, owner):
    body = {"title": "Slow", "visibility": "members"}
    pending = Request(APIRequestFactory().post("/api/v1/albums", body, format="json"),
                      parsers=[JSONParser()])  # fmt: skip
    IdempotencyKey.objects.create(
        user=owner,
        key=KEY["HTTP_IDEMPOTENCY_KEY"],
        method="POST",
        path="/api/v1/albums",
        fingerprint=fingerprint(pending),
    )

    response = api.as_user(owner).post("/api/v1/albums", body, **KEY)

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_use"
    assert not Album.objects.filter(title="Slow").exists()


def test_keys_are_per_user(api, owner, outsider):
    body = {"title": "Mine", "visibility": "members"}

    api.as_user(owner).post("/api/v1/albums", body, **KEY)
    theirs = api.as_user(outsider).post("/api/v1/albums", body, **KEY)

    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert Album.objects.filter(title="Mine").count() == 2


def test_a_retried_upload_replays_even_with_another_multipart_boundary(api, owner, local_photos):
    album = AlbumFactory(owner=owner)
    data = pictures.jpeg()

    def upload():
        form = {"file": SimpleUploadedFile("p.jpg", data, "image/jpeg"), "caption": "Once"}
        return api.as_user(owner).post(f"/api/v1/albums/{album.pk}/photos", form,
                                       format="multipart", **KEY)  # fmt: skip

    first, retry = upload(), upload()

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json()["id"] == first.json()["id"]
    assert Photo.objects.count() == 1


def test_a_refused_request_is_replayed_as_refused(api, owner, member):
    album = AlbumFactory(owner=owner, members=[member])
    api.as_user(member)

    first = api.post(f"/api/v1/albums/{album.pk}/comments", {"body": ""}, **KEY)
    retry = api.post(f"/api/v1/albums/{album.pk}/comments", {"body": ""}, **KEY)

    assert (first.status_code, retry.status_code) == (400, 400)
    assert retry["Content-Type"] == "application/problem+json"
    assert retry.json() == first.json()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "é"])
def test_a_malformed_key_is_refused(api, owner, key):
    response = api.as_user(owner).post("/api/v1/albums", {"title": "K"},
                                       HTTP_IDEMPOTENCY_KEY=key)  # fmt: skip

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["Idempotency-Key"]
    assert not Album.objects.exists()


def test_keys_lapse_after_a_day(api, owner):
    api.as_user(owner).post("/api/v1/albums", {"title": "Old", "visibility": "members"}, **KEY)
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))

    call_command("prune_idempotency_keys")
    again = api.as_user(owner).post("/api/v1/albums", {"title": "New", "visibility": "members"},
                                    **KEY)  # fmt: skip

    assert again.status_code == 201
    assert Album.objects.count() == 2


@pytest.mark.parametrize("body", [[1, 2], "text", 7, None])
def test_a_body_that_is_not_an_object_is_refused_with_a_key_too(api, owner, body):
    response = api.as_user(owner).post("/api/v1/shortlinks", body, **KEY)

    assert response.status_code == 400


def _claim_left_by_a_dead_request(owner, body, *, seconds_ago: float) -> IdempotencyKey:
    pending = Request(APIRequestFactory().post("/api/v1/albums", body, format="json"),
                      parsers=[JSONParser()])  # fmt: skip
    return IdempotencyKey.objects.create(
        user=owner, key=KEY["HTTP_IDEMPOTENCY_KEY"], method="POST", path="/api/v1/albums",
        fingerprint=fingerprint(pending),
        claimed_at=timezone.now() - timedelta(seconds=seconds_ago),
    )  # fmt: skip


def test_a_key_whose_request_died_is_taken_over_by_a_retry_after_a_minute(api, owner):
    body = {"title": "Retried", "visibility": "members"}
    claim = _claim_left_by_a_dead_request(owner, body, seconds_ago=50)

    early = api.as_user(owner).post("/api/v1/albums", body, **KEY)
    IdempotencyKey.objects.filter(pk=claim.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=61)
    )
    late = api.as_user(owner).post("/api/v1/albums", body, **KEY)
    replay = api.as_user(owner).post("/api/v1/albums", body, **KEY)

    assert (early.status_code, early.json()["code"], early["Retry-After"]) == (
        409, "idempotency_key_in_use", "2",
    )  # fmt: skip
    assert (late.status_code, replay.status_code) == (201, 201)
    assert replay["Idempotent-Replayed"] == "true"
    assert Album.objects.filter(title="Retried").count() == 1


def test_a_request_whose_key_a_retry_took_over_keeps_nothing(owner):
    from idempotency import services

    claim = services.key_claim(user=owner, key="k-1", fingerprint="f", method="POST", path="/a")
    IdempotencyKey.objects.filter(pk=claim.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=61)
    )
    retry = services.key_claim(user=owner, key="k-1", fingerprint="f", method="POST", path="/a")

    with pytest.raises(services.ClaimLost):  # the first request, still alive, rolls back
        services.key_finish(claim=claim, status_code=201, content_type="", body={"id": 1})
    services.key_finish(claim=retry, status_code=201, content_type="", body={"id": 2})

    assert IdempotencyKey.objects.get(key="k-1").body == {"id": 2}


def test_a_create_says_where_the_object_is_and_its_replay_says_the_same(api, owner):
    api.as_user(owner)
    body = {"title": "Located", "visibility": "members"}

    first = api.post("/api/v1/albums", body, **KEY)
    retry = api.post("/api/v1/albums", body, **KEY)

    assert first["Location"] == f"/api/v1/albums/{first.json()['id']}"
    assert (retry["Location"], retry["ETag"]) == (first["Location"], first["ETag"])
    assert api.get(first["Location"]).json()["title"] == "Located"


@pytest.mark.parametrize("create", ["comment", "photo", "upload-ticket"])
def test_a_replay_is_refused_to_a_member_removed_since(api, owner, contributor, create,
                                                       local_photos):  # fmt: skip
    from album import services as albums

    album = AlbumFactory(owner=owner, visibility="members", contributors=[contributor])
    path, body = {
        "comment": (f"/api/v1/albums/{album.pk}/comments", {"body": "Mine"}),
        "photo": (f"/api/v1/albums/{album.pk}/photos",
                  {"file": SimpleUploadedFile("a.jpg", pictures.jpeg(), "image/jpeg")}),
        "upload-ticket": (f"/api/v1/albums/{album.pk}/uploads", {"content_type": "image/jpeg"}),
    }[create]  # fmt: skip
    fmt = "multipart" if create == "photo" else "json"
    first = api.as_user(contributor).post(path, body, format=fmt, **KEY)
    albums.member_remove(album=album, user_id=contributor.pk, actor=owner)
    if create == "photo":
        body["file"].seek(0)

    retry = api.as_user(contributor).post(path, body, format=fmt, **KEY)

    assert first.status_code == 201
    assert retry.status_code == 404
    assert retry.json()["code"] == "not_found"
    assert "Idempotent-Replayed" not in retry

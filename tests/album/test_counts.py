"""Counts on every card: a photo's likes and comments, an album's photos, members and comments;
the photo list in either order and by one uploader. Counts match a recount, also after
racing clients (on PostgreSQL and MariaDB, in the services suites)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts import tokens
from album import services
from comments.models import Comment, Like
from tests.factories import AlbumFactory, CommentFactory, PhotoFactory, UserFactory


def test_a_photo_card_counts_its_likes_and_the_comments_everyone_sees(api, owner, member, album):
    photo = PhotoFactory(album=album)
    CommentFactory(album=album, photo=photo, author=member, body="一")
    hidden = CommentFactory(album=album, photo=photo, author=member, body="二")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at="2026-01-01T00:00:00Z")
    api.as_user(member).put(f"/api/v1/photos/{photo.pk}/like")

    listed = api.as_user(owner).get(f"/api/v1/albums/{album.pk}/photos").json()["results"][0]
    alone = api.as_user(owner).get(f"/api/v1/photos/{photo.pk}").json()

    assert (listed["like_count"], listed["comment_count"]) == (1, 1)
    assert (alone["like_count"], alone["comment_count"]) == (1, 1)


def test_an_album_card_counts_photos_members_and_comments(api, owner, member, album):
    photo = PhotoFactory(album=album)
    CommentFactory(album=album, author=member, body="相册的评论")
    CommentFactory(album=album, photo=photo, author=owner, body="照片的评论")

    card = api.as_user(member).get("/api/v1/albums").json()["results"][0]
    page = api.as_user(member).get(f"/api/v1/albums/{album.pk}").json()
    made = api.as_user(owner).post("/api/v1/albums", {"title": "新的"}, format="json").json()

    assert (card["photo_count"], card["member_count"], card["comment_count"]) == (1, 2, 2)
    assert (page["member_count"], page["comment_count"]) == (2, 2)
    assert (made["member_count"], made["comment_count"], made["photo_count"]) == (1, 0, 0)


def test_the_photo_list_in_either_order_and_by_one_uploader(api, owner, contributor,
                                                           shared_album):  # fmt: skip
    first = PhotoFactory(album=shared_album, uploader=owner)
    second = PhotoFactory(album=shared_album, uploader=contributor)
    third = PhotoFactory(album=shared_album, uploader=owner)
    base = f"/api/v1/albums/{shared_album.pk}/photos"

    def ids(query):
        return [p["id"] for p in api.as_user(owner).get(f"{base}?{query}").json()["results"]]

    assert ids("") == [third.pk, second.pk, first.pk]
    assert ids("order=oldest") == [first.pk, second.pk, third.pk]
    assert ids(f"uploader={owner.pk}&order=oldest") == [first.pk, third.pk]
    assert ids("order=oldest&page_size=2") == [first.pk, second.pk]
    for bad in (f"{base}?order=sideways", f"{base}?order=", f"{base}?uploader={10**19}"):
        answer = api.as_user(owner).get(bad)
        assert (answer.status_code, answer.json()["code"]) == (400, "invalid")


def test_the_photo_list_by_when_each_was_taken_pages_through_photos_without_a_date(
    api, owner, shared_album
):
    summer = PhotoFactory(album=shared_album, taken_at="2024-07-01T08:00:00Z",
                          shot_at="2024-07-01T08:00:00Z")  # fmt: skip
    undated = PhotoFactory(album=shared_album, taken_at=None)  # sorted by when it was added
    winter = PhotoFactory(album=shared_album, taken_at="2023-12-24T20:00:00Z",
                          shot_at="2023-12-24T20:00:00Z")  # fmt: skip
    base = f"/api/v1/albums/{shared_album.pk}/photos"

    def pages(order):
        ids, url = [], f"{base}?order={order}&page_size=1"
        while url:
            body = api.as_user(owner).get(url).json()
            ids, url = ids + [p["id"] for p in body["results"]], body["next"]
        return ids

    assert pages("taken_newest") == [undated.pk, summer.pk, winter.pk]
    assert pages("taken_oldest") == [winter.pk, summer.pk, undated.pk]


def test_an_uploaded_photo_sorts_by_its_exif_date(api, owner, album, local_photos):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.album import pictures

    old = PhotoFactory(album=album, taken_at=None)  # added before, taken (EXIF) long after
    form = {"file": SimpleUploadedFile("p.jpg", pictures.jpeg(), "image/jpeg")}
    taken = api.as_user(owner).post(f"/api/v1/albums/{album.pk}/photos", form, format="multipart")
    taken = taken.json()
    listed = api.as_user(owner).get(f"/api/v1/albums/{album.pk}/photos?order=taken_oldest")

    assert taken["taken_at"] == "2024-05-01T10:30:00Z"
    assert [p["id"] for p in listed.json()["results"]] == [taken["id"], old.pk]


@pytest.mark.django_db(transaction=True)
def test_counts_match_a_recount_after_racing_likes_and_comments():
    if connection.vendor == "sqlite":
        pytest.skip("row-level contention is the services suites' job (PostgreSQL, MariaDB)")
    owner = UserFactory(nickname="racing-owner")
    album = AlbumFactory(owner=owner)
    photo = PhotoFactory(album=album)
    people = UserFactory.create_batch(20)
    for person in people:
        services.member_join(album=album, user=person, role="viewer")

    def race(person, index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.issue(person.pk)}")
        for step in range(4):
            if (step + index) % 2:
                client.put(f"/api/v1/photos/{photo.pk}/like")
            else:
                client.post(f"/api/v1/photos/{photo.pk}/comments", {"body": f"{index}-{step}"},
                            format="json")  # fmt: skip
        if index % 3 == 0:
            client.delete(f"/api/v1/photos/{photo.pk}/like")
        connection.close()

    threads = [threading.Thread(target=race, args=(p, i)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.issue(owner.pk)}")
    card = client.get(f"/api/v1/photos/{photo.pk}").json()
    album_card = client.get(f"/api/v1/albums/{album.pk}").json()
    assert card["like_count"] == Like.objects.filter(photo=photo).count()
    assert card["comment_count"] == Comment.objects.filter(photo=photo).count() == 40
    assert album_card["comment_count"] == 40
    assert album_card["member_count"] == 21

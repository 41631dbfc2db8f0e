"""Comments and likes with the local policy: who may read, write, edit, delete and like."""

import pytest

from comments.models import Comment, PermissionDecision
from tests.factories import CommentFactory


def test_member_comments_and_replies_on_a_photo(api, member, owner, photo):
    api.as_user(member)
    first = api.post(f"/api/v1/photos/{photo.id}/comments", {"body": "  Hi!  "}, format="json")
    reply = api.as_user(owner).post(
        f"/api/v1/photos/{photo.id}/comments",
        {"body": "Thanks", "parent_id": first.json()["id"]},
        format="json",
    )
    deeper = api.post(
        f"/api/v1/photos/{photo.id}/comments",
        {"body": "Re: re", "parent_id": reply.json()["id"]},
        format="json",
    )

    assert first.status_code == 201
    assert first.json()["body"] == "Hi!"
    assert reply.json()["parent_id"] == first.json()["id"]
    # Replies are one level deep: a reply to a reply is refused, saying where to reply.
    assert deeper.status_code == 400
    assert deeper.json()["code"] == "invalid_parent"
    assert f"reply to comment {first.json()['id']}" in deeper.json()["detail"]
    listed = api.get(f"/api/v1/photos/{photo.id}/comments").json()["results"]
    assert [c["body"] for c in listed] == ["Hi!", "Thanks"]  # oldest first


@pytest.mark.parametrize("body", ["", "   ", "x" * 501])
def test_bad_bodies_are_refused(api, member, photo, body):
    response = api.as_user(member).post(
        f"/api/v1/photos/{photo.id}/comments", {"body": body}, format="json"
    )

    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize(("actor", "expected"), [("outsider", 404), ("anonymous", 401)])
def test_outsiders_cannot_tell_the_album_exists(
    api, request, album, photo, comment, actor, expected
):
    api.as_user(request.getfixturevalue(actor))

    assert api.get(f"/api/v1/photos/{photo.id}/comments").status_code == expected
    assert api.get(f"/api/v1/albums/{album.id}/comments").status_code == expected
    assert (
        api.post(f"/api/v1/albums/{album.id}/comments", {"body": "x"}, format="json").status_code
        == expected
    )
    assert api.put(f"/api/v1/photos/{photo.id}/like").status_code == expected
    assert api.put(f"/api/v1/comments/{comment.id}/like").status_code == expected
    assert (
        api.patch(f"/api/v1/comments/{comment.id}", {"body": "x"}, format="json").status_code
        == expected
    )


@pytest.mark.parametrize(
    ("actor", "edit", "delete"),
    [("member", 200, 204), ("owner", 403, 204), ("outsider", 404, 404)],
)
def test_who_may_edit_and_delete(api, request, comment, actor, edit, delete):
    api.as_user(request.getfixturevalue(actor))

    edited = api.patch(f"/api/v1/comments/{comment.id}", {"body": "Edited"}, format="json")
    comment.refresh_from_db()
    assert edited.status_code == edit
    assert (comment.body == "Edited") is (edit == 200)
    if edit == 403:
        assert edited.json()["code"] == "permission_denied"

    deleted = api.delete(f"/api/v1/comments/{comment.id}")
    comment.refresh_from_db()
    assert deleted.status_code == delete
    assert (comment.deleted_at is not None) is (delete == 204)


def test_another_member_cannot_delete(api, comment, contributor):
    response = api.as_user(contributor).delete(f"/api/v1/comments/{comment.id}")

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).deleted_at is None
    decision = PermissionDecision.objects.get()
    assert (decision.backend, decision.allowed, decision.action) == (
        "local",
        False,
        "comment.delete",
    )


def test_deleted_comments_are_not_listed(api, owner, photo, comment):
    api.as_user(owner).delete(f"/api/v1/comments/{comment.id}")

    assert api.get(f"/api/v1/photos/{photo.id}/comments").json()["results"] == []


@pytest.mark.parametrize("removal", ["deleted", "hidden"])
def test_a_removed_comment_with_replies_stays_in_the_thread_as_a_placeholder(
    api, member, contributor, staff, photo, comment, removal
):
    from comments import services as comments

    reply = CommentFactory(author=contributor, album=photo.album, photo=photo, parent_id=comment.pk)
    if removal == "deleted":
        api.as_user(member).delete(f"/api/v1/comments/{comment.id}")
    else:
        comments.comment_set_hidden(comment=comment, hidden=True, actor=staff)

    listed = api.as_user(contributor).get(f"/api/v1/photos/{photo.id}/comments").json()["results"]
    placeholder, kept = listed

    assert (placeholder["id"], placeholder["removed"]) == (comment.id, True)
    assert (placeholder["author"], placeholder["body"]) == (None, "")
    assert (kept["id"], kept["parent_id"], kept["removed"]) == (reply.id, comment.id, False)
    assert api.get(f"/api/v1/comments/{comment.id}").status_code == 404


def test_a_removed_member_can_no_longer_comment(api, owner, member, album, photo):
    api.as_user(owner).delete(f"/api/v1/albums/{album.id}/members/{member.id}")

    response = api.as_user(member).post(
        f"/api/v1/photos/{photo.id}/comments", {"body": "Still here?"}, format="json"
    )

    assert response.status_code == 404


def test_likes_are_idempotent_and_counted(api, owner, member, photo, comment):
    api.as_user(owner)
    assert api.put(f"/api/v1/photos/{photo.id}/like").json() == {"liked": True, "like_count": 1}
    assert api.put(f"/api/v1/photos/{photo.id}/like").json() == {"liked": True, "like_count": 1}
    assert api.as_user(member).put(f"/api/v1/photos/{photo.id}/like").json()["like_count"] == 2
    assert api.delete(f"/api/v1/photos/{photo.id}/like").json() == {"liked": False, "like_count": 1}
    assert api.delete(f"/api/v1/photos/{photo.id}/like").json() == {"liked": False, "like_count": 1}

    api.as_user(owner).put(f"/api/v1/comments/{comment.id}/like")
    listed = api.get(f"/api/v1/photos/{photo.id}/comments").json()["results"][0]
    assert (listed["like_count"], listed["liked_by_me"]) == (1, True)
    seen = api.get(f"/api/v1/photos/{photo.id}").json()
    assert (seen["like_count"], seen["liked_by_me"]) == (1, True)


def test_a_page_of_comments_costs_the_same_few_queries(
    api, member, album, photo, django_assert_max_num_queries
):
    from comments import services

    for i in range(60):
        services.comment_create(user=member, album=album, photo=photo, body=f"c{i}")
    api.as_user(member)

    for size in (5, 60):
        with django_assert_max_num_queries(5):
            page = api.get(f"/api/v1/photos/{photo.id}/comments", {"page_size": size}).json()
        assert len(page["results"]) == size


def test_comment_creation_is_throttled(api, member, photo):
    api.as_user(member)
    statuses = [
        api.post(f"/api/v1/photos/{photo.id}/comments", {"body": f"{i}"}, format="json").status_code
        for i in range(11)
    ]

    assert statuses == [201] * 10 + [429]


def test_a_comment_says_where_it_was_written(api, member, album, db):
    from tests.factories import PhotoFactory

    photo = PhotoFactory(album=album, uploader=album.owner)
    on_album = api.as_user(member).post(f"/api/v1/albums/{album.pk}/comments", {"body": "A"})
    on_photo = api.as_user(member).post(f"/api/v1/photos/{photo.pk}/comments", {"body": "P"})

    assert (on_album.json()["album_id"], on_album.json()["photo_id"]) == (album.pk, None)
    assert (on_photo.json()["album_id"], on_photo.json()["photo_id"]) == (album.pk, photo.pk)

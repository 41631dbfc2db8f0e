"""Two editors cannot overwrite each other: `ETag` on single objects, `If-Match` on edits."""

import pytest

from tests.factories import AlbumFactory, CommentFactory, PhotoFactory


@pytest.fixture
def objects(owner):
    album = AlbumFactory(owner=owner)
    return {
        "album": (f"/api/v1/albums/{album.pk}", {"title": "Renamed"}),
        "photo": (f"/api/v1/photos/{PhotoFactory(album=album).pk}", {"caption": "Dusk"}),
        "comment": (f"/api/v1/comments/{CommentFactory(album=album, author=owner).pk}",
                    {"body": "Edited"}),
        "me": ("/api/v1/me", {"nickname": "Renamed"}),
    }  # fmt: skip


def read_tag(api, path: str) -> str:
    return api.get(path)["ETag"]


@pytest.mark.parametrize("kind", ["album", "photo", "comment", "me"])
def test_an_edit_with_a_stale_tag_is_refused_and_changes_nothing(api, owner, objects, kind):
    path, change = objects[kind]
    api.as_user(owner)
    tag = read_tag(api, path)
    other_editor = api.patch(path, change, format="json", HTTP_IF_MATCH=tag)

    stale = api.patch(path, {k: "Mine" for k in change}, format="json", HTTP_IF_MATCH=tag)

    assert other_editor.status_code == 200
    assert other_editor["ETag"] != tag
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert read_tag(api, path) == other_editor["ETag"]


def test_a_like_does_not_change_a_photos_tag(api, owner, member):
    album = AlbumFactory(owner=owner, members=[member])
    path = f"/api/v1/photos/{PhotoFactory(album=album).pk}"
    tag = api.as_user(owner).get(path)["ETag"]

    api.as_user(member).put(f"{path}/like")
    edited = api.as_user(owner).put(path, {"caption": "Still mine"}, HTTP_IF_MATCH=tag)

    assert edited.status_code == 200

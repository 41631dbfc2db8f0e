"""A selection of photos deleted in one request: all of them or none, as the caller's rights
say, with a result per id, and one activity-log entry per photo."""

import pytest

from album.models import Photo
from audit.models import LogEntry
from tests.factories import AlbumFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def delete(api, user, album, ids):
    return api.as_user(user).post(f"/api/v1/albums/{album.pk}/photos/delete", {"ids": ids},
                                  format="json")  # fmt: skip


def test_the_owner_deletes_a_selection_in_one_request(
    api, owner, shared_album, contributor, django_capture_on_commit_callbacks
):
    mine = PhotoFactory(album=shared_album, uploader=owner)
    theirs = PhotoFactory(album=shared_album, uploader=contributor)
    kept = PhotoFactory(album=shared_album, uploader=owner)

    with django_capture_on_commit_callbacks(execute=True):
        answer = delete(api, owner, shared_album, [mine.pk, theirs.pk, 999999])

    assert answer.status_code == 200
    assert answer.json() == {"results": {str(mine.pk): "deleted", str(theirs.pk): "deleted",
                                         "999999": "not_found"}}  # fmt: skip
    assert list(Photo.objects.values_list("pk", flat=True)) == [kept.pk]
    assert LogEntry.objects.filter(action="photo.deleted").count() == 2
    shared_album.refresh_from_db()
    assert (shared_album.photo_count, shared_album.cover_id) == (1, kept.pk)


def test_a_selection_with_one_photo_not_theirs_deletes_nothing(
    api, owner, contributor, shared_album
):
    own = PhotoFactory(album=shared_album, uploader=contributor)
    others = PhotoFactory(album=shared_album, uploader=owner)

    answer = delete(api, contributor, shared_album, [own.pk, others.pk])

    assert answer.status_code == 403
    assert answer.json()["refused"] == [others.pk]
    assert Photo.objects.count() == 2
    assert not LogEntry.objects.filter(action="photo.deleted").exists()


def test_sending_the_same_selection_again_finds_nothing_left(api, owner, shared_album):
    photo = PhotoFactory(album=shared_album, uploader=owner)
    delete(api, owner, shared_album, [photo.pk])

    again = delete(api, owner, shared_album, [photo.pk])

    assert again.json() == {"results": {str(photo.pk): "not_found"}}


def test_a_photo_of_another_album_is_not_touched(api, owner, outsider, shared_album):
    elsewhere = PhotoFactory(album=AlbumFactory(owner=outsider))

    answer = delete(api, owner, shared_album, [elsewhere.pk])

    assert answer.json() == {"results": {str(elsewhere.pk): "not_found"}}
    assert Photo.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize("ids", [[], list(range(1, 102)), ["x"], [10**19]])
def test_an_empty_or_oversized_selection_is_refused(api, owner, shared_album, ids):
    answer = delete(api, owner, shared_album, ids)

    assert (answer.status_code, answer.json()["code"]) == (400, "invalid")


def test_a_viewer_and_an_outsider_delete_nothing(api, member, outsider, owner, shared_album):
    photo = PhotoFactory(album=shared_album, uploader=owner)

    assert delete(api, member, shared_album, [photo.pk]).status_code == 403
    assert delete(api, outsider, shared_album, [photo.pk]).status_code == 404
    assert Photo.objects.filter(pk=photo.pk).exists()

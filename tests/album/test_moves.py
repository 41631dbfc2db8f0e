"""A selection of photos moved to another album in one request: all of them or none by the
caller's rights; counts, covers and the photos' comments follow; a file the target holds is
left where it was."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from album.models import Album, Photo
from audit.models import LogEntry
from comments.models import Comment
from tests.album import pictures
from tests.factories import AlbumFactory, CommentFactory, PhotoFactory

pytestmark = pytest.mark.usefixtures("local_photos")


def move(api, user, ids, to_album):
    return api.as_user(user).post("/api/v1/photos/move", {"ids": ids, "to_album": to_album.pk},
                                  format="json")  # fmt: skip


@pytest.fixture
def other(owner):
    return AlbumFactory(owner=owner, title="另一个")


def test_the_owner_moves_a_selection_with_its_comments(api, owner, member, album, other):
    first, second = PhotoFactory(album=album), PhotoFactory(album=album)
    comment = CommentFactory(album=album, photo=first, author=member, body="随照片走")

    answer = move(api, owner, [first.pk, second.pk, 999999], other)

    assert answer.status_code == 200
    assert answer.json() == {"results": {str(first.pk): "moved", str(second.pk): "moved",
                                         "999999": "not_found"}}  # fmt: skip
    assert set(Photo.objects.filter(album=other).values_list("pk", flat=True)) == {
        first.pk, second.pk}  # fmt: skip
    assert Comment.objects.get(pk=comment.pk).album_id == other.pk
    album.refresh_from_db()
    other.refresh_from_db()
    assert (album.photo_count, album.cover_id) == (0, None)
    assert other.photo_count == 2
    assert other.cover_id in (first.pk, second.pk)
    assert LogEntry.objects.filter(action="photo.moved").count() == 2
    assert api.as_user(member).get(f"/api/v1/photos/{first.pk}").status_code == 404  # not in it


def test_one_photo_not_theirs_moves_nothing(api, owner, contributor, shared_album):
    contributors = AlbumFactory(owner=contributor)
    own = PhotoFactory(album=shared_album, uploader=contributor)
    owners = PhotoFactory(album=shared_album, uploader=owner)

    answer = move(api, contributor, [own.pk, owners.pk], contributors)

    assert answer.status_code == 403
    assert answer.json()["refused"] == [owners.pk]
    assert Photo.objects.filter(album=shared_album).count() == 2


def test_moving_into_an_album_one_may_not_add_to_is_refused(api, owner, member, album,
                                                            outsider):  # fmt: skip
    photo = PhotoFactory(album=album)
    viewers = AlbumFactory(owner=outsider, members=[owner], visibility=Album.Visibility.MEMBERS)

    assert move(api, owner, [photo.pk], viewers).status_code == 403
    assert move(api, member, [photo.pk], AlbumFactory(owner=outsider)).status_code == 404
    assert Photo.objects.get(pk=photo.pk).album_id == album.pk


def test_a_file_the_target_holds_from_the_same_uploader_stays_where_it_was(api, owner, album,
                                                                          other):  # fmt: skip
    data = pictures.jpeg()
    for target in (album, other):
        form = {"file": SimpleUploadedFile("p.jpg", data, "image/jpeg")}
        api.as_user(owner).post(f"/api/v1/albums/{target.pk}/photos", form, format="multipart")
    here = Photo.objects.get(album=album)

    answer = move(api, owner, [here.pk], other)

    assert answer.json() == {"results": {str(here.pk): "duplicate"}}
    assert Photo.objects.get(pk=here.pk).album_id == album.pk


def test_moving_again_changes_nothing(api, owner, album, other):
    photo = PhotoFactory(album=album)
    move(api, owner, [photo.pk], other)

    again = move(api, owner, [photo.pk], other)

    assert again.json() == {"results": {str(photo.pk): "moved"}}
    assert LogEntry.objects.filter(action="photo.moved").count() == 1

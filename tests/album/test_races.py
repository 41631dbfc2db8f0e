"""A change that arrives just after someone else deleted the thing: a 404, never a 500, and
the deleted row stays deleted (found by the contract fuzzer's concurrent requests)."""

import pytest

from album import selectors, services
from album.models import Album, Photo
from comments import services as comment_services
from comments.models import Comment
from config.problems import NotFound
from tests.factories import PhotoFactory


@pytest.fixture
def photo(album, owner):
    return PhotoFactory(album=album, uploader=owner)


def test_editing_an_album_deleted_meanwhile_is_not_found_and_does_not_bring_it_back(owner, album):
    loaded = selectors.album_get(user=owner, album_id=album.pk)
    Album.objects.filter(pk=album.pk).delete()  # another request's delete commits first

    with pytest.raises(NotFound):
        services.album_update(album=loaded, actor=owner, title="Renamed")

    assert not Album.objects.filter(pk=album.pk).exists()


def test_captioning_a_photo_deleted_meanwhile_is_not_found(owner, photo):
    loaded = selectors.photo_get(user=owner, photo_id=photo.pk)
    Photo.objects.filter(pk=photo.pk).delete()

    with pytest.raises(NotFound):
        services.photo_update(photo=loaded, actor=owner, caption="Sunset")


def test_editing_or_deleting_a_comment_whose_album_went_away_is_not_found(owner, album):
    comment = comment_services.comment_create(user=owner, album=album, body="Hello")
    Album.objects.filter(pk=album.pk).delete()

    with pytest.raises(NotFound):
        comment_services.comment_edit(comment=comment, user=owner, body="Edited")
    with pytest.raises(NotFound):
        comment_services.comment_delete(comment=comment, user=owner)
    assert not Comment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_commenting_on_or_liking_a_photo_deleted_meanwhile_is_not_found(owner, album, photo):
    Photo.objects.filter(pk=photo.pk).delete()  # `photo` is now a stale instance

    with pytest.raises(NotFound):
        comment_services.comment_create(user=owner, album=album, photo=photo, body="Nice")
    with pytest.raises(NotFound):
        comment_services.like_set(user=owner, target=photo, liked=True)
    assert not Comment.objects.exists()


def test_sharing_or_uploading_to_an_album_deleted_meanwhile_is_not_found(owner, album):
    from shortlinks import services as link_services
    from shortlinks.models import ShortLink

    Album.objects.filter(pk=album.pk).delete()  # `album` is now a stale instance

    with pytest.raises(NotFound):
        link_services.album_share(album=album, actor=owner, role="viewer")
    with pytest.raises(NotFound):
        services.upload_create(
            album=album, user=owner, filename="a.jpg", content_type="image/jpeg", local_url="/u"
        )
    assert not ShortLink.objects.exists()

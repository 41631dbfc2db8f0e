"""factory_boy factories for the standing actors and what they make.

Albums, comments and links are made through the services, as a user would make them, so every
test starts from data the services could have written (owner memberships, log entries).
Photos are rows with placeholder object keys, for tests about what hangs off a photo rather
than the photo itself; tests about files upload real images through the API.
"""

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from album import services as album_services
from album.models import Album, Photo
from comments import services as comment_services
from comments.models import Comment
from shortlinks import services as link_services
from shortlinks.models import ShortLink


class UserFactory(DjangoModelFactory):
    """A WeChat user: known by openid, no password."""

    class Meta:
        model = User
        django_get_or_create = ["username"]

    nickname = factory.Sequence(lambda n: f"user{n}")
    username = factory.LazyAttribute(lambda u: f"wx-{u.nickname}")
    openid = factory.LazyAttribute(lambda u: f"openid-{u.nickname}")


class StaffFactory(DjangoModelFactory):
    """An operator who signs in to the admin with a password; no openid."""

    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    is_superuser = True
    password = factory.django.Password("staff-password")


class AlbumFactory(DjangoModelFactory):
    class Meta:
        model = Album

    owner = factory.SubFactory(UserFactory)
    title = "Trip"
    description = ""
    visibility = Album.Visibility.MEMBERS

    @classmethod
    def _create(cls, model_class, *, members=(), contributors=(), **fields):
        album = album_services.album_create(**fields)
        for user in members:
            album_services.member_join(album=album, user=user, role="viewer")
        for user in contributors:
            album_services.member_join(album=album, user=user, role="contributor")
        return album


class PhotoFactory(DjangoModelFactory):
    """A photo row with placeholder keys and no stored files."""

    class Meta:
        model = Photo

    album = factory.SubFactory(AlbumFactory)
    uploader = factory.LazyAttribute(lambda p: p.album.owner)
    original = "p/o.jpg"
    large = "p/l.jpg"
    thumb = "p/t.jpg"
    width = 10
    height = 10
    bytes = 1
    sha256 = "0" * 64
    content_type = "image/jpeg"

    @classmethod
    def _create(cls, model_class, **fields):
        from django.db.models import F

        photo = super()._create(model_class, **fields)
        if not photo.is_visible:
            return photo
        # As the upload service keeps them: the count of the photos others may see, and the
        # first of them as the cover.
        albums = Album.objects.filter(pk=photo.album_id)
        albums.update(photo_count=F("photo_count") + 1)
        albums.filter(cover__isnull=True).update(cover=photo)
        return photo


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    album = factory.SubFactory(AlbumFactory)
    photo = None
    author = factory.LazyAttribute(lambda c: c.album.owner)
    body = "Nice one"

    @classmethod
    def _create(cls, model_class, *, author, **fields):
        return comment_services.comment_create(user=author, **fields)


class ShareFactory(DjangoModelFactory):
    """An album share link, made by the album's owner."""

    class Meta:
        model = ShortLink

    album = factory.SubFactory(AlbumFactory)
    role = "viewer"

    @classmethod
    def _create(cls, model_class, *, album, role):
        link, _ = link_services.album_share(album=album, actor=album.owner, role=role)
        return link


class LinkFactory(DjangoModelFactory):
    """A generic link to a mini-program page."""

    class Meta:
        model = ShortLink

    creator = factory.SubFactory(UserFactory)
    page = "pages/event/index"
    params = factory.LazyFunction(lambda: {"id": 7})

    @classmethod
    def _create(cls, model_class, **fields):
        return link_services.shortlink_create(**fields)

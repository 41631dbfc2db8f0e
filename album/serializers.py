"""Shapes of the album API."""

from rest_framework import serializers

from accounts.serializers import UserPublicSerializer
from album import storage
from album.models import Album, Membership, Photo
from config.serializers import StrictInputSerializer


def absolute(request, url: str) -> str:
    """Storage URLs are absolute on S3 and a CDN; local ones are made absolute here."""
    if url.startswith(("http://", "https://")) or request is None:
        return url
    return request.build_absolute_uri(url)


class PhotoUrlsSerializer(serializers.Serializer):
    original = serializers.URLField()
    large = serializers.URLField()
    thumb = serializers.URLField()


class PhotoSerializer(serializers.ModelSerializer):
    album_id = serializers.IntegerField(read_only=True)
    uploader = UserPublicSerializer(read_only=True, allow_null=True)
    urls = serializers.SerializerMethodField()
    liked_by_me = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Photo
        fields = [
            "id",
            "album_id",
            "uploader",
            "urls",
            "width",
            "height",
            "bytes",
            "content_type",
            "caption",
            "taken_at",
            "created_at",
            "like_count",
            "liked_by_me",
        ]
        read_only_fields = fields

    def get_urls(self, photo) -> PhotoUrlsSerializer:
        request = self.context.get("request")
        return {
            name: absolute(request, storage.url(getattr(photo, name).name))
            for name in ("original", "large", "thumb")
        }


class PhotoUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    caption = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PhotoUpdateSerializer(StrictInputSerializer):
    caption = serializers.CharField(max_length=500, allow_blank=True)


class AlbumSerializer(serializers.ModelSerializer):
    owner = UserPublicSerializer(read_only=True)
    cover_url = serializers.SerializerMethodField(help_text="Thumbnail of the cover photo.")
    my_role = serializers.CharField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Album
        fields = [
            "id",
            "title",
            "description",
            "visibility",
            "owner",
            "cover_url",
            "photo_count",
            "my_role",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_cover_url(self, album) -> str | None:
        if album.cover is None:
            return None
        return absolute(self.context.get("request"), storage.url(album.cover.thumb.name))


class AlbumCreateSerializer(StrictInputSerializer):
    title = serializers.CharField(min_length=1, max_length=100)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(
        choices=Album.Visibility.choices, default=Album.Visibility.MEMBERS
    )


class AlbumUpdateSerializer(StrictInputSerializer):
    """PUT sends every field; PATCH any of them."""

    title = serializers.CharField(min_length=1, max_length=100)
    description = serializers.CharField(max_length=2000, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Album.Visibility.choices)


class MemberSerializer(serializers.ModelSerializer):
    user = UserPublicSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "joined_at"]
        read_only_fields = fields


class UploadCreateSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    content_type = serializers.CharField(max_length=64)


class UploadTicketSerializer(serializers.Serializer):
    upload_id = serializers.UUIDField()
    url = serializers.URLField()
    fields = serializers.DictField(child=serializers.CharField())
    max_bytes = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class LocalUploadSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=255)
    policy = serializers.CharField(max_length=2000)
    file = serializers.FileField(allow_empty_file=False)

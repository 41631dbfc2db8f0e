"""Shapes of the album API."""

from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import UserPublicSerializer
from album import selectors
from album.models import Album, Membership, Photo
from config.converters import MAX_ID
from config.serializers import StrictInputSerializer
from media import storage
from moderation import media
from moderation import services as moderation
from moderation.fields import UserTextField
from moderation.services import as_author_sees


def _viewer_id(serializer) -> int | None:
    request = serializer.context.get("request")
    return getattr(getattr(request, "user", None), "pk", None)


_HELD = serializers.ListField(
    child=serializers.CharField(), read_only=True, default=list,
    help_text="Fields whose new text waits for a reviewer: shown as written to their author "
    "only (everyone else sees the previous text). Empty for everyone else.",
)  # fmt: skip


class PhotoUrlsSerializer(serializers.Serializer):
    original = serializers.URLField()
    large = serializers.URLField()
    thumb = serializers.URLField()


# Why a photo is hidden from others, for its uploader: (English, Chinese).
_HIDDEN_BECAUSE = {
    Photo.Review.PENDING: (
        "Only you can see this photo until WeChat's content check ends (usually seconds).",
        "内容安全检测完成前（通常几秒钟），只有你能看到这张照片。",
    ),
    Photo.Review.REVIEW: (
        "Only you can see this photo while a reviewer looks at it.",
        "这张照片正在等待人工审核，目前只有你能看到。",
    ),
    Photo.Review.RISKY: (
        "Only you can see this photo: WeChat's content check flagged it ({label}).",
        "微信内容安全检测认为这张照片存在风险（{label}），只有你能看到。",
    ),
    Photo.Review.REJECTED: (
        "Only you can see this photo: a reviewer rejected it.",
        "这张照片未通过人工审核，只有你能看到。",
    ),
}


# Why a photo could not be processed, for its uploader: (English, Chinese).
_FAILURES = {
    "unsupported_image": ("the file is damaged", "文件已损坏"),
    "image_too_large": ("it has too many pixels", "像素过多"),
    "image_too_complex": ("it would take too long to decode", "解码耗时过长"),
    "file_too_large": ("the file is too large", "文件过大"),
    "source_missing": ("the uploaded file was lost", "上传的文件丢失"),
    "source_changed": ("the uploaded file was replaced", "上传的文件被替换"),
}
_FAILURE_OTHERWISE = ("the server could not process it", "服务器未能处理")
_PROCESSING = (
    "Only you can see this photo until it is ready (usually seconds).",
    "照片处理完成前（通常几秒钟），只有你能看到它。",
)
_FAILED = (
    "This photo could not be processed ({failure}); only you can see it, and it will be "
    "removed. Upload it again.",
    "这张照片无法处理（{failure}），只有你能看到，稍后会被删除。请重新上传。",
)


def _in_reader_language(texts: tuple[str, str]) -> str:
    return texts[1] if (translation.get_language() or "").startswith("zh") else texts[0]


class PhotoSerializer(serializers.ModelSerializer):
    album_id = serializers.IntegerField(read_only=True)
    uploader = UserPublicSerializer(read_only=True, allow_null=True)
    state = serializers.ChoiceField(
        choices=Photo.State.choices, read_only=True,
        help_text="`processing` from upload until its renditions are made (then `urls` is "
        "null and only the uploader sees it), `ready`, or `failed` (see `failure`; only the "
        "uploader sees it, and cleanup deletes it).",
    )  # fmt: skip
    failure = serializers.CharField(
        read_only=True,
        help_text="Why a failed photo could not be processed: a problem code "
        "(`unsupported_image`, `image_too_large`, `image_too_complex`, `file_too_large`, "
        "`source_missing`, `source_changed`, `processing_failed`); empty otherwise.",
    )
    urls = serializers.SerializerMethodField(help_text="Null until the photo is ready.")
    liked_by_me = serializers.BooleanField(read_only=True, default=False)
    comment_count = serializers.SerializerMethodField(
        help_text="Comments everyone who may view the photo sees."
    )
    review_label = serializers.IntegerField(
        source="check_label",
        read_only=True,
        allow_null=True,
        help_text="WeChat's content label, when its check flagged the photo (20002: porn...).",
    )
    hidden_because = serializers.SerializerMethodField(
        help_text="Why others cannot see the photo (only its uploader sees it); null if they can."
    )
    held = _HELD

    class Meta:
        model = Photo
        fields = [
            "id",
            "album_id",
            "uploader",
            "state",
            "failure",
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
            "comment_count",
            "review",
            "review_label",
            "hidden_because",
            "held",
        ]
        read_only_fields = fields

    def to_representation(self, photo):
        data = super().to_representation(photo)
        if photo.held_caption and photo.uploader_id == _viewer_id(self):
            return as_author_sees(data, photo, ["caption"])
        return data

    def get_hidden_because(self, photo) -> str | None:
        if photo.state == Photo.State.PROCESSING:
            return _in_reader_language(_PROCESSING)
        if photo.state == Photo.State.FAILED:
            failure = _in_reader_language(_FAILURES.get(photo.failure, _FAILURE_OTHERWISE))
            return _in_reader_language(_FAILED).format(failure=failure)
        texts = _HIDDEN_BECAUSE.get(photo.review)
        if texts is None:
            return None
        return _in_reader_language(texts).format(label=media.label_words(photo.check_label))

    def get_comment_count(self, photo) -> int:
        return selectors.photo_comment_count(photo)

    @extend_schema_field(PhotoUrlsSerializer(allow_null=True))
    def get_urls(self, photo) -> dict | None:
        if photo.state != Photo.State.READY:
            return None
        request = self.context.get("request")
        return {
            name: storage.absolute(request, storage.url(getattr(photo, name).name))
            for name in ("original", "large", "thumb")
        }


_SHA1 = RegexValidator(r"^[0-9a-fA-F]{40}$", "40 hexadecimal digits.")


class PhotoUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    caption = UserTextField(moderation.CAPTION, required=False, default="")
    sha1 = serializers.CharField(
        required=False, default=None, validators=[_SHA1],
        help_text="The file's SHA-1 as the phone gave it (getFileInfo); checked against the "
        "bytes. The album holding it already answers 200 with that photo.",
    )  # fmt: skip


class PhotoListQuerySerializer(serializers.Serializer):
    order = serializers.ChoiceField(
        choices=["newest", "oldest", "taken_newest", "taken_oldest"], default="newest",
        help_text="`newest`/`oldest`: by when each was added; `taken_newest`/`taken_oldest`: "
        "by when each was taken (its EXIF date; when added, for a photo without one).",
    )  # fmt: skip
    uploader = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID,
        help_text="Only this user's uploads (a user id).",
    )  # fmt: skip


class PhotoSelectionSerializer(StrictInputSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1,
        max_length=100, help_text="The selected photos' ids.",
    )  # fmt: skip


class PhotoMoveSerializer(PhotoSelectionSerializer):
    to_album = serializers.IntegerField(min_value=1, max_value=MAX_ID,
                                        help_text="The album the photos go to.")  # fmt: skip


class MoveResultSerializer(serializers.Serializer):
    results = serializers.DictField(
        child=serializers.ChoiceField(choices=["moved", "duplicate", "not_found"]),
        help_text="Per id: `moved` (or there already), `duplicate` (the album holds this file "
        "from the same uploader; left where it was) or `not_found` (not one you see).",
    )


class SelectionResultSerializer(serializers.Serializer):
    results = serializers.DictField(
        child=serializers.ChoiceField(choices=["deleted", "not_found"]),
        help_text="Per id: `deleted`, or `not_found` (not in the album as you see it: deleted "
        "already, by a retry say, or never there).",
    )


class PhotosCheckSerializer(StrictInputSerializer):
    sha1 = serializers.ListField(
        child=serializers.CharField(validators=[_SHA1]), min_length=1, max_length=100,
        help_text="SHA-1s of the files the user picked (getFileInfo, digestAlgorithm sha1).",
    )  # fmt: skip


class PhotosKnownSerializer(serializers.Serializer):
    photos = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="For each SHA-1 the album already holds (among the photos you see), that "
        "photo's id; the others are not there yet.",
    )


class PhotoUpdateSerializer(StrictInputSerializer):
    caption = UserTextField(moderation.CAPTION)


class AlbumSerializer(serializers.ModelSerializer):
    owner = UserPublicSerializer(read_only=True)
    cover_url = serializers.SerializerMethodField(help_text="Thumbnail of the cover photo.")
    my_role = serializers.CharField(read_only=True, allow_null=True, default=None)
    member_count = serializers.SerializerMethodField(help_text="Members, the owner included.")
    comment_count = serializers.SerializerMethodField(
        help_text="Comments everyone who may view the album sees, on it and on its photos."
    )
    held = _HELD

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
            "member_count",
            "comment_count",
            "my_role",
            "created_at",
            "updated_at",
            "held",
        ]
        read_only_fields = fields

    def __init__(self, *args, fields=None, **kwargs):
        """`fields`: only these (and `id`), for a page that needs less (`?fields=`)."""
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in set(self.fields) - {"id", *fields}:
                self.fields.pop(name)

    def to_representation(self, album):
        data = super().to_representation(album)
        if album.owner_id == _viewer_id(self):
            data = as_author_sees(data, album, ["title", "description"])
            data = {name: value for name, value in data.items() if name in self.fields}
        if "title" in data:
            data["title"] = data["title"] or album.display_title
        return data

    def get_member_count(self, album) -> int:
        return selectors.album_member_count(album)

    def get_comment_count(self, album) -> int:
        return selectors.album_comment_count(album)

    def get_cover_url(self, album) -> str | None:
        if album.cover is None:
            return None
        return storage.absolute(self.context.get("request"), storage.url(album.cover.thumb.name))


ALBUM_FIELDS = tuple(AlbumSerializer.Meta.fields)


_ONE_FIELD = f"(?:{'|'.join(ALBUM_FIELDS)})"


class AlbumReadQuerySerializer(serializers.Serializer):
    fields = serializers.CharField(
        required=False, allow_blank=False,
        validators=[RegexValidator(rf"^ *{_ONE_FIELD} *(?:, *{_ONE_FIELD} *)*$",
                                   gettext_lazy("Field names, separated by commas."))],
        help_text="Only these fields (and `id`), comma-separated, e.g. "
        "`title,photo_count,cover_url` for a page header: the counts not asked for are not "
        f"counted. Any of: {', '.join(ALBUM_FIELDS)}.",
    )  # fmt: skip

    def validate_fields(self, value: str) -> list[str]:
        return [name.strip() for name in value.split(",")]  # each a name: the pattern says


class AlbumCreateSerializer(StrictInputSerializer):
    title = UserTextField(moderation.TITLE)
    description = UserTextField(moderation.DESCRIPTION, required=False)
    visibility = serializers.ChoiceField(
        choices=Album.Visibility.choices, default=Album.Visibility.MEMBERS
    )


class AlbumUpdateSerializer(StrictInputSerializer):
    """PUT sends every field; PATCH any of them."""

    title = UserTextField(moderation.TITLE)
    description = UserTextField(moderation.DESCRIPTION)
    visibility = serializers.ChoiceField(choices=Album.Visibility.choices)


class MemberSerializer(serializers.ModelSerializer):
    user = UserPublicSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "joined_at"]
        read_only_fields = fields


class MemberRoleSerializer(StrictInputSerializer):
    role = serializers.ChoiceField(
        choices=[Membership.Role.VIEWER, Membership.Role.CONTRIBUTOR],
        help_text="What the member may do: view, or also upload.",
    )


class UploadCreateSerializer(StrictInputSerializer):
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

    def get_fields(self):
        fields = super().get_fields()
        # Named as S3's form names it, which no Python attribute can be.
        fields["Content-Type"] = serializers.CharField(
            max_length=64, required=False, allow_blank=True, default="",
            help_text="The ticket's `Content-Type` field, sent back as it came.",
        )  # fmt: skip
        return fields

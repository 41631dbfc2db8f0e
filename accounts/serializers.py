"""Shapes of the accounts API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Avatar, User
from config.serializers import StrictInputSerializer
from media import storage
from moderation import media
from moderation import services as moderation
from moderation.fields import UserTextField
from moderation.services import as_author_sees


class AvatarPublicSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField(help_text="256 x 256 JPEG.")
    thumb_url = serializers.SerializerMethodField(help_text="96 x 96 JPEG.")

    def get_url(self, avatar: Avatar) -> str:
        return storage.absolute(self.context.get("request"), storage.url(avatar.large.name))

    def get_thumb_url(self, avatar: Avatar) -> str:
        return storage.absolute(self.context.get("request"), storage.url(avatar.thumb.name))


class AvatarSerializer(AvatarPublicSerializer):
    review = serializers.ChoiceField(
        choices=media.Review.choices, read_only=True,
        help_text="Where it stands in WeChat's check: others see it once it is `unchecked`, "
        "`pass` or `approved`, and the previous avatar (or none) until then.",
    )  # fmt: skip


class _OwnAvatarField(serializers.Field):
    """The avatar the user last set, as they see it: a held one while it is being checked."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, user: User):
        avatar = user.held_avatar or user.avatar
        return AvatarSerializer(avatar, context=self.context).data if avatar is not None else None


class UserSerializer(serializers.ModelSerializer):
    """The caller's own profile: a nickname waiting for a reviewer shows as written."""

    avatar = extend_schema_field(AvatarSerializer(allow_null=True))(_OwnAvatarField)()
    held = serializers.ListField(
        child=serializers.CharField(), read_only=True, default=list,
        help_text="Fields whose new text waits for a reviewer (others do not see it yet).",
    )  # fmt: skip

    class Meta:
        model = User
        fields = ["id", "openid", "nickname", "avatar", "held", "deletion_at"]
        read_only_fields = fields
        extra_kwargs = {
            "deletion_at": {"help_text": "When the account's data will be deleted, if that "
                            "was asked for; null otherwise."}
        }  # fmt: skip

    def to_representation(self, user):
        return as_author_sees(super().to_representation(user), user, ["nickname"])


class UserPublicSerializer(serializers.ModelSerializer):
    """What other users see of someone: never the openid, never a held nickname or avatar."""

    avatar = AvatarPublicSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "nickname", "avatar"]
        read_only_fields = fields


class LoginSerializer(StrictInputSerializer):
    code = serializers.CharField(min_length=1, max_length=128, trim_whitespace=True)


class LoginResultSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds until the token expires.")
    user = UserSerializer()


class ProfileUpdateSerializer(StrictInputSerializer):
    """The editable part of GET /me: a new user's empty nickname is accepted as it is (it
    reads as "WeChat user"). The avatar is an upload of its own (PUT /me/avatar)."""

    nickname = UserTextField(moderation.NICKNAME)


class AvatarUploadSerializer(serializers.Serializer):
    """What wx.uploadFile sends after `<button open-type="chooseAvatar">`: one `file` part
    (any `formData` beside it is ignored)."""

    file = serializers.FileField(
        allow_empty_file=False, help_text="A JPEG, PNG or WebP image; it is cropped square."
    )


class DeletionSerializer(serializers.Serializer):
    deletion_at = serializers.DateTimeField(
        help_text="When the account's data will be deleted; POST /me/deletion/cancel until then."
    )

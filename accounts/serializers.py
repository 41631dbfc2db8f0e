"""Shapes of the accounts API."""

from django.core.validators import RegexValidator, URLValidator
from rest_framework import serializers

from accounts.models import User
from config.serializers import StrictInputSerializer
from moderation import services as moderation
from moderation.fields import UserTextField
from moderation.services import as_author_sees

_HTTPS_URL = (
    r"^https://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,3}[A-Za-z]{2,24}"
    r"(/[A-Za-z0-9\-._~:/?@!$&'()*+,;=]*)?$"
)


class AvatarUrlField(serializers.URLField):
    """The avatar's URL, or null while the user has none (never an empty string)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class UserSerializer(serializers.ModelSerializer):
    """The caller's own profile: a nickname waiting for a reviewer shows as written."""

    avatar_url = AvatarUrlField()
    held = serializers.ListField(
        child=serializers.CharField(), read_only=True, default=list,
        help_text="Fields whose new text waits for a reviewer (others do not see it yet).",
    )  # fmt: skip

    class Meta:
        model = User
        fields = ["id", "openid", "nickname", "avatar_url", "held", "deletion_at"]
        read_only_fields = fields
        extra_kwargs = {
            "deletion_at": {"help_text": "When the account's data will be deleted, if that "
                            "was asked for; null otherwise."}
        }  # fmt: skip

    def to_representation(self, user):
        return as_author_sees(super().to_representation(user), user, ["nickname"])


class UserPublicSerializer(serializers.ModelSerializer):
    """What other users see of someone: never the openid."""

    avatar_url = AvatarUrlField()

    class Meta:
        model = User
        fields = ["id", "nickname", "avatar_url"]
        read_only_fields = fields


class LoginSerializer(StrictInputSerializer):
    code = serializers.CharField(min_length=1, max_length=128, trim_whitespace=True)


class LoginResultSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds until the token expires.")
    user = UserSerializer()


class ProfileUpdateSerializer(StrictInputSerializer):
    """PUT sends both fields; PATCH any of them."""

    # What GET /me returns can be sent back as it is: a new user's empty nickname and null
    # avatar are accepted (an empty nickname reads as "WeChat user"; null is no avatar).
    nickname = UserTextField(moderation.NICKNAME)
    avatar_url = serializers.CharField(
        max_length=500,
        allow_null=True,
        validators=[
            URLValidator(schemes=["https"], message="Enter an https URL."),
            # The same rule as the document's pattern: an https URL on a host name whose
            # labels are at most 63 characters (and the name at most 253), then a path and
            # query of URI characters (no fragment, no percent escapes).
            RegexValidator(_HTTPS_URL, message="Enter an https URL."),
        ],
    )


class DeletionSerializer(serializers.Serializer):
    deletion_at = serializers.DateTimeField(
        help_text="When the account's data will be deleted; POST /me/deletion/cancel until then."
    )

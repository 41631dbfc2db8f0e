"""Shapes of the accounts API."""

from django.core.validators import RegexValidator, URLValidator
from rest_framework import serializers

from accounts.models import User
from config.serializers import StrictInputSerializer

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
    avatar_url = AvatarUrlField()

    class Meta:
        model = User
        fields = ["id", "openid", "nickname", "avatar_url"]
        read_only_fields = fields


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

    nickname = serializers.CharField(min_length=1, max_length=32)
    avatar_url = serializers.CharField(
        max_length=500,
        validators=[
            URLValidator(schemes=["https"], message="Enter an https URL."),
            # The same rule as the document's pattern: an https URL on a host name whose
            # labels are at most 63 characters (and the name at most 253), then a path and
            # query of URI characters (no fragment, no percent escapes).
            RegexValidator(_HTTPS_URL, message="Enter an https URL."),
        ],
    )

"""DRF authentication for `Authorization: Bearer <token>`."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts import tokens
from accounts.models import User


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        # From request.META, as DRF's get_authorization_header does, without building
        # request.headers (every header in a new dict) for the anonymous scans that carry none.
        header = request.META.get("HTTP_AUTHORIZATION", "").encode("iso-8859-1").split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header.")
        try:
            user_id = tokens.read(header[1].decode("ascii"))
        except (tokens.InvalidToken, UnicodeDecodeError) as exc:
            raise exceptions.AuthenticationFailed("The token is invalid or has expired.") from exc
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise exceptions.AuthenticationFailed("The token is invalid or has expired.")
        user.via_api_token = True  # its roles only: no staff powers through the API
        return user, None

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}

"""DRF authentication: `Authorization: Bearer <token>`, and in WeChat Cloud Hosting the
identity its gateway verified (`X-WX-OPENID`)."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts import services, tokens
from accounts.models import User


class CloudHostingAuthentication(authentication.BaseAuthentication):
    """With WECHAT_IDENTITY=cloudrun, a request `wx.cloud.callContainer` sent through Cloud
    Hosting's gateway is its caller: the gateway sets `X-WX-OPENID`, `X-WX-APPID` (and
    `X-WX-UNIONID` when there is one) after checking who is calling, so no wx.login round trip
    or token is needed. Only for this mini-program's appid. With the setting off the headers
    mean nothing, whoever sends them; without them the bearer token is asked for as usual."""

    def authenticate(self, request):
        if settings.WECHAT_IDENTITY != "cloudrun":
            return None
        openid = request.META.get("HTTP_X_WX_OPENID", "")
        if not openid:
            return None
        if request.META.get("HTTP_X_WX_APPID", "") != settings.WECHAT_APP_ID:
            raise exceptions.AuthenticationFailed("The request is for another mini-program.")
        if len(openid) > 64:
            raise exceptions.AuthenticationFailed("The caller's openid is not valid.")
        unionid = request.META.get("HTTP_X_WX_UNIONID", "")[:64] or None
        user = services.user_from_cloud_hosting(openid=openid, unionid=unionid)
        if not user.is_active:
            raise exceptions.AuthenticationFailed("This account is not active.")
        user.via_api_token = True  # its roles only, as with a token
        return user, None

    def authenticate_header(self, request):
        return 'Bearer realm="api"'  # a client outside WeChat logs in for a token


class CloudHostingScheme(OpenApiAuthenticationExtension):
    target_class = CloudHostingAuthentication
    name = "wechatCloudHosting"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-WX-OPENID",
            "description": "WeChat Cloud Hosting only (WECHAT_IDENTITY=cloudrun): set by its "
            "gateway, with X-WX-APPID, for wx.cloud.callContainer; never by a client.",
        }


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

"""The accounts API: login and the caller's own profile."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts import avatars, services, tokens
from accounts.serializers import (
    AvatarUploadSerializer,
    DeletionSerializer,
    LoginResultSerializer,
    LoginSerializer,
    ProfileUpdateSerializer,
    UserSerializer,
)
from config.etags import tagged
from config.views import APIView
from media.uploads import refuse_oversized_body


def _me(request, user) -> dict:
    return UserSerializer(user, context={"request": request}).data


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    # Anonymous, so ScopedRateThrottle keys it by client IP.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=LoginSerializer, responses={200: LoginResultSerializer}, tags=["auth"])
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, token = services.user_login(code=serializer.validated_data["code"])
        result = {"token": token, "expires_in": tokens.lifetime_seconds(), "user": user}
        return Response(LoginResultSerializer(result, context={"request": request}).data)


class MeView(APIView):
    @extend_schema(responses={200: UserSerializer}, tags=["auth"])
    def get(self, request):
        return tagged(Response(_me(request, request.user)), request.user)

    @extend_schema(request=ProfileUpdateSerializer, responses={200: UserSerializer}, tags=["auth"])
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(request=ProfileUpdateSerializer, responses={200: UserSerializer}, tags=["auth"])
    def patch(self, request):
        return self._update(request, partial=True)

    @extend_schema(responses={202: DeletionSerializer}, tags=["auth"])
    def delete(self, request):
        user = services.account_deletion_request(user=request.user)
        return Response({"deletion_at": user.deletion_at}, status=status.HTTP_202_ACCEPTED)

    def _update(self, request, *, partial: bool):
        serializer = ProfileUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(
            user=request.user, if_match=request.headers.get("If-Match"),
            **serializer.validated_data,
        )  # fmt: skip
        return tagged(Response(_me(request, user)), user)


class DeletionCancelView(APIView):
    @extend_schema(request=None, responses={200: UserSerializer}, tags=["auth"])
    def post(self, request):
        user = services.account_deletion_cancel(user=request.user)
        return tagged(Response(_me(request, user)), user)


class AvatarView(APIView):
    """The caller's avatar: an upload, as a photo is (wx.uploadFile after chooseAvatar)."""

    parser_classes = [MultiPartParser]
    throttle_scope = "upload"

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method in ("PUT", "POST") else []

    @extend_schema(
        request={"multipart/form-data": AvatarUploadSerializer},
        responses={200: UserSerializer},
        tags=["auth"],
    )
    def post(self, request):
        """wx.uploadFile sends POST only: the same as PUT."""
        return self.put(request)

    @extend_schema(
        request={"multipart/form-data": AvatarUploadSerializer},
        responses={200: UserSerializer},
        tags=["auth"],
    )
    def put(self, request):
        refuse_oversized_body(request)
        serializer = AvatarUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = avatars.avatar_set(user=request.user, data=serializer.validated_data["file"].read())
        return tagged(Response(_me(request, user)), user)

    @extend_schema(request=None, responses={200: UserSerializer}, tags=["auth"])
    def delete(self, request):
        user = avatars.avatar_delete(user=request.user, actor=request.user)
        return tagged(Response(_me(request, user)), user)

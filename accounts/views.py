"""The accounts API: login and the caller's own profile."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts import services, tokens
from accounts.serializers import (
    DeletionSerializer,
    LoginResultSerializer,
    LoginSerializer,
    ProfileUpdateSerializer,
    UserSerializer,
)
from config.etags import tagged
from config.views import APIView


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
        return Response(LoginResultSerializer(result).data)


class MeView(APIView):
    @extend_schema(responses={200: UserSerializer}, tags=["auth"])
    def get(self, request):
        return tagged(Response(UserSerializer(request.user).data), request.user)

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
        fields = serializer.validated_data
        if "avatar_url" in fields and fields["avatar_url"] is None:
            fields["avatar_url"] = ""  # null: no avatar
        user = services.user_update_profile(
            user=request.user, if_match=request.headers.get("If-Match"), **fields
        )
        return tagged(Response(UserSerializer(user).data), user)


class DeletionCancelView(APIView):
    @extend_schema(request=None, responses={200: UserSerializer}, tags=["auth"])
    def post(self, request):
        user = services.account_deletion_cancel(user=request.user)
        return tagged(Response(UserSerializer(user).data), user)

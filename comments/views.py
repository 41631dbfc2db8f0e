"""The comments API: parse, call a service or selector, serialise."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from album import selectors as album_selectors
from comments import selectors, services
from comments.serializers import (
    CommentCreateSerializer,
    CommentEditSerializer,
    CommentSerializer,
    LikeSerializer,
)
from config.etags import located, tagged
from config.pagination import ordered_by
from config.views import APIView, GenericAPIView
from idempotency.views import idempotent


def _created_comment_visible(request, body, **kwargs):
    """Before an Idempotency-Key replays a comment: may the caller still see it?"""
    selectors.comment_get(user=request.user, comment_id=body["id"])


class CommentPagination(ordered_by("created_at", "id")):
    page_size = 20
    max_page_size = 100


class _CommentListView(GenericAPIView):
    serializer_class = CommentSerializer
    pagination_class = CommentPagination
    throttle_scope = "comment_create"

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    def target(self, request, **kwargs):
        """(album, photo or None) the user may view; raises NotFound."""
        raise NotImplementedError

    def list(self, request, **kwargs):
        album, photo = self.target(request, **kwargs)
        comments = selectors.comments_on(album=album, photo=photo, user=request.user)
        page = selectors.with_liked_by_me(self.paginate_queryset(comments), request.user)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @idempotent(still_visible=_created_comment_visible)
    def create(self, request, **kwargs):
        album, photo = self.target(request, **kwargs)
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_create(
            user=request.user, album=album, photo=photo, **serializer.validated_data
        )
        response = tagged(Response(self.get_serializer(comment).data, status=201), comment)
        return located(response, reverse("comment-detail", args=[comment.pk]))


class PhotoCommentsView(_CommentListView):
    def target(self, request, photo_id):
        photo = album_selectors.photo_target(user=request.user, photo_id=photo_id)
        return photo.album, photo

    @extend_schema(responses={200: CommentSerializer(many=True)}, tags=["comments"])
    def get(self, request, photo_id: int):
        return self.list(request, photo_id=photo_id)

    @extend_schema(
        request=CommentCreateSerializer, responses={201: CommentSerializer}, tags=["comments"]
    )
    def post(self, request, photo_id: int):
        return self.create(request, photo_id=photo_id)


class AlbumCommentsView(_CommentListView):
    def target(self, request, album_id):
        return album_selectors.album_get(user=request.user, album_id=album_id), None

    @extend_schema(responses={200: CommentSerializer(many=True)}, tags=["comments"])
    def get(self, request, album_id: int):
        return self.list(request, album_id=album_id)

    @extend_schema(
        request=CommentCreateSerializer, responses={201: CommentSerializer}, tags=["comments"]
    )
    def post(self, request, album_id: int):
        return self.create(request, album_id=album_id)


class CommentDetailView(GenericAPIView):
    serializer_class = CommentSerializer

    @extend_schema(responses={200: CommentSerializer}, tags=["comments"])
    def get(self, request, comment_id: int):
        comment = selectors.comment_get(user=request.user, comment_id=comment_id)
        return tagged(Response(self.get_serializer(comment).data), comment)

    @extend_schema(
        request=CommentEditSerializer, responses={200: CommentSerializer}, tags=["comments"]
    )
    def put(self, request, comment_id: int):
        return self._edit(request, comment_id, partial=False)

    @extend_schema(
        request=CommentEditSerializer, responses={200: CommentSerializer}, tags=["comments"]
    )
    def patch(self, request, comment_id: int):
        return self._edit(request, comment_id, partial=True)

    def _edit(self, request, comment_id: int, *, partial: bool):
        comment = selectors.comment_get(user=request.user, comment_id=comment_id)
        serializer = CommentEditSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_edit(
            comment=comment,
            user=request.user,
            body=serializer.validated_data.get("body"),
            if_match=request.headers.get("If-Match"),
        )
        return tagged(Response(self.get_serializer(comment).data), comment)

    @extend_schema(responses={204: None}, tags=["comments"])
    def delete(self, request, comment_id: int):
        comment = selectors.comment_get(user=request.user, comment_id=comment_id)
        services.comment_delete(comment=comment, user=request.user,
                                if_match=request.headers.get("If-Match"))  # fmt: skip
        return Response(status=status.HTTP_204_NO_CONTENT)


class _LikeView(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "like"

    def target(self, request, pk):
        raise NotImplementedError

    def _set(self, request, pk, liked: bool):
        liked, count = services.like_set(
            user=request.user, target=self.target(request, pk), liked=liked
        )
        return Response(LikeSerializer({"liked": liked, "like_count": count}).data)


class PhotoLikeView(_LikeView):
    def target(self, request, pk):
        return album_selectors.photo_target(user=request.user, photo_id=pk)

    @extend_schema(request=None, responses={200: LikeSerializer}, tags=["comments"])
    def put(self, request, photo_id: int):
        return self._set(request, photo_id, True)

    @extend_schema(responses={200: LikeSerializer}, tags=["comments"])
    def delete(self, request, photo_id: int):
        return self._set(request, photo_id, False)


class CommentLikeView(_LikeView):
    def target(self, request, pk):
        return selectors.comment_get(user=request.user, comment_id=pk)

    @extend_schema(request=None, responses={200: LikeSerializer}, tags=["comments"])
    def put(self, request, comment_id: int):
        return self._set(request, comment_id, True)

    @extend_schema(responses={200: LikeSerializer}, tags=["comments"])
    def delete(self, request, comment_id: int):
        return self._set(request, comment_id, False)

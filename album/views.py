"""The album API: parse, call a service or selector, serialise."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from album import selectors, services
from album.serializers import (
    AlbumCreateSerializer,
    AlbumReadQuerySerializer,
    AlbumSerializer,
    AlbumUpdateSerializer,
    LocalUploadSerializer,
    MemberRoleSerializer,
    MemberSerializer,
    MoveResultSerializer,
    PhotoListQuerySerializer,
    PhotoMoveSerializer,
    PhotosCheckSerializer,
    PhotoSelectionSerializer,
    PhotoSerializer,
    PhotosKnownSerializer,
    PhotoUpdateSerializer,
    PhotoUploadSerializer,
    SelectionResultSerializer,
    UploadCreateSerializer,
    UploadTicketSerializer,
)
from config.etags import located, tagged
from config.pagination import ordered_by
from config.problems import NotFound
from config.views import APIView, GenericAPIView
from idempotency.views import idempotent
from media import storage
from media.uploads import refuse_oversized_body


# Before an Idempotency-Key replays a create: may the caller still see what it made?
def _created_album_visible(request, body):
    selectors.album_get(user=request.user, album_id=body["id"])


def _created_photo_visible(request, body, album_id):
    selectors.photo_get(user=request.user, photo_id=body["id"])


def _album_still_visible(request, body, album_id):
    selectors.album_get(user=request.user, album_id=album_id)


class AlbumListView(GenericAPIView):
    serializer_class = AlbumSerializer
    pagination_class = ordered_by("-created_at", "-id")

    def get_queryset(self):
        return selectors.albums_of(self.request.user)

    @extend_schema(responses={200: AlbumSerializer(many=True)}, tags=["albums"])
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=AlbumCreateSerializer, responses={201: AlbumSerializer}, tags=["albums"])
    @idempotent(still_visible=_created_album_visible)
    def post(self, request):
        serializer = AlbumCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        album = services.album_create(owner=request.user, **serializer.validated_data)
        response = tagged(Response(self.get_serializer(album).data, status=201), album)
        return located(response, reverse("album-detail", args=[album.pk]))


class AlbumDetailView(GenericAPIView):
    serializer_class = AlbumSerializer

    @extend_schema(parameters=[AlbumReadQuerySerializer], tags=["albums"])
    def get(self, request, album_id: int):
        query = AlbumReadQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        fields = query.validated_data.get("fields")
        counts = selectors.ALBUM_COUNTS if fields is None else [
            name for name in selectors.ALBUM_COUNTS if name in fields
        ]  # fmt: skip
        album = selectors.album_get(user=request.user, album_id=album_id, counts=counts)
        return tagged(Response(self.get_serializer(album, fields=fields).data), album)

    @extend_schema(request=AlbumUpdateSerializer, responses={200: AlbumSerializer}, tags=["albums"])
    def put(self, request, album_id: int):
        return self._update(request, album_id, partial=False)

    @extend_schema(request=AlbumUpdateSerializer, responses={200: AlbumSerializer}, tags=["albums"])
    def patch(self, request, album_id: int):
        return self._update(request, album_id, partial=True)

    def _update(self, request, album_id: int, *, partial: bool):
        album = selectors.album_get(user=request.user, album_id=album_id,
                                    counts=selectors.ALBUM_COUNTS)  # fmt: skip
        serializer = AlbumUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        album = services.album_update(
            album=album,
            actor=request.user,
            if_match=request.headers.get("If-Match"),
            **serializer.validated_data,
        )
        return tagged(Response(self.get_serializer(album).data), album)

    @extend_schema(responses={204: None}, tags=["albums"])
    def delete(self, request, album_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        services.album_delete(album=album, actor=request.user,
                              if_match=request.headers.get("If-Match"))  # fmt: skip
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlbumMembersView(GenericAPIView):
    serializer_class = MemberSerializer
    pagination_class = ordered_by("joined_at", "id")

    @extend_schema(responses={200: MemberSerializer(many=True)}, tags=["albums"])
    def get(self, request, album_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        page = self.paginate_queryset(selectors.members_of(album))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AlbumMemberView(GenericAPIView):
    serializer_class = MemberSerializer

    @extend_schema(responses={200: MemberSerializer}, tags=["albums"])
    def get(self, request, album_id: int, user_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        membership = selectors.member_get(album, user_id)
        return tagged(Response(self.get_serializer(membership).data), membership)

    @extend_schema(request=MemberRoleSerializer, responses={200: MemberSerializer},
                   tags=["albums"])  # fmt: skip
    def put(self, request, album_id: int, user_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        serializer = MemberRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.member_role_set(
            album=album, actor=request.user, user_id=user_id,
            role=serializer.validated_data["role"], if_match=request.headers.get("If-Match"),
        )  # fmt: skip
        return tagged(Response(self.get_serializer(membership).data), membership)

    @extend_schema(responses={204: None}, tags=["albums"])
    def delete(self, request, album_id: int, user_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        services.member_remove(album=album, actor=request.user, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# The photo list's orders: by when each was added, or when each was taken (when added, for a
# photo whose file does not say), newest or oldest first.
PHOTO_ORDERS = {
    "newest": ordered_by("-created_at", "-id"),
    "oldest": ordered_by("created_at", "id"),
    "taken_newest": ordered_by("-shot_at", "-id"),
    "taken_oldest": ordered_by("shot_at", "id"),
}


class AlbumPhotosView(GenericAPIView):
    serializer_class = PhotoSerializer
    pagination_class = PHOTO_ORDERS["newest"]
    parser_classes = [MultiPartParser]
    throttle_scope = "upload"

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(parameters=[PhotoListQuerySerializer],
                   responses={200: PhotoSerializer(many=True)}, tags=["photos"])  # fmt: skip
    def get(self, request, album_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        # A plain dict: as a form, DRF would read `?order=` (empty) as absent and default it.
        query = PhotoListQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        self.pagination_class = PHOTO_ORDERS[query.validated_data["order"]]
        photos = selectors.photos_of(album, request.user,
                                     uploader=query.validated_data.get("uploader"))  # fmt: skip
        page = self.paginate_queryset(photos)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: PhotoSerializer, 200: PhotoSerializer},
        tags=["photos"],
    )
    @idempotent(still_visible=_created_photo_visible)
    def post(self, request, album_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        refuse_oversized_body(request)
        serializer = PhotoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        photo, created = services.photo_upload_once(
            album=album,
            uploader=request.user,
            data=serializer.validated_data["file"].read(),
            caption=serializer.validated_data["caption"],
            sha1=serializer.validated_data["sha1"],
        )
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        response = Response(self.get_serializer(photo).data, status=answer)
        return located(tagged(response, photo), reverse("photo-detail", args=[photo.pk]))


class AlbumPhotosDeleteView(APIView):
    @extend_schema(request=PhotoSelectionSerializer, responses={200: SelectionResultSerializer},
                   tags=["photos"])  # fmt: skip
    def post(self, request, album_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        serializer = PhotoSelectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = services.photos_delete(album=album, actor=request.user,
                                         ids=serializer.validated_data["ids"])  # fmt: skip
        return Response({"results": {str(pk): result for pk, result in results.items()}})


class PhotosMoveView(APIView):
    @extend_schema(request=PhotoMoveSerializer, responses={200: MoveResultSerializer},
                   tags=["photos"])  # fmt: skip
    def post(self, request):
        serializer = PhotoMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        to_album = selectors.album_get(user=request.user,
                                       album_id=serializer.validated_data["to_album"])  # fmt: skip
        results = services.photos_move(actor=request.user, to_album=to_album,
                                       ids=serializer.validated_data["ids"])  # fmt: skip
        return Response({"results": {str(pk): result for pk, result in results.items()}})


class AlbumPhotosCheckView(APIView):
    @extend_schema(request=PhotosCheckSerializer, responses={200: PhotosKnownSerializer},
                   tags=["photos"])  # fmt: skip
    def post(self, request, album_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        serializer = PhotosCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        known = services.photos_known(album=album, user=request.user,
                                      sha1s=serializer.validated_data["sha1"])  # fmt: skip
        return Response({"photos": known})


class PhotoDetailView(GenericAPIView):
    serializer_class = PhotoSerializer

    @extend_schema(tags=["photos"])
    def get(self, request, photo_id: int):
        photo = selectors.photo_get(user=request.user, photo_id=photo_id)
        return tagged(Response(self.get_serializer(photo).data), photo)

    @extend_schema(request=PhotoUpdateSerializer, responses={200: PhotoSerializer}, tags=["photos"])
    def put(self, request, photo_id: int):
        return self._update(request, photo_id, partial=False)

    @extend_schema(request=PhotoUpdateSerializer, responses={200: PhotoSerializer}, tags=["photos"])
    def patch(self, request, photo_id: int):
        return self._update(request, photo_id, partial=True)

    def _update(self, request, photo_id: int, *, partial: bool):
        photo = selectors.photo_get(user=request.user, photo_id=photo_id)
        serializer = PhotoUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        photo = services.photo_update(
            photo=photo,
            actor=request.user,
            if_match=request.headers.get("If-Match"),
            **serializer.validated_data,
        )
        return tagged(Response(self.get_serializer(photo).data), photo)

    @extend_schema(responses={204: None}, tags=["photos"])
    def delete(self, request, photo_id: int):
        photo = selectors.photo_get(user=request.user, photo_id=photo_id)
        services.photo_delete(photo=photo, actor=request.user,
                              if_match=request.headers.get("If-Match"))  # fmt: skip
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlbumUploadsView(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "upload"

    @extend_schema(
        request=UploadCreateSerializer, responses={201: UploadTicketSerializer}, tags=["photos"]
    )
    @idempotent(still_visible=_album_still_visible)
    def post(self, request, album_id: int):
        album = selectors.album_get(user=request.user, album_id=album_id)
        serializer = UploadCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload, ticket = services.upload_create(
            album=album,
            user=request.user,
            local_url=request.build_absolute_uri(reverse("upload-local")),
            **serializer.validated_data,
        )
        body = {
            "upload_id": upload.id,
            "url": ticket.url,
            "fields": ticket.fields,
            "max_bytes": ticket.max_bytes,
            "expires_at": ticket.expires_at,
        }
        return Response(UploadTicketSerializer(body).data, status=status.HTTP_201_CREATED)


class UploadCompleteView(GenericAPIView):
    serializer_class = PhotoSerializer

    @extend_schema(
        request=None,
        responses={201: PhotoSerializer, 200: PhotoSerializer},
        tags=["photos"],
    )
    def post(self, request, upload_id):
        photo, created = services.upload_complete(upload_id=upload_id, user=request.user)
        status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        response = tagged(Response(self.get_serializer(photo).data, status=status_code), photo)
        if created:
            located(response, reverse("photo-detail", args=[photo.pk]))
        return response


class LocalUploadView(APIView):
    """Where clients post files when photos live on local disk: the S3 presigned POST's twin.

    The signed `policy` field is the credential, as on S3, so no bearer token is needed.
    """

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [MultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "upload"  # per client IP: the caller has no account here

    @extend_schema(
        request={"multipart/form-data": LocalUploadSerializer},
        responses={204: OpenApiResponse(description="Stored.")},
        tags=["photos"],
    )
    def post(self, request):
        if storage.is_s3():
            raise NotFound("Photos are on S3: post the file to the ticket's S3 URL.")
        refuse_oversized_body(request)
        serializer = LocalUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.upload_receive_local(
            policy=serializer.validated_data["policy"],
            key=serializer.validated_data["key"],
            content_type=serializer.validated_data["Content-Type"],
            data=serializer.validated_data["file"].read(),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

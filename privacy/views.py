"""The export API: ask for a copy of your data, then fetch it when it is ready."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from config.views import APIView
from media.storage import absolute
from privacy import services
from privacy.serializers import ExportSerializer


def _shown(request, export) -> dict:
    url, export.expires_at = services.export_link(export)
    export.url = absolute(request, url) if url else None
    return ExportSerializer(export).data


class ExportListView(APIView):
    @extend_schema(request=None, responses={202: ExportSerializer}, tags=["auth"])
    def post(self, request):
        export = services.export_request(user=request.user)
        response = Response(_shown(request, export), status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("me-export", args=[export.pk])
        return response


class ExportDetailView(APIView):
    @extend_schema(responses={200: ExportSerializer}, tags=["auth"])
    def get(self, request, export_id: int):
        export = services.export_get(user=request.user, export_id=export_id)
        return Response(_shown(request, export))

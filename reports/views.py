"""The reports API: report something you can see; read what became of your reports."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from config.etags import located
from config.pagination import ordered_by
from config.problems import NotFound
from config.views import GenericAPIView
from reports import services
from reports.models import Report
from reports.serializers import ReportCreateSerializer, ReportSerializer


class ReportListView(GenericAPIView):
    serializer_class = ReportSerializer
    pagination_class = ordered_by("-created_at", "-id")

    @extend_schema(responses={200: ReportSerializer(many=True)}, tags=["reports"])
    def get(self, request):
        mine = Report.objects.filter(reporter=request.user)
        page = self.paginate_queryset(mine)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ReportCreateSerializer,
                   responses={201: ReportSerializer, 200: ReportSerializer},
                   tags=["reports"])  # fmt: skip
    def post(self, request):
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report, created = services.report_create(reporter=request.user,
                                                 **serializer.validated_data)  # fmt: skip
        body = ReportSerializer(report).data
        if not created:
            return Response(body)
        response = Response(body, status=status.HTTP_201_CREATED)
        return located(response, reverse("report-detail", args=[report.pk]))


class ReportDetailView(GenericAPIView):
    @extend_schema(responses={200: ReportSerializer}, tags=["reports"])
    def get(self, request, report_id: int):
        report = Report.objects.filter(reporter=request.user, pk=report_id).first()
        if report is None:  # someone else's report is nobody's business but staff's
            raise NotFound("No such report.")
        return Response(ReportSerializer(report).data)

"""Shapes of the reports API."""

from rest_framework import serializers

from config.serializers import StrictInputSerializer
from moderation import services as moderation
from moderation.fields import UserTextField
from reports.models import Report


class ReportCreateSerializer(StrictInputSerializer):
    target_type = serializers.ChoiceField(choices=Report.Target.choices)
    target_id = serializers.IntegerField(min_value=1, max_value=999_999_999_999_999_999)
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    detail = UserTextField(moderation.REPORT_DETAIL, required=False, default="")


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "target_type", "target_id", "reason", "detail", "status", "resolution",
                  "created_at", "resolved_at"]  # fmt: skip
        read_only_fields = fields

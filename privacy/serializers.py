"""Shapes of the export API."""

from rest_framework import serializers

from privacy.models import Export


class ExportSerializer(serializers.ModelSerializer):
    url = serializers.URLField(read_only=True, allow_null=True, default=None,
                               help_text="The zip, when ready: a link valid 24 hours.")  # fmt: skip
    expires_at = serializers.DateTimeField(read_only=True, allow_null=True, default=None,
                                           help_text="When `url` stops working.")  # fmt: skip

    class Meta:
        model = Export
        fields = ["id", "status", "url", "size", "expires_at", "created_at"]
        read_only_fields = fields

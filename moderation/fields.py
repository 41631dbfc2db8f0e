"""The serializer field for text a user writes: a CharField whose OpenAPI pattern states what
moderation.text refuses (config.serializers.InputSchema reads `schema_pattern`). The rules
themselves run in the services, whoever calls them."""

from rest_framework import serializers

from moderation import services, text


class UserTextField(serializers.CharField):
    def __init__(self, kind: services.TextField, **kwargs):
        kwargs.setdefault("max_length", kind.max_length)
        # Trimmed by the service, after its checks: DRF would strip \x85 and \x1c-\x1f first.
        kwargs.setdefault("trim_whitespace", False)
        if not kind.required:
            kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
        self.schema_pattern = text.pattern(multiline=kind.multiline, required=kind.required)

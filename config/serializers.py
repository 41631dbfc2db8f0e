"""Input serializers that refuse what they would otherwise ignore."""

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """Unknown fields and read-only ones are a 400 `invalid` naming them, never silently
    dropped: a client that sends `titel` or `photo_count` learns at once that nothing changed.
    Text fields take JSON strings only."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            refused = {
                name: ["This field cannot be changed here." if name in self.fields
                       else "Unknown field."]
                for name in data
                if name not in writable
            }  # fmt: skip
            # A JSON number or boolean where text is declared is a mistake, not text: DRF's
            # CharField would quietly turn 42 into "42".
            refused.update({
                name: ["Must be a string."]
                for name, value in data.items()
                if name in writable and value is not None and not isinstance(value, str)
                and isinstance(self.fields[name], serializers.CharField)
            })  # fmt: skip
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)


class StrictInputSchema(OpenApiSerializerExtension):
    """In the OpenAPI document, a strict serializer's object takes no other properties."""

    target_class = StrictInputSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema

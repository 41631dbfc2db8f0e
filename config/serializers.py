"""Input serializers that refuse what they would otherwise ignore."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """Unknown fields and read-only ones are a 400 `invalid` naming them, never silently
    dropped: a client that sends `titel` or `photo_count` learns at once that nothing changed.
    Text fields take JSON strings only, at most `max_length` long as sent."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            refused = {
                name: [_("This field cannot be changed here.") if name in self.fields
                       else _("Unknown field.")]
                for name in data
                if name not in writable
            }  # fmt: skip
            # A JSON number or boolean where text is declared is a mistake, not text: DRF's
            # CharField would quietly turn 42 into "42".
            refused.update({
                name: [_("Must be a string.")]
                for name, value in data.items()
                if name in writable and value is not None and not isinstance(value, str)
                and isinstance(self.fields[name], serializers.CharField)
            })  # fmt: skip
            if refused:
                raise serializers.ValidationError(refused)
            # A length limit is on what was sent, as the document says, not on what is left
            # once CharField has trimmed it: reported with the fields' other errors.
            too_long = {
                name: [field.error_messages["max_length"].format(max_length=field.max_length)]
                for name, value in data.items()
                if isinstance(value, str)
                and isinstance(field := self.fields[name], serializers.CharField)
                and field.max_length is not None and len(value) > field.max_length
            }  # fmt: skip
            try:
                validated = super().to_internal_value(data)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({**too_long, **exc.detail}) from None
            if too_long:
                raise serializers.ValidationError(too_long)
            return validated
        return super().to_internal_value(data)


# What DRF's CharField refuses, as JSON Schema patterns (Python and ECMAScript read them alike):
# NUL anywhere (ProhibitNullCharactersValidator), and, unless blank is allowed, a text that is
# empty once trimmed.
TEXT = r"^[^\x00]*$"
# What Python's str.strip() (and so CharField's trimming) takes for whitespace, spelt out: an
# ECMAScript \s is another set (it has U+FEFF, and lacks U+001C-U+001F and U+0085).
_PYTHON_SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NON_BLANK_TEXT = rf"^[^\x00]*[^\x00{_PYTHON_SPACE}][^\x00]*$"


def text_pattern(field: serializers.CharField) -> str:
    return TEXT if field.allow_blank or not field.trim_whitespace else NON_BLANK_TEXT


class InputSchema(OpenApiSerializerExtension):
    """Request bodies in the OpenAPI document say what the server refuses: a strict
    serializer's object takes no other properties, a text field without a pattern of its own
    gets the pattern of what CharField refuses, and a file that may not be empty says so."""

    target_class = serializers.Serializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction != "request":
            return schema
        if isinstance(self.target, StrictInputSerializer):
            schema["additionalProperties"] = False
        for name, field in self.target.fields.items():
            prop = schema.get("properties", {}).get(name, {})
            if isinstance(field, serializers.FileField) and not field.allow_empty_file:
                prop["minLength"] = 1  # an empty file is refused
            if (isinstance(field, serializers.CharField) and not field.read_only
                    and prop.get("type") == "string" and "pattern" not in prop):  # fmt: skip
                # A user's text states its own rules (moderation.fields.UserTextField).
                prop["pattern"] = getattr(field, "schema_pattern", None) or text_pattern(field)
        return schema

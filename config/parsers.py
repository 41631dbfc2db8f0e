"""Request body parsers: DRF's JSON parser, refusing bodies nested too deep to read."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    """A body nested deeper than Python's JSON reader can follow (`[[[[...]]]]` by the
    hundred thousand) is a 400 `parse_error`, not a RecursionError and a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None

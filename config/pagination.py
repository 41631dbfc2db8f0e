"""Cursor pagination as the API's one list shape: {results, next}."""

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response


class CursorPagination(pagination.CursorPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = "-created_at"

    def get_page_size(self, request):
        """`page_size` is 1 to 100; anything else is a 400 naming it, not silently ignored."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # ASCII digits only: str.isdigit() also passes "¹", which int() refuses (found by the
        # fuzzer), and int() reads other scripts' digits, which no client means to send.
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [_("A whole number from 1 to %(n)d.") % {"n": self.max_page_size}]}
            )
        return int(raw)

    def decode_cursor(self, request):
        """A cursor the client altered is bad input (400 naming it), not a missing page."""
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [_("Invalid cursor.")]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.get_next_link()})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "format": "uri", "nullable": True},
            },
        }


def ordered_by(*fields: str) -> type[CursorPagination]:
    """The API's cursor pagination over another ordering (the first field sets the cursor)."""
    return type("CursorPagination", (CursorPagination,), {"ordering": fields})

"""Cursor pagination as the API's one list shape: {results, next}."""

from rest_framework import pagination
from rest_framework.response import Response


class CursorPagination(pagination.CursorPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = "-created_at"

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

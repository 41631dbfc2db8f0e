"""OpenAPI additions: every operation documents the problem documents it can answer with.

drf-spectacular documents the success responses it can see in the views. The errors come from
one place (config.problems), so they are added here, once, as `application/problem+json`.
"""

PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem document. Switch on `code`, not on the text.",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "Stable error code; see the README's table."},
        "errors": {
            "type": "object",
            "description": "For `invalid`: messages per field.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

# Any operation: bad input, a bad or missing token (even where logging in is optional, a bad
# token is refused), not allowed, not there (or not visible), throttled, a dependency down.
_ALWAYS = {
    "400": "Invalid input.",
    "401": "No token, or a bad or expired one.",
    "403": "Not allowed.",
    "404": "Not found, or not visible to you.",
    "429": "Throttled; see Retry-After.",
    "503": "A service this call needs did not answer; nothing was changed.",
}
_WITH_BODY = {"413": "The request or its file is too large."}
_ADDRESSED = {"410": "It existed but no longer works (expired, revoked, used up, deleted)."}


def add_problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            errors = dict(_ALWAYS)
            if "requestBody" in operation:
                errors.update(_WITH_BODY)
            if "{" in path:
                errors.update(_ADDRESSED)
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": content})
    return result

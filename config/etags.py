"""Entity tags for single objects: `ETag` on what the API returns, `If-Match` on edits.

An object's tag is a hash of its editable state (what PUT replaces), so it changes exactly
when an edit would overwrite someone else's: not when a like arrives or a URL is re-signed.
Pure functions: no Django.
"""

import hashlib
import json


def etag(*state) -> str:
    """A strong tag for this state (any JSON-able values)."""
    encoded = json.dumps(state, default=str, ensure_ascii=False, separators=(",", ":"))
    return '"' + hashlib.sha256(encoded.encode()).hexdigest()[:32] + '"'


def matches(if_match: str | None, current: str) -> bool:
    """RFC 9110 If-Match: absent or `*` matches; else one of the listed strong tags must."""
    if if_match is None or if_match.strip() == "*":
        return True
    return current in (tag.strip() for tag in if_match.split(","))


def tagged(response, obj):
    """The response with the object's tag in its `ETag` header."""
    response["ETag"] = obj.etag
    return response


def located(response, path: str):
    """A 201's `Location`: where the new object is read."""
    response["Location"] = path
    return response

"""The plumbing of the per-app permission tables (pretix's test_permissions.py, as pytest)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

ACTORS = ["owner", "member", "contributor", "outsider", "anonymous"]


def statuses(owner, member, contributor, outsider, anonymous=401) -> dict[str, int]:
    """The status each standing actor gets, in ACTORS order; anonymous callers default to 401."""
    return dict(zip(ACTORS, [owner, member, contributor, outsider, anonymous], strict=True))


def cases(matrix) -> list:
    """One pytest param per (row, actor), named like `PATCH /api/v1/albums/{album} member`."""
    return [
        pytest.param(method, path, body, actor, status, id=f"{method} {path} {actor}")
        for method, path, body, expected in matrix
        for actor, status in expected.items()
    ]


def send(api, user, method: str, path: str, body=None):
    """The request as the mini-program sends it: JSON, or multipart when a file is in the body."""
    body = body() if callable(body) else body
    api.as_user(user)
    if body is None:
        return api.generic(method, path)
    if any(isinstance(value, SimpleUploadedFile) for value in body.values()):
        return api.generic(method, path, encode_multipart(BOUNDARY, body), MULTIPART_CONTENT)
    return api.generic(method, path, json.dumps(body), "application/json")

"""`@idempotent` for the API's creating POSTs: an `Idempotency-Key` header makes a retry replay
the first answer instead of creating a second object (as Stripe's API does).

With a key, the handler runs in one transaction with the storing of its answer: a keyed
request's change and the answer a retry replays are committed together or not at all, so a
key is freed only when nothing was committed."""

import functools
import hashlib
import json
import re

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from idempotency import services

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("ETag", "Location", "Retry-After")  # what a replay sends again
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces


def fingerprint(request) -> str:
    """The request as a retry would send it again: method, path, fields and file contents."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    if not isinstance(data, dict):  # a JSON array or scalar: the serializer will refuse it
        digest.update(json.dumps(data, sort_keys=True, default=str).encode())
        return digest.hexdigest()
    items = data.lists() if hasattr(data, "lists") else data.items()
    for name, value in sorted(items, key=lambda item: item[0]):
        values = value if isinstance(value, list) else [value]
        for single in values:
            if isinstance(single, UploadedFile):
                for chunk in single.chunks():
                    digest.update(chunk)
                single.seek(0)
            else:
                digest.update(json.dumps([name, single], sort_keys=True, default=str).encode())
    return digest.hexdigest()


def idempotent(handler=None, *, still_visible=None):
    """Wrap a DRF view method that creates something.

    `still_visible(request, body, **kwargs)` runs before a successful answer is replayed and
    raises (404, as a fresh read would) if the caller may no longer see what was created: a
    member removed from the album since does not get the photo or comment back by retrying.
    """
    if handler is None:
        return functools.partial(idempotent, still_visible=still_visible)

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not _KEY.match(key):
            raise ValidationError({HEADER: [_("1 to 255 printable ASCII characters, no spaces.")]})
        claim = services.key_claim(
            user=request.user, key=key, fingerprint=fingerprint(request),
            method=request.method, path=request.path,
        )  # fmt: skip
        if isinstance(claim, services.Replay):
            if still_visible is not None and 200 <= claim.status_code < 300:
                still_visible(request, claim.body, **kwargs)
            response = Response(claim.body, status=claim.status_code)
            if claim.content_type:
                response.content_type = claim.content_type
            for name, value in claim.headers.items():
                response[name] = value
            response["Idempotent-Replayed"] = "true"
            return response
        try:
            # The change and its answer commit together, or neither does.
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                _finish(claim, response)
        except services.ClaimLost:
            raise services.KeyInUse() from None  # a retry runs it now; ours rolled back
        except Exception as exc:
            # Rolled back. An error becomes a problem document in DRF's handler: keep a client
            # error (the retry would get the same), free the key for anything else.
            try:
                answer = view.handle_exception(exc)
            except Exception:
                services.key_release(claim=claim)
                raise
            _finish(claim, answer, lost_ok=True)
            return answer
        return response

    return wrapper


def _finish(claim, response, *, lost_ok: bool = False) -> None:
    body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
    content_type = response.content_type or ""
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    try:
        services.key_finish(claim=claim, status_code=response.status_code,
                            content_type=content_type, body=body, headers=headers)  # fmt: skip
    except services.ClaimLost:
        if not lost_ok:  # an answer for a change: the change must roll back with it
            raise

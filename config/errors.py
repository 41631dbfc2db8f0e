"""Every problem code the API answers with: its HTTP status and what it means. The one registry.

The exception classes (config.problems and the apps' own) take their status from here, the
OpenAPI schema lists these codes, docs/api.md's table is held equal to it by a test, and the
test suite fails on a code that no test produces. A pure module: no Django, no DRF.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int
    meaning: str


CODES = [
    # The request itself
    ErrorCode("bad_request", 400, "the request is malformed (for example, a host not served)"),
    ErrorCode("invalid", 400, "a field is wrong, unknown or missing; `errors` names each field"),
    ErrorCode("parse_error", 400, "the body is not valid JSON or multipart"),
    ErrorCode("not_authenticated", 401, "no bearer token; log in with `POST /auth/login`"),
    ErrorCode("authentication_failed", 401, "the token is bad or expired; call wx.login again"),
    ErrorCode("permission_denied", 403, "you may see this but not do that"),
    ErrorCode("not_found", 404, "it does not exist, or you may not see it"),
    ErrorCode("method_not_allowed", 405, "this path does not take this method"),
    ErrorCode("not_acceptable", 406, "the API answers JSON only; fix the Accept header"),
    ErrorCode("length_required", 411, "an upload without Content-Length; send the length"),
    ErrorCode("precondition_failed", 412,
              "`If-Match` names an older version: someone changed it since you read it"),
    ErrorCode("unsupported_media_type", 415, "send JSON (or multipart where a file is sent)"),
    ErrorCode("throttled", 429, "slow down; `Retry-After` says for how long"),
    ErrorCode("idempotency_key_in_use", 409,
              "a request with this Idempotency-Key is still running; retry shortly"),
    ErrorCode("idempotency_key_reused", 422,
              "this Idempotency-Key was used for a different request; use a new key"),
    ErrorCode("server_error", 500, "a bug; it is logged with the request id"),
    # Logging in
    ErrorCode("invalid_code", 400, "the wx.login code is invalid or already used"),
    ErrorCode("wechat_user_blocked", 403, "WeChat refused this user's login"),
    ErrorCode("wechat_rate_limited", 429, "WeChat is limiting logins; try again in a minute"),
    ErrorCode("wechat_unavailable", 503, "WeChat did not answer; nothing was changed"),
    # Albums, members, photos, uploads
    ErrorCode("album_private", 400, "a private album cannot be shared; make it members first"),
    ErrorCode("owner_cannot_leave", 400, "the owner cannot leave; delete the album instead"),
    ErrorCode("removed_from_album", 403,
              "the owner removed you; this link no longer lets you in (ask for a new one)"),
    ErrorCode("unsupported_image", 400, "not a JPEG, PNG or WebP, or damaged"),
    ErrorCode("image_too_large", 400, "more pixels than `PHOTO_MAX_PIXELS` (a decompression bomb)"),
    ErrorCode("file_too_large", 413, "the file is over `PHOTO_MAX_BYTES`"),
    ErrorCode("upload_missing", 400, "nothing was posted to this upload ticket yet"),
    ErrorCode("upload_ticket_invalid", 400, "a forged, expired or altered upload form"),
    ErrorCode("upload_expired", 410, "the upload ticket lapsed; ask for a new one"),
    ErrorCode("photo_deleted", 410, "the photo made from this upload was deleted"),
    # Short links
    ErrorCode("payload_too_large", 413, "a link's params are over 2 KB"),
    ErrorCode("expired", 410, "the short link has expired"),
    ErrorCode("revoked", 410, "the short link was revoked"),
    ErrorCode("used_up", 410, "the short link has been used its `max_visits` times"),
    # Comments
    ErrorCode("invalid_parent", 400,
              "a reply's parent is not a top-level comment on the same photo or album"),
    ErrorCode("content_rejected", 400, "WeChat's content check called the text risky"),
    ErrorCode("permission_backend_unavailable", 503,
              "the legacy permission backend did not answer; nothing was changed"),
]  # fmt: skip

REGISTRY: dict[str, ErrorCode] = {error.code: error for error in CODES}
if len(REGISTRY) != len(CODES):
    raise ValueError("a problem code is registered twice")


def status_of(code: str) -> int:
    """The HTTP status of a registered code. Raises KeyError for a code nobody registered."""
    return REGISTRY[code].status

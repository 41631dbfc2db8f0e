"""OpenAPI additions: summaries and examples, the problem codes each operation can answer with
(from the one registry, config.errors), response headers, and the pages outside the API.

drf-spectacular documents what it sees in the views; the rest is added here, once.
"""

import copy

from django.conf import settings
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView

from config.errors import REGISTRY

PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem document. Switch on `code`, not on the text.",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {
            "type": "string",
            "enum": sorted(REGISTRY),
            "description": "Stable error code; docs/api.md lists them all.",
        },
        "errors": {
            "type": "object",
            "description": "For `invalid`: messages per field.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

_HEADERS = {
    "X-Request-ID": {"description": "The request's id, also in the server's log line.",
                     "schema": {"type": "string"}},
    "Retry-After": {"description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer"}},
    "WWW-Authenticate": {"description": "How to authenticate: `Bearer`.",
                         "schema": {"type": "string"}},
    "Cache-Control": {"description": "`no-store` on every API answer.",
                      "schema": {"type": "string"}},
    "ETag": {"description": "Strong validator of the image; send it in If-None-Match.",
             "schema": {"type": "string"}},
}  # fmt: skip

# Codes any operation can answer with; the rest only where the operation can produce them.
# Not `method_not_allowed`: that is the answer to a method no operation documents.
_EVERYWHERE = {"not_acceptable", "server_error", "bad_request", "service_unavailable"}
_WITH_TOKEN = {"not_authenticated", "authentication_failed"}
_WRITES = {"throttled"}  # every write is throttled (config.throttles); reads never are
_WITH_JSON_BODY = {"invalid", "parse_error", "unsupported_media_type"}
_ADDRESSED = {"not_found"}

_AVATAR = {
    "url": "https://photos.example.com/avatars/1f0c/large.jpg",
    "thumb_url": "https://photos.example.com/avatars/1f0c/thumb.jpg",
    "review": "pass",
}

_AVATAR_UPLOAD = (
    "Multipart `file` (JPEG, PNG or WebP): what wx.uploadFile sends after "
    '`<button open-type="chooseAvatar">`. Cropped square, stripped of metadata, made into '
    "256 px and 96 px JPEGs; with the photo check on, others keep seeing the previous avatar "
    "(or none) until WeChat's check passes it."
)
_AVATAR_CODES = {"invalid", "parse_error", "unsupported_image", "image_too_large",
                 "image_too_complex", "file_too_large", "length_required",
                 "unsupported_media_type", "busy"}  # fmt: skip

# operationId -> (summary, description or None, example, codes beyond the usual)
# The example is the request body for operations that take one, else path parameter values.
OPERATIONS = {
    "auth_login_create": ("Log in with a wx.login code",
        "Exchanges the code (code2Session) for a bearer token and the user.",
        {"code": "0a3Xyz000Abc1Q1nW3400Ts0xf2Xyz0J"},
        {"invalid_code", "wechat_user_blocked", "wechat_rate_limited", "wechat_unavailable"}),
    "me_retrieve": ("Read my profile", "`avatar` is the one the user last set, with where it "
        "stands in the check; others see it once `review` is unchecked, pass or approved.",
        {"id": 7, "openid": "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "nickname": "Ada",
         "avatar": _AVATAR, "held": [], "deletion_at": None}, set()),
    "me_update": ("Replace my profile", "The form wx.request can send: `{nickname}`, the "
        "editable part of what GET returned.", {"nickname": "Ada"}, set()),
    "me_partial_update": ("Change my profile", None, {"nickname": "Ada"}, set()),
    "me_destroy": ("Delete my account",
        "202: the account's data is deleted at `deletion_at` (ACCOUNT_DELETION_GRACE_DAYS from "
        "now); until then everything works and the deletion can be cancelled.",
        {"deletion_at": "2026-12-08T09:30:00Z"}, set()),
    "me_exports_create": ("Ask for a copy of my data",
        "202: a zip is built in the background (profile, albums, my photos' originals, "
        "comments, likes, my activity); read it with GET /me/exports/{id}. One a day (429 with "
        "Retry-After).", {"id": 3, "status": "preparing", "url": None, "size": None,
                          "expires_at": None, "created_at": "2026-12-01T09:30:00Z"},
        {"throttled"}),
    "me_exports_retrieve": ("Read my data export", "`url` (valid 24 hours) once `ready`.",
        {"export_id": 3}, set()),
    "me_deletion_cancel_create": ("Cancel my account's deletion", None,
        {"id": 7, "openid": "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "nickname": "Ada",
         "avatar": None, "held": [], "deletion_at": None}, set()),
    "me_avatar_update": ("Upload my avatar", _AVATAR_UPLOAD, {}, _AVATAR_CODES),
    "me_avatar_create": ("Upload my avatar (wx.uploadFile)",
        "The same as PUT, for wx.uploadFile, which sends POST only. " + _AVATAR_UPLOAD, {},
        _AVATAR_CODES),
    "me_avatar_destroy": ("Remove my avatar", "Also one still being checked; answers the "
        "profile.", {"id": 7, "openid": "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "nickname": "Ada",
                     "avatar": None, "held": [], "deletion_at": None}, set()),
    "albums_list": ("List my albums", "Owned or joined, newest first.", {"page_size": 20},
        {"invalid"}),
    "albums_create": ("Create an album", "The caller becomes its owner.",
        {"title": "Summer in Dali", "description": "", "visibility": "members"},
        {"not_found"}),  # a replayed create of an album deleted since
    "albums_retrieve": ("Read an album",
        "`?fields=title,photo_count,cover_url` reads only those (and `id`), for a page header; "
        "the counts not asked for are not counted.", {"album_id": 1}, {"invalid"}),
    "albums_update": ("Replace an album's fields (owner)", "The form wx.request can send.",
        {"title": "Dali 2026", "description": "Five days", "visibility": "members"},
        {"permission_denied"}),
    "albums_partial_update": ("Change an album (owner)", None, {"visibility": "private"},
        {"permission_denied"}),
    "albums_destroy": ("Delete an album (owner)", "Its photos and their objects go too.",
        {"album_id": 1}, {"permission_denied"}),
    "albums_members_list": ("List an album's members", None, {"album_id": 1}, {"invalid"}),
    "albums_members_retrieve": ("Read a member", "With its ETag, for If-Match on PUT.",
        {"album_id": 1, "user_id": 7}, set()),
    "albums_members_update": ("Change a member's role (owner)",
        "Viewer or contributor; the owner's own role never changes. The member's next request "
        "has the new role. Send If-Match with the member's ETag.",
        {"role": "contributor"}, {"permission_denied", "owner_role_fixed",
                                  "precondition_failed"}),
    "albums_links_list": ("List an album's share links (owner)",
        "Every link made for the album, newest first, revoked ones too, with their limits and "
        "visits.", {"album_id": 1}, {"permission_denied", "invalid"}),
    "albums_members_destroy": ("Remove a member, or leave",
        "The owner removes anyone but themselves (remembered: old links no longer re-admit); "
        "a member removes themselves.", {"album_id": 1, "user_id": 7},
        {"permission_denied", "owner_cannot_leave"}),
    "albums_photos_list": ("List an album's photos",
        "Newest first; `?order=oldest`, or by when each was taken (`taken_newest`, "
        "`taken_oldest`); `?uploader=` for one person's.", {"album_id": 1}, {"invalid"}),
    "albums_photos_create": ("Upload a photo (owner, contributors)",
        "Multipart `file` (JPEG, PNG or WebP), `caption` and `sha1`: wx.uploadFile's shape. "
        "Accepted once stored and its header checked: 201 `processing`, `urls` null, until "
        "the renditions are made in the background (`ready`, or `failed` with `failure`). "
        "A file the album already holds (by SHA-1, among the photos you see) is not stored "
        "twice: 200 with that photo.",
        {"caption": "At the lake"},
        {"invalid", "parse_error", "permission_denied", "unsupported_image", "image_too_large",
         "image_too_complex", "file_too_large", "length_required", "unsupported_media_type"}),
    "albums_photos_delete_create": ("Delete a selection of photos",
        "Up to 100 ids, all or none: when any is not yours to delete (not your upload, not "
        "your album), 403 `permission_denied` names them in `refused` and nothing is deleted. "
        "POST, since wx.request bodies on DELETE are unreliable.", {"ids": [42, 43, 44]},
        {"invalid", "permission_denied"}),
    "photos_move_create": ("Move a selection of photos to another album",
        "Up to 100 ids from albums where you may change them, to an album you may add to; all "
        "or none: one not yours to move is 403 `permission_denied` naming `refused`, and "
        "nothing moves. Counts, covers and the photos' comments follow.",
        {"ids": [42, 43], "to_album": 2}, {"invalid", "permission_denied", "not_found"}),
    "albums_photos_check_create": ("Which of these files the album has",
        "Before uploading what the user picked: send their SHA-1s (up to 100); the answer "
        "names the photo of each the album already holds.",
        {"sha1": ["2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"]}, {"invalid"}),
    "albums_uploads_create": ("Ask for a direct-upload ticket",
        "A presigned S3 POST (or the local form): post the file there, then complete.",
        {"filename": "IMG_0001.JPG", "content_type": "image/jpeg"},
        {"permission_denied", "unsupported_image"}),
    "uploads_complete_create": ("Turn an uploaded file into a photo",
        "201 the first time (`processing`, as an upload through the API), 200 with the same "
        "photo after.",
        {"upload_id": "6f1c2a9e-8b1d-4c53-9a51-2f0d8f1b7c3e"},
        {"upload_missing", "upload_expired", "photo_deleted", "unsupported_image",
         "image_too_large", "image_too_complex", "file_too_large", "permission_denied"}),
    "uploads_local_create": ("Post a file to a local ticket",
        "Only when photos are on local disk (404 on S3); the signed policy is the credential.",
        {"key": "uploads/5d41402abc4b2a76b9719d911017c592", "policy": "eyJr...",
         "Content-Type": "image/jpeg"},
        {"invalid", "parse_error", "upload_ticket_invalid", "upload_ticket_used",
         "file_too_large", "length_required", "unsupported_media_type"}),
    "photos_retrieve": ("Read a photo", None, {"photo_id": 42}, set()),
    "photos_update": ("Replace a photo's caption", "The form wx.request can send.",
        {"caption": "Old town at dusk"}, {"permission_denied"}),
    "photos_partial_update": ("Change a photo's caption", None, {"caption": "Old town"},
        {"permission_denied"}),
    "photos_destroy": ("Delete a photo (uploader, owner)", None, {"photo_id": 42},
        {"permission_denied"}),
    "albums_share_create": ("Share an album (owner)",
        "Without limits: the owner's live share link for the role (made once, 201, then 200). "
        "With `expires_at` or `max_visits`: a new link with them every time.",
        {"role": "viewer", "expires_at": "2026-12-31T16:00:00Z", "max_visits": 50},
        {"permission_denied", "album_private"}),
    "shortlinks_create": ("Store data under a short code", None,
        {"page": "pages/event/index", "params": {"id": 7}, "max_visits": 100},
        {"payload_too_large"}),
    "shortlinks_retrieve": ("Resolve a scanned code",
        "Counts a visit; a logged-in user resolving an album share joins the album. Needs no "
        "token; a bad or expired one is ignored (the link opens as for anyone).",
        {"code": "7Q2K9M4TX1B8C6D3F5G0H2J4K6M8N0P2"},
        {"expired", "revoked", "used_up", "removed_from_album"}),
    "shortlinks_update": ("Set a link's limits (creator, album owner)",
        "`expires_at` and `max_visits` (null clears one); the next scan sees them.",
        {"expires_at": "2026-12-31T16:00:00Z", "max_visits": 100},
        {"permission_denied", "revoked"}),
    "shortlinks_destroy": ("Revoke a link (creator, album owner)", None,
        {"code": "7Q2K9M4TX1B8C6D3F5G0H2J4K6M8N0P2"}, {"permission_denied", "revoked"}),
    "photos_comments_list": ("List a photo's comments", "Oldest first.", {"photo_id": 42},
        {"invalid"}),
    "photos_comments_create": ("Comment on a photo", "`parent_id` makes a reply.",
        {"body": "Lovely light", "parent_id": None},
        {"invalid_parent", "content_rejected", "wechat_unavailable"}),
    "albums_comments_list": ("List an album's comments", "Oldest first.", {"album_id": 1},
        {"invalid"}),
    "albums_comments_create": ("Comment on an album", "`parent_id` makes a reply.",
        {"body": "What a trip"},
        {"invalid_parent", "content_rejected", "wechat_unavailable"}),
    "comments_retrieve": ("Read a comment", None, {"comment_id": 9}, set()),
    "comments_update": ("Replace a comment's text (author)",
        "The form wx.request can send; asked of the permission backend.",
        {"body": "Lovely light!"},
        {"permission_denied", "content_rejected", "wechat_unavailable",
         "permission_backend_unavailable"}),
    "comments_partial_update": ("Edit a comment (author)", "Asked of the permission backend.",
        {"body": "Lovely light!"},
        {"permission_denied", "content_rejected", "wechat_unavailable",
         "permission_backend_unavailable"}),
    "comments_destroy": ("Delete a comment (author, album owner)",
        "Asked of the permission backend.", {"comment_id": 9},
        {"permission_denied", "permission_backend_unavailable"}),
    "reports_create": ("Report a photo, comment, album or user",
        "To staff. Only what you can see (404 otherwise, as reading it); a second report of "
        "a target you reported, still open, answers 200 with the same report.",
        {"target_type": "photo", "target_id": 42, "reason": "porn", "detail": ""},
        {"not_found"}),
    "reports_list": ("List my reports", "Newest first, with staff's decision.",
        {"page_size": 20}, {"invalid"}),
    "reports_retrieve": ("Read one of my reports", None, {"report_id": 3}, set()),
    "photos_like_update": ("Like a photo", "Idempotent.", {"photo_id": 42}, set()),
    "photos_like_destroy": ("Unlike a photo", "Idempotent.", {"photo_id": 42}, set()),
    "comments_like_update": ("Like a comment", "Idempotent.", {"comment_id": 9}, set()),
    "comments_like_destroy": ("Unlike a comment", "Idempotent.", {"comment_id": 9}, set()),
}  # fmt: skip

_STATUS_TEXT = {400: "Bad input.", 401: "No token, or a bad or expired one.",
                403: "Not allowed.", 404: "Not found, or not visible to you.",
                405: "Not a method of this path.", 406: "The API answers JSON only.",
                409: "The same Idempotency-Key is in use.",
                412: "If-Match names an older version.",
                422: "The Idempotency-Key was used for another request.",
                410: "It existed but no longer works.", 411: "No Content-Length.",
                413: "Too large.", 415: "Not a body type this operation takes.",
                429: "Throttled.", 500: "A bug; logged with the request id.",
                503: "A service this call needs did not answer; nothing was changed."}  # fmt: skip

_CODE = {"name": "code", "in": "path", "required": True,
         "schema": {"type": "string", "minLength": 1, "maxLength": 64},
         "example": "7Q2K9M4TX1B8C6D3F5G0H2J4K6M8N0P2"}  # fmt: skip
_QR_OPTIONS = [
    {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 64,
                                               "maximum": 1024, "default": 400}},
    {"name": "margin", "in": "query", "schema": {"type": "integer", "minimum": 0,
                                                 "maximum": 16, "default": 4}},
    {"name": "ec", "in": "query", "schema": {"type": "string", "enum": ["L", "M", "Q", "H"],
                                             "default": "M"}},
]  # fmt: skip


# The HTTP server's own answer (gunicorn, or nginx in front), before the app sees the request.
_URI_TOO_LONG = {"description": "The request line is over 4,094 bytes: refused by the HTTP "
                 "server with a short HTML page, not a problem document.",
                 "content": {"text/html": {"schema": {"type": "string"}}}}  # fmt: skip


def _problem(description: str, codes: list[str]) -> dict:
    headers = {"X-Request-ID": _HEADERS["X-Request-ID"]}
    statuses = {REGISTRY[code].status for code in codes}
    if statuses & {429, 503}:
        headers["Retry-After"] = _HEADERS["Retry-After"]
    if 401 in statuses:
        headers["WWW-Authenticate"] = _HEADERS["WWW-Authenticate"]
    listed = ", ".join(f"`{code}`" for code in codes)
    return {
        "description": f"{description} Codes: {listed}.",
        "headers": headers,
        "content": {"application/problem+json": {
            "schema": {"$ref": "#/components/schemas/Problem"}}},
        "x-problem-codes": codes,
    }  # fmt: skip


def _image_route(media_type: str, what: str) -> dict:
    return {
        "get": {
            "operationId": f"shortlinks_qr_{media_type.split('/')[1].split('+')[0]}",
            "summary": f"The link's light QR code as {what}",
            "description": "Immutable for a code: strong ETag, a year's cache, 304 when the "
            "If-None-Match header matches. Needs no token.",
            "tags": ["pages"],
            "security": [],
            "parameters": [_CODE, *_QR_OPTIONS],
            "responses": {
                "200": {"description": what,
                        "headers": {"ETag": _HEADERS["ETag"]},
                        "content": {media_type: {"schema": {"type": "string",
                                                            "format": "binary"}}}},
                "304": {"description": "Not modified."},
                "400": _problem("Bad QR options.", ["invalid"]),
                "404": _problem("No such link.", ["not_found"]),
                "410": _problem("The link no longer works.", ["expired", "revoked", "used_up"]),
                "429": _problem("Too many images with uncommon options from this address this "
                                "minute (the default and sizes 200-1024 are never limited).",
                                ["throttled"]),
                "503": _problem(_STATUS_TEXT[503], ["service_unavailable"]),
            },
        }
    }  # fmt: skip


PAGES = {
    "/s/{code}": {
        "get": {
            "operationId": "shortlinks_landing",
            "summary": "The landing page a phone camera opens",
            "description": "HTML: what was shared and how to open it in WeChat; a friendly "
            "404 or 410 page when the link does not work. Needs no token.",
            "tags": ["pages"],
            "security": [],
            "parameters": [_CODE],
            "responses": {
                "200": {"description": "The page.", "content": {"text/html": {
                    "schema": {"type": "string"}}}},
                "404": {"description": "No such link (an HTML page).", "content": {
                    "text/html": {"schema": {"type": "string"}}}},
                "410": {"description": "The link no longer works (an HTML page).",
                        "content": {"text/html": {"schema": {"type": "string"}}}},
                "503": {"description": "A service the page needs did not answer (an HTML page "
                        "with Retry-After).",
                        "headers": {"Retry-After": _HEADERS["Retry-After"]},
                        "content": {"text/html": {"schema": {"type": "string"}}}},
            },
        }
    },
    "/s/{code}/qr.png": _image_route("image/png", "a PNG"),
    "/s/{code}/qr.svg": _image_route("image/svg+xml", "an SVG"),
    "/s/{code}/wxacode": {"get": {
        "operationId": "shortlinks_wxacode",
        "summary": "The link's mini-program code",
        "description": "WeChat's unlimited mini-program code whose scene is the link's code: "
        "made once, then immutable (strong ETag, a year's cache, 304 on If-None-Match). "
        "503 with Retry-After while it cannot be made yet. Needs no token.",
        "tags": ["pages"],
        "security": [],
        "parameters": [_CODE],
        "responses": {
            "200": {"description": "The image (JPEG from WeChat; PNG in the sandbox).",
                    "headers": {"ETag": _HEADERS["ETag"]},
                    "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                                "image/png": {"schema": {"type": "string", "format": "binary"}}}},
            "304": {"description": "Not modified."},
            "404": _problem("No such link.", ["not_found"]),
            "410": _problem("The link no longer works.", ["expired", "revoked", "used_up"]),
            "503": _problem("Not made yet, or a service it needs did not answer; try after "
                            "Retry-After.", ["service_unavailable", "wechat_unavailable"]),
        },
    }},
}  # fmt: skip


def _codes_for(path: str, method: str, operation: dict, extra: set[str]) -> set[str]:
    codes = set(_EVERYWHERE) | extra
    if "{" in path:
        codes |= _ADDRESSED
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        codes |= _WITH_JSON_BODY
    if operation.get("security"):
        codes |= _WITH_TOKEN
    if method != "get":
        codes |= _WRITES
    return codes


def _anonymous(operation: dict) -> None:
    """An operation that needs no token says so with no security requirement at all: generators
    read `[{}]` (or a list with `{}` among others) as "token required". Resolve, which also
    takes a token (a logged-in scan joins the album), ignores a bad one, so it is anonymous too."""
    if {} in operation.get("security", [{}]):
        operation["security"] = []


def _example(operation: dict, example: dict) -> None:
    body = operation.get("requestBody", {}).get("content", {})
    if body:
        for media in body.values():
            media["example"] = {k: v for k, v in example.items() if not k.endswith("_id")
                                or k == "parent_id"}  # fmt: skip
        return
    used = False
    for parameter in operation.get("parameters", []):
        if parameter["name"] in example:
            parameter["example"] = example[parameter["name"]]
            used = True
    answer = next((response["content"]["application/json"]
                   for status, response in sorted(operation["responses"].items())
                   if status.startswith("2") and "content" in response), None)  # fmt: skip
    if not used and answer is not None:  # nothing to send: the example is of the answer
        answer["example"] = example


IDEMPOTENT = {"albums_create", "albums_photos_create", "albums_uploads_create",
              "shortlinks_create", "photos_comments_create", "albums_comments_create"}  # fmt: skip
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string of yours, a new one per create (a UUID): retrying with "
    "the same key and body within 24 hours replays the first answer instead of creating a "
    "second object. No example on purpose: a tool sending one fixed key would replay.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[\x21-\x7e]+$"},
}


EDITS = {
    "albums_destroy",
    "photos_destroy",
    "comments_destroy",
    "albums_update",
    "albums_partial_update",
    "photos_update",
    "photos_partial_update",
    "comments_update",
    "comments_partial_update",
    "me_update",
    "me_partial_update",
}
TAGGED = EDITS | {
    "albums_retrieve",
    "albums_create",
    "photos_retrieve",
    "comments_retrieve",
    "me_retrieve",
    "photos_comments_create",
    "albums_comments_create",
}
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag you read: the edit or delete is refused (412) if the object "
    "changed since. `*` (the example) matches any version.",
    "schema": {"type": "string"},
    "example": "*",
}


def _without_cloud_hosting(result: dict, operation: dict) -> None:
    """Cloud Hosting's identity headers are a way in only where this deployment trusts them
    (WECHAT_IDENTITY=cloudrun); elsewhere they mean nothing, and the document does not offer
    them."""
    result.get("components", {}).get("securitySchemes", {}).pop("wechatCloudHosting", None)
    if "security" in operation:
        operation["security"] = [requirement for requirement in operation["security"]
                                 if "wechatCloudHosting" not in requirement]  # fmt: skip


# Reads that take `?fields=`: operation -> the component whose fields it may leave out.
PARTIAL_READS = {"albums_retrieve": "Album"}


def _partial_read(schemas: dict, operation: dict) -> None:
    """The full object, or (with `?fields=`) `id` and the fields asked for."""
    name = PARTIAL_READS[operation["operationId"]]
    schemas[f"{name}Fields"] = {
        **copy.deepcopy(schemas[name]),
        "required": ["id"],
        "description": f"A {name.lower()} read with `?fields=`: `id` and the fields asked for.",
    }
    content = operation["responses"]["200"]["content"]["application/json"]
    content["schema"] = {"anyOf": [{"$ref": f"#/components/schemas/{name}"},
                                   {"$ref": f"#/components/schemas/{name}Fields"}]}  # fmt: skip


def add_problem_responses(result, generator, request, public):
    """POSTPROCESSING_HOOK: summaries, examples, problem codes and headers on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if settings.WECHAT_IDENTITY != "cloudrun":
                _without_cloud_hosting(result, operation)
            _anonymous(operation)
            if operation["operationId"] in PARTIAL_READS:
                _partial_read(result["components"]["schemas"], operation)
            summary, description, example, extra = OPERATIONS[operation["operationId"]]
            if operation["operationId"] in EDITS:
                operation.setdefault("parameters", []).append(_IF_MATCH)
                extra = extra | {"precondition_failed"}
            if operation["operationId"] in IDEMPOTENT:
                operation.setdefault("parameters", []).append(_IDEMPOTENCY_KEY)
                extra = extra | {"idempotency_key_in_use", "idempotency_key_reused", "invalid"}
            operation["summary"] = summary
            if description:
                operation["description"] = description
            _example(operation, example)
            codes = _codes_for(path, method, operation, extra)
            by_status: dict[int, list[str]] = {}
            for code in sorted(codes):
                by_status.setdefault(REGISTRY[code].status, []).append(code)
            responses = operation.setdefault("responses", {})
            for status, status_codes in sorted(by_status.items()):
                responses[str(status)] = _problem(_STATUS_TEXT[status], status_codes)
            for status, response in responses.items():
                if status.startswith("2"):
                    response.setdefault("headers", {}).update(
                        {"X-Request-ID": _HEADERS["X-Request-ID"],
                         "Cache-Control": _HEADERS["Cache-Control"]}
                    )  # fmt: skip
                    if operation["operationId"] in TAGGED:
                        response["headers"]["ETag"] = {
                            "description": "The object's editable state; send as If-Match.",
                            "schema": {"type": "string"},
                        }
                    if status == "201" and operation["operationId"] != "albums_uploads_create":
                        response["headers"]["Location"] = {
                            "description": "Where the new object is read.",
                            "schema": {"type": "string"},
                        }
                    if operation["operationId"] in IDEMPOTENT:
                        response["headers"]["Idempotent-Replayed"] = {
                            "description": "`true` on a replay of a retried Idempotency-Key "
                            "(the first answer's body, ETag and Location).",
                            "schema": {"type": "string", "enum": ["true"]},
                        }
    result["paths"].update(PAGES)
    for operations in result["paths"].values():
        for operation in operations.values():
            operation["responses"]["414"] = _URI_TOO_LONG
    return result


class EnglishSchemaView(SpectacularAPIView):
    """The OpenAPI document in English whatever the caller's language: one document for every
    client generator and cache (problem titles in answers still follow the caller)."""

    def dispatch(self, request, *args, **kwargs):
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            response.render()  # inside the override: the lazy texts become English
        return response

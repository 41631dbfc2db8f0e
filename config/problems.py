"""One error vocabulary: ApplicationError for services, rendered as RFC 9457 problem+json."""

import logging
from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils import translation
from rest_framework import exceptions, status
from rest_framework.response import Response

from config.errors import REGISTRY, status_of
from config.etags import matches

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ApplicationError(Exception):
    """A failure a client can act on: a stable `code` from config.errors, its HTTP status, and
    a human detail. Subclasses name their code; the status always comes from the registry."""

    code = "bad_request"
    default_detail = "The request could not be processed."
    retry_after: int | None = None  # seconds, sent as Retry-After when set

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.code not in REGISTRY:
            raise TypeError(f"{cls.__name__}.code {cls.code!r} is not in config.errors")

    def __init__(self, detail: str | None = None, *, code: str | None = None, extra=None):
        if code is not None:
            if code not in REGISTRY:
                raise ValueError(f"problem code {code!r} is not in config.errors")
            self.code = code
        self.detail = detail or self.default_detail
        self.extra = extra or {}
        super().__init__(self.detail)

    @property
    def status(self) -> int:
        return status_of(self.code)

    def headers(self) -> dict[str, str]:
        """Retry-After on every 429 and 503: the error's own, else a minute for a limit and
        five seconds for something unavailable."""
        seconds = self.retry_after or {429: 60, 503: 5}.get(self.status)
        return {"Retry-After": str(seconds)} if seconds else {}


class Invalid(ApplicationError):
    """A field a service refused: the same 400 `invalid` shape as a serializer's errors."""

    code = "invalid"
    default_detail = "The request has invalid fields."

    def __init__(self, field: str, message: str):
        super().__init__(extra={"errors": {field: [message]}})


class NotFound(ApplicationError):
    code = "not_found"
    default_detail = "Not found."


class Forbidden(ApplicationError):
    code = "permission_denied"
    default_detail = "You do not have permission to do this."


class Gone(ApplicationError):
    """It existed and no longer works; always raised with a specific code (`revoked`...)."""

    code = "expired"
    default_detail = "This is no longer available."


class PreconditionFailed(ApplicationError):
    code = "precondition_failed"
    default_detail = "Someone changed this since you read it; read it again, then edit."


def require_match(if_match: str | None, obj) -> None:
    """Raise PreconditionFailed unless If-Match (when sent) names the object's current tag.

    Call with the row locked, so nobody can change it between this check and the write.
    """
    if not matches(if_match, obj.etag):
        raise PreconditionFailed()


class PayloadTooLarge(ApplicationError):
    code = "payload_too_large"
    default_detail = "The request is too large."


_ZH_TITLES = {400: "请求有误", 401: "未登录", 403: "没有权限", 404: "未找到",
              405: "不支持的方法", 406: "无法接受", 409: "冲突", 410: "已失效",
              411: "需要长度", 412: "前提条件不满足", 413: "内容过大",
              415: "不支持的媒体类型", 422: "无法处理", 429: "请求过多", 500: "服务器错误",
              503: "服务暂不可用"}  # fmt: skip


def problem(status_code: int, code: str, detail: str, **extra) -> dict:
    """The body of a problem document, in the request's language (config.settings.LANGUAGES):
    in Chinese the title is the status's Chinese name and the detail the code's Chinese
    meaning from the registry; the code and the field errors' keys never change."""
    title = HTTPStatus(status_code).phrase
    if (translation.get_language() or "").startswith("zh"):
        title = _ZH_TITLES.get(status_code, title)
        detail = REGISTRY[code].zh if code in REGISTRY else detail
    body = {
        "type": f"https://wxalbum.dev/problems/{code}",
        "title": title,
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    body.update(extra)
    return body


def _detail_text(detail) -> str:
    if isinstance(detail, list | tuple):
        return " ".join(_detail_text(d) for d in detail)
    if isinstance(detail, dict):
        return " ".join(_detail_text(d) for d in detail.values())
    return str(detail)


def _field_errors(detail) -> dict[str, list[str]]:
    """DRF's nested validation errors flattened to {field: [messages]}."""
    if not isinstance(detail, dict):
        return {
            "non_field_errors": [str(d) for d in detail]
            if isinstance(detail, list)
            else [str(detail)]
        }
    errors: dict[str, list[str]] = {}
    for field, value in detail.items():
        if isinstance(value, dict):
            for sub, messages in _field_errors(value).items():
                errors[f"{field}.{sub}"] = messages
        elif isinstance(value, list):
            errors[field] = [_detail_text(v) for v in value]
        else:
            errors[field] = [str(value)]
    return errors


# DRF's exception classes mapped to our stable codes; a subclass picks its own first.
_DRF_CODES: list[tuple[type[exceptions.APIException], str]] = [
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "authentication_failed"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
    (exceptions.ParseError, "parse_error"),
    (exceptions.ValidationError, "invalid"),
]


def problem_response(status_code: int, code: str, detail: str, headers=None, **extra) -> Response:
    return Response(
        problem(status_code, code, detail, **extra),
        status=status_code,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error an API view raises becomes a problem document."""
    if isinstance(exc, ApplicationError):
        response = problem_response(
            exc.status, exc.code, exc.detail, headers=exc.headers(), **exc.extra
        )
        return quiet(response)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        # A row another request deleted between our read and our write: gone, not a bug.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        # A model's full_clean() in a service: the same 400 as a serializer's field errors.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's handler500 answers with a problem document under /api/

    fallback = "server_error" if exc.status_code >= 500 else "bad_request"
    code = next((c for cls, c in _DRF_CODES if isinstance(exc, cls)), fallback)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    status_code = exc.status_code
    # An unauthenticated request is a 401 whatever DRF guessed without a WWW-Authenticate.
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        status_code = status.HTTP_401_UNAUTHORIZED
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            status_code,
            code,
            "The request has invalid fields.",
            headers=headers,
            errors=_field_errors(exc.detail),
        )
    return problem_response(status_code, code, _detail_text(exc.detail), headers=headers)


def problem_json_response(status_code: int, code: str, detail: str, **extra) -> JsonResponse:
    """A problem document from a plain Django view (outside DRF)."""
    return JsonResponse(
        problem(status_code, code, detail, **extra),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def application_error_response(exc: ApplicationError) -> JsonResponse:
    """An ApplicationError as a problem document, outside DRF (landing page, QR images)."""
    response = problem_json_response(exc.status, exc.code, exc.detail, **exc.extra)
    for header, value in exc.headers().items():
        response[header] = value
    return quiet(response)


def quiet(response):
    """An expected 5xx (a dependency is down: whoever raised it logged it, once per burst)
    is not logged again by Django's request logger as an error per request."""
    if response.status_code >= 500:
        response._has_been_logged = True  # Django's own mark for a response already logged
    return response


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def handler404(request, exception=None):
    if is_api_request(request):
        return problem_json_response(404, "not_found", "Not found.")
    from django.views import defaults

    return defaults.page_not_found(request, exception)


def handler500(request):
    if is_api_request(request):
        return problem_json_response(
            500, "server_error", "An unexpected error occurred; it has been logged."
        )
    from django.views import defaults

    return defaults.server_error(request)


def handler403(request, exception=None):
    if is_api_request(request):
        return problem_json_response(403, "permission_denied", "Permission denied.")
    from django.views import defaults

    return defaults.permission_denied(request, exception)


def handler400(request, exception=None):
    if is_api_request(request):
        return problem_json_response(400, "bad_request", "Bad request.")
    from django.views import defaults

    return defaults.bad_request(request, exception)

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
    zh: str = ""  # the meaning in Simplified Chinese: a problem's detail for Chinese readers


CODES = [
    # The request itself
    ErrorCode(
        "bad_request",
        400,
        "the request is malformed (for example, a host not served)",
        zh="请求格式有误",
    ),
    ErrorCode(
        "invalid",
        400,
        "a field is wrong, unknown or missing; `errors` names each field",
        zh="有字段不正确、未知或缺失，见 errors",
    ),
    ErrorCode(
        "parse_error",
        400,
        "the body is not valid JSON or multipart",
        zh="请求体不是有效的 JSON 或 multipart",
    ),
    ErrorCode(
        "not_authenticated",
        401,
        "no bearer token; log in with `POST /auth/login`",
        zh="缺少登录凭证，请先登录",
    ),
    ErrorCode(
        "authentication_failed",
        401,
        "the token is bad or expired; call wx.login again",
        zh="登录凭证无效或已过期，请重新调用 wx.login",
    ),
    ErrorCode(
        "permission_denied",
        403,
        "you may see this but not do that",
        zh="你可以查看，但不能执行此操作",
    ),
    ErrorCode(
        "not_found", 404, "it does not exist, or you may not see it", zh="不存在，或你无权查看"
    ),
    ErrorCode(
        "method_not_allowed",
        405,
        "this path does not take this method",
        zh="此地址不支持该请求方法",
    ),
    ErrorCode(
        "not_acceptable",
        406,
        "the API answers JSON only; fix the Accept header",
        zh="接口只返回 JSON，请检查 Accept 请求头",
    ),
    ErrorCode(
        "length_required",
        411,
        "an upload without Content-Length; send the length",
        zh="上传缺少 Content-Length，请带上长度",
    ),
    ErrorCode(
        "precondition_failed",
        412,
        "`If-Match` names an older version: someone changed it since you read it",
        zh="内容已被他人修改，请重新读取后再编辑",
    ),
    ErrorCode(
        "unsupported_media_type",
        415,
        "send JSON (or multipart where a file is sent)",
        zh="请发送 JSON（上传文件时用 multipart）",
    ),
    ErrorCode(
        "throttled",
        429,
        "slow down; `Retry-After` says for how long",
        zh="请求过于频繁，请按 Retry-After 稍后再试",
    ),
    ErrorCode(
        "idempotency_key_in_use",
        409,
        "a request with this Idempotency-Key is still running; retry shortly",
        zh="使用同一 Idempotency-Key 的请求仍在处理中，请稍后重试",
    ),
    ErrorCode(
        "idempotency_key_reused",
        422,
        "this Idempotency-Key was used for a different request; use a new key",
        zh="该 Idempotency-Key 已用于另一个请求，请换一个新的",
    ),
    ErrorCode(
        "server_error",
        500,
        "a bug; it is logged with the request id",
        zh="服务器出错，已记录请求编号",
    ),
    # Logging in
    ErrorCode(
        "invalid_code",
        400,
        "the wx.login code is invalid or already used",
        zh="登录 code 无效或已被使用",
    ),
    ErrorCode(
        "wechat_user_blocked", 403, "WeChat refused this user's login", zh="微信拒绝了该用户登录"
    ),
    ErrorCode(
        "wechat_rate_limited",
        429,
        "WeChat is limiting logins; try again in a minute",
        zh="微信限制了登录频率，请一分钟后再试",
    ),
    ErrorCode(
        "service_unavailable",
        503,
        "the database, the cache or the storage is down, too slow or failing (`dependency` "
        "names it); nothing was changed; retry after `Retry-After` seconds",
        zh="数据库、缓存或存储暂时不可用，未做任何更改，请稍后重试",
    ),
    ErrorCode(
        "busy",
        503,
        "the server is processing as many photos as it can; nothing was changed; retry after "
        "`Retry-After` seconds",
        zh="服务器正在处理的照片已达上限，未做任何更改，请稍后重试",
    ),
    ErrorCode(
        "wechat_unavailable",
        503,
        "WeChat did not answer; nothing was changed",
        zh="微信暂时无法响应，未做任何更改",
    ),
    # Albums, members, photos, uploads
    ErrorCode(
        "album_private",
        400,
        "a private album cannot be shared; make it members first",
        zh="私密相册不能分享，请先改为成员可见",
    ),
    ErrorCode(
        "owner_cannot_leave",
        400,
        "the owner cannot leave; delete the album instead",
        zh="相册所有者不能退出，可以删除相册",
    ),
    ErrorCode(
        "owner_role_fixed",
        400,
        "the owner's role never changes; members are viewers or contributors",
        zh="相册所有者的角色不能更改；成员只能是浏览者或上传者",
    ),
    ErrorCode(
        "removed_from_album",
        403,
        "the owner removed you; this link no longer lets you in (ask for a new one)",
        zh="相册所有者已将你移出，此链接不能再让你加入（请向其索取新链接）",
    ),
    ErrorCode(
        "unsupported_image",
        400,
        "not a JPEG, PNG or WebP, or damaged",
        zh="不是 JPEG、PNG 或 WebP 图片，或文件已损坏",
    ),
    ErrorCode(
        "image_too_large",
        400,
        "more pixels than `PHOTO_MAX_PIXELS`, or more than its file can hold "
        "(a decompression bomb)",
        zh="图片像素过多",
    ),
    ErrorCode(
        "image_too_complex",
        400,
        "a JPEG with more scans than any camera writes (a decode-time bomb); save it again",
        zh="图片过于复杂，无法处理；请重新保存为普通 JPEG",
    ),
    ErrorCode("file_too_large", 413, "the file is over `PHOTO_MAX_BYTES`", zh="文件超过大小上限"),
    ErrorCode(
        "upload_missing",
        400,
        "nothing was posted to this upload ticket yet",
        zh="此上传凭证还没有收到文件",
    ),
    ErrorCode(
        "upload_ticket_used",
        409,
        "this upload ticket already became a photo (or lapsed); ask for a new ticket",
        zh="此上传凭证已使用或已失效，请重新申请",
    ),
    ErrorCode(
        "upload_ticket_invalid",
        400,
        "a forged, expired or altered upload form",
        zh="上传表单被伪造、已过期或被修改",
    ),
    ErrorCode(
        "upload_expired",
        410,
        "the upload ticket lapsed; ask for a new one",
        zh="上传凭证已过期，请重新申请",
    ),
    ErrorCode(
        "photo_deleted",
        410,
        "the photo made from this upload was deleted",
        zh="由此上传生成的照片已被删除",
    ),
    # Short links
    ErrorCode("payload_too_large", 413, "a link's params are over 2 KB", zh="链接参数超过 2 KB"),
    ErrorCode("expired", 410, "the short link has expired", zh="此链接已过期"),
    ErrorCode("revoked", 410, "the short link was revoked", zh="此链接已被撤销"),
    ErrorCode(
        "used_up",
        410,
        "the short link has been used its `max_visits` times",
        zh="此链接的使用次数已满",
    ),
    # Comments
    ErrorCode(
        "invalid_parent",
        400,
        "a reply's parent is not a top-level comment on the same photo or album",
        zh="回复的对象必须是同一照片或相册下的一级评论",
    ),
    ErrorCode(
        "content_rejected",
        400,
        "WeChat's content check called the text risky",
        zh="微信内容安全检测认为内容有风险，请修改后再发",
    ),
    ErrorCode(
        "permission_backend_unavailable",
        503,
        "the legacy permission backend did not answer; nothing was changed",
        zh="权限服务暂时无法响应，未做任何更改",
    ),
]

REGISTRY: dict[str, ErrorCode] = {error.code: error for error in CODES}
if missing := [error.code for error in CODES if not error.zh]:
    raise ValueError(f"problem codes without a Chinese meaning: {missing}")
if len(REGISTRY) != len(CODES):
    raise ValueError("a problem code is registered twice")


def status_of(code: str) -> int:
    """The HTTP status of a registered code. Raises KeyError for a code nobody registered."""
    return REGISTRY[code].status

"""The WeChat API: the only module that talks to it. A real HTTP client and a debug sandbox.

Calls made: code2Session for login, msgSecCheck for the optional check of comment text, and
getwxacodeunlimit for each share's mini-program code. The last two need the deployment's
shared access token (wechat.tokens). One pooled HTTP connection per process.
"""

import functools
import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Protocol

import httpx
from django.conf import settings
from django.db import connections

from config.problems import ApplicationError
from wechat import signals, tokens

logger = logging.getLogger(__name__)


class WeChatError(ApplicationError):
    code = "wechat_unavailable"
    default_detail = "WeChat could not be reached; try again shortly."


class InvalidCode(WeChatError):
    code = "invalid_code"
    default_detail = "The login code is invalid or was already used; call wx.login again."


class WeChatRateLimited(WeChatError):
    code = "wechat_rate_limited"
    default_detail = "WeChat is limiting logins; try again in a minute."
    retry_after = 60


class WeChatUserBlocked(WeChatError):
    code = "wechat_user_blocked"
    default_detail = "WeChat refused this user's login."


class WeChatUnavailable(WeChatError):
    """WeChat did not answer, or was busy (-1), or its quota is used up (45009): try later."""

    retry_after = 5


class WxacodeRefused(Exception):
    """WeChat will never make this code as asked (41030 page not published, 40129 bad scene):
    retrying changes nothing until an operator fixes the page or the link."""

    def __init__(self, errcode: int, errmsg: str):
        self.errcode, self.errmsg = errcode, errmsg
        super().__init__(f"{errcode}: {errmsg}")


@dataclass(frozen=True)
class Image:
    data: bytes
    content_type: str


@dataclass(frozen=True)
class WeChatSession:
    openid: str
    session_key: str
    unionid: str | None = None

    def __repr__(self) -> str:  # keeps session_key out of tracebacks and log lines
        return f"WeChatSession(openid={self.openid!r}, unionid={self.unionid!r})"


# msgSecCheck scenes: 1 profile, 2 comment, 3 forum, 4 social log
SCENE_PROFILE, SCENE_COMMENT, SCENE_SOCIAL_LOG = 1, 2, 4


class WeChatClient(Protocol):
    def code_to_session(self, code: str) -> WeChatSession:
        """Exchange a wx.login code. Raises InvalidCode, WeChatRateLimited, WeChatUnavailable."""
        ...

    def check_text(self, *, openid: str, content: str, scene: int = SCENE_COMMENT) -> str:
        """WeChat's verdict on user text: "pass", "review" or "risky". Raises WeChatUnavailable."""
        ...

    def wxacode(self, *, scene: str, page: str, env_version: str, width: int, check_path: bool):
        """The unlimited mini-program code for `scene` opening `page`, as an Image.

        Raises WxacodeRefused for a page or scene WeChat will not take, WeChatUnavailable else.
        """
        ...

    def check_image_async(self, *, media_url: str, openid: str, scene: int, note: str = "") -> str:
        """Ask WeChat to check an image it downloads from `media_url`; the verdict arrives
        later on the message push. Returns WeChat's trace_id. Raises WeChatUnavailable.
        `note` is what the app knows of the image (a caption): WeChat never sees it; the
        sandbox reads its verdict markers there."""
        ...


_VERDICTS = {"pass", "review", "risky"}
_TOKEN_INVALID = {40001, 40014, 42001}  # invalid, malformed or expired access_token
_WXACODE_REFUSED = {41030, 40129}  # page not published; scene not allowed
_CONTENT_RISKY = 87014  # the older msgSecCheck answer for risky content


_ERRCODES: dict[int, type[WeChatError]] = {
    40029: InvalidCode,  # invalid code
    40163: InvalidCode,  # code already used
    45011: WeChatRateLimited,  # too many calls per user per minute
    40226: WeChatUserBlocked,  # high-risk user
    -1: WeChatUnavailable,  # system busy
}


class HttpWeChatClient:
    """The WeChat API over HTTPS.

    The access_token for server-side calls comes from /cgi-bin/stable_token and is kept in the
    shared cache until shortly before it expires: stable tokens do not invalidate each other,
    so several app servers fetching at once is harmless.

    With `open_api` (WECHAT_OPEN_API=cloudrun), calls go through WeChat Cloud Hosting's open API
    service (`http://api.weixin.qq.com` from inside the container), which adds the credentials
    itself: no access_token is fetched or sent, and each answer's `x-openapi-seqid` is logged
    for WeChat's support.
    """

    def __init__(self, *, base_url: str, app_id: str, app_secret: str, timeout: float,
                 open_api: bool = False):  # fmt: skip
        self.base_url = base_url
        self.app_id = app_id
        self.app_secret = app_secret
        self.timeout = timeout
        self.open_api = open_api

    def code_to_session(self, code: str) -> WeChatSession:
        params = {
            "appid": self.app_id,
            "secret": self.app_secret,
            "js_code": code,
            "grant_type": "authorization_code",
        }
        data = self._call("GET", "/sns/jscode2session", params=params)
        errcode = data.get("errcode") or 0
        if errcode:
            logger.info("wechat code2session refused", extra={"errcode": errcode})
            raise _ERRCODES.get(errcode, WeChatUnavailable)()
        openid, session_key = data.get("openid"), data.get("session_key")
        if not isinstance(openid, str) or not openid or not isinstance(session_key, str):
            raise WeChatUnavailable()
        unionid = data.get("unionid")
        return WeChatSession(
            openid=openid,
            session_key=session_key,
            unionid=unionid if isinstance(unionid, str) and unionid else None,
        )

    def check_text(self, *, openid: str, content: str, scene: int = SCENE_COMMENT) -> str:
        body = {"openid": openid, "scene": scene, "version": 2, "content": content}
        data = self._with_token(lambda auth: self._call(
            "POST", "/wxa/msg_sec_check", params=auth, json=body))  # fmt: skip
        errcode = data.get("errcode") or 0
        if errcode == _CONTENT_RISKY:
            return "risky"
        result = data.get("result")
        verdict = result.get("suggest") if isinstance(result, dict) else None
        if errcode or verdict not in _VERDICTS:
            logger.warning("wechat msg_sec_check failed", extra={"errcode": errcode})
            raise WeChatUnavailable()
        return verdict

    def wxacode(self, *, scene: str, page: str, env_version: str, width: int, check_path: bool):
        body = {"scene": scene, "page": page, "env_version": env_version, "width": width,
                "check_path": check_path}  # fmt: skip

        def call(auth: dict):
            response = self._send("POST", "/wxa/getwxacodeunlimit", params=auth, json=body)
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            if content_type.startswith("image/"):
                return Image(response.content, content_type)
            return self._json(response, "/wxa/getwxacodeunlimit")

        answer = self._with_token(call)
        if isinstance(answer, Image):
            return answer
        errcode, errmsg = answer.get("errcode") or 0, str(answer.get("errmsg", ""))
        if errcode in _WXACODE_REFUSED:
            raise WxacodeRefused(errcode, errmsg)
        logger.warning("wechat getwxacodeunlimit failed", extra={"errcode": errcode})
        raise WeChatUnavailable()

    def check_image_async(self, *, media_url: str, openid: str, scene: int, note: str = "") -> str:
        body = {"media_url": media_url, "media_type": 2, "version": 2, "scene": scene,
                "openid": openid}  # fmt: skip
        data = self._with_token(
            lambda auth: self._call("POST", "/wxa/media_check_async", params=auth, json=body)
        )
        trace_id, errcode = data.get("trace_id"), data.get("errcode") or 0
        if errcode or not isinstance(trace_id, str) or not trace_id:
            logger.warning("wechat media_check_async failed", extra={"errcode": errcode})
            raise WeChatUnavailable()
        return trace_id

    def _with_token(self, call):
        """Run `call(auth)` with `auth` the query parameters that authorise it: the
        access_token (when WeChat says it is invalid, one fresh token, shared by every process,
        and the call once more), or nothing through the open API service."""
        if self.open_api:
            return call({})
        answer = call({"access_token": self._token()})
        if isinstance(answer, dict) and answer.get("errcode") in _TOKEN_INVALID:
            answer = call({"access_token": self._token(force=True)})
        return answer

    def _token(self, *, force: bool = False) -> str:
        return tokens.access_token(self.app_id, self._fetch_token, force=force)

    def _fetch_token(self, force_refresh: bool) -> tuple[str, int]:
        body = {"grant_type": "client_credential", "appid": self.app_id,
                "secret": self.app_secret, "force_refresh": force_refresh}  # fmt: skip
        data = self._call("POST", "/cgi-bin/stable_token", json=body)
        token, expires_in = data.get("access_token"), data.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, int):
            logger.warning("wechat stable_token failed", extra={"errcode": data.get("errcode")})
            raise WeChatUnavailable()
        return token, expires_in

    def _call(self, method: str, path: str, *, params=None, json=None) -> dict:
        """One WeChat API call answering a JSON object. Raises WeChatUnavailable otherwise."""
        return self._json(self._send(method, path, params=params, json=json), path)

    def _send(self, method: str, path: str, *, params=None, json=None) -> httpx.Response:
        try:
            response = _http().request(
                method, f"{self.base_url}{path}", params=params, json=json, timeout=self.timeout
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            logger.warning("wechat call failed", extra={"path": path, "error": type(exc).__name__})
            raise WeChatUnavailable() from exc
        if self.open_api:
            seqid = response.headers.get("x-openapi-seqid", "")
            logger.info("wechat open api call", extra={"path": path, "openapi_seqid": seqid})
        return response

    @staticmethod
    def _json(response: httpx.Response, path: str) -> dict:
        try:
            data = response.json()
        except ValueError as exc:
            logger.warning("wechat answered no JSON", extra={"path": path})
            raise WeChatUnavailable() from exc
        if not isinstance(data, dict):
            raise WeChatUnavailable()
        return data


@functools.cache
def _http() -> httpx.Client:
    """The process's pooled connection to WeChat (thread-safe; timeouts are per call)."""
    return httpx.Client(limits=httpx.Limits(max_connections=50, max_keepalive_connections=10))


class SandboxWeChatClient:
    """For debug mode only: any code logs in; the same code is always the same user.

    Text passes the content check unless it contains SANDBOX_RISKY (refused) or SANDBOX_REVIEW
    (held for staff), in any field, so a mini-program under development can show each state.
    An image sent to the media check whose note (a photo's caption) holds one of
    PHOTO_VERDICTS gets that verdict VERDICT_DELAY seconds later, delivered as WeChat's
    message push is (wechat.push.dispatch); without a marker no verdict comes, as when WeChat
    never answers (the sweep then hands the photo to staff).
    """

    SANDBOX_RISKY = "[sandbox-risky]"
    SANDBOX_REVIEW = "[sandbox-review]"
    PHOTO_VERDICTS = {"[sandbox-photo-pass]": ("pass", 100),
                      "[sandbox-photo-risky]": ("risky", 20002),
                      "[sandbox-photo-review]": ("review", 21000)}  # fmt: skip
    VERDICT_DELAY = 1.0

    def code_to_session(self, code: str) -> WeChatSession:
        digest = hashlib.sha256(f"wxalbum-sandbox:{code}".encode()).hexdigest()
        return WeChatSession(openid=f"sandbox-{digest[:24]}", session_key=digest[24:48])

    def check_text(self, *, openid: str, content: str, scene: int = SCENE_COMMENT) -> str:
        if self.SANDBOX_RISKY in content:
            return "risky"
        return "review" if self.SANDBOX_REVIEW in content else "pass"

    def check_image_async(self, *, media_url: str, openid: str, scene: int, note: str = "") -> str:
        """A trace id of the sandbox's own, and the verdict the note asks for, pushed later."""
        trace_id = "sandbox-" + hashlib.sha256(media_url.encode()).hexdigest()[:24]
        for marker, (suggest, label) in self.PHOTO_VERDICTS.items():
            if marker in note:
                message = {"ToUserName": "sandbox", "FromUserName": openid, "MsgType": "event",
                           "Event": "wxa_media_check", "CreateTime": int(time.time()),
                           "appid": "sandbox", "trace_id": trace_id, "version": 2,
                           "errcode": 0, "errmsg": "ok",
                           "result": {"suggest": suggest, "label": label}}  # fmt: skip
                later = threading.Timer(self.VERDICT_DELAY, _push_in_the_background, [message])
                later.daemon = True
                later.start()
                break
        return trace_id

    def wxacode(self, *, scene: str, page: str, env_version: str, width: int, check_path: bool):
        """A local stand-in, plainly marked: a red SANDBOX banner above a QR code of the scene
        and page (beside the code, never over it, so a phone's camera still reads it; WeChat's
        real codes are round and scan only inside WeChat)."""
        import io

        import qrcode
        from PIL import Image as Image_
        from PIL import ImageDraw

        banner = max(width // 8, 24)
        side = width - banner
        code = qrcode.make(f"sandbox wxacode scene={scene} page={page}", border=2)
        canvas = Image_.new("RGB", (width, width), (255, 255, 255))
        canvas.paste(code.convert("RGB").resize((side, side)), ((width - side) // 2, banner))
        draw = ImageDraw.Draw(canvas)
        draw.rectangle((0, 0, width, banner - 1), fill=(200, 0, 0))
        draw.text((8, 4), f"SANDBOX {env_version}", fill=(255, 255, 255))
        out = io.BytesIO()
        canvas.save(out, format="PNG")
        return Image(out.getvalue(), "image/png")


def _push_in_the_background(message: dict) -> None:
    """The sandbox's verdict, handled as a push from WeChat is, on a thread of its own."""
    try:
        signals.dispatch(message)
    except Exception:
        logger.exception("the sandbox's media check verdict failed")
    finally:
        connections.close_all()


@functools.cache
def _client(sandbox: bool, base_url: str, app_id: str, app_secret: str, timeout: float,
            open_api: bool):  # fmt: skip
    if sandbox:
        return SandboxWeChatClient()
    return HttpWeChatClient(
        base_url=base_url, app_id=app_id, app_secret=app_secret, timeout=timeout,
        open_api=open_api,
    )  # fmt: skip


def get_client() -> WeChatClient:
    """The client the settings ask for (sandbox when no WECHAT_APP_ID is set)."""
    return _client(
        settings.WECHAT_SANDBOX,
        settings.WECHAT_API_BASE,
        settings.WECHAT_APP_ID,
        settings.WECHAT_APP_SECRET,
        settings.WECHAT_TIMEOUT,
        settings.WECHAT_OPEN_API == "cloudrun",
    )

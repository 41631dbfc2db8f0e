"""The WeChat API: the only module that talks to it. A real HTTP client and a debug sandbox.

Two calls are made: code2Session for login, and msgSecCheck (with the access_token it needs)
for the optional check of comment text.
"""

import functools
import hashlib
import logging
from dataclasses import dataclass
from typing import Protocol

import httpx
from django.conf import settings
from django.core.cache import cache

from config.problems import ApplicationError

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


class WeChatUserBlocked(WeChatError):
    code = "wechat_user_blocked"
    default_detail = "WeChat refused this user's login."


class WeChatUnavailable(WeChatError):
    pass


@dataclass(frozen=True)
class WeChatSession:
    openid: str
    session_key: str
    unionid: str | None = None

    def __repr__(self) -> str:  # keeps session_key out of tracebacks and log lines
        return f"WeChatSession(openid={self.openid!r}, unionid={self.unionid!r})"


SCENE_COMMENT = 2  # msgSecCheck scenes: 1 profile, 2 comment, 3 forum, 4 social log


class WeChatClient(Protocol):
    def code_to_session(self, code: str) -> WeChatSession:
        """Exchange a wx.login code. Raises InvalidCode, WeChatRateLimited, WeChatUnavailable."""
        ...

    def check_text(self, *, openid: str, content: str, scene: int = SCENE_COMMENT) -> str:
        """WeChat's verdict on user text: "pass", "review" or "risky". Raises WeChatUnavailable."""
        ...


_VERDICTS = {"pass", "review", "risky"}
_TOKEN_INVALID = {40001, 40014, 42001}  # invalid, malformed or expired access_token
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
    """

    def __init__(self, *, base_url: str, app_id: str, app_secret: str, timeout: float):
        self.base_url = base_url
        self.app_id = app_id
        self.app_secret = app_secret
        self.timeout = timeout

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
        data = self._call("POST", "/wxa/msg_sec_check", params=self._token_param(), json=body)
        if data.get("errcode") in _TOKEN_INVALID:
            # Revoked or expired early: forget it, fetch again and try once more.
            cache.delete(self._token_key)
            data = self._call("POST", "/wxa/msg_sec_check", params=self._token_param(), json=body)
        errcode = data.get("errcode") or 0
        if errcode == _CONTENT_RISKY:
            return "risky"
        result = data.get("result")
        verdict = result.get("suggest") if isinstance(result, dict) else None
        if errcode or verdict not in _VERDICTS:
            logger.warning("wechat msg_sec_check failed", extra={"errcode": errcode})
            raise WeChatUnavailable()
        return verdict

    @property
    def _token_key(self) -> str:
        return f"wechat:access_token:{self.app_id}"

    def _access_token(self) -> str:
        token = cache.get(self._token_key)
        if token is None:
            credentials = {"appid": self.app_id, "secret": self.app_secret}
            body = {"grant_type": "client_credential", **credentials}
            data = self._call("POST", "/cgi-bin/stable_token", json=body)
            token, expires_in = data.get("access_token"), data.get("expires_in")
            if not isinstance(token, str) or not token or not isinstance(expires_in, int):
                logger.warning("wechat stable_token failed", extra={"errcode": data.get("errcode")})
                raise WeChatUnavailable()
            # Renew five minutes early, so a token never expires between fetch and use.
            cache.set(self._token_key, token, max(expires_in - 300, 60))
        return token

    def _token_param(self) -> dict:
        return {"access_token": self._access_token()}

    def _call(self, method: str, path: str, *, params=None, json=None) -> dict:
        """One WeChat API call answering a JSON object. Raises WeChatUnavailable otherwise."""
        try:
            response = httpx.request(
                method, f"{self.base_url}{path}", params=params, json=json, timeout=self.timeout
            )
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            logger.warning("wechat call failed", extra={"path": path, "error": type(exc).__name__})
            raise WeChatUnavailable() from exc
        if not isinstance(data, dict):
            raise WeChatUnavailable()
        return data


class SandboxWeChatClient:
    """For debug mode only: any code logs in; the same code is always the same user.

    Text passes the content check unless it contains SANDBOX_RISKY, so a mini-program under
    development can show its "not accepted" message.
    """

    SANDBOX_RISKY = "[sandbox-risky]"

    def code_to_session(self, code: str) -> WeChatSession:
        digest = hashlib.sha256(f"wxalbum-sandbox:{code}".encode()).hexdigest()
        return WeChatSession(openid=f"sandbox-{digest[:24]}", session_key=digest[24:48])

    def check_text(self, *, openid: str, content: str, scene: int = SCENE_COMMENT) -> str:
        return "risky" if self.SANDBOX_RISKY in content else "pass"


@functools.cache
def _client(sandbox: bool, base_url: str, app_id: str, app_secret: str, timeout: float):
    if sandbox:
        return SandboxWeChatClient()
    return HttpWeChatClient(
        base_url=base_url, app_id=app_id, app_secret=app_secret, timeout=timeout
    )


def get_client() -> WeChatClient:
    """The client the settings ask for (sandbox when no WECHAT_APP_ID is set)."""
    return _client(
        settings.WECHAT_SANDBOX,
        settings.WECHAT_API_BASE,
        settings.WECHAT_APP_ID,
        settings.WECHAT_APP_SECRET,
        settings.WECHAT_TIMEOUT,
    )

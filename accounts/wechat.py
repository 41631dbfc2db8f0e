"""The WeChat API: the only module that talks to it. A real HTTP client and a debug sandbox."""

import hashlib
import logging
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import httpx
from django.conf import settings
from rest_framework import status

from config.problems import ApplicationError

logger = logging.getLogger(__name__)


class WeChatError(ApplicationError):
    status = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "wechat_unavailable"
    default_detail = "WeChat could not be reached; try again shortly."


class InvalidCode(WeChatError):
    status = status.HTTP_400_BAD_REQUEST
    code = "invalid_code"
    default_detail = "The login code is invalid or was already used; call wx.login again."


class WeChatRateLimited(WeChatError):
    status = status.HTTP_429_TOO_MANY_REQUESTS
    code = "wechat_rate_limited"
    default_detail = "WeChat is limiting logins; try again in a minute."


class WeChatUserBlocked(WeChatError):
    status = status.HTTP_403_FORBIDDEN
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


class WeChatClient(Protocol):
    def code_to_session(self, code: str) -> WeChatSession:
        """Exchange a wx.login code. Raises InvalidCode, WeChatRateLimited, WeChatUnavailable."""
        ...


_ERRCODES: dict[int, type[WeChatError]] = {
    40029: InvalidCode,  # invalid code
    40163: InvalidCode,  # code already used
    45011: WeChatRateLimited,  # too many calls per user per minute
    40226: WeChatUserBlocked,  # high-risk user
    -1: WeChatUnavailable,  # system busy
}


class HttpWeChatClient:
    """code2Session over HTTPS: GET {base}/sns/jscode2session."""

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
        try:
            response = httpx.get(
                f"{self.base_url}/sns/jscode2session", params=params, timeout=self.timeout
            )
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            logger.warning("wechat code2session failed", extra={"error": type(exc).__name__})
            raise WeChatUnavailable() from exc
        if not isinstance(data, dict):
            raise WeChatUnavailable()

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


class SandboxWeChatClient:
    """For debug mode only: any code logs in; the same code is always the same user."""

    def code_to_session(self, code: str) -> WeChatSession:
        digest = hashlib.sha256(f"wxalbum-sandbox:{code}".encode()).hexdigest()
        return WeChatSession(openid=f"sandbox-{digest[:24]}", session_key=digest[24:48])


@cache
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

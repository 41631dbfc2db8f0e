"""Login and profile changes."""

from django.db import transaction

from accounts import tokens
from accounts.models import User
from accounts.wechat import get_client


@transaction.atomic
def user_login(*, code: str) -> tuple[User, str]:
    """Exchange a wx.login code for our user and a bearer token.

    Raises the accounts.wechat errors (invalid_code, wechat_rate_limited, wechat_unavailable).
    """
    session = get_client().code_to_session(code)
    user, created = User.objects.select_for_update().get_or_create(
        openid=session.openid,
        defaults={"username": session.openid, "unionid": session.unionid},
    )
    if created:
        user.set_unusable_password()
    user.wechat_session_key = session.session_key
    if session.unionid:
        user.unionid = session.unionid
    user.save()
    return user, tokens.issue(user.pk)


@transaction.atomic
def user_update_profile(
    *, user: User, nickname: str | None = None, avatar_url: str | None = None
) -> User:
    if nickname is not None:
        user.nickname = nickname
    if avatar_url is not None:
        user.avatar_url = avatar_url
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["nickname", "avatar_url"])
    return user

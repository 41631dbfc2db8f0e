"""Login and profile changes."""

from django.db import transaction

from accounts import tokens
from accounts.models import User
from audit.services import changes, log_action, snapshot
from config.locking import lock_existing
from config.problems import Forbidden, require_match
from moderation import services as moderation
from wechat.client import get_client


def user_login(*, code: str) -> tuple[User, str]:
    """Exchange a wx.login code for our user and a bearer token.

    WeChat is asked first, with no transaction open: a slow WeChat never holds a database
    lock or an idle transaction. Raises the wechat.client errors (invalid_code,
    wechat_rate_limited, wechat_unavailable).
    """
    session = get_client().code_to_session(code)
    with transaction.atomic():
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
        log_action("user.created" if created else "user.logged_in", actor=user, obj=user)
    return user, tokens.issue(user.pk)


PROFILE_FIELDS = ["nickname", "held_nickname", "avatar_url"]
USER_TEXTS = ("nickname",)


def user_update_profile(
    *,
    user: User,
    nickname: str | None = None,
    avatar_url: str | None = None,
    actor=None,
    if_match: str | None = None,
) -> User:
    """Raises Invalid or django's ValidationError for bad values, the content check's errors
    for a risky nickname (checked before any lock), PreconditionFailed for a stale tag.

    A nickname the check holds for staff is the user's own until approved: others see none
    (the client shows "WeChat user")."""
    texts = {}
    if nickname is not None:
        texts["nickname"] = moderation.check(author=actor or user, name="nickname",
                                             value=nickname, kind=moderation.NICKNAME)  # fmt: skip
    with transaction.atomic():
        lock_existing(User, user.pk, "No such user.")
        user.refresh_from_db(fields=PROFILE_FIELDS)
        require_match(if_match, user)
        before = snapshot(user, PROFILE_FIELDS)
        moderation.apply(user, texts, hide_while_held=USER_TEXTS)
        if avatar_url is not None:
            user.avatar_url = avatar_url
        user.full_clean(exclude=["password", "username"])
        user.save(update_fields=PROFILE_FIELDS)
        after = snapshot(user, PROFILE_FIELDS)
        log_action("user.updated", actor=actor or user, obj=user, changes=changes(before, after))
    return user


@transaction.atomic
def user_texts_moderate(*, user: User, actor, approve: bool) -> User:
    """Staff approve a user's held nickname (everyone sees it) or reject it."""
    if not actor.acts_as_staff:
        raise Forbidden("Only staff moderate nicknames.")
    lock_existing(User, user.pk, "No such user.")
    user.refresh_from_db(fields=PROFILE_FIELDS)
    logged = moderation.release(user, USER_TEXTS, approve=approve)
    if logged:
        user.save(update_fields=PROFILE_FIELDS)
        log_action("user.nickname_approved" if approve else "user.nickname_rejected",
                   actor=actor, obj=user, changes=logged)  # fmt: skip
    return user

"""Login and profile changes."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import avatars, tokens
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


def user_from_cloud_hosting(*, openid: str, unionid: str | None) -> User:
    """The user WeChat Cloud Hosting's gateway vouches for (X-WX-OPENID): created on first
    sight, its unionid kept up to date. The common case (known, unchanged) is one read."""
    user = User.objects.filter(openid=openid).first()
    if user is not None and (not unionid or user.unionid == unionid):
        return user
    with transaction.atomic():
        user, created = User.objects.select_for_update().get_or_create(
            openid=openid, defaults={"username": openid, "unionid": unionid or None}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            log_action("user.created", actor=user, obj=user, via="cloud_hosting")
        elif unionid and user.unionid != unionid:
            log_action("user.updated", actor=None, obj=user,
                       changes={"unionid": [user.unionid, unionid]})  # fmt: skip
            user.unionid = unionid
            user.save(update_fields=["unionid"])
    return user


PROFILE_FIELDS = ["nickname", "held_nickname"]
USER_TEXTS = ("nickname",)


def user_update_profile(
    *,
    user: User,
    nickname: str | None = None,
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


@transaction.atomic
def user_profile_clear(*, user: User, actor, why: str) -> User:
    """Clear what others see of the user (nickname, held nickname, avatars and their objects):
    staff taking down a reported profile, or WeChat telling us the user withdrew or changed
    their profile data. `actor` None is the system."""
    lock_existing(User, user.pk, "No such user.")
    user.refresh_from_db(fields=PROFILE_FIELDS)
    before = snapshot(user, PROFILE_FIELDS)
    user.nickname = user.held_nickname = ""
    user.save(update_fields=PROFILE_FIELDS)
    logged = changes(before, snapshot(user, PROFILE_FIELDS))
    log_action("user.profile_cleared", actor=actor, obj=user, why=why, changes=logged,
               avatar_ids=avatars.avatars_drop(user))  # fmt: skip
    return user


# RevokeInfo ids that withdraw the profile: 6 nickname and avatar, 19 the nickname chosen from
# the nickname keyboard, 20 the avatar chosen with the avatar component.
PROFILE_REVOKES = {6, 19, 20}


def on_authorization_changed(sender, *, event: str, openid: str, revoked: set, **kwargs):
    """The receiver of wechat.signals.user_authorization_changed for the profile: withdrawn
    (RevokeInfo 6, 19, 20) or cleaned by WeChat (user_info_modified), it is cleared here too,
    and the user sets it again. (A withdrawal of photos is album's, a cancellation privacy's.)"""
    user = User.objects.filter(openid=openid).first()
    if user is None:
        return
    if event == "user_info_modified" or (
        event == "user_authorization_revoke" and revoked & PROFILE_REVOKES
    ):
        user_profile_clear(user=user, actor=None, why=event)


@transaction.atomic
def account_deletion_request(*, user: User) -> User:
    """The user asks for their account's deletion: it happens at `deletion_at`, now plus
    ACCOUNT_DELETION_GRACE_DAYS; until then the account works and the request can be
    cancelled. Asking again keeps the first date."""
    lock_existing(User, user.pk, "No such user.")
    user.refresh_from_db(fields=["deletion_at"])
    if user.deletion_at is None:
        user.deletion_at = timezone.now() + timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)
        user.save(update_fields=["deletion_at"])
        log_action("user.deletion_requested", actor=user, obj=user, deletion_at=user.deletion_at)
    return user


@transaction.atomic
def account_deletion_now(*, user: User) -> User:
    """WeChat says the user left: the deletion is due at once (no grace period)."""
    lock_existing(User, user.pk, "No such user.")
    user.deletion_at = timezone.now()
    user.save(update_fields=["deletion_at"])
    log_action("user.deletion_requested", actor=None, obj=user, deletion_at=user.deletion_at,
               why="user_authorization_cancellation")  # fmt: skip
    return user


@transaction.atomic
def account_deletion_cancel(*, user: User) -> User:
    lock_existing(User, user.pk, "No such user.")
    user.refresh_from_db(fields=["deletion_at", "deleted_at"])
    if user.deletion_at is not None and user.deleted_at is None:
        user.deletion_at = None
        user.save(update_fields=["deletion_at"])
        log_action("user.deletion_cancelled", actor=user, obj=user)
    return user


@transaction.atomic
def user_anonymise(*, user: User) -> User:
    """The last step of deleting an account: the row keeps no openid, unionid, nickname,
    avatar or session key, cannot log in, and reads as "Deleted user". A WeChat user who
    logs in again gets a new, empty account."""
    lock_existing(User, user.pk, "No such user.")
    avatars.avatars_drop(user)
    user.openid = user.unionid = None
    user.nickname = user.held_nickname = user.wechat_session_key = ""
    user.username = f"deleted-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.deleted_at = timezone.now()
    user.save()
    log_action("user.deleted", actor=None, obj=user)
    return user

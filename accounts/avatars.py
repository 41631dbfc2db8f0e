"""Avatars: an upload through the image pipeline, then WeChat's media check before others see it.

`avatar_set` stores two square JPEGs and points the user's `held_avatar` at them while WeChat
checks (PHOTO_CONTENT_CHECK=wechat), or straight at `avatar` when the check is off. Others see
`avatar` only: the previous picture, or none, until the new one passes; then it replaces the
old one, whose objects are deleted. `risky` and `review` verdicts, and checks that never
answer, go to staff (the admin's avatar queue); a rejected avatar is deleted at once.

Objects are written before the row that points to them and deleted after the transaction that
drops it commits (media.tasks), as for photos.
"""

import logging

from django.db import transaction
from django.utils import timezone

from accounts.models import Avatar, User
from audit.services import log_action
from config.locking import lock_existing
from config.problems import Forbidden, NotFound
from media import images, processing, storage
from media import tasks as media_tasks
from moderation import media
from outbox import selectors as outbox_selectors
from outbox import services as outbox
from wechat import client as wechat

logger = logging.getLogger(__name__)

Review = media.Review
CHECK_AVATAR = "accounts.check_avatar"


def _process(data: bytes) -> images.ProcessedAvatar:
    return processing.processed(images.process_avatar, data)


def _store(processed: images.ProcessedAvatar) -> list[str]:
    files = {name: (f"{name}.jpg", getattr(processed, name).data) for name in ("large", "thumb")}
    stored = media_tasks.put_all("avatars", files)
    return [stored["large"], stored["thumb"]]


def _drop(avatar_ids) -> None:
    """Delete these avatar rows and, after commit, their objects. Inside a transaction."""
    avatars = list(Avatar.objects.filter(pk__in=[pk for pk in avatar_ids if pk]))
    keys = [key for avatar in avatars for key in avatar.object_keys]
    Avatar.objects.filter(pk__in=[avatar.pk for avatar in avatars]).delete()
    media_tasks.delete_after_commit(keys)


def avatar_set(*, user: User, data: bytes) -> User:
    """The user's new avatar from an uploaded image. Raises the media.images errors for a bad
    file and Busy when the server has no image slot free; nothing changes then.

    With the check on, the new avatar is held (the user sees it, others the previous one);
    a held avatar it replaces is deleted unseen."""
    processed = _process(data)
    large, thumb = _store(processed)  # files first, row second: the slow part holds no lock
    try:
        with transaction.atomic():
            lock_existing(User, user.pk, "No such user.")
            user.refresh_from_db(fields=["avatar", "held_avatar"])
            avatar = Avatar.objects.create(
                user=user, large=large, thumb=thumb, review=media.initial_state()
            )
            replaced = [user.held_avatar_id]
            if avatar.is_visible:
                replaced.append(user.avatar_id)
                user.avatar, user.held_avatar = avatar, None
            else:
                user.held_avatar = avatar
                outbox.enqueue(CHECK_AVATAR, avatar.pk)
            user.save(update_fields=["avatar", "held_avatar"])
            _drop(replaced)
            log_action("user.avatar_set", actor=user, obj=user, avatar_id=avatar.pk,
                       review=avatar.review)  # fmt: skip
    except BaseException:
        # Rolled back (or never reached the row): no avatar points at the files.
        media_tasks.delete_now_or_later([large, thumb])
        raise
    return user


@transaction.atomic
def avatar_delete(*, user: User, actor) -> User:
    """The user removes their avatar (and any held one); removing none is no error."""
    lock_existing(User, user.pk, "No such user.")
    gone = avatars_drop(user)
    if gone:
        log_action("user.avatar_deleted", actor=actor, obj=user, avatar_ids=gone)
    return user


def avatars_drop(user: User) -> list[int]:
    """Take both of the user's avatars away and, after commit, delete their objects; returns
    the ids dropped. Inside a transaction, the user's row locked (profile clear, account
    deletion, avatar_delete)."""
    user.refresh_from_db(fields=["avatar", "held_avatar"])
    gone = [pk for pk in (user.avatar_id, user.held_avatar_id) if pk]
    if gone:
        user.avatar = user.held_avatar = None
        user.save(update_fields=["avatar", "held_avatar"])
        _drop(gone)
    return gone


def _promote(avatar: Avatar) -> None:
    """A held avatar may now be seen: it replaces the user's shown one. Inside a transaction,
    the user's row locked."""
    user = User.objects.only("pk", "avatar", "held_avatar").get(pk=avatar.user_id)
    if user.held_avatar_id != avatar.pk:
        return  # replaced or removed meanwhile
    old = user.avatar_id
    user.avatar, user.held_avatar = avatar, None
    user.save(update_fields=["avatar", "held_avatar"])
    _drop([old])


def check_submit(*, avatar_id: int) -> None:
    """Send a pending avatar to WeChat's media check (scene 1, the profile) and keep the trace
    id. Does nothing for one already sent, decided or deleted, so running it twice is safe.
    Raises WeChatError when WeChat cannot take it now (the task retries; the sweep resends)."""
    avatar = (
        Avatar.objects.select_related("user")
        .filter(pk=avatar_id, review=Review.PENDING, check_trace_id="")
        .first()
    )
    if avatar is None:
        return
    if not avatar.user.openid:  # WeChat checks on behalf of a user; without one, people decide
        to_staff(avatar_id=avatar_id, reason="no openid to check it with")
        return
    trace_id = wechat.get_client().check_image_async(
        media_url=storage.public_url(avatar.large.name),
        openid=avatar.user.openid,
        scene=wechat.SCENE_PROFILE,
    )
    with transaction.atomic():
        sent = Avatar.objects.filter(pk=avatar_id, review=Review.PENDING, check_trace_id="").update(
            check_trace_id=trace_id, check_requested_at=timezone.now()
        )
        if sent:
            log_action("avatar.check_requested", actor=None, obj=avatar, trace_id=trace_id)


def check_verdict(*, trace_id: str, suggest, label) -> bool:
    """Apply WeChat's verdict to the avatar it was about; False for a trace id that is no
    avatar's. The first verdict counts and a staff decision is never overridden."""
    if not trace_id:
        return False
    found = Avatar.objects.filter(check_trace_id=trace_id).values("pk", "user_id").first()
    if found is None:
        return False
    if suggest not in media.WECHAT_VERDICTS:
        logger.warning("media check verdict not understood", extra={"trace_id": trace_id})
    with transaction.atomic():
        lock_existing(User, found["user_id"], "No such user.")  # user, then avatar
        avatar = Avatar.objects.select_for_update().filter(pk=found["pk"]).first()
        if avatar is None or not media.apply_verdict(avatar, suggest=suggest, label=label):
            return True
        log_action("avatar.checked", actor=None, obj=avatar, suggest=suggest, label=label,
                   trace_id=trace_id)  # fmt: skip
        if avatar.is_visible:
            _promote(avatar)
    return True


def on_media_check_verdict(sender, *, trace_id, suggest, label, **kwargs) -> bool:
    """The receiver of wechat.signals.media_check_verdict (connected in AccountsConfig.ready)."""
    return check_verdict(trace_id=trace_id, suggest=suggest, label=label)


def to_staff(*, avatar_id: int, reason: str) -> bool:
    """Move a pending avatar to staff review (no verdict in time, or none possible)."""
    with transaction.atomic():
        moved = media.send_to_staff(Avatar, avatar_id)
        if moved:
            log_action("avatar.review_requested", actor=None, obj=Avatar(pk=avatar_id),
                       reason=reason)  # fmt: skip
    return bool(moved)


@transaction.atomic
def avatar_moderate(*, avatar: Avatar, actor, approve: bool) -> None:
    """Staff approve a held avatar (it replaces the shown one) or reject it (deleted with its
    objects; the user keeps the previous one), whatever WeChat said."""
    if not actor.acts_as_staff:
        raise Forbidden("Only staff moderate avatars.")
    lock_existing(User, avatar.user_id, "No such avatar.")
    avatar = Avatar.objects.select_for_update().filter(pk=avatar.pk).first()
    if avatar is None:
        raise NotFound("No such avatar.")
    decision = Review.APPROVED if approve else Review.REJECTED
    log_action(f"avatar.{decision}", actor=actor, obj=avatar, user_id=avatar.user_id,
               review=[avatar.review, decision])  # fmt: skip
    if approve:
        avatar.review, avatar.reviewed_at, avatar.reviewed_by = decision, timezone.now(), actor
        avatar.save(update_fields=["review", "reviewed_at", "reviewed_by"])
        _promote(avatar)
        return
    User.objects.filter(held_avatar=avatar.pk).update(held_avatar=None)
    User.objects.filter(avatar=avatar.pk).update(avatar=None)  # an approved one, taken back
    _drop([avatar.pk])


def reviews_sweep(*, now=None) -> dict[str, int]:
    """Avatars' part of `manage.py sweep_photo_reviews`: no verdict after PHOTO_CHECK_TIMEOUT
    goes to staff; a check lost before WeChat took it (none waiting in the outbox) is sent
    again."""
    now = now or timezone.now()
    waiting = {args[0] for args in outbox_selectors.waiting_args(CHECK_AVATAR) if args}
    overdue, unsent = media.overdue_and_unsent(Avatar, now=now, waiting=waiting)
    timed_out = sum(to_staff(avatar_id=pk, reason="no verdict in time") for pk in overdue)
    resent = 0
    for pk in unsent:
        with transaction.atomic():
            outbox.enqueue(CHECK_AVATAR, pk)
        resent += 1
    return {"avatars_timed_out": timed_out, "avatars_resent": resent}

"""Business rules for comments and likes. Edit and delete ask the permission backend first."""

import logging
import time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from album import access
from album.models import Photo
from album.selectors import role_in
from audit.services import log_action
from comments.models import Comment, Like, PermissionDecision
from comments.permissions import Decision, StaffPolicy, get_policy
from config.locking import lock_existing
from config.problems import ApplicationError, Forbidden, NotFound, require_match
from moderation import services as moderation

logger = logging.getLogger(__name__)


def _checked_body(body: str, *, user) -> tuple[str, str | None]:
    """The body as stored and WeChat's verdict as its review state: "pass", or "review" (held
    for staff, listed only for its author); None when it was not checked. Raises Invalid,
    ContentRejected or WeChatUnavailable (moderation.services; before any transaction)."""
    body, outcome = moderation.check(author=user, name="body", value=body,
                                     kind=moderation.COMMENT)  # fmt: skip
    if outcome == moderation.HELD:
        return body, Comment.Review.REVIEW
    return body, Comment.Review.PASS if moderation.is_checked(user) else None


def comment_create(*, user, album, photo: Photo | None = None, body: str, parent_id=None):
    """Raises NotFound unless the user may view the album; a reply's parent must be alongside."""
    access.require_view(album, user, role_in(album, user))
    body, review = _checked_body(body, user=user)
    review = review or Comment.Review.UNCHECKED
    try:
        with transaction.atomic():
            return _comment_insert(
                user=user, album=album, photo=photo, body=body, parent_id=parent_id, review=review
            )
    except IntegrityError:
        # The foreign keys are checked at commit: the album or photo was deleted meanwhile.
        raise NotFound("No such album or photo.") from None


def _comment_insert(*, user, album, photo, body: str, parent_id, review: str) -> Comment:
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(
            pk=parent_id, album=album, photo=photo, deleted_at__isnull=True
        ).first()
        if parent is None:
            raise ApplicationError("The parent comment is not here.", code="invalid_parent")
        if parent.parent_id:
            raise ApplicationError(
                f"Replies are one level deep: reply to comment {parent.parent_id} instead.",
                code="invalid_parent",
            )
    comment = Comment(
        album=album, photo=photo, author=user, parent=parent, body=body, review=review
    )
    comment.full_clean(exclude=["album", "photo", "author", "parent"])  # loaded just before
    comment.save()
    log_action("comment.created", actor=user, obj=comment, album_id=album.pk,
               photo_id=photo.pk if photo else None, parent_id=comment.parent_id,
               review=review)  # fmt: skip
    comment.liked_by_me = False
    return comment


def _authorise(*, user, action: str, comment: Comment) -> None:
    """Ask the backend and record the decision. Raises Forbidden or PermissionBackendUnavailable.

    Staff moderating in the admin are not the legacy backend's users (it knows openids): their
    deletes are allowed here, and recorded as decisions of the `staff` backend.
    """
    policy = get_policy()
    if action == "comment.delete" and access.is_operator(user):
        policy = StaffPolicy()
    started = time.perf_counter()
    decision: Decision | None = None
    try:
        decision = policy.check(user=user, action=action, comment=comment)
    finally:
        PermissionDecision.objects.create(
            user=user,
            openid=user.openid or "",
            action=action,
            comment_id_ref=comment.pk,
            backend=policy.name,
            allowed=decision.allowed if decision else None,
            reason=decision.reason[:255] if decision else "backend unavailable",
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
        )
    if not decision.allowed:
        raise Forbidden(decision.reason or "You may not do this.")


def comment_edit(
    *, comment: Comment, user, body: str | None, if_match: str | None = None
) -> Comment:
    """Change the body (None: nothing to change, a PATCH without fields, which still needs
    the right to edit). Raises Forbidden, PermissionBackendUnavailable, NotFound, or
    PreconditionFailed."""
    if body is not None:
        body = moderation.cleaned("body", body, moderation.COMMENT)  # before asking anyone
    _authorise(user=user, action="comment.edit", comment=comment)
    review = None
    if body is not None:
        body, review = _checked_body(body, user=user)
    with transaction.atomic():
        lock_existing(Comment, comment.pk, "No such comment.")
        comment.refresh_from_db(fields=["body", "review"])
        require_match(if_match, comment)
        if body is None:
            return comment
        changes = {"body": [comment.body, body]}
        if review and review != comment.review:
            changes["review"] = [comment.review, review]
            comment.review = review
        comment.body, comment.edited_at = body, timezone.now()
        comment.save(update_fields=["body", "edited_at", "review"])
        log_action("comment.edited", actor=user, obj=comment, changes=changes)
    return comment


def comment_delete(*, comment: Comment, user, if_match: str | None = None) -> None:
    """Soft delete, whoever asks (author, album owner, staff): kept for audit, never listed.
    Raises PreconditionFailed when `if_match` is not the comment's current tag."""
    _authorise(user=user, action="comment.delete", comment=comment)
    with transaction.atomic():
        lock_existing(Comment, comment.pk, "No such comment.")
        comment.refresh_from_db(fields=["deleted_at", "body"])
        if comment.deleted_at is not None:
            return
        require_match(if_match, comment)
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["deleted_at"])
        log_action("comment.deleted", actor=user, obj=comment, author_id=comment.author_id)


def comment_set_hidden(*, comment: Comment, hidden: bool, actor) -> None:
    """Moderators (staff) hide and restore comments: the admin's actions. `actor` None is the
    system (a comment enough people reported is hidden until staff decide)."""
    if actor is not None and not access.is_operator(actor):
        raise Forbidden("Only staff moderate comments.")
    with transaction.atomic():
        lock_existing(Comment, comment.pk, "No such comment.")
        comment.refresh_from_db(fields=["hidden_at"])
        if (comment.hidden_at is not None) == hidden:
            return
        comment.hidden_at = timezone.now() if hidden else None
        comment.save(update_fields=["hidden_at"])
        log_action("comment.hidden" if hidden else "comment.restored", actor=actor, obj=comment,
                   author_id=comment.author_id)  # fmt: skip


def comment_moderate(*, comment: Comment, actor, approve: bool) -> None:
    """Staff approve a comment held for review (it is listed for everyone) or reject it
    (listed only for its author, like a photo staff rejected)."""
    if not access.is_operator(actor):
        raise Forbidden("Only staff moderate comments.")
    decision = Comment.Review.APPROVED if approve else Comment.Review.REJECTED
    with transaction.atomic():
        lock_existing(Comment, comment.pk, "No such comment.")
        comment.refresh_from_db(fields=["review"])
        if comment.review == decision:
            return
        log_action(f"comment.{decision}", actor=actor, obj=comment, author_id=comment.author_id,
                   review=[comment.review, decision])  # fmt: skip
        comment.review = decision
        comment.save(update_fields=["review"])


@transaction.atomic
def like_set(*, user, target, liked: bool) -> tuple[bool, int]:
    """Like or unlike a photo or comment; idempotent. Returns (liked, like_count).

    Raises NotFound if the target was deleted meanwhile. Likes on one target queue on its row.
    """
    field = "photo" if isinstance(target, Photo) else "comment"
    model = type(target)
    lock_existing(model, target.pk, f"No such {field}.")
    if liked:
        try:
            with transaction.atomic():
                Like.objects.create(user=user, **{field: target})
            changed = 1
        except IntegrityError:
            changed = 0  # already liked
    else:
        deleted, _ = Like.objects.filter(user=user, **{field: target}).delete()
        changed = -deleted
    if changed:
        model.objects.filter(pk=target.pk).update(like_count=F("like_count") + changed)
        log_action("like.added" if liked else "like.removed", actor=user, obj=target)
    count = model.objects.filter(pk=target.pk).values_list("like_count", flat=True).first()
    return liked, count


def comments_of_author_remove(*, user, why: str) -> int:
    """The author's account is being deleted: each of their comments is deleted with its text
    cleared (a top-level one with replies stays in its thread as a placeholder, author
    withheld), and their permission decisions forget the openid. Returns the number."""
    with transaction.atomic():
        mine = Comment.objects.select_for_update().filter(author=user.pk)
        removed = mine.filter(deleted_at__isnull=True).count()
        mine.update(body="", deleted_at=timezone.now())
        PermissionDecision.objects.filter(user=user.pk).update(openid="")
        log_action("comment.author_removed", actor=None, obj=user, comments=removed, why=why)
    return removed


def likes_of_user_remove(*, user) -> int:
    """Take back every like the user gave (counts follow). Returns the number."""
    removed = 0
    for like in Like.objects.filter(user=user.pk).select_related("photo", "comment"):
        target = like.photo or like.comment
        try:
            with transaction.atomic():
                liked, _ = like_set(user=user, target=target, liked=False)
        except NotFound:
            continue
        removed += 1
    return removed


def on_photos_moved(sender, *, photo_ids, to_album_id, **kwargs) -> None:
    """Photos moved to another album take their comments (and replies) with them, so the
    comments are read, counted and permitted as the album's they are now in."""
    Comment.objects.filter(photo_id__in=photo_ids).update(album_id=to_album_id)

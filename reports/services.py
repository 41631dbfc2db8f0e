"""Reports: anyone may report what they can see; staff take the target down or dismiss.

A target is what a report names: (type, id). Reports of one target are decided together, so
staff's queue is one decision per target whatever the number of reporters.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as accounts
from accounts.models import User
from album import selectors as albums_read
from album import services as albums
from album.models import Album, Membership, Photo
from audit.services import log_action
from comments import selectors as comments_read
from comments import services as comments
from comments.models import Comment
from config.problems import Forbidden, Invalid, NotFound
from moderation import services as moderation
from reports.models import Report

Target = Report.Target


def target_get(*, user, target_type: str, target_id: int):
    """The target as the reporter may see it. Raises NotFound as reading it would."""
    if target_type == Target.PHOTO:
        return albums_read.photo_get(user=user, photo_id=target_id)
    if target_type == Target.COMMENT:
        return comments_read.comment_get(user=user, comment_id=target_id)
    if target_type == Target.ALBUM:
        return albums_read.album_get(user=user, album_id=target_id)
    # Someone the reporter has met: a fellow member of an album.
    person = User.objects.filter(pk=target_id, is_staff=False).first()
    if (
        person is None
        or not Membership.objects.filter(user=person, album__memberships__user=user).exists()
    ):
        raise NotFound("No such user.")
    if person.pk == user.pk:
        raise Invalid("target_id", _("You cannot report yourself."))
    return person


def _open_key(reporter_id: int, target_type: str, target_id: int) -> str:
    return f"{reporter_id}:{target_type}:{target_id}"


def report_create(*, reporter, target_type: str, target_id: int, reason: str,
                  detail: str = "") -> tuple[Report, bool]:  # fmt: skip
    """Report a target the reporter can see. Returns (report, created): a second report by
    the same person of a target they reported before, still open, is the same report.

    When REPORT_AUTO_HIDE_AT distinct people have open reports on a photo or comment, it is
    hidden from everyone but its author until staff decide.
    """
    target = target_get(user=reporter, target_type=target_type, target_id=target_id)
    detail = moderation.cleaned("detail", detail, moderation.REPORT_DETAIL)
    key = _open_key(reporter.pk, target_type, target_id)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, target_type=target_type, target_id=target_id, reason=reason,
                detail=detail, open_key=key,
            )  # fmt: skip
            log_action("report.created", actor=reporter, obj=report, target_type=target_type,
                       target_id=target_id, reason=reason)  # fmt: skip
    except IntegrityError:
        existing = Report.objects.filter(open_key=key).first()
        if existing is None:  # resolved meanwhile: report again
            return report_create(reporter=reporter, target_type=target_type,
                                 target_id=target_id, reason=reason, detail=detail)  # fmt: skip
        return existing, False
    _hide_if_reported_enough(target_type, target)
    return report, True


def _open_on(target_type: str, target_id: int):
    return Report.objects.filter(
        target_type=target_type, target_id=target_id, status=Report.Status.OPEN
    )


def _hide_if_reported_enough(target_type: str, target) -> None:
    threshold = settings.REPORT_AUTO_HIDE_AT
    if not threshold or target_type not in (Target.PHOTO, Target.COMMENT):
        return  # albums and people are never hidden without staff
    reporters = _open_on(target_type, target.pk).values("reporter").distinct().count()
    if reporters < threshold:
        return
    if target_type == Target.PHOTO:
        hidden = albums.photo_hold_reported(photo=target)
    else:
        hidden = target.hidden_at is None
        if hidden:
            comments.comment_set_hidden(comment=target, hidden=True, actor=None)
    if hidden:
        _open_on(target_type, target.pk).update(auto_hidden=True)


def _stored_target(target_type: str, target_id: int):
    model = {Target.PHOTO: Photo, Target.COMMENT: Comment, Target.ALBUM: Album,
             Target.USER: User}[target_type]  # fmt: skip
    return model.objects.filter(pk=target_id).first()


def reports_resolve(*, target_type: str, target_id: int, actor, uphold: bool,
                    resolution: str = "") -> int:  # fmt: skip
    """Staff's decision on every open report of one target. Upheld: the target is taken
    down (a photo rejected, a comment hidden, an album made private, a profile's nickname and
    avatar cleared). Dismissed: a target hidden by the reports alone is shown again. Returns
    the number of reports resolved."""
    if not actor.acts_as_staff:
        raise Forbidden("Only staff decide reports.")
    with transaction.atomic():
        reports = list(_open_on(target_type, target_id).select_for_update())
        if not reports:
            return 0
        target = _stored_target(target_type, target_id)
        if target is not None:
            if uphold:
                _take_down(target_type, target, actor)
            elif any(r.auto_hidden for r in reports):
                _show_again(target_type, target, actor)
        status = Report.Status.UPHELD if uphold else Report.Status.DISMISSED
        now = timezone.now()
        for report in reports:
            report.status, report.resolution = status, resolution
            report.resolved_at, report.resolved_by, report.open_key = now, actor, None
            report.save(update_fields=["status", "resolution", "resolved_at", "resolved_by",
                                       "open_key"])  # fmt: skip
        log_action(f"report.{status}", actor=actor, obj=reports[0], target_type=target_type,
                   target_id=target_id, reports=[r.pk for r in reports],
                   resolution=resolution)  # fmt: skip
    return len(reports)


def _take_down(target_type: str, target, actor) -> None:
    if target_type == Target.PHOTO:
        albums.photo_moderate(photo=target, actor=actor, approve=False)
    elif target_type == Target.COMMENT:
        comments.comment_set_hidden(comment=target, hidden=True, actor=actor)
    elif target_type == Target.ALBUM:
        albums.album_update(album=target, actor=actor, visibility="private")
    else:
        accounts.user_profile_clear(user=target, actor=actor, why="report upheld")


def _show_again(target_type: str, target, actor) -> None:
    if target_type == Target.PHOTO and target.review == Photo.Review.REVIEW:
        albums.photo_moderate(photo=target, actor=actor, approve=True)
    elif target_type == Target.COMMENT and target.hidden_at is not None:
        comments.comment_set_hidden(comment=target, hidden=False, actor=actor)

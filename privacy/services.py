"""A copy of one's data (PIPL art. 45) and deleting an account (art. 47).

Deleting an account: everything the person made or that names them goes,
what others made stays, and the threads they took part in still read in order.

`account_delete` runs in steps, each its own transaction and each a no-op when already done,
so a worker killed half-way is finished by the next run (the task's retry or the sweep); the
last step, anonymising the user row, marks the account deleted.
"""

import contextlib
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts import services as accounts
from accounts.models import User
from album import services as albums
from album.models import Album, Membership
from audit.services import actor_anonymise, log_action
from comments import services as comments
from config.locking import lock_existing
from config.problems import ApplicationError, NotFound
from idempotency.models import IdempotencyKey
from media import storage
from media import tasks as media_tasks
from outbox import services as outbox
from privacy import exports
from privacy.models import Export
from reports.models import Report
from shortlinks import services as links

logger = logging.getLogger(__name__)

DELETE_ACCOUNT = "privacy.delete_account"
BUILD_EXPORT = "privacy.build_export"
EXPORT_EVERY = timedelta(hours=24)  # one export per user in this time
EXPORT_URL_SECONDS = 24 * 3600  # a download link's life
EXPORT_KEPT = timedelta(days=7)  # a zip's life


class ExportTooSoon(ApplicationError):
    code = "throttled"
    default_detail = "One export a day: the last one is still recent."


def export_request(*, user) -> Export:
    """Start building the user's export (privacy.exports) on the task queue. Raises
    ExportTooSoon (429, Retry-After) within a day of the previous one."""
    with transaction.atomic():
        lock_existing(User, user.pk, "No such user.")
        last = Export.objects.filter(user=user.pk).order_by("-created_at").first()
        if last is not None and timezone.now() - last.created_at < EXPORT_EVERY:
            too_soon = ExportTooSoon()
            wait = EXPORT_EVERY - (timezone.now() - last.created_at)
            too_soon.retry_after = max(1, int(wait.total_seconds()))
            raise too_soon
        export = Export.objects.create(user=user)
        log_action("export.requested", actor=user, obj=export)
        outbox.enqueue(BUILD_EXPORT, export.pk)
    return export


def export_build(*, export_id: int) -> None:
    """Build and store the zip; safe to run again (a ready export is left as it is, a zip
    stored by a run that died before recording it is replaced and deleted)."""
    export = Export.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status == Export.Status.READY:
        return
    try:
        with exports.build(export.user) as zipped:
            size = zipped.tell()
            key = storage.put_file(f"{storage.new_stem('exports')}/wxalbum-export.zip", zipped)
    except Exception:
        Export.objects.filter(pk=export.pk, status=Export.Status.PREPARING).update(
            status=Export.Status.FAILED
        )
        raise
    with transaction.atomic():
        updated = (
            Export.objects.filter(pk=export.pk)
            .exclude(status=Export.Status.READY)
            .update(status=Export.Status.READY, key=key, size=size, ready_at=timezone.now())
        )
        if not updated:  # another run was first, or the account went meanwhile
            media_tasks.delete_after_commit([key])


def export_get(*, user, export_id: int) -> Export:
    """One of the user's exports; someone else's is NotFound."""
    export = Export.objects.filter(user=user.pk, pk=export_id).first()
    if export is None:
        raise NotFound("No such export.")
    return export


def export_link(export: Export) -> tuple[str | None, datetime | None]:
    """(url, expires_at) of a ready export's zip: a fresh link, valid 24 hours."""
    if export.status != Export.Status.READY:
        return None, None
    expires = min(timezone.now() + timedelta(seconds=EXPORT_URL_SECONDS),
                  export.ready_at + EXPORT_KEPT)  # fmt: skip
    return storage.private_url(export.key, EXPORT_URL_SECONDS), expires


def exports_prune(*, now=None) -> int:
    """Delete exports past their seven days, with their zips (after commit)."""
    old = Export.objects.filter(created_at__lt=(now or timezone.now()) - EXPORT_KEPT)
    return _exports_delete(old)


def _exports_delete(exports_) -> int:
    with transaction.atomic():
        keys = [key for key in exports_.values_list("key", flat=True) if key]
        count, _ = exports_.delete()
        media_tasks.delete_after_commit(keys)
    return count


def account_delete(*, user_id: int, why: str) -> bool:
    """Delete the account's data now. Returns False when there is nothing (left) to do."""
    user = User.objects.filter(pk=user_id, deleted_at__isnull=True).first()
    if user is None:
        return False
    for album in Album.objects.filter(owner=user.pk):
        with contextlib.suppress(NotFound):  # deleted meanwhile
            albums.album_delete(album=album, actor=user)
    albums.photos_of_uploader_delete(user=user, why=why)
    albums.uploads_of_user_delete(user=user)
    comments.likes_of_user_remove(user=user)
    comments.comments_of_author_remove(user=user, why=why)
    for membership in Membership.objects.filter(user=user.pk).select_related("album"):
        with contextlib.suppress(NotFound):
            albums.member_remove(album=membership.album, actor=user, user_id=user.pk)
    links.links_of_creator_delete(user=user)
    _exports_delete(Export.objects.filter(user=user.pk))
    with transaction.atomic():
        Report.objects.filter(reporter=user.pk).delete()
        IdempotencyKey.objects.filter(user=user.pk).delete()  # kept answers may name them
        actor_anonymise(user)
        accounts.user_anonymise(user=user)
    logger.info("account deleted", extra={"user_id": user.pk, "why": why})
    return True


def accounts_delete_due(*, now=None) -> int:
    """Delete every account whose deletion time has come (the scheduled sweep)."""
    due = User.objects.filter(
        deletion_at__lte=now or timezone.now(), deleted_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(account_delete(user_id=pk, why="deletion requested") for pk in list(due))


def on_authorization_changed(sender, *, event: str, openid: str, **kwargs) -> None:
    """WeChat says the user left (user_authorization_cancellation): the account is deleted at
    once, with no grace period, on the task queue."""
    if event != "user_authorization_cancellation":
        return
    user = User.objects.filter(openid=openid, deleted_at__isnull=True).first()
    if user is None:
        return
    with transaction.atomic():
        accounts.account_deletion_now(user=user)
        outbox.enqueue(DELETE_ACCOUNT, user.pk, "user_authorization_cancellation")

"""Deleting an account (PIPL art. 47): everything the person made or that names them goes,
what others made stays, and the threads they took part in still read in order.

`account_delete` runs in steps, each its own transaction and each a no-op when already done,
so a worker killed half-way is finished by the next run (the task's retry or the sweep); the
last step, anonymising the user row, marks the account deleted.
"""

import contextlib
import logging

from django.db import transaction
from django.utils import timezone

from accounts import services as accounts
from accounts.models import User
from album import services as albums
from album.models import Album, Membership
from audit.services import actor_anonymise
from comments import services as comments
from config.problems import NotFound
from idempotency.models import IdempotencyKey
from outbox import services as outbox
from reports.models import Report
from shortlinks import services as links

logger = logging.getLogger(__name__)

DELETE_ACCOUNT = "privacy.delete_account"


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

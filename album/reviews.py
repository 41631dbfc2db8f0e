"""Photo review: WeChat's media check, and what a photo's review state means for its album.

With PHOTO_CONTENT_CHECK=wechat a new photo is `pending`: only its uploader sees it. The task
queue sends it to WeChat (`media_check_async`, with the uploader's openid) and keeps the trace
id; the verdict comes back on the message push (wechat.views -> wechat.signals) as `pass`,
`risky` or `review`. Staff decide on `review` and `risky` photos in the admin, and their
decision (`approved`, `rejected`) wins over WeChat's. A photo with no verdict after
PHOTO_CHECK_TIMEOUT goes to staff (album.services.reviews_sweep), never to `pass`.

The album's `photo_count` and `cover` follow the photos others may see: `shown_changed` keeps
them so whenever a photo becomes visible or stops being visible.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from album.models import Album, Photo
from album.signals import album_changed
from audit.services import log_action
from config.locking import lock_existing
from media import storage
from moderation import media
from wechat import client as wechat

logger = logging.getLogger(__name__)

Review = Photo.Review
initial_state = media.initial_state

# The task that sends a ready photo to WeChat's media check (album.tasks).
CHECK_PHOTO = "album.check_photo"


def shown_changed(photo: Photo, *, was_shown: bool, now_shown: bool) -> None:
    """Count the photo in or out of its album, and give the album a cover others may see.

    Call inside the transaction that changes the photo, with the album's row locked.
    """
    if was_shown == now_shown:
        return
    album = Album.objects.only("pk", "cover_id").get(pk=photo.album_id)
    album.photo_count = F("photo_count") + (1 if now_shown else -1)
    if now_shown and album.cover_id is None:
        album.cover = photo
    elif not now_shown and album.cover_id == photo.pk:
        album.cover = (
            album.photos.filter(Photo.shown())
            .exclude(pk=photo.pk)
            .order_by("-created_at", "-id")
            .first()
        )
    album.save(update_fields=["photo_count", "cover"])
    album_changed.send(sender=Album, album_id=album.pk, access=False)  # the share pages' cover


def check_submit(*, photo_id: int) -> None:
    """Send a pending photo to WeChat's media check and keep the trace id.

    Does nothing for a photo already sent, decided or deleted, so running it twice is safe.
    Raises WeChatError when WeChat cannot take it now (the task retries; the sweep resends).
    """
    photo = (
        Photo.objects.select_related("uploader")
        .filter(pk=photo_id, review=Review.PENDING, check_trace_id="", state=Photo.State.READY)
        .first()
    )
    if photo is None:
        return
    openid = photo.uploader.openid if photo.uploader else ""
    if not openid:  # WeChat checks on behalf of a user; without one, people decide
        to_staff(photo_id=photo_id, reason="no openid to check it with")
        return
    trace_id = wechat.get_client().check_image_async(
        media_url=storage.public_url(photo.large.name),
        openid=openid,
        scene=settings.PHOTO_CHECK_SCENE,
        note=f"{photo.caption} {photo.held_caption}",  # WeChat never sees it (the sandbox does)
    )
    with transaction.atomic():
        sent = Photo.objects.filter(pk=photo_id, review=Review.PENDING, check_trace_id="").update(
            check_trace_id=trace_id, check_requested_at=timezone.now()
        )
        if sent:
            log_action("photo.check_requested", actor=None, obj=photo, trace_id=trace_id)


def check_verdict(*, trace_id: str, suggest, label) -> bool:
    """Apply WeChat's verdict to the photo it was about. Returns False for a trace id that is
    no photo's. The first verdict counts: a repeat (WeChat retries pushes) changes nothing,
    and a staff decision is never overridden. A verdict arriving after the photo timed out to
    staff review still counts, unless staff decided meanwhile."""
    if not trace_id:
        return False
    found = Photo.objects.filter(check_trace_id=trace_id).values("pk", "album_id").first()
    if found is None:
        return False
    if suggest not in media.WECHAT_VERDICTS:
        logger.warning("media check verdict not understood", extra={"trace_id": trace_id})
    with transaction.atomic():
        lock_existing(Album, found["album_id"], "No such album.")  # album, then photo
        photo = Photo.objects.select_for_update().filter(pk=found["pk"]).first()
        was_shown = photo is not None and photo.is_visible
        if photo is None or not media.apply_verdict(photo, suggest=suggest, label=label):
            return True
        log_action("photo.checked", actor=None, obj=photo, suggest=suggest, label=label,
                   trace_id=trace_id)  # fmt: skip
        shown_changed(photo, was_shown=was_shown, now_shown=photo.is_visible)
    return True


def to_staff(*, photo_id: int, reason: str) -> bool:
    """Move a pending photo to staff review (no verdict in time, or none possible)."""
    with transaction.atomic():
        moved = media.send_to_staff(Photo, photo_id)
        if moved:
            log_action("photo.review_requested", actor=None, obj=Photo(pk=photo_id),
                       reason=reason)  # fmt: skip
    return bool(moved)


def on_media_check_verdict(sender, *, trace_id, suggest, label, **kwargs) -> bool:
    """The receiver of wechat.signals.media_check_verdict (connected in AlbumConfig.ready)."""
    return check_verdict(trace_id=trace_id, suggest=suggest, label=label)

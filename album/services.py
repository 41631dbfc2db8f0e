"""Business rules for albums, members, photos and uploads.

Objects on storage are written before the database row that points to them and deleted only
after the transaction that drops that row commits, so a failure never leaves a photo without
its files, and a rollback never deletes files a photo still needs.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from album import access, images, storage
from album.models import Album, Membership, Photo, Upload
from album.selectors import role_in
from config.locking import lock_existing
from config.problems import ApplicationError, Gone, NotFound

logger = logging.getLogger(__name__)

ALLOWED_UPLOAD_TYPES = {content_type for content_type, _ in images.FORMATS.values()}


class UploadMissing(ApplicationError):
    code = "upload_missing"
    default_detail = "Nothing was uploaded with this ticket yet; post the file first."


# --- Albums ---------------------------------------------------------------------------------


@transaction.atomic
def album_create(*, owner, title: str, description: str = "", visibility: str) -> Album:
    album = Album(owner=owner, title=title, description=description, visibility=visibility)
    album.full_clean()
    album.save()
    Membership.objects.create(album=album, user=owner, role=Membership.Role.OWNER)
    album.my_role = Membership.Role.OWNER
    return album


@transaction.atomic
def album_update(*, album: Album, actor, **changes) -> Album:
    """Raises NotFound or Forbidden unless the actor owns the album."""
    access.require_owner(album, actor, role_in(album, actor), "edit it")
    lock_existing(Album, album.pk, "No such album.")
    fields = [field for field in ("title", "description", "visibility") if field in changes]
    for field in fields:
        setattr(album, field, changes[field])
    album.full_clean(exclude=["owner", "cover"])
    album.save(update_fields=[*fields, "updated_at"])
    return album


@transaction.atomic
def album_delete(*, album: Album, actor) -> None:
    """Delete the album with its photos, then (after commit) exactly their objects."""
    access.require_owner(album, actor, role_in(album, actor), "delete it")
    album = Album.objects.select_for_update().get(pk=album.pk)
    keys = [key for photo in album.photos.all() for key in photo.object_keys]
    keys += list(album.uploads.filter(completed_at__isnull=True).values_list("key", flat=True))
    album.delete()
    transaction.on_commit(lambda: storage.delete(keys))


# --- Members --------------------------------------------------------------------------------


@transaction.atomic
def member_remove(*, album: Album, actor, user_id: int) -> None:
    """The owner removes a member, or a member leaves. The owner cannot leave."""
    role = role_in(album, actor)
    access.require_view(album, actor, role)
    membership = album.memberships.filter(user_id=user_id).first()
    if membership is None:
        raise NotFound("No such member.")
    if membership.role == Membership.Role.OWNER:
        raise ApplicationError(
            "The owner cannot leave the album; delete it instead.", code="owner_cannot_leave"
        )
    if actor.pk != user_id:
        access.require_owner(album, actor, role, "remove members")
    membership.delete()


@transaction.atomic
def member_join(*, album: Album, user, role: str, via_link_id: int | None = None) -> Membership:
    """Make the user a member with at least this role; a higher role they hold is kept."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        album=album, user=user, defaults={"role": role, "via_link_id": via_link_id}
    )
    if not created and not access.has_at_least(membership.role, role):
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


# --- Photos ---------------------------------------------------------------------------------


def _process(data: bytes) -> images.ProcessedImage:
    return images.process(
        data, max_pixels=settings.PHOTO_MAX_PIXELS, max_bytes=settings.PHOTO_MAX_BYTES
    )


def _store(processed: images.ProcessedImage) -> dict[str, str]:
    stem = storage.new_stem("photos")
    stored: dict[str, str] = {}
    try:
        for name in ("original", "large", "thumb"):
            rendition = getattr(processed, name)
            stored[name] = storage.put(f"{stem}/{name}.{rendition.extension}", rendition.data)
    except Exception:
        storage.delete(stored.values())
        raise
    return stored


def _photo_insert(*, album: Album, uploader, processed, keys: dict[str, str], caption: str):
    """The photo row for stored renditions; call inside a transaction."""
    photo = Photo(
        album=album,
        uploader=uploader,
        original=keys["original"],
        large=keys["large"],
        thumb=keys["thumb"],
        width=processed.width,
        height=processed.height,
        bytes=len(processed.original.data),
        sha256=processed.sha256,
        content_type=processed.original.content_type,
        caption=caption,
        taken_at=processed.taken_at,
    )
    photo.full_clean()
    photo.save()
    Album.objects.filter(pk=album.pk).update(photo_count=F("photo_count") + 1)
    Album.objects.filter(pk=album.pk, cover__isnull=True).update(cover=photo)
    return photo


def photo_upload(*, album: Album, uploader, data: bytes, caption: str = "") -> Photo:
    """Check, clean and store one photo. Raises the album.images errors for bad files."""
    access.require_upload(album, uploader, role_in(album, uploader))
    processed = _process(data)
    # Files first, row second: the slow part holds no lock, and a failed insert removes them.
    keys = _store(processed)
    try:
        with transaction.atomic():
            return _photo_insert(
                album=album, uploader=uploader, processed=processed, keys=keys, caption=caption
            )
    except Exception:
        storage.delete(keys.values())
        raise


@transaction.atomic
def photo_update(*, photo: Photo, actor, caption: str) -> Photo:
    access.require_photo_change(photo, actor, role_in(photo.album, actor))
    lock_existing(Photo, photo.pk, "No such photo.")
    photo.caption = caption
    photo.full_clean(exclude=["album", "uploader"])
    photo.save(update_fields=["caption"])
    return photo


@transaction.atomic
def photo_delete(*, photo: Photo, actor) -> None:
    """Delete a photo, and after commit exactly its three objects."""
    access.require_photo_change(photo, actor, role_in(photo.album, actor))
    album = Album.objects.select_for_update().get(pk=photo.album_id)
    keys, photo_id = photo.object_keys, photo.pk
    photo.delete()
    album.photo_count = F("photo_count") - 1
    if album.cover_id in (None, photo_id):
        album.cover = album.photos.order_by("-created_at", "-id").first()
    album.save(update_fields=["photo_count", "cover"])
    transaction.on_commit(lambda: storage.delete(keys))


# --- Direct uploads -------------------------------------------------------------------------


@transaction.atomic
def upload_create(
    *, album: Album, user, filename: str, content_type: str, local_url: str
) -> tuple[Upload, storage.UploadTicket]:
    """A ticket to post one file straight to storage. Raises UnsupportedImage for other types."""
    access.require_upload(album, user, role_in(album, user))
    if content_type not in ALLOWED_UPLOAD_TYPES:
        raise images.UnsupportedImage("Only image/jpeg, image/png and image/webp are accepted.")
    lock_existing(Album, album.pk, "No such album.")
    upload = Upload(
        album=album,
        user=user,
        key=storage.new_stem("uploads"),
        filename=filename[:255],
        content_type=content_type,
        expires_at=timezone.now() + settings.UPLOAD_TICKET_TTL,
    )
    upload.save()
    ticket = storage.upload_ticket(
        key=upload.key,
        content_type=content_type,
        max_bytes=settings.PHOTO_MAX_BYTES,
        expires_in=settings.UPLOAD_TICKET_TTL,
        local_url=local_url,
    )
    return upload, ticket


def upload_receive_local(*, policy: str, key: str, content_type: str, data: bytes) -> None:
    """The local-storage stand-in for an S3 presigned POST.

    Raises Forbidden for a bad or expired ticket, FileTooLarge past the ticket's limit.
    """
    try:
        max_bytes = storage.read_local_policy(policy=policy, key=key, content_type=content_type)
    except storage.TicketInvalid as exc:
        raise ApplicationError(str(exc), code="upload_ticket_invalid") from exc
    images.check_size(len(data), max_bytes)
    storage.put_upload(key, data)


def upload_complete(*, upload_id, user) -> tuple[Photo, bool]:
    """Turn an uploaded object into a photo. Completing again returns the same photo.

    Returns (photo, created). Raises NotFound for someone else's upload, Gone when the ticket
    has lapsed or its photo was deleted, UploadMissing before the file arrived, and the
    album.images errors for a bad file.
    """
    upload = Upload.objects.select_related("album", "photo").filter(pk=upload_id, user=user.pk)
    upload = upload.first()
    if upload is None:
        raise NotFound("No such upload.")
    if upload.completed_at:
        return _completed_photo(upload), False
    access.require_upload(upload.album, user, role_in(upload.album, user))
    if timezone.now() > upload.expires_at + settings.UPLOAD_COMPLETE_GRACE:
        raise Gone("This upload ticket has expired; ask for a new one.", code="upload_expired")
    if not storage.exists(upload.key):
        raise UploadMissing()

    # The pipeline and the storage writes run outside any transaction; the row lock below
    # settles a race between two completes of the same upload.
    processed = _process(storage.read(upload.key, limit=settings.PHOTO_MAX_BYTES))
    keys = _store(processed)
    try:
        with transaction.atomic():
            locked = (
                Upload.objects.select_for_update(of=("self",))
                .select_related("photo")
                .get(pk=upload.pk)
            )
            if locked.completed_at:
                transaction.on_commit(lambda: storage.delete(keys.values()))
                return _completed_photo(locked), False
            photo = _photo_insert(
                album=upload.album,
                uploader=user,
                processed=processed,
                keys=keys,
                caption=upload.caption,
            )
            locked.photo = photo
            locked.completed_at = timezone.now()
            locked.save(update_fields=["photo", "completed_at"])
            transaction.on_commit(lambda: storage.delete([upload.key]))
    except Exception:
        storage.delete(keys.values())
        raise
    return photo, True


def _completed_photo(upload: Upload) -> Photo:
    if upload.photo is None:
        raise Gone("The photo made from this upload was deleted.", code="photo_deleted")
    return upload.photo


def uploads_cleanup(*, now=None) -> int:
    """Remove lapsed uploads that never became photos, and their raw objects; old tickets too."""
    now = now or timezone.now()
    lapsed = Upload.objects.filter(
        completed_at__isnull=True, expires_at__lt=now - settings.UPLOAD_COMPLETE_GRACE
    )
    removed = 0
    for upload in lapsed.iterator():
        storage.delete([upload.key])
        upload.delete()
        removed += 1
    Upload.objects.filter(completed_at__lt=now - timedelta(days=7)).delete()
    return removed

"""Business rules for albums, members, photos and uploads.

Objects on storage are written before the database row that points to them and deleted only
after the transaction that drops that row commits, so a failure never leaves a photo without
its files, and a rollback never deletes files a photo still needs.
"""

import contextlib
import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from album import access, reviews
from album.models import Album, Membership, Photo, Removal, Upload
from album.selectors import photo_get, photos_of, role_in, shown_to
from album.signals import album_changed, photos_moved
from audit.services import changes as changed
from audit.services import log_action, snapshot
from config.locking import lock_existing
from config.problems import ApplicationError, Forbidden, Gone, Invalid, NotFound, require_match
from media import images, processing, storage
from media import tasks as media_tasks
from moderation import media as check_media
from moderation import services as moderation
from outbox import selectors as outbox_selectors
from outbox import services as outbox

logger = logging.getLogger(__name__)

ALLOWED_UPLOAD_TYPES = {content_type for content_type, _ in images.FORMATS.values()}


# The task that makes an accepted photo's renditions (album.tasks).
DERIVE_PHOTO = "album.derive_photo"


class UploadMissing(ApplicationError):
    code = "upload_missing"
    default_detail = "Nothing was uploaded with this ticket yet; post the file first."


# --- Albums ---------------------------------------------------------------------------------


def _album_changed(album_id: int, *, access: bool) -> None:
    """Tell whoever caches something about the album (its share links). With `access`, who
    may see it changed: a receiver that cannot take note now refuses the change (503)."""
    album_changed.send(sender=Album, album_id=album_id, access=access)


ALBUM_TEXTS = ("title", "description")


def _album_texts(author, changes: dict) -> dict:
    kinds = {"title": moderation.TITLE, "description": moderation.DESCRIPTION}
    return moderation.checked(
        author=author,
        fields={name: (changes[name], kinds[name]) for name in kinds if name in changes},
    )


def album_create(*, owner, title: str, description: str = "", visibility: str, actor=None) -> Album:
    """A new album and its owner's membership. `actor` is who made it: the owner, or staff.

    Its title and description go through the content check first (moderation.services): a
    held title leaves the album untitled for everyone but its owner until staff approve it.
    """
    texts = _album_texts(actor or owner, {"title": title, "description": description})
    with transaction.atomic():
        album = Album(owner=owner, visibility=visibility)
        moderation.apply(album, texts)
        album.full_clean()
        album.save()
        Membership.objects.create(album=album, user=owner, role=Membership.Role.OWNER)
        log_action("album.created", actor=actor or owner, obj=album, owner_id=owner.pk,
                   title=texts["title"][0], visibility=visibility,
                   held=moderation.held_fields(album, ALBUM_TEXTS))  # fmt: skip
    album.my_role = Membership.Role.OWNER
    return album


def album_update(*, album: Album, actor, if_match: str | None = None, **changes) -> Album:
    """Change title, description, visibility or cover (a photo of this album).

    Raises NotFound or Forbidden unless the actor owns the album (or is staff), Invalid for a
    cover from elsewhere or a bad text, ContentRejected for a risky one, PreconditionFailed
    when `if_match` is not the album's current tag.
    """
    access.require_owner(album, actor, role_in(album, actor), "edit it")
    texts = _album_texts(actor, changes)  # WeChat is asked before any lock is taken
    with transaction.atomic():
        lock_existing(Album, album.pk, "No such album.")
        fields = ["title", "description", "held_title", "held_description", "visibility",
                  "cover"]  # fmt: skip
        album.refresh_from_db(fields=fields)
        require_match(if_match, album)
        cover = changes.get("cover")
        if cover is not None and (cover.album_id != album.pk or not cover.is_visible):
            raise Invalid(
                "cover", gettext("The cover must be a photo of this album that members can see.")
            )
        before = snapshot(album, fields)
        moderation.apply(album, texts)
        for field in ("visibility", "cover"):
            if field in changes:
                setattr(album, field, changes[field])
        album.full_clean(exclude=["owner", "cover"])
        album.save(update_fields=[*fields, "updated_at"])
        logged = changed(before, snapshot(album, fields))
        log_action("album.updated", actor=actor, obj=album, changes=logged)
        _album_changed(album.pk, access="visibility" in logged)
    return album


@transaction.atomic
def album_texts_moderate(*, album: Album, actor, approve: bool) -> Album:
    """Staff approve the album's held title and description (everyone sees them) or reject
    them (everyone keeps seeing what they saw)."""
    if not access.is_operator(actor):
        raise Forbidden("Only staff moderate albums.")
    lock_existing(Album, album.pk, "No such album.")
    album.refresh_from_db(fields=["title", "description", "held_title", "held_description"])
    logged = moderation.release(album, ALBUM_TEXTS, approve=approve)
    if logged:
        album.save(update_fields=["title", "description", "held_title", "held_description",
                                  "updated_at"])  # fmt: skip
        log_action("album.texts_approved" if approve else "album.texts_rejected", actor=actor,
                   obj=album, changes=logged)  # fmt: skip
        _album_changed(album.pk, access=False)
    return album


@transaction.atomic
def album_delete(*, album: Album, actor, if_match: str | None = None) -> None:
    """Delete the album with its photos, then (after commit) exactly their objects. Raises
    PreconditionFailed when `if_match` is not the album's current tag."""
    access.require_owner(album, actor, role_in(album, actor), "delete it")
    album = Album.objects.select_for_update().filter(pk=album.pk).first()
    if album is None:
        raise NotFound("No such album.")
    require_match(if_match, album)
    keys = [key for photo in album.photos.all() for key in photo.object_keys]
    keys += list(album.uploads.filter(completed_at__isnull=True).values_list("key", flat=True))
    log_action("album.deleted", actor=actor, obj=album, title=album.title,
               owner_id=album.owner_id, photos=album.photo_count)  # fmt: skip
    _album_changed(album.pk, access=True)
    album.delete()
    media_tasks.delete_after_commit(keys)


# --- Members --------------------------------------------------------------------------------


JOINABLE_ROLES = {Membership.Role.VIEWER, Membership.Role.CONTRIBUTOR}


@transaction.atomic
def member_remove(*, album: Album, actor, user_id: int) -> None:
    """The owner (or staff) removes a member, or a member leaves. The owner cannot leave.

    A removal is remembered: share links made before it no longer let that user back in.
    """
    role = role_in(album, actor)
    access.require_view(album, actor, role)
    membership = album.memberships.select_for_update().filter(user_id=user_id).first()
    if membership is None:
        raise NotFound("No such member.")
    if membership.role == Membership.Role.OWNER:
        raise ApplicationError(
            "The owner cannot leave the album; delete it instead.", code="owner_cannot_leave"
        )
    leaving = actor.pk == user_id
    if not leaving:
        access.require_owner(album, actor, role, "remove members")
        Removal.objects.update_or_create(
            album=album, user_id=user_id,
            defaults={"removed_at": timezone.now(), "removed_by": actor},
        )  # fmt: skip
    membership.delete()
    log_action("membership.left" if leaving else "membership.removed", actor=actor, obj=album,
               user_id=user_id, role=membership.role)  # fmt: skip


class OwnerRoleFixed(ApplicationError):
    code = "owner_role_fixed"
    default_detail = "The owner's role never changes; members are viewers or contributors."


@transaction.atomic
def member_role_set(*, album: Album, actor, user_id: int, role: str,
                    if_match: str | None = None) -> Membership:  # fmt: skip
    """The owner (or staff) makes a member a viewer or a contributor; the next request the
    member makes has the new role. Nobody becomes owner and the owner stays one
    (OwnerRoleFixed). Raises Invalid for another role, NotFound for someone not a member,
    PreconditionFailed when `if_match` is not the membership's current tag. Roles are read
    from the database on every request, so nothing cached needs forgetting."""
    if role not in JOINABLE_ROLES:
        raise Invalid("role", gettext("A member joins as a viewer or a contributor."))
    access.require_owner(album, actor, role_in(album, actor), "change members' roles")
    lock_existing(Album, album.pk, "No such album.")
    membership = (album.memberships.select_for_update().select_related("user")
                  .filter(user_id=user_id).first())  # fmt: skip
    if membership is None:
        raise NotFound("No such member.")
    require_match(if_match, membership)
    if membership.role == Membership.Role.OWNER:
        raise OwnerRoleFixed()
    if membership.role != role:
        log_action("membership.role_changed", actor=actor, obj=album, user_id=user_id,
                   role=[membership.role, role])  # fmt: skip
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


class RemovedFromAlbum(Forbidden):
    code = "removed_from_album"
    default_detail = (
        "The album's owner removed you; this link no longer lets you in. Ask them for a new one."
    )


@transaction.atomic
def member_join(
    *, album: Album, user, role: str, via_link_id: int | None = None, link_created_at=None
) -> Membership:
    """Make the user a member with at least this role; a higher role they hold is kept.

    Joining through a link made before the owner last removed this user raises
    RemovedFromAlbum, even after a later link (a new invitation) let them back in: the removal
    stays attached to every link made before it, whatever role those links grant. Raises
    Invalid for a role other than viewer or contributor.
    """
    if role not in JOINABLE_ROLES:
        raise Invalid("role", gettext("A member joins as a viewer or a contributor."))
    lock_existing(Album, album.pk, "No such album.")
    removal = Removal.objects.filter(album=album, user=user).first()
    if (removal is not None and link_created_at is not None
            and link_created_at <= removal.removed_at):  # fmt: skip
        raise RemovedFromAlbum()
    membership, created = Membership.objects.select_for_update().get_or_create(
        album=album, user=user, defaults={"role": role, "via_link_id": via_link_id}
    )
    if created:
        log_action("membership.joined", actor=user, obj=album, user_id=user.pk, role=role,
                   via_link_id=via_link_id)  # fmt: skip
    elif not access.has_at_least(membership.role, role):
        log_action("membership.role_changed", actor=user, obj=album, user_id=user.pk,
                   role=[membership.role, role], via_link_id=via_link_id)  # fmt: skip
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


# --- Photos ---------------------------------------------------------------------------------


def _photo_insert(
    *,
    album: Album,
    uploader,
    inspected: images.Inspected,
    source: str,
    size: int,
    caption: tuple[str, str],
    sha1: str | None = None,
    **log_data,
):
    """The row of an accepted photo whose bytes are stored at `source`, `processing` until
    its derive task (in the outbox, with the row) makes the renditions; call inside a
    transaction. `caption` is checked: (text, moderation.SHOWN or HELD).

    Raises NotFound when the album was deleted while the file was being stored.
    """
    lock_existing(Album, album.pk, "No such album.")
    photo = Photo(
        album=album,
        uploader=uploader,
        state=Photo.State.PROCESSING,
        source=source,
        width=inspected.width,
        height=inspected.height,
        bytes=size,
        sha1=sha1,
        content_type=inspected.content_type,
        taken_at=inspected.taken_at,
        shot_at=inspected.taken_at or timezone.now(),
        review=reviews.initial_state(),
    )
    moderation.apply(photo, {"caption": caption})
    photo.full_clean()
    photo.save()
    log_action("photo.created", actor=uploader, obj=photo, album_id=album.pk, bytes=size,
               review=photo.review, **log_data)  # fmt: skip
    outbox.enqueue(DERIVE_PHOTO, photo.pk)
    return photo


def _as_it_is_now(photo: Photo) -> Photo:
    """The photo as stored once its transaction committed: already ready where the derive ran
    in this process (no broker), or derived by a worker that was quick. As it was made, if it
    is gone already (its album deleted meanwhile, say)."""
    with contextlib.suppress(Photo.DoesNotExist):
        photo.refresh_from_db()
    return photo


def _checked_caption(author, caption: str) -> tuple[str, str]:
    return moderation.check(author=author, name="caption", value=caption,
                            kind=moderation.CAPTION)  # fmt: skip


def photo_upload(*, album: Album, uploader, data: bytes, caption: str = "") -> Photo:
    """photo_upload_once(), for callers that do not ask whether the file was new."""
    return photo_upload_once(album=album, uploader=uploader, data=data, caption=caption)[0]


def photo_upload_once(*, album: Album, uploader, data: bytes, caption: str = "",
                      sha1: str | None = None) -> tuple[Photo, bool]:  # fmt: skip
    """Accept one photo: checked as an image from its headers (type, size, pixel caps, the
    decode bound), stored as sent, and answered `processing`; its renditions are made on the
    task queue (photo_derive). Unless the album already holds this file (by its SHA-1) among
    the photos the uploader sees: then that photo, unchanged. Returns (photo, created).
    Raises Invalid when the client's `sha1` is not the file's, the media.images errors for a
    bad header, and the content check's for a bad or risky caption (checked first)."""
    access.require_upload(album, uploader, role_in(album, uploader))
    digest = _sha1_of(data, sha1)
    if (same := _same_file(album, uploader, digest)) is not None:
        return same, False
    caption = _checked_caption(uploader, caption)
    inspected = processing.inspected(data)
    # The bytes first, the row second: a failed insert removes them.
    source = storage.put(f"{storage.new_stem('uploads')}/source", data)
    try:
        with _files_kept_if_committed([source]):
            photo = _photo_insert(album=album, uploader=uploader, inspected=inspected,
                                  source=source, size=len(data), caption=caption,
                                  sha1=digest)  # fmt: skip
    except IntegrityError:
        # The same uploader's same file, inserted by a request that raced this one.
        if (same := _same_file(album, uploader, digest)) is None:
            raise
        return same, False
    return _as_it_is_now(photo), True


def _sha1_of(data: bytes, claimed: str | None) -> str:
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324 (an identity for the file, as WeChat gives it)
    if claimed and claimed.lower() != digest:
        raise Invalid("sha1", gettext("This is not the SHA-1 of the file sent."))
    return digest


def _same_file(album: Album, user, digest: str) -> Photo | None:
    """A photo of the album with these bytes that the user sees, as photos_of shows it."""
    return photos_of(album, user).filter(sha1=digest).order_by("id").first()


def photos_known(*, album: Album, user, sha1s: list[str]) -> dict[str, int]:
    """Which of these SHA-1s the album holds among the photos the user sees: sha1 -> id."""
    wanted = {digest.lower() for digest in sha1s}
    found = album.photos.filter(shown_to(user), sha1__in=wanted).order_by("-id")
    return dict(found.values_list("sha1", "id"))


@contextlib.contextmanager
def _files_kept_if_committed(keys):
    """A transaction for the row that points to stored `keys`: the files are deleted when it
    rolls back, and kept when the failure came at or after its end, where the row may well
    have been committed (a photo must never lose its files; an orphan file is only space)."""
    ended = False
    try:
        with transaction.atomic():
            yield
            ended = True
    except BaseException:
        if not ended:
            media_tasks.delete_now_or_later(keys)
        raise


# --- Derivatives ----------------------------------------------------------------------------

# What a file whose header passed can still turn out to be when its pixels are decoded.
DERIVE_FAILURES = (images.UnsupportedImage, images.ImageTooLarge, images.ImageTooComplex,
                   images.FileTooLarge)  # fmt: skip


class PhotoMovedMeanwhile(Exception):
    """The photo changed album while its renditions were made: the task runs again."""


def _store(processed: images.ProcessedImage) -> dict[str, str]:
    renditions = {name: getattr(processed, name) for name in ("original", "large", "thumb")}
    return media_tasks.put_all("photos", {
        name: (f"{name}.{rendition.extension}", rendition.data)
        for name, rendition in renditions.items()
    })  # fmt: skip


def photo_derive(*, photo_id: int) -> str:
    """Make a processing photo's renditions (the cleaned original, large, thumb) from its
    source, within this process's image slots; then it is `ready`: counted, a cover, sent to
    the content check where that is on. A file whose pixels cannot be decoded within the
    limits ends `failed` with the problem's code. The system's act; safe to run twice (a
    photo no longer processing, or deleted, is left alone). Raises processing.Busy when no
    slot came free in time, and storage's errors when it is down (the task runs again).
    Returns what became of the photo: "ready", "failed" or "skipped"."""
    photo = Photo.objects.filter(pk=photo_id, state=Photo.State.PROCESSING).first()
    if photo is None:
        return "skipped"
    if not storage.exists(photo.source):
        return _photo_failed(photo_id, "source_missing")
    data = storage.read(photo.source, limit=settings.PHOTO_MAX_BYTES)
    if _sha1_of(data, None) != photo.sha1:  # a ticket's file posted again
        return _photo_failed(photo_id, "source_changed")
    try:
        processed = processing.processed(images.process, data)
    except DERIVE_FAILURES as exc:
        return _photo_failed(photo_id, exc.code)
    # Files first, row second, as for every photo: a failure to save the row removes them.
    keys = _store(processed)
    with _files_kept_if_committed(keys.values()):
        try:
            lock_existing(Album, photo.album_id, "No such album.")
        except NotFound:  # deleted with its album meanwhile
            media_tasks.delete_after_commit(keys.values())
            return "skipped"
        current = Photo.objects.select_for_update().filter(pk=photo_id).first()
        if current is None or current.state != Photo.State.PROCESSING:
            media_tasks.delete_after_commit(keys.values())  # deleted, or derived meanwhile
            return "skipped"
        if current.album_id != photo.album_id:
            raise PhotoMovedMeanwhile()  # rolled back: its files go, and the task runs again
        source = current.source
        for name in ("original", "large", "thumb"):
            setattr(current, name, keys[name])
        current.width, current.height = processed.width, processed.height
        current.bytes = len(processed.original.data)
        current.sha256 = processed.sha256  # of the bytes sent, as the SHA-1 (kept from upload)
        current.content_type = processed.original.content_type
        current.taken_at = processed.taken_at
        current.shot_at = processed.taken_at or current.created_at
        current.state, current.source = Photo.State.READY, ""
        current.save(update_fields=["original", "large", "thumb", "width", "height", "bytes",
                                    "sha256", "content_type", "taken_at", "shot_at",
                                    "state", "source"])  # fmt: skip
        log_action("photo.ready", actor=None, obj=current, album_id=current.album_id,
                   bytes=current.bytes)  # fmt: skip
        reviews.shown_changed(current, was_shown=False, now_shown=current.is_visible)
        if current.review == Photo.Review.PENDING:
            outbox.enqueue(reviews.CHECK_PHOTO, current.pk)
        media_tasks.delete_after_commit([source])
    return "ready"


@transaction.atomic
def _photo_failed(photo_id: int, failure: str) -> str:
    """A processing photo whose renditions cannot be made: `failed` with why, shown to its
    uploader only (it never was to anyone else), its source deleted after commit; cleanup
    deletes the photo after PHOTO_FAILED_RETENTION."""
    photo = (Photo.objects.select_for_update()
             .filter(pk=photo_id, state=Photo.State.PROCESSING).first())  # fmt: skip
    if photo is None:
        return "skipped"
    source = photo.source
    photo.state, photo.failure, photo.source = Photo.State.FAILED, failure, ""
    photo.save(update_fields=["state", "failure", "source"])
    log_action("photo.failed", actor=None, obj=photo, album_id=photo.album_id, failure=failure)
    media_tasks.delete_after_commit([source])
    return "failed"


def photos_cleanup(*, now=None) -> dict[str, int]:
    """The scheduled part of the photo lifecycle (`manage.py cleanup_uploads`): a photo still
    processing after PHOTO_PROCESSING_TIMEOUT whose derive task is no longer waiting in the
    outbox (it failed there) is failed; failed photos are deleted, with their objects, after
    PHOTO_FAILED_RETENTION."""
    now = now or timezone.now()
    waiting = {args[0] for args in outbox_selectors.waiting_args(DERIVE_PHOTO) if args}
    stuck = Photo.objects.filter(
        state=Photo.State.PROCESSING, created_at__lt=now - settings.PHOTO_PROCESSING_TIMEOUT
    )
    failed = sum(
        _photo_failed(pk, "processing_failed") == "failed"
        for pk in stuck.values_list("pk", flat=True).iterator()
        if pk not in waiting
    )
    expired = Photo.objects.filter(
        state=Photo.State.FAILED, created_at__lt=now - settings.PHOTO_FAILED_RETENTION
    )
    deleted = 0
    for photo in expired.iterator():
        try:
            with transaction.atomic():
                log_action("photo.purged", actor=None, obj=photo, album_id=photo.album_id,
                           uploader_id=photo.uploader_id, failure=photo.failure)  # fmt: skip
                _photo_remove(photo)
            deleted += 1
        except NotFound:
            continue  # deleted meanwhile
    return {"failed": failed, "deleted": deleted}


PHOTO_TEXTS = ("caption",)


def photo_update(
    *, photo: Photo, actor, caption: str | None = None, if_match: str | None = None
) -> Photo:
    """Change the caption (None: nothing to change, a PATCH without fields). Raises
    NotFound, Forbidden, the content check's errors, or PreconditionFailed for a stale
    `if_match`."""
    access.require_photo_change(photo, actor, role_in(photo.album, actor))
    checked = _checked_caption(actor, caption) if caption is not None else None
    with transaction.atomic():
        lock_existing(Photo, photo.pk, "No such photo.")
        photo.refresh_from_db(fields=["caption", "held_caption"])
        require_match(if_match, photo)
        if checked is None:
            return photo
        before = snapshot(photo, ["caption", "held_caption"])
        fields = moderation.apply(photo, {"caption": checked})
        photo.full_clean(exclude=["album", "uploader"])
        photo.save(update_fields=fields)
        after = snapshot(photo, ["caption", "held_caption"])
        log_action("photo.updated", actor=actor, obj=photo, changes=changed(before, after))
    return photo


@transaction.atomic
def photo_texts_moderate(*, photo: Photo, actor, approve: bool) -> Photo:
    """Staff approve a photo's held caption (everyone sees it) or reject it."""
    if not access.is_operator(actor):
        raise Forbidden("Only staff moderate photos.")
    lock_existing(Photo, photo.pk, "No such photo.")
    photo.refresh_from_db(fields=["caption", "held_caption"])
    logged = moderation.release(photo, PHOTO_TEXTS, approve=approve)
    if logged:
        photo.save(update_fields=["caption", "held_caption"])
        log_action("photo.caption_approved" if approve else "photo.caption_rejected",
                   actor=actor, obj=photo, changes=logged)  # fmt: skip
    return photo


@transaction.atomic
def photo_delete(*, photo: Photo, actor, if_match: str | None = None) -> None:
    """Delete a photo, and after commit exactly its three objects. Raises PreconditionFailed
    when `if_match` is not the photo's current tag."""
    access.require_photo_change(photo, actor, role_in(photo.album, actor))
    log_action("photo.deleted", actor=actor, obj=photo, album_id=photo.album_id,
               uploader_id=photo.uploader_id)  # fmt: skip
    _photo_remove(photo, if_match=if_match)  # rolls the entry back when already gone


SELECTION_MAX = 100  # photos one selection request acts on


@transaction.atomic
def photos_delete(*, album: Album, actor, ids: list[int]) -> dict[int, str]:
    """Delete a selection of the album's photos at once, or none of them: when any is not
    the actor's to delete (not their upload, and not their album), Forbidden names those in
    `refused` and nothing changes. Returns, per id, "deleted", or "not_found" for one the
    actor does not see in the album (deleted already, by a retry of this request, or never
    there). Each deletion is its own entry in the activity log."""
    access.require_view(album, actor, role_in(album, actor))
    wanted = list(dict.fromkeys(ids))
    lock_existing(Album, album.pk, "No such album.")
    photos = list(album.photos.filter(shown_to(actor), pk__in=wanted).select_related("album"))
    refused = [photo.pk for photo in photos if not access.can_change_photo(photo, actor)]
    if refused:
        raise Forbidden("Some of these photos are not yours to delete; none was deleted.",
                        extra={"refused": sorted(refused)})  # fmt: skip
    deleted = {photo.pk for photo in photos}  # before: a deleted instance has no pk
    for photo in photos:
        log_action("photo.deleted", actor=actor, obj=photo, album_id=album.pk,
                   uploader_id=photo.uploader_id, selection=len(photos))  # fmt: skip
        _photo_remove(photo)
    return {pk: "deleted" if pk in deleted else "not_found" for pk in wanted}


@transaction.atomic
def photos_move(*, actor, ids: list[int], to_album: Album) -> dict[int, str]:
    """Move a selection of photos (from any albums the actor may change them in) to an album
    the actor may add photos to, or none of them: when any is not the actor's to change,
    Forbidden names those in `refused` and nothing moves. Returns, per id, "moved" (there
    already counts), "duplicate" (the target holds this file from the same uploader: left
    where it was) or "not_found". Counts and covers follow, and so do the photos' comments."""
    access.require_upload(to_album, actor, role_in(to_album, actor))
    wanted = list(dict.fromkeys(ids))
    found = list(Photo.objects.filter(shown_to(actor), pk__in=wanted).select_related("album"))
    albums = {photo.album_id: photo.album for photo in found}
    roles = {pk: role_in(source, actor) for pk, source in albums.items()}  # one read each
    photos = [p for p in found if access.can_view(p.album, actor, roles[p.album_id])]
    refused = [photo.pk for photo in photos if not access.can_change_photo(photo, actor)]
    if refused:
        raise Forbidden("Some of these photos are not yours to move; none was moved.",
                        extra={"refused": sorted(refused)})  # fmt: skip
    for album_id in sorted({to_album.pk, *(photo.album_id for photo in photos)}):
        lock_existing(Album, album_id, "No such album.")  # in one order: no deadlock
    there = set(Photo.objects.filter(album=to_album, sha1__isnull=False)
                .values_list("uploader_id", "sha1"))  # fmt: skip
    results = dict.fromkeys(wanted, "not_found")
    moved = []
    for photo in photos:
        if photo.album_id == to_album.pk:
            results[photo.pk] = "moved"
        elif photo.sha1 and (photo.uploader_id, photo.sha1) in there:
            results[photo.pk] = "duplicate"
        else:
            _photo_move(photo, actor, to_album)
            results[photo.pk] = "moved"
            moved.append(photo.pk)
            there.add((photo.uploader_id, photo.sha1))  # the same file twice in a selection
    if moved:
        photos_moved.send(sender=Photo, photo_ids=moved, to_album_id=to_album.pk)
    return results


def _photo_move(photo: Photo, actor, to_album: Album) -> None:
    shown, source = photo.is_visible, photo.album_id
    reviews.shown_changed(photo, was_shown=shown, now_shown=False)  # out of the source
    Photo.objects.filter(pk=photo.pk).update(album=to_album)
    photo.album = to_album
    reviews.shown_changed(photo, was_shown=False, now_shown=shown)  # into the target
    log_action("photo.moved", actor=actor, obj=photo, from_album_id=source,
               to_album_id=to_album.pk)  # fmt: skip


def _photo_remove(photo: Photo, *, if_match: str | None = None) -> None:
    """Delete the row, count it out of its album, and after commit delete its three objects.
    Raises NotFound when it (or its album) is already gone."""
    lock_existing(Album, photo.album_id, "No such photo.")
    # As it is now, under the album's lock: its state and files may have changed since it was
    # read (derived, say), and the objects to delete are the current ones.
    fields = ("review", "caption", "held_caption", "state", "source", "original", "large",
              "thumb")  # fmt: skip
    current = Photo.objects.filter(pk=photo.pk).values_list(*fields).first()
    if current is None:
        raise NotFound("No such photo.")
    for field, value in zip(fields, current, strict=True):
        setattr(photo, field, value)
    require_match(if_match, photo)
    reviews.shown_changed(photo, was_shown=photo.is_visible, now_shown=False)
    keys = photo.object_keys
    photo.delete()
    media_tasks.delete_after_commit(keys)


def photos_of_uploader_delete(*, user, why: str) -> int:
    """Delete every photo the user uploaded, in any album, and after each commit exactly its
    objects: WeChat says the user withdrew the photos they chose (RevokeInfo 14). The
    system's act, logged without an actor; running it again finds nothing more to delete.
    Returns the number deleted."""
    deleted = 0
    for photo in Photo.objects.filter(uploader=user.pk).select_related("album").iterator():
        try:
            with transaction.atomic():
                log_action("photo.deleted", actor=None, obj=photo, album_id=photo.album_id,
                           uploader_id=photo.uploader_id, why=why)  # fmt: skip
                _photo_remove(photo)
        except NotFound:  # deleted meanwhile: its entry rolled back with it
            continue
        deleted += 1
    return deleted


def uploads_of_user_delete(*, user) -> int:
    """Delete the user's upload tickets and, after commit, the files posted with those not
    completed (a completed one's file is the photo's business). Returns the number."""
    with transaction.atomic():
        uploads = Upload.objects.select_for_update().filter(user=user.pk)
        keys = [u.key for u in uploads if u.completed_at is None]
        count, _ = uploads.delete()
        media_tasks.delete_after_commit(keys)
    return count


def on_authorization_changed(sender, *, event: str, openid: str, revoked: set, **kwargs):
    """The receiver of wechat.signals.user_authorization_changed: photos the user chose are
    deleted when they withdraw them (14)."""
    user = User.objects.filter(openid=openid).first()
    if user is not None and event == "user_authorization_revoke" and 14 in revoked:
        photos_of_uploader_delete(user=user, why="user_authorization_revoke 14")


# --- Review ---------------------------------------------------------------------------------


@transaction.atomic
def photo_moderate(*, photo: Photo, actor, approve: bool) -> Photo:
    """Staff approve or reject a photo, whatever WeChat said; the decision is final.

    A rejected photo is hidden from everyone but its uploader at once, and deleted with its
    files by `reviews_sweep` after PHOTO_REJECTED_RETENTION. Raises Forbidden for non-staff.
    """
    if not access.is_operator(actor):
        raise Forbidden("Only staff approve or reject photos.")
    lock_existing(Album, photo.album_id, "No such photo.")
    photo = Photo.objects.select_for_update().filter(pk=photo.pk).first()
    if photo is None:
        raise NotFound("No such photo.")
    decision = Photo.Review.APPROVED if approve else Photo.Review.REJECTED
    if photo.review == decision:
        return photo
    before, was_shown = photo.review, photo.is_visible
    photo.review, photo.reviewed_at, photo.reviewed_by = decision, timezone.now(), actor
    photo.save(update_fields=["review", "reviewed_at", "reviewed_by"])
    log_action(f"photo.{decision}", actor=actor, obj=photo, album_id=photo.album_id,
               uploader_id=photo.uploader_id, review=[before, decision])  # fmt: skip
    reviews.shown_changed(photo, was_shown=was_shown, now_shown=photo.is_visible)
    return photo


@transaction.atomic
def photo_hold_reported(*, photo: Photo) -> bool:
    """Enough people reported the photo: hide it from everyone but its uploader until staff
    decide (the photo queue's approve or reject). The system's act, logged without an actor.
    Returns whether it was shown before (False: nothing to hide)."""
    lock_existing(Album, photo.album_id, "No such photo.")
    photo = Photo.objects.select_for_update().filter(pk=photo.pk).first()
    if photo is None or not photo.is_visible:
        return False
    before = photo.review
    photo.review = Photo.Review.REVIEW
    photo.save(update_fields=["review"])
    log_action("photo.held_for_reports", actor=None, obj=photo, album_id=photo.album_id,
               review=[before, photo.review])  # fmt: skip
    reviews.shown_changed(photo, was_shown=True, now_shown=False)
    return True


# A photo without a trace id this long after upload, and no check waiting, is sent again.
def reviews_sweep(*, now=None) -> dict[str, int]:
    """The scheduled part of photo review (`manage.py sweep_photo_reviews`): move photos
    without a verdict after PHOTO_CHECK_TIMEOUT to staff, send again the checks of photos
    that have none in the outbox (a check WeChat could not take is retried by the outbox
    itself), and delete rejected photos past their retention."""
    now = now or timezone.now()
    # A photo whose check is not in the outbox (uploaded before it, or its task was failed
    # and pruned) is sent again; one whose check waits there is left to it.
    waiting = {args[0] for args in outbox_selectors.waiting_args(reviews.CHECK_PHOTO) if args}
    overdue, unsent = check_media.overdue_and_unsent(Photo, now=now, waiting=waiting)
    timed_out = sum(reviews.to_staff(photo_id=pk, reason="no verdict in time") for pk in overdue)
    resent = 0
    for pk in unsent:
        with transaction.atomic():
            outbox.enqueue(reviews.CHECK_PHOTO, pk)
        resent += 1
    expired = Photo.objects.filter(
        review=Photo.Review.REJECTED, reviewed_at__lt=now - settings.PHOTO_REJECTED_RETENTION
    )
    purged = 0
    for photo in expired.iterator():
        try:
            with transaction.atomic():
                log_action("photo.purged", actor=None, obj=photo, album_id=photo.album_id,
                           uploader_id=photo.uploader_id)  # fmt: skip
                _photo_remove(photo)
            purged += 1
        except NotFound:
            continue  # deleted meanwhile
    return {"timed_out": timed_out, "resent": resent, "purged": purged}


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
    log_action("upload.created", actor=user, obj=upload, album_id=album.pk,
               content_type=content_type)  # fmt: skip
    ticket = storage.upload_ticket(
        key=upload.key,
        content_type=content_type,
        max_bytes=settings.PHOTO_MAX_BYTES,
        expires_in=settings.UPLOAD_TICKET_TTL,
        local_url=local_url,
    )
    return upload, ticket


def upload_receive_local(*, policy: str, key: str, content_type: str, data: bytes) -> None:
    """The local-storage stand-in for an S3 presigned POST. A ticket takes files until it is
    completed; after that (or once cleanup removed it) it is used up.

    Raises `upload_ticket_invalid` for a bad or expired ticket, `upload_ticket_used` for a
    spent one, FileTooLarge past the ticket's limit.
    """
    try:
        max_bytes = storage.read_local_policy(policy=policy, key=key, content_type=content_type)
    except storage.TicketInvalid as exc:
        raise ApplicationError(str(exc), code="upload_ticket_invalid") from exc
    if not Upload.objects.filter(key=key, completed_at__isnull=True).exists():
        raise ApplicationError("This upload ticket was already used.", code="upload_ticket_used")
    images.check_size(len(data), max_bytes)
    storage.put_upload(key, data)


def upload_complete(*, upload_id, user) -> tuple[Photo, bool]:
    """Turn an uploaded object into a photo. Completing again returns the same photo.

    Returns (photo, created). Raises NotFound for someone else's upload, Gone when the ticket
    has lapsed or its photo was deleted, UploadMissing before the file arrived, and the
    media.images errors for a bad file.
    """
    upload = Upload.objects.select_related("album", "photo").filter(pk=upload_id, user=user.pk)
    upload = upload.first()
    if upload is None:
        raise NotFound("No such upload.")
    if upload.completed_at:
        return _completed_photo(upload, user), False
    access.require_upload(upload.album, user, role_in(upload.album, user))
    if timezone.now() > upload.expires_at + settings.UPLOAD_COMPLETE_GRACE:
        raise Gone("This upload ticket has expired; ask for a new one.", code="upload_expired")
    if not storage.exists(upload.key):
        raise UploadMissing()
    data = storage.read(upload.key, limit=settings.PHOTO_MAX_BYTES)
    digest = _sha1_of(data, None)
    if (same := _same_file(upload.album, user, digest)) is not None:
        return _upload_of_a_known_file(upload, same), False
    caption = _checked_caption(user, upload.caption)
    inspected = processing.inspected(data)
    try:
        with transaction.atomic():
            # The upload's row alone (no join: MySQL and MariaDB cannot limit a lock to one
            # table of a join); the lock settles a race between two completes of it.
            locked = Upload.objects.select_for_update().filter(pk=upload.pk).first()
            if locked is None:  # the album, and its uploads, were deleted meanwhile
                raise NotFound("No such upload.")
            if locked.completed_at:
                return _completed_photo(locked, user), False
            # The posted object is the photo's source: derived, then deleted, by the task.
            photo = _photo_insert(album=upload.album, uploader=user, inspected=inspected,
                                  source=upload.key, size=len(data), caption=caption,
                                  sha1=digest, upload_id=str(upload.pk))  # fmt: skip
            locked.photo = photo
            locked.completed_at = timezone.now()
            locked.save(update_fields=["photo", "completed_at"])
    except IntegrityError:
        # Another upload of the same file by the same user completed meanwhile.
        if (same := _same_file(upload.album, user, digest)) is None:
            raise
        return _upload_of_a_known_file(upload, same), False
    return _as_it_is_now(photo), True


@transaction.atomic
def _upload_of_a_known_file(upload: Upload, photo: Photo) -> Photo:
    """An upload of a file the album has: completed as that photo, its object deleted."""
    done = Upload.objects.filter(pk=upload.pk, completed_at__isnull=True).update(
        photo=photo, completed_at=timezone.now()
    )
    if done:
        media_tasks.delete_after_commit([upload.key])
    return photo


def _completed_photo(upload: Upload, user) -> Photo:
    """The photo an earlier complete made, shown only if the user may still see it."""
    if upload.photo is None:
        raise Gone("The photo made from this upload was deleted.", code="photo_deleted")
    return photo_get(user=user, photo_id=upload.photo_id)


def uploads_cleanup(*, now=None) -> int:
    """Remove lapsed uploads that never became photos, and their raw objects; old tickets too."""
    now = now or timezone.now()
    lapsed = Upload.objects.filter(
        completed_at__isnull=True, expires_at__lt=now - settings.UPLOAD_COMPLETE_GRACE
    )
    removed = 0
    for upload in lapsed.iterator():
        storage.delete([upload.key])  # outside any transaction: an S3 call
        with transaction.atomic():
            if Upload.objects.filter(pk=upload.pk, completed_at__isnull=True).delete()[0]:
                log_action("upload.expired", actor=None, obj=upload, album_id=upload.album_id)
                removed += 1
    # Completed tickets: their raw objects were deleted on completion, but an S3 presigned POST
    # may be posted again until it expires, so whatever sits under the key goes with the row.
    spent = Upload.objects.filter(completed_at__lt=now - timedelta(days=7))
    keys = list(spent.values_list("key", flat=True))
    storage.delete(keys)
    with transaction.atomic():
        old, _ = spent.filter(key__in=keys).delete()
        if old:
            log_action("uploads.pruned", actor=None, completed_tickets=old)
    return removed

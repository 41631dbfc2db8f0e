"""Albums, who belongs to them, their photos, and uploads on their way to becoming photos."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.etags import etag
from moderation import media


class Album(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private: the owner only")
        MEMBERS = "members", _("Members")
        PUBLIC = "public", _("Public: any logged-in user")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_albums",
        verbose_name=_("owner"),
    )
    # What everyone sees. A title or description WeChat's check sent to review waits in its
    # held_ field, shown only to the owner until staff approve it (moderation.services); a new
    # album whose first title is held has an empty title, shown as "Untitled album".
    title = models.CharField(max_length=100, blank=True, verbose_name=_("title"))
    description = models.TextField(max_length=2000, blank=True, verbose_name=_("description"))
    held_title = models.CharField(
        max_length=100, blank=True, editable=False, db_default="", verbose_name=_("held title")
    )
    held_description = models.CharField(
        max_length=2000,
        blank=True,
        editable=False,
        db_default="",
        verbose_name=_("held description"),
    )
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        verbose_name=_("visibility"),
    )
    cover = models.ForeignKey(
        "Photo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover"),
    )
    photo_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("photo count")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("album")
        verbose_name_plural = _("albums")
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or gettext("Untitled album")

    @property
    def etag(self) -> str:
        return etag("album", self.pk, self.title, self.description, self.visibility,
                    self.held_title, self.held_description)  # fmt: skip


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        CONTRIBUTOR = "contributor", _("Contributor")
        VIEWER = "viewer", _("Viewer")

    album = models.ForeignKey(
        Album, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("album")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(max_length=12, choices=Role.choices, verbose_name=_("role"))
    # The album's id on its owner's membership, NULL on everyone else's: kept by the database
    # itself, and unique, so an album has one owner on every database (MySQL and MariaDB have
    # no conditional unique constraints; NULLs never collide).
    owner_of = models.GeneratedField(
        expression=Case(When(role="owner", then=F("album_id")), default=None),
        output_field=models.BigIntegerField(null=True),
        db_persist=True,
        verbose_name=_("owner of"),
    )
    joined_at = models.DateTimeField(auto_now_add=True, verbose_name=_("joined at"))
    via_link = models.ForeignKey(
        "shortlinks.ShortLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The share link this member joined through."),
        verbose_name=_("via link"),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["album", "user"], name="membership_unique_per_album"),
            models.UniqueConstraint(fields=["owner_of"], name="membership_one_owner"),
            models.CheckConstraint(
                condition=Q(role__in=["owner", "contributor", "viewer"]),
                name="membership_role_valid",
            ),
        ]
        indexes = [models.Index(fields=["user", "-joined_at"])]

    def __str__(self) -> str:
        return gettext("%(user)s in %(album)s (%(role)s)") % {
            "user": self.user,
            "album": self.album,
            "role": self.get_role_display(),
        }

    @property
    def etag(self) -> str:
        return etag("membership", self.pk, self.role)


class Removal(models.Model):
    """The owner (or staff) removed this user from the album: share links made before
    `removed_at` no longer let them back in. A new link, or a new invitation, does."""

    album = models.ForeignKey(
        Album, on_delete=models.CASCADE, related_name="removals", verbose_name=_("album")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    removed_at = models.DateTimeField(verbose_name=_("removed at"))
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("removed by"),
    )

    class Meta:
        verbose_name = _("removal")
        verbose_name_plural = _("removals")
        constraints = [
            models.UniqueConstraint(fields=["album", "user"], name="removal_unique_per_album")
        ]

    def __str__(self) -> str:
        return gettext("%(user)s removed from %(album)s") % {"user": self.user, "album": self.album}


class Photo(media.Checked):
    """A photo is accepted as soon as its bytes are stored (`source`) and its header passed the
    image checks: `processing` until the task queue has made its renditions (`ready`), or
    could not (`failed`, with a `failure` code). Where it stands in the content check comes
    from media.Checked (album.reviews): a staff decision wins over WeChat's verdict. Others
    see a photo only when it is ready and passed review (`shown()`); its uploader always."""

    class State(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    album = models.ForeignKey(
        Album, on_delete=models.CASCADE, related_name="photos", verbose_name=_("album")
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="photos",
        verbose_name=_("uploader"),
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.READY, db_default=State.READY,
        editable=False, verbose_name=_("state"),
    )  # fmt: skip
    # Why the renditions could not be made: a problem code (unsupported_image, ...).
    failure = models.CharField(
        max_length=40, blank=True, db_default="", editable=False, verbose_name=_("failure")
    )
    # Object keys on storage: random, made by the server, never reused. `source` holds the
    # bytes as the client sent them (metadata and all: never served) until they are derived.
    source = models.CharField(
        max_length=255, blank=True, db_default="", editable=False, verbose_name=_("source")
    )
    original = models.FileField(max_length=255, blank=True, verbose_name=_("original"))
    large = models.FileField(max_length=255, blank=True, verbose_name=_("large"))
    thumb = models.FileField(max_length=255, blank=True, verbose_name=_("thumb"))
    width = models.PositiveIntegerField(verbose_name=_("width"))
    height = models.PositiveIntegerField(verbose_name=_("height"))
    bytes = models.PositiveBigIntegerField(
        help_text=_("Size of the stored original."), verbose_name=_("bytes")
    )
    sha256 = models.CharField(  # computed with the renditions: empty while processing
        max_length=64,
        blank=True,
        help_text=_("Of the bytes the client uploaded."),
        verbose_name=_("sha256"),
    )
    # The SHA-1 a phone gives for the file it picked (wx.getFileSystemManager().getFileInfo),
    # so a client can ask which of its picks the album has; NULL for photos made before it.
    sha1 = models.CharField(  # noqa: DJ001 (NULL never collides in the unique constraint)
        max_length=40, null=True, blank=True, editable=False, verbose_name=_("SHA-1"),
        help_text=_("Of the bytes the client uploaded."),
    )  # fmt: skip
    content_type = models.CharField(max_length=32, verbose_name=_("content type"))
    caption = models.CharField(max_length=500, blank=True, verbose_name=_("caption"))
    # A caption WeChat's check sent to review: shown only to the uploader until approved.
    held_caption = models.CharField(
        max_length=500, blank=True, editable=False, db_default="", verbose_name=_("held caption")
    )
    taken_at = models.DateTimeField(null=True, blank=True, verbose_name=_("taken at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # The list's "by when taken" order: taken_at, or when it was added for a photo whose file
    # does not say. Stored (and indexed with the album), so that order pages like the other.
    shot_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("taken or added at")
    )
    like_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("like count")
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [
            models.Index(fields=["album", "-created_at"]),
            models.Index(fields=["album", "-shot_at"], name="photo_album_shot_at"),
            # Whole-table indexes, not partial ones (which MySQL and MariaDB do not have): the
            # verdict's lookup by trace id, and the moderation queue and the sweep, which read
            # the few photos not yet settled by state and age.
            models.Index(fields=["check_trace_id"], name="photo_trace_id"),
            models.Index(fields=["review", "created_at"], name="photo_unsettled"),
            models.Index(fields=["album", "sha1"], name="photo_album_sha1"),
            # The cleanup's look for photos stuck processing or failed.
            models.Index(fields=["state", "created_at"], name="photo_state"),
        ]
        constraints = [
            # One copy of a file per uploader and album, even when two uploads race.
            models.UniqueConstraint(fields=["album", "uploader", "sha1"],
                                    name="photo_one_copy_per_uploader"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return gettext("Photo %(id)s in album %(album)s") % {"id": self.pk, "album": self.album_id}

    @property
    def etag(self) -> str:
        return etag("photo", self.pk, self.caption, self.held_caption)

    @classmethod
    def shown(cls, via: str = "") -> Q:
        """Photos everyone who may view the album sees: ready, and passed review (or never
        checked). `via` is the path from another model, e.g. "photo__"."""
        return Q(**{f"{via}state": cls.State.READY, f"{via}review__in": cls.VISIBLE})

    @property
    def is_visible(self) -> bool:
        return self.state == self.State.READY and self.review in self.VISIBLE

    @classmethod
    def awaiting_check(cls):
        # Only a ready photo has the rendition WeChat's check looks at.
        return super().awaiting_check().filter(state=cls.State.READY)

    @property
    def object_keys(self) -> list[str]:
        names = [f.name for f in (self.original, self.large, self.thumb)]
        return [key for key in (*names, self.source) if key]


class PhotoInReview(Photo):
    """The admin's moderation queue: photos staff must decide on."""

    class Meta:
        verbose_name = _("photo to review")
        verbose_name_plural = _("photos to review")
        proxy = True


class Upload(models.Model):
    """A ticket for one direct-to-storage upload, and what became of it."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id")
    )
    album = models.ForeignKey(
        Album, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("album")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="uploads",
        verbose_name=_("user"),
    )
    key = models.CharField(max_length=255, unique=True, verbose_name=_("key"))
    filename = models.CharField(max_length=255, blank=True, verbose_name=_("filename"))
    content_type = models.CharField(max_length=32, verbose_name=_("content type"))
    caption = models.CharField(max_length=500, blank=True, verbose_name=_("caption"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    photo = models.OneToOneField(
        Photo,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="upload",
        verbose_name=_("photo"),
    )

    class Meta:
        verbose_name = _("upload ticket")
        verbose_name_plural = _("upload tickets")
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return gettext("Upload %(id)s") % {"id": self.id}

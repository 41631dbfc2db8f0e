"""Albums, who belongs to them, their photos, and uploads on their way to becoming photos."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils.translation import gettext

from config.etags import etag
from moderation import media


class Album(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private: the owner only"
        MEMBERS = "members", "Members"
        PUBLIC = "public", "Public: any logged-in user"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_albums"
    )
    # What everyone sees. A title or description WeChat's check sent to review waits in its
    # held_ field, shown only to the owner until staff approve it (moderation.services); a new
    # album whose first title is held has an empty title, shown as "Untitled album".
    title = models.CharField(max_length=100, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    held_title = models.CharField(max_length=100, blank=True, editable=False, db_default="")
    held_description = models.CharField(max_length=2000, blank=True, editable=False, db_default="")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    cover = models.ForeignKey(
        "Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    photo_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
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
        OWNER = "owner", "Owner"
        CONTRIBUTOR = "contributor", "Contributor"
        VIEWER = "viewer", "Viewer"

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    # The album's id on its owner's membership, NULL on everyone else's: kept by the database
    # itself, and unique, so an album has one owner on every database (MySQL and MariaDB have
    # no conditional unique constraints; NULLs never collide).
    owner_of = models.GeneratedField(
        expression=Case(When(role="owner", then=F("album_id")), default=None),
        output_field=models.BigIntegerField(null=True),
        db_persist=True,
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    via_link = models.ForeignKey(
        "shortlinks.ShortLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The share link this member joined through.",
    )

    class Meta:
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
        return f"{self.user} in {self.album} ({self.role})"


class Removal(models.Model):
    """The owner (or staff) removed this user from the album: share links made before
    `removed_at` no longer let them back in. A new link, or a new invitation, does."""

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="removals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    removed_at = models.DateTimeField()
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["album", "user"], name="removal_unique_per_album")
        ]

    def __str__(self) -> str:
        return f"{self.user} removed from {self.album}"


class Photo(media.Checked):
    """Where it stands in the content check comes from media.Checked (album.reviews): a staff
    decision wins over WeChat's verdict; only the uploader sees a photo others may not."""

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="photos")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="photos"
    )
    # Object keys on storage: random, made by the server, never reused.
    original = models.FileField(max_length=255)
    large = models.FileField(max_length=255)
    thumb = models.FileField(max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveBigIntegerField(help_text="Size of the stored original.")
    sha256 = models.CharField(max_length=64, help_text="Of the bytes the client uploaded.")
    content_type = models.CharField(max_length=32)
    caption = models.CharField(max_length=500, blank=True)
    # A caption WeChat's check sent to review: shown only to the uploader until approved.
    held_caption = models.CharField(max_length=500, blank=True, editable=False, db_default="")
    taken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["album", "-created_at"]),
            # Whole-table indexes, not partial ones (which MySQL and MariaDB do not have): the
            # verdict's lookup by trace id, and the moderation queue and the sweep, which read
            # the few photos not yet settled by state and age.
            models.Index(fields=["check_trace_id"], name="photo_trace_id"),
            models.Index(fields=["review", "created_at"], name="photo_unsettled"),
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk} in {self.album_id}"

    @property
    def etag(self) -> str:
        return etag("photo", self.pk, self.caption, self.held_caption)

    @property
    def object_keys(self) -> list[str]:
        return [f.name for f in (self.original, self.large, self.thumb) if f.name]


class PhotoInReview(Photo):
    """The admin's moderation queue: photos staff must decide on."""

    class Meta:
        proxy = True
        verbose_name = "photo to review"
        verbose_name_plural = "photos to review"


class Upload(models.Model):
    """A ticket for one direct-to-storage upload, and what became of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="uploads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads"
    )
    key = models.CharField(max_length=255, unique=True)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=32)
    caption = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    photo = models.OneToOneField(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="upload"
    )

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"Upload {self.id}"

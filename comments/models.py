"""Comments on albums and photos, likes on photos and comments, and the permission audit log."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from config.deletion import CASCADE_CHECKED
from config.etags import etag


class Comment(models.Model):
    class Review(models.TextChoices):
        """WeChat's msgSecCheck verdict, when the check is on, and staff's decision on the ones
        it holds. A risky comment is refused before it is stored, so it has no state here."""

        UNCHECKED = "unchecked", "Not checked (the check was off)"
        PASS = "pass", "Passed WeChat's check"
        REVIEW = "review", "Held for staff"
        APPROVED = "approved", "Approved by staff"
        REJECTED = "rejected", "Rejected by staff"

    # Listed for everyone who may view the album; a held or rejected one only for its author.
    VISIBLE = (Review.UNCHECKED, Review.PASS, Review.APPROVED)

    album = models.ForeignKey("album.Album", on_delete=models.CASCADE, related_name="comments")
    photo = models.ForeignKey(
        "album.Photo", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    # Replies are one level deep: a reply to a reply hangs off the same root.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Soft delete: kept for audit, never listed.
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True, help_text="Hidden by a moderator.")
    like_count = models.PositiveIntegerField(default=0)
    review = models.CharField(
        max_length=10, choices=Review.choices, default=Review.UNCHECKED, editable=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["photo", "created_at", "id"]),
            models.Index(fields=["album", "photo", "created_at", "id"]),
            models.Index(fields=["review", "created_at"], name="comment_held"),  # staff's queue
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id}"

    @property
    def removed(self) -> bool:
        """Deleted by its author or an owner, or hidden by staff."""
        return self.deleted_at is not None or self.hidden_at is not None

    @property
    def etag(self) -> str:
        return etag("comment", self.pk, self.body)


class Like(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # CASCADE_CHECKED: like_has_one_target holds while a photo or comment is deleted.
    photo = models.ForeignKey(
        "album.Photo", null=True, blank=True, on_delete=CASCADE_CHECKED, related_name="likes"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=CASCADE_CHECKED, related_name="likes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(photo__isnull=True) ^ Q(comment__isnull=True),
                name="like_has_one_target",
            ),
            # One like per user and target. Plain unique pairs, not conditional ones (which
            # MySQL and MariaDB do not have): the other target's NULL never collides, on any
            # database, since NULLs are distinct in a unique index.
            models.UniqueConstraint(fields=["user", "photo"], name="like_photo_once"),
            models.UniqueConstraint(fields=["user", "comment"], name="like_comment_once"),
        ]

    def __str__(self) -> str:
        return f"Like by {self.user_id} on {'photo' if self.photo_id else 'comment'}"


class PermissionDecision(models.Model):
    """Every answer a permission backend gave (or could not give), for audit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    openid = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=32)
    comment_id_ref = models.BigIntegerField(help_text="The comment asked about.")
    backend = models.CharField(max_length=32)
    allowed = models.BooleanField(null=True, help_text="Empty when the backend could not answer.")
    reason = models.CharField(max_length=255, blank=True)
    latency_ms = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} on comment {self.comment_id_ref}: {self.allowed}"

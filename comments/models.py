"""Comments on albums and photos, likes on photos and comments, and the permission audit log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.deletion import CASCADE_CHECKED
from config.etags import etag


class Comment(models.Model):
    class Review(models.TextChoices):
        """WeChat's msgSecCheck verdict, when the check is on, and staff's decision on the ones
        it holds. A risky comment is refused before it is stored, so it has no state here."""

        UNCHECKED = "unchecked", _("Not checked (the check was off)")
        PASS = "pass", _("Passed WeChat's check")
        REVIEW = "review", _("Held for staff")
        APPROVED = "approved", _("Approved by staff")
        REJECTED = "rejected", _("Rejected by staff")

    # Listed for everyone who may view the album; a held or rejected one only for its author.
    VISIBLE = (Review.UNCHECKED, Review.PASS, Review.APPROVED)

    album = models.ForeignKey(
        "album.Album", on_delete=models.CASCADE, related_name="comments", verbose_name=_("album")
    )
    photo = models.ForeignKey(
        "album.Photo",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("photo"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("author"),
    )
    # Replies are one level deep: a reply to a reply hangs off the same root.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("parent"),
    )
    body = models.TextField(max_length=500, verbose_name=_("body"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    edited_at = models.DateTimeField(null=True, blank=True, verbose_name=_("edited at"))
    # Soft delete: kept for audit, never listed.
    deleted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("deleted at"))
    hidden_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Hidden by a moderator."), verbose_name=_("hidden at")
    )
    like_count = models.PositiveIntegerField(default=0, verbose_name=_("like count"))
    review = models.CharField(
        max_length=10,
        choices=Review.choices,
        default=Review.UNCHECKED,
        editable=False,
        verbose_name=_("review"),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["photo", "created_at", "id"]),
            models.Index(fields=["album", "photo", "created_at", "id"]),
            models.Index(fields=["review", "created_at"], name="comment_held"),  # staff's queue
        ]

    def __str__(self) -> str:
        return gettext("Comment %(id)s by user %(user)s") % {"id": self.pk, "user": self.author_id}

    @classmethod
    def listed(cls, user=None) -> Q:
        """The comments a thread lists: not removed, and visible, or held but `user`'s own
        (with no user: those everyone who may view the album sees)."""
        shown = Q(review__in=cls.VISIBLE)
        if user is not None:
            shown |= Q(author=user.pk)
        return Q(deleted_at__isnull=True, hidden_at__isnull=True) & shown

    @property
    def removed(self) -> bool:
        """Deleted by its author or an owner, or hidden by staff."""
        return self.deleted_at is not None or self.hidden_at is not None

    @property
    def etag(self) -> str:
        return etag("comment", self.pk, self.body)


class Like(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    # CASCADE_CHECKED: like_has_one_target holds while a photo or comment is deleted.
    photo = models.ForeignKey(
        "album.Photo",
        null=True,
        blank=True,
        on_delete=CASCADE_CHECKED,
        related_name="likes",
        verbose_name=_("photo"),
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=CASCADE_CHECKED,
        related_name="likes",
        verbose_name=_("comment"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
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
        target = gettext("a photo") if self.photo_id else gettext("a comment")
        return gettext("Like by user %(user)s on %(target)s") % {
            "user": self.user_id,
            "target": target,
        }


class PermissionDecision(models.Model):
    """Every answer a permission backend gave (or could not give), for audit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    openid = models.CharField(max_length=64, blank=True, verbose_name=_("openid"))
    action = models.CharField(max_length=32, verbose_name=_("action"))
    comment_id_ref = models.BigIntegerField(
        help_text=_("The comment asked about."), verbose_name=_("comment id ref")
    )
    backend = models.CharField(max_length=32, verbose_name=_("backend"))
    allowed = models.BooleanField(
        null=True,
        help_text=_("Empty when the backend could not answer."),
        verbose_name=_("allowed"),
    )
    reason = models.CharField(max_length=255, blank=True, verbose_name=_("reason"))
    latency_ms = models.FloatField(verbose_name=_("latency ms"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("permission decision")
        verbose_name_plural = _("permission decisions")
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return gettext("%(action)s on comment %(id)s: %(allowed)s") % {
            "action": self.action,
            "id": self.comment_id_ref,
            "allowed": gettext("allowed") if self.allowed else gettext("refused"),
        }

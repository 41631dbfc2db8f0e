"""Reports: a user tells staff that a photo, comment, album or user breaks the rules."""

from django.conf import settings
from django.db import models


class Report(models.Model):
    class Target(models.TextChoices):
        PHOTO = "photo", "Photo"
        COMMENT = "comment", "Comment"
        ALBUM = "album", "Album"
        USER = "user", "User"

    class Reason(models.TextChoices):
        """WeChat's label vocabulary."""

        PORN = "porn", "Pornography"
        POLITICS = "politics", "Politics"
        ABUSE = "abuse", "Abuse"
        ADS = "ads", "Advertising"
        FRAUD = "fraud", "Fraud"
        ILLEGAL = "illegal", "Illegal"
        VULGAR = "vulgar", "Vulgar"
        COPYRIGHT = "copyright", "Copyright"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Upheld: taken down"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    target_type = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.BigIntegerField()
    reason = models.CharField(max_length=10, choices=Reason.choices)
    detail = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # Set when the reports hid the target (REPORT_AUTO_HIDE_AT): a dismissal shows it again.
    auto_hidden = models.BooleanField(default=False)
    # "<reporter>:<type>:<id>" while open, NULL once resolved: one open report per reporter and
    # target, by a plain unique index (no conditional constraint, which MySQL lacks).
    open_key = models.CharField(  # noqa: DJ001 (NULL is what lets resolved reports repeat)
        max_length=64, null=True, unique=True, editable=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["target_type", "target_id", "status"]),
            models.Index(fields=["reporter", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} on {self.target_type} {self.target_id}"

"""Where an image a user sent (a photo, an avatar) stands in the content check: one vocabulary
for every image, so the API, the admin and the sweeps read the same states.

With PHOTO_CONTENT_CHECK=wechat a new image is `pending` (only its owner sees it) until WeChat's
media check answers `pass`, `risky` or `review`; staff decide on `review` and `risky`, and their
decision (`approved`, `rejected`) wins over WeChat's. With the check off it is `unchecked`.
"""

from django.conf import settings
from django.db import models


class Review(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked (the check was off)"
    PENDING = "pending", "Waiting for WeChat's check"
    PASS = "pass", "Passed WeChat's check"
    RISKY = "risky", "Risky, by WeChat's check"
    REVIEW = "review", "Waiting for staff"
    APPROVED = "approved", "Approved by staff"
    REJECTED = "rejected", "Rejected by staff"


# Shown to everyone who may see it; any other state only to its owner.
VISIBLE = (Review.UNCHECKED, Review.PASS, Review.APPROVED)
# Staff look at these (the admin's review queues).
FOR_STAFF = (Review.REVIEW, Review.RISKY)
# What WeChat's verdict may say; anything else is for staff to decide.
WECHAT_VERDICTS = (Review.PASS, Review.RISKY, Review.REVIEW)


class Checked(models.Model):
    """An image that goes through the media check: its state and the check's record."""

    Review = Review
    VISIBLE = VISIBLE
    FOR_STAFF = FOR_STAFF

    review = models.CharField(
        max_length=10, choices=Review.choices, default=Review.UNCHECKED, editable=False
    )
    check_trace_id = models.CharField(
        max_length=64, blank=True, editable=False, help_text="WeChat's media check trace id."
    )
    check_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    check_label = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="WeChat's label (100 is normal)."
    )
    checked_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When WeChat's verdict arrived."
    )
    reviewed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When staff decided."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The staff member who approved or rejected it.",
    )

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        """Whether people other than its owner may see it (where they may see its place)."""
        return self.review in VISIBLE


def initial_state() -> str:
    return Review.PENDING if settings.PHOTO_CONTENT_CHECK == "wechat" else Review.UNCHECKED


def verdict_state(suggest) -> str:
    """WeChat's `suggest` as a state: people decide what WeChat did not say plainly."""
    return suggest if suggest in WECHAT_VERDICTS else Review.REVIEW


def label_value(label) -> int | None:
    """WeChat's label as stored: a non-negative number, or none."""
    return label if isinstance(label, int) and not isinstance(label, bool) and label >= 0 else None

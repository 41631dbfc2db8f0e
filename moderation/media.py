"""Where an image a user sent (a photo, an avatar) stands in the content check: one vocabulary
for every image, so the API, the admin and the sweeps read the same states.

With PHOTO_CONTENT_CHECK=wechat a new image is `pending` (only its owner sees it) until WeChat's
media check answers `pass`, `risky` or `review`; staff decide on `review` and `risky`, and their
decision (`approved`, `rejected`) wins over WeChat's. With the check off it is `unchecked`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Review(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked (the check was off)")
    PENDING = "pending", _("Waiting for WeChat's check")
    PASS = "pass", _("Passed WeChat's check")
    RISKY = "risky", _("Risky, by WeChat's check")
    REVIEW = "review", _("Waiting for staff")
    APPROVED = "approved", _("Approved by staff")
    REJECTED = "rejected", _("Rejected by staff")


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
        max_length=10,
        choices=Review.choices,
        default=Review.UNCHECKED,
        editable=False,
        verbose_name=_("review"),
    )
    check_trace_id = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("WeChat's media check trace id."),
        verbose_name=_("check trace id"),
    )
    check_requested_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("check requested at")
    )
    check_label = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("WeChat's label (100 is normal)."),
        verbose_name=_("check label"),
    )
    checked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When WeChat's verdict arrived."),
        verbose_name=_("checked at"),
    )
    reviewed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When staff decided."),
        verbose_name=_("reviewed at"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("The staff member who approved or rejected it."),
        verbose_name=_("reviewed by"),
    )

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        """Whether people other than its owner may see it (where they may see its place)."""
        return self.review in VISIBLE

    @classmethod
    def awaiting_check(cls):
        """Images waiting for WeChat's verdict (the sweep's concern)."""
        return cls.objects.filter(review=Review.PENDING)


def initial_state() -> str:
    return Review.PENDING if settings.PHOTO_CONTENT_CHECK == "wechat" else Review.UNCHECKED


def verdict_state(suggest) -> str:
    """WeChat's `suggest` as a state: people decide what WeChat did not say plainly."""
    return suggest if suggest in WECHAT_VERDICTS else Review.REVIEW


def label_value(label) -> int | None:
    """WeChat's label as stored: a non-negative number, or none."""
    return label if isinstance(label, int) and not isinstance(label, bool) and label >= 0 else None


# WeChat's content labels (100 is normal), as words in the reader's language.
LABELS = {
    10001: _("advertising"),
    20001: _("politics"),
    20002: _("pornography"),
    20003: _("abuse"),
    20006: _("crime"),
    20008: _("fraud"),
    20012: _("vulgarity"),
    20013: _("copyright"),
    21000: _("other"),
}


def label_words(label: int | None) -> str:
    """WeChat's label in words ("色情" in Chinese), or its number when WeChat added one."""
    if label is None:
        return "-"
    word = LABELS.get(label)
    return str(word) if word is not None else gettext("label %(number)s") % {"number": label}


# --- The check's flow, the same for every kind of image -----------------------------------

# An image without a trace id this long after upload, and no check waiting, is sent again.
RESEND_AFTER = timedelta(minutes=10)


def apply_verdict(image: Checked, *, suggest, label) -> bool:
    """WeChat's verdict on an image its caller has locked: the first verdict counts, a staff
    decision is never overridden, and one arriving after the image timed out to staff still
    counts unless staff decided meanwhile. Returns whether it changed the image (saved)."""
    if image.checked_at is not None or image.reviewed_by_id is not None:
        return False
    if image.review not in (Review.PENDING, Review.REVIEW):
        return False
    image.review = verdict_state(suggest)
    image.check_label = label_value(label)
    image.checked_at = timezone.now()
    image.save(update_fields=["review", "check_label", "checked_at"])
    return True


def send_to_staff(model: type[Checked], pk: int) -> bool:
    """A pending image handed to staff (no verdict in time, or none possible): whether it
    was still pending."""
    return bool(model.objects.filter(pk=pk, review=Review.PENDING).update(review=Review.REVIEW))


def overdue_and_unsent(model: type[Checked], *, now, waiting: set[int]):
    """The sweep's two lists of a kind's pending images: those past PHOTO_CHECK_TIMEOUT
    (for staff), and those never sent after RESEND_AFTER whose check is not `waiting` in
    the outbox (to send again). Each an iterator of primary keys."""
    pending = model.awaiting_check()
    overdue = pending.filter(created_at__lt=now - settings.PHOTO_CHECK_TIMEOUT)
    unsent = pending.filter(check_trace_id="", created_at__lt=now - RESEND_AFTER)
    never_sent = unsent.values_list("pk", flat=True).iterator()
    return overdue.values_list("pk", flat=True).iterator(), (
        pk for pk in never_sent if pk not in waiting
    )

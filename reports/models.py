"""Reports: a user tells staff that a photo, comment, album or user breaks the rules."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    class Target(models.TextChoices):
        PHOTO = "photo", _("Photo")
        COMMENT = "comment", _("Comment")
        ALBUM = "album", _("Album")
        USER = "user", _("User")

    class Reason(models.TextChoices):
        """WeChat's label vocabulary."""

        PORN = "porn", _("Pornography")
        POLITICS = "politics", _("Politics")
        ABUSE = "abuse", _("Abuse")
        ADS = "ads", _("Advertising")
        FRAUD = "fraud", _("Fraud")
        ILLEGAL = "illegal", _("Illegal")
        VULGAR = "vulgar", _("Vulgar")
        COPYRIGHT = "copyright", _("Copyright")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld: taken down")
        DISMISSED = "dismissed", _("Dismissed")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("reporter"),
    )
    target_type = models.CharField(
        max_length=10, choices=Target.choices, verbose_name=_("target type")
    )
    target_id = models.BigIntegerField(verbose_name=_("target id"))
    reason = models.CharField(max_length=10, choices=Reason.choices, verbose_name=_("reason"))
    detail = models.CharField(max_length=200, blank=True, verbose_name=_("detail"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, verbose_name=_("status")
    )
    resolution = models.CharField(max_length=500, blank=True, verbose_name=_("resolution"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("resolved by"),
    )  # fmt: skip
    # Set when the reports hid the target (REPORT_AUTO_HIDE_AT): a dismissal shows it again.
    auto_hidden = models.BooleanField(default=False, verbose_name=_("auto hidden"))
    # "<reporter>:<type>:<id>" while open, NULL once resolved: one open report per reporter and
    # target, by a plain unique index (no conditional constraint, which MySQL lacks).
    open_key = models.CharField(  # noqa: DJ001 (NULL is what lets resolved reports repeat)
        max_length=64, null=True, unique=True, editable=False, verbose_name=_("open key")
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["target_type", "target_id", "status"]),
            models.Index(fields=["reporter", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return gettext("Report %(id)s on %(type)s %(target)s") % {
            "id": self.pk,
            "type": self.get_target_type_display(),
            "target": self.target_id,
        }

"""A user's copy of their data (PIPL art. 45): one zip in storage, built on the task queue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="exports", verbose_name=_("user"))  # fmt: skip
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PREPARING, verbose_name=_("status")
    )
    key = models.CharField(
        max_length=255, blank=True, help_text=_("The zip's object key."), verbose_name=_("key")
    )
    size = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("size"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    ready_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ready at"))

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        indexes = [models.Index(fields=["user", "-created_at"]),
                   models.Index(fields=["created_at"])]  # fmt: skip

    def __str__(self) -> str:
        return gettext("Export %(id)s of user %(user)s") % {"id": self.pk, "user": self.user_id}

"""Idempotency keys: the first answer to a creating POST, kept to replay to its retries."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(max_length=255, verbose_name=_("key"))
    # What the key was first used for: a retry must send the same request.
    fingerprint = models.CharField(max_length=64, verbose_name=_("fingerprint"))
    method = models.CharField(max_length=8, verbose_name=_("method"))
    path = models.CharField(max_length=255, verbose_name=_("path"))
    # Empty while the first request is still running.
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("status code")
    )
    content_type = models.CharField(max_length=64, blank=True, verbose_name=_("content type"))
    body = models.JSONField(null=True, blank=True, verbose_name=_("body"))
    # The answer's ETag and Location, sent again with the replay.
    headers = models.JSONField(default=dict, blank=True, verbose_name=_("headers"))
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )
    # When the running request took the key: a retry takes over a claim older than
    # services.CLAIM_TIMEOUT with no answer (its request died).
    claimed_at = models.DateTimeField(default=timezone.now, verbose_name=_("claimed at"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"

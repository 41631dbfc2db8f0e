"""Short links: QR metadata stored under a 32-character code."""

from django.conf import settings
from django.db import models


class ShortLink(models.Model):
    class Kind(models.TextChoices):
        GENERIC = "generic", "Generic"
        ALBUM_SHARE = "album_share", "Album share"

    code = models.CharField(max_length=32, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.GENERIC)
    page = models.CharField(max_length=128, help_text="Mini-program page path to open.")
    params = models.JSONField(default=dict, blank=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="shortlinks"
    )
    album = models.ForeignKey(
        "album.Album", null=True, blank=True, on_delete=models.CASCADE, related_name="shortlinks"
    )
    role = models.CharField(max_length=12, blank=True, help_text="Role an album share grants.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    max_visits = models.PositiveIntegerField(null=True, blank=True)
    visit_count = models.PositiveBigIntegerField(default=0)
    last_visited_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["album", "role", "creator"])]

    def __str__(self) -> str:
        return self.code

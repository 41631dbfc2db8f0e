"""Short links: QR metadata stored under a 32-character code."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from album.models import Membership
from config.deletion import CASCADE_CHECKED

# The roles a share may grant. Never `owner`: an album has one owner, its creator.
SHAREABLE_ROLES = [Membership.Role.VIEWER, Membership.Role.CONTRIBUTOR]


class ShortLink(models.Model):
    class Kind(models.TextChoices):
        GENERIC = "generic", _("Generic")
        ALBUM_SHARE = "album_share", _("Album share")

    code = models.CharField(max_length=32, unique=True, editable=False, verbose_name=_("code"))
    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.GENERIC, verbose_name=_("kind")
    )
    page = models.CharField(
        max_length=128, help_text=_("Mini-program page path to open."), verbose_name=_("page")
    )
    params = models.JSONField(default=dict, blank=True, verbose_name=_("params"))
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="shortlinks",
        verbose_name=_("creator"),
    )
    album = models.ForeignKey(
        "album.Album",
        null=True,
        blank=True,
        on_delete=CASCADE_CHECKED,
        related_name="shortlinks",
        verbose_name=_("album"),
    )
    role = models.CharField(
        max_length=12,
        blank=True,
        choices=[(role.value, role.label) for role in SHAREABLE_ROLES],
        help_text=_("Role an album share grants; empty for a generic link."),
        verbose_name=_("role"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("expires at"))
    max_visits = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("max visits"))
    visit_count = models.PositiveBigIntegerField(default=0, verbose_name=_("visit count"))
    last_visited_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last visited at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    # The link's mini-program code, made once in the background and kept in object storage.
    wxacode_key = models.CharField(
        max_length=255, blank=True, editable=False, verbose_name=_("wxacode key")
    )
    wxacode_type = models.CharField(
        max_length=32, blank=True, editable=False, verbose_name=_("wxacode type")
    )
    # WeChat's image, kept here from its answer until it is in storage: a storage failure then
    # costs a retry of the write, not another call to WeChat (whose codes are metered).
    wxacode_received = models.BinaryField(
        null=True, blank=True, editable=False, verbose_name=_("wxacode received")
    )
    wxacode_error = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Why WeChat refused to make its code, if it did."),
        verbose_name=_("wxacode error"),
    )

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        indexes = [models.Index(fields=["album", "role", "creator"])]
        constraints = [
            # A generic link grants nothing; an album share names its album and a shareable role.
            models.CheckConstraint(
                condition=Q(kind="generic", role="")
                | Q(kind="album_share", album__isnull=False, role__in=SHAREABLE_ROLES),
                name="shortlink_role_valid",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="shortlink_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.code

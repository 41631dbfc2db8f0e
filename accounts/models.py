"""Users: WeChat users known by openid, and staff users who sign in to the admin."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.etags import etag
from moderation import media


class User(AbstractUser):
    # A WeChat user's username is their openid; staff users pick one and have a password.
    openid = models.CharField(
        max_length=64, unique=True, null=True, blank=True, verbose_name=_("openid")
    )
    unionid = models.CharField(
        max_length=64, unique=True, null=True, blank=True, verbose_name=_("unionid")
    )
    nickname = models.CharField(max_length=32, blank=True, verbose_name=_("nickname"))
    # A nickname WeChat's check sent to review: the user sees it, others see no nickname
    # ("WeChat user") until staff approve it (moderation.services).
    held_nickname = models.CharField(
        max_length=32, blank=True, editable=False, db_default="", verbose_name=_("held nickname")
    )
    # The avatar others see, and a newer one waiting for WeChat's check or staff (shown only
    # to the user until it passes); both uploads, never a URL the client names.
    avatar = models.ForeignKey(
        "Avatar", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False, verbose_name=_("avatar"),
    )  # fmt: skip
    held_avatar = models.ForeignKey(
        "Avatar", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False, verbose_name=_("held avatar"),
    )  # fmt: skip
    # Asked for with DELETE /me: the account's data is deleted at this time, unless cancelled.
    deletion_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("deletion at")
    )
    # When it was deleted: the row stays (comments' threads and the activity log point at it)
    # with nothing that names the person.
    deleted_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("deleted at")
    )
    # Needed to decrypt data the mini-program sends; it never leaves the server.
    wechat_session_key = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("wechat session key")
    )

    # Set on the user a bearer token authenticated: through the API everyone acts as
    # themselves with their own roles, whatever their staff flag says; staff powers are for the
    # admin, where staff sign in with a password.
    via_api_token = False

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.nickname or self.openid or self.username

    @property
    def for_staff(self) -> str:
        """How staff see a user: the nickname (not unique) with the openid, or the username."""
        name = self.nickname or gettext("WeChat user")
        return f"{name} · {self.openid}" if self.openid else self.username

    @property
    def acts_as_staff(self) -> bool:
        """Staff acting in the admin (not through an API token)."""
        return self.is_active and self.is_staff and not self.via_api_token

    @property
    def etag(self) -> str:
        return etag("user", self.pk, self.nickname, self.held_nickname, self.avatar_id,
                    self.held_avatar_id)  # fmt: skip

    @property
    def display_name(self) -> str:
        if self.deleted_at:
            return gettext("Deleted user")
        return self.nickname or gettext("WeChat user")


class Avatar(media.Checked):
    """A picture the user uploaded as their avatar: two square JPEGs under random keys, and
    where it stands in WeChat's media check (moderation.media). The user's `avatar` points at
    the one others see, `held_avatar` at a newer one still being checked."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="avatars", verbose_name=_("user")
    )
    # Object keys on storage: random, made by the server, never reused.
    large = models.FileField(max_length=255, verbose_name=_("large"))
    thumb = models.FileField(max_length=255, verbose_name=_("thumb"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("avatar")
        verbose_name_plural = _("avatars")
        # Whole-table indexes, as for photos (MySQL and MariaDB have no partial ones).
        indexes = [
            models.Index(fields=["check_trace_id"], name="avatar_trace_id"),
            models.Index(fields=["review", "created_at"], name="avatar_unsettled"),
        ]

    def __str__(self) -> str:
        return gettext("Avatar %(id)s of user %(user)s") % {"id": self.pk, "user": self.user_id}

    @property
    def object_keys(self) -> list[str]:
        return [f.name for f in (self.large, self.thumb) if f.name]


class AvatarInReview(Avatar):
    """The admin's queue of avatars staff must decide on."""

    class Meta:
        verbose_name = _("avatar to review")
        verbose_name_plural = _("avatars to review")
        proxy = True

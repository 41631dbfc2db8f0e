"""Users: WeChat users known by openid, and staff users who sign in to the admin."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext

from config.etags import etag


class User(AbstractUser):
    # A WeChat user's username is their openid; staff users pick one and have a password.
    openid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    unionid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    nickname = models.CharField(max_length=32, blank=True)
    # A nickname WeChat's check sent to review: the user sees it, others see no nickname
    # ("WeChat user") until staff approve it (moderation.services).
    held_nickname = models.CharField(max_length=32, blank=True, editable=False, db_default="")
    avatar_url = models.URLField(max_length=500, blank=True)
    # Asked for with DELETE /me: the account's data is deleted at this time, unless cancelled.
    deletion_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When it was deleted: the row stays (comments' threads and the activity log point at it)
    # with nothing that names the person.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Needed to decrypt data the mini-program sends; it never leaves the server.
    wechat_session_key = models.CharField(max_length=64, blank=True, editable=False)

    # Set on the user a bearer token authenticated: through the API everyone acts as
    # themselves with their own roles, whatever their staff flag says; staff powers are for the
    # admin, where staff sign in with a password.
    via_api_token = False

    def __str__(self) -> str:
        return self.nickname or self.openid or self.username

    @property
    def acts_as_staff(self) -> bool:
        """Staff acting in the admin (not through an API token)."""
        return self.is_active and self.is_staff and not self.via_api_token

    @property
    def etag(self) -> str:
        return etag("user", self.pk, self.nickname, self.held_nickname, self.avatar_url)

    @property
    def display_name(self) -> str:
        if self.deleted_at:
            return gettext("Deleted user")
        return self.nickname or gettext("WeChat user")

"""Users in the admin: staff accounts are Django's; a WeChat user's identity is read-only."""

from accounts.models import User
from audit.models import LogEntry


def test_a_wechat_users_identity_cannot_be_changed_in_the_admin(staff_client, member):
    page = staff_client.get(f"/admin/accounts/user/{member.pk}/change/").content.decode()

    assert 'name="openid"' not in page
    assert 'name="nickname"' not in page
    assert member.openid in page


def test_logging_in_is_logged_as_the_user(api, settings, db):
    settings.WECHAT_SANDBOX = True

    first = api.post("/api/v1/auth/login", {"code": "c1"}, format="json").json()
    api.post("/api/v1/auth/login", {"code": "c1"}, format="json")

    user = User.objects.get(pk=first["user"]["id"])
    entries = LogEntry.objects.filter(actor=user).order_by("pk")
    actions = list(entries.values_list("action", flat=True))
    assert actions == ["user.created", "user.logged_in"]

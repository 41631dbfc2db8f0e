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


def admin_login(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_the_admin_login_is_throttled_per_username_and_per_address(client, staff, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    staff.set_password("right-password")
    staff.save()
    wrong = [admin_login(client, "operator", f"guess-{n}").status_code for n in range(4)]

    # The fourth try is refused whatever it says, even with the right password.
    assert wrong == [200, 200, 200, 429]
    refused = admin_login(client, "operator", "right-password", address="10.0.0.2")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    # From that address, other usernames are refused too; from elsewhere they are tried.
    assert admin_login(client, "someone-else", "x").status_code == 429
    assert admin_login(client, "someone-else", "x", address="10.0.0.3").status_code == 200


def test_a_good_login_is_not_throttled(client, staff, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    staff.set_password("right-password")
    staff.save()
    admin_login(client, "operator", "typo")

    response = admin_login(client, "operator", "right-password")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"

"""Users in the admin: staff accounts are Django's; a WeChat user's identity is read-only."""

import pytest

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


def test_guessing_locks_the_guessers_address_out_not_the_operator(client, staff, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    staff.set_password("right-password")
    staff.save()
    wrong = [admin_login(client, "operator", f"guess-{n}").status_code for n in range(4)]

    # The fourth try from the guesser's address is refused whatever it says.
    assert wrong == [200, 200, 200, 429]
    refused = admin_login(client, "operator", "right-password")
    assert (refused.status_code, refused["Retry-After"]) == (429, "900")
    # The operator, elsewhere, logs in.
    assert admin_login(client, "operator", "right-password", address="10.0.0.2").status_code == 302


def test_one_address_spraying_usernames_is_stopped(client, staff, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    names = [admin_login(client, f"name{n}", "x").status_code for n in range(10)]

    assert names == [200] * 9 + [429]  # 3 N failures from one address
    assert admin_login(client, "name0", "x", address="10.0.0.9").status_code == 200


def test_a_guess_spread_over_many_addresses_locks_the_username(client, staff, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    staff.set_password("right-password")
    staff.save()
    for n in range(30):  # 10 N, each address below its own limits
        admin_login(client, "operator", "guess", address=f"10.1.{n // 2}.{n % 2}")

    late = admin_login(client, "operator", "right-password", address="10.9.9.9")

    assert late.status_code == 429


@pytest.mark.parametrize("spelling", ["ｏｐｅｒａｔｏｒ", "𝐨𝐩𝐞𝐫𝐚𝐭𝐨𝐫", "OPERATOR"])
def test_usernames_django_treats_as_one_are_counted_as_one(client, staff, settings, spelling):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    for n in range(3):
        admin_login(client, "operator" if n % 2 else spelling, f"guess-{n}")

    assert admin_login(client, spelling, "guess").status_code == 429
    assert admin_login(client, "operator", "guess").status_code == 429


def test_a_good_login_is_not_throttled(client, staff, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    staff.set_password("right-password")
    staff.save()
    admin_login(client, "operator", "typo")

    response = admin_login(client, "operator", "right-password")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"

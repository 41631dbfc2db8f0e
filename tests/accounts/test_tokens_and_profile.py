"""Bearer tokens and the caller's own profile."""

import time

from django.core import signing

ME = "/api/v1/me"


def test_me_shows_own_profile(api, owner):
    response = api.as_user(owner).get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": owner.id,
        "openid": owner.openid,
        "nickname": "owner",
        "avatar": None,
        "held": [],
        "deletion_at": None,
    }


def test_anonymous_gets_401_problem(api, db):
    response = api.get(ME)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert set(body) >= {"type", "title", "status", "detail", "code"}


def test_forged_token_is_401(api, db):
    response = api.get(ME, HTTP_AUTHORIZATION="Bearer eyJ1IjoxfQ:1tXYZ:forged")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


class _PastSigner(signing.TimestampSigner):
    def __init__(self, age: int, **kwargs):
        super().__init__(**kwargs)
        self.age = age

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.age)


def test_expired_token_is_401(api, owner):
    two_hours_ago = _PastSigner(2 * 3600 + 5, salt="accounts.token").sign_object({"u": owner.pk})
    fresh = _PastSigner(2 * 3600 - 60, salt="accounts.token").sign_object({"u": owner.pk})

    assert api.get(ME, HTTP_AUTHORIZATION=f"Bearer {two_hours_ago}").status_code == 401
    assert api.get(ME, HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 200


def test_deactivated_user_token_is_401(api, owner):
    api.as_user(owner)
    owner.is_active = False
    owner.save()

    assert api.get(ME).status_code == 401


def test_patch_me_updates_the_nickname(api, owner):
    response = api.as_user(owner).patch(ME, {"nickname": "小明"}, format="json")

    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.nickname == "小明"


def test_patch_me_rejects_bad_values(api, owner):
    too_long = api.as_user(owner).patch(ME, {"nickname": "x" * 33}, format="json")
    # The avatar is an upload (PUT /me/avatar): a URL the client names is refused, not dropped.
    named = api.as_user(owner).patch(
        ME, {"avatar_url": "https://cdn.example.com/a.png"}, format="json"
    )

    assert (too_long.status_code, set(too_long.json()["errors"])) == (400, {"nickname"})
    assert (named.status_code, set(named.json()["errors"])) == (400, {"avatar_url"})
    owner.refresh_from_db()
    assert owner.nickname == "owner"


def test_patch_me_rejects_a_nickname_with_nothing_visible(api, owner):
    response = api.as_user(owner).patch(ME, {"nickname": " \u200b "}, format="json")

    assert response.status_code == 400
    assert "nickname" in response.json()["errors"]


def test_what_get_me_returns_a_new_user_can_put_back_as_it_is(api, db):
    from tests.factories import UserFactory

    newcomer = UserFactory(nickname="")
    profile = api.as_user(newcomer).get(ME).json()
    editable = {name: profile[name] for name in ("nickname",)}

    response = api.as_user(newcomer).put(ME, editable, format="json")
    named = api.as_user(newcomer).put(ME, {**editable, "nickname": "小明"}, format="json")

    assert (editable, profile["avatar"]) == ({"nickname": ""}, None)
    assert response.status_code == 200
    assert (named.status_code, named.json()["nickname"]) == (200, "小明")

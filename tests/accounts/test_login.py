"""Logging in with a wx.login code, against a real local stand-in for the WeChat API."""

import logging
import time

import pytest
from django.core import checks
from django.test import override_settings

from accounts.models import User

LOGIN = "/api/v1/auth/login"


def expect_code2session(server, js_code: str):
    return server.expect_request(
        "/sns/jscode2session",
        method="GET",
        query_string={
            "appid": "wx-app",
            "secret": "wx-secret",
            "js_code": js_code,
            "grant_type": "authorization_code",
        },
    )


def test_login_creates_user_and_returns_token(api, wechat, db):
    expect_code2session(wechat, "code-1").respond_with_json(
        {"openid": "o-alice", "session_key": "SECRET-SESSION-KEY", "unionid": "u-alice"}
    )

    response = api.post(LOGIN, {"code": "code-1"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 7200
    assert body["user"]["openid"] == "o-alice"
    user = User.objects.get(openid="o-alice")
    assert user.unionid == "u-alice"
    assert user.wechat_session_key == "SECRET-SESSION-KEY"
    me = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.json()["id"] == user.id


def test_second_login_is_the_same_user(api, wechat, db):
    expect_code2session(wechat, "a").respond_with_json({"openid": "o-bob", "session_key": "k1"})
    expect_code2session(wechat, "b").respond_with_json({"openid": "o-bob", "session_key": "k2"})

    first = api.post(LOGIN, {"code": "a"}, format="json").json()
    second = api.post(LOGIN, {"code": "b"}, format="json").json()

    assert first["user"]["id"] == second["user"]["id"]
    assert User.objects.get(openid="o-bob").wechat_session_key == "k2"


def test_session_key_never_leaves_the_server(api, wechat, db, caplog):
    expect_code2session(wechat, "c").respond_with_json(
        {"openid": "o-carol", "session_key": "TOP-SECRET-KEY"}
    )
    caplog.set_level(logging.DEBUG)

    response = api.post(LOGIN, {"code": "c"}, format="json")
    token = response.json()["token"]
    me = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert "TOP-SECRET-KEY" not in response.content.decode()
    assert "TOP-SECRET-KEY" not in me.content.decode()
    assert "TOP-SECRET-KEY" not in caplog.text


@pytest.mark.parametrize(
    ("errcode", "status", "code"),
    [
        (40029, 400, "invalid_code"),
        (40163, 400, "invalid_code"),
        (45011, 429, "wechat_rate_limited"),
        (40226, 403, "wechat_user_blocked"),
        (-1, 503, "wechat_unavailable"),
    ],
)
def test_wechat_errors_become_problems(api, wechat, db, errcode, status, code):
    expect_code2session(wechat, "bad").respond_with_json({"errcode": errcode, "errmsg": "x"})

    response = api.post(LOGIN, {"code": "bad"}, format="json")

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert response.get("Retry-After") == {429: "60", 503: "5"}.get(status)
    assert not User.objects.exists()


def test_wechat_server_error_is_503(api, wechat, db):
    expect_code2session(wechat, "x").respond_with_data("oops", status=502)

    response = api.post(LOGIN, {"code": "x"}, format="json")

    assert response.status_code == 503
    assert response.json()["code"] == "wechat_unavailable"


def test_wechat_unreachable_is_503(api, db, unused_port):
    with override_settings(
        WECHAT_SANDBOX=False,
        WECHAT_API_BASE=f"http://127.0.0.1:{unused_port}",
        WECHAT_APP_ID="wx-app",
        WECHAT_APP_SECRET="wx-secret",
    ):
        response = api.post(LOGIN, {"code": "x"}, format="json")

    assert response.status_code == 503
    assert response.json()["code"] == "wechat_unavailable"


def test_wechat_timeout_is_503(api, wechat, db):
    def slow(request):
        time.sleep(1.5)

    expect_code2session(wechat, "slow").respond_with_handler(slow)

    response = api.post(LOGIN, {"code": "slow"}, format="json")

    assert response.status_code == 503
    assert response.json()["code"] == "wechat_unavailable"


def test_login_requires_a_code(api, db):
    response = api.post(LOGIN, {}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "code" in body["errors"]


def test_sandbox_maps_each_code_to_a_stable_user(api, db):
    first = api.post(LOGIN, {"code": "same"}, format="json").json()
    again = api.post(LOGIN, {"code": "same"}, format="json").json()
    other = api.post(LOGIN, {"code": "different"}, format="json").json()

    assert first["user"]["id"] == again["user"]["id"]
    assert first["user"]["id"] != other["user"]["id"]


def test_sandbox_is_refused_without_debug():
    with override_settings(DEBUG=False, WECHAT_SANDBOX=True):
        errors = checks.run_checks()
    assert "wechat.E001" in [e.id for e in errors]


def test_sandbox_is_allowed_in_debug():
    with override_settings(DEBUG=True, WECHAT_SANDBOX=True):
        errors = checks.run_checks()
    assert "wechat.E001" not in [e.id for e in errors]


def test_login_is_throttled_per_ip(api, db):
    statuses = [
        api.post(LOGIN, {"code": f"c{i}"}, format="json", REMOTE_ADDR="10.0.0.7").status_code
        for i in range(21)
    ]
    other_ip = api.post(LOGIN, {"code": "z"}, format="json", REMOTE_ADDR="10.0.0.8")

    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    assert other_ip.status_code == 200
    throttled = api.post(LOGIN, {"code": "c"}, format="json", REMOTE_ADDR="10.0.0.7")
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0


@pytest.mark.django_db(transaction=True)
def test_login_holds_no_transaction_while_wechat_is_slow(api, wechat, member, settings):
    """Another request's write goes through while a login waits on WeChat."""
    import threading

    # Room for the other request's own connection to open: the fixture's 0.5 s WeChat timeout
    # sometimes ran out before it did, in a full run. A held lock still blocks it for SQLite's
    # 5 s busy timeout, past this one, and the write must still take under a second.
    settings.WECHAT_TIMEOUT = 3

    from django.db import connections

    login_connection = connections["default"]  # this thread's, which the login will use
    during_the_wait = {}

    def slow_wechat(request):
        during_the_wait["in_transaction"] = login_connection.in_atomic_block

        def another_request():  # its own thread, so its own database connection
            started = time.monotonic()
            User.objects.filter(pk=member.pk).update(nickname="renamed meanwhile")
            during_the_wait["write_seconds"] = time.monotonic() - started
            connections.close_all()

        writer = threading.Thread(target=another_request)
        writer.start()
        writer.join(timeout=5)
        from werkzeug import Response

        return Response('{"openid": "o-slow", "session_key": "k"}', content_type="text/plain")

    wechat.expect_request("/sns/jscode2session").respond_with_handler(slow_wechat)

    response = api.post(LOGIN, {"code": "code-slow"}, format="json")

    assert response.status_code == 200
    assert during_the_wait["in_transaction"] is False
    assert during_the_wait["write_seconds"] < 1
    assert User.objects.get(pk=member.pk).nickname == "renamed meanwhile"

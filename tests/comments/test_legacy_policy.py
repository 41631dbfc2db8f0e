"""Edit and delete asked of the legacy backend over HTTP: a real local server plays it."""

import hashlib
import hmac
import json
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from werkzeug import Response

from comments.models import Comment, PermissionDecision

SECRET = "legacy-shared-secret"


@pytest.fixture
def legacy(httpserver):
    with override_settings(
        LEGACY_BACKEND_URL=httpserver.url_for("").rstrip("/"),
        LEGACY_BACKEND_SECRET=SECRET,
        LEGACY_BACKEND_TIMEOUT=0.5,
    ):
        yield httpserver


def answer(server, handler):
    server.expect_request("/permissions/check", method="POST").respond_with_handler(handler)


def edit(api, user, comment):
    return api.as_user(user).patch(f"/api/v1/comments/{comment.id}", {"body": "New"}, format="json")


def test_allowed_request_is_signed_and_describes_the_comment(api, legacy, member, owner, comment):
    seen = {}

    def handler(request):
        body = request.get_data()
        expected = hmac.new(
            SECRET.encode(), request.headers["X-Timestamp"].encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        seen["signature_ok"] = hmac.compare_digest(expected, request.headers["X-Signature"])
        seen["fresh"] = abs(int(request.headers["X-Timestamp"]) - time.time()) < 5
        seen["payload"] = json.loads(body)
        return Response(
            json.dumps({"allowed": True, "reason": "ok"}), content_type="application/json"
        )

    answer(legacy, handler)

    response = edit(api, member, comment)

    assert response.status_code == 200
    assert seen["signature_ok"]
    assert seen["fresh"]
    assert seen["payload"] == {
        "openid": member.openid,
        "action": "comment.edit",
        "resource": {
            "type": "comment",
            "id": comment.id,
            "author_openid": member.openid,
            "album_id": comment.album_id,
            "album_owner_openid": owner.openid,
        },
    }
    decision = PermissionDecision.objects.get()
    assert (decision.backend, decision.allowed) == ("legacy_http", True)


def test_denied_is_403_with_the_backends_reason(api, legacy, member, comment):
    legacy.expect_request("/permissions/check").respond_with_json(
        {"allowed": False, "reason": "Account frozen"}
    )

    response = edit(api, member, comment)

    assert response.status_code == 403
    assert response.json()["detail"] == "Account frozen"
    assert Comment.objects.get(pk=comment.pk).body == "Nice one"


def slow(request):
    time.sleep(1.2)
    return Response("{}", content_type="application/json")


@pytest.mark.parametrize(
    "reply",
    [
        lambda r: Response("boom", status=500),
        lambda r: Response("<html>", content_type="text/html"),
        lambda r: Response(json.dumps({"allowed": True}), content_type="application/json"),
        lambda r: Response(
            json.dumps({"allowed": "yes", "reason": ""}), content_type="application/json"
        ),
        lambda r: Response("", status=302, headers={"Location": "http://127.0.0.1:1/allow"}),
        slow,
    ],
    ids=["500", "not-json", "missing-reason", "wrong-type", "redirect", "timeout"],
)
def test_no_answer_is_503_and_changes_nothing(api, legacy, member, comment, reply):
    answer(legacy, reply)

    edited = edit(api, member, comment)
    cache.clear()
    deleted = api.delete(f"/api/v1/comments/{comment.id}")

    assert edited.status_code == deleted.status_code == 503
    assert edited.json()["code"] == "permission_backend_unavailable"
    assert edited["Retry-After"] == deleted["Retry-After"] == "5"
    comment.refresh_from_db()
    assert (comment.body, comment.deleted_at, comment.edited_at) == ("Nice one", None, None)
    assert set(PermissionDecision.objects.values_list("allowed", flat=True)) == {None}


def test_connection_refused_is_503(api, member, comment, unused_port):
    with override_settings(
        LEGACY_BACKEND_URL=f"http://127.0.0.1:{unused_port}", LEGACY_BACKEND_SECRET=SECRET
    ):
        response = edit(api, member, comment)

    assert response.status_code == 503
    assert Comment.objects.get(pk=comment.pk).body == "Nice one"


def test_breaker_opens_after_five_failures_and_closes_again(api, legacy, member, comment):
    answer(legacy, lambda r: Response("down", status=500))
    for _ in range(5):
        assert edit(api, member, comment).status_code == 503
    calls = len(legacy.log)

    assert edit(api, member, comment).status_code == 503
    assert len(legacy.log) == calls  # open: the backend is not even asked

    cache.delete("legacy:breaker:open")  # the 30 s cooldown passing
    legacy.clear()
    legacy.expect_request("/permissions/check").respond_with_json({"allowed": True, "reason": ""})
    assert edit(api, member, comment).status_code == 200
    assert cache.get("legacy:breaker:failures") is None


def test_answers_are_remembered_per_user_not_per_openid(legacy, comment, db):
    """Users without an openid (staff) must not share one cached answer."""
    from comments.permissions import get_policy
    from tests.factories import StaffFactory

    asked = []

    def handler(request):
        asked.append(json.loads(request.get_data()))
        return Response(json.dumps({"allowed": len(asked) == 1, "reason": "r"}),
                        content_type="application/json")  # fmt: skip

    answer(legacy, handler)
    first, second = StaffFactory(), StaffFactory()

    one = get_policy().check(user=first, action="comment.edit", comment=comment)
    other = get_policy().check(user=second, action="comment.edit", comment=comment)
    one_again = get_policy().check(user=first, action="comment.edit", comment=comment)

    assert (one.allowed, other.allowed, one_again.allowed) == (True, False, True)
    assert len(asked) == 2

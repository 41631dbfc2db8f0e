"""CONTENT_CHECK=wechat: comment text goes through msgSecCheck (a local stand-in)."""

import json
import time

import pytest
from werkzeug import Response

from comments.models import Comment
from tests.conftest import CHECK_PATH, TOKEN_PATH, verdict


def post(api, user, photo, body):
    return api.as_user(user).post(f"/api/v1/photos/{photo.id}/comments", {"body": body}, "json")


def test_accepted_text_is_posted_after_asking_wechat(api, member, photo, checked):
    checked.expect_request(
        CHECK_PATH, method="POST", query_string={"access_token": "TOKEN-1"}
    ).respond_with_json(verdict("pass"))

    response = post(api, member, photo, "  What a view  ")

    assert response.status_code == 201
    asked = json.loads(checked.log[-1][0].data)
    assert asked == {"openid": member.openid, "scene": 2, "version": 2, "content": "What a view"}


def test_risky_text_is_refused_and_nothing_is_saved(api, member, photo, checked):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("risky"))

    response = post(api, member, photo, "something risky")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "content_rejected"
    assert not Comment.objects.exists()


def test_risky_edit_is_refused_and_the_comment_keeps_its_text(api, member, comment, checked):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("risky"))

    response = api.as_user(member).patch(f"/api/v1/comments/{comment.id}", {"body": "bad"}, "json")

    assert response.status_code == 400
    assert response.json()["code"] == "content_rejected"
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("Nice one", None)


def listed(api, user, photo) -> list[str]:
    response = api.as_user(user).get(f"/api/v1/photos/{photo.id}/comments")
    return [c["body"] for c in response.json()["results"]]


def test_text_for_review_is_held_for_staff_and_listed_only_for_its_author(
    api, member, owner, photo, checked, staff, staff_client
):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("review"))

    response = post(api, member, photo, "borderline")

    assert (response.status_code, response.json()["review"]) == (201, "review")
    assert listed(api, member, photo) == ["borderline"]
    assert listed(api, owner, photo) == []
    comment_id = response.json()["id"]
    assert api.as_user(owner).get(f"/api/v1/comments/{comment_id}").status_code == 404
    queue = staff_client.get("/admin/comments/comment/?review__exact=review")
    assert f"/admin/comments/comment/{comment_id}/change/" in queue.content.decode()

    staff_client.post(
        "/admin/comments/comment/", {"action": "approve", "_selected_action": [comment_id]}
    )

    assert listed(api, owner, photo) == ["borderline"]
    assert Comment.objects.get(pk=comment_id).review == "approved"


def test_staff_reject_a_held_comment_and_only_its_author_still_sees_it(
    api, member, owner, photo, checked, staff_client
):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("pass"))
    comment_id = post(api, member, photo, "fine, then not").json()["id"]
    assert listed(api, owner, photo) == ["fine, then not"]

    staff_client.post(
        "/admin/comments/comment/", {"action": "reject", "_selected_action": [comment_id]}
    )

    assert listed(api, owner, photo) == []
    assert listed(api, member, photo) == ["fine, then not"]


def test_the_access_token_is_fetched_once_and_reused(api, member, photo, checked):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("pass"))

    for n in range(3):
        assert post(api, member, photo, f"comment {n}").status_code == 201

    token_calls = [r for r, _ in checked.log if r.path == TOKEN_PATH]
    assert len(token_calls) == 1


def test_an_expired_token_is_replaced_and_the_check_retried(api, member, photo, checked):
    checked.expect_oneshot_request(CHECK_PATH, method="POST").respond_with_json(
        {"errcode": 42001, "errmsg": "access_token expired"}
    )
    checked.expect_request(CHECK_PATH, method="POST").respond_with_json(verdict("pass"))

    assert post(api, member, photo, "hello again").status_code == 201
    assert [r.path for r, _ in checked.log] == [TOKEN_PATH, CHECK_PATH, TOKEN_PATH, CHECK_PATH]
    assert json.loads(checked.log[2][0].data)["force_refresh"] is True
    assert checked.log[3][0].args["access_token"] == "TOKEN-2"


@pytest.mark.parametrize(
    "answer",
    [
        Response("busy", status=500),
        Response("<html>not json</html>", status=200),
        Response(json.dumps({"errcode": -1, "errmsg": "system error"}), status=200),
        Response(json.dumps({"errcode": 0, "result": {"suggest": "maybe"}}), status=200),
    ],
    ids=["500", "not-json", "system-busy", "unknown-verdict"],
)
def test_wechat_failing_is_503_and_nothing_is_saved(api, member, photo, checked, answer):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_response(answer)

    response = post(api, member, photo, "hello")

    assert response.status_code == 503
    assert response.json()["code"] == "wechat_unavailable"
    assert not Comment.objects.exists()


def test_wechat_too_slow_is_503(api, member, photo, checked):
    checked.expect_request(CHECK_PATH, method="POST").respond_with_handler(
        lambda request: time.sleep(1) or Response(json.dumps(verdict("pass")))
    )

    assert post(api, member, photo, "hello").status_code == 503
    assert not Comment.objects.exists()


def test_with_the_check_off_wechat_is_not_asked(api, member, photo, wechat, settings):
    settings.CONTENT_CHECK = "off"

    assert post(api, member, photo, "anything").status_code == 201
    assert wechat.log == []


def test_the_sandbox_refuses_its_marker_for_development(api, member, photo, settings):
    settings.CONTENT_CHECK = "wechat"

    assert post(api, member, photo, "fine").status_code == 201
    refused = post(api, member, photo, "not fine [sandbox-risky]")
    assert refused.json()["code"] == "content_rejected"

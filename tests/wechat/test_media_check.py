"""The client's asynchronous image check, against a local stand-in for WeChat."""

import json

import pytest

from wechat.client import WeChatUnavailable, get_client

TOKEN = "/cgi-bin/stable_token"
CHECK = "/wxa/media_check_async"


@pytest.fixture
def weixin(wechat):
    wechat.expect_request(TOKEN, method="POST").respond_with_json(
        {"access_token": "TOKEN-1", "expires_in": 7200}
    )
    return wechat


def test_an_image_check_is_asked_with_the_token_and_returns_the_trace_id(weixin):
    accepted = {"errcode": 0, "errmsg": "ok", "trace_id": "t-1"}
    weixin.expect_request(
        CHECK, method="POST", query_string={"access_token": "TOKEN-1"}
    ).respond_with_json(accepted)

    trace_id = get_client().check_image_async(
        media_url="https://cdn.example.com/p/large.jpg", openid="o-ada", scene=4
    )

    asked = json.loads([r for r, _ in weixin.log if r.path == CHECK][0].data)
    assert trace_id == "t-1"
    assert asked == {"media_url": "https://cdn.example.com/p/large.jpg", "media_type": 2,
                     "version": 2, "scene": 4, "openid": "o-ada"}  # fmt: skip


@pytest.mark.parametrize("answer", [{"errcode": 45009, "errmsg": "quota"}, {"errcode": 0}])
def test_a_refused_or_empty_answer_is_unavailable(weixin, answer):
    weixin.expect_request(CHECK, method="POST").respond_with_json(answer)

    with pytest.raises(WeChatUnavailable):
        get_client().check_image_async(media_url="https://x/y.jpg", openid="o", scene=4)

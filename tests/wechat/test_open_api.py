"""Cloud Hosting's open API service (WECHAT_OPEN_API=cloudrun): every call goes out without an
access token and no token is ever fetched, against a stand-in that refuses any call that
carries one, as the real service has no use for it."""

import json
import logging

import pytest
from werkzeug import Request, Response

from wechat.client import WeChatUnavailable, get_client

SEQID = "seq-0a1b2c"


def open_api(request: Request) -> Response:
    if "access_token" in request.args or request.path == "/cgi-bin/stable_token":
        body = {"errcode": 41001, "errmsg": "access_token present: not the open API's way"}
        return Response(json.dumps(body), status=400, content_type="application/json")
    answers = {
        "/wxa/msg_sec_check": {"errcode": 0, "result": {"suggest": "pass", "label": 100}},
        "/wxa/media_check_async": {"errcode": 0, "trace_id": "t-open"},
    }
    if request.path == "/wxa/getwxacodeunlimit":
        return Response(b"\xff\xd8jpeg", content_type="image/jpeg",
                        headers={"x-openapi-seqid": SEQID})  # fmt: skip
    return Response(json.dumps(answers[request.path]), content_type="application/json",
                    headers={"x-openapi-seqid": SEQID})  # fmt: skip


@pytest.fixture
def service(wechat, settings):
    settings.WECHAT_OPEN_API = "cloudrun"
    settings.WECHAT_APP_SECRET = ""
    wechat.expect_request("/cgi-bin/stable_token").respond_with_handler(open_api)
    for path in ("/wxa/msg_sec_check", "/wxa/media_check_async", "/wxa/getwxacodeunlimit"):
        wechat.expect_request(path, method="POST").respond_with_handler(open_api)
    return wechat


def test_every_call_goes_without_a_token_and_none_is_fetched(service, caplog):
    client = get_client()
    with caplog.at_level(logging.INFO, logger="wechat.client"):
        verdict = client.check_text(openid="o-ada", content="你好", scene=2)
        trace_id = client.check_image_async(media_url="https://x/y.jpg", openid="o-ada", scene=1)
        image = client.wxacode(scene="ABC", page="pages/a/index", env_version="release",
                               width=430, check_path=False)  # fmt: skip

    assert (verdict, trace_id, image.content_type) == ("pass", "t-open", "image/jpeg")
    assert [r.path for r, _ in service.log] == [
        "/wxa/msg_sec_check", "/wxa/media_check_async", "/wxa/getwxacodeunlimit"
    ]  # fmt: skip
    assert all(not r.args for r, _ in service.log)
    seqids = [r.openapi_seqid for r in caplog.records if hasattr(r, "openapi_seqid")]
    assert seqids == [SEQID] * 3


def test_with_the_setting_off_a_token_is_fetched_and_sent(service, settings):
    settings.WECHAT_OPEN_API = "direct"

    with pytest.raises(WeChatUnavailable):  # the stand-in refuses the token fetch
        get_client().check_text(openid="o-ada", content="你好", scene=2)

    assert service.log[0][0].path == "/cgi-bin/stable_token"

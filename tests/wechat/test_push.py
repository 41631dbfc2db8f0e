"""WeChat's message push: only genuine, fresh pushes for this mini-program are read, in plain
and safe mode; genuine ones are acknowledged with `success`. Messages are built by an
independent implementation of WeChat's scheme (tests/wechat/wxcrypt.py), checked first
against WeChat's own published sample."""

import json
import time

import pytest

from tests.wechat import wxcrypt
from wechat import push
from wechat.signals import media_check_verdict

# The albums app's receiver looks verdicts up in the database.
pytestmark = pytest.mark.django_db

# WeChat's published sample (its WXBizMsgCrypt demo): these values are theirs.
SAMPLE = {
    "token": "spamtest",
    "aes_key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "appid": "wx2c2769f8efd9abc2",
    "timestamp": "1409735669",
    "nonce": "1320562132",
    "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
    "encrypt": (
        "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6"
        "F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T33"
        "2jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCg"
        "avjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6Oewp"
        "usjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
    ),
}


def test_wechats_published_sample_verifies_and_decrypts():
    s = SAMPLE
    push.check_signature(s["msg_signature"], s["token"], s["timestamp"], s["nonce"], s["encrypt"])

    message = push.decrypt(s["encrypt"], key=push.aes_key(s["aes_key"]), appid=s["appid"])

    assert message.startswith(b"<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]>")
    assert (
        wxcrypt.sha1_signature(s["token"], s["timestamp"], s["nonce"], s["encrypt"])
        == (s["msg_signature"])
    )


def test_the_independent_encryption_matches_wechats_decryption():
    s = SAMPLE
    sealed = wxcrypt.encrypt(b'{"a": 1}', encoding_aes_key=s["aes_key"], appid=s["appid"])

    assert push.decrypt(sealed, key=push.aes_key(s["aes_key"]), appid=s["appid"]) == b'{"a": 1}'
    with pytest.raises(push.PushRefused):
        push.decrypt(sealed, key=push.aes_key(s["aes_key"]), appid="wx-someone-else")


@pytest.fixture
def configured(settings):
    settings.WECHAT_PUSH_TOKEN = SAMPLE["token"]
    settings.WECHAT_PUSH_AES_KEY = SAMPLE["aes_key"]
    settings.WECHAT_APP_ID = SAMPLE["appid"]
    return settings


@pytest.fixture
def verdicts():
    """The verdicts the push endpoint announced, as a receiver would take them."""
    seen = []

    def receiver(sender, **verdict):
        seen.append(verdict)
        return verdict["trace_id"] == "known-trace"

    media_check_verdict.connect(receiver, dispatch_uid="test-receiver")
    yield seen
    media_check_verdict.disconnect(dispatch_uid="test-receiver")


def verdict_message(trace_id="known-trace", suggest="pass", appid=SAMPLE["appid"]) -> bytes:
    return json.dumps({
        "ToUserName": "gh_10f6c3c3ac5a", "FromUserName": "o-wechat", "CreateTime": 1,
        "MsgType": "event", "Event": "wxa_media_check", "appid": appid, "trace_id": trace_id,
        "version": 2, "result": {"suggest": suggest, "label": 100}, "detail": [],
    }).encode()  # fmt: skip


def plain_query(timestamp=None, nonce="n1") -> dict:
    timestamp = timestamp or str(int(time.time()))
    return {"timestamp": timestamp, "nonce": nonce,
            "signature": wxcrypt.sha1_signature(SAMPLE["token"], timestamp, nonce)}  # fmt: skip


def safe_post(client, message: bytes, *, appid=SAMPLE["appid"], tamper=False):
    timestamp, nonce = str(int(time.time())), "n2"
    sealed = wxcrypt.encrypt(message, encoding_aes_key=SAMPLE["aes_key"], appid=appid)
    signature = wxcrypt.sha1_signature(SAMPLE["token"], timestamp, nonce, sealed)
    if tamper:
        sealed = sealed[:-8] + ("A" * 7 + "=")
    query = f"encrypt_type=aes&timestamp={timestamp}&nonce={nonce}&msg_signature={signature}"
    body = json.dumps({"ToUserName": "gh_10f6c3c3ac5a", "Encrypt": sealed})
    return client.post(f"/wechat/push?{query}", body, content_type="application/json")


def test_the_url_check_echoes_only_for_a_good_signature(client, configured):
    good = client.get("/wechat/push", {**plain_query(), "echostr": "abc123"})
    forged = client.get("/wechat/push", {**plain_query(), "signature": "0" * 40, "echostr": "x"})

    assert (good.status_code, good.content) == (200, b"abc123")
    assert good["Content-Type"].startswith("text/plain")
    assert forged.status_code == 403


def test_a_plain_mode_verdict_is_read_and_acknowledged(client, configured, verdicts):
    configured.WECHAT_PUSH_AES_KEY = ""  # the console's plain mode
    query = "&".join(f"{k}={v}" for k, v in plain_query().items())

    response = client.post(f"/wechat/push?{query}", verdict_message(),
                           content_type="application/json")  # fmt: skip

    assert (response.status_code, response.content) == (200, b"success")
    assert [(v["trace_id"], v["suggest"], v["label"]) for v in verdicts] == [
        ("known-trace", "pass", 100)
    ]


def test_a_safe_mode_verdict_is_decrypted_and_acknowledged(client, configured, verdicts):
    response = safe_post(client, verdict_message(suggest="risky"))

    assert (response.status_code, response.content) == (200, b"success")
    assert [(v["trace_id"], v["suggest"]) for v in verdicts] == [("known-trace", "risky")]


@pytest.mark.parametrize(
    ("post", "status"),
    [
        (lambda c: safe_post(c, verdict_message(), appid="wx-someone-else"), 403),
        (lambda c: safe_post(c, verdict_message(), tamper=True), 403),
        (
            lambda c: c.post(
                "/wechat/push?"
                + "&".join(f"{k}={v}" for k, v in {**plain_query(), "signature": "f" * 40}.items()),
                verdict_message(),
                content_type="application/json",
            ),
            403,
        ),
        (
            lambda c: c.post(
                "/wechat/push?"
                + "&".join(
                    f"{k}={v}"
                    for k, v in plain_query(timestamp=str(int(time.time()) - 3600)).items()
                ),
                verdict_message(),
                content_type="application/json",
            ),
            400,
        ),
        (
            lambda c: c.post(
                "/wechat/push?" + "&".join(f"{k}={v}" for k, v in plain_query().items()),
                verdict_message(appid="wx-someone-else"),
                content_type="application/json",
            ),
            403,
        ),
    ],
    ids=["wrong-appid", "tampered", "bad-signature", "stale", "plain-wrong-appid"],
)
def test_anything_not_genuine_and_fresh_is_refused_and_announced_to_nobody(
    client, configured, verdicts, post, status
):
    response = post(client)

    assert response.status_code == status
    assert verdicts == []


def test_unknown_trace_ids_and_events_are_acknowledged(client, configured, verdicts, caplog):
    unknown = safe_post(client, verdict_message(trace_id="never-sent"))
    other = safe_post(client, json.dumps({"MsgType": "event", "Event": "other"}).encode())

    assert (unknown.content, other.content) == (b"success", b"success")
    assert "unknown trace id" in caplog.text


def test_without_a_token_there_is_no_push_endpoint(client, settings):
    settings.WECHAT_PUSH_TOKEN = ""

    assert client.get("/wechat/push").status_code == 404


def test_with_safe_mode_configured_a_plain_mode_push_is_refused(client, configured, verdicts):
    query = "&".join(f"{k}={v}" for k, v in plain_query().items())  # a genuine signature

    response = client.post(f"/wechat/push?{query}", verdict_message(),
                           content_type="application/json")  # fmt: skip

    assert response.status_code == 403
    assert verdicts == []


def test_a_seen_signature_cannot_carry_another_message(client, configured, verdicts):
    configured.WECHAT_PUSH_AES_KEY = ""
    query = "&".join(f"{k}={v}" for k, v in plain_query(nonce="seen-in-a-log").items())
    genuine = client.post(f"/wechat/push?{query}", verdict_message(),
                          content_type="application/json")  # fmt: skip

    replayed = client.post(f"/wechat/push?{query}", verdict_message(suggest="risky"),
                           content_type="application/json")  # fmt: skip

    assert (genuine.status_code, replayed.status_code) == (200, 200)  # WeChat's retries too
    assert [v["suggest"] for v in verdicts] == ["pass"]


def test_a_push_not_handled_is_read_again_when_wechat_retries(client, configured):
    def failing(sender, **verdict):
        raise RuntimeError("the database went away")

    media_check_verdict.connect(failing, dispatch_uid="failing")
    timestamp, nonce = str(int(time.time())), "retried"
    sealed = wxcrypt.encrypt(verdict_message(), encoding_aes_key=SAMPLE["aes_key"],
                             appid=SAMPLE["appid"])  # fmt: skip
    signature = wxcrypt.sha1_signature(SAMPLE["token"], timestamp, nonce, sealed)
    url = (f"/wechat/push?encrypt_type=aes&timestamp={timestamp}&nonce={nonce}"
           f"&msg_signature={signature}")  # fmt: skip
    body = json.dumps({"ToUserName": "gh_10f6c3c3ac5a", "Encrypt": sealed})
    try:
        with pytest.raises(RuntimeError):
            client.post(url, body, content_type="application/json")
    finally:
        media_check_verdict.disconnect(dispatch_uid="failing")
    seen = []
    media_check_verdict.connect(lambda sender, **v: seen.append(v), dispatch_uid="ok", weak=False)
    try:
        retried = client.post(url, body, content_type="application/json")
    finally:
        media_check_verdict.disconnect(dispatch_uid="ok")

    assert retried.status_code == 200
    assert len(seen) == 1


@pytest.mark.parametrize("mode", ["plain", "aes"])
def test_unsigned_deeply_nested_json_is_refused_not_a_500(client, configured, mode):
    deep = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    query = "encrypt_type=aes&" if mode == "aes" else ""
    query += f"timestamp={int(time.time())}&nonce=x&signature=0&msg_signature=0"

    response = client.post(f"/wechat/push?{query}", deep, content_type="application/json")

    assert response.status_code in (400, 403)
    assert response["Content-Type"] == "application/problem+json"


def test_signed_deeply_nested_json_is_a_400(client, configured):
    configured.WECHAT_PUSH_AES_KEY = ""
    query = "&".join(f"{k}={v}" for k, v in plain_query(nonce="deep").items())
    deep = b'{"a":' * 40 + b"1" + b"}" * 40

    response = client.post(f"/wechat/push?{query}", deep, content_type="application/json")

    assert response.status_code == 400

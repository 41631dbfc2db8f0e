"""Posting WeChat message pushes to /wechat/push as WeChat's servers do, signed (and in safe mode
encrypted) by the independent implementation in tests/wechat/wxcrypt.py."""

import json
import secrets
import time
from urllib.parse import urlencode

from tests.wechat import wxcrypt

# The deployment the `weixin` fixture (tests/conftest.py) configures.
APPID = "wx-app"  # the `wechat` fixture's
PUSH_TOKEN = "push-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
CHECK = "/wxa/media_check_async"


def media_check_event(trace_id: str, suggest: str, *, label: int = 100, appid: str) -> dict:
    return {
        "ToUserName": "gh_10f6c3c3ac5a", "FromUserName": "o-wechat", "CreateTime": 1,
        "MsgType": "event", "Event": "wxa_media_check", "appid": appid, "trace_id": trace_id,
        "version": 2, "result": {"suggest": suggest, "label": label},
        "detail": [{"strategy": "content_model", "errcode": 0, "suggest": suggest,
                    "label": label, "prob": 90}],
    }  # fmt: skip


def post(client, message: dict, *, token: str, appid: str, aes_key: str | None = None,
         forge: bool = False):  # fmt: skip
    """Plain mode without `aes_key`, safe mode with it. `forge` signs with the wrong token."""
    timestamp, nonce = str(int(time.time())), secrets.token_hex(6)  # WeChat's: random
    signing_token = "not-the-token" if forge else token
    body = json.dumps(message).encode()
    if aes_key is None:
        query = {"timestamp": timestamp, "nonce": nonce,
                 "signature": wxcrypt.sha1_signature(signing_token, timestamp, nonce)}  # fmt: skip
    else:
        sealed = wxcrypt.encrypt(body, encoding_aes_key=aes_key, appid=appid)
        signature = wxcrypt.sha1_signature(signing_token, timestamp, nonce, sealed)
        query = {"encrypt_type": "aes", "timestamp": timestamp, "nonce": nonce,
                 "msg_signature": signature}  # fmt: skip
        body = json.dumps({"ToUserName": message["ToUserName"], "Encrypt": sealed}).encode()
    return client.post(f"/wechat/push?{urlencode(query)}", body, content_type="application/json")


def verdict(client, trace_id: str, suggest: str, *, label=100, mode="safe", **options):
    """WeChat pushing a media check's verdict, in safe (encrypted) or plain mode."""
    message = media_check_event(trace_id, suggest, label=label, appid=APPID)
    key = AES_KEY if mode == "safe" else None
    return post(client, message, token=PUSH_TOKEN, appid=APPID, aes_key=key, **options)

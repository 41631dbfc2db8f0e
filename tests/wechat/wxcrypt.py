"""An independent implementation of WeChat's push signing and safe-mode encryption, written
from WeChat's description for the tests (it shares no code with wechat/push.py): what the tests
post is built here, the way WeChat's servers build it."""

import base64
import hashlib
import os
import struct

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def sha1_signature(*values: str) -> str:
    joined = "".join(sorted(values))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()  # noqa: S324 (WeChat's scheme)


def encrypt(message: bytes, *, encoding_aes_key: str, appid: str, random16: bytes | None = None):
    key = base64.b64decode(encoding_aes_key + "=")
    body = (random16 or os.urandom(16)) + struct.pack(">I", len(message)) + message
    body += appid.encode()
    padder = padding.PKCS7(256).padder()  # WeChat pads to 32-byte blocks
    padded = padder.update(body) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode()

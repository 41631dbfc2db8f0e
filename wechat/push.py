"""WeChat's message push, read safely: signatures, safe-mode decryption, freshness. Pure: no
Django. The view (wechat/views.py) turns what this returns into answers.

WeChat signs with SHA-1 over the sorted, joined strings: `[token, timestamp, nonce]` for the
URL check and plain mode, plus `Encrypt` for safe mode. Safe mode is AES-256-CBC with the key
base64(EncodingAESKey + "="), IV the key's first 16 bytes, PKCS#7 padding to 32-byte blocks;
the plaintext is 16 random bytes, a 4-byte big-endian length, the message, then the appid.
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
import struct
import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MAX_SKEW = 300  # seconds a push's timestamp may be off
MAX_BODY = 64 * 1024  # bytes: a push is a small event; anything larger is not one
MAX_DEPTH = 16  # nesting of a push's JSON (WeChat's events have 3 levels)
_ENCRYPT = re.compile(rb'"Encrypt"\s*:\s*"([A-Za-z0-9+/=]{1,87000})"')


class PushRefused(Exception):
    """Not a genuine, fresh push for this mini-program; `forged` tells a signature or appid
    failure (403) from a malformed or stale one (400)."""

    def __init__(self, reason: str, *, forged: bool):
        super().__init__(reason)
        self.forged = forged


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 (WeChat's)


def check_signature(expected: str | None, *parts: str) -> None:
    if not expected or not hmac.compare_digest(signature(*parts), expected.lower()):
        raise PushRefused("bad signature", forged=True)


def check_fresh(timestamp: str | None, *, now: float | None = None) -> None:
    try:
        sent = int(timestamp or "")
    except ValueError:
        raise PushRefused("no timestamp", forged=False) from None
    if abs((now if now is not None else time.time()) - sent) > MAX_SKEW:
        raise PushRefused("stale timestamp", forged=False)


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte key from the console's 43-character EncodingAESKey."""
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ValueError("an EncodingAESKey is 43 characters of base64 (32 bytes)")
    return key


def decrypt(encrypted: str, *, key: bytes, appid: str) -> bytes:
    """The message inside a safe-mode `Encrypt` value. Raises PushRefused."""
    try:
        data = base64.b64decode(encrypted, validate=True)
    except (binascii.Error, ValueError):
        raise PushRefused("Encrypt is not base64", forged=True) from None
    if not data or len(data) % 16:
        raise PushRefused("Encrypt is not whole AES blocks", forged=True)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad or len(plain) < 20 + pad:
        raise PushRefused("bad padding", forged=True)
    plain = plain[:-pad]
    (length,) = struct.unpack(">I", plain[16:20])
    message, sender = plain[20 : 20 + length], plain[20 + length :]
    if len(message) != length or not hmac.compare_digest(sender, appid.encode()):
        raise PushRefused("not for this appid", forged=True)
    return message


def encrypted_field(body: bytes) -> str:
    """A safe-mode envelope's `Encrypt` value, found without parsing the (unsigned) JSON."""
    found = _ENCRYPT.search(body[:MAX_BODY]) if len(body) <= MAX_BODY else None
    if found is None:
        raise PushRefused("no Encrypt", forged=False)
    return found.group(1).decode("ascii")


def read_json(body: bytes) -> dict:
    """A push's JSON object, bounded in size and nesting. Raises PushRefused."""
    if len(body) > MAX_BODY:
        raise PushRefused("too large", forged=False)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise PushRefused("not JSON", forged=False) from None
    if not isinstance(data, dict):
        raise PushRefused("not a JSON object", forged=False)
    if _depth(data) > MAX_DEPTH:
        raise PushRefused("nested too deeply", forged=False)
    return data


def _depth(value, level: int = 1) -> int:
    if level > MAX_DEPTH:
        return level
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    )
    return max((_depth(child, level + 1) for child in children), default=level)

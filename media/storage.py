"""Object storage for photos: keys, URLs and direct-upload tickets. The only module that knows
whether photos live in an S3 bucket or on local disk, and the only one that talks to boto3."""

import functools
import logging
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.utils import timezone
from storages.utils import clean_name

from config import outages

logger = logging.getLogger(__name__)

_LOCAL_POLICY_SALT = "album.storage.local-upload"


class TicketInvalid(Exception):
    """A local upload form whose policy is forged, expired or does not match the form."""


@dataclass(frozen=True)
class UploadTicket:
    url: str
    fields: dict[str, str]
    max_bytes: int
    expires_at: datetime


def is_s3() -> bool:
    return hasattr(storages["default"], "bucket_name")


def new_stem(prefix: str) -> str:
    """A fresh random key prefix: 128 bits, unrelated to any id, so keys cannot be guessed."""
    return f"{prefix}/{secrets.token_hex(16)}"


def put(key: str, data: bytes) -> str:
    """Store bytes under a new key; returns the key actually used (never an overwrite)."""
    return default_storage.save(key, ContentFile(data))


def put_file(key: str, file) -> str:
    """Store an open file (read from its start) under a new key; returns the key used."""
    file.seek(0)
    return default_storage.save(key, File(file))


def private_url(key: str, seconds: int) -> str:
    """A URL for one person's download, valid `seconds`: on S3 always presigned against the
    bucket, whatever CDN domain photos use; on local disk under MEDIA_URL, where the key's
    128 random bits are what keeps it private."""
    storage = storages["default"]
    if not is_s3():
        return storage.url(key)
    if storage.querystring_auth and not storage.custom_domain:
        return storage.url(key, expire=seconds)
    # A CDN domain (or unsigned URLs) for photos: this one is signed against the bucket.
    name = storage._normalize_name(clean_name(key))  # as storage.url() names the object
    return storage.bucket.meta.client.generate_presigned_url(
        "get_object", Params={"Bucket": storage.bucket_name, "Key": name}, ExpiresIn=seconds
    )


def read(key: str, *, limit: int) -> bytes:
    """At most limit + 1 bytes of an object, so the caller can tell it was too big."""
    with default_storage.open(key, "rb") as f:
        return f.read(limit + 1)


def exists(key: str) -> bool:
    return default_storage.exists(key)


def url(key: str) -> str:
    """Where a client downloads the object: presigned, on the CDN domain, or under MEDIA_URL.

    A presigned URL is signed once per key per half of its lifetime and handed out again until
    then (signing takes about 0.2 ms, two thirds of an album page's time otherwise), so every
    URL handed out stays valid for at least half of S3_URL_EXPIRE_SECONDS.
    """
    storage = storages["default"]
    if not (is_s3() and storage.querystring_auth and not storage.custom_domain):
        return storage.url(key)
    half_life = max(1, storage.querystring_expire // 2)
    return _presigned(storage, key, int(time.time()) // half_life)


@functools.lru_cache(maxsize=50_000)
def _presigned(storage, key: str, period: int) -> str:
    return storage.url(key)


def absolute(request, found: str) -> str:
    """A URL from `url` as a client in this request downloads it: absolute on S3 and a CDN
    already; a local one made absolute against the request's host."""
    if found.startswith(("http://", "https://")) or request is None:
        return found
    return request.build_absolute_uri(found)


def public_url(key: str) -> str:
    """An absolute URL an outside service (WeChat's media check) can download the object from
    for a while: presigned for `S3_URL_EXPIRE_SECONDS`, on the CDN, or on this site."""
    found = url(key)
    if found.startswith(("http://", "https://")):
        return found
    return settings.SHORTLINK_BASE_URL + found


def delete(keys: Iterable[str], *, strict: bool = False) -> None:
    """Delete objects (a missing one is no error). A failure is logged, not raised, unless
    `strict` (the outbox's delete task, which tries again until storage has done it)."""
    for key in keys:
        try:
            default_storage.delete(key)
        except Exception as exc:
            if strict:
                raise
            if outages.dependency_down(exc):  # storage is down: a line, not a traceback
                logger.warning(
                    "could not delete object",
                    extra={"key": key, "error": f"{type(exc).__name__}: {exc}"[:300]},
                )
            else:
                logger.exception("could not delete object", extra={"key": key})


def list_keys(prefix: str = "") -> list[str]:
    """Every object key under a prefix (operators and tests use it to prove nothing is left)."""
    if is_s3():
        client = default_storage.connection.meta.client
        paginator = client.get_paginator("list_objects_v2")
        # Keys are relative to the storage's `location`, as everywhere else in this module.
        root = f"{default_storage.location.strip('/')}/" if default_storage.location else ""
        keys = []
        for page in paginator.paginate(Bucket=default_storage.bucket_name, Prefix=root + prefix):
            keys.extend(obj["Key"].removeprefix(root) for obj in page.get("Contents", []))
        return keys
    return _walk_local(prefix.rstrip("/"))


def _walk_local(directory: str) -> list[str]:
    if not default_storage.exists(directory or "."):
        return []
    dirs, files = default_storage.listdir(directory or ".")
    found = [f"{directory}/{f}" if directory else f for f in files]
    for sub in dirs:
        found.extend(_walk_local(f"{directory}/{sub}" if directory else sub))
    return found


def upload_ticket(
    *, key: str, content_type: str, max_bytes: int, expires_in: timedelta, local_url: str
) -> UploadTicket:
    """A form the client posts the file to, straight to the bucket when there is one."""
    expires_at = timezone.now() + expires_in
    if is_s3():
        client = default_storage.connection.meta.client
        post = client.generate_presigned_post(
            Bucket=default_storage.bucket_name,
            # The bucket key, with the storage's `location` prefix when one is configured.
            Key=default_storage._normalize_name(key),
            Fields={"Content-Type": content_type},
            Conditions=[["content-length-range", 1, max_bytes], {"Content-Type": content_type}],
            ExpiresIn=int(expires_in.total_seconds()),
        )
        return UploadTicket(post["url"], post["fields"], max_bytes, expires_at)

    policy = signing.dumps(
        {"key": key, "ct": content_type, "max": max_bytes, "exp": int(expires_at.timestamp())},
        salt=_LOCAL_POLICY_SALT,
    )
    fields = {"key": key, "Content-Type": content_type, "policy": policy}
    return UploadTicket(local_url, fields, max_bytes, expires_at)


def read_local_policy(*, policy: str, key: str, content_type: str) -> int:
    """Check a local upload form against its signed policy; returns the byte limit.

    Raises TicketInvalid for a forged or expired policy, or a key or type it does not allow.
    """
    try:
        terms = signing.loads(policy, salt=_LOCAL_POLICY_SALT)
    except signing.BadSignature as exc:
        raise TicketInvalid("The upload policy is not valid.") from exc
    if terms["exp"] < timezone.now().timestamp():
        raise TicketInvalid("The upload ticket has expired.")
    if terms["key"] != key or terms["ct"] != content_type:
        raise TicketInvalid("The form does not match the upload ticket.")
    return terms["max"]


def put_upload(key: str, data: bytes) -> None:
    """Store a raw upload under its ticket's key; posting the same ticket again replaces it,
    as it does on S3."""
    if default_storage.exists(key):
        default_storage.delete(key)
    default_storage.save(key, ContentFile(data))

"""Reads on the resolve path: link metadata from the cache, the database only on a miss."""

from django.core.cache import cache
from django.db import transaction

from config.problems import NotFound
from shortlinks import codes
from shortlinks.models import ShortLink

META_TTL = 300  # seconds a resolved link's metadata is served from the cache
MISSING_TTL = 60  # seconds an unknown code is remembered, so scans of junk skip the database
_MISSING = "missing"


def meta_key(code: str) -> str:
    return f"sl:meta:v1:{code}"


def meta_of(link: ShortLink) -> dict:
    """Everything the resolve path needs about a link, as cacheable plain data."""
    return {
        "id": link.pk,
        "code": link.code,
        "kind": link.kind,
        "page": link.page,
        "params": link.params,
        "album_id": link.album_id,
        "album_visibility": link.album.visibility if link.album_id else None,
        "role": link.role or None,
        "creator_id": link.creator_id,
        "created_at": link.created_at,
        "expires_at": link.expires_at,
        "max_visits": link.max_visits,
        "visit_count": link.visit_count,
        "revoked": link.revoked_at is not None,
    }


def link_meta(raw_code: str) -> dict:
    """Metadata of a link by its code in any case. Raises NotFound for unknown or malformed."""
    code = codes.normalise(raw_code)
    if code is None:
        raise NotFound("No such link.")
    meta = cache.get(meta_key(code))
    if meta is None:
        link = ShortLink.objects.select_related("album").filter(code=code).first()
        meta = meta_of(link) if link else _MISSING
        cache.set(meta_key(code), meta, META_TTL if link else MISSING_TTL)
    if meta == _MISSING:
        raise NotFound("No such link.")
    return meta


def link_get(raw_code: str) -> ShortLink:
    code = codes.normalise(raw_code)
    link = ShortLink.objects.select_related("album").filter(code=code).first() if code else None
    if link is None:
        raise NotFound("No such link.")
    return link


def forget(codes_: list[str]) -> None:
    """Drop cached metadata, so the next read sees the database. Call after commit."""
    if codes_:
        cache.delete_many([meta_key(code) for code in codes_])


def on_album_changed(sender, *, album_id: int, **kwargs) -> None:
    """An album changed (inside its transaction): after commit, forget its links' metadata,
    which carries the album's visibility. The codes are read now, before a delete cascades."""
    codes_ = list(ShortLink.objects.filter(album_id=album_id).values_list("code", flat=True))
    transaction.on_commit(lambda: forget(codes_))

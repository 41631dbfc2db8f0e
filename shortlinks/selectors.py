"""Reads on the resolve path: link metadata (and rendered landing pages) from the cache, the
database only on a miss; and forgetting them when the link or its album changes.

In front of Redis, each process keeps what it read for SHORTLINK_NEAR_CACHE_SECONDS
(config.nearcache): a burst of scans of one poster asks Redis once per process per interval.
A change to who may use a link holds its answer until every such copy has expired.

A resolve that read the database before a change committed must not put the old state back in
Redis after the change forgot it: after commit the metadata's key holds a marker for
FORGOTTEN_TTL seconds instead of nothing, and what a miss reads is added (SET NX), never set
over it. Scans of a just-changed link read the database for those seconds.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from album import access
from album.selectors import role_in
from config.nearcache import NearCache
from config.outages import ServiceUnavailable
from config.problems import NotFound
from shortlinks import codes
from shortlinks.models import ShortLink

logger = logging.getLogger(__name__)

META_TTL = 300  # seconds a resolved link's metadata is served from the cache
MISSING_TTL = 60  # seconds an unknown code is remembered, so scans of junk skip the database
FORGOTTEN_TTL = 10  # seconds a changed link's metadata is read from the database
_MISSING = "missing"
_FORGOTTEN = "forgotten"

_near = NearCache("SHORTLINK_NEAR_CACHE_SECONDS")


def meta_key(code: str) -> str:
    # v2: the key may hold the "forgotten" marker, which a v1 reader would take for metadata.
    return f"sl:meta:v2:{code}"


def page_key(code: str, language: str, in_wechat: bool) -> str:
    """The landing page rendered for a language, in or out of WeChat's browser."""
    return f"sl:page:v1:{code}:{language}:{int(in_wechat)}"


def _page_keys(code: str) -> list[str]:
    return [page_key(code, language, in_wechat)
            for language, _ in settings.LANGUAGES for in_wechat in (False, True)]  # fmt: skip


def cache_keys(code: str) -> list[str]:
    """Every shared-cache key that holds this link's metadata or pages."""
    return [meta_key(code), *_page_keys(code)]


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
    meta, _ = link_meta_with(raw_code, None)
    return meta


def link_meta_with(raw_code: str, key_of: Callable[[str], str] | None) -> tuple[dict, Any]:
    """A link's metadata and the value cached under `key_of(code)` beside it (its rendered
    landing page, its QR image), in one cache round trip: a scan of a page or an image makes
    one trip to Redis, not two. The value is None when not cached (or without `key_of`)."""
    code = codes.normalise(raw_code)
    if code is None:
        raise NotFound("No such link.")
    key = meta_key(code)
    keys = [key, key_of(code)] if key_of else [key]
    found = _near.get_many(keys)
    if found is None:
        asked_at = _near.now()
        found = cache.get_many(keys) if key_of else {key: cache.get(key)}
        if found.get(key) in (None, _FORGOTTEN):
            link = ShortLink.objects.select_related("album").filter(code=code).first()
            found[key] = meta_of(link) if link else _MISSING
            cache.add(key, found[key], META_TTL if link else MISSING_TTL)
        _near.set_many(found, asked_at)
    meta = found[key]
    if meta == _MISSING:
        raise NotFound("No such link.")
    return meta, found.get(keys[-1]) if key_of else None


def album_links(album, user) -> QuerySet[ShortLink]:
    """An album's share links, newest first, revoked ones too, for its owner (or staff), who
    manages them. Raises Forbidden for members."""
    access.require_owner(album, user, role_in(album, user), "see its links")
    return ShortLink.objects.filter(album=album).order_by("-created_at", "-id")


def link_get(raw_code: str) -> ShortLink:
    code = codes.normalise(raw_code)
    link = ShortLink.objects.select_related("album").filter(code=code).first() if code else None
    if link is None:
        raise NotFound("No such link.")
    return link


def forget(codes_: list[str], *, strict: bool = True) -> None:
    """Drop the cached metadata of links the current transaction changes; call inside it.

    After commit, so a resolve between now and then cannot keep the old state in the cache.
    `strict` (who may use the link changed): also now, so that with the cache down the change
    is refused with 503 `service_unavailable` and rolled back, rather than leave an entry that
    outlives the outage. Otherwise (what a landing page shows) a cache that is down after
    commit leaves the entry to expire (META_TTL) and is logged.
    """
    if not codes_:
        return
    metas = [meta_key(code) for code in codes_]
    pages = [key for code in codes_ for key in _page_keys(code)]
    if strict:
        cache.delete_many(metas + pages)
    transaction.on_commit(lambda: _forget_after_commit(metas, pages, strict))


def _forget_after_commit(metas: list[str], pages: list[str], strict: bool) -> None:
    _near.delete_many(metas + pages)
    try:
        if cache.set_many(dict.fromkeys(metas, _FORGOTTEN), FORGOTTEN_TTL):  # not all written
            raise ServiceUnavailable("redis")
        cache.delete_many(pages)
    except ServiceUnavailable:
        logger.warning("cached link metadata not forgotten; it expires", extra={"keys": metas})
    if strict:
        _near.hold()  # answered once no process can still hold a copy of the old state


def forget_pages(codes_: list[str]) -> None:
    """Drop the rendered pages of links whose album shows something new (a title, a cover),
    after commit; their metadata, which holds no photo or title, stays, so the links keep
    resolving from the cache while the database is down. Call inside the change."""
    if codes_:
        pages = [key for code in codes_ for key in _page_keys(code)]
        transaction.on_commit(lambda: _forget_pages_after_commit(pages), robust=True)


def _forget_pages_after_commit(pages: list[str]) -> None:
    _near.delete_many(pages)
    try:
        cache.delete_many(pages)
    except ServiceUnavailable:
        logger.warning("cached landing pages not forgotten; they expire", extra={"keys": pages})


def on_album_changed(sender, *, album_id: int, access: bool, **kwargs) -> None:
    """An album changed (inside its transaction). When who may see it changed, forget its
    links' metadata (which carries the album's visibility) and pages; when only what it shows
    changed, their pages. The codes are read now, before a delete cascades."""
    codes_ = list(ShortLink.objects.filter(album_id=album_id).values_list("code", flat=True))
    if access:
        forget(codes_, strict=True)
    else:
        forget_pages(codes_)

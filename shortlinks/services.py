"""Business rules for short links: create, share an album, resolve (the hot path), revoke."""

import json
import logging
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from album import access
from album import services as album_services
from album.models import Album, Membership
from album.selectors import role_in
from audit.services import changes as changed
from audit.services import log_action, snapshot
from config.background import Ticker
from config.locking import lock_existing
from config.problems import ApplicationError, Forbidden, Gone, Invalid, NotFound, PayloadTooLarge
from outbox import services as outbox
from shortlinks import codes, selectors, tasks, wxacodes
from shortlinks.counters import get_counters
from shortlinks.models import SHAREABLE_ROLES, ShortLink

logger = logging.getLogger(__name__)

MAX_PARAMS_BYTES = 2048
FLUSH_INTERVAL = 5.0  # seconds between visit flushes, across all processes
_last_flush = 0.0


def _check_params(params: dict) -> None:
    size = len(json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode())
    if size > MAX_PARAMS_BYTES:
        raise PayloadTooLarge(
            f"params is {size} bytes serialised; the limit is {MAX_PARAMS_BYTES}."
        )


def _insert(**fields) -> ShortLink:
    # 160 random bits never collide in practice; the unique index makes sure, and we retry.
    for _ in range(3):
        try:
            with transaction.atomic():
                link = ShortLink(code=codes.generate(), **fields)
                link.full_clean(exclude=["creator", "album"])
                link.save()
                log_action("shortlink.created", actor=fields["creator"], obj=link,
                           kind=link.kind, album_id=link.album_id, role=link.role)  # fmt: skip
                # Its mini-program code, made in the background once the link exists for good.
                outbox.enqueue(tasks.MAKE_WXACODE, link.pk)
                return link
        except IntegrityError:
            continue
    # Three collisions of 160 random bits mean the random source is broken: a bug, not input.
    raise RuntimeError("could not allocate a short-link code")


def shortlink_create(
    *,
    creator,
    page: str,
    params: dict,
    expires_at: datetime | None = None,
    max_visits: int | None = None,
) -> ShortLink:
    """Store QR metadata under a new code. Raises PayloadTooLarge for params over 2 KB."""
    _check_params(params)
    return _insert(
        creator=creator, page=page, params=params, expires_at=expires_at, max_visits=max_visits
    )


EDITABLE_FIELDS = ("page", "params", "expires_at", "max_visits")


@transaction.atomic
def shortlink_update(*, link: ShortLink, actor, **changes) -> ShortLink:
    """Staff change where a link leads or how long it lives; its code, kind, album and role
    stay. Cached metadata is forgotten on commit, so the next scan sees the change."""
    lock_existing(ShortLink, link.pk, "No such link.")
    if "params" in changes:
        _check_params(changes["params"])
    fields = [f for f in EDITABLE_FIELDS if f in changes]
    before = snapshot(link, fields)
    for field in fields:
        setattr(link, field, changes[field])
    link.full_clean(exclude=["creator", "album"])
    link.save(update_fields=fields)
    log_action("shortlink.updated", actor=actor, obj=link,
               changes=changed(before, snapshot(link, fields)))  # fmt: skip
    selectors.forget([link.code])
    return link


@transaction.atomic
def wxacode_retry(*, link: ShortLink, actor) -> None:
    """Staff fixed the page (published it, say): forget WeChat's refusal and ask again."""
    wxacodes.wxacode_forget_refusal(link=link, actor=actor)
    outbox.enqueue(tasks.MAKE_WXACODE, link.pk)


def album_share(*, album: Album, actor, role: str, expires_at: datetime | None = None,
                max_visits: int | None = None) -> tuple[ShortLink, bool]:  # fmt: skip
    """The owner's share link for an album and role. Without options an existing live one
    (no expiry, no visit cap) is returned again; with `expires_at` or `max_visits` a new link
    with them is made every time.

    Returns (link, created). Raises Invalid for a role other than viewer or contributor,
    NotFound/Forbidden for non-owners, and `album_private` for a private album, which nobody
    but its owner can join.
    """
    if role not in SHAREABLE_ROLES:
        raise Invalid("role", gettext("A share grants `viewer` or `contributor`."))
    access.require_owner(album, actor, role_in(album, actor), "share it")
    if album.visibility == Album.Visibility.PRIVATE:
        raise ApplicationError(
            "A private album cannot be shared; make it members-only first.", code="album_private"
        )
    now = timezone.now()
    with transaction.atomic():
        # Lock the album so two taps on "share" cannot make two links (and a deleted one none).
        lock_existing(Album, album.pk, "No such album.")
        live = (
            ShortLink.objects.filter(
                album=album,
                role=role,
                creator=actor,
                kind=ShortLink.Kind.ALBUM_SHARE,
                revoked_at__isnull=True,
                max_visits__isnull=True,
            )
            .exclude(expires_at__lte=now)
            .order_by("-created_at")
            .first()
        )
        plain = expires_at is None and max_visits is None
        if live and plain:
            return live, False
        link = _insert(
            creator=actor,
            kind=ShortLink.Kind.ALBUM_SHARE,
            page=settings.SHORTLINK_ALBUM_PAGE,
            params={"album_id": album.pk},
            album=album,
            role=role,
            expires_at=expires_at,
            max_visits=max_visits,
        )
    return link, True


def _require_manager(link: ShortLink, actor, what: str) -> None:
    """The link's creator, or the shared album's owner; NotFound for those who cannot even
    resolve it (a private album's link), Forbidden for the rest."""
    album_owner_id = link.album.owner_id if link.album_id else None
    if actor.pk not in (link.creator_id, album_owner_id):
        if link.album_id and link.album.visibility == Album.Visibility.PRIVATE:
            raise NotFound("No such link.")
        raise Forbidden(f"Only the link's creator or the album's owner can {what}.")


def link_limits_set(*, raw_code: str, actor, expires_at: datetime | None,
                    max_visits: int | None) -> ShortLink:  # fmt: skip
    """The link's creator or the shared album's owner sets (or clears, with None) when the
    link expires and how many visits it allows; the next scan sees it. A revoked link stays
    revoked (Gone `revoked`)."""
    link = selectors.link_get(raw_code)
    _require_manager(link, actor, "change it")
    if link.revoked_at is not None:
        raise Gone("This link was revoked.", code="revoked")
    return shortlink_update(link=link, actor=actor, expires_at=expires_at, max_visits=max_visits)


def _require_live(meta: dict, now: datetime) -> None:
    if meta["revoked"]:
        raise Gone("This link was revoked.", code="revoked")
    if meta["expires_at"] is not None and meta["expires_at"] <= now:
        raise Gone("This link has expired.", code="expired")
    if meta["album_visibility"] == Album.Visibility.PRIVATE:
        raise NotFound("No such link.")


def shortlink_status(raw_code: str) -> dict:
    """A link's metadata if it still works, without counting a visit (landing page, QR).

    Raises NotFound, or Gone with `revoked`, `expired` or `used_up`.
    """
    meta, _ = shortlink_status_with(raw_code, None)
    return meta


def shortlink_status_with(raw_code: str, key_of) -> tuple[dict, object]:
    """shortlink_status, and what is cached for the link under `key_of(code)`
    (selectors.link_meta_with), handed out only once the link is known to still work."""
    meta, cached = selectors.link_meta_with(raw_code, key_of)
    _require_live(meta, timezone.now())
    if meta["max_visits"] is not None and meta["visit_count"] >= meta["max_visits"]:
        raise Gone("This link has been used up.", code="used_up")
    return meta, cached


def shortlink_resolve(*, raw_code: str, user) -> dict:
    """Resolve a scanned code: count the visit and, for a logged-in user, join a shared album.

    No database write in steady state: metadata comes from the cache and visits are counted
    there. Links with max_visits are the exception, counted exactly by a conditional UPDATE.
    Raises NotFound, or Gone with `revoked`, `expired` or `used_up`.
    """
    now = timezone.now()
    meta = selectors.link_meta(raw_code)
    _require_live(meta, now)
    if meta["max_visits"] is not None:
        counted = ShortLink.objects.filter(
            pk=meta["id"], visit_count__lt=F("max_visits"), revoked_at__isnull=True
        ).update(visit_count=F("visit_count") + 1, last_visited_at=now)
        if not counted:
            raise Gone("This link has been used up.", code="used_up")
        used_up = ShortLink.objects.filter(pk=meta["id"], visit_count__gte=F("max_visits"))
        if used_up.exists():  # this was the last visit: its page and images go at once
            selectors.forget([meta["code"]], strict=False)
    else:
        get_counters().add(meta["code"])
        if settings.VISITS_IN_BACKGROUND:
            _visits_ticker.ensure_running()

    if meta["kind"] == ShortLink.Kind.ALBUM_SHARE and user.is_authenticated:
        _join(meta, user)
    return meta


def _join(meta: dict, user) -> None:
    current = (
        Membership.objects.filter(album_id=meta["album_id"], user=user)
        .values_list("role", flat=True)
        .first()
    )
    # A read first: resolving again, the usual case, writes nothing.
    if access.has_at_least(current, meta["role"]):
        return
    album = Album.objects.filter(pk=meta["album_id"]).first()
    if album is not None:
        album_services.member_join(
            album=album,
            user=user,
            role=meta["role"],
            via_link_id=meta["id"],
            link_created_at=meta["created_at"],
        )


@transaction.atomic
def shortlink_revoke(*, raw_code: str, actor) -> None:
    """Revoke a link: its creator or the shared album's owner.

    Raises Forbidden for anyone else who can resolve the link, NotFound for those who cannot
    (a private album's link, an unknown code), and Gone `revoked` when it already is: a second
    DELETE answers what a GET of the link answers.
    """
    link = selectors.link_get(raw_code)
    _require_manager(link, actor, "revoke it")
    if link.revoked_at is not None:
        raise Gone("This link was already revoked.", code="revoked")
    link_revoke(link=link, actor=actor)


@transaction.atomic
def link_revoke(*, link: ShortLink, actor) -> None:
    """Turn a link off for good (the admin calls this directly, with staff as the actor)."""
    lock_existing(ShortLink, link.pk, "No such link.")
    link.refresh_from_db(fields=["revoked_at"])
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        log_action("shortlink.revoked", actor=actor, obj=link)
    selectors.forget([link.code])  # now and after commit: a 503 if the cache cannot forget


def _push_visits() -> None:
    """Each process's visits ticker: its buffered visits to Redis every second, and (one
    process at a time, every FLUSH_INTERVAL) the shared counts into the database. So visits
    reach the database within seconds with no further traffic, and a resolve itself makes no
    round trip to count."""
    get_counters().push()
    _maybe_flush()


def _flush_visits_now() -> None:
    """At exit: this process's visits to Redis and every counted visit to the database."""
    get_counters().push()
    visits_flush()


_visits_ticker = Ticker("visits", 1.0, _push_visits, last=_flush_visits_now)


def _maybe_flush() -> None:
    """Flush counted visits at most every FLUSH_INTERVAL seconds across all processes."""
    global _last_flush
    now = time.monotonic()
    if now - _last_flush < FLUSH_INTERVAL:
        return
    _last_flush = now
    if cache.add("sl:flush-lock", 1, timeout=FLUSH_INTERVAL):
        visits_flush()  # a database that is down keeps the counts in the cache; the ticker logs


def visits_flush() -> int:
    """Move counted visits from the cache to `visit_count`. Returns how many were moved."""
    counters = get_counters()
    counts = counters.take()
    if not counts:
        return 0
    now = timezone.now()
    try:
        with transaction.atomic():
            for code, count in counts.items():
                ShortLink.objects.filter(code=code).update(
                    visit_count=F("visit_count") + count, last_visited_at=now
                )
    except Exception:
        counters.restore(counts)
        raise
    return sum(counts.values())


def links_of_creator_delete(*, user) -> int:
    """The creator's account is being deleted: their links are deleted (the metadata is
    theirs) and forgotten by every cache. Returns the number."""
    with transaction.atomic():
        links = ShortLink.objects.select_for_update().filter(creator=user.pk)
        codes = list(links.values_list("code", flat=True))
        selectors.forget(codes)
        count, _ = links.delete()
        if count:
            log_action("shortlink.creator_deleted", actor=None, obj=user, links=count)
    return count

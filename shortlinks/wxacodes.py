"""Each link's mini-program code: asked of WeChat once, kept in object storage for good.

One maker at a time per link across processes (a lock in the cache), at most
WXACODE_PER_MINUTE calls a minute across the deployment (wechat.ratelimit), and no database
transaction open while WeChat answers.
"""

import contextlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from audit.services import log_action
from config.cache import add_unless_held
from config.outages import ServiceUnavailable
from media import storage
from media import tasks as media_tasks
from shortlinks.models import ShortLink
from wechat import ratelimit
from wechat.client import WeChatUnavailable, WxacodeRefused, get_client

logger = logging.getLogger(__name__)

LOCK_SECONDS = 20  # longer than a WeChat call and a storage write take
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}


class Busy(WeChatUnavailable):
    """Another process is making this code, or this minute's allowance is used up."""

    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after


def page_of(link: ShortLink) -> str:
    """The page as getwxacodeunlimit takes it: no leading slash, no query."""
    return link.page.lstrip("/").split("?", 1)[0]


def page_of_meta(meta: dict) -> str:
    """The same, from a link's cached metadata."""
    return meta["page"].lstrip("/").split("?", 1)[0]


def wxacode_make(*, link_id: int) -> ShortLink | None:
    """Make and store the link's code unless it has one (or WeChat refused it). Idempotent.

    Returns the link, None when it no longer exists. Raises Busy (retry after its
    `retry_after`) or WeChatUnavailable (retry later); a refusal (41030, 40129) is kept on the
    link for staff and not retried.
    """
    link = ShortLink.objects.filter(pk=link_id).first()
    if link is None or link.wxacode_key or link.wxacode_error:
        return link
    lock = f"wxacode:make:{link.code}"
    if not add_unless_held(lock, LOCK_SECONDS):
        # (With Redis down it is made unlocked: at most a second call to WeChat; the outbox
        # already runs each message once.)
        raise Busy("This mini-program code is being made; try again shortly.", 2)
    try:
        if not ratelimit.take("wxacode", settings.WXACODE_PER_MINUTE):
            raise Busy("Too many mini-program codes this minute.",
                       ratelimit.seconds_to_next_minute() + 1)  # fmt: skip
        if link.wxacode_received is None:
            try:
                image = get_client().wxacode(
                    scene=link.code,
                    page=page_of(link),
                    env_version=settings.WXACODE_ENV_VERSION,
                    width=settings.WXACODE_WIDTH,
                    check_path=settings.WXACODE_CHECK_PATH,
                )
            except WxacodeRefused as refused:
                _refused(link, refused)
                return link
            # Kept before anything else can fail: a retry after a storage outage reuses it.
            ShortLink.objects.filter(pk=link.pk).update(
                wxacode_received=image.data, wxacode_type=image.content_type
            )
            data, content_type = image.data, image.content_type
        else:
            data, content_type = bytes(link.wxacode_received), link.wxacode_type
        extension = _EXTENSIONS.get(content_type, "img")
        key = storage.put(f"wxacodes/{link.code}.{extension}", data)
        with transaction.atomic():
            updated = ShortLink.objects.filter(pk=link.pk, wxacode_key="").update(
                wxacode_key=key, wxacode_type=content_type, wxacode_received=None
            )
            if updated:
                log_action("shortlink.wxacode_made", actor=None, obj=link, bytes=len(data))
            else:  # deleted meanwhile, or made by a run that did not hold the lock
                media_tasks.delete_after_commit([key])
        link.refresh_from_db()
        return link
    finally:
        with contextlib.suppress(ServiceUnavailable):  # Redis down: the lock expires by itself
            cache.delete(lock)


def _refused(link: ShortLink, refused: WxacodeRefused) -> None:
    where = {"code": link.code, "page": link.page, "errcode": refused.errcode}
    logger.warning("wechat refused a mini-program code", extra=where)
    with transaction.atomic():
        error = f"{refused.errcode}: {refused.errmsg}"[:255]
        ShortLink.objects.filter(pk=link.pk).update(wxacode_error=error)
        log_action("shortlink.wxacode_refused", actor=None, obj=link, errcode=refused.errcode,
                   errmsg=refused.errmsg[:200])  # fmt: skip
    link.wxacode_error = error


def wxacode_forget_refusal(*, link: ShortLink, actor) -> None:
    """Forget WeChat's refusal so the code is asked for again; call inside a transaction."""
    ShortLink.objects.filter(pk=link.pk).update(wxacode_error="")
    log_action("shortlink.wxacode_retried", actor=actor, obj=link)

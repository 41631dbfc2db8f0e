"""Background work for short links, on the task queue (config.celery)."""

import logging

from celery import shared_task

from shortlinks import wxacodes
from wechat.client import WeChatUnavailable, retry_delay

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def make_wxacode(self, link_id: int) -> None:
    """Make a link's mini-program code. Safe to run twice: a link that has one is left alone."""
    try:
        wxacodes.wxacode_make(link_id=link_id)
    except WeChatUnavailable as exc:
        if self.request.is_eager:
            # In-process (no broker): no retry loop inside a request; the image is made when
            # first fetched, or by `manage.py make_wxacodes`.
            logger.warning("mini-program code not made yet", extra={"link_id": link_id})
            return
        raise self.retry(exc=exc, countdown=retry_delay(exc, self.request.retries)) from exc

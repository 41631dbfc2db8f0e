"""Background work for photos, on the task queue (config.celery)."""

import logging

from celery import shared_task

from album import reviews
from wechat.client import WeChatError, retry_delay

logger = logging.getLogger(__name__)

MAX_RETRIES = 8  # about 40 minutes of backoff: past PHOTO_CHECK_TIMEOUT, staff take over


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def check_photo(self, photo_id: int) -> None:
    """Send a new photo to WeChat's media check. Safe to run twice: a photo already sent or
    decided is left alone."""
    try:
        reviews.check_submit(photo_id=photo_id)
    except WeChatError as exc:
        if self.request.is_eager:
            # In-process (no broker): no retry loop inside a request; `sweep_photo_reviews`
            # sends it again, and past the timeout staff review it.
            logger.warning("photo not sent to the media check yet", extra={"photo_id": photo_id})
            return
        raise self.retry(exc=exc, countdown=retry_delay(exc, self.request.retries)) from exc

"""Background work for photos, run through the outbox (outbox.tasks)."""

from album import reviews
from outbox.tasks import outbox_task
from wechat.client import WeChatError

CHECK_PHOTO = "album.check_photo"


# About 40 minutes of backoff: past PHOTO_CHECK_TIMEOUT, staff take over anyway.
@outbox_task(CHECK_PHOTO, transient=(WeChatError,), max_attempts=8)
def check_photo(photo_id: int) -> None:
    """Send a new photo to WeChat's media check. Safe to run twice: a photo already sent or
    decided is left alone."""
    reviews.check_submit(photo_id=photo_id)

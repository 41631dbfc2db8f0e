"""Background work for photos, run through the outbox (outbox.tasks)."""

from album import reviews, services
from media.processing import Busy
from outbox.tasks import outbox_task
from wechat.client import WeChatError


# A process whose image slots are all taken waits its turn (attempts are not used up by it); a
# move that raced the run is tried again soon.
@outbox_task(services.DERIVE_PHOTO, transient=(services.PhotoMovedMeanwhile,), waits=(Busy,))
def derive_photo(photo_id: int) -> None:
    """Make an accepted photo's renditions. Safe to run twice."""
    services.photo_derive(photo_id=photo_id)


# About 40 minutes of backoff: past PHOTO_CHECK_TIMEOUT, staff take over anyway.
@outbox_task(reviews.CHECK_PHOTO, transient=(WeChatError,), max_attempts=8)
def check_photo(photo_id: int) -> None:
    """Send a new photo to WeChat's media check. Safe to run twice: a photo already sent or
    decided is left alone."""
    reviews.check_submit(photo_id=photo_id)

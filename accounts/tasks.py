"""Background work for accounts, run through the outbox (outbox.tasks)."""

from accounts import avatars
from outbox.tasks import outbox_task
from wechat.client import WeChatError


# About 40 minutes of backoff: past PHOTO_CHECK_TIMEOUT, staff take over anyway.
@outbox_task(avatars.CHECK_AVATAR, transient=(WeChatError,), max_attempts=8)
def check_avatar(avatar_id: int) -> None:
    """Send a new avatar to WeChat's media check. Safe to run twice."""
    avatars.check_submit(avatar_id=avatar_id)

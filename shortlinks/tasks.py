"""Background work for short links, run through the outbox (outbox.tasks)."""

from outbox.tasks import outbox_task
from shortlinks import wxacodes
from wechat.client import WeChatUnavailable

MAKE_WXACODE = "shortlinks.make_wxacode"


@outbox_task(MAKE_WXACODE, transient=(WeChatUnavailable,), max_attempts=8)
def make_wxacode(link_id: int) -> None:
    """Make a link's mini-program code. Safe to run twice: a link that has one is left alone."""
    wxacodes.wxacode_make(link_id=link_id)

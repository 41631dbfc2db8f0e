"""What the push endpoint announces, for apps built on WeChat to act on (no rules here), and
`dispatch`, which turns a genuine push message into those announcements."""

import logging
import re

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# A media check verdict arrived: `trace_id`, `suggest` ("pass" | "risky" | "review"), `label`
# and the whole `message`. Receivers return True when the trace id was theirs.
media_check_verdict = Signal()

# The user withdrew something they had authorised, left, or WeChat cleaned their profile:
# `event` ("user_authorization_revoke" | "user_authorization_cancellation" |
# "user_info_modified"), `openid`, `revoked` (the RevokeInfo ids: 6 nickname and avatar, 14
# photos or videos the user chose...; empty for the other events) and the whole `message`.
user_authorization_changed = Signal()


def dispatch(message: dict) -> None:
    """Announce a genuine push (the caller checked it) to the apps: a media check verdict, or
    a user's authorization event; anything else is logged and acknowledged."""
    if message.get("MsgType") == "event" and message.get("Event") == "wxa_media_check":
        result = message.get("result") if isinstance(message.get("result"), dict) else {}
        answers = media_check_verdict.send(
            sender=None,
            trace_id=str(message.get("trace_id", "")),
            suggest=result.get("suggest"),
            label=result.get("label"),
            message=message,
        )
        if not any(handled for _, handled in answers):
            logger.info("media check verdict for an unknown trace id",
                        extra={"trace_id": message.get("trace_id")})  # fmt: skip
        return
    if message.get("MsgType") == "event" and message.get("Event") in AUTHORIZATION_EVENTS:
        openid = message.get("OpenID")
        if not isinstance(openid, str) or not openid:
            logger.warning("wechat authorization event without an OpenID",
                           extra={"event": message.get("Event")})  # fmt: skip
            return
        revoked = {int(n) for n in re.findall(r"\d+", str(message.get("RevokeInfo", "")))}
        user_authorization_changed.send(sender=None, event=message["Event"], openid=openid,
                                        revoked=revoked, message=message)  # fmt: skip
        return
    kind = {"msg_type": message.get("MsgType"), "event": message.get("Event")}
    logger.info("wechat push of an unknown kind acknowledged", extra=kind)


AUTHORIZATION_EVENTS = ("user_authorization_revoke", "user_authorization_cancellation",
                        "user_info_modified")  # fmt: skip

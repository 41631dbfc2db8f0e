"""What the push endpoint announces, for apps built on WeChat to act on (no rules here)."""

from django.dispatch import Signal

# A media check verdict arrived: `trace_id`, `suggest` ("pass" | "risky" | "review"), `label`
# and the whole `message`. Receivers return True when the trace id was theirs.
media_check_verdict = Signal()

# The user withdrew something they had authorised, left, or WeChat cleaned their profile:
# `event` ("user_authorization_revoke" | "user_authorization_cancellation" |
# "user_info_modified"), `openid`, `revoked` (the RevokeInfo ids: 6 nickname and avatar, 14
# photos or videos the user chose...; empty for the other events) and the whole `message`.
user_authorization_changed = Signal()

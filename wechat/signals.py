"""What the push endpoint announces, for apps built on WeChat to act on (no rules here)."""

from django.dispatch import Signal

# A media check verdict arrived: `trace_id`, `suggest` ("pass" | "risky" | "review"), `label`
# and the whole `message`. Receivers return True when the trace id was theirs.
media_check_verdict = Signal()

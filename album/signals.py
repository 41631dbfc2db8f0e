"""Signals albums send for apps built on them; cache invalidation only, never business rules."""

from django.dispatch import Signal

# Sent inside the transaction of any change to an album's title, visibility, cover, photos or
# existence (before a delete), with `album_id` and `access`: True when who may see it changed
# (visibility, deletion), which a receiver must not lose; False for what only shows (the cover).
# The short-link app forgets its links' cached metadata.
album_changed = Signal()

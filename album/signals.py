"""Signals albums send for apps built on them; cache invalidation only, never business rules."""

from django.dispatch import Signal

# Sent inside the transaction of any change to an album's title, visibility, cover, photos or
# existence (before a delete), with `album_id`. Receivers act in `transaction.on_commit`; the
# short-link app forgets its links' cached metadata.
album_changed = Signal()

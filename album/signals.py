"""Signals albums send for apps built on them, to keep their own copies of what albums say
(cached link data, the album a photo's comments belong to); never business rules."""

from django.dispatch import Signal

# Sent inside the transaction of any change to an album's title, visibility, cover, photos or
# existence (before a delete), with `album_id` and `access`: True when who may see it changed
# (visibility, deletion), which a receiver must not lose; False for what only shows (the cover).
# The short-link app forgets its links' cached metadata.
album_changed = Signal()

# Sent inside the transaction that moved photos to another album, with `photo_ids` and
# `to_album_id`. The comments app moves the photos' comments with them.
photos_moved = Signal()

"""The scheduled part of photo and avatar review. Schedule it every few minutes."""

from django.core.management.base import BaseCommand

from accounts import avatars
from album import services


class Command(BaseCommand):
    help = (
        "Move photos and avatars with no verdict after PHOTO_CHECK_TIMEOUT_SECONDS to staff "
        "review, send again those whose check is not in the outbox, and delete rejected photos "
        "past PHOTO_REJECTED_RETENTION_DAYS."
    )

    def handle(self, *args, **options):
        done = services.reviews_sweep()
        faces = avatars.reviews_sweep()
        self.stdout.write(
            f"Moved {done['timed_out']} photo(s) and {faces['avatars_timed_out']} avatar(s) to "
            f"staff review, sent {done['resent']} photo(s) and {faces['avatars_resent']} "
            f"avatar(s) to the check again, deleted {done['purged']} rejected photo(s)."
        )

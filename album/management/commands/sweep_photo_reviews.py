"""The scheduled part of photo review. Schedule it every few minutes."""

from django.core.management.base import BaseCommand

from album import services


class Command(BaseCommand):
    help = (
        "Move photos with no verdict after PHOTO_CHECK_TIMEOUT_SECONDS to staff review, send "
        "again photos whose check is not in the outbox, and delete rejected photos past "
        "PHOTO_REJECTED_RETENTION_DAYS."
    )

    def handle(self, *args, **options):
        done = services.reviews_sweep()
        self.stdout.write(
            f"Moved {done['timed_out']} photo(s) to staff review, sent {done['resent']} to the "
            f"check again, deleted {done['purged']} rejected photo(s)."
        )

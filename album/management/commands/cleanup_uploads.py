"""Remove direct uploads that were never completed, with their raw objects, and photos that
could not be processed. Schedule it hourly."""

from django.core.management.base import BaseCommand

from album import services


class Command(BaseCommand):
    help = "Remove lapsed direct uploads and photos that could not be processed."

    def handle(self, *args, **options):
        removed = services.uploads_cleanup()
        photos = services.photos_cleanup()
        self.stdout.write(
            f"Removed {removed} lapsed upload(s); failed {photos['failed']} photo(s) stuck "
            f"processing; deleted {photos['deleted']} failed photo(s)."
        )
